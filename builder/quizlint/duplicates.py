"""Duplicates: two questions, anywhere in the course's quizzes and exam bank, that test one thing.

The same fact asked four times weighs four times in the scores and leaves other objectives
untested; in the exam, a question the learner met in a module quiz tests memory of that quiz.
Two questions test the same thing when their stem, right answer and explanation (which states
the fact tested) share many content words: token-set (Jaccard) similarity on folded, stemmed
words, averaged over the course's languages. No heavy dependency, a few milliseconds for hundreds
of questions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from builder.model import Question
from builder.quizlint.base import right_texts
from builder.quizlint.language import content_words, jaccard

# Share of content words in common. Each stem sets its own scene (another person, another town), so
# two questions on one fact share about a third of their words: on the real course, the 11 pairs
# at 0.28 or more all test one fact twice; the first distinct pairs come at 0.26.
DUPLICATE_SIMILARITY = 0.28


@dataclass(frozen=True)
class Placed:
    """A question and where it is: its quiz and its index there."""

    quiz_id: str
    index: int
    question: Question


def similar_pairs(questions: Sequence[Placed], languages: Sequence[str]) -> Iterator[tuple[Placed, Placed, float]]:
    """Pairs of questions whose stem, right answer and explanation are alike, most alike first.

    Every pair is compared with set operations (C speed: about 10 ms for the 107 questions of
    the real course, 5,700 pairs)."""
    signatures = [[_signature(p.question, lang) for lang in languages] for p in questions]
    pairs = []
    for first, mine in enumerate(signatures):
        for second in range(first + 1, len(questions)):
            score = sum(map(jaccard, mine, signatures[second])) / max(len(languages), 1)
            if score >= DUPLICATE_SIMILARITY:
                pairs.append((questions[first], questions[second], score))
    yield from sorted(pairs, key=lambda pair: -pair[2])


def _signature(question: Question, lang: str) -> frozenset[str]:
    texts = [question.prompt.get(lang, ""), *right_texts(question, lang), question.explanation.get(lang, "")]
    return frozenset().union(*(content_words(text, lang) for text in texts))  # cached per text by other rules
