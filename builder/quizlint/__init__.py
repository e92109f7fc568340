"""Quiz-quality checks: `bonsens check` reviews questions the way an experienced item writer would.

A quiz that can be passed without knowing the subject certifies nothing. Each rule is a small
function in one of the modules below, named after what it catches, with a stable code
(docs/quiz-checks.md lists them all). This module runs them, locates each finding at its YAML
node, drops the ones a trainer silenced on purpose (`lint: {ignore: [CODE], reason: ...}` on a
question, a quiz, a lesson or the course), and gives the rest the severity the course asked for
(`quiz_checks: warnings`, the default, or `notes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from builder.diagnostics import Diagnostic, Severity
from builder.model import LINT_CODES, Lint, Question
from builder.project import CourseProject
from builder.quizlint.balance import course_true_false_balance, key_position, multiple_all_or_one, true_false_balance
from builder.quizlint.base import Finding, QuizUnderReview
from builder.quizlint.cues import (
    absolute_words,
    all_of_the_above,
    longest_answer,
    longest_answer_quiz,
    negative_stem,
    stem_echo,
)
from builder.quizlint.depth import reading_time, recall_heavy_quiz
from builder.quizlint.duplicates import Placed, similar_pairs
from builder.quizlint.form import (
    exam_refers_to_module,
    explanation_repeats_answer,
    fill_in_ambiguous,
    matching_duplicate_right,
    missing_feedback,
    overlapping_options,
)
from builder.yamlsource import YamlDocument

QuestionRule = Callable[[Question, Sequence[str]], Iterator[Finding]]
QuizRule = Callable[[QuizUnderReview], Iterator[Finding]]

QUESTION_RULES: tuple[QuestionRule, ...] = (
    longest_answer, multiple_all_or_one, all_of_the_above, absolute_words, stem_echo, negative_stem,
    overlapping_options, fill_in_ambiguous, matching_duplicate_right, missing_feedback, explanation_repeats_answer,
)
QUIZ_RULES: tuple[QuizRule, ...] = (
    longest_answer_quiz, true_false_balance, key_position, exam_refers_to_module, recall_heavy_quiz,
)
DOCS = "docs/quiz-checks.md"


def is_quiz_quality(diagnostic: Diagnostic) -> bool:
    """A finding of these checks (as opposed to an error in the course's files)."""
    return diagnostic.code in LINT_CODES


def lint_course(project: CourseProject) -> list[Diagnostic]:
    """Every quiz-quality finding of the course, located, less those silenced with a reason."""
    severity = Severity.note if project.course.quiz_checks == "notes" else Severity.warning
    languages = tuple(project.languages)
    exam = project.course.final_exam.quiz if project.course.final_exam else None
    found: list[Diagnostic] = []

    def report(doc: YamlDocument, finding: Finding, *silencers: Lint | None) -> None:
        if any(lint and finding.code in lint.ignore for lint in (*silencers, project.course.lint)):
            return
        found.append(_diagnostic(doc, finding, severity))

    used = _quizzes_in_course_order(project)
    for quiz_id in used:
        quiz, doc = project.quizzes[quiz_id], project.documents[quiz_id]
        for index, question in enumerate(quiz.questions):
            for question_rule in QUESTION_RULES:
                for finding in question_rule(question, languages):
                    at = Finding(finding.code, ("questions", index, *finding.path), finding.message, finding.hint,
                                 finding.needle, finding.key)
                    report(doc, at, question.lint, quiz.lint)
        review = QuizUnderReview(quiz, languages, is_exam=quiz_id == exam)
        for quiz_rule in QUIZ_RULES:
            for finding in quiz_rule(review):
                report(doc, finding, quiz.lint)
    for finding in course_true_false_balance([project.quizzes[quiz_id] for quiz_id in used]):
        report(project.course_doc, finding)
    found += _duplicates(project, used, languages, severity)
    for lesson in project.lessons_in_order():
        for finding in reading_time(lesson, languages):
            report(project.documents[lesson.id], finding, lesson.lint)
    return found


def _quizzes_in_course_order(project: CourseProject) -> list[str]:
    """The quizzes learners take (module quizzes, then the exam): an unused quiz draft is left alone."""
    course = project.course
    ids = [m.quiz for m in course.modules if m.quiz] + ([course.final_exam.quiz] if course.final_exam else [])
    return list(dict.fromkeys(quiz_id for quiz_id in ids if quiz_id in project.quizzes))


def _duplicates(project: CourseProject, quiz_ids: Sequence[str], languages: Sequence[str],
                severity: Severity) -> list[Diagnostic]:
    """Each near-duplicate pair, reported at both questions, each naming the other."""
    placed = [Placed(quiz_id, index, question) for quiz_id in quiz_ids
              for index, question in enumerate(project.quizzes[quiz_id].questions)]
    found = []
    for first, second, score in similar_pairs(placed, languages):
        for this, other in ((first, second), (second, first)):
            quiz = project.quizzes[this.quiz_id]
            silencers = (this.question.lint, quiz.lint, project.course.lint)
            if any(lint and "duplicate-question" in lint.ignore for lint in silencers):
                continue
            other_doc = project.documents[other.quiz_id]
            line, column = other_doc.position(("questions", other.index, "id"))
            where = f"{other_doc.shown_path}:{line}:{column}"
            finding = Finding("duplicate-question", ("questions", this.index, "id"),
                              f"tests the same thing as '{other.question.id}' at {where} "
                              f"({round(score * 100)}% of their words in common)",
                              "ask about another objective in one of them, or keep one; if both are meant, "
                              "silence this with `lint:` and a reason")
            found.append(_diagnostic(project.documents[this.quiz_id], finding, severity))
    return found


def _diagnostic(doc: YamlDocument, finding: Finding, severity: Severity) -> Diagnostic:
    if finding.needle:
        return doc.text_diagnostic(finding.path, finding.needle, finding.message, finding.hint,
                                   severity=severity, code=finding.code)
    return doc.diagnostic(finding.path, finding.message, finding.hint, key=finding.key, severity=severity,
                          code=finding.code)
