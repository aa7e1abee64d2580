"""Plan text in Markdown, made safe: every Markdown document the tool writes
(`render --format markdown`, `query --format markdown`, `diff --format
markdown`) puts plan text through here, because municipalities publish it
through mkdocs, pandoc or a CMS and the council diff goes into pull-request
comments, where a `<script>`, an `<img onerror=…>` or a `[link](javascript:…)`
in a plan would run.

* Every ASCII character that can start HTML, an entity, a link, an image,
  code or emphasis is backslash-escaped (`\\ ` * _ [ ] < > & | ~ #`), so a
  plan's words come out as the words, and never as markup: no raw HTML, no
  link, no entity. In paragraphs (`text`), a line that would start a block
  (a list, a setext underline, an ordered list such as `1.`) is escaped at
  its start, and leading white space (an indented code block) is dropped;
  inside a line (`inline`, `cell`) no block can start.
* `Md` is text that is already Markdown (the tool's own words, or text this
  module escaped). Its `format()` escapes its arguments, as `markupsafe`'s
  Markup does for HTML, so a translated sentence keeps its marks and the
  plan's words in it are escaped.
* A URL becomes a link only when it is a well-formed http(s) address (the
  schema's pattern, `URL`); anything else is shown as escaped text.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from markupsafe import escape as escape_html

#: a web address the schema accepts and a link may carry: http(s), a host, and no character that could
#: end the address early or quote its way out of a Markdown link or an HTML attribute
URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][^\s<>\"'`()\[\]{}|\\^]*)?")

_INLINE = re.compile(r"[\\`*_\[\]<>&|~#]")
#: what starts a block when it stands first on a line (after white space): a list item, a setext
#: underline or a thematic break; `#` and `>` are escaped everywhere already
_BLOCK_START = re.compile(r"^([-+=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


class Md(Markup):
    """Text that is Markdown already (the tool's words, or plan text escaped here). Like markupsafe's
    Markup, whose machinery it uses, every operation escapes what it adds: `format()` its arguments,
    `+` and `join` their operands (also where jinja2's sandbox formats a string). Should it ever reach
    an HTML page, it is HTML-escaped there (`__html__`), never taken as markup."""

    __slots__ = ()

    def __new__(cls, value: Any = "", encoding: str | None = None, errors: str = "strict") -> "Md":
        return str.__new__(cls, value) if encoding is None else str.__new__(cls, value, encoding, errors)

    @classmethod
    def escape(cls, value: Any) -> "Md":  # type: ignore[override]
        return value if isinstance(value, Md) else cls(_characters(" ".join(str(value).split("\n"))))

    def __html__(self) -> Markup:
        return escape_html(str(self))


def _characters(text: str) -> str:
    """Every character that could start markup, backslash-escaped (inside a line, where blocks cannot start)."""
    return _INLINE.sub(lambda found: "\\" + found.group(), text)


def _line(text: str) -> str:
    """A whole line: its characters escaped, and what would start a block at its start."""
    text = _characters(text.lstrip())
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def text(value: Any) -> Md:
    """Plan text as Markdown paragraphs: its line breaks kept, every line escaped."""
    if isinstance(value, Md):
        return value
    return Md("\n".join(_line(line) for line in str(value).split("\n")))


def inline(value: Any) -> Md:
    """Plan text inside a line (after a heading's #, a list item's -, a label): line breaks become spaces."""
    if isinstance(value, Md):
        return value
    return Md(_characters(" ".join(str(value).split("\n"))))


def cell(value: Any) -> Md:
    """Plan text in a table cell: line breaks become <br> (the only HTML the tool writes itself)."""
    if isinstance(value, Md):
        return value
    return Md("<br>".join(_characters(line) for line in str(value if value is not None else "").split("\n")))


def safe_url(value: Any) -> str | None:
    """`value` when it is a well-formed http(s) address (URL), else None."""
    return value if isinstance(value, str) and URL.fullmatch(value) else None


def link(title: Any, url: Any) -> Md:
    """A Markdown link to `url` when it is a safe address, else the title (and the address) as text."""
    address = safe_url(url)
    if address is None:
        return inline(title) if url is None else Md(f"{inline(title)} ({inline(url)})")
    return Md(f"[{inline(title)}](<{address}>)")
