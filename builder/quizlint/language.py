"""Words as the quiz-quality rules see them, and the French and English word lists they use.

The rules compare option lengths, look for giveaway words and measure how alike two questions
are. They do it on plain words: Markdown marks, punctuation and case are left out, accents are
folded (`réponse` and `reponse` are one word), and `l'entreprise` counts as `entreprise`. A
language without word lists here is still checked by the rules that only count or compare.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

COMBINING_MARK = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
ELISION = re.compile(r"\b\w{1,2}'")  # l', d', qu', n' (French elisions), in folded text
TOKEN = re.compile(r"\w+")
STEM_LENGTH = 6  # words sharing their first 6 letters count as one ("confidential" / "confidentiality")
CONTENT_MIN_LENGTH = 3



def _word_set(text: str) -> frozenset[str]:
    """A word list written as a paragraph (easier to read and extend than quoted items)."""
    return frozenset(text.split())


STOPWORDS = {
    "en": _word_set("""
        a an the and or but nor of to in on at by for from with without into onto about as than then
        that this these those it its is are was were be been being has have had do does did not no
        so if when which what who whom whose why how there their they them he she his her him you your
        we our us i me my can could may might must should would will shall also only very more most
        any all each every some such other another one two own same both either neither just than
        too yet still even ever after before over under again once here where while because since
        whether true false statement following
    """),
    "fr": _word_set("""
        le la les l un une des du de d au aux et ou mais ni car donc or que qu qui quoi dont ou
        ce cet cette ces se s sa son ses leur leurs il elle ils elles on nous vous je tu lui eux y en
        ne n pas plus moins tres trop est sont etait etaient etre a ont avait avoir fait faire peut
        peuvent doit doivent dans sur sous par pour avec sans chez entre vers apres avant pendant
        comme si quand lorsque aussi ainsi alors meme memes autre autres tout tous toute toutes
        quel quelle quels quelles lequel laquelle lesquels lesquelles vrai faux affirmation
        cela ceci ca c j m t votre vos notre nos mon ma mes ton ta tes
    """),
}

# Words that make a claim absolute; a distractor that has them and a right answer that has none
# teach the learner to eliminate by wording, not by knowledge.
ABSOLUTE_WORDS = {
    "en": {"always", "never", "all", "none", "every", "everyone", "everybody", "everything", "nobody",
           "only", "entirely", "completely", "totally", "absolutely", "certainly", "guaranteed",
           "impossible", "forbidden", "whatever", "automatically", "necessarily"},
    "fr": {"toujours", "jamais", "tous", "toutes", "aucun", "aucune", "seul", "seule", "seuls",
           "seules", "seulement", "uniquement", "totalement", "completement", "absolument", "forcement",
           "obligatoirement", "systematiquement", "automatiquement", "impossible", "garanti", "garantie",
           "interdit", "interdite"},
}

# "All/none of the above": a right answer that is a catch-all is found without reading the others.
CATCH_ALL = {
    "en": re.compile(r"\b(?:all|none|both|neither) (?:of )?(?:the above|these|them|of the (?:above|answers|options))\b"
                     r"|\ball (?:the )?(?:above|answers are correct)\b|\bno (?:correct )?answer\b"),
    "fr": re.compile(r"\b(?:toutes|aucune) (?:de |des )?(?:ces |les )?(?:reponses|propositions|options)"
                     r"|\b(?:tout|aucun) (?:de )?ce qui precede\b|\bles deux (?:premieres|reponses|propositions)\b"
                     r"|\b(?:toutes|aucune) (?:ci-dessus|les reponses ci-dessus)\b"),
}

# A question that asks for what is *not* true: learners who skim miss the negation.
NEGATION = {
    "en": re.compile(r"\b(?:not|except|false|incorrect|wrong)\b|n't\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:ne|n['’]\s*\w+)\b[^.?!]*?\b(?:pas|jamais|aucun|aucune|point)\b"
                     r"|\bsauf\b|\bexcepte\b|\ba l['’]exception\b|\bfausse?s?\b|\binexacte?s?\b", re.IGNORECASE),
}
# Written so that it cannot be missed: in capitals (NOT, SAUF), or in bold or italics.
EMPHASIS_SPAN = re.compile(r"\*\*[^*]+\*\*|\*[^*\s][^*]*\*|(?<!\w)_[^_]+_(?!\w)")

# "Seen in this module": an exam question is drawn away from its module and may come first.
MODULE_REFERENCE = {
    "en": re.compile(r"\b(?:this|the previous|the last|our|the present) (?:module|lesson|chapter|unit|course "
                     r"section)\b|\b(?:seen|covered|studied|presented|discussed) (?:above|earlier|before)\b",
                     re.IGNORECASE),
    "fr": re.compile(r"\b(?:ce|cette|le present|la presente|le dernier|la derniere|le precedent|la precedente) "
                     r"(?:module|lecon|chapitre|partie|section)\b|\b(?:vue?s?|etudiee?s?|presentee?s?) "
                     r"(?:plus haut|precedemment|auparavant|ci-dessus)\b", re.IGNORECASE),
}

# Who or what acts in a situation: a person the learner can picture.
PERSON_WORDS = {
    "en": {"he", "she", "his", "her", "him", "you", "your", "colleague", "colleagues", "manager", "employee",
           "employer", "customer", "client", "team", "boss", "friend", "journalist", "recruiter", "assistant",
           "nurse", "engineer", "agent", "officer", "worker", "technician", "adviser", "advisor", "receives",
           "posts", "wants", "finds"},
    "fr": {"il", "elle", "lui", "vous", "votre", "collegue", "collegues", "manager", "responsable", "salarie",
           "salariee", "employe", "employee", "employeur", "client", "cliente", "equipe", "chef", "ami", "amie",
           "journaliste", "recruteur", "recruteuse", "assistante", "assistant", "infirmiere", "infirmier",
           "ingenieure", "ingenieur", "agent", "agente", "conseiller", "conseillere", "technicien",
           "technicienne", "recoit", "publie", "veut", "souhaite", "decouvre"},
}
SITUATION_MIN_WORDS = 18  # fewer words than this cannot set a scene: "Which right lets you…?"

# Asking for a figure, a date or an article: recall, not judgement.
RECALL_ASK = {
    "en": re.compile(r"\bhow (?:many|much)\b|\bwhat (?:share|percentage|proportion|number|year|date|age)\b"
                     r"|\bin which year\b|\bwhich (?:article|year|date|percentage)\b|\bwithin ___ hours\b",
                     re.IGNORECASE),
    "fr": re.compile(r"\bcombien\b|\bquel(?:le)? (?:part|pourcentage|proportion|nombre|annee|date|age|article)\b"
                     r"|\ben quelle annee\b|\bsous ___ heures\b", re.IGNORECASE),
}
FIGURE = re.compile(r"^\W*(?:(?:art(?:icle|\.)?|§|n[o°]\.?)\s*)?[\d.,  ]+\s*(?:%|h|heures?|hours?|ans?|years?"
                    r"|jours?|days?|mois|months?|€|\$)?\W*$", re.IGNORECASE)

WORDS_PER_MINUTE = {"fr": 200, "en": 230}
DEFAULT_WORDS_PER_MINUTE = 200


@lru_cache(maxsize=8192)
def unaccented(text: str) -> str:
    """The text without accents and with one kind of apostrophe, case kept (NOT stays NOT)."""
    return COMBINING_MARK.sub("", unicodedata.normalize("NFD", text.replace("’", "'")))


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents, with one kind of apostrophe: how two spellings compare."""
    return unaccented(text).lower()


