"""fmt's writer for plans made by a program (`import`): plain data and the
comments to put beside its values give the same canonical text as `fmt`
makes of a plan file that holds them."""

from __future__ import annotations

import pytest

from conftest import PLANS
from forebygging_cli import fmt as formatter
from forebygging_cli.parse import parse

SOURCES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(PLANS.glob("*.yaml"))}


@pytest.mark.parametrize("stem", sorted(SOURCES))
def test_data_and_its_comments_are_written_as_fmt_writes_the_plan(stem):
    text = SOURCES[stem]
    found = formatter.comments(text)
    assert found  # the plans hold comments, on their own lines and at the ends of lines
    assert formatter.canonical(text) == text  # the repository's plans are in the canonical shape
    assert formatter.write(parse(text)[0], found) == text


@pytest.mark.parametrize("stem", sorted(SOURCES))
def test_data_without_comments_is_the_plan_without_its_comment_lines(stem):
    text = SOURCES[stem]
    data = parse(text)[0]
    written = formatter.write(data)
    assert parse(written)[0] == data
    assert formatter.comments(written) == []
    found = formatter.comments(text)
    own_lines = {c.text for c in found if not c.inline}
    expected = text
    for comment in found:
        if comment.inline:
            expected = expected.replace(f"  {comment.text}\n", "\n", 1)
    expected = "".join(line for line in expected.splitlines(keepends=True) if line.strip() not in own_lines)
    assert written == expected


def test_comments_at_line_ends_and_after_everything_are_written_where_fmt_puts_them():
    text = ("# planen\n"
            "municipality:\n"
            "    name: Lier   # kommunen\n"
            "    number: '3049'\n"
            "# tiltakene\n"
            "measures:\n"
            "- name: Første   # navnet\n"
            "  id: a\n"
            "  target:\n"
            "     ages: {from: 3, to: 5}  # alder\n"
            "# til slutt\n")
    expected = ("# planen\n"
                "municipality:\n"
                "  name: Lier  # kommunen\n"
                '  number: "3049"\n'
                "# tiltakene\n"
                "measures:\n"
                "  - id: a\n"
                "    name: Første  # navnet\n"
                "    target:\n"
                "      ages:\n"
                "        from: 3\n"
                "        to: 5  # alder\n"
                "# til slutt\n")
    assert formatter.canonical(text) == expected
    assert formatter.write(parse(text)[0], formatter.comments(text)) == expected


@pytest.mark.parametrize(("moved", "to"), [("# Overskriften er", ("goals",)), ("# kommunen", ("principles",))])
def test_fmt_refuses_to_move_a_comment_to_another_value(cli, tmp_path, monkeypatch, moved, to):
    """The read-back check sees a comment that would stand beside another value than before (on its own
    line above it, or at the end of its line), not only one that would be lost."""
    place = formatter._place
    monkeypatch.setattr(formatter, "_place", lambda text, found, line_of: place(
        text, [c._replace(anchor=to) if c.text.startswith(moved) else c for c in found], line_of))
    path = tmp_path / "os.yaml"
    messy = SOURCES["os"].replace("  name: Os kommune\n", "  name: 'Os kommune'  # kommunen\n")
    assert messy != SOURCES["os"]
    path.write_text(messy, encoding="utf-8")
    result = cli("fmt", str(path))
    assert result.code == 2, result.output
    assert path.read_text(encoding="utf-8") == messy
    assert f"error: {path} is left as it is: fmt could not keep the change to layout only (a comment would be " \
           "lost or moved); please report this" in result.stderr


@pytest.mark.parametrize(("header", "written"), [("|", r'"Lier #1\nog Os #2\n"'), (">-", '"Lier #1 og Os #2"')])
def test_a_block_text_holding_hashes_on_every_line_is_formatted_not_refused(header, written):
    """The '#'s of a block text are text, not comments, on its first line and on the last: fmt writes the
    text in double quotes with its hashes, and does not take them for comments lost."""
    text = f"municipality:\n  name: {header}\n    Lier #1\n    og Os #2\n  number: '3049'\n"
    assert formatter.canonical(text) == f'municipality:\n  name: {written}\n  number: "3049"\n'


def test_a_hash_written_as_an_escape_is_text_and_comes_out_as_a_hash():
    """'\\x23' and '\\u0023' are '#' in the text: fmt writes them as '#' (quoted), in the schema's order of
    keys, and does not take the hashes it wrote for comments that came from nowhere."""
    text = 'municipality:\n  number: "\\x23 1"\n  name: "Os \\u0023 2 # 3"\n'
    assert formatter.canonical(text) == 'municipality:\n  name: "Os # 2 # 3"\n  number: "# 1"\n'


def test_a_bare_hash_after_a_block_texts_header_is_a_comment_kept():
    assert formatter.canonical("municipality:\n  name: >- #\n    Os kommune\n") == \
        "municipality:\n  name: Os kommune  #\n"


def test_control_characters_are_written_as_escapes_that_read_back():
    """A text holding control characters (which an editor would not show) is written in double quotes with
    each one as an escape: \\xNN below 256, \\uNNNN above; tab, line feed and carriage return by name."""
    value = "a\x01b\x7fc\x85d\u2028e\ufefff\tg\nh\ri\x00j"
    text = 'municipality:\n  name: "a\\u0001b\\u007fc\\u0085d\\u2028e\\ufefff\\u0009g\\u000ah\\u000di\\u0000j"\n'
    written = formatter.canonical(text)
    assert written == 'municipality:\n  name: "a\\x01b\\x7fc\\x85d\\u2028e\\ufefff\\tg\\nh\\ri\\0j"\n'
    assert parse(written)[0] == {"municipality": {"name": value}}


