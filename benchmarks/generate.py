"""Generate a synthetic Bon Sens course of any size, for the benchmark (and for anyone's try-outs).

    python benchmarks/generate.py OUT --modules M --lessons L --questions Q [--languages fr,en]

writes OUT/course/course.yml, OUT/course/lessons/<module>/<lesson>.yml, OUT/course/images/ (a few
small PNG and SVG pictures), OUT/quizzes/ (one quiz per module using all six question types, and
a final exam that draws from a bank), OUT/mkdocs.yml (the look) and OUT/schemas/. `--lessons` is
the total number of lessons, spread evenly over the modules; `--questions` is the number of
questions of each module quiz.

The text is made-up but shaped like the real course's: sections of several paragraphs with
bold and italic words, bulleted and numbered lists, tables, pictures, callouts (tip, warning,
law, example), links to other lessons and to the module quiz, external sources, scenarios with a
debrief. A lesson comes to about 8 KB of generated Markdown per language, as the real ones do.
The output depends only on the arguments and `--seed`: the same command writes the same bytes,
and it passes `bonsens check --strict`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import yaml

WORDS = {
    "fr": (
        "le salarié la confidentialité un réseau social la vie privée une donnée le compte l'employeur "
        "un message la discrétion une publication la réputation un collègue le client un mot de passe "
        "la charte un paramètre la sécurité une photo le profil une information un lien la direction "
        "le service la formation le règlement un usage la prudence une trace la loyauté un risque "
        "une alerte la liberté une règle un exemple la réponse un partage une équipe le projet "
        "un abonné une capture une erreur le navigateur la messagerie une pièce jointe une réunion "
        "publie partage protège vérifie signale consulte respecte garde conserve supprime limite "
        "demande lit écrit relit choisit montre cache protège évite prévient "
        "souvent toujours parfois rarement vite ensuite aussi encore déjà bien mieux "
        "public privé interne sensible personnel professionnel récent ancien simple clair utile "
        "avec pour sans dans sur sous entre après avant chez selon contre vers "
        "et ou mais donc car puis"
    ),
    "en": (
        "the employee confidentiality a social network privacy a piece of data the account the employer "
        "a message discretion a post the reputation a colleague the client a password the policy "
        "a setting security a photo the profile some information a link management the department "
        "training the regulation a habit caution a trace loyalty a risk an alert freedom a rule "
        "an example the answer a share a team the project a follower a screenshot a mistake the browser "
        "the mailbox an attachment a meeting "
        "posts shares protects checks reports reads respects keeps stores deletes limits asks writes "
        "chooses shows hides avoids warns "
        "often always sometimes rarely quickly then also still already well better "
        "public private internal sensitive personal professional recent old simple clear useful "
        "with for without in on under between after before at according to against towards "
        "and or but so because then"
    ),
}
SYLLABLES = ("ka", "lo", "mi", "ne", "ra", "si", "to", "ve", "da", "fu", "re", "sa", "mo", "li", "ta", "pe", "ro", "lu")
KINDS = ("tip", "warning", "law", "example")
QUESTION_TYPES = ("single", "multiple", "true_false", "matching", "ordering", "fill_in")
MODELINE = "# yaml-language-server: $schema="
LOOK = """\
# The look of the synthetic course's site (written by benchmarks/generate.py).
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-night
        name: Dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-sunny
        name: Light mode
