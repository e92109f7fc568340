"""Organisation settings (issue 15): the file, its placeholders in every text, its checks, --org."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree, html

from builder.buildstate import BuildRequest, inputs_digest
from builder.cli import main
from builder.loader import load_project
from builder.organisation import TEXT_LIMIT, Organisation
from builder.placeholders import resolve_text
from builder.schema import schema_for

REPO = Path(__file__).parent.parent
LESSON = Path("course/lessons/m1/l1.yml")
QUIZ = Path("quizzes/q1.yml")

EVERY_KIND = """\
name: Meubles Boréal inc.
contacts:
  security:
    label: {fr: l'équipe sécurité, en: the security team}
    email: securite@boreal.example
    phone: "+1 418 555-0142"
  whistleblowing:
    label: la ligne de signalement
    url: https://signalement.boreal.example/form?a=1&b=2
  hr:
    label: les RH
    phone: "2300"
policies:
  it-charter: {title: {fr: Charte TI, en: IT charter}, url: "https://intranet.boreal.example/ti"}
countries: [ca-qc]
elsewhere: fold
"""
HOSTILE_NAME = '<img src=x onerror=alert(1)> *bold* [x](javascript:alert(1)) {: onclick="alert(1)"} &amp; `code`'


def placeholders(root: Path) -> None:
    """Placeholders in a lesson title and body, a quiz prompt and choice, the course title and description."""
    def edit(path: Path, old: str, new: str) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        (root / path).write_text(text.replace(old, new), encoding="utf-8")

    edit(LESSON, "fr: Première leçon", "fr: Leçon de {org.name|votre organisation}")
    edit(LESSON, "en: First lesson", "en: A lesson for {org.name|your organisation}")
    edit(LESSON, "Un paragraphe avec", "Écrivez à {org.contacts.security|votre service informatique} ; "
         "signalez à {org.contacts.whistleblowing.url|votre canal d'alerte} ; lisez "
         "{org.policies.it-charter|votre charte}. Un paragraphe avec")
    edit(LESSON, "A paragraph with", "Write to {org.contacts.security|your IT team}; read "
         "{org.policies.it-charter|your charter}. Call {org.contacts.hr|HR}. A paragraph with")
    edit(QUIZ, "fr: Quelle réponse ?", "fr: Qui prévenir chez {org.name|votre organisation} ?")
    edit(QUIZ, "en: Which answer?", "en: Whom to tell at {org.name|your organisation}?")
    edit(QUIZ, "{fr: La bonne, en: The right one}",
         "{fr: \"{org.contacts.security|Le service informatique}\", en: \"{org.contacts.security|IT}\"}")
    edit(Path("course/course.yml"), "fr: Mini-cours", "fr: Mini-cours pour {org.name|votre organisation}")
    edit(Path("course/course.yml"), "en: A tiny course for the tests.",
         "en: A tiny course; ask {org.contacts.security|your IT team}.")


def build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", str(root), "--quiet", *args])
    assert result.exit_code == 0, result.output
    return result.output


def page(root: Path, lang: str, path: str) -> str:
    """A page's HTML, its French typography (narrow spaces, ’) made plain for comparing."""
    text = (root / "site" / ("" if lang == "fr" else "en") / path).read_text(encoding="utf-8")
    return text.translate({0x202F: " ", 0xA0: " ", 0x2019: "'"})


def quiz_data(root: Path, lang: str) -> dict:
    tree = html.fromstring(page(root, lang, "m1/q1.html"))
    return json.loads(tree.xpath('//script[contains(@class, "bs-quiz-data")]')[0].text)


def manifest(root: Path, lang: str) -> str:
    with zipfile.ZipFile(root / "dist" / f"mini-course-1.0.0-{lang}-scorm2004.zip") as archive:
        return archive.read("imsmanifest.xml").decode("utf-8")


def errors(root: Path, *org: Path) -> list[str]:
    _, problems = load_project(root, *org)
    return [f"{p.location}: {p.message}" for p in problems if p.severity == "error"]


# --------------------------------------------------------------------------- resolved everywhere


def test_without_an_organisation_file_every_placeholder_reads_its_fallback(mini: Path) -> None:
    placeholders(mini)
    build(mini)
    assert "Leçon de votre organisation" in page(mini, "fr", "m1/l1.html")
    assert "Écrivez à votre service informatique ; signalez à votre canal d'alerte ; lisez votre charte." \
        in page(mini, "fr", "m1/l1.html")
    assert "Write to your IT team; read your charter." in page(mini, "en", "m1/l1.html")
    question = quiz_data(mini, "en")["questions"][0]
    assert "Whom to tell at your organisation?" in json.dumps(question)
    assert "Mini-cours pour votre organisation" in manifest(mini, "fr")
    assert "A tiny course; ask your IT team." in manifest(mini, "en")
    assert not any("{org." in p.read_text(encoding="utf-8", errors="replace")
                   for p in (mini / "site").rglob("*.html"))


def test_organisation_values_reach_pages_quiz_texts_and_manifests_in_both_languages(mini: Path) -> None:
    placeholders(mini)
    (mini / "organisation.yml").write_text(EVERY_KIND, encoding="utf-8")
    build(mini)
    fr, en = page(mini, "fr", "m1/l1.html"), page(mini, "en", "m1/l1.html")
    assert "Leçon de Meubles Boréal inc." in fr and "A lesson for Meubles Boréal inc." in en
    body = html.fromstring(fr)
    links = {a.get("href"): a.text_content() for a in body.iter("a")}
    assert links["mailto:securite@boreal.example"] == "securite@boreal.example"
    assert links["tel:+14185550142"] == "+1\u00a0418\u00a0555-0142"
    raw = (mini / "site" / "m1" / "l1.html").read_text(encoding="utf-8")
    assert ">+1&nbsp;418&nbsp;555-0142</a>" in raw  # on one line: never "+1", then "418…" below
    english = html.fromstring(en)
    assert "Call les RH (2300)." in english.text_content()  # an internal extension: not a number to dial
    assert [a.get("href") for a in english.iter("a") if a.get("href", "").startswith("tel:")] == ["tel:+14185550142"]
    assert links["https://signalement.boreal.example/form?a=1&b=2"] == "https://signalement.boreal.example/form?a=1&b=2"
    assert links["https://intranet.boreal.example/ti"] == "Charte TI"
    assert "Écrivez à l'équipe sécurité (securite@boreal.example, +1\u00a0418\u00a0555-0142)" in body.text_content()
    assert "Write to the security team (securite@boreal.example, +1\u00a0418\u00a0555-0142); read IT charter." \
        in english.text_content()
    for lang, prompt, choice in (("fr", "Qui prévenir chez Meubles Boréal inc.", "l'équipe sécurité"),
                                 ("en", "Whom to tell at Meubles Boréal inc.?", "the security team")):
        question = json.dumps(quiz_data(mini, lang)["questions"][0], ensure_ascii=False)
        assert prompt in question and choice in question and "mailto:securite@boreal.example" in question
    assert "Mini-cours pour Meubles Boréal inc." in manifest(mini, "fr")
    assert "A tiny course; ask the security team" in manifest(mini, "en")


def test_hostile_values_stay_text_on_the_site_and_in_the_packages(mini: Path) -> None:
    placeholders(mini)
    (mini / "organisation.yml").write_text(yaml.safe_dump({"name": HOSTILE_NAME, "contacts": {"security": {
        "label": "x" * TEXT_LIMIT, "email": "a@b.example"}}}), encoding="utf-8")
    build(mini)
    for lang in ("fr", "en"):
        tree = html.fromstring(page(mini, lang, "m1/l1.html"))
        assert not tree.xpath("//article//img[@src='x'] | //*[@onerror] | //*[@onclick] | //article//strong"
                              "[.='bold'] | //a[starts-with(@href, 'javascript')]")
        # as typed (French typography spaces `;` and curls quotes)
        shown = HOSTILE_NAME if lang == "en" else HOSTILE_NAME.split(" {:")[0]
        assert shown in tree.xpath("string(//h1)")
        assert "x" * TEXT_LIMIT in tree.text_content()
        prompt = html.fragment_fromstring(quiz_data(mini, lang)["questions"][0]["prompt_html"], create_parent="div")
        assert HOSTILE_NAME.split(" {:")[0] in prompt.text_content()  # quiz texts curl the quotes
        assert not prompt.xpath("//img | //a | //strong | //code | //*[@onclick]")
    # In the LMS, as typed too: plain text, no Markdown escape left
    title = etree.fromstring(manifest(mini, "fr").encode()).find(".//{*}organization/{*}title").text
    assert title.startswith("Mini-cours pour " + HOSTILE_NAME.split(" {:")[0])
    description = etree.fromstring(manifest(mini, "en").encode()).find(".//{*}description/{*}string").text
    assert description == f"A tiny course; ask {'x' * TEXT_LIMIT} (a@b.example)."


def test_a_value_in_markdown_and_in_plain_text_is_escaped_for_each() -> None:
    organisation = Organisation(name="*a* <b> [x](y) #1 ~~z~~", policies={
        "privacy": {"title": "P", "url": "https://p.example/?q=(1)"}})
    markdown = resolve_text("{org.name|x} {org.policies.privacy|y}", organisation, "fr", markdown=True)
    assert markdown == r"\*a\* &lt;b&gt; \[x\]\(y\) #1 \~\~z\~\~ [P](https://p.example/?q=%281%29)"
    plain = resolve_text("{org.name|x} {org.policies.privacy|y}", organisation, "fr", markdown=False)
    assert plain == r"\*a\* <b> \[x\]\(y\) #1 \~\~z\~\~ P"  # `<` is escaped by markdown_inline
    assert resolve_text("{org.name|x}", Organisation(name="# Title"), "fr", markdown=True) == r"\# Title"
    assert resolve_text("{org.contacts.dpo|votre DPO}", Organisation(), "fr", markdown=True) == "votre DPO"


# --------------------------------------------------------------------------- checks, located


@pytest.mark.parametrize(("text", "column", "message"), [
    ("Voir {org.contacts.securty|x}.", 14, "unknown placeholder 'org.contacts.securty'"),
    ("Voir {org.name}.", 14, "placeholder 'org.name' has no fallback"),
    ("Voir {org.name|  }.", 14, "placeholder 'org.name' has no fallback"),
    ("Voir {org.name|x.", 14, "malformed placeholder"),
])
def test_placeholder_mistakes_are_reported_at_their_place(mini: Path, text: str, column: int, message: str) -> None:
    path = mini / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("Un paragraphe avec", text + " Un paragraphe avec"),
                    encoding="utf-8")
    found = errors(mini)
    assert len(found) == 1 and found[0].startswith(f"{LESSON.as_posix()}:19:{column}: {message}"), found


