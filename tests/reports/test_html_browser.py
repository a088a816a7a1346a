"""report.html in a real headless Chromium: filters, expanding rows, escaping and no network use."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.reports import write_reports
from conformance.verdict import Level, Verdict
from tests.commands import _fakes

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INJECTION = (
    b"GET /<script>window.pwned=1</script> HTTP/1.1\r\nHost: <img src=x onerror=window.pwned=2>\r\n\r\n"
)


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless system Chromium; skipped when absent, except under CI=true where that is a failure."""
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but no chromium: run scripts/install-chromium (the HTML report must be checked)"
            )
        pytest.skip("no chromium (run scripts/install-chromium to check report.html in a browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A two-implementation report with an injection attempt in the input bytes."""
    rows = [
        _fakes.result("9112/6.3/cl-dup-differs", Verdict.FAIL, impl="h11", data=INJECTION),
        _fakes.result("9112/6.3/cl-dup-differs", Verdict.PASS, impl="reference", data=INJECTION),
        _fakes.result("9112/2.2/bare-cr", Verdict.PASS, impl="h11"),
        _fakes.result("9112/2.2/bare-cr", Verdict.PASS, impl="reference"),
        _fakes.result("9112/5.2/obs-fold", Verdict.WARN, impl="h11", level=Level.SHOULD),
        _fakes.result("9112/5.2/obs-fold", Verdict.WARN, impl="reference", level=Level.SHOULD),
    ]
    write_reports(_fakes.run_of(rows), tmp_path)
    return tmp_path / "report.html"


@pytest.mark.browser
def test_report_filters_expands_and_stays_offline(browser: Any, report: Path) -> None:
    """Unchecking a verdict hides rows, a click shows the sentence and escaped input; nothing is fetched."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.as_uri())

    rows = page.locator("#cases tr.case")
    assert rows.count() == 3
    assert page.locator("#cases tr.case:visible").count() == 3

    page.locator("input[name=verdict][value=pass]").uncheck()
    visible = page.locator("#cases tr.case:visible")
    assert [visible.nth(i).get_attribute("data-id") for i in range(visible.count())] == [
        "9112/6.3/cl-dup-differs",
        "9112/5.2/obs-fold",
    ]
    assert page.locator("#shown").inner_text() == "2 of 3 cases shown"

    page.locator("input[name=verdict][value=fail]").uncheck()
    assert page.locator("#cases tr.case:visible").count() == 1
    page.locator("input[name=verdict][value=fail]").check()
    page.locator("#onlydiff").check()
    assert page.locator("#cases tr.case:visible").count() == 1
    page.locator("#onlydiff").uncheck()
    page.locator("#idfilter").fill("obs-fold")
    assert page.locator("#cases tr.case:visible").count() == 1
    page.locator("#idfilter").fill("")
    page.locator("input[name=level][value=MUST]").uncheck()
    visible = page.locator("#cases tr.case:visible")
    assert [visible.nth(i).get_attribute("data-id") for i in range(visible.count())] == ["9112/5.2/obs-fold"]
    page.locator("input[name=level][value=MUST]").check()

    detail = page.locator("#detail-1")
    assert not detail.is_visible()
    page.locator("#case-1").click()
    assert detail.is_visible()
    assert "The sentence that 9112/6.3/cl-dup-differs checks." in detail.locator(".sentence").inner_text()
    shown_input = detail.locator(".input").inner_text()
    assert "<script>window.pwned=1</script>" in shown_input
    assert "\\r\\n" in shown_input
    page.locator("#case-1").click()
    assert not detail.is_visible()

    assert page.evaluate("window.pwned === undefined")
    assert errors == []
    assert requests == [report.as_uri()]
    page.close()
