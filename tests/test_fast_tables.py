"""render/tables.py draws the measures tables as rich draws them: segment for segment (style for style) for
random tables of their shape at every width, and the whole `query` output with it on and off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from conftest import bench_corpus
from forebygging_cli.render import tables
from forebygging_cli.render.terminal import IdsWhole

ROOT = Path(__file__).resolve().parent.parent
PLANS = [ROOT / "plans" / "lier.yaml", ROOT / "plans" / "os.yaml"]

LETTERS = "abcdefghijklmnopqrstuvwxyzæøåÆØÅABCZ0123456789-/.,()éü"
ODD = ["漢字", "😀", "e\u0301", "ﾊﾟ", "–", "†", "≥"]


@st.composite
def words(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["word", "word", "word", "long", "odd"]))
    if kind == "long":
        return draw(st.text(LETTERS, min_size=15, max_size=70))
    if kind == "odd":
        return draw(st.sampled_from(ODD)) + draw(st.text(LETTERS, max_size=4))
    return draw(st.text(LETTERS, min_size=1, max_size=12))


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.lists(words(), max_size=8).map(lambda w: draw(st.sampled_from([" ", " ", "  "])).join(w)),
                          min_size=1, max_size=3))
    return "\n".join(lines)


@st.composite
def styled(draw: st.DrawFn, style: str = "") -> Text:
    text = Text(draw(texts()), style=style)
    for _ in range(draw(st.integers(0, 2))):  # bold or dim stretches inside
        if len(text):
            start = draw(st.integers(0, len(text) - 1))
            text.stylize(draw(st.sampled_from(["bold", "dim", "italic"])), start,
                         draw(st.integers(start + 1, len(text))))
    return text


@st.composite
def rows(draw: st.DrawFn) -> tuple[Text, Text, Text, Text, str]:
    name = draw(styled("bold"))
    ident = draw(st.text(LETTERS.lower(), max_size=40))
    name.append("\n" + ident, style="dim")
    target = draw(styled())
    if draw(st.booleans()):
        target.append(" (for staff)", style="italic")
    age = draw(styled())
    if draw(st.booleans()):
        age.stylize("yellow")
    return name, target, age, draw(styled()), ident


def measures(title: str, body: list[tuple[Text, Text, Text, Text, str]]) -> IdsWhole:
    """A table of terminal.MeasuresTable's shape (the same options, columns and cells)."""

    def build(width: int | None) -> Table:
        table = Table(title=Text(title), title_justify="left", title_style="bold", show_lines=False, expand=False)
        table.add_column("Measure", ratio=3, overflow="fold", width=width or None)
        table.add_column("Target group", ratio=3, overflow="fold")
        table.add_column("Age", ratio=2, overflow="fold")
        table.add_column("Responsible", ratio=3, overflow="fold")
        for name, target, age, responsible, _ident in body:
            table.add_row(name.copy(), target.copy(), age.copy(), responsible.copy())
        return table

    return IdsWhole(build, [row[4] for row in body])


def console(width: int, colour: bool) -> Console:
    return Console(file=io.StringIO(), width=width, color_system="standard" if colour else None,
                   force_terminal=colour, markup=False, emoji=False, highlight=False)


def drawn(renderable: object, width: int, colour: bool, fast: bool, monkeypatch: pytest.MonkeyPatch):
    """(the segments with text, the printed output) with the fast tables on or off."""
    monkeypatch.setattr(tables, "ENABLED", fast)
    out = console(width, colour)
    segments = [s for s in out.render(renderable) if s.text]
    out.print(renderable)
    return segments, out.file.getvalue()


def handled(renderable: IdsWhole, width: int) -> bool:
    """Whether the fast path draws the table at this width (rather than handing it back to rich)."""
    out = console(width, False)
    return renderable.fast(renderable.build(None), out, out.options) is not None


COUNTS = {"all": 0, "fast": 0}