copyright: "Synthetic benchmark course"
"""
IMAGES = ("chart-visibility.png", "chart-incidents.png", "photo-desk.png", "diagram-flow.svg", "diagram-layers.svg")


# --------------------------------------------------------------------------- text


class Text:
    """Made-up sentences in one language, from a seeded generator."""

    def __init__(self, rng: random.Random, lang: str):
        self.rng = rng
        self.lang = lang
        self.words = WORDS[lang].split() if lang in WORDS else self._pseudo_words(lang)

    def _pseudo_words(self, lang: str) -> list[str]:
        rng = random.Random(f"words:{lang}")
        return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(160)]

    def words_(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(self.words) for _ in range(self.rng.randint(low, high)))

    def title(self, low: int = 2, high: int = 5) -> str:
        return self.words_(low, high).capitalize()

    def sentence(self, low: int = 8, high: int = 18) -> str:
        words = [self.rng.choice(self.words) for _ in range(self.rng.randint(low, high))]
        if len(words) > 6 and self.rng.random() < 0.35:
            i = self.rng.randrange(1, len(words) - 2)
            words[i] = f"**{words[i]}**" if self.rng.random() < 0.6 else f"*{words[i]}*"
        if len(words) > 10 and self.rng.random() < 0.3:
            words[self.rng.randrange(3, len(words) - 3)] += ","
        return " ".join(words).capitalize() + self.rng.choice(".....?!")

    def plain_sentence(self, low: int = 5, high: int = 12) -> str:
        """No Markdown and no comma: for list items, table cells, titles of callouts."""
        return self.words_(low, high).capitalize() + "."

    def paragraph(self, sentences: tuple[int, int] = (3, 5), link: str | None = None) -> str:
        parts = [self.sentence() for _ in range(self.rng.randint(*sentences))]
        if link:
            label = self.words_(2, 4)
            i = self.rng.randrange(len(parts))
            parts[i] = parts[i][:-1] + f" ({self.see()} [{label}]({link}))" + parts[i][-1]
        return _wrap(" ".join(parts))

    def see(self) -> str:
        return {"fr": "voir", "en": "see"}.get(self.lang, "→")


def _wrap(text: str, width: int = 96) -> str:
    """Hard-wrap a paragraph as an author would in YAML (Markdown joins the lines again)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def localized(languages: list[str], seed: str, make: Any) -> dict[str, str]:
    """One text per language, each from its own seeded generator: `make(Text) -> str`."""
    return {lang: make(Text(random.Random(f"{seed}:{lang}"), lang)) for lang in languages}


# --------------------------------------------------------------------------- course


def plan_modules(modules: int, lessons: int) -> list[list[str]]:
    """Lesson ids per module, spread as evenly as possible."""
    if modules < 1 or lessons < modules:
        raise SystemExit("need at least one module and at least one lesson per module")
    base, extra = divmod(lessons, modules)
    plan = []
    for m in range(modules):
        count = base + (1 if m < extra else 0)
        plan.append([f"{module_id(m)}-l{n + 1:02d}" for n in range(count)])
    return plan


def module_id(index: int) -> str:
    return f"m{index + 1:02d}"


def course_data(languages: list[str], plan: list[list[str]], seed: int) -> dict[str, Any]:
    modules = []
    for m, lessons in enumerate(plan):
        mid = module_id(m)
        modules.append({
            "id": mid,
            "title": localized(languages, f"{seed}:{mid}:title", lambda t: t.title(2, 4)),
            "summary": localized(languages, f"{seed}:{mid}:summary", lambda t: t.plain_sentence(10, 18)),
            "lessons": lessons,
            "quiz": f"{mid}-quiz",
        })
    return {
        "id": "bench-course",
        "version": "1.0.0",
        "languages": languages,
        "title": {lang: {"fr": "Cours de référence", "en": "Benchmark course"}.get(lang, f"Bench ({lang})")
                  for lang in languages},
        "description": localized(languages, f"{seed}:description", lambda t: t.plain_sentence(15, 25)),
        "organisation": "Bon Sens",
        "modules": modules,
        "final_exam": {"quiz": "final-exam", "after_modules": True},
        # made-up questions are near-identical by design: item-writing checks report, never fail
        "quiz_checks": "notes",
    }


# --------------------------------------------------------------------------- lessons


