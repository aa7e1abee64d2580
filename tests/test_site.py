"""One site for a region's plans: `forebygging render --format html -o FOLDER PLANS...` writes one page per
plan and an index.html with the plans and one finder across them. Checked in headless Chromium from the
folder (file://, nothing fetched from outside): four pages for Lier, Os and Fjellvik; the index's finder
gives what `query` gives over the same plans (derived by running it); every link between the pages leads to
what it names; each page speaks its language. And at the command line: what it refuses (a file as the
folder, a folder holding other files, files it did not write, a plan that does not validate) is one line
and exit 2, with nothing written.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import DESKTOP, PHONE, axe_violations, browser, inside_viewport, opener, overflow, screenshot  # noqa: F401
from conftest import FIXTURES, PLANS, run_cli

SOURCES = [PLANS / "lier.yaml", PLANS / "os.yaml", FIXTURES / "fjellvik.yaml"]
STEMS = [source.stem for source in SOURCES]


def make_site(folder: Path, *sources: Path, extra: tuple[str, ...] = ()):
    return run_cli("render", "--format", "html", "-o", str(folder), *map(str, sources), *extra)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("region") / "nettsted"
    result = make_site(folder, *SOURCES)
    assert result.code == 0, result.output
    return folder


@functools.lru_cache(maxsize=None)
def query(*filters: str) -> list[tuple[str, str]]:
    """(plan, id) of what `query` finds over the three plans."""
    result = run_cli("query", *map(str, SOURCES), *filters, "--format", "json")
    assert result.code == 0, result.output
    return sorted((record["plan"], record["id"]) for record in json.loads(result.stdout))


def answers(page) -> list[tuple[str, str]]:
    items = page.eval_on_selector_all(".measure:not([hidden])", "items => items.map(i => [i.dataset.plan, "
                                                                "i.dataset.id])")
    return sorted(map(tuple, items))


def one_line(result) -> str:
    """A refusal: exit 2 and one line on stderr, no traceback."""
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---------------------------------------------------------------------------
# what is written


def test_three_plans_make_four_pages(site):
    assert sorted(path.name for path in site.iterdir() if not path.name.startswith(".")) == \
        sorted([f"{stem}.html" for stem in STEMS] + ["index.html"])


def test_each_page_is_the_plans_page(site, tmp_path):
    """A plan's page in the site is the page `render -o FILE` makes, with a link back to the index."""
    for source in SOURCES:
        alone = tmp_path / f"{source.stem}.html"
        assert run_cli("render", str(source), "--format", "html", "-o", str(alone)).code == 0
        in_site = (site / f"{source.stem}.html").read_text(encoding="utf-8")
        assert 'href="index.html"' in in_site
        assert len(re.findall(r'<article id="tiltak-', in_site)) == \
            len(re.findall(r'<article id="tiltak-', alone.read_text(encoding="utf-8")))


def test_two_plans_with_one_stem_get_two_pages(tmp_path):
    for folder, source in (("nord", SOURCES[1]), ("sor", SOURCES[2])):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "plan.yaml")
    result = make_site(tmp_path / "ut", tmp_path / "nord" / "plan.yaml", tmp_path / "sor" / "plan.yaml")
    assert result.code == 0, result.output
    pages = sorted(path.name for path in (tmp_path / "ut").iterdir() if not path.name.startswith("."))
    assert pages == ["index.html", "nord-plan.html", "sor-plan.html"]
    index = (tmp_path / "ut" / "index.html").read_text(encoding="utf-8")
    assert 'href="nord-plan.html"' in index and 'href="sor-plan.html"' in index


def test_a_folder_of_plans_is_a_site(tmp_path):
    plans = tmp_path / "planer"
    plans.mkdir()
    for source in SOURCES[1:]:
        shutil.copy(source, plans / source.name)
    result = make_site(tmp_path / "ut", plans)
    assert result.code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ut").iterdir() if p.suffix == ".html") == \
        ["fjellvik.html", "index.html", "os.html"]


# ---------------------------------------------------------------------------
# what is refused


