"""Editor support and scaffolding: schemas that catch mistakes as one types, valid templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.loader import lesson_files, quiz_files

REPO = Path(__file__).parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def schema(kind: str) -> dict:
    return json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    shutil.copytree(REPO / "course", tmp_path / "course")
    shutil.copytree(REPO / "quizzes", tmp_path / "quizzes")
    assert CliRunner().invoke(main, ["schema", str(tmp_path)]).exit_code == 0
    for kind in ("course", "lesson", "quiz"):
        assert (tmp_path / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == \
            (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")


def test_every_course_file_validates_against_its_schema() -> None:
    files = [(REPO / "course" / "course.yml", "course")]
    files += [(path, "lesson") for path in lesson_files(REPO)] + [(path, "quiz") for path in quiz_files(REPO)]
    for path, kind in files:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema(kind))


def test_every_yaml_file_names_its_schema_for_the_editor() -> None:
    for path in [REPO / "course" / "course.yml", *lesson_files(REPO), *quiz_files(REPO)]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), path


@pytest.mark.parametrize(("kind", "data", "problem"), [
    ("lesson", {"titel": "x"}, "Additional properties"),
    ("quiz", {"id": "q", "title": {"fr": "Quiz"}, "passing_score": 80, "questions": []}, "'en' is a required"),
    ("quiz", {"id": "q", "title": {"fr": "a", "en": "b"}, "passing_score": 120, "questions": []}, "maximum"),
])
def test_schemas_flag_what_the_editor_should_underline(kind: str, data: dict, problem: str) -> None:
    with pytest.raises(jsonschema.ValidationError) as error:
        jsonschema.validate(data, schema(kind))
    found = [str(e.message) for e in jsonschema.Draft202012Validator(schema(kind)).iter_errors(data)]
    assert any(problem in message for message in found), (error.value.message, found)


def test_new_lesson_and_quiz_are_valid_and_linked(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(FIXTURE, root)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "lesson", "l3", "--module", "m1", "--dir", str(root)]).exit_code == 0
    assert runner.invoke(main, ["new", "quiz", "q9", "--dir", str(root)]).exit_code == 0
    result = runner.invoke(main, ["check", str(root)])
    problems = [line for line in result.output.splitlines() if ": error: " in line]
    assert problems == []  # only warnings: l3 and q9 are not used by a module yet
    assert "course/lessons/m1/l3.yml:" in result.output and "is in no module" in result.output
    again = runner.invoke(main, ["new", "lesson", "l3", "--module", "m1", "--dir", str(root)])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(main, ["new", "quiz", "Bad Id", "--dir", str(root)])
    assert bad.exit_code != 0 and "lower-case letters" in bad.output


def test_help_fits_one_screen_for_every_command() -> None:
    runner = CliRunner()
    for command in ([], ["check"], ["build"], ["serve"], ["schema"], ["new"], ["preview"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert len(result.output.splitlines()) <= 30, command
