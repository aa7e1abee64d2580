"""`dump`, which every command's JSON goes through.

It writes with orjson where it can (a compiled encoder: the standard library
indents in pure Python, which took a national query 0.3 s for its 5,000
records) and with the standard library otherwise (orjson missing, or a value
it does not take, such as a file name that is not UTF-8). The two give the
same text, byte for byte: two-space indentation, UTF-8 as it is, keys in the
order given (tests/test_speed.py holds them to it).
"""

from __future__ import annotations

from typing import Any


def dump(value: Any) -> str:
    """Any JSON document as every command writes it: UTF-8 text, indented, one newline at the end."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a platform without its wheel
        return standard_dump(value)
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # lone surrogates, int keys, integers past 64 bits
        return standard_dump(value)


def standard_dump(value: Any) -> str:
    """The standard library's encoder, the reference `dump` keeps to (imported here: orjson writes nearly all)."""
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