@settings(max_examples=250, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: a failure shows its example at once
@given(title=texts(), body=st.lists(rows(), max_size=5),
       width=st.one_of(st.integers(20, 200), st.just(100_000)), colour=st.booleans())
def test_the_fast_tables_draw_what_rich_draws(title, body, width, colour, monkeypatch_module):
    table = measures(title.replace("\n", " "), body)
    fast = drawn(table, width, colour, True, monkeypatch_module)
    slow = drawn(table, width, colour, False, monkeypatch_module)
    assert fast[1] == slow[1]
    assert fast[0] == slow[0]
    COUNTS["all"] += 1
    COUNTS["fast"] += handled(table, width)



@settings(max_examples=250, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(title=texts(), body=st.lists(rows(), min_size=1, max_size=5),
       width=st.one_of(st.integers(20, 200), st.just(100_000)))
def test_the_tables_as_text_are_what_rich_prints_without_colour(title, body, width, monkeypatch_module):
    """IdsWhole.text (a national query's tables, made as text where the console has no colour) is the text rich
    prints for the table, line for line, wherever the fast tables draw it."""
    table = measures(title.replace("\n", " "), body)
    monkeypatch_module.setattr(tables, "ENABLED", False)
    out = console(width, False)
    out.print(table)
    cells = [tuple(cell.plain for cell in row[:4]) for row in body]
    text = table.text(table.build(None), cells, out, out.options)
    if handled(table, width):
        assert text is not None
    if text is not None:
        assert "".join(line + "\n" for line in text) == out.file.getvalue()
    # the frame the measures tables share (their columns, no title), with each table's title given apart
    shared = table.build(None)
    title_text, shared.title = shared.title, None
    assert table.text(shared, cells, out, out.options, title=title_text) == text
    whole = table.build(None)
    layout = tables.Layout.of_text(whole, cells, out)
    if layout is not None:  # the width IdsWhole compares with the room, as rich measures it
        assert layout.natural() == Measurement.get(out, out.options.update_width(1 << 20), whole).maximum


PLAIN_COUNTS = {"all": 0, "text": 0}


@st.composite
def plain_tables(draw: st.DrawFn):
    """A table of terminal.simple_table's shape (plans, units, the counts): words and numbers, some columns
    dim or right-aligned, some joined where the table is too wide, under a title or none, and a footer."""
    from forebygging_cli.render.terminal import PlainGroup, simple_table

    count = draw(st.integers(2, 7))
    headers = [draw(st.text(LETTERS, min_size=1, max_size=14)) for _ in range(count)]
    cell = st.one_of(st.integers(0, 9999).map(str), st.just("–"), st.just(""),
                     st.lists(words(), min_size=1, max_size=5).map(" ".join))
    body = draw(st.lists(st.lists(cell, min_size=count, max_size=count), max_size=7))
    numbers = [index for index in range(count) if draw(st.booleans())]
    dim = [index for index in range(count) if draw(st.booleans())]
    merge = None
    if count >= 3 and draw(st.booleans()):
        start = draw(st.integers(0, count - 2))
        merge = (list(range(start, min(count, start + draw(st.integers(2, 3))))), "joined")
    title = draw(st.one_of(st.just(""), st.lists(words(), min_size=1, max_size=6).map(" ".join)))
    footer = draw(st.lists(words(), max_size=30).map(" ".join))
    return PlainGroup(simple_table(title, headers, body, dim_columns=dim, numbers=numbers, merge=merge),
                      Text(footer))


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(group=plain_tables(), width=st.one_of(st.integers(8, 200), st.just(100_000)))
def test_the_plain_tables_as_text_are_what_rich_prints_without_colour(group, width, monkeypatch_module):
    """PlainGroup.plain_lines (plans, units, coverage and the counts, made as text where the console has no
    colour) is the text rich prints, line for line, padding and all, wherever it makes it: the same layout
    of WholeWords chosen, the same widths, wrapping and right-aligned numbers."""
    monkeypatch_module.setattr(tables, "ENABLED", True)
    out = console(width, False)
    made = group.plain_lines(out, out.options)
    out.print(group)
    if made is not None:
        assert "".join(line + "\n" for line in made) == out.file.getvalue()
    if width >= 60 and group.renderables[0].layouts[0]().rows:  # narrower, rich squeezes the columns itself
        PLAIN_COUNTS["all"] += 1
        PLAIN_COUNTS["text"] += made is not None


def test_the_plain_tables_are_mostly_made_as_text():
    """Run after the property test above (file order): of its tables with rows, at 60 columns or wider, at
    least 95 % were made as text."""
    if not PLAIN_COUNTS["all"]:
        pytest.skip("counts what the property test above made: run the whole file")
    assert PLAIN_COUNTS["all"] >= 50
    assert PLAIN_COUNTS["text"] >= 0.95 * PLAIN_COUNTS["all"], PLAIN_COUNTS


def test_coverage_plans_and_units_as_text_are_what_rich_prints(tmp_path, monkeypatch_module):
    """coverage (by age and by service), plans, units and query --count over the two plans and over 70 plans
    of the bench corpus (past BIG_TABLE rows), at five widths: made as text, each is what rich prints
    without colour; at 80 columns and wider every one is made as text."""
    from forebygging_cli import coverage as cov
    from forebygging_cli import i18n
    from forebygging_cli.query import Selection, select
    from forebygging_cli.render import counts, overview
    from forebygging_cli.render.coverage_views import render_text
    from forebygging_cli.render.overview import listed
    from forebygging_cli.repository import load_facts, load_plans

    i18n.activate("nb")
    try:
        for files in ([str(path) for path in PLANS], [str(path) for path in bench_corpus(tmp_path, 70)]):
            facts, problems = load_facts(files, use_cache=False)
            plans, _problems = load_plans(files, use_cache=False)
            assert not problems and len(facts) == len(files)
            views = {"coverage": render_text(cov.matrices(facts, "age")),
                     "coverage --by service": render_text(cov.matrices(facts, "service")),
                     "plans": overview.plans_view([listed(f) for f in facts]),
                     "units": overview.units_view([listed(f) for f in facts]),
                     "query --count": counts.render_text(Selection(select(plans), 0), plans=plans)}
            for name, view in views.items():
                for width in (40, 60, 80, 120, 250):
                    monkeypatch_module.setattr(tables, "ENABLED", True)
                    out = console(width, False)
                    made = view.plain_lines(out, out.options)
                    out.print(view)
                    if width >= 80:
                        assert made is not None, (name, width, len(files))
                    if made is not None:
                        assert "".join(line + "\n" for line in made) == out.file.getvalue(), (name, width)
    finally:
        i18n.activate("en")


@settings(max_examples=500, derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(text=st.text(LETTERS + "   \u00a0", max_size=90), room=st.integers(1, 40))
def test_a_one_cell_text_breaks_where_rich_breaks_it(text, room):
    from rich._wrap import divide_line

    assert tables._ONE_CELL(text)
    assert tables._breaks(text, room) == divide_line(text, room, fold=True)


@settings(max_examples=400, derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(text=st.one_of(texts(), st.text(LETTERS + "  \n\u00a0", max_size=40)), room=st.integers(1, 60),
       justify=st.sampled_from(["left", "default", "right"]))
def test_a_text_folds_as_rich_wraps_it(text, room, justify):
    out = console(200, False)
    wrapped = Text(text).wrap(out, room, justify=justify, overflow="fold")
    assert tables.fold(text, room, justify == "left", right=justify == "right") == [line.plain for line in wrapped]

def test_the_fast_tables_draw_most_tables():
    """Run after the property test (file order): the fast path drew at least 95 % of its tables."""
    if not COUNTS["all"]:
        pytest.skip("counts what the property test above drew: run the whole file")
    assert COUNTS["all"] >= 100
    assert COUNTS["fast"] >= 0.95 * COUNTS["all"], COUNTS


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def both(cli, monkeypatch, *args: str, env: dict[str, str]) -> tuple[str, str]:
    monkeypatch.setattr(tables, "ENABLED", True)
    fast = cli(*args, env=env)
    monkeypatch.setattr(tables, "ENABLED", False)
    slow = cli(*args, env=env)
    assert fast.code == slow.code == 0, fast.output + slow.output
    return fast.stdout, slow.stdout


@pytest.mark.parametrize("columns", ["12", "16", "20", "45", "80", "100", "120", "200", None])
@pytest.mark.parametrize("colour", [False, True])
def test_query_is_the_same_with_the_fast_tables(cli, monkeypatch, columns, colour):
    env = {"COLUMNS": columns} if columns else {}
    if colour:
        env["FORCE_COLOR"] = "1"
    for args in (["--lang", "nb", "query", *map(str, PLANS)], ["query", *map(str, PLANS), "--age", "13"]):
        fast, slow = both(cli, monkeypatch, *args, env=env)
        assert fast == slow
        assert "┏" in fast


@pytest.mark.parametrize("columns", ["14", "40", "80", "120", None])
@pytest.mark.parametrize("colour", [False, True])
def test_render_terminal_is_the_same_with_the_fast_tables(cli, monkeypatch, columns, colour):
    """render --format terminal draws its groups' tables with IdsWhole too."""
    env = {"COLUMNS": columns} if columns else {}
    if colour:
        env["FORCE_COLOR"] = "1"
    for plan in PLANS:
        for group in ("level", "age", "unit"):
            args = ["render", str(plan), "--format", "terminal"]
            fast, slow = both(cli, monkeypatch, *args, *(["--by", group] if group != "level" else []), env=env)
            assert fast == slow


def test_the_real_plans_take_the_fast_path():
    """Every table of Lier and Os, at 80, 100, 120 and 200 columns, is drawn by render/tables.py."""
    from forebygging_cli.query import select
    from forebygging_cli.render.terminal import MeasuresTable
    from forebygging_cli.render.text import grouped
    from forebygging_cli.repository import load_plans

    plans, problems = load_plans([str(path) for path in PLANS], use_cache=False)
    assert not problems and len(plans) == 2
    matches = select(plans)
    count = 0
    for _plan, levels in grouped(matches):
        for level, plan_matches in levels:
            table = MeasuresTable(_plan, level, plan_matches)
            for width in (80, 100, 120, 200):
                assert handled(table, width), (_plan.stem, level, width)
                count += 1
    assert count >= 8


def test_a_bench_corpus_is_the_same_with_the_fast_tables(cli, monkeypatch, tmp_path):
    files = bench_corpus(tmp_path, 30)
    for columns, colour in (("120", False), ("80", True), ("33", False), (None, False)):
        env = {"COLUMNS": columns} if columns else {}
        if colour:
            env["FORCE_COLOR"] = "1"
        fast, slow = both(cli, monkeypatch, "--lang", "nb", "query", *map(str, files), "--age", "13", env=env)
        assert fast == slow


def test_a_rich_without_the_private_helpers_draws_every_table_itself(tmp_path):
    """tables.py borrows rich's private `_wrap` and `_ratio` (so that its widths and wrapping are rich's);
    pyproject.toml asks only rich>=13.7, so a rich that moved them must leave the query as it was, drawn by
    rich, not make every table command fail."""
    import subprocess
    import sys

    from conftest import PLANS, subprocess_env

    run = [sys.executable, "-c", (
        "import sys\n"
        "if sys.argv[1] == 'without':\n"
        "    import rich.text, rich._wrap\n"
        "    del rich._wrap.divide_line\n"
        "from forebygging_cli.render import tables\n"
        "print('enabled', tables.ENABLED)\n"
        "sys.argv = ['forebygging', 'query', '--age', '13', *sys.argv[2:]]\n"
        "from forebygging_cli.cli import main\n"
        "main()\n")]
    plans = [str(PLANS / "lier.yaml"), str(PLANS / "os.yaml")]
    env = subprocess_env(COLUMNS="100", FOREBYGGING_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("FORCE_COLOR", None)
    outputs = {}
    for how in ("with", "without"):
        done = subprocess.run([*run, how, *plans], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        outputs[how] = done.stdout
    assert outputs["with"].startswith("enabled True\n") and outputs["without"].startswith("enabled False\n")
    assert outputs["with"].split("\n", 1)[1] == outputs["without"].split("\n", 1)[1]
    assert "Lier kommune" in outputs["without"] and "┏" in outputs["without"]



@pytest.mark.parametrize("columns", ["60", "100"])
def test_a_terminal_without_colour_shows_the_query_as_rich_would(tmp_path, columns):
    """On a terminal with NO_COLOR the tables are made as text too (PlainGroup.plain_lines): each line as rich
    prints it there, padding and all, read back through a pseudo-terminal."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import PLANS, subprocess_env

    run = [sys.executable, "-c", (
        "import sys\n"
        "from forebygging_cli.render import tables\n"
        "tables.ENABLED = sys.argv[1] == 'fast'\n"
        "sys.argv = ['forebygging', 'query', '--age', '13', *sys.argv[2:]]\n"
        "from forebygging_cli.cli import main\n"
        "main()\n")]
    plans = [str(PLANS / "lier.yaml"), str(PLANS / "os.yaml")]
    env = subprocess_env(COLUMNS=columns, NO_COLOR="1", TERM="xterm", FOREBYGGING_CACHE_DIR=str(tmp_path / "cache"))
    outputs = {}
    for how in ("fast", "rich"):
        leader, follower = pty.openpty()
        done = subprocess.Popen([*run, how, *plans], stdin=follower, stdout=follower, stderr=subprocess.PIPE,
                                env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed (EIO)
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert done.wait(timeout=120) == 0, done.stderr.read()
        outputs[how] = b"".join(chunks).decode()
    assert outputs["fast"] == outputs["rich"]
    assert "\x1b[" not in outputs["fast"] and "┏" in outputs["fast"]
    # on a terminal the lines keep rich's padding: the title of a table is as wide as the table below it
    lines = outputs["fast"].replace("\r\n", "\n").split("\n")
    top = next(number for number, line in enumerate(lines) if line.startswith("┏"))
    assert len(lines[top - 1]) == len(lines[top])


@pytest.mark.parametrize("sort", ["plan", "name", "level", "age"])
def test_a_query_shown_plan_by_plan_is_the_whole_view(cli, tmp_path, sort):
    """`query` makes each plan's tables as the plan is searched and lets its matches go: what it prints through
    a pipe is the view of all the matches at once (measures_view, printed by rich), for every --sort, with
    --plan, and with the count line adding up every plan's."""
    from rich.console import Console

    from forebygging_cli import i18n
    from forebygging_cli import query as q
    from forebygging_cli.render.terminal import measures_view
    from forebygging_cli.repository import load_plans

    files = [str(path) for path in (*PLANS, *bench_corpus(tmp_path / "corpus", 12))]
    plans, problems = load_plans(files, use_cache=False)
    assert not problems
    filters = q.Filters(ages=(q.parse_age("13"),), include_unknown_age=True)
    try:
        for chosen, args in ((plans, []), ([plans[1]], ["--plan", "os"])):
            i18n.activate("nb")
            selection = q.search(chosen, filters)
            out = Console(file=io.StringIO(), width=100, color_system=None, markup=False, emoji=False,
                          highlight=False)
            out.print(measures_view(q.Selection(q.sort_matches(selection.matches, sort), selection.left_out),
                                    plans=chosen))
            whole = "".join(line.rstrip() + "\n" for line in out.file.getvalue().splitlines())
            shown = cli("--lang", "nb", "query", *files, "--age", "13", "--include-unknown-age", "--sort", sort,
                        *args, env={"COLUMNS": "100", "FOREBYGGING_CACHE_DIR": str(tmp_path / "cache")})
            assert shown.code == 0, shown.output
            assert shown.stdout == whole
            assert f"Fant {len(selection.matches)} tiltak. {len(chosen)} plan" in shown.stdout
    finally:
        i18n.activate("en")


def test_a_measures_table_is_let_go_without_the_cycle_collector():
    """A MeasuresTable holds its plan's matches: it must be freed as soon as it is dropped, with the collector
    paused as it is while a national query loads (a reference cycle kept every plan's matches to the end:
    585 MB for 3,000 plans)."""
    import gc
    import weakref

    from forebygging_cli.query import select
    from forebygging_cli.render.terminal import MeasuresTable, PlainGroup, plan_piece
    from forebygging_cli.repository import load_plans

    plans, _problems = load_plans([str(PLANS[0])], use_cache=False)
    matches = select(plans)
    was = gc.isenabled()
    gc.disable()
    try:
        table = MeasuresTable(plans[0], "universal", [m for m in matches if m.measure.level == "universal"])
        table.plain_lines(console(120, False), console(120, False).options)
        gone = weakref.ref(table)
        del table
        assert gone() is None
        group = PlainGroup(plan_piece(matches, console(120, False)))
        assert group.plain_lines(console(120, False), console(120, False).options)
    finally:
        if was:
            gc.enable()


def test_lines_made_already_print_as_they_are_beside_what_rich_draws():
    """Where one plan's tables are made as text and another's are not (rich draws those), the made lines are
    printed by rich as they are, each on its own line, none cropped or padded."""
    from forebygging_cli.render.terminal import Made, PlainGroup

    made = Made(["┏━━┓ a line", "", "  two spaces first"])
    out = console(40, False)
    out.print(PlainGroup(made, Text("rich's own text"), made))
    assert out.file.getvalue() == "┏━━┓ a line\n\n  two spaces first\nrich's own text\n┏━━┓ a line\n\n  two spaces first\n"
    assert PlainGroup(made).plain_lines(out, out.options) == made.lines


def test_a_console_and_what_it_wrote_are_let_go_after_a_query(tmp_path, monkeypatch):
    """What the tables keep of a frame is held weakly: after a run in a long-lived process (the Python API, a
    test suite), its console, and the output that console wrote, are freed."""
    import gc
    import sys
    import weakref

    from forebygging_cli import cli
    from conftest import PLANS

    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    left = []
    for _round in range(3):
        written = io.BytesIO()
        stream = io.TextIOWrapper(written, encoding="utf-8")
        saved, sys.stdout = sys.stdout, stream
        try:
            assert cli.run(["query", "--age", "13", str(PLANS)]) == 0
        finally:
            sys.stdout = saved
        stream.flush()
        assert b"Found" in written.getvalue()
        left.append(weakref.ref(written))
        del written, stream
    gc.collect()
    assert [ref() for ref in left] == [None, None, None]
