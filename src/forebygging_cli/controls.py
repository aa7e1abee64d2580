"""Control characters in plan text: the pattern rule FB009 looks for, and
how every output shows them (escaped, never obeyed)."""

from __future__ import annotations

import re

#: Control characters a YAML text may still carry as escapes ("\e", "\x01"): C0
#: except tab and newline, DEL and C1, and the bidirectional overrides. Plan text
#: may not hold them (rule FB009), and output shows them escaped (printable()).
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text with control characters (and the bidirectional overrides that can
    reorder what a reader sees, U+202A-U+202E, U+2066-U+2069) shown as \\xNN or
    \\uNNNN, so a plan file can neither move a terminal's cursor nor break an
    XML report nor hide text."""
    if text.isprintable():  # no control character, no format character (the overrides are): nearly all text
        return text
    return CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                 else f"\\u{ord(m.group()):04x}", text)
