"""The cmi5 harness itself, both ways, before any package of ours is judged by it.

../shared/lms-cmi5 runs ADL's LRS, cmi5 player and cmi5 Content Test Suite on loopback (see
tests/cmi5/README.md). Its minimal AU (`sample-au.zip`) must be rated `conformant`, and its twin
that sends `passed` under the mastery score (`sample-au-bad-score.zip`) `non-conformant`: the
check we will build on is known to pass and to fail. The statements read back from the LRS prove
the round trip: launched by the player, then the AU's own from `initialized` to `terminated`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cmi5.stack import HARNESS, VERB, Cmi5, Run

pytest_plugins = ["tests.cmi5.fixtures"]

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
PLAYER_VERBS = {"launched", "satisfied"}  # written by the player (the LMS), never by the AU


def sample_au_finishes(page: Any) -> None:
    """The sample AU says DONE, or ERROR when a statement was refused; either way it has stopped."""
    page.wait_for_function("document.getElementById('status').textContent !== 'running'", timeout=30_000)


@pytest.fixture(scope="module")
def conformant(cmi5: Cmi5, browser: Any) -> Run:
    return cmi5.run(browser, HARNESS / "sample-au.zip", sample_au_finishes)


@pytest.fixture(scope="module")
def bad_score(cmi5: Cmi5, browser: Any) -> Run:
    return cmi5.run(browser, HARNESS / "sample-au-bad-score.zip", sample_au_finishes)


def au_statements(run: Run) -> list[dict[str, Any]]:
    return [statement for statement in run.statements if statement["verb"]["id"].rsplit("/", 1)[-1]
            not in PLAYER_VERBS]


# ------------------------------------------------------------------------------- conformant


def test_the_sample_au_is_rated_conformant(conformant: Run) -> None:
    verdict = conformant.verdict
    assert (verdict.result, verdict.au_results, verdict.violated_req_ids) == ("conformant", ["conformant"], []), \
        str(verdict)
    assert conformant.page.page_errors == []


def test_the_cts_watched_the_whole_launch_sequence(conformant: Run) -> None:
    """The verdict rests on what the CTS saw: the token fetched, the launch data and preferences read,
    each statement recorded."""
    summaries = [log["summary"] for log in conformant.verdict.logs]
    for seen in ("Fetch URL used", "LMS Launch Data retrieved", "Learner Preferences Agent Profile Retrieved",
                 *(f"Statement recorded: {VERB}{verb}" for verb in ("initialized", "completed", "passed",
                                                                     "terminated"))):
        assert seen in summaries, str(conformant.verdict)


def test_the_lrs_holds_the_registration_from_launched_to_terminated_in_order(conformant: Run) -> None:
    assert conformant.verbs == ["launched", "initialized", "completed", "passed", "satisfied", "terminated"]
    ours = au_statements(conformant)
    assert [statement["verb"]["id"] for statement in ours] == \
        [VERB + verb for verb in ("initialized", "completed", "passed", "terminated")]
    launch = conformant.launch
    for statement in ours:
        assert statement["object"]["id"] == launch.activity_id
        assert statement["context"]["registration"] == launch.registration
        assert {"id": CMI5_CATEGORY} in statement["context"]["contextActivities"]["category"]
    assert len({statement["context"]["extensions"][SESSION_ID] for statement in ours}) == 1
    passed = ours[2]
    assert passed["result"]["score"]["scaled"] >= passed["context"]["extensions"][MASTERY_SCORE] == 0.8


# ------------------------------------------------------------------------------- non-conformant


def test_the_bad_score_au_is_rated_non_conformant_for_passing_under_the_mastery_score(bad_score: Run) -> None:
    verdict = bad_score.verdict
    assert (verdict.result, verdict.au_results) == ("non-conformant", ["non-conformant"]), str(verdict)
    assert "9.3.4.0-2" in verdict.violated_req_ids
    assert {"session": bad_score.launch.session_id, "version": 1, "kind": "lrs", "violatedReqId": "9.3.4.0-2",
            "summary": "Spec requirement violated"} in verdict.logs


def test_a_refused_statement_never_reaches_the_lrs(bad_score: Run) -> None:
    """The CTS answers 403 and stores nothing: the AU stopped at `passed`, so no terminated either."""
    assert bad_score.verbs == ["launched", "initialized", "completed"]
