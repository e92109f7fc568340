"""Quiz-quality checks (issue 14): each rule finds what an experienced item writer would, in French
and in English, at the right file:line:col, and stays quiet on a well-written question; `lint:`
silences exactly one code with a reason; `--strict` fails on the findings unless the course defers
them as notes, and `bonsens check` always counts them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.model import LINT_CODES

REPO = Path(__file__).parent.parent
MODELINE = "# yaml-language-server: $schema=../../../../schemas/quiz.schema.json\n"
LESSON_MODELINE = "# yaml-language-server: $schema=../../../../../schemas/lesson.schema.json\n"
FINDING = re.compile(r"^(?P<where>\S+:\d+:\d+): (?P<severity>error|warning|note): (?P<message>.*?)"
                     r"(?: \[(?P<code>[a-z-]+)\])?$")
WHY = {"fr": "La charte interne impose de vérifier auprès du service concerné avant toute diffusion publique.",
       "en": "The internal charter requires checking with the relevant department before any public release."}
SCENE = {"fr": "Camille, technicienne dans un laboratoire à Lyon, reçoit un message de son manager sur LinkedIn "
               "au sujet d'un projet confidentiel de son équipe.",
         "en": "Camille, a technician at a laboratory in Lyon, receives a LinkedIn message from her manager "
               "about a confidential project of her team."}


# --------------------------------------------------------------------------- writing a test course


def text(fr: str, en: str | None = None) -> dict[str, str]:
    return {"fr": fr, "en": fr if en is None else en}


def single(qid: str, prompt: dict[str, str], choices: list[tuple[dict[str, str], bool]],
           **extra: Any) -> dict[str, Any]:
    """A single- or multiple-choice question (`type` in extra), every choice with feedback."""
    return {"id": qid, "type": extra.pop("type", "single"), "prompt": prompt,
            "choices": [{"text": t, "correct": right, "feedback": text("Voici pourquoi.", "Here is why.")}
                        for t, right in choices],
            "explanation": extra.pop("explanation", WHY), **extra}


def true_false(qid: str, statement: dict[str, str], answer: bool, **extra: Any) -> dict[str, Any]:
    feedback = {"feedback_true": text("Voici pourquoi.", "Here is why."),
                "feedback_false": text("Voici pourquoi.", "Here is why.")}
    feedback.update(extra)
    return {"id": qid, "type": "true_false", "prompt": statement, "answer": answer, "explanation": WHY,
            **{k: v for k, v in feedback.items() if v is not None}}


def four_options(qid: str, right: dict[str, str], prompt: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """A balanced single-choice question: four options of about the same length."""
    return single(qid, prompt or question(SCENE, "Que doit-elle faire ?", "What should she do?"), [
        (right, True),
        (text("Publier une photo du prototype sur son profil", "Post a photo of the prototype on her profile"), False),
        (text("Répondre au message depuis son téléphone personnel", "Reply to the message from her own phone"),
         False),
        (text("Transférer le message à un ami pour avoir son avis", "Forward the message to a friend for advice"),
         False),
    ], **extra)


def question(scene: dict[str, str], fr: str, en: str) -> dict[str, str]:
    return {"fr": f"{scene['fr']}\n\n{fr}", "en": f"{scene['en']}\n\n{en}"}


RIGHT = text("Demander l'avis du service communication avant tout", "Ask the communications team first of all")
# Questions on unrelated topics, each with its own answer and explanation: no rule should fire on them.
TOPICS = [
    ("Lina, infirmière à Marseille, découvre que son compte personnel a été piraté hier soir. Quel geste "
     "vient en premier ?", "Lina, a nurse in Marseille, finds that her personal account was hijacked last "
     "night. Which step comes first?",
     "Lancer la procédure de récupération du compte", "Start the account recovery procedure",
     "Récupérer l'accès coupe la main au pirate ; prévenir ses contacts vient juste après.",
     "Regaining access locks the attacker out; warning her contacts comes right after."),
    ("Un journaliste appelle Sofia, agente d'accueil d'une usine à Liège, pour commenter un incident survenu "
     "la veille. Que répond-elle ?", "A journalist calls Sofia, a receptionist at a plant in Liège, to comment "
     "on an incident the day before. What does she answer?",
     "Noter sa demande et la transmettre au service presse", "Note his request and pass it to the press office",
     "Seul le service presse parle au nom de l'organisation, même pour confirmer un fait banal.",
     "Only the press office speaks for the organisation, even to confirm a trivial fact."),
    ("Léa, ingénieure sur un site sensible, voit que sa montre publie ses trajets de course à pied en public. "
     "Quel réglage change-t-elle ?", "Léa, an engineer at a sensitive site, sees that her watch posts her "
     "running routes publicly. Which setting does she change?",
     "Masquer le départ et l'arrivée de ses parcours", "Hide the start and end of her routes",
     "Les extrémités d'un tracé révèlent le domicile et l'entrée du site industriel.",
     "The ends of a route reveal her home and the entrance of the industrial site."),
]


def topic(qid: str, index: int) -> dict[str, Any]:
    fr, en, right_fr, right_en, why_fr, why_en = TOPICS[index]
    return four_options(qid, text(right_fr, right_en), text(fr, en), explanation=text(why_fr, why_en))


def write_quiz(root: Path, questions: list[dict[str, Any]], name: str = "q1", **settings: Any) -> None:
    quiz = {"id": name, "title": text("Quiz", "Quiz"), "passing_score": 80, **settings, "questions": questions}
    (root / "quizzes" / f"{name}.yml").write_text(
        MODELINE + yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def report_as(root: Path, setting: str) -> None:
    path = root / "course" / "course.yml"
    path.write_text(re.sub(r"quiz_checks: \w+", f"quiz_checks: {setting}", path.read_text(encoding="utf-8")),
                    encoding="utf-8")


@pytest.fixture
def course(mini: Path) -> Path:
    """The mini course with quiz-quality findings reported as warnings."""
    report_as(mini, "warnings")
    return mini


def check(root: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def findings(root: Path, code: str | None = None, path: str = "quizzes/q1.yml") -> list[dict[str, str]]:
    """The diagnostics of `bonsens check` in one file (of one code), parsed."""
    _, lines = check(root)
    parsed = [m.groupdict() for m in map(FINDING.match, lines) if m]
    return [f for f in parsed if f["where"].startswith(path + ":") and (code is None or f["code"] == code)]


def line_of(root: Path, needle: str, path: str = "quizzes/q1.yml") -> int:
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


# --------------------------------------------------------------------------- each rule, FR and EN

LONG_FR = text("Demander l'avis du service communication, vérifier la clause de confidentialité de son contrat "
               "et attendre l'annonce officielle", "Ask the communications team first of all")
LONG_EN = text("Demander l'avis du service communication avant tout",
               "Ask the communications team, check the confidentiality clause of her contract and wait for "
               "the official announcement")


def longest_quiz(lang: str) -> list[dict[str, Any]]:
    """Three questions whose right option is the longest by one word, in one language only."""
    right = text("Demander l'avis du service communication avant toute publication sur les réseaux",
                 "Ask the communications team") if lang == "fr" else \
        text("Demander l'avis du service", "Ask the communications team first of all before posting anything")
    return [four_options(f"q1-long-{i}", right) for i in range(3)]


def balanced_quiz() -> list[dict[str, Any]]:
    short = text("Demander au service", "Ask the team")
    return [four_options("q1-a", short), four_options("q1-b", short), four_options("q1-c", RIGHT)]


CASES: list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]] = [
    # code, language, questions that trigger it, questions that must not, quiz settings
    ("longest-answer", "fr", [four_options("q1-x", LONG_FR)], [four_options("q1-x", RIGHT)], {}),
    ("longest-answer", "en", [four_options("q1-x", LONG_EN)], [four_options("q1-x", RIGHT)], {}),
    ("longest-answer-quiz", "fr", longest_quiz("fr"), balanced_quiz(), {}),
    ("longest-answer-quiz", "en", longest_quiz("en"), balanced_quiz(), {}),
    ("true-false-balance", "fr", [true_false(f"q1-tf{i}", question(SCENE, "Vrai ou faux : elle peut publier.",
                                                                    "True or false: she may post."), False)
                                  for i in range(4)],
     [true_false(f"q1-tf{i}", question(SCENE, "Vrai ou faux : elle peut publier.", "True or false: she may post."),
                 i % 2 == 0) for i in range(4)], {}),
    ("key-position", "en", [four_options(f"q1-k{i}", RIGHT) for i in range(4)],
     [four_options(f"q1-k{i}", RIGHT) for i in range(4)], {"shuffle_choices": False}),
    ("multiple-all-or-one", "fr",
     [single("q1-m", question(SCENE, "Lesquelles ?", "Which ones?"), [(RIGHT, True), (text("Attendre", "Wait"), True)],
             type="multiple")],
     [single("q1-m", question(SCENE, "Lesquelles ?", "Which ones?"),
             [(RIGHT, True), (text("Attendre", "Wait"), True), (text("Publier", "Post"), False)], type="multiple")],
     {}),
    ("multiple-all-or-one", "en",
     [single("q1-m", question(SCENE, "Lesquelles ?", "Which ones?"), [(RIGHT, True), (text("Publier", "Post"), False)],
             type="multiple")], [], {}),
    ("all-of-the-above", "fr", [four_options("q1-x", text("Toutes ces réponses", "Ask her manager first"))],
     [four_options("q1-x", RIGHT)], {}),
    ("all-of-the-above", "en", [four_options("q1-x", text("Demander à son manager", "All of the above"))],
     [four_options("q1-x", RIGHT)], {}),
    ("absolute-words", "fr",
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(RIGHT, True), (text("Il faut toujours accepter la demande", "Accept the request at once"), False)])],
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(text("Toujours demander l'avis du service", "Always ask the team"), True),
              (text("Il faut toujours accepter la demande", "Always accept the request"), False)])], {}),
    ("absolute-words", "en",
     [true_false("q1-tf", question(SCENE, "Vrai ou faux : elle peut publier.",
                                   "True or false: she may never post about her work."), False)],
     [true_false("q1-tf", question(SCENE, "Vrai ou faux : elle peut publier.",
                                   "True or false: she may never post about her work."), True)], {}),
    ("stem-echo", "fr",
     [single("q1-x", text("Que faire d'un courriel d'hameçonnage bancaire ?", "What to do?"),
             [(text("Signaler ce courriel d'hameçonnage", "Report it"), True),
              (text("Cliquer sur le lien pour voir", "Click the link to see"), False),
              (text("Répondre pour demander qui écrit", "Reply to ask who writes"), False)])],
     [single("q1-x", text("Que faire d'un courriel d'hameçonnage bancaire ?", "What to do?"),
             [(text("Signaler ce courriel d'hameçonnage", "Report it"), True),
              (text("Transférer ce courriel d'hameçonnage", "Click the link to see"), False),
              (text("Répondre pour demander qui écrit", "Reply to ask who writes"), False)])], {}),
    ("stem-echo", "en",
     [single("q1-x", text("Que faire ?", "What should you do with a banking phishing email?"),
             [(text("Le signaler", "Report the phishing email"), True),
              (text("Cliquer", "Click the link to see"), False), (text("Répondre", "Reply to ask"), False)])],
     [single("q1-x", text("Que faire ?", "What should you do with a banking phishing email?"),
             [(text("Le signaler", "Report the phishing email"), True),
              (text("Cliquer", "Forward the phishing email"), False), (text("Répondre", "Reply to ask"), False)])], {}),
    ("negative-stem", "fr", [four_options("q1-x", RIGHT, question(SCENE, "Que ne doit-elle pas faire ?", "What now?"))],
     [four_options("q1-x", RIGHT, question(SCENE, "Que ne doit-elle **pas** faire ?", "What now?"))], {}),
    ("negative-stem", "en", [four_options("q1-x", RIGHT, question(SCENE, "Et ?", "Which step is not useful?"))],
     [four_options("q1-x", RIGHT, question(SCENE, "Et ?", "Which step is NOT useful?"))], {}),
    ("overlapping-options", "fr",
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(text("Signaler le message au service informatique", "Report it to IT"), True),
              (text("Signaler le message", "Delete it"), False)])],
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(text("Signaler le message au service informatique", "Report it to IT"), True),
              (text("Supprimer le message sans le lire", "Delete it"), False)])], {}),
    ("overlapping-options", "en",
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(text("Signaler", "Report the message to IT"), True),
              (text("Supprimer", "report the message to IT."), False)])],
     [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
             [(text("Signaler", "Report the message to IT"), True), (text("Supprimer", "Delete it unread"), False)])],
     {}),
    ("fill-in-ambiguous", "fr",
     [{"id": "q1-f", "type": "fill_in", "prompt": question(SCENE, "Le ___ .", "The ___ ."),
       "answers": {"fr": ["a"], "en": ["GDPR"]}, "explanation": WHY}],
     [{"id": "q1-f", "type": "fill_in", "prompt": question(SCENE, "Le ___ .", "The ___ ."),
       "answers": {"fr": ["RGPD"], "en": ["GDPR"]}, "explanation": WHY}], {}),
    ("fill-in-ambiguous", "en",
     [{"id": "q1-f", "type": "fill_in", "prompt": question(SCENE, "Le ___ .", "The ___ ."),
       "answers": {"fr": ["RGPD"], "en": [f"answer{i}" for i in range(9)]}, "explanation": WHY}], [], {}),
    ("matching-duplicate-right", "fr",
     [{"id": "q1-p", "type": "matching", "prompt": text("Associez.", "Match."), "explanation": WHY,
       "pairs": [{"left": text("Vol de compte", "Hijacked account"), "right": text("La CNIL", "The IT team")},
                 {"left": text("Plainte", "Complaint"), "right": text("la CNIL", "The data authority")}]}],
     [{"id": "q1-p", "type": "matching", "prompt": text("Associez.", "Match."), "explanation": WHY,
       "pairs": [{"left": text("Vol de compte", "Hijacked account"), "right": text("Le service informatique",
                                                                                  "The IT team")},
                 {"left": text("Plainte", "Complaint"), "right": text("La CNIL", "The data authority")}]}], {}),
    ("missing-feedback", "fr", [true_false("q1-tf", question(SCENE, "Vrai ?", "True?"), False, feedback_true=None)],
     [true_false("q1-tf", question(SCENE, "Vrai ?", "True?"), False, feedback_false=None)], {}),
    ("explanation-repeats-answer", "fr",
     [four_options("q1-x", RIGHT, explanation=text("Demander l'avis du service communication.", WHY["en"]))],
     [four_options("q1-x", RIGHT)], {}),
    ("explanation-repeats-answer", "en",
     [four_options("q1-x", RIGHT, explanation=text(WHY["fr"], "Ask the communications team."))],
     [four_options("q1-x", RIGHT)], {}),
    ("recall-heavy-quiz", "fr",
     [four_options(f"q1-r{i}", RIGHT, question(SCENE, "Combien de groupes bloquaient ?", "Which rule applies?"))
      for i in range(4)],
     [four_options(f"q1-r{i}", RIGHT) for i in range(4)], {}),
    ("recall-heavy-quiz", "en",
     [four_options(f"q1-r{i}", RIGHT, question(SCENE, "Quelle règle ?", "What share of groups blocked access?"))
      for i in range(4)],
     [four_options(f"q1-r{i}", RIGHT) for i in range(4)], {}),
]


@pytest.mark.parametrize(("code", "lang", "bad", "good", "settings"), CASES,
                         ids=[f"{case[0]}-{case[1]}" for case in CASES])
def test_rule_finds_the_fault_and_spares_the_good_question(course: Path, code: str, lang: str,
                                                           bad: list[dict[str, Any]], good: list[dict[str, Any]],
                                                           settings: dict[str, Any]) -> None:
    write_quiz(course, bad, **settings)
    found = findings(course, code)
    assert found, f"{code} not found in {findings(course)}"
    assert all(f["severity"] == "warning" for f in found)
    language_free = {"true-false-balance", "key-position", "multiple-all-or-one", "missing-feedback",
                     "recall-heavy-quiz"}
    assert code in language_free or any(lang in f["message"] for f in found), found
    if good:
        write_quiz(course, good, **({} if code == "key-position" else settings))
        assert findings(course, code) == []


def test_findings_point_at_the_option_or_word_at_fault(course: Path) -> None:
    write_quiz(course, [single("q1-x", question(SCENE, "Que faire ?", "What to do?"),
                               [(LONG_FR, True), (text("Il faut toujours publier", "Post it at once"), False),
                                (text("Toutes ces réponses", "Wait and see"), False)])])
    path = course / "quizzes/q1.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    long_line = line_of(course, "Demander l'avis du service communication, vérifier")
    always = line_of(course, "Il faut toujours publier")
    wheres = {f["code"]: f["where"] for f in findings(course)}
    assert wheres["longest-answer"] == f"quizzes/q1.yml:{long_line}:{lines[long_line - 1].index('Demander') + 1}"
    assert wheres["absolute-words"] == f"quizzes/q1.yml:{always}:{lines[always - 1].index('toujours') + 1}"
    catch_all = line_of(course, "Toutes ces réponses")
    assert wheres["all-of-the-above"] == f"quizzes/q1.yml:{catch_all}:{lines[catch_all - 1].index('Toutes') + 1}"


def test_duplicates_are_reported_at_both_questions_across_quizzes(course: Path) -> None:
    asked = question(SCENE, "Peut-elle publier la photo du prototype sur LinkedIn avant l'annonce ?",
                     "May she post the photo of the prototype on LinkedIn before the announcement?")
    twin = question({"fr": SCENE["fr"].replace("Camille", "Nadia"), "en": SCENE["en"].replace("Camille", "Nadia")},
                    "Peut-elle publier la photo du prototype sur LinkedIn avant l'annonce officielle ?",
                    "May she post the prototype's photo on LinkedIn before the official announcement?")
    write_quiz(course, [four_options("q1-dup", RIGHT, asked), topic("q1-other", 0)])
    write_quiz(course, [four_options("exam-dup", RIGHT, twin), topic("exam-1", 1), topic("exam-2", 2)],
               name="exam", draw=2)
    in_quiz = findings(course, "duplicate-question")
    in_exam = findings(course, "duplicate-question", "quizzes/exam.yml")
    quiz_line, exam_line = line_of(course, "id: q1-dup"), line_of(course, "id: exam-dup", "quizzes/exam.yml")
    assert [f["where"] for f in in_quiz] == [f"quizzes/q1.yml:{quiz_line}:7"], in_quiz
    assert [f["where"] for f in in_exam] == [f"quizzes/exam.yml:{exam_line}:7"]
    assert f"'exam-dup' at quizzes/exam.yml:{exam_line}:7" in in_quiz[0]["message"]
    assert f"'q1-dup' at quizzes/q1.yml:{quiz_line}:7" in in_exam[0]["message"]


def test_distinct_questions_are_not_duplicates(course: Path) -> None:
    write_quiz(course, [four_options("q1-a", RIGHT), topic("q1-b", 0), topic("q1-c", 1), topic("q1-d", 2)])
    assert findings(course, "duplicate-question") == []


def test_exam_question_must_not_refer_to_its_module(course: Path) -> None:
    module_words = text("Selon l'enquête vue dans ce module, que faire ?",
                        "According to the survey covered in this lesson, what to do?")
    exam = [topic("exam-1", 1), topic("exam-2", 2)]
    write_quiz(course, [four_options("exam-ref", RIGHT, module_words), *exam], name="exam", draw=2)
    found = findings(course, "exam-refers-to-module", "quizzes/exam.yml")
    assert len(found) == 1 and "'ce module' (fr)" in found[0]["message"]
    write_quiz(course, [four_options("exam-ref", RIGHT, text("Que faire ?", module_words["en"])), *exam],
               name="exam", draw=2)
    assert "'this lesson' (en)" in findings(course, "exam-refers-to-module", "quizzes/exam.yml")[0]["message"]
    write_quiz(course, [four_options("q1-ref", RIGHT, module_words)])  # a module quiz may say it
    assert findings(course, "exam-refers-to-module") == []


def test_course_wide_true_false_balance_is_reported_on_course_yml(course: Path) -> None:
    statements = [true_false(f"q1-tf{i}", question(SCENE, f"Vrai ou faux : cas {i}.", f"True or false: case {i}."),
                             i == 0) for i in range(3)]
    write_quiz(course, statements)
    write_quiz(course, [dict(s, id=s["id"].replace("q1", "exam"), answer=False) for s in statements], name="exam",
               draw=2)
    found = findings(course, "true-false-balance", "course/course.yml")
    assert [f["message"] for f in found] == ["5 of the 6 true/false statements in the course's quizzes are keyed false"]
    assert findings(course, "true-false-balance") == []  # 3 in one quiz: too few to judge


@pytest.mark.parametrize(("lang", "words_fr", "words_en", "minutes", "found"), [
    ("fr", 2000, 2300, 10, False),  # 10 min at 200 and 230 words a minute
    ("fr", 600, 2300, 10, True),  # 3 min of French
    ("en", 2000, 4600, 10, True),  # 20 min of English
    ("en", 200, 230, 1, False),  # a one-minute lesson
])
def test_reading_time_against_declared_minutes(course: Path, lang: str, words_fr: int, words_en: int, minutes: int,
                                               found: bool) -> None:
    path = course / "course/lessons/m1/l2.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["minutes"] = minutes
    data["sections"] = [{"title": text("Partie", "Part"),
                         "body": {"fr": "mot " * (words_fr - 20), "en": "word " * (words_en - 20)}}]
    path.write_text(LESSON_MODELINE + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    reported = findings(course, "reading-time", "course/lessons/m1/l2.yml")
    assert bool(reported) is found
    if found:
        minutes_line = line_of(course, "minutes:", "course/lessons/m1/l2.yml")
        assert reported[0]["where"] == f"course/lessons/m1/l2.yml:{minutes_line}:10"
        assert f"{lang}: " in reported[0]["message"]


# --------------------------------------------------------------------------- silencing, severity, counts


def test_lint_ignore_silences_exactly_that_code(course: Path) -> None:
    bad = four_options("q1-x", LONG_FR, explanation=text("Demander l'avis du service communication.", WHY["en"]))
    write_quiz(course, [bad])
    assert {f["code"] for f in findings(course)} >= {"longest-answer", "explanation-repeats-answer"}
    write_quiz(course, [dict(bad, lint={"ignore": ["longest-answer"], "reason": "the long option quotes the rule"})])
    codes = {f["code"] for f in findings(course)}
    assert "longest-answer" not in codes and "explanation-repeats-answer" in codes


def test_lint_on_a_quiz_or_the_course_silences_its_rules(course: Path, edit) -> None:
    quiz = [four_options(f"q1-k{i}", RIGHT) for i in range(4)]
    write_quiz(course, quiz, shuffle_choices=False, lint={"ignore": ["key-position"], "reason": "kept in order"})
    assert findings(course, "key-position") == []
    write_quiz(course, quiz, shuffle_choices=False)
    assert findings(course, "key-position")
    edit(course / "course/course.yml", "quiz_checks: warnings",
         "quiz_checks: warnings\nlint: {ignore: [key-position], reason: a course for a fixed-order exam}")
    assert findings(course, "key-position") == []


def test_lint_ignore_needs_a_reason_and_known_codes(course: Path) -> None:
    write_quiz(course, [dict(four_options("q1-x", RIGHT), lint={"ignore": ["longest-answer"]})])
    code, lines = check(course)
    at = line_of(course, "lint:")
    assert code == 1
    assert f"quizzes/q1.yml:{at + 1}:5: error: missing required key 'reason'" in lines
    write_quiz(course, [dict(four_options("q1-x", RIGHT), lint={"ignore": ["longest-answr"], "reason": "typo"})])
    code, lines = check(course)
    assert code == 1
    typo = line_of(course, "- longest-answr")
    column = (course / "quizzes/q1.yml").read_text(encoding="utf-8").splitlines()[typo - 1].index("longest-answr") + 1
    assert f"quizzes/q1.yml:{typo}:{column}: error: item 1 of 'ignore' cannot be 'longest-answr'" in lines
    write_quiz(course, [dict(four_options("q1-x", RIGHT), lint={"ignore": ["longest-answer"], "reason": "  "})])
    assert check(course)[0] == 1


def test_strict_fails_on_quiz_warnings_and_always_prints_the_count(course: Path) -> None:
    write_quiz(course, [four_options("q1-x", LONG_FR)])
    code, lines = check(course)
    assert code == 0
    count = next(line for line in lines if line.startswith("quiz checks:"))
    assert count.startswith("quiz checks: ") and " 0 note(s) (" in count and "longest-answer 1" in count
    code, lines = check(course, "--strict")
    assert code == 1
    assert lines[-1].endswith("warning(s)") and lines[-1] != "0 error(s), 0 warning(s)"


def test_notes_keep_strict_green_and_are_still_counted(course: Path) -> None:
    report_as(course, "notes")
    write_quiz(course, [four_options("q1-x", LONG_FR)])
    code, lines = check(course, "--strict")
    assert code == 0
    assert any(": note: the correct option is much longer than every distractor" in line
               and line.endswith("[longest-answer]") for line in lines)
    count = next(line for line in lines if line.startswith("quiz checks:"))
    assert count.startswith("quiz checks: 0 warning(s), ") and "longest-answer 1" in count
    assert lines[-1] == "✓ course is clean"


def test_clean_course_prints_a_zero_count(course: Path) -> None:
    write_quiz(course, [four_options("q1-x", RIGHT)])
    for name in ("l1", "l2"):  # the fixture's lessons are far shorter than their minutes
        path = course / f"course/lessons/m1/{name}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(LESSON_MODELINE + yaml.safe_dump(dict(data, lint={"ignore": ["reading-time"],
                                                                          "reason": "a test"}),
                                                         allow_unicode=True, sort_keys=False), encoding="utf-8")
    write_quiz(course, [topic("exam-0", 0), topic("exam-1", 1), topic("exam-2", 2)], name="exam", draw=1)
    code, lines = check(course, "--strict")
    assert code == 0, lines
    assert lines[-2:] == ["quiz checks: 0 warning(s), 0 note(s)", "✓ course is clean"]


def test_every_code_is_documented() -> None:
    doc = (REPO / "docs" / "quiz-checks.md").read_text(encoding="utf-8")
    for code in LINT_CODES:
        assert f"### `{code}`" in doc, code
    assert "docs/quiz-checks.md" in (REPO / "README.md").read_text(encoding="utf-8")