def lesson_data(languages: list[str], seed: int, lesson_id: str, all_lessons: list[str], quiz_id: str) -> dict:
    rng = random.Random(f"{seed}:{lesson_id}")
    position = all_lessons.index(lesson_id)
    neighbours = [all_lessons[i] for i in (position - 1, position + 1) if 0 <= i < len(all_lessons)]
    key = f"{seed}:{lesson_id}"
    sections = []
    for s in range(rng.randint(3, 4)):
        blocks = _section_blocks(rng, s)
        links = {"lesson": f"lesson:{rng.choice(neighbours)}" if neighbours else None,
                 "quiz": f"quiz:{quiz_id}", "web": f"https://example.org/{lesson_id}/{s + 1}"}
        callouts = []
        for c in range(rng.choice((0, 1, 1, 2))):
            kind = rng.choice(KINDS)
            callout: dict[str, Any] = {"kind": kind}
            if rng.random() < 0.5:
                callout["title"] = localized(languages, f"{key}:{s}:{c}:ct", lambda t: t.title(2, 5))
            callout["text"] = localized(languages, f"{key}:{s}:{c}:cx", _callout_text)
            callouts.append(callout)
        section: dict[str, Any] = {
            "title": localized(languages, f"{key}:{s}:title", lambda t: t.title(2, 6)),
            "body": localized(languages, f"{key}:{s}:body",
                              lambda t, b=blocks, lk=links: _section_body(t, b, lk)),
        }
        if callouts:
            section["callouts"] = callouts
        sections.append(section)
    scenarios = []
    for n in range(rng.randint(1, 2)):
        scenarios.append({
            "title": localized(languages, f"{key}:sc{n}:t", lambda t: t.title(3, 6)),
            "situation": localized(languages, f"{key}:sc{n}:s", lambda t: t.paragraph((3, 4))),
            "question": localized(languages, f"{key}:sc{n}:q", lambda t: t.words_(6, 12).capitalize() + " ?"
                                  if t.lang == "fr" else t.words_(6, 12).capitalize() + "?"),
            "debrief": localized(languages, f"{key}:sc{n}:d", lambda t: t.paragraph((2, 4))),
        })
    return {
        "id": lesson_id,
        "title": localized(languages, f"{key}:title", lambda t: t.title(3, 7)),
        "summary": localized(languages, f"{key}:summary", lambda t: t.plain_sentence(12, 22)),
        "minutes": rng.randint(6, 15),
        "objectives": [localized(languages, f"{key}:obj{i}", lambda t: t.plain_sentence(6, 12))
                       for i in range(rng.randint(2, 4))],
        "sections": sections,
        "scenarios": scenarios,
        "takeaways": [localized(languages, f"{key}:take{i}", lambda t: t.plain_sentence(6, 14))
                      for i in range(rng.randint(3, 5))],
        "sources": [{"title": f"Source {i + 1} for {lesson_id}", "publisher": rng.choice(
                        ("CNIL", "APD", "Legifrance", "Eurostat", "OECD", "Service-public")),
                     "date": f"{rng.randint(2011, 2024)}-{rng.randint(1, 12):02d}",
                     "url": f"https://example.org/sources/{lesson_id}/{i + 1}"}
                    for i in range(rng.randint(2, 3))],
    }


def _section_blocks(rng: random.Random, index: int) -> list[str]:
    """The shape of a section, the same in every language (as a translation keeps it)."""
    blocks = ["p-lesson", "p"]
    blocks.append(rng.choice(("ul", "ol", "ul", "table")))
    blocks.append("p-web" if index % 2 else "p-quiz")
    if rng.random() < 0.4:
        blocks.insert(2, "img")
    if rng.random() < 0.3:
        blocks.append("p")
    return blocks


def _section_body(t: Text, blocks: list[str], links: dict[str, str | None]) -> str:
    parts = []
    for block in blocks:
        if block.startswith("p"):
            kind = block.partition("-")[2]
            parts.append(t.paragraph(link=links.get(kind) if kind else None))
        elif block == "ul":
            parts.append("\n".join(f"- {t.plain_sentence(4, 12)}" for _ in range(t.rng.randint(3, 5))))
        elif block == "ol":
            parts.append("\n".join(f"{i + 1}. {t.plain_sentence(4, 12)}" for i in range(t.rng.randint(3, 5))))
        elif block == "table":
            columns = t.rng.randint(2, 3)
            rows = [f"| {' | '.join(t.title(1, 3) for _ in range(columns))} |",
                    f"| {' | '.join('---' for _ in range(columns))} |"]
            rows += [f"| {' | '.join(t.words_(1, 5) for _ in range(columns))} |" for _ in range(t.rng.randint(3, 5))]
            parts.append("\n".join(rows))
        elif block == "img":
            image = t.rng.choice(IMAGES)
            parts.append(f"![{t.words_(3, 6)}](images/{image})")
    return "\n\n".join(parts) + "\n"


def _callout_text(t: Text) -> str:
    text = t.paragraph((1, 3))
    if t.rng.random() < 0.4:
        text += "\n\n" + "\n".join(f"- {t.plain_sentence(3, 8)}" for _ in range(t.rng.randint(2, 3)))
    return text + "\n"


# --------------------------------------------------------------------------- quizzes


def quiz_data(languages: list[str], seed: int, quiz_id: str, count: int, *, draw: int | None = None,
              title: dict[str, str] | None = None, lesson: str | None = None) -> dict[str, Any]:
    key = f"{seed}:{quiz_id}"
    data: dict[str, Any] = {
        "id": quiz_id,
        "title": title or localized(languages, f"{key}:title", lambda t: "Quiz : " + t.title(2, 4)
                                    if t.lang == "fr" else "Quiz: " + t.title(2, 4)),
        "intro": localized(languages, f"{key}:intro",
                           lambda t: t.paragraph((1, 2), link=f"lesson:{lesson}" if lesson else None) + "\n"),
        "passing_score": 80 if draw else 70,
        "attempts": 0 if draw else 3,
        "shuffle_questions": bool(draw),
        "shuffle_choices": True,
    }
    if draw:
        data["draw"] = draw
    data["questions"] = [question_data(languages, f"{key}:q{n}", f"{quiz_id}-q{n + 1:03d}",
                                       QUESTION_TYPES[n % len(QUESTION_TYPES)]) for n in range(count)]
    return data


