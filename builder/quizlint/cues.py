"""Cues: what lets a test-wise learner find the right option without knowing the subject.

Item writers qualify the right answer carefully and leave the wrong ones bare, so it ends up the
longest; they write wrong answers as caricatures, with "always" and "never"; they reuse the
question's words in the answer they mean. Learners notice, and the quiz then measures that.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from builder.model import MultipleChoice, Question, SingleChoice, TrueFalse
from builder.quizlint.base import Finding, QuizUnderReview, choice_path
from builder.quizlint.language import (
    ABSOLUTE_WORDS,
    CATCH_ALL,
    EMPHASIS_SPAN,
    NEGATION,
    content_words,
    fold,
    question_sentence,
    unaccented,
    word_count,
    words,
)

LONGEST_RATIO = 1.5  # the right option has at least half as many words again as the longest distractor…
LONGEST_MIN_GAP = 4  # …and at least this many words more ("Yes" vs "No, never" is no cue)
LONGEST_QUIZ_SHARE = 1 / 3  # by chance, the right option of a 4-option question is the longest 1 time in 4
LONGEST_QUIZ_MIN_QUESTIONS = 3
STEM_ECHO_MIN_WORDS = 2  # words of the question that only the right option repeats


def longest_answer(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """The right option is much longer than every distractor: learners pick the longest option
    when in doubt, because writers qualify the right answer and leave the wrong ones bare."""
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        return
    right = [i for i, c in enumerate(question.choices) if c.correct]
    wrong = [i for i, c in enumerate(question.choices) if not c.correct]
    if not right or not wrong:
        return
    found = []
    for lang in languages:
        counts = [word_count(choice.text.get(lang, "")) for choice in question.choices]
        shortest_right = min(counts[i] for i in right)
        longest_wrong = max(counts[i] for i in wrong)
        if shortest_right >= LONGEST_RATIO * longest_wrong and shortest_right - longest_wrong >= LONGEST_MIN_GAP:
            found.append(f"{lang}: {shortest_right} words, distractors {longest_wrong} at most")
    if found:
        yield Finding("longest-answer", choice_path(right[0], languages[0]),
                      f"the correct option is much longer than every distractor ({'; '.join(found)})",
                      "cut the right option to its core, or give the distractors the same detail and "
                      "qualifications")


def longest_answer_quiz(review: QuizUnderReview) -> Iterator[Finding]:
    """Across a quiz, the right option is the longest far more often than chance: even when no
    single question stands out, a learner who always picks the longest option passes."""
    singles = [q for q in review.quiz.questions if isinstance(q, SingleChoice) and len(q.choices) > 1]
    if len(singles) < LONGEST_QUIZ_MIN_QUESTIONS:
        return
    found = []
    for lang in review.languages:
        longest = sum(_right_is_longest(question, lang) for question in singles)
        if longest > LONGEST_QUIZ_SHARE * len(singles):
            found.append(f"{lang}: {longest} of {len(singles)}")
    if found:
        yield Finding("longest-answer-quiz", ("questions",),
                      f"in this quiz the correct option is the longest of its single-choice question too "
                      f"often ({'; '.join(found)}; chance is about 1 in {_typical_options(singles)})",
                      "make a distractor the longest option in some questions, or shorten the right options",
                      key=True)


def _right_is_longest(question: SingleChoice, lang: str) -> bool:
    counts = [(word_count(c.text.get(lang, "")), c.correct) for c in question.choices]
    top = max(count for count, _ in counts)
    return [correct for count, correct in counts if count == top] == [True]


def _typical_options(questions: Sequence[SingleChoice]) -> int:
    return round(sum(len(q.choices) for q in questions) / len(questions))


def all_of_the_above(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """"All of the above", "none of the above", « toutes ces réponses »: a catch-all is found by
    spotting two true options, without knowing the rest, and "above" means nothing once shuffled."""
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        return
    for index, choice in enumerate(question.choices):
        for lang in languages:
            pattern = CATCH_ALL.get(lang)
            if pattern and pattern.search(fold(choice.text.get(lang, ""))):
                yield Finding("all-of-the-above", choice_path(index, lang),
                              f"catch-all option ({lang}): '{choice.text[lang].strip()}'",
                              "replace it with a plausible distractor; for several right answers use "
                              "`type: multiple`")
                break


def absolute_words(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """Absolute words (always, never, jamais, toujours…) only in distractors: learners learn that
    absolute claims are wrong and eliminate by wording. A true/false statement keyed false that
    says "always" teaches the same."""
    if isinstance(question, TrueFalse):
        yield from _absolute_statement(question, languages)
        return
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        return
    for lang in languages:
        absolutes = ABSOLUTE_WORDS.get(lang, set())
        marked = [(i, _absolutes_in(c.text.get(lang, ""), absolutes)) for i, c in enumerate(question.choices)]
        if any(found and question.choices[i].correct for i, found in marked):
            continue
        wrong = [(i, found) for i, found in marked if found]
        if wrong:
            index, found = wrong[0]
            yield Finding("absolute-words", choice_path(index, lang),
                          f"absolute word{'s' if len(found) > 1 else ''} "
                          f"{', '.join(repr(w) for w in found)} only in distractors ({lang})",
                          "qualify the distractor (often, usually, rarely) or let the right option be as "
                          "absolute", needle=found[0])
            return


def _absolute_statement(question: TrueFalse, languages: Sequence[str]) -> Iterator[Finding]:
    if question.answer:
        return
    for lang in languages:
        statement = _last_paragraph(question.prompt.get(lang, ""))
        found = _absolutes_in(statement, ABSOLUTE_WORDS.get(lang, set()))
        if found:
            yield Finding("absolute-words", ("prompt", lang),
                          f"a statement keyed false says {', '.join(repr(w) for w in found)} ({lang}): "
                          "absolute claims are guessed false", "state the claim without the absolute word, "
                          "or key some absolute statements true", needle=found[0])
            return


def _last_paragraph(text: str) -> str:
    parts = [part for part in text.strip().split("\n\n") if part.strip()]
    return parts[-1] if parts else text


def _absolutes_in(text: str, absolutes: set[str]) -> list[str]:
    """The absolute words of a text, as written (for pointing at them)."""
    folded = words(fold(text))
    written = words(text)
    shown = written if len(written) == len(folded) else folded
    return [word for word, key in zip(shown, folded, strict=True) if key in absolutes]


def stem_echo(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """The right option repeats words of the question that no distractor repeats: learners match
    words instead of thinking ("report the *phishing*" under a question about phishing)."""
    if not isinstance(question, (SingleChoice, MultipleChoice)) or all(c.correct for c in question.choices):
        return
    for lang in languages:
        stem = content_words(question.prompt.get(lang, ""), lang)
        shared = [content_words(c.text.get(lang, ""), lang) & stem for c in question.choices]
        by_wrong = set().union(*(s for s, c in zip(shared, question.choices, strict=True) if not c.correct))
        for index, choice in enumerate(question.choices):
            only_right = shared[index] - by_wrong
            if choice.correct and len(only_right) >= STEM_ECHO_MIN_WORDS:
                echoed = [w for w in dict.fromkeys(words(choice.text.get(lang, "")))
                          if content_words(w, lang) & only_right]
                yield Finding("stem-echo", choice_path(index, lang),
                              f"the correct option repeats words of the question that no distractor uses "
                              f"({lang}: {', '.join(repr(w) for w in echoed)})",
                              "reword the right option, or use those words in a distractor too",
                              needle=echoed[0] if echoed else None)
                return


def negative_stem(question: Question, languages: Sequence[str]) -> Iterator[Finding]:
    """A question that asks for what is *not* so ("Which is NOT…", « Lequel n'est pas… »), with
    the negation in plain type: a learner who reads fast answers the opposite question."""
    if isinstance(question, TrueFalse):
        return  # a statement to judge, not a question asked in the negative
    for lang in languages:
        pattern = NEGATION.get(lang)
        sentence = question_sentence(question.prompt.get(lang, ""))
        plain = unaccented(sentence)
        for match in pattern.finditer(plain) if pattern else ():
            if _emphasised(plain, match.start(), match.end()):
                continue
            written = sentence[match.start():match.end()] if len(plain) == len(sentence) else match.group()
            yield Finding("negative-stem", ("prompt", lang),
                          f"negative question with the negation in plain type ({lang}: '{written}')",
                          "ask it positively, or set the negation in capitals or bold: **NOT**, **PAS**",
                          needle=written)
            return


def _emphasised(text: str, start: int, end: int) -> bool:
    """The negation is in capitals (NOT, N'EST PAS, SAUF) or inside **bold** or *italics*."""
    letters = [char for char in text[start:end] if char.isalpha()]
    if len(letters) >= 3 and all(char.isupper() for char in letters):
        return True
    if any(len(word) >= 3 and word.isupper() for word in words(text[start:end])):
        return True
    return any(span.start() < end and start < span.end() for span in EMPHASIS_SPAN.finditer(text))
