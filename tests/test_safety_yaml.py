"""Hostile and broken YAML (issue 10, items 7a, 8, 14 and 15): bombs end in one located error
within bounded memory, user text never reaches the terminal raw, encodings are reported where
they break, and every diagnostic quotes its line with a caret under the right column."""

from __future__ import annotations

import codecs
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.diagnostics import Diagnostic

BONSENS = Path(sys.executable).parent / "bonsens"
GIB = 1024 ** 3
# Raw bytes a diagnostic must never print: C0 controls but the line feed between lines, DEL,
# C1 controls, bidi overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(root), *args], color=False)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def problems(output: str) -> list[str]:
    """The diagnostic lines (the quoted source lines under them are indented)."""
    return [line for line in output.splitlines()
            if (": error: " in line or ": warning: " in line) and not line.startswith(" ")]


def _one_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def check_in_one_gib(root: Path) -> subprocess.CompletedProcess[str]:
    """`bonsens check` in a process that cannot take more than 1 GiB of address space."""
    return subprocess.run([str(BONSENS), "check", str(root)], capture_output=True, text=True,
                          preexec_fn=_one_gib, timeout=300, check=False)


# --------------------------------------------------------------------------- bombs (8)


def billion_laughs() -> str:
    """Nine chained aliases of nine items: 600 bytes that expand to 387,420,489 values."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMBS = {
    # name: (text, expected location and message)
    "billion laughs": (billion_laughs(), "quizzes/q1.yml:6:8: error: alias '*e' repeats 66,430 values"),
    "recursive alias": ("title: &r [*r]\n", "quizzes/q1.yml:1:12: error: alias '*r' is inside the value it repeats"),
    "5,000 nested [": ("title: " + "[" * 5000 + "\n", "quizzes/q1.yml:1:71: error: YAML nesting is deeper than 64"),
    "5,000 nested {": ("title: " + "{" * 5000 + "\n", "quizzes/q1.yml:1:71: error: YAML nesting is deeper than 64"),
    "5,000 nested {a: ": ("{a: " * 5000 + "\n", "quizzes/q1.yml:1:257: error: YAML nesting is deeper than 64"),
    "5,000 nested - ": ("- " * 5000 + "x\n", "quizzes/q1.yml:1:129: error: YAML nesting is deeper than 64"),
    "1,000 deep block mapping": ("".join(" " * depth + f"k{depth}:\n" for depth in range(1000)),
                                 "quizzes/q1.yml:65:65: error: YAML nesting is deeper than 64"),
    "5,000 deep block mapping": ("".join(" " * depth + f"k{depth}:\n" for depth in range(5000)),
                                 "quizzes/q1.yml:1:1: error: file is 12.0 MB: a course file may be at most 2 MB"),
    "3 MB file": ("id: q1\ntitle:\n  fr: " + "x" * 3 * 1024 * 1024 + "\n",
                  "quizzes/q1.yml:1:1: error: file is 3.0 MB: a course file may be at most 2 MB"),
    "alias nesting deeper": ("a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n",
                             "quizzes/q1.yml:2:34: error: alias '*a' nests the data deeper than 64 levels"),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_is_one_located_error_in_bounded_memory(mini: Path, name: str) -> None:
    text, expected = BOMBS[name]
    (mini / "quizzes/q1.yml").write_text(text, encoding="utf-8")
    result = check_in_one_gib(mini)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    found = [line for line in problems(result.stdout) if line.startswith("quizzes/q1.yml")]
    assert len(found) == 1 and found[0].startswith(expected), found
    assert "hint: " in result.stdout


def test_a_course_file_within_the_limits_still_loads(mini: Path) -> None:
    """Anchors and aliases that stay small are fine; so is nesting a course actually needs."""
    path = mini / "course/lessons/m1/l2.yml"
    text = path.read_text(encoding="utf-8").replace("  - fr: Une autre idée.\n    en: Another idea.",
                                                    "  - &idea\n    fr: Une autre idée.\n    en: Another idea.\n"
                                                    "  - *idea")
    path.write_text(text, encoding="utf-8")
    code, output = check(mini)
    assert code == 0, output


# --------------------------------------------------------------------------- control characters (7a)


FORGED = "quizzes/q1.yml:1:1: error: forged"


def test_control_characters_in_a_key_are_escaped(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "attempts: 3",
         f'attempts: 3\n"\\e[31mcolour\\n{FORGED}\\r\\u202eevil\\x85\\u2066": 1')
    code, output = check(mini)
    assert code == 1
    assert not RAW_CONTROL.search(output)
    found = problems(output)
    assert len(found) == 1, output
    assert found[0].startswith("quizzes/q1.yml:8:1: error: unknown key '\\x1b[31mcolour\\nquizzes/q1.yml:1:1:")
    assert "\\r\\u202eevil\\x85\\u2066'" in found[0]
    assert not any(line.startswith(FORGED) for line in output.splitlines())


def test_control_characters_in_a_quoted_value_are_escaped(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "type: single", f'type: "x\\e]0;title\\a\\n{FORGED}\\u202e"')
    code, output = check(mini)
    assert code == 1
    assert not RAW_CONTROL.search(output)
    found = problems(output)
    assert len(found) == 1, output
    assert found[0].startswith("quizzes/q1.yml:10:11: error: unknown question type 'x\\x1b]0;title\\x07\\nquizzes/")


def test_control_characters_in_a_file_name_are_escaped(mini: Path) -> None:
    name = "l3\x1b[2J\nq1.yml:1:1: error: forged\u202e.yml"  # a file name cannot hold a '/'
    (mini / "course/lessons/m1" / name).write_text("", encoding="utf-8")
    code, output = check(mini)
    assert code == 1
    assert not RAW_CONTROL.search(output)
    assert problems(output) == ["course/lessons/m1/l3\\x1b[2J\\nq1.yml:1:1: error: forged\\u202e.yml:1:1: "
                                "error: file is empty"]


def test_a_raw_control_character_in_the_text_is_located(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "  en: Module quiz", "  en: Module\x1b[31m quiz")
    code, output = check(mini)
    assert code == 1
    assert not RAW_CONTROL.search(output)
    assert problems(output) == ["quizzes/q1.yml:5:13: error: character U+001B is not allowed in a YAML file"]
    assert "    5 |   en: Module\\x1b[31m quiz" in output.splitlines()


def test_a_diagnostic_is_always_one_line_and_its_hint() -> None:
    diagnostic = Diagnostic("a\nb.yml", 3, 1, "bad \x1b[2J\r\u2028\ud800 text", "fix\n\u2067 it")
    lines = diagnostic.format().splitlines()
    assert lines == ["a\\nb.yml:3:1: error: bad \\x1b[2J\\r\\u2028\\ud800 text", "    hint: fix\\n\\u2067 it"]


# --------------------------------------------------------------------------- encodings and empty files (14)


def test_a_byte_order_mark_is_not_a_missing_schema_line(mini: Path) -> None:
    for path in (mini / "course/course.yml", mini / "course/lessons/m1/l2.yml"):
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    code, output = check(mini, "--strict")
    assert code == 0, output


def test_schema_puts_its_line_after_the_byte_order_mark_once(mini: Path) -> None:
    path = mini / "course/lessons/m1/l2.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_bytes(codecs.BOM_UTF8 + "".join(lines[1:]).encode("utf-8"))  # no schema line yet
    for _ in range(2):
        assert CliRunner().invoke(main, ["schema", str(mini)]).exit_code == 0
        data = path.read_bytes()
        assert data.startswith(codecs.BOM_UTF8 + b"# yaml-language-server: $schema=")
        assert data.count(b"yaml-language-server") == 1
        assert data.decode("utf-8-sig").splitlines()[1:] == [line.rstrip("\n") for line in lines[1:]]
    assert check(mini, "--strict")[0] == 0


def test_schema_keeps_crlf_line_endings(mini: Path) -> None:
    path = mini / "quizzes/q1.yml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes("\r\n".join(text.split("\n")[1:]).encode("utf-8"))
    assert CliRunner().invoke(main, ["schema", str(mini)]).exit_code == 0
    assert path.read_bytes().split(b"\n", 1)[0].endswith(b".json\r")
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_schema_skips_a_file_that_is_not_utf8(mini: Path) -> None:
    path = mini / "course/lessons/m1/l2.yml"
    latin1 = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[1:]).encode("latin-1")
    path.write_bytes(latin1)
    result = CliRunner().invoke(main, ["schema", str(mini)])
    assert result.exception is None and result.exit_code == 0, result.output
    assert "skipped course/lessons/m1/l2.yml: it cannot be read as UTF-8 text" in result.output
    assert path.read_bytes() == latin1


def test_latin1_is_reported_at_its_first_byte(mini: Path) -> None:
    path = mini / "course/lessons/m1/l2.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    code, output = check(mini)
    assert code == 1
    found = problems(output)
    assert found == ["course/lessons/m1/l2.yml:4:12: error: file is not UTF-8 text: it looks like "
                     "Latin-1/Windows-1252, where byte 0xE8 here is 'è'"], output
    lines = output.splitlines()
    at = lines.index(found[0])
    assert lines[at + 1: at + 4] == ["    4 |   fr: Deuxième leçon", "      |            ^",
                                     "    hint: re-save the file as UTF-8 (most editors: \"Save with encoding\" "
                                     "→ UTF-8)"]


def test_utf16_is_named(mini: Path) -> None:
    path = mini / "quizzes/q1.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert problems(check(mini)[1]) == ["quizzes/q1.yml:1:1: error: file is UTF-16 text, not UTF-8"]


@pytest.mark.parametrize(("file", "hint"), [
    ("course/course.yml", "hint: a course file needs `id:`, `version:`, `languages: [fr, en]`"),
    ("course/lessons/m1/l2.yml", "hint: run `bonsens new lesson ID --module MODULE`"),
    ("quizzes/q1.yml", "hint: run `bonsens new quiz ID`"),
])
def test_an_empty_file_gets_the_hint_of_its_kind(mini: Path, file: str, hint: str) -> None:
    (mini / file).write_text("# yaml-language-server: $schema=x\n", encoding="utf-8")
    code, output = check(mini)
    assert code == 1
    assert f"{file}:1:1: error: file is empty" in output.splitlines()
    assert any(line.strip().startswith(hint) for line in output.splitlines()), output


@pytest.mark.parametrize("module", ["m9-nowhere", "../../evil", "M1"])
def test_new_lesson_refuses_a_module_the_course_does_not_have(mini: Path, module: str) -> None:
    before = sorted(p.relative_to(mini) for p in mini.parent.rglob("*"))
    result = CliRunner().invoke(main, ["new", "lesson", "l9", "--module", module, "--dir", str(mini)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    if module == "m9-nowhere":
        assert "'m9-nowhere' is not a module of course/course.yml; its modules: m1" in result.output
    else:
        assert "use lower-case letters, digits and hyphens" in result.output
    assert sorted(p.relative_to(mini) for p in mini.parent.rglob("*")) == before


def test_new_lesson_in_an_existing_module_is_created(mini: Path) -> None:
    result = CliRunner().invoke(main, ["new", "lesson", "l9", "--module", "m1", "--dir", str(mini)])
    assert result.exit_code == 0, result.output
    assert (mini / "course/lessons/m1/l9.yml").is_file()
    assert "module 'm1'" in result.output


# --------------------------------------------------------------------------- the source line and caret (15)


def excerpt_of(output: str, problem: str) -> list[str]:
    lines = output.splitlines()
    at = lines.index(problem)
    return lines[at + 1: at + 3]


@pytest.mark.parametrize(("value", "problem", "shown", "caret_cells"), [
    # the caret stands under the `x` the parser refuses, whatever comes before it on the line
    ('"abc" x', "quizzes/q1.yml:5:13:", '"abc" x', 12),
    ('"a\tb" x', "quizzes/q1.yml:5:13:", '"a    b" x', 15),     # a tab: up to the next stop of 4
    ('"漢字😀" x', "quizzes/q1.yml:5:13:", '"漢字😀" x', 15),      # wide characters: two cells each
    ('"e\u0301té" x', "quizzes/q1.yml:5:14:", '"e\u0301té" x', 12),  # a combining accent: none
])
def test_the_caret_stands_under_the_column(mini: Path, edit, value: str, problem: str, shown: str,
                                           caret_cells: int) -> None:
    edit(mini / "quizzes/q1.yml", "  en: Module quiz", f"  en: {value}")
    _, output = check(mini)
    found = problems(output)
    assert len(found) == 1 and found[0].startswith(problem), output
    assert excerpt_of(output, found[0]) == [f"    5 |   en: {shown}", "      | " + " " * caret_cells + "^"]


def test_a_long_line_is_trimmed_around_the_column() -> None:
    source = "a" * 250 + "X" + "b" * 250
    code, caret = Diagnostic("f.yml", 12, 251, "m", source=source).excerpt()
    assert len(code) < 120 and code.startswith("   12 | …") and code.endswith("…")
    assert code[caret.index("^")] == "X"


def test_a_tab_before_the_column_moves_the_caret_to_the_next_stop() -> None:
    code, caret = Diagnostic("f.yml", 1, 3, "m", source="\tab").excerpt()
    assert code == "    1 |     ab"
    assert code[caret.index("^")] == "b"


def test_the_excerpt_is_coloured_only_on_a_terminal(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "passing_score: 80", "passing_score: [80")
    plain = CliRunner().invoke(main, ["check", str(mini)], color=False).output
    coloured = CliRunner().invoke(main, ["check", str(mini)], color=True).output
    assert "\x1b[" not in plain and "    7 | attempts: 3" in plain
    assert "\x1b[31m\x1b[1m^" in coloured