def question_data(languages: list[str], key: str, question_id: str, kind: str) -> dict[str, Any]:
    rng = random.Random(key)

    def text(name: str, make: Any) -> dict[str, str]:
        return localized(languages, f"{key}:{name}", make)

    question: dict[str, Any] = {
        "id": question_id, "type": kind,
        "prompt": text("prompt", lambda t: t.paragraph((1, 2)) + "\n"),
    }
    if kind in ("single", "multiple"):
        choices = []
        total = rng.randint(3, 4)
        right = {0} if kind == "single" else {0, rng.randrange(1, total)}
        for c in range(total):
            choice: dict[str, Any] = {"text": text(f"c{c}", lambda t: t.plain_sentence(3, 9))}
            if c in right:
                choice["correct"] = True
            choice["feedback"] = text(f"f{c}", lambda t: t.sentence(6, 14))
            choices.append(choice)
        rng.shuffle(choices)
        question["choices"] = choices
    elif kind == "true_false":
        question["answer"] = rng.random() < 0.5
        question["feedback_true"] = text("ft", lambda t: t.sentence(6, 12))
        question["feedback_false"] = text("ff", lambda t: t.sentence(6, 12))
    elif kind == "matching":
        question["pairs"] = [{"left": text(f"l{p}", lambda t: t.title(1, 3)),
                              "right": text(f"r{p}", lambda t: t.plain_sentence(3, 7))}
                             for p in range(rng.randint(3, 4))]
    elif kind == "ordering":
        question["items"] = [text(f"i{i}", lambda t: t.plain_sentence(3, 8)) for i in range(rng.randint(3, 5))]
    elif kind == "fill_in":
        question["answers"] = {lang: [f"mot{rng.randint(1, 9)}", "alternative"] for lang in languages}
    question["explanation"] = text("explanation", lambda t: t.paragraph((1, 3)) + "\n")
    if rng.random() < 0.15:
        question["weight"] = 2.0
    return question


# --------------------------------------------------------------------------- images


