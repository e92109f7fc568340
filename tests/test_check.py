"""`bonsens check`: each mistake a trainer can make is reported at its exact file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main


def run_check(root: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def problem_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line or ": warning: " in line]


def hint_after(lines: list[str], problem: str) -> str:
    """The hint of `problem`: the line after its quoted source line and caret (when quoted)."""
    index = lines.index(problem) + 1
    while index < len(lines) and " | " in lines[index][:8]:
        index += 1
    return lines[index].strip() if index < len(lines) else ""


def test_clean_course_exits_zero(mini: Path) -> None:
    code, lines = run_check(mini, "--strict")
    assert code == 0
    assert problem_lines(lines) == []
    assert lines[-1] == "✓ course is clean"


def test_yaml_syntax_error(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "passing_score: 80", "passing_score: [80")
    code, lines = run_check(mini)
    assert code == 1
    problem = ("quizzes/q1.yml:7:9: error: YAML syntax error: expected ',' or ']', but got ':' "
               "(while parsing a flow sequence)")
    assert problem_lines(lines) == [problem]
    assert hint_after(lines, problem) == (
        "hint: close the list with ']' on the same line, and quote items that contain ',' or ':'")


def test_unclosed_quote_points_at_the_opening_quote(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "  en: Mini course", '  en: "Mini course')
    _, lines = run_check(mini)
    assert problem_lines(lines) == ["course/course.yml:7:7: error: YAML syntax error: this quote is never closed"]


def test_unquoted_comma_in_flow_mapping(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "feedback: {fr: Non., en: No.}\n    explanation:\n",
         "feedback: {fr: Non, hélas., en: No.}\n    explanation:\n")
    _, lines = run_check(mini)
    assert "quizzes/q1.yml:19:29: error: 'hélas.' is not a language code" in lines
    assert hint_after(lines, "quizzes/q1.yml:19:29: error: 'hélas.' is not a language code") == (
        "hint: a ',' inside `{fr: ..., en: ...}` splits the text: put the text in quotes")


def test_tab_indentation(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "  fr: Mini-cours", "\tfr: Mini-cours")
    _, lines = run_check(mini)
    problem = problem_lines(lines)[0]
    assert problem.startswith("course/course.yml:6:1: error: YAML syntax error")
    assert hint_after(lines, problem) == "hint: indent with spaces, not tabs"


def test_unknown_key_suggests_the_right_one(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "      - text: {fr: La bonne, en: The right one}\n        correct: true",
         "      - text: {fr: La bonne, en: The right one}\n        corect: true")
    code, lines = run_check(mini)
    assert code == 1
    assert "quizzes/q1.yml:16:9: error: unknown key 'corect'" in lines
    assert hint_after(lines, "quizzes/q1.yml:16:9: error: unknown key 'corect'") == "hint: did you mean 'correct'?"


def test_unknown_key_lists_allowed_keys(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "minutes: 5", "minutes: 5\ncolour: blue")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l2.yml:10:1: error: unknown key 'colour'" in lines
    assert hint_after(lines, "course/lessons/m1/l2.yml:10:1: error: unknown key 'colour'").startswith(
        "hint: allowed here: id, title, summary, minutes")


def test_missing_required_field(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "    explanation: {fr: Il est bleu., en: It is blue.}\n", "")
    _, lines = run_check(mini)
    assert "quizzes/q1.yml:36:5: error: missing required key 'explanation'" in lines


def test_wrong_type(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "minutes: 5", "minutes: five")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l2.yml:9:10: error: 'minutes' must be a whole number, not the text 'five'" in lines


def test_number_where_text_is_expected(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "version: 1.0.0", "version: 1.0")
    _, lines = run_check(mini)
    problem = "course/course.yml:3:10: error: 'version' must be text, not the number 1.0"
    assert problem in lines
    assert hint_after(lines, problem) == 'hint: put it in quotes: "1.0"'


def test_english_no_stays_text(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "feedback_true: {fr: Non., en: No.}", "feedback_true: {fr: Non, en: No}")
    code, _ = run_check(mini, "--strict")
    assert code == 0


def test_duplicate_key(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "minutes: 5", "minutes: 5\nminutes: 6")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l2.yml:10:1: error: duplicate key 'minutes'" in lines


def test_duplicate_id_across_files(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "id: l2", "id: l1")
    _, lines = run_check(mini)
    assert any(line.startswith("course/lessons/m1/l2.yml:2:5: error: duplicate id 'l1' (also used in "
                               "course/lessons/m1/l1.yml)") for line in lines)


def test_duplicate_question_id(mini: Path, edit) -> None:
    edit(mini / "quizzes/exam.yml", "id: exam-2", "id: q1-single")
    _, lines = run_check(mini)
    assert "quizzes/q1.yml:9:9: error: duplicate id 'q1-single' (also used by a question at " \
           "quizzes/exam.yml:16)" in lines


def test_duplicate_module_and_lesson_id(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "  - id: m1", "  - id: l1")
    _, lines = run_check(mini)
    assert "course/course.yml:12:9: error: duplicate id 'l1' (also used by course/lessons/m1/l1.yml)" in lines


def test_question_without_correct_answer(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "      - text: {fr: La bonne, en: The right one}\n        correct: true\n",
         "      - text: {fr: La bonne, en: The right one}\n")
    _, lines = run_check(mini)
    problem = "quizzes/q1.yml:15:7: error: no choice is marked `correct: true`"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: mark the right answer with `correct: true`"


def test_single_choice_with_two_correct(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "      - text: {fr: La mauvaise, en: The wrong one}\n",
         "      - text: {fr: La mauvaise, en: The wrong one}\n        correct: true\n")
    _, lines = run_check(mini)
    problem = "quizzes/q1.yml:19:18: error: a single-choice question has 2 correct choices"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: keep one `correct: true`, or use `type: multiple`"


def test_true_false_with_two_answers(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "    answer: false", "    answer: [true, false]")
    _, lines = run_check(mini)
    assert "quizzes/q1.yml:39:13: error: a true/false question has exactly one right answer" in lines


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      - left: {fr: Chien, en: Dog}\n        right: {fr: Ouaf, en: Woof}\n", "",
         "quizzes/q1.yml:47:7: error: a matching question needs at least 2 pairs"),
        ("      - {fr: Deux, en: Two}\n      - {fr: Trois, en: Three}\n", "",
         "quizzes/q1.yml:56:7: error: an ordering question needs at least 2 items"),
    ],
)
def test_matching_and_ordering_need_two(mini: Path, edit, old: str, new: str, expected: str) -> None:
    edit(mini / "quizzes/q1.yml", old, new)
    _, lines = run_check(mini)
    assert expected in lines


@pytest.mark.parametrize("score", ["120", "-5"])
def test_passing_score_out_of_range(mini: Path, edit, score: str) -> None:
    edit(mini / "quizzes/q1.yml", "passing_score: 80", f"passing_score: {score}")
    _, lines = run_check(mini)
    bound = "at most 100" if score == "120" else "at least 0"
    assert f"quizzes/q1.yml:6:16: error: 'passing_score' must be {bound}, not {score}" in lines


def test_draw_larger_than_bank(mini: Path, edit) -> None:
    edit(mini / "quizzes/exam.yml", "draw: 2", "draw: 5")
    _, lines = run_check(mini)
    problem = "quizzes/exam.yml:7:7: error: cannot draw 5 questions from a bank of 3"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: lower `draw` to at most 3 or add questions"


def test_reference_to_missing_lesson(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "lessons: [l1, l2]", "lessons: [l1, l3]")
    _, lines = run_check(mini)
    assert "course/course.yml:16:19: error: lesson 'l3' does not exist" in lines
    assert "course/lessons/m1/l2.yml:2:5: warning: lesson 'l2' is in no module, so learners never see it" in lines


def test_reference_to_missing_quiz(mini: Path, edit) -> None:
    edit(mini / "course/course.yml", "quiz: q1", "quiz: q2")
    _, lines = run_check(mini)
    problem = "course/course.yml:17:11: error: quiz 'q2' does not exist"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: create it with `bonsens new quiz q2`"


def test_reference_to_missing_image(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l1.yml", "![A diagram](images/diagram.svg)", "![A diagram](images/diagam.svg)")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l1.yml:25:22: error: image not found: 'images/diagam.svg'" in lines


def test_remote_image_is_refused(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l1.yml", "![A diagram](images/diagram.svg)",
         "![A diagram](https://cdn.example.com/d.svg)")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l1.yml:25:22: error: images must be files of the course, not loaded " \
           "from another site" in lines


def test_missing_translation(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "  fr: Suite.\n  en: Next.\n", "  fr: Suite.\n")
    _, lines = run_check(mini)
    problem = "course/lessons/m1/l2.yml:7:3: error: missing 'en' translation"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: add `en:` beside 'fr'"


def test_undeclared_language_is_a_warning(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "  fr: Suite.\n  en: Next.\n", "  fr: Suite.\n  en: Next.\n  de: Weiter.\n")
    code, lines = run_check(mini)
    assert code == 0
    assert "course/lessons/m1/l2.yml:9:3: warning: language 'de' is not declared in course.yml" in lines
    code, _ = run_check(mini, "--strict")
    assert code == 1


def test_link_to_missing_page(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "[first lesson](lesson:l1)", "[first lesson](lesson:l9)")
    _, lines = run_check(mini)
    assert "course/lessons/m1/l2.yml:19:38: error: link to a lesson that does not exist: 'l9'" in lines


def test_relative_link_to_missing_file(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l1.yml", "[lien](lesson:l2)", "[lien](autre-page.md)")
    _, lines = run_check(mini)
    problem = "course/lessons/m1/l1.yml:19:38: error: page or file not found: 'autre-page.md'"
    assert problem in lines
    assert hint_after(lines, problem) == "hint: link to another lesson with lesson:ID"


def test_javascript_link_is_refused(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l1.yml", "[lien](lesson:l2)", "[lien](javascript:alert(1))")
    _, lines = run_check(mini)
    assert any(line.startswith("course/lessons/m1/l1.yml:19:38: error: link scheme not allowed")
               for line in lines)


def test_all_problems_reported_in_one_run(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "minutes: 5", "minutes: 500")
    edit(mini / "quizzes/q1.yml", "passing_score: 80", "passing_score: 180")
    edit(mini / "quizzes/exam.yml", "draw: 2", "draw: 9")
    code, lines = run_check(mini)
    assert code == 1
    files = {line.split(":")[0] for line in problem_lines(lines)}
    assert files == {"course/lessons/m1/l2.yml", "quizzes/q1.yml", "quizzes/exam.yml"}
    assert lines[-1] == "3 error(s), 0 warning(s)"


def test_warning_fails_only_with_strict(mini: Path, edit) -> None:
    edit(mini / "quizzes/q1.yml", "        feedback: {fr: Non., en: No.}\n    explanation:\n",
         "    explanation:\n")
    code, lines = run_check(mini)
    assert code == 0
    assert "quizzes/q1.yml:18:9: warning: choice has no feedback" in lines
    code, _ = run_check(mini, "--strict")
    assert code == 1


def test_missing_course_file(tmp_path: Path) -> None:
    code, lines = run_check(tmp_path)
    assert code == 1
    assert lines[0] == "course/course.yml:1:1: error: course file not found"


def test_empty_and_non_utf8_files(mini: Path) -> None:
    (mini / "quizzes/q1.yml").write_text("", encoding="utf-8")
    (mini / "course/lessons/m1/l2.yml").write_bytes(b"id: l2\ntitle: \xff\xfe\n")
    _, lines = run_check(mini)
    assert "quizzes/q1.yml:1:1: error: file is empty" in lines
    assert ("course/lessons/m1/l2.yml:2:8: error: file is not UTF-8 text: it looks like "
            "Latin-1/Windows-1252, where byte 0xFF here is 'ÿ'") in lines


def test_output_is_plain_when_not_a_terminal(mini: Path, edit) -> None:
    edit(mini / "course/lessons/m1/l2.yml", "minutes: 5", "minutes: 0")
    result = CliRunner().invoke(main, ["check", str(mini)], color=False)
    assert "\x1b[" not in result.output
    coloured = CliRunner().invoke(main, ["check", str(mini)], color=True)
    assert "\x1b[31m" in coloured.output
