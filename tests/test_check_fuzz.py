"""Property: whatever a trainer's file contains, loading it gives a clean result or located
problems, never an exception or a traceback."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.diagnostics import Diagnostic
from builder.loader import load_project

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
TARGETS = ["course/course.yml", "course/lessons/m1/l1.yml", "quizzes/q1.yml", "quizzes/exam.yml"]
ODD_TEXT = ["", "~", "null", "- x", "{", "[", "&a", "*a", "!!python/object:os.system", "\t", "é", "💥",
            "\u202e", "\x00", "1e999", "-.inf", "0x1F", "yes", "No", "2014-06-17", "? k", ": v", "|", ">"]


def mutate(text: str, rng: random.Random, kind: str) -> str:
    lines = text.splitlines()
    if kind == "truncate":
        return text[: rng.randrange(len(text) + 1)]
    if kind == "rename_key":
        index = rng.randrange(len(lines))
        return "\n".join(lines[:index] + [re.sub(r"(\w+):", lambda m: m.group(1)[::-1] + ":", lines[index], count=1)]
                         + lines[index + 1:])
    if kind == "wrong_value":
        index = rng.randrange(len(lines))
        key, sep, _ = lines[index].partition(": ")
        value = rng.choice(ODD_TEXT + ["[1, 2]", "{a: 1}", "42", "-1", "true", "3.5", '"quoted"'])
        return "\n".join(lines[:index] + [f"{key}{sep or ': '}{value}"] + lines[index + 1:])
    if kind == "drop_line":
        index = rng.randrange(len(lines))
        return "\n".join(lines[:index] + lines[index + 1:])
    if kind == "duplicate_line":
        index = rng.randrange(len(lines))
        return "\n".join(lines[: index + 1] + lines[index:])
    if kind == "reindent":
        index = rng.randrange(len(lines))
        return "\n".join(lines[:index] + [" " * rng.randrange(6) + lines[index].lstrip()] + lines[index + 1:])
    position = rng.randrange(len(text) + 1)
    return text[:position] + rng.choice(ODD_TEXT) + text[position:]


def assert_located(problems: list[Diagnostic]) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "Traceback" not in problem.message
        problem.format()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(TARGETS),
    kinds=st.lists(st.sampled_from(["truncate", "rename_key", "wrong_value", "drop_line",
                                    "duplicate_line", "reindent", "insert"]), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_mutated_files_never_raise(tmp_path_factory, target: str, kinds: list[str], seed: int) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    path = root / target
    rng = random.Random(seed)
    text = path.read_text(encoding="utf-8")
    for kind in kinds:
        text = mutate(text, rng, kind) if text else text
    path.write_text(text, encoding="utf-8")
    project, problems = load_project(root)
    assert_located(problems)
    assert project is not None or problems


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(max_size=400) | st.binary(max_size=200))
def test_arbitrary_content_never_raises(tmp_path_factory, content: str | bytes) -> None:
    root = tmp_path_factory.mktemp("any")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    path = root / "quizzes" / "q1.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    _, problems = load_project(root)
    assert_located(problems)


@settings(max_examples=60, deadline=None)
@given(data=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
))
def test_random_structures_never_raise(tmp_path_factory, data: object) -> None:
    import yaml

    root = tmp_path_factory.mktemp("struct")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    (root / "course/lessons/m1/l2.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = load_project(root)
    assert_located(problems)
