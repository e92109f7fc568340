"""ADL's cmi5 stack (LRS, CATAPULT player, Content Test Suite) on loopback, driven from the tests.

`stack` holds the plumbing (start the stack, the CTS and LRS APIs, an AU in Chromium);
`fixtures` the pytest fixture a test module loads with `pytest_plugins = ["tests.cmi5.fixtures"]`.
See tests/cmi5/README.md.
"""