def test_the_hint_names_the_placeholder_meant() -> None:
    from builder.placeholders import PLACEHOLDER, _problem

    assert "org.contacts.security" in str(_problem(PLACEHOLDER.match("{org.contacts.securty|x}")))


@pytest.mark.parametrize(("line", "value", "message"), [
    (4, "    url: javascript:alert(1)", "'security.url' 'javascript:alert(1)' is not in the expected form"),
    (4, "    email: a@b", "'security.email' 'a@b' is not in the expected form"),
    (4, "    phone: call me", "'security.phone' 'call me' is not in the expected form"),
    (4, f"    url: https://a.example/{'x' * 500}", "'security.url'"),
    (4, "    url: https://a.example/<script>", "is not in the expected form"),
])
def test_malformed_values_in_the_organisation_file_are_reported_at_their_line(
        mini: Path, line: int, value: str, message: str) -> None:
    (mini / "organisation.yml").write_text(f"contacts:\n  security:\n    label: IT\n{value}\n", encoding="utf-8")
    found = errors(mini)
    assert len(found) == 1 and found[0].startswith(f"organisation.yml:{line}:") and message in found[0], found


def test_a_too_long_or_multi_line_label_is_one_error_with_a_hint(mini: Path) -> None:
    (mini / "organisation.yml").write_text(f"name: {'n' * (TEXT_LIMIT + 1)}\ncontacts:\n  hr:\n"
                                           "    label: \"a\\nb\"\n", encoding="utf-8")
    _, problems = load_project(mini)
    found = [p for p in problems if p.severity == "error"]
    assert [(p.line, p.column) for p in found] == [(1, 7), (4, 12)]
    assert all(p.hint and "one line" in p.hint for p in found)


