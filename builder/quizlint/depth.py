"""Depth and honesty: does a quiz ask for judgement, and does a lesson take the time it says?

A question that sets a situation (someone, somewhere, doing something) asks the learner to apply
what they read; a question that asks for a percentage or an article number asks them to recall
it, and a week later it is gone. A lesson's declared minutes are what a learner plans around.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from builder.checks import localized_values
from builder.model import FillIn, Lesson, Matching, MultipleChoice, Ordering, Question, SingleChoice
from builder.quizlint.base import Finding, QuizUnderReview, plural, right_texts
from builder.quizlint.language import (
    DEFAULT_WORDS_PER_MINUTE,
    PERSON_WORDS,
    RECALL_ASK,
    SITUATION_MIN_WORDS,
    WORDS_PER_MINUTE,
    folded_words,
    is_figure,
    question_sentence,
    unaccented,
    word_count,
)

RECALL_HIGHEST_SHARE = 0.5  # most of the quiz's questions test recall
RECALL_MIN_QUESTIONS = 4
RECALL_SHOWN = 6  # question ids listed in the message
READING_TOLERANCE = 0.5  # the declared minutes are off by more than half of themselves…
READING_MIN_MINUTES_OFF = 1  # …and by more than a minute (a 1-minute lesson read in 20 seconds is fine)
ARTICLE = re.compile(r"\b(?:art(?:icle|\.)|§)\s*[LRD]?[.\s-]*\d", re.IGNORECASE)


def recall_heavy_quiz(review: QuizUnderReview) -> Iterator[Finding]:
    """Most questions set no situation or ask for a figure, a date or an article: the quiz then
    measures memory of the lesson, not the judgement the course is for (a soft warning)."""
    questions = review.quiz.questions
    languages = [lang for lang in review.languages if lang in PERSON_WORDS]
    if not languages or len(questions) < RECALL_MIN_QUESTIONS:
        return
    recall = [q.id for q in questions if is_recall(q, languages)]
    if len(recall) > RECALL_HIGHEST_SHARE * len(questions):
        shown = ", ".join(recall[:RECALL_SHOWN]) + (", …" if len(recall) > RECALL_SHOWN else "")
        yield Finding("recall-heavy-quiz", ("questions",),
                      f"{len(recall)} of the {len(questions)} questions test recall: no situation, or they ask "
                      f"for a figure, a date or an article ({shown})",
                      "set most questions in a workplace situation: a person, a place, a decision to make",
                      key=True)


def is_recall(question: Question, languages: Sequence[str]) -> bool:
    """No one in a situation, or the answer is a figure, a date or an article reference (in any of
    the languages: a translation may name the person where the other says "il")."""
    situation = any(sets_a_situation(question.prompt.get(lang, ""), lang) for lang in languages)
    return not situation or any(asks_for_a_figure(question, lang) for lang in languages)


def sets_a_situation(prompt: str, lang: str) -> bool:
    """Enough words for a scene, and a person in it (a role, a pronoun, someone acting)."""
    return word_count(prompt) >= SITUATION_MIN_WORDS and bool(PERSON_WORDS[lang] & set(folded_words(prompt)))


def asks_for_a_figure(question: Question, lang: str) -> bool:
    """The question asks how many, which year, which article; or its answer is one."""
    asked = RECALL_ASK.get(lang)
    if asked and asked.search(unaccented(question_sentence(question.prompt.get(lang, "")))):
        return True
    answers = right_texts(question, lang)
    if isinstance(question, (SingleChoice, MultipleChoice, FillIn)):
        return bool(answers) and all(is_figure(a) or ARTICLE.search(a) for a in answers)
    if isinstance(question, (Matching, Ordering)):
        sides = [p.left.get(lang, "") for p in question.pairs] if isinstance(question, Matching) else answers
        rights = [p.right.get(lang, "") for p in question.pairs] if isinstance(question, Matching) else []
        return any(_mostly_figures(texts) for texts in (sides, rights) if texts)
    return False


def _mostly_figures(texts: Sequence[str]) -> bool:
    figures = sum(bool(is_figure(t) or ARTICLE.search(t) or re.search(r"\d+(?:[.,]\d+)?\s*%", t)) for t in texts)
    return figures > len(texts) / 2


def reading_time(lesson: Lesson, languages: Sequence[str]) -> Iterator[Finding]:
    """The declared minutes differ from the reading time (about 200 words a minute in French, 230
    in English) by more than half: learners plan around it, and LMS reports show it."""
    declared = lesson.minutes
    estimates = []
    off = False
    for lang in languages:
        count = sum(word_count(texts[lang]) for _, texts in localized_values(lesson)
                    if isinstance(texts.get(lang), str))
        minutes = count / WORDS_PER_MINUTE.get(lang, DEFAULT_WORDS_PER_MINUTE)
        estimates.append(f"{lang}: {count} words, about {max(1, round(minutes))} min")
        off = off or abs(minutes - declared) > max(READING_TOLERANCE * declared, READING_MIN_MINUTES_OFF)
    if off:
        yield Finding("reading-time", ("minutes",),
                      f"declared {plural(declared, 'minute')}, but reading takes a different time "
                      f"({'; '.join(estimates)})",
                      "set `minutes:` to the reading time (plus the time its scenarios ask for), or "
                      "shorten or complete the lesson")