def test_a_file_as_the_folder_is_refused(tmp_path):
    target = tmp_path / "side.html"
    target.write_text("mine", encoding="utf-8")
    line = one_line(make_site(target, *SOURCES[:2]))
    assert str(target) in line and "not a folder" in line
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_folder_with_other_files_is_refused_unless_force(tmp_path):
    folder = tmp_path / "nettsted"
    folder.mkdir()
    (folder / "notat.txt").write_text("mine", encoding="utf-8")
    line = one_line(make_site(folder, *SOURCES[:2]))
    assert str(folder) in line and "--force" in line
    assert sorted(p.name for p in folder.iterdir()) == ["notat.txt"]  # nothing written
    result = make_site(folder, *SOURCES[:2], extra=("--force",))
    assert result.code == 0, result.output
    assert (folder / "notat.txt").read_text(encoding="utf-8") == "mine"  # other files stay
    assert (folder / "index.html").is_file() and (folder / "os.html").is_file()


def test_its_own_site_is_rewritten_but_not_a_file_it_did_not_write(tmp_path):
    folder = tmp_path / "nettsted"
    assert make_site(folder, *SOURCES[:2]).code == 0
    assert make_site(folder, *SOURCES[:2]).code == 0  # the command's own folder: written again
    (folder / "fjellvik.html").write_text("mine", encoding="utf-8")  # someone's file, the name of a page to come
    line = one_line(make_site(folder, *SOURCES))
    assert "fjellvik.html" in line and "--force" in line
    assert (folder / "fjellvik.html").read_text(encoding="utf-8") == "mine"
    assert make_site(folder, *SOURCES, extra=("--force",)).code == 0
    assert "<article" in (folder / "fjellvik.html").read_text(encoding="utf-8")


def test_a_plan_that_does_not_validate_is_refused_and_nothing_written(tmp_path):
    broken = tmp_path / "broken.yaml"
    text = SOURCES[2].read_text(encoding="utf-8")
    broken.write_text(text.replace("    level: universal\n", "    level: sometimes\n", 1), encoding="utf-8")
    line_number = text.splitlines().index("    level: universal") + 1
    line = one_line(make_site(tmp_path / "ut", SOURCES[0], broken))
    assert str(broken) in line and str(line_number) in line
    assert not (tmp_path / "ut").exists()
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text("schema_version: 1\nmunicipality: [\n", encoding="utf-8")
    line = one_line(make_site(tmp_path / "ut", SOURCES[0], unreadable))
    assert str(unreadable) in line and "2" in line
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize("arguments", [
    ["render", "--format", "html", "plans/lier.yaml", "plans/os.yaml"],  # no folder named
    ["render", "--format", "markdown", "-o", "ut", "plans/lier.yaml", "plans/os.yaml"],  # not a page
    ["render", "--format", "html", "-o", "ut", "plans/lier.yaml", "finnes-ikke.yaml"],  # no such plan
])
def test_wrong_usage_is_one_line(tmp_path, monkeypatch, arguments):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    for source in SOURCES[:2]:
        shutil.copy(source, tmp_path / "plans" / source.name)
    one_line(run_cli(*arguments))
    assert not (tmp_path / "ut").exists()


# ---------------------------------------------------------------------------
# in the browser


FILTERS = [
    ("age", "13", ["--age", "13"]),
    ("age", "0-5", ["--age", "0-5"]),
    ("grade", "vg1", ["--grade", "vg1"]),
    ("for", "parents", ["--audience", "parents"]),
    ("level", "indicated", ["--level", "indicated"]),
    ("plan", "os", ["--plan", "os"]),
    ("unit", "lier:ppt", ["--unit", "ppt", "--plan", "lier"]),
    ("unit", "fjellvik:barnevern", ["--unit", "barnevern", "--plan", "fjellvik"]),
    ("text", "barnevern", ["--text", "barnevern"]),
    ("text", "IL's", ["--text", "IL's"]),
]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_index_finds_what_query_finds_over_the_plans(opener, site, size):
    page = opener(site / "index.html", size)
    assert inside_viewport(page, "#filter-age")  # the question first
    screenshot(page, f"site-index-{size[0]}-first-screen.png")
    assert answers(page) == query()
    page.click("#filter-more summary")
    for field, value, options in FILTERS:
        page.evaluate("() => { const f = document.getElementById('filters'); f.reset(); "
                      "f.dispatchEvent(new Event('input', {bubbles: true})); }")
        if field in ("age", "grade", "text"):
            page.fill(f"#filter-{field}", value)
        else:
            page.select_option(f"#filter-{field}", value)
        assert answers(page) == query(*options), (field, value)
    page = opener(site / "index.html", size)  # afresh: the question, then the answer on the first screen
    page.fill("#filter-age", "13")
    assert answers(page) == query("--age", "13")
    assert inside_viewport(page, "#filter-status")
    left = sum(1 for plan_id in query("--age", "13", "--include-unknown-age") if plan_id not in query("--age", "13"))
    assert str(left) in page.inner_text("#filter-status")
    page.click("#filter-unknown")
    assert answers(page) == query("--age", "13", "--include-unknown-age")
    screenshot(page, f"site-index-{size[0]}-age-13-full.png", full=True)
    assert overflow(page) <= 1
    assert page.outside == [] and page.errors == []