def png(width: int, height: int, bars: list[int], colour: tuple[int, int, int]) -> bytes:
    """A small bar chart as a real PNG (RGB, deflated), made without any imaging library."""
    rows = []
    band = width // max(len(bars), 1)
    for y in range(height):
        row = bytearray(b"\x00")  # filter type 0
        for x in range(width):
            bar = bars[min(x // band, len(bars) - 1)]
            inside = (x % band) > band // 6 and height - y <= bar
            shade = 245 - (y * 20) // height
            row += bytes(colour) if inside else bytes((shade, shade, shade + 5 if shade < 250 else shade))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def svg(boxes: int, seed: str) -> bytes:
    rng = random.Random(seed)
    shapes = []
    for i in range(boxes):
        x = 20 + i * 150
        shapes.append(f'<rect x="{x}" y="60" width="120" height="60" rx="8" fill="#{rng.randrange(0x1000000):06x}"'
                      ' fill-opacity="0.25" stroke="#3f51b5"/>')
        shapes.append(f'<text x="{x + 60}" y="95" text-anchor="middle" font-family="sans-serif" '
                      f'font-size="14">step {i + 1}</text>')
        if i:
            shapes.append(f'<path d="M{x - 30} 90 h26" stroke="#3f51b5" stroke-width="2" marker-end="url(#a)"/>')
    width = 40 + boxes * 150
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="180" viewBox="0 0 {width} 180">'
            '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">'
            '<path d="M0 0 L8 4 L0 8z" fill="#3f51b5"/></marker></defs>'
            + "".join(shapes) + "</svg>\n").encode()


def write_images(folder: Path, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:images")
    colours = [(63, 81, 181), (0, 137, 123), (216, 67, 21)]
    for name, colour in zip(IMAGES[:3], colours, strict=True):
        bars = [rng.randint(30, 160) for _ in range(rng.randint(4, 7))]
        (folder / name).write_bytes(png(320, 180, bars, colour))
    (folder / IMAGES[3]).write_bytes(svg(4, f"{seed}:svg1"))
    (folder / IMAGES[4]).write_bytes(svg(3, f"{seed}:svg2"))


# --------------------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as literal blocks (`|`), as a trainer writes them."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any, schema: str) -> str:
    """A course file: the editor's schema line, then the data."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"{MODELINE}{schema}\n{body}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def generate(out: Path, modules: int, lessons: int, questions: int, languages: list[str], seed: int = 1,
             exam_bank: int | None = None, draw: int | None = None, paths: bool = False) -> dict[str, int]:
    """Write the course into `out` (replacing course/, quizzes/, schemas/); return its counts.

    With `paths`, the course declares three learning paths: `short` (each module's first lesson
    and the exam), `half` (the first half of the modules, whole, and the exam) and `all`."""
    for name in ("course", "quizzes", "schemas"):
        shutil.rmtree(out / name, ignore_errors=True)
    plan = plan_modules(modules, lessons)
    all_lessons = [lesson for module in plan for lesson in module]
    course = course_data(languages, plan, seed)
    if paths:
        course["paths"] = path_data(languages, plan)
    _write(out / "course" / "course.yml", dump_yaml(course, "../schemas/course.schema.json"))
    for m, module_lessons in enumerate(plan):
        mid = module_id(m)
        for lesson_id in module_lessons:
            data = lesson_data(languages, seed, lesson_id, all_lessons, f"{mid}-quiz")
            _write(out / "course" / "lessons" / mid / f"{lesson_id}.yml",
                   dump_yaml(data, "../../../schemas/lesson.schema.json"))
        quiz = quiz_data(languages, seed, f"{mid}-quiz", questions, lesson=module_lessons[0])
        _write(out / "quizzes" / f"{mid}-quiz.yml", dump_yaml(quiz, "../schemas/quiz.schema.json"))
    bank = exam_bank or max(12, 3 * modules)
    exam_title = {lang: {"fr": "Examen final", "en": "Final exam"}.get(lang, "Exam") for lang in languages}
    exam = quiz_data(languages, seed, "final-exam", bank, draw=min(draw or max(6, bank // 2), bank, 40),
                     title=exam_title)
    _write(out / "quizzes" / "final-exam.yml", dump_yaml(exam, "../schemas/quiz.schema.json"))
    write_images(out / "course" / "images", seed)
    if not (out / "mkdocs.yml").exists():
        _write(out / "mkdocs.yml", LOOK)
    _write_schemas(out, languages)
    return {"modules": modules, "lessons": lessons, "languages": len(languages),
            "quiz_questions": modules * questions, "exam_bank": bank}


def path_data(languages: list[str], plan: list[list[str]]) -> list[dict[str, Any]]:
    """Three learning paths: a short one, half the modules, and the whole course."""
    def title(fr: str, en: str) -> dict[str, str]:
        return {lang: fr if lang == "fr" else en for lang in languages}

    modules = [module_id(m) for m in range(len(plan))]
    return [
        {"id": "short", "title": title("L'essentiel", "The essentials"), "lessons": [m[0] for m in plan]},
        {"id": "half", "title": title("La moitié", "Half"), "modules": modules[:max(1, len(modules) // 2)]},
        {"id": "all", "title": title("Tout", "Everything"), "modules": modules},
    ]


def _write_schemas(out: Path, languages: list[str]) -> None:
    """The editors' JSON Schemas, as `bonsens schema` writes them (skipped if builder is absent)."""
    try:
        from builder.schema import write_schemas
    except ImportError:
        return
    write_schemas(out, languages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the course into (created if needed)")
    parser.add_argument("--modules", type=int, default=2, help="number of modules (default 2)")
    parser.add_argument("--lessons", type=int, default=10, help="total number of lessons (default 10)")
    parser.add_argument("--questions", type=int, default=8, help="questions per module quiz (default 8)")
    parser.add_argument("--languages", default="fr,en", help="comma-separated, default first (default fr,en)")
    parser.add_argument("--exam-bank", type=int, default=None, help="final exam bank (default max(12, 3×modules))")
    parser.add_argument("--draw", type=int, default=None, help="questions drawn by the exam (default bank/2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--paths", action="store_true", help="declare three learning paths (short, half, all)")
    args = parser.parse_args(argv)
    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    if not languages or args.questions < 1:
        parser.error("need at least one language and one question per quiz")
    counts = generate(args.out, args.modules, args.lessons, args.questions, languages, args.seed,
                      args.exam_bank, args.draw, args.paths)
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # builder/, for the schemas
    sys.exit(main())
