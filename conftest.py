"""Repository-wide pytest policy: a skipped test is not a passing one.

Odoo skips HttpCase tests (and so every browser tour) when it cannot start a
browser or serve HTTP. Such a run must not be reported green, so any skip
turns the session into a failure.
"""


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} test(s) were skipped; a skipped test is a failure here.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


def pytest_collection_finish(session):
    """Build Odoo's static routes once, in this thread, before any HttpCase.

    On this CPython (3.11.7) several server threads parsing the add-on
    manifests at once can fail with "AST constructor recursion depth
    mismatch"; the first requests of a fresh test server do exactly that.
    """
    from odoo import http

    assert http.root.statics