def words(text: str) -> list[str]:
    """The words of a text as a reader counts them (Markdown marks and punctuation are not words)."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


@lru_cache(maxsize=8192)
def folded_words(text: str) -> tuple[str, ...]:
    """The words of a text, folded, elisions dropped, hyphens split: `L'employeur` → `employeur`,
    `doit-il` → `doit`, `il`."""
    return tuple(TOKEN.findall(ELISION.sub(" ", fold(text))))


@lru_cache(maxsize=8192)
def content_words(text: str, lang: str) -> frozenset[str]:
    """The words that carry meaning, cut to their stem: what two texts share when they say the same."""
    stop = STOPWORDS.get(lang, frozenset())
    return frozenset(word if word.isdigit() else word[:STEM_LENGTH] for word in folded_words(text)
                     if word.isdigit() or (len(word) >= CONTENT_MIN_LENGTH and word not in stop))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared words over all words: 1 when two texts use the same words, 0 when none."""
    common = len(first & second)
    union = len(first) + len(second) - common
    return common / union if union else 0.0


@lru_cache(maxsize=4096)
def question_sentence(prompt: str) -> str:
    """The sentence that asks (the last one with a question mark, else the last paragraph): a
    negation in the scene ("he did not know") is not a negative question."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", prompt.strip()) if part.strip()]
    last = paragraphs[-1] if paragraphs else prompt
    asked = re.findall(r"[^.?!]*\?", last)
    if asked:
        return asked[-1].strip()
    sentences = [part for part in re.split(r"(?<=[.!:;])\s+", last) if part.strip()]
    return sentences[-1].strip() if sentences else last


def is_figure(text: str) -> bool:
    """A number, a percentage, a date or an article reference, and little else."""
    return bool(FIGURE.match(text.strip())) and any(char.isdigit() for char in text)
