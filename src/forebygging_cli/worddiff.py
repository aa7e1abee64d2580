"""Word sequences: how alike two texts are, and which words changed, with a
bound on the work.

Myers' algorithm finds the fewest words to remove and add (the most words
kept, in order) after the common head and tail are set aside; its work is
counted, and past WORK_LIMIT steps the changed stretch of a text is shown as
removed and added whole, which is still true. Used by diff.py to match
renamed measures and list items, and by the diff's renderers to show a
changed text word by word.
"""

from __future__ import annotations

from collections.abc import Sequence

from .vocab import fold

#: The most steps the word diff takes on one text (about a tenth of a second); past it the
#: changed stretch of the text is shown as replaced, removed then added, which is still true.
WORK_LIMIT = 200_000


def _script(a: Sequence[str], b: Sequence[str], limit: int, most: int | None = None) -> list[str] | None:
    """The fewest single-word steps that turn `a` into `b` ("=" keep, "-" remove,
    "+" add), found by Myers' algorithm after the common head and tail are set
    aside; None when that takes more than `limit` steps of work or, with `most`,
    more than `most` removals and additions."""
    head, tail = _common_ends(a, b)
    middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
    n, m = len(middle_a), len(middle_b)
    trace: list[dict[int, int]] = []
    furthest: dict[int, int] = {1: 0}
    work = 0
    distance = 0
    while most is None or distance <= most:  # it ends by distance n + m at the latest
        trace.append(dict(furthest))
        for k in range(-distance, distance + 1, 2):
            if k == -distance or (k != distance and furthest[k - 1] < furthest[k + 1]):
                x = furthest[k + 1]
            else:
                x = furthest[k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and middle_a[x] == middle_b[y]:
                x, y = x + 1, y + 1
            work += 1 + x - start
            furthest[k] = x
            if x >= n and y >= m:
                return ["="] * head + _backtrack(trace, n, m) + ["="] * tail
        if work > limit:
            return None
        distance += 1
    return None


def _backtrack(trace: list[dict[int, int]], x: int, y: int) -> list[str]:
    steps: list[str] = []
    for distance in range(len(trace) - 1, -1, -1):
        furthest = trace[distance]
        k = x - y
        if k == -distance or (k != distance and furthest[k - 1] < furthest[k + 1]):
            previous = k + 1
        else:
            previous = k - 1
        start_x = furthest[previous]
        start_y = start_x - previous
        while x > start_x and y > start_y:
            steps.append("=")
            x, y = x - 1, y - 1
        if distance:
            steps.append("+" if x == start_x else "-")
        x, y = start_x, start_y
    steps.reverse()
    return steps


def words(text: str) -> list[str]:
    """A text's words as compared: case and accents folded."""
    return fold(text).split()


def likeness(a: Sequence[str], b: Sequence[str], percent: int) -> float | None:
    """How alike two word sequences are, 0 to 1: the share of their words that
    stay when the one is edited into the other (2 × kept / all); None when it is
    below `percent` per cent. Words counted on both sides bound it first, so
    texts that share too few words are never compared in order."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    most = (100 - percent) * total // 100
    shared = len(_tokens(a) & _tokens(b))
    if 2 * shared < total - most:
        return None
    script = _script(a, b, WORK_LIMIT, most)
    if script is None:
        return None
    return 2 * script.count("=") / total


def _tokens(sequence: Sequence[str]) -> set[tuple[str, int]]:
    """Each word with how many times it came before: a multiset as a set."""
    seen: dict[str, int] = {}
    tokens = set()
    for word in sequence:
        seen[word] = seen.get(word, 0) + 1
        tokens.add((word, seen[word]))
    return tokens


def word_changes(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """A word-level diff of two texts: [("=", "same words"), ("-", "removed"), ("+", "added"), ...];
    where words are both removed and added between two kept stretches, the removed come first.
    Past WORK_LIMIT the changed stretch is one removal and one addition."""
    a, b = (old or "").split(), (new or "").split()
    script = _script(a, b, WORK_LIMIT)
    if script is None:
        script = _replaced(a, b)
    parts: list[tuple[str, str]] = []
    kept: list[str] = []
    removed: list[str] = []
    added: list[str] = []
    i = j = 0
    for step in script + ["="]:
        if step != "=":
            if kept:
                parts.append(("=", " ".join(kept)))
                kept = []
            if step == "-":
                removed.append(a[i])
                i += 1
            elif step == "+":
                added.append(b[j])
                j += 1
            continue
        if removed:
            parts.append(("-", " ".join(removed)))
            removed = []
        if added:
            parts.append(("+", " ".join(added)))
            added = []
        if i < len(a):
            kept.append(a[i])
            i, j = i + 1, j + 1
    if kept:
        parts.append(("=", " ".join(kept)))
    return parts


def _common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many words two sequences share at their start, and then at their end."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _replaced(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """The steps that keep the common head and tail and replace the rest."""
    head, tail = _common_ends(a, b)
    return ["="] * head + ["-"] * (len(a) - head - tail) + ["+"] * (len(b) - head - tail) + ["="] * tail


def condensed(parts: list[tuple[str, str]], context: int = 4) -> list[tuple[str, str]]:
    """Word changes with long unchanged stretches cut to `context` words either side ("…"); a text with
    no change is kept whole."""
    if len(parts) == 1:
        return list(parts)
    out = []
    for index, (op, text) in enumerate(parts):
        if op != "=":
            out.append((op, text))
            continue
        stretch = text.split()
        keep_head = [] if index == 0 else stretch[:context]
        keep_tail = [] if index == len(parts) - 1 else stretch[-context:]
        if len(keep_head) + len(keep_tail) >= len(stretch):
            out.append(("=", text))
            continue
        out.append(("=", " ".join([*keep_head, "…", *keep_tail])))
    return out
