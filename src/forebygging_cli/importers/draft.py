"""The draft plan file: a Draft's data written by the same writer `new` and
`fmt` use (fmt.write: the canonical shape, keys in the schema's order), with
the schema modeline, a comment on top that says it is a draft and what it was
imported from, and the review notes as comments at the values they concern.
Pure: data in, text out.
"""

from __future__ import annotations

from typing import Any

from ..fmt import Comment, write
from ..i18n import _
from .recognise import Draft


def schema_reference(target_directory: str) -> str:
    """The schema for the editor's modeline, as `new` writes it (schemafile.modeline_reference)."""
    from ..schemafile import modeline_reference

    return modeline_reference(target_directory)


def draft_text(draft: Draft, source: str, schema: str) -> str:
    """The text of the draft plan file."""
    first = ("schema_version",)
    comments = [Comment(first, f"# yaml-language-server: $schema={schema}")]
    for line in _wrapped(_("DRAFT imported by forebygging import from {source}. Every value is the document's own "
                           "words; what the importer inferred is listed under `derived` and explained in "
                           "`encoder_note`. Read the comments marked \"#\" beside the values, then run "
                           "forebygging validate and forebygging fmt on this file.").format(source=source)):
        comments.append(Comment(first, "# " + line))
    merged: dict[tuple[Any, ...], list[str]] = {}
    for path, text in draft.notes:
        if _exists(draft.data, path):
            merged.setdefault(path, [])
            if text not in merged[path]:
                merged[path].append(text)
    for path, texts in merged.items():
        comments.append(Comment(path, "# " + "; ".join(" ".join(t.split()) for t in texts), inline=True))
    return write(draft.data, comments)


def _exists(data: Any, path: tuple[Any, ...]) -> bool:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return True


def _wrapped(text: str, width: int = 100) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])
