"""The published page, in a real browser (headless Chromium through Playwright):
its filters give exactly the answers `forebygging query` gives, they work with
the keyboard alone, axe-core finds no serious or critical violation, it makes
no external request, and screenshots at phone and desktop width are kept as
test artefacts (test-artifacts/) for a person to look at.

Without a browser the tests skip with the reason; CI sets
FOREBYGGING_REQUIRE_BROWSER=1, so there a missing browser fails instead.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import FIXTURES, PLANS, ROOT, run_cli

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FOREBYGGING_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


def _missing(reason: str) -> None:
    if os.environ.get("FOREBYGGING_REQUIRE_BROWSER"):
        pytest.fail(f"the browser tests must run here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set FOREBYGGING_CHROMIUM)")
    try:
        manager = sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - the driver itself did not start (a missing libatomic.so.1)
        _missing(f"Playwright's driver did not start ({exc}); on Debian it needs libatomic1 (apt-get install "
                 "libatomic1)")
    try:
        instance = manager.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    except Exception as exc:  # noqa: BLE001
        manager.stop()
        _missing(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield instance
    instance.close()
    manager.stop()


#: the plans the page is tried on: both of the repository's (bokmål), and a nynorsk one the tests hold
PLAN_FILES = {"lier": PLANS / "lier.yaml", "os": PLANS / "os.yaml", "fjellvik": FIXTURES / "fjellvik.yaml"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The rendered pages, each in its plan's own language (what a municipality publishes)."""
    directory = tmp_path_factory.mktemp("sider")
    out = {}
    for stem, source in PLAN_FILES.items():
        path = directory / f"{stem}.html"
        result = run_cli("render", str(source), "--format", "html", "-o", str(path), env={"FOREBYGGING_LANG": "en"})
        assert result.code == 0, result.output
        out[stem] = path
    return out


@pytest.fixture
def open_page(browser, pages):
    opened = []

    def open_(stem: str, width: int = 1280, height: int = 900):
        page = browser.new_page(viewport={"width": width, "height": height})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(pages[stem].as_uri())
        page.requests = requests
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


def expected(stem: str, *filters: str) -> list[str]:
    result = run_cli("query", str(PLAN_FILES[stem]), "--format", "json", *filters)
    assert result.code == 0, result.output
    return [record["id"] for record in json.loads(result.stdout)]


def visible(page) -> list[str]:
    """The ids of the measures shown, in the order `query` lists them (plan order)."""
    shown = page.eval_on_selector_all(".measure:not([hidden])", "items => items.map(i => i.dataset.id)")
    order = page.eval_on_selector_all(".measure", "items => items.map(i => i.dataset.id)")
    assert len(set(order)) == len(order)  # each measure once on the page
    return sorted(shown, key=lambda i: _plan_order(page, i))


def _plan_order(page, measure_id: str) -> int:
    return page.evaluate("id => Number(document.querySelector(`.measure[data-id='${id}']`).dataset.index)", measure_id)


FILTERS = {
    "lier": [("age", "13"), ("level", "indicated"), ("unit", "ppt"), ("text", "fritidsklubb"),
             ("text", '"de skulle"'), ("unit", "forebyggende-tjenester")],
    "os": [("age", "13"), ("age", "0"), ("level", "selected"), ("unit", "barnevern"), ("text", "foreldre barn")],
    "fjellvik": [("age", "13"), ("age", "3"), ("level", "selected"), ("unit", "barnevern"), ("unit", "helsestasjon"),
                 ("text", "rettleiing"), ("text", "føresette")],
}


@pytest.mark.parametrize(("stem", "kind", "value"), [(s, k, v) for s, fs in FILTERS.items() for k, v in fs])
def test_each_filter_gives_what_query_gives(open_page, stem, kind, value):
    page = open_page(stem)
    if kind in ("age", "text"):
        page.fill(f"#filter-{kind}", value)
    else:
        page.select_option(f"#filter-{kind}", value)
    answer = expected(stem, f"--{kind}", value)
    assert visible(page) == answer
    assert page.inner_text("#filter-status") == f"Viser {len(answer)} av {page.locator('.measure').count()} tiltak."


@pytest.mark.parametrize("stem", list(PLAN_FILES))
def test_filters_combine_and_unknown_ages_come_on_request(open_page, stem):
    page = open_page(stem)
    page.fill("#filter-age", "13")
    page.select_option("#filter-level", "universal")
    assert visible(page) == expected(stem, "--age", "13", "--level", "universal")
    page.check("#filter-unknown")
    assert visible(page) == expected(stem, "--age", "13", "--level", "universal", "--include-unknown-age")
    page.click("#filter-reset")
    page.wait_for_function("document.querySelectorAll('.measure[hidden]').length === 0")
    assert len(visible(page)) == len(expected(stem))


def test_the_filters_work_with_the_keyboard_alone(open_page):
    page = open_page("lier")
    for _step in range(40):  # Tab until the age field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-age":
            break
    assert page.evaluate("document.activeElement.id") == "filter-age"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # the focus is visible
    page.keyboard.type("13")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-level"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the third level: indicated
    assert page.evaluate("document.activeElement.value") == "indicated"
    assert visible(page) == expected("lier", "--age", "13", "--level", "indicated")


@pytest.mark.parametrize("stem", list(PLAN_FILES))
def test_axe_finds_no_serious_or_critical_violation(open_page, stem):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(stem)
    page.fill("#filter-age", "13")  # the filtered state is a state a reader sees too
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("stem", list(PLAN_FILES))
def test_the_page_is_standalone_and_complete(open_page, pages, stem):
    page = open_page(stem)
    assert [url for url in page.requests if not url.startswith("file:")] == []
    assert page.evaluate("document.documentElement.lang") == ("nn" if stem == "fjellvik" else "nb")  # the plan's
    html = pages[stem].read_text(encoding="utf-8")
    # nothing that a browser fetches: no stylesheet, script, image, frame or font from elsewhere
    for fetching in ("<link", "<script src", "<img", "<iframe", "url(", "@import"):
        assert fetching not in html, fetching
    for measure_id in expected(stem):
        assert page.locator(f"#tiltak-{measure_id}").count() == 1, measure_id
    page.goto(pages[stem].as_uri() + "#tiltak-" + expected(stem)[-1])
    assert page.evaluate("location.hash") == "#tiltak-" + expected(stem)[-1]
    levels = page.eval_on_selector_all("h1, h2, h3, h4", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # headings in order


def test_it_prints_every_measure_without_the_filters(open_page):
    page = open_page("os")
    page.fill("#filter-age", "13")
    page.emulate_media(media="print")
    assert page.locator("#filters").is_hidden()
    hidden_but_printed = page.eval_on_selector_all(
        ".measure[hidden]", "items => items.filter(i => getComputedStyle(i).display !== 'none').length")
    assert hidden_but_printed == page.locator(".measure[hidden]").count() > 0


@pytest.mark.parametrize("stem", list(PLAN_FILES))
@pytest.mark.parametrize(("name", "width", "height"), [("telefon", 390, 844), ("skrivebord", 1280, 900)])
def test_screenshots_for_a_person_to_look_at(open_page, stem, name, width, height):
    page = open_page(stem, width, height)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # nothing wider than the phone's screen
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{stem}-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    shot_width, shot_height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert shot_width == width and shot_height == page_height >= height  # the whole page, at the phone's width
    assert len(set(page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": 200})[100:])) > 50  # not blank
