"""What the browser tests share (tests/test_page.py, test_page_filters.py, test_site.py): one headless
Chromium per test module (Playwright), pages that record every request that is not for a local file (and
refuse it, so nothing reaches the network), and the answers `forebygging query` gives to compare with.

Without a browser the tests skip with the reason; CI sets FOREBYGGING_REQUIRE_BROWSER=1, so there a
missing browser fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FOREBYGGING_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
PHONE, DESKTOP = (390, 844), (1280, 900)


def missing(reason: str) -> None:
    if os.environ.get("FOREBYGGING_REQUIRE_BROWSER"):
        pytest.fail(f"the browser tests must run here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module's tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set FOREBYGGING_CHROMIUM)")
    try:
        manager = sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - the driver itself did not start (a missing libatomic.so.1)
        missing(f"Playwright's driver did not start ({exc}); on Debian it needs libatomic1 (apt-get install "
                "libatomic1)")
    try:
        instance = manager.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    except Exception as exc:  # noqa: BLE001
        manager.stop()
        missing(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield instance
    instance.close()
    manager.stop()


def offline_page(browser, size: tuple[int, int], javascript: bool):
    """A page in a new browser context that refuses every request for something that is not a local file:
    `page.outside` lists them, `page.errors` the script's errors. Returns (context, page)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, java_script_enabled=javascript)
    outside: list[str] = []

    def refuse(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.outside, page.errors = outside, []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


@pytest.fixture
def opener(browser):
    """open(path, size=DESKTOP, address="", javascript=True) -> a page; `page.outside` lists every request
    for something that is not a local file (each is refused)."""
    contexts = []

    def open_(path: Path, size: tuple[int, int] = DESKTOP, address: str = "", javascript: bool = True):
        context, page = offline_page(browser, size, javascript)
        contexts.append(context)
        page.goto(path.as_uri() + address)
        return page

    yield open_
    for context in contexts:
        context.close()


def query_records(*args: str) -> list[dict]:
    """`forebygging query ARGS --format json`: the records."""
    result = run_cli("query", *args, "--format", "json")
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def query_ids(path: Path, *filters: str) -> list[str]:
    return [record["id"] for record in query_records(str(path), *filters)]


def left_out(path: Path, *filters: str) -> int:
    """How many measures query leaves out for `filters` because they state no age: the number its footer
    prints, counted as the records --include-unknown-age adds marked age_unknown."""
    records = query_records(str(path), *filters, "--include-unknown-age")
    return sum(1 for record in records if record["age_unknown"])


def shown(page) -> list[str]:
    """The ids of the measures shown, in plan order (as query lists them)."""
    items = page.eval_on_selector_all(".measure", "items => items.map(i => [Number(i.dataset.index), i.dataset.id, "
                                                  "i.hidden])")
    assert len({item[1] for item in items}) == len(items)  # each measure once on the page
    return [measure for _index, measure, hidden in sorted(items) if not hidden]


def inside_viewport(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] + box["width"] <= size["width"]


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def axe_violations(page) -> list[tuple[str, str, str]]:
    """axe-core's serious and critical violations of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def screenshot(page, name: str, full: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target), full_page=full)
    return target
