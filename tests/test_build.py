"""`bonsens build`: complete, reproducible, incremental and atomic outputs."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import builder.build
import builder.packages.jobs
import builder.quiz_jobs
import builder.workers
from builder.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
SCHEMAS = Path(__file__).parent.parent.parent / "shared" / "scorm-schemas"
IMSMD12 = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(root), *args])
    return result.exit_code, result.output


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "c")
    return tmp_path / "c"


def test_build_writes_the_site_and_one_package_per_language_and_standard(course: Path) -> None:
    code, output = build(course)
    assert code == 0, output
    assert (course / "site" / "index.html").is_file() and (course / "site" / "en" / "index.html").is_file()
    names = sorted(p.name for p in (course / "dist").iterdir())
    assert names == [f"mini-course-1.0.0-{lang}-{std}.zip" for lang in ("en", "fr")
                     for std in ("cmi5", "scorm12", "scorm2004")]
    assert sorted(p.name for p in (course / "site" / "downloads").iterdir()) == names


@pytest.mark.parametrize("layout", [[], ["--multi-sco"]])
def test_packages_are_complete_and_self_contained(course: Path, layout: list[str]) -> None:
    assert build(course, *layout)[0] == 0
    for package in (course / "dist").glob("*.zip"):
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
            assert all(not n.startswith("/") and "\\" not in n and ".." not in n.split("/") for n in names)
            cmi5 = package.name.endswith("-cmi5.zip")
            if cmi5:  # cmi5.xml lists no files; its AU's launch page is there
                assert "cmi5.xml" in names and "imsmanifest.xml" not in names, package.name
                assert "sco-course.html" in names
            else:
                manifest = etree.fromstring(archive.read("imsmanifest.xml"))
                listed = {f.get("href") for f in manifest.iter() if etree.QName(f).localname == "file"}
                assert listed == names - {"imsmanifest.xml"}, package.name
            lang = "en" if "-en-" in package.name else "fr"
            other = "fr" if lang == "en" else "en"
            for name in names:
                if name.endswith(".html"):
                    page = archive.read(name).decode()
                    assert 'class="md-select' not in page and "lms.html" not in page, name
                    assert f'hreflang="{other}"' not in page
                    assert "<script src=\"http" not in page and 'rel="stylesheet" href="http' not in page
            has_english_folder = any(n.startswith("en/") for n in names)
            assert has_english_folder == (lang == "en" or cmi5)  # a cmi5 package holds every language


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/scorm-schemas is not beside the repository")
@pytest.mark.parametrize("layout", [[], ["--multi-sco"]])
def test_every_manifest_is_valid_against_the_official_schemas(course: Path, layout: list[str]) -> None:
    assert build(course, *layout)[0] == 0
    schemas = {"scorm12": etree.XMLSchema(etree.parse(str(SCHEMAS / "scorm12" / "offline-driver.xsd"))),
               "scorm2004": etree.XMLSchema(etree.parse(str(SCHEMAS / "scorm2004-4th" / "offline-driver.xsd")))}
    schemas["cmi5"] = etree.XMLSchema(etree.parse(str(SCHEMAS / "cmi5" / "CourseStructure.xsd")))
    for package in sorted((course / "dist").glob("*.zip")):
        standard = next(s for s in ("scorm2004", "cmi5", "scorm12") if s in package.name)
        with zipfile.ZipFile(package) as archive:
            manifest = etree.fromstring(archive.read("cmi5.xml" if standard == "cmi5" else "imsmanifest.xml"))
        if standard == "scorm12":  # imsmd 1.2.1 cannot be loaded by libxml2 (see the schemas' README)
            for lom in list(manifest.iter(f"{IMSMD12}lom")):
                lom.getparent().remove(lom)
        schema = schemas[standard]
        assert schema.validate(manifest.getroottree()), f"{package.name}: {schema.error_log}"


def copies(tmp_path: Path, *names: str) -> list[Path]:
    """Copies of the fixture course, one per name."""
    return [Path(shutil.copytree(FIXTURE, tmp_path / name)) for name in names]


def assert_same_outputs(a: Path, b: Path) -> None:
    assert tree_digest(a / "site") == tree_digest(b / "site")
    assert tree_digest(a / "dist") == tree_digest(b / "dist")


def test_same_input_gives_byte_identical_outputs(tmp_path: Path) -> None:
    first, second = copies(tmp_path, "a", "b")
    assert build(first)[0] == 0 and build(second)[0] == 0
    assert_same_outputs(first, second)


def test_worker_processes_give_the_same_outputs_as_one_process(tmp_path: Path, monkeypatch) -> None:
    """Quiz texts and packages made in worker processes are the ones one process makes."""
    parallel, single = copies(tmp_path, "parallel", "single")
    pools = []

    def start_pool(project):
        pools.append(builder.workers.start_pool(project))
        return pools[-1]

    monkeypatch.setattr(builder.build, "start_pool", start_pool)
    monkeypatch.setattr(builder.workers, "cores", lambda: 2)
    assert build(parallel)[0] == 0
    monkeypatch.setattr(builder.workers, "cores", lambda: 1)
    assert build(single)[0] == 0
    assert pools[0] is not None and pools[1] is None  # workers, then none
    assert_same_outputs(parallel, single)


def test_a_worker_that_dies_costs_time_not_the_build(tmp_path: Path, monkeypatch) -> None:
    """Quiz data and packages whose worker process died are made in the main process instead."""
    crashed, single = copies(tmp_path, "crashed", "single")
    main_process = os.getpid()
    redone = []

    def dies_in_a_worker(real):
        def run(*args, **kwargs):
            if os.getpid() != main_process:
                os._exit(9)  # as if the system had killed it
            redone.append(real.__name__)
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(builder.workers, "cores", lambda: 2)
    monkeypatch.setattr(builder.quiz_jobs, "quiz_json", dies_in_a_worker(builder.quiz_jobs.quiz_json))
    monkeypatch.setattr(builder.packages.jobs, "package_language",
                        dies_in_a_worker(builder.packages.jobs.package_language))
    code, output = build(crashed)
    assert code == 0, output
    assert {"quiz_json", "package_language"} <= set(redone)  # the workers' share, done here
    monkeypatch.setattr(builder.workers, "cores", lambda: 1)
    assert build(single)[0] == 0
    assert_same_outputs(crashed, single)


def test_dist_holds_exactly_the_packages_of_the_last_build(course: Path) -> None:
    assert build(course)[0] == 0
    (course / "dist" / "notes.txt").write_text("kept: not a package of this course", encoding="utf-8")
    code, output = build(course, "--multi-sco")
    assert code == 0, output
    assert "Moodle 4.3 cannot play SCORM 2004 multi-SCO packages" in output  # said before HR imports one
    multi = sorted([f"mini-course-1.0.0-{lang}-{std}-multisco.zip" for lang in ("en", "fr")
                    for std in ("scorm12", "scorm2004")]  # and cmi5's, whose one AU is the whole course
                   + [f"mini-course-1.0.0-{lang}-cmi5.zip" for lang in ("en", "fr")])
    assert sorted(p.name for p in (course / "dist").glob("*.zip")) == multi
    assert (course / "dist" / "notes.txt").is_file()
    assert sorted(p.name for p in (course / "site" / "downloads").iterdir()) == multi
    code, output = build(course, "--scorm12")
    assert code == 0, output
    assert sorted(p.name for p in (course / "dist").glob("*.zip")) == [
        "mini-course-1.0.0-en-scorm12.zip", "mini-course-1.0.0-fr-scorm12.zip"]


def test_no_back_to_top_button_covers_text_on_the_site_or_in_an_lms_frame(course: Path) -> None:
    assert build(course)[0] == 0
    with zipfile.ZipFile(course / "dist" / "mini-course-1.0.0-fr-scorm12.zip") as archive:
        pages = [archive.read(n) for n in archive.namelist() if n.endswith(".html") and not n.startswith("sco-")]
    pages += [page.read_bytes() for page in (course / "site").rglob("*.html")]
    assert len(pages) > 6 and not [page for page in pages if b'data-md-component="top"' in page]


def test_rebuild_with_nothing_changed_does_nothing(course: Path) -> None:
    assert build(course)[0] == 0
    before = {p: p.stat().st_mtime_ns for p in (course / "dist").iterdir()}
    code, output = build(course)
    assert code == 0 and "nothing changed" in output
    assert {p: p.stat().st_mtime_ns for p in (course / "dist").iterdir()} == before


def test_incremental_build_equals_a_clean_build(tmp_path: Path, edit) -> None:
    incremental, clean = tmp_path / "inc", tmp_path / "clean"
    shutil.copytree(FIXTURE, incremental)
    assert build(incremental)[0] == 0
    edit(incremental / "course/lessons/m1/l2.yml", "en: Next.", "en: The next step.")
    code, output = build(incremental)
    assert code == 0 and "2 package(s) unchanged" in output  # the French packages did not change
    shutil.copytree(FIXTURE, clean)
    edit(clean / "course/lessons/m1/l2.yml", "en: Next.", "en: The next step.")
    assert build(clean)[0] == 0
    assert_same_outputs(incremental, clean)


def test_a_hand_edited_output_is_rebuilt(course: Path) -> None:
    assert build(course)[0] == 0
    (course / "site" / "index.html").write_text("broken", encoding="utf-8")
    code, output = build(course)
    assert code == 0 and "nothing changed" not in output
    assert "broken" not in (course / "site" / "index.html").read_text(encoding="utf-8")


def test_bad_input_leaves_previous_outputs_untouched(course: Path, edit) -> None:
    assert build(course)[0] == 0
    site, dist = tree_digest(course / "site"), tree_digest(course / "dist")
    edit(course / "quizzes/q1.yml", "passing_score: 80", "passing_score: 800")
    code, output = build(course)
    assert code == 1
    assert "quizzes/q1.yml:6:16: error: 'passing_score' must be at most 100, not 800" in output
    assert "untouched" in output
    assert tree_digest(course / "site") == site and tree_digest(course / "dist") == dist


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failure_mid_build_leaves_previous_outputs_untouched(course: Path, edit, monkeypatch, failure) -> None:
    assert build(course)[0] == 0
    site, dist = tree_digest(course / "site"), tree_digest(course / "dist")
    edit(course / "course/lessons/m1/l2.yml", "en: Next.", "en: Changed.")
    calls = []

    def failing_package(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # the site is rendered and one package written: fail now
            raise failure
        return original(*args, **kwargs)

    original = builder.packages.jobs.build_scorm_package
    monkeypatch.setattr(builder.packages.jobs, "build_scorm_package", failing_package)
    code, output = build(course)
    assert code in (1, 130)
    assert "untouched" in output
    assert tree_digest(course / "site") == site and tree_digest(course / "dist") == dist
    assert not (course / ".bonsens" / "site.building").exists()
    assert not (course / ".bonsens" / "dist.building").exists()


def test_a_package_whose_progress_could_not_be_saved_is_refused(course: Path) -> None:
    quiz = course / "quizzes/q1.yml"
    extra = "".join(
        f"  - id: q1-long-{n}\n    type: fill_in\n    prompt: {{fr: Écrivez., en: Write.}}\n"
        f"    answers: {{fr: [oui], en: [\"yes\"]}}\n    explanation: {{fr: Oui., en: Yes.}}\n"
        for n in range(40))
    quiz.write_text(quiz.read_text(encoding="utf-8") + extra, encoding="utf-8")
    code, output = build(course, "--scorm12")
    assert code == 1
    assert "the SCO 'course' may need" in output and "more than SCORM 1.2 allows (4,096)" in output
    assert "--scorm2004" in output
    assert not (course / "dist").exists() and not (course / "site").exists()
    code, output = build(course, "--scorm2004")
    assert code == 0, output


def test_json_summary_for_scripts(course: Path) -> None:
    import json

    code, output = build(course, "--json")
    assert code == 0
    summary = json.loads(output)
    site_pages = sum(1 for _ in (course / "site").rglob("*.html"))
    assert summary["up_to_date"] is False and summary["site"]["pages"] == site_pages > 10
    assert sorted(Path(p["path"]).name for p in summary["packages"]) == sorted(
        p.name for p in (course / "dist").iterdir())
    assert all(p["bytes"] > 10_000 for p in summary["packages"])
    again = json.loads(build(course, "--json")[1])
    assert again["up_to_date"] is True
