"""French typography by the build (builder/typography.py): narrow no-break spaces where French
wants them, in every text a learner reads, and nowhere else; numbers per language.

The browser test measures line boxes: no line of a French page at 390 px may start with
`; : ! ?` or `»`, nor end with `«`, on the mini course and on pages of the real course.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.labels import LABELS, labels_for
from builder.packages.scorm_manifest import ManifestSpec, Sco, manifest_12, manifest_2004
from builder.typography import NNBSP, format_number, format_percent, typeset_html, typeset_text
from tests.browser import static_server, watch

N = NNBSP


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(("typed", "expected"), [
    ("Qui voit quoi ?", f"Qui voit quoi{N}?"),
    ("Qui voit quoi?", f"Qui voit quoi{N}?"),
    ("Attention : danger ; prudence !", f"Attention{N}: danger{N}; prudence{N}!"),
    ("Attention: danger", f"Attention{N}: danger"),
    ("Article L1222-4 : le texte", f"Article L1222-4{N}: le texte"),
    ("Vraiment ?!", f"Vraiment{N}?!"),
    ("Vraiment?!", f"Vraiment{N}?!"),
    ("« mot »", f"«{N}mot{N}»"),
    ("«mot»", f"«{N}mot{N}»"),
    ("«\u00a0mot\u00a0» et «\u00a0<mot> »", f"«\u00a0mot\u00a0» et «\u00a0<mot>{N}»"),  # typed no-break: kept
    ("80 % des cas, 80% des cas", f"80{N}% des cas, 80{N}% des cas"),
    ("Score requis : {passing} %", f"Score requis{N}: {{passing}}{N}%"),
    ("mot\u00a0: suite", "mot\u00a0: suite"),
    ("mot\u2009: suite", f"mot{N}: suite"),  # a thin space breaks
    ("L'essentiel, aujourd'hui", "L’essentiel, aujourd’hui"),  # the typographic apostrophe, as in quizzes
    ("« l'équipe »", f"«{N}l’équipe{N}»"),
])
def test_french_spacing(typed: str, expected: str) -> None:
    assert typeset_text(typed, "fr") == expected
    assert typeset_text(expected, "fr") == expected  # idempotent


@pytest.mark.parametrize("text", [
    "Rendez-vous à 10:30, ratio 1:2.",
    "Voir https://exemple.fr/page?q=1&r=2#a:b et www.cnil.fr/fr?x",
    "Écrire à mailto:rh@exemple.fr",
    "Voir https://exemple.fr/l'article et 'a'",  # in a URL, or not between letters: as typed
    "a;b, x:y, fn:1",
    "",
])
def test_french_leaves_times_urls_and_codes_alone(text: str) -> None:
    assert typeset_text(text, "fr") == text


def test_url_keeps_the_sentence_punctuation_outside() -> None:
    assert typeset_text("Lisez https://exemple.fr/faq?", "fr") == f"Lisez https://exemple.fr/faq{N}?"


@pytest.mark.parametrize("text", ["Who sees what ?", "Note: 80 %", "« quoted »", "Really?"])
def test_english_is_left_as_typed(text: str) -> None:
    assert typeset_text(text, "en") == text
    assert typeset_html(f"<p>{text}</p>", "en") == f"<p>{text}</p>"


# --------------------------------------------------------------------------- HTML


def test_html_text_nodes_only() -> None:
    page = ('<h2 id="qui-voit">Qui voit quoi ?</h2>'
            '<p title="Titre : sous-titre ?"><a href="https://x.fr/a?b=c:d">Lien</a> : voir '
            '<code>a ? b : c</code> et <kbd>Ctrl : C</kbd></p>'
            '<pre><code>if (x) { y ? z : w; }</code></pre>'
            '<script type="application/json">{"a": "b ?"}</script><style>p::after { content: " :"; }</style>')
    out = typeset_html(page, "fr")
    assert out == page.replace("quoi ?", f"quoi{N}?").replace("</a> : voir", f"</a>{N}: voir")


def test_html_across_inline_tags() -> None:
    assert typeset_html("<p>Le « <strong>bon</strong> » sens<em> </em>?</p>", "fr") == \
        f"<p>Le «{N}<strong>bon</strong>{N}» sens<em></em>{N}?</p>"
    assert typeset_html("<p>«<em>mot</em>»</p>", "fr") == f"<p>«{N}<em>mot</em>{N}»</p>"
    assert typeset_html("<p>Tapez <code>ls</code>: voilà</p>", "fr") == f"<p>Tapez <code>ls</code>{N}: voilà</p>"


def test_html_never_crosses_a_block() -> None:
    page = "<p>Fin.</p>\n<p>? Une ligne qui commence ainsi reste telle quelle</p><ul><li>«</li></ul>"
    assert typeset_html(page, "fr") == page


def test_html_entities_and_escaping() -> None:
    page = "<p>&lt;script&gt; ? AT&amp;T&nbsp;: «&#160;mot »</p>"
    out = typeset_html(page, "fr")
    assert out == f"<p>&lt;script&gt;{N}? AT&amp;T\u00a0: «\u00a0mot{N}»</p>"
    assert typeset_html(out, "fr") == out


def test_html_unchanged_bytes_when_nothing_to_do() -> None:
    page = '<p class="x">Rien &amp; rien<br>à faire.</p><img src="a.png" alt="a ?">'
    assert typeset_html(page, "fr") == page


# --------------------------------------------------------------------------- numbers and labels


@pytest.mark.parametrize(("value", "fr", "en"), [
    (80, "80", "80"), (3.5, "3,5", "3.5"), (75.55, "75,5", "75.5"), (1234.5, f"1{N}234,5", "1,234.5"), (0, "0", "0"),
])
def test_numbers_per_language(value: float, fr: str, en: str) -> None:
    """As Intl.NumberFormat(lang, {maximumFractionDigits: 1}) writes them in progress.js."""
    assert (format_number(value, "fr"), format_number(value, "en")) == (fr, en)
    assert format_percent(value, "fr") == f"{fr}{N}%"
    assert format_percent(value, "en") == f"{en}%"


def test_labels_are_typeset() -> None:
    """Our own French words come out right though typed with plain spaces; English percentages
    are written one way: 80%."""
    for key, text in labels_for("fr").items():
        assert not re.search(r" [;:!?»%]|« ", text), (key, text)
    assert labels_for("fr")["score"] == f"Votre score{N}: {{score}}{N}%"
    for key, text in labels_for("en").items():
        assert not re.search(r"\} %", text), (key, text)
    assert labels_for("en") == LABELS["en"]  # English is left exactly as typed


def test_manifest_titles_and_descriptions_typeset() -> None:
    spec = ManifestSpec(identifier="c-1-fr", version="1", title="Bon sens : le cours", language="fr",
                        description="Qui voit quoi ? Voir https://exemple.fr/?a=b", minutes=60,
                        scos=[Sco("course", "Module 1 : vie privée", "sco-course.html", 80.0)], shared_files=[])
    for xml in (manifest_12(spec).decode(), manifest_2004(spec).decode()):
        assert f"Bon sens{N}: le cours" in xml and f"Module 1{N}: vie privée" in xml
        assert f"Qui voit quoi{N}? Voir https://exemple.fr/?a=b" in xml
        assert "sens : le" not in xml


# --------------------------------------------------------------------------- built pages, in Chromium

pytestmark_browser = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                        reason="Debian's chromium is not installed")
REPO = Path(__file__).parent.parent

# For each `; : ! ? »` (and each `«`) in the article's text, outside code: is it the first
# (last) character of its line? Lines are line boxes, measured with Range.getClientRects().
LINE_STARTS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const article = document.querySelector('article');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('code, pre, script, style, kbd, .md-search')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  const chars = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (let i = 0; i < n.data.length; i++) chars.push([n, i]);
  }
  const rect = ([node, i]) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 || r.height > 0);
    return rects.length ? rects[0] : null;
  };
  const block = (node) => {
    let el = node.parentElement;
    while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    return el;
  };
  const visible = (k) => { const r = rect(chars[k]); return r && r.width > 0 ? r : null; };
  const bad = [];
  chars.forEach(([node, i], k) => {
    const c = node.data[i];
    const opening = c === '«';
    if (!';:!?»«'.includes(c)) return;
    const here = rect(chars[k]);
    if (!here) return;
    // The neighbour on the side where a line could break: the previous (for «, the next) visible
    // character. Glued by a no-break space, the two part only where the browser must break a word
    // too long for its line (a narrow table cell): not a typography fault.
    const step = opening ? 1 : -1;
    const at = (j) => chars[j][0].data[chars[j][1]];
    let j = k + step;
    if (j >= 0 && j < chars.length && /[\\u00a0\\u202f]/.test(at(j))) return;
    while (j >= 0 && j < chars.length && /\\s/.test(at(j))) j += step;
    if (j < 0 || j >= chars.length || block(chars[j][0]) !== block(node)) return;
    const there = visible(j);
    if (there && Math.abs(there.top - here.top) > here.height / 2) {
      bad.push(node.data.slice(Math.max(0, i - 25), i + 5));
    }
  });
  return bad;
}"""


