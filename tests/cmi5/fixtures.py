"""The pytest fixture of the cmi5 stack; a test module loads it with
`pytest_plugins = ["tests.cmi5.fixtures"]` and takes `cmi5` (and the session `browser`)."""

from __future__ import annotations

import pytest

from tests.cmi5.stack import HARNESS, Cmi5, ensure_stack


@pytest.fixture(scope="session")
def cmi5() -> Cmi5:
    """One running stack for the whole run: skipped only when the harness is absent, failed when it is
    present but does not work (set up, started or logged in)."""
    if not HARNESS.is_dir():
        pytest.skip(f"no cmi5 harness at {HARNESS} (ADL's LRS, cmi5 player and Content Test Suite)")
    return Cmi5(ensure_stack())