def test_an_unknown_role_and_a_missing_logo_are_errors(mini: Path) -> None:
    (mini / "organisation.yml").write_text("contacts:\n  boss: {label: X}\n", encoding="utf-8")
    assert any("'boss'" in e and e.startswith("organisation.yml:2:") for e in errors(mini))
    (mini / "organisation.yml").write_text("logo: images/nope.png\n", encoding="utf-8")
    assert errors(mini) == ["organisation.yml:1:7: image not found: 'images/nope.png'"]
    (mini / "organisation.yml").write_text("logo: images/diagram.svg\n", encoding="utf-8")
    assert errors(mini) == []


# --------------------------------------------------------------------------- --org, rebuilds, schema


def test_org_option_chooses_the_file_for_check_and_build(mini: Path, tmp_path: Path) -> None:
    placeholders(mini)
    (mini / "organisation.yml").write_text("name: Default inc.\n", encoding="utf-8")
    other = tmp_path / "other.yml"
    other.write_text("name: Other corp.\ncontacts:\n  hr: {label: RH, url: 'javascript:x'}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(mini), "--org", str(other)])
    assert result.exit_code == 1 and f"{other.as_posix()}:3:" in result.output
    other.write_text("name: Other corp.\n", encoding="utf-8")
    build(mini, "--site", "--org", str(other))
    assert "Leçon de Other corp." in page(mini, "fr", "m1/l1.html")
    build(mini, "--site")
    assert "Leçon de Default inc." in page(mini, "fr", "m1/l1.html")
    missing = CliRunner().invoke(main, ["check", str(mini), "--org", str(tmp_path / "nope.yml")])
    assert missing.exit_code == 1 and "organisation file not found" in missing.output


def test_a_change_to_the_organisation_file_forces_a_rebuild(mini: Path, tmp_path: Path) -> None:
    request = BuildRequest()
    before = inputs_digest(mini, request)
    (mini / "organisation.yml").write_text("name: A\n", encoding="utf-8")
    with_file = inputs_digest(mini, request)
    (mini / "organisation.yml").write_text("name: B\n", encoding="utf-8")
    assert len({before, with_file, inputs_digest(mini, request)}) == 3
    elsewhere = tmp_path / "org.yml"
    elsewhere.write_text("name: A\n", encoding="utf-8")
    given = BuildRequest(organisation=str(elsewhere))
    first = inputs_digest(mini, given)
    elsewhere.write_text("name: C\n", encoding="utf-8")
    assert inputs_digest(mini, given) != first


def test_the_committed_schema_is_current_and_the_example_matches_it(tmp_path: Path) -> None:
    committed = json.loads((REPO / "schemas" / "organisation.schema.json").read_text(encoding="utf-8"))
    assert committed == schema_for(Organisation, ["fr", "en"])
    example = REPO / "examples" / "organisation-quebec.yml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    jsonschema.validate(data, committed)
    assert data["countries"] == ["ca-qc"]
    assert re.search(r"@|https?://", example.read_text(encoding="utf-8"))
    assert all(host.endswith(".example") for host in re.findall(r"(?:@|://)([\w.-]+)", example.read_text("utf-8")))


def test_the_real_course_builds_with_the_example_organisation(tmp_path: Path) -> None:
    root = tmp_path / "course"
    for folder in ("course", "quizzes"):
        shutil.copytree(REPO / folder, root / folder)
    _, problems = load_project(root, REPO / "examples" / "organisation-quebec.yml")
    assert [p for p in problems if p.severity == "error"] == []
    project, _ = load_project(root, REPO / "examples" / "organisation-quebec.yml")
    assert project is not None
    body = project.lessons["m4-everyday-reflexes"].sections
    assert any("mailto:securite@meubles-boreal.example" in s.body["fr"] for s in body)
    plain, _ = load_project(root)
    assert plain is not None
    assert any("Prévenez tout de suite le service informatique" in s.body["fr"]
               for s in plain.lessons["m4-everyday-reflexes"].sections)