def build_site(root: Path) -> Path:
    result = CliRunner().invoke(main, ["build", str(root), "--site", "--quiet"])
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The mini course and the real course, built in temporary copies and served."""
    import shutil

    base = tmp_path_factory.mktemp("typo")
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", base / "mini")
    real = base / "real"
    for name in ("course", "quizzes"):
        shutil.copytree(REPO / name, real / name)
    shutil.copy(REPO / "mkdocs.yml", real / "mkdocs.yml")
    course = real / "course" / "course.yml"  # the exam open at once, so that its questions show
    course.write_text(course.read_text(encoding="utf-8").replace("after_modules: true", "after_modules: false"),
                      encoding="utf-8")
    mini_site, real_site = build_site(base / "mini"), build_site(real)
    with static_server(mini_site) as mini_url, static_server(real_site) as real_url:
        yield {"mini": mini_url, "real": real_url, "mini_dir": str(mini_site), "real_dir": str(real_site)}


def french_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in ("en", "assets", "downloads") and p.name != "404.html")


REAL_PAGES = [  # lessons of three modules, a module quiz and the scenario-heavy final exam
    "index.html", "m1-privacy/m1-gdpr-basics.html", "m2-discretion/m2-confidential-information.html",
    "m3-reputation/m3-watching-your-name.html", "m1-privacy/quiz-m1.html", "final-exam/final-exam.html",
]


@pytestmark_browser
@pytest.mark.parametrize("course", ["mini", "real"])
def test_no_line_starts_with_french_punctuation_at_390px(browser: Any, sites: dict[str, str], course: str) -> None:
    site = Path(sites[course + "_dir"])
    paths = french_pages(site) if course == "mini" else REAL_PAGES
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log = watch(page)
    found = {}
    checked = 0
    try:
        for path in paths:
            page.goto(sites[course] + path)
            if page.locator(".bs-quiz").count():
                page.locator(".bs-quiz .bs-question, .bs-quiz .bs-locked").first.wait_for()
            text = page.locator("article").inner_text()
            checked += len(re.findall(r"[;:!?»]", text))
            bad = page.evaluate(LINE_STARTS)
            if bad:
                found[path] = bad
    finally:
        context.close()
    assert found == {}
    assert checked > (20 if course == "mini" else 120)  # the test saw punctuation to judge (the exam draws at random)
    assert log.page_errors == []


@pytestmark_browser
def test_french_pages_carry_narrow_spaces_english_none(sites: dict[str, str]) -> None:
    """In the built HTML: French texts typeset (article, quiz data, course outline), English not;
    code blocks and links as authored."""
    site = Path(sites["real_dir"])
    lesson = (site / "m1-privacy" / "m1-gdpr-basics.html").read_text(encoding="utf-8")
    article = lesson[lesson.index("<article"):lesson.index("</article>")]
    assert N in article
    assert not re.search(r"\w [;:!?»](?=\s|<)", re.sub(r"<(code|pre)\b.*?</\1>", "", article, flags=re.S))
    quiz = (site / "m1-privacy" / "quiz-m1.html").read_text(encoding="utf-8")
    data = quiz[quiz.index('class="bs-quiz-data"'):]
    assert N in data[:data.index("</script>")]
    outline = (site / "bonsens-course.js").read_text(encoding="utf-8")
    assert f"{N}%" in outline or f"{N}:" in outline
    english = (site / "en" / "m1-privacy" / "m1-gdpr-basics.html").read_text(encoding="utf-8")
    assert N not in english[english.index("<article"):english.index("</article>")]


def test_packages_manifest_typeset(mini: Path, edit: Any) -> None:
    """What the LMS lists: the course title and description in French typography."""
    edit(mini / "course" / "course.yml", "fr: Mini-cours", "fr: 'Mini-cours : essai'")
    result = CliRunner().invoke(main, ["build", str(mini), "--scorm12", "--quiet"])
    assert result.exit_code == 0, result.output
    package = next(p for p in (mini / "dist").glob("*-fr-scorm12.zip"))
    with zipfile.ZipFile(package) as archive:
        manifest = archive.read("imsmanifest.xml").decode()
    assert f"Mini-cours{N}: essai" in manifest


def test_a_long_question_is_reported_by_its_first_whole_words() -> None:
    """What an LMS or LRS report shows of a question (SCORM 2004's description, cmi5's name) is cut
    after a whole word and says so, never in the middle of a word."""
    from builder.interactions import shortened

    prompt = "Les photos ont été prises pendant le séminaire, " * 8
    shown = shortened(prompt.strip(), 250)
    assert len(shown) <= 250 and shown.endswith("…")
    assert prompt.startswith(shown[:-1]) and prompt[len(shown) - 1] in " ,"  # a word ends where it is cut
    assert shortened("Vrai ou faux ?", 250) == "Vrai ou faux ?"