def test_each_answer_names_its_municipality_and_is_marked_up_as_on_a_plans_page(opener, site):
    page = opener(site / "index.html")
    municipalities = {}
    for source in SOURCES:
        result = run_cli("query", str(source), "--format", "json")
        municipalities.update({(r["plan"], r["id"]): r["municipality"] for r in json.loads(result.stdout)})
    entries = page.eval_on_selector_all(".measure", "items => items.map(i => [i.dataset.plan, i.dataset.id, "
                                                    "i.querySelector('article').id, i.querySelector('.facts dd')"
                                                    ".textContent, i.querySelector('h4 a').getAttribute('href')])")
    assert sorted((plan, measure) for plan, measure, *_rest in entries) == query()
    for plan, measure, article, municipality, href in entries:
        assert article.startswith("tiltak-")
        assert municipality == municipalities[(plan, measure)]
        assert href == f"{plan}.html#tiltak-{measure}"
    articles = [article for _p, _m, article, _n, _h in entries]
    assert len(set(articles)) == len(articles)


def test_every_link_between_the_pages_works_offline(opener, site):
    """Every link from a page of the site to a page of the site names a file there and an element in it; a
    click on an answer on the index opens its measure on its plan's page."""
    pages = sorted(site.glob("*.html"))
    ids, links = {}, {}
    for path in pages:
        page = opener(path, javascript=False)
        ids[path.name] = set(page.eval_on_selector_all("[id]", "es => es.map(e => e.id)"))
        links[path.name] = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        assert page.outside == []
    checked = 0
    for name, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                assert parts.scheme in ("mailto", "tel", "http", "https"), href  # the plans' own contacts
                continue
            target = parts.path or name
            assert target in ids, (name, href)
            assert not parts.fragment or unquote(parts.fragment) in ids[target], (name, href)
            checked += 1
    assert checked > len(query())  # every answer links to its measure, and more
    for plan in STEMS:
        assert "index.html" in links[f"{plan}.html"]  # each plan's page leads back
    page = opener(site / "index.html", PHONE)
    page.fill("#filter-age", "13")
    plan, measure = query("--age", "13")[-1]
    page.click(f"#tiltak-{plan}--{measure} h4 a")
    page.wait_for_url(f"**/{plan}.html#tiltak-{measure}")
    assert page.locator(f"#tiltak-{measure}").is_visible()
    assert page.outside == [] and page.errors == []


def test_each_page_speaks_its_language_and_axe_finds_nothing_serious(opener, site):
    expected = {"index.html": "nb", "lier.html": "nb", "os.html": "nb", "fjellvik.html": "nn"}
    for name, language in expected.items():
        page = opener(site / name)
        assert page.evaluate("document.documentElement.lang") == language, name
    page = opener(site / "index.html")
    nynorsk = page.eval_on_selector_all(".measure[data-plan='fjellvik'] h4", "hs => hs.map(h => h.lang)")
    assert nynorsk and set(nynorsk) == {"nn"}  # the plan's own words keep their language
    assert axe_violations(page) == []
    page.fill("#filter-age", "13")
    page.click("#filter-more summary")
    assert axe_violations(page) == []
    assert page.outside == [] and page.errors == []


def test_the_index_speaks_the_plans_common_language(opener, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(SOURCES[2], tmp_path / "a" / "fjellvik.yaml")
    shutil.copy(SOURCES[2], tmp_path / "b" / "fjellvik.yaml")
    assert make_site(tmp_path / "ut", tmp_path / "a", tmp_path / "b").code == 0
    page = opener(tmp_path / "ut" / "index.html", javascript=False)
    assert page.evaluate("document.documentElement.lang") == "nn"


def test_without_javascript_the_index_shows_every_answer_and_no_form(opener, site):
    page = opener(site / "index.html", PHONE, javascript=False)
    assert page.locator("#filters").is_hidden()
    shown = page.eval_on_selector_all(".measure", "items => items.filter(i => i.getClientRects().length).length")
    assert shown == len(query())
    assert overflow(page) <= 1