def test_a_comment_after_values_written_on_one_line_stays_with_the_last_of_them():
    """`ages: {to: 5, from: 3}  # alder`: the comment followed `from: 3`, and stays at the end of its line
    when each value gets a line of its own (keys the schema does not know keep their order)."""
    assert formatter.canonical("municipality:\n  ages: {to: 5, from: 3}  # alder\n") == \
        "municipality:\n  ages:\n    to: 5\n    from: 3  # alder\n"


def test_every_comment_after_the_last_value_is_kept_in_order():
    text = "municipality:\n  name: Os\n# til slutt\n# og mer\n#   og aller sist\n"
    assert formatter.canonical(text) == text
    assert formatter.write(parse(text)[0], formatter.comments(text)) == text


def test_a_comment_for_a_value_that_is_not_there_is_refused_with_its_text(monkeypatch):
    """Were the search for comments ever to name a value the data does not have, fmt refuses and says
    which comment it could not place."""
    find = formatter._find_comments
    monkeypatch.setattr(formatter, "_find_comments",
                        lambda *args: [*find(*args), formatter.Comment(("nowhere",), "# hvor?")])
    with pytest.raises(formatter.FormatError, match=r"^no place for the comment '# hvor\?'$"):
        formatter.canonical("municipality:\n  name: Os\n")


@pytest.mark.parametrize(("text", "written"), [
    # a '#' that ends a value, or stands in quotes after a space, is text; the comment after it is kept
    ("municipality:\n  name: Kurs i C#  # merknad\n", "municipality:\n  name: Kurs i C#  # merknad\n"),
    ('municipality:\n  name: "Foreldre #1"  # merknad\n', 'municipality:\n  name: "Foreldre #1"  # merknad\n'),
    # a comment that holds ' #' is one comment
    ("municipality:\n  name: Os  # se punkt #2\n", "municipality:\n  name: Os  # se punkt #2\n"),
    # a comment at the end of the line a value goes on to stays with that value
    ("municipality:\n  name: \"Lier\n    kommune\"  # navnet\n  number: '3049'\n",
     'municipality:\n  name: Lier kommune  # navnet\n  number: "3049"\n'),
    ("municipality:\n  name: Lier\n    kommune  # navnet\n  number: '3049'\n",
     'municipality:\n  name: Lier kommune  # navnet\n  number: "3049"\n'),
    # past the 90th column of a quoted text's first line, ' #' is still text
    ('municipality:\n  name: "' + "a" * 95 + ' #1 er tekst\n    og mer"  # navnet\n',
     'municipality:\n  name: "' + "a" * 95 + ' #1 er tekst og mer"  # navnet\n'),
    # a comment loses the spaces at its end, on its own line and after a value
    ("municipality:\n  name: Os   # merknad   \n# eget   \n", "municipality:\n  name: Os  # merknad\n# eget\n"),
    # lists in a list, and mappings in a list under a key the schema does not know (their order kept)
    ("municipality:\n  x: [[1, 2], [3]]\n", "municipality:\n  x:\n    - - 1\n      - 2\n    - - 3\n"),
    ("municipality:\n  x:\n  - b: 1\n    a: 2\n", "municipality:\n  x:\n    - b: 1\n      a: 2\n"),
    # numbers with a point, and the infinities, under keys the schema does not know; mappings two deep there
    ("municipality:\n  x: 1.5\n  y: .inf\n  z: -.inf\n", 'municipality:\n  x: 1.5\n  "y": .inf\n  z: -.inf\n'),
    ("municipality:\n  x:\n    y:\n      b: 1\n      a: 2\n", 'municipality:\n  x:\n    "y":\n      b: 1\n      a: 2\n'),
    # the first value of the file goes on to a second line, and the comment there stays with it
    ('title: "Lier\n  kommune"  # x\nmunicipality:\n  name: Os\n', "municipality:\n  name: Os\ntitle: Lier kommune  # x\n"),
    # a block text as a list item, its header's comment kept
    ("goals:\n  - >- # viktig\n    Alle barn\n", "goals:\n  - Alle barn  # viktig\n"),
    # an empty list written across lines: a comment after '[' or inside the brackets stays there
    ("municipality:\n  name: Os\n  partners: [  # ingen\n    ]\n", "municipality:\n  name: Os\n  partners: []  # ingen\n"),
    ("municipality:\n  name: Os\n  partners: [\n    # ingen ennå\n    ]\n  number: '1'\n",
     'municipality:\n  name: Os\n  partners: [\n    # ingen ennå\n    ]\n  number: "1"\n'),
])
def test_comments_beside_hashes_continued_values_nested_lists_and_block_items(text, written):
    """Where fmt puts each comment in the layouts that made its comment search err (found by mutation testing
    fmt.py), and that what it writes is its own canonical form."""
    assert formatter.canonical(text) == written
    assert formatter.canonical(written) == written


def test_a_file_that_is_not_a_mapping_is_refused_in_words():
    with pytest.raises(formatter.FormatError, match="^a plan file is a mapping$"):
        formatter.canonical("- a\n")
