"""Report lines as plain (text, style) segments, for output read line by
line (validate's findings in a CI log, an editor's problem list): away from a
terminal they are written as they are, so ten thousand findings need neither
rich nor its time; on a terminal with colour, rich styles them."""

from __future__ import annotations

from typing import Any

#: (text, rich style or "")
Segment = tuple[str, str]
Line = tuple[Segment, ...]


def plain(line: Line) -> str:
    return "".join(text for text, _style in line)


def to_rich(line: Line) -> Any:
    from rich.text import Text

    return Text.assemble(*((text, style) if style else text for text, style in line))
