"""Form: questions that are ambiguous, repeat themselves, or explain nothing.

Two options that say the same thing make a question unanswerable (or give away the one that
differs); a fill-in that accepts "a" accepts anything; matching needs one right-hand side per
left; feedback and explanations are where a learner learns, so an empty or circular one wastes
the question; an exam question drawn away from its module cannot say "this module".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from builder.model import FillIn, Matching, MultipleChoice, Question, SingleChoice, TrueFalse
from builder.quizlint.base import Finding, QuizUnderReview, choice_path, right_texts
from builder.quizlint.language import MODULE_REFERENCE, content_words, fold, folded_words, jaccard

OVERLAP_SIMILARITY = 0.8  # two options sharing this share of their words say the same
OVERLAP_MIN_WORDS = 2  # an option of one content word is contained in too much to judge
FILL_IN_MIN_CHARACTERS = 2  # a one-character answer is matched by a guess or a slip
FILL_IN_MAX_ANSWERS = 8  # more accepted answers than this: the blank has no one answer
EXPLANATION_MIN_NEW_WORDS = 3  # an explanation adds at least this many words to the question and answer


def overlapping_options(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """Two options that repeat or contain each other: either both are right, or the odd one out
    is the key."""
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        return
    for lang in languages:
        texts = [choice.text.get(lang, "") for choice in question.choices]
        for later in range(1, len(texts)):
            for earlier in range(later):
                if _overlap(texts[earlier], texts[later], lang):
                    yield Finding("overlapping-options", choice_path(later, lang),
                                  f"options {earlier + 1} and {later + 1} repeat or contain each other ({lang})",
                                  "make each option a distinct answer")
                    return


def _overlap(first: str, second: str, lang: str) -> bool:
    if folded_words(first) == folded_words(second):
        return True
    a, b = content_words(first, lang), content_words(second, lang)
    if min(len(a), len(b)) < OVERLAP_MIN_WORDS:
        return False
    return a <= b or b <= a or jaccard(a, b) >= OVERLAP_SIMILARITY


def fill_in_ambiguous(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """A fill-in whose accepted answers are too short (a letter, a digit: matched by a slip) or too
    many (the blank has no one answer, so the question tests guessing the writer's words)."""
    if not isinstance(question, FillIn):
        return
    for lang in languages:
        answers = [a for a in question.answers.get(lang, []) if a.strip()]
        short = [a for a in answers if len("".join(folded_words(a))) < FILL_IN_MIN_CHARACTERS]
        if short:
            yield Finding("fill-in-ambiguous", ("answers", lang), f"accepted answer '{short[0]}' is too short "
                          f"to be unambiguous ({lang})", "ask for a word that a slip cannot produce, or use a "
                          "choice question")
        elif len(answers) > FILL_IN_MAX_ANSWERS:
            yield Finding("fill-in-ambiguous", ("answers", lang), f"{len(answers)} accepted answers ({lang}): "
                          "the blank has no one answer", "narrow the prompt until one word fits, or use a "
                          "choice question")


def matching_duplicate_right(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """Two pairs with the same right-hand text: the learner cannot tell which left goes where, and
    either match is marked wrong half the time."""
    if not isinstance(question, Matching):
        return
    for lang in languages:
        seen: dict[tuple[str, ...], int] = {}
        for index, pair in enumerate(question.pairs):
            right = folded_words(pair.right.get(lang, ""))
            if right in seen:
                yield Finding("matching-duplicate-right", ("pairs", index, "right", lang),
                              f"pairs {seen[right] + 1} and {index + 1} have the same right-hand text ({lang})",
                              "give each pair its own right-hand text, or merge the pairs")
                return
            seen[right] = index


def missing_feedback(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """A true/false question says nothing to who answers wrong: that learner needs it most.
    (A choice without feedback is reported by `bonsens check` for every question already.)"""
    if not isinstance(question, TrueFalse):
        return
    wrong = "false" if question.answer else "true"
    if getattr(question, f"feedback_{wrong}") is None:
        yield Finding("missing-feedback", ("answer",), f"no feedback for learners who answer {wrong}",
                      f"add `feedback_{wrong}:` saying why the statement is {'true' if question.answer else 'false'}")


def explanation_repeats_answer(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """An explanation that only repeats the right answer ("This one.") teaches nothing: the learner
    who got it wrong still does not know why."""
    for lang in languages:
        known = content_words(question.prompt.get(lang, ""), lang)
        for text in right_texts(question, lang):
            known |= content_words(text, lang)
        new = content_words(question.explanation.get(lang, ""), lang) - known
        if len(new) < EXPLANATION_MIN_NEW_WORDS:
            yield Finding("explanation-repeats-answer", ("explanation", lang),
                          f"the explanation only repeats the question and its answer ({lang})",
                          "say why the answer is right and the likely wrong answer wrong, with the rule or "
                          "the fact behind it")
            return


def exam_refers_to_module(review: QuizUnderReview) -> Iterator[Finding]:
    """An exam question says "this module" or "this lesson": it is drawn among others, after all
    modules, so the reference points nowhere."""
    if not review.is_exam:
        return
    for index, question in enumerate(review.quiz.questions):
        for field, texts in _question_texts(question):
            for lang in review.languages:
                pattern = MODULE_REFERENCE.get(lang)
                match = pattern.search(fold(texts.get(lang, ""))) if pattern else None
                if match:
                    yield Finding("exam-refers-to-module", ("questions", index, *field, lang),
                                  f"an exam question refers to '{match.group()}' ({lang})",
                                  "name the topic instead: exam questions are drawn away from their module")
                    break
            else:
                continue
            break


def _question_texts(question: Question) -> Iterator[tuple[tuple[str | int, ...], dict[str, str]]]:
    yield ("prompt",), question.prompt
    if isinstance(question, (SingleChoice, MultipleChoice)):
        for index, choice in enumerate(question.choices):
            yield ("choices", index, "text"), choice.text
    yield ("explanation",), question.explanation
