"""The shipped course « Bon sens numérique au travail » holds to its bar, so that a later edit
cannot silently break it: structure, lengths, question quality, sources, both languages, and
lessons written in our own words."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from builder.checks import localized_values
from builder.loader import load_project
from builder.model import FillIn, Lesson, MultipleChoice, SingleChoice, TrueFalse
from builder.paths import course_paths
from builder.project import CourseProject

REPO = Path(__file__).parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
ALL_TYPES = {"single", "multiple", "true_false", "matching", "ordering", "fill_in"}
MODULE_TOPICS = ["m1-privacy", "m2-discretion", "m3-reputation", "m4-reflexes", "m0-intro"]  # m0: the annex
# What every employee needs in daily life (issue 16): the core path's lessons
CORE_LESSONS = {"m1-settings-and-traces", "m1-identity-theft-phishing", "m2-confidential-information",
                "m3-professional-presence", "m3-colleagues-online", "m4-when-things-go-wrong"}


@pytest.fixture(scope="module")
def project() -> CourseProject:
    project, problems = load_project(REPO)
    assert project is not None and problems == [], "\n".join(p.format() for p in problems)
    return project


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text)


def lesson_words(lesson: Lesson, lang: str) -> int:
    return sum(len(words(texts[lang])) for _, texts in localized_values(lesson) if isinstance(texts.get(lang), str))


def test_course_is_clean_under_strict_check(project: CourseProject) -> None:
    assert project.languages == ["fr", "en"]


def test_modules_in_order_with_three_to_five_lessons(project: CourseProject) -> None:
    modules = project.course.modules
    assert [m.id for m in modules] == MODULE_TOPICS
    for module in modules:
        assert 3 <= len(module.lessons) <= 5, module.id
        assert module.quiz is not None


def test_the_core_path_fits_an_hour_and_the_others_hold_every_module(project: CourseProject) -> None:
    paths = {plan.id: plan for plan in course_paths(project)}
    assert list(paths) == ["essentiel", "complet", "managers"]
    core = paths["essentiel"]
    assert set(core.lessons) == CORE_LESSONS
    assert core.minutes <= 60 and core.exam is not None
    assert all(project.lessons[i].minutes <= 7 for i in core.lessons)
    assert {m.id for m in paths["complet"].modules} == set(MODULE_TOPICS) - {"m0-intro"}
    assert {m.id for m in paths["managers"].modules} == set(MODULE_TOPICS)


def test_every_question_says_which_lessons_it_tests(project: CourseProject) -> None:
    unmarked = [q.id for quiz in project.quizzes.values() for q in quiz.questions if not q.lessons]
    assert unmarked == []


@pytest.mark.parametrize("countries", [None, "fr", "be", "ca-qc"])
def test_every_path_draws_its_exam_from_enough_questions_in_every_country(countries: str | None,
                                                                         tmp_path: Path) -> None:
    """Each core lesson is tested by the exam wherever the course is deployed."""
    org = None
    if countries:
        org = tmp_path / "organisation.yml"
        org.write_text(f"countries: [{countries}]\n", encoding="utf-8")
    project, problems = load_project(REPO, org)
    assert project is not None and problems == [], "\n".join(p.format() for p in problems)
    core = course_paths(project)[0]
    tested = {lesson for q in project.quizzes["final-exam"].questions if q.id in core.pools["final-exam"].questions
              for lesson in q.lessons or []}
    assert tested == CORE_LESSONS


@pytest.mark.parametrize("lang, low, high", [("fr", 600, 1200), ("en", 500, 1250)])
def test_lesson_lengths(project: CourseProject, lang: str, low: int, high: int) -> None:
    lengths = {lid: lesson_words(lesson, lang) for lid, lesson in project.lessons.items()}
    wrong = {lid: n for lid, n in lengths.items() if not low <= n <= high}
    assert not wrong, f"{lang} lessons outside {low}-{high} words: {wrong}"


def test_english_is_not_a_summary_of_the_french(project: CourseProject) -> None:
    for lesson_id, lesson in project.lessons.items():
        ratio = lesson_words(lesson, "en") / lesson_words(lesson, "fr")
        assert 0.75 <= ratio <= 1.25, f"{lesson_id}: en/fr word ratio {ratio:.2f}"


def test_every_lesson_is_complete(project: CourseProject) -> None:
    for lesson_id, lesson in project.lessons.items():
        assert len(lesson.objectives) >= 2, lesson_id
        assert lesson.scenarios, f"{lesson_id} has no workplace scenario"
        assert all(s.debrief for s in lesson.scenarios), f"{lesson_id}: a scenario has no debrief"
        assert any(section.callouts for section in lesson.sections), f"{lesson_id} has no callout"
        assert len(lesson.takeaways) >= 3, lesson_id
        assert lesson.sources, f"{lesson_id} cites no source"
        assert 5 <= lesson.minutes <= 12, lesson_id


def test_module_quizzes(project: CourseProject) -> None:
    for module in project.course.modules:
        quiz = project.quizzes[module.quiz or ""]
        assert 7 <= len(quiz.questions) <= 10, module.id  # a handful of situations, not a test of recall
        assert quiz.passing_score == 80


def test_every_question_type_is_used(project: CourseProject) -> None:
    used = Counter(q.type for quiz in project.quizzes.values() for q in quiz.questions)
    assert set(used) == ALL_TYPES, used


def test_most_questions_are_scenarios(project: CourseProject) -> None:
    """A scenario question sets a situation (a person, a place) before asking; recall does not."""
    questions = [q for quiz in project.quizzes.values() for q in quiz.questions]
    scenario = [q for q in questions if len(words(q.prompt["fr"])) >= 25]
    assert len(scenario) / len(questions) > 0.5, f"{len(scenario)} of {len(questions)} set a situation"


def test_every_choice_explains_itself(project: CourseProject) -> None:
    for quiz in project.quizzes.values():
        for question in quiz.questions:
            if isinstance(question, (SingleChoice, MultipleChoice)):
                assert all(c.feedback for c in question.choices), question.id
            if isinstance(question, TrueFalse):
                assert question.feedback_true and question.feedback_false, question.id
            if isinstance(question, FillIn):
                assert question.answers["fr"] and question.answers["en"], question.id


def test_final_exam(project: CourseProject) -> None:
    exam_ref = project.course.final_exam
    assert exam_ref is not None
    exam = project.quizzes[exam_ref.quiz]
    assert len(exam.questions) >= 40
    assert exam.draw == 20
    assert exam.passing_score == 80
    covered = {q.id.split("-")[1] for q in exam.questions}
    assert covered == {"m0", "m1", "m2", "m3", "m4"}, covered


def _folded_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", text)


def _ngrams(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_no_sentence_of_the_seeds_is_reproduced(project: CourseProject) -> None:
    seed_grams: set[tuple[str, ...]] = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        seed_grams |= _ngrams(_folded_words(seed.read_text(encoding="utf-8")), 8)
    assert seed_grams, "no seed text found"
    for item_id, document in project.documents.items():
        copied = _ngrams(_folded_words(document.text), 8) & seed_grams
        assert not copied, f"{item_id} reproduces a seed: {' '.join(sorted(copied)[0])}"
