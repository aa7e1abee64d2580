"""Keep the message catalogues in step with the code.

    python tools/catalogues.py            # extract, update every .po, compile every .mo
    python tools/catalogues.py --check    # exit 1 when a catalogue is out of step (what the tests check)

Messages are found where the code marks them: `_("...")`, `N_("...")`,
`ngettext("...", "...", n)` and `pgettext("context", "...")`, in the Python
modules and in the templates (templates/*.j2). The template is
`src/forebygging_cli/locale/forebygging.pot`; each language has
`locale/<lang>/LC_MESSAGES/forebygging.po` (edited by translators) and the
compiled `.mo` beside it (shipped in the wheel). A new language (nynorsk) is
`python tools/catalogues.py --init nn`, then translate its .po.

Uses Babel (a test dependency); the tool itself needs only the standard
library's gettext at run time.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "forebygging_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "forebygging"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
HEADER = "Messages of forebygging (https://example.org/forebygging). Message ids are English."


def extract() -> Catalog:
    """Every message the code marks, with where it stands (file only, so moving a line changes nothing).
    The catalogues are written sorted by message id, so moving code between modules reorders nothing
    and two branches that add messages seldom touch the same lines."""
    catalog = Catalog(project="forebygging", domain=DOMAIN, header_comment=f"# {HEADER}", fuzzy=False)
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python"), ("templates/**.j2", "jinja2")], keywords=KEYWORDS,
        comment_tags=("Translators:",), strip_comment_tags=True,
        options_map={"templates/**.j2": {"trimmed": "false"}},
    ):
        catalog.add(message, locations=[(f"forebygging_cli/{filename}", None)], auto_comments=comments,
                    context=context)
    return catalog


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def render_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, include_lineno=False, sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(language: str, template: Catalog) -> Catalog:
    with open(po_path(language), "rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when out of step")
    parser.add_argument("--init", metavar="LANG", help="start a catalogue for a new language")
    args = parser.parse_args(argv)
    template = extract()
    if args.init:
        path = po_path(args.init)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=args.init, domain=DOMAIN, project="forebygging", header_comment=f"# {HEADER}",
                          fuzzy=False)
        catalog.update(template)
        path.write_bytes(render_po(catalog))
    stale = []
    wanted = {LOCALE / f"{DOMAIN}.pot": render_po(template)}
    for language in languages():
        catalog = updated(language, template)
        wanted[po_path(language)] = render_po(catalog)
        wanted[po_path(language).with_suffix(".mo")] = render_mo(catalog)
    for path, content in wanted.items():
        if path.suffix == ".mo" and path.exists():
            with open(path, "rb") as handle:
                current = read_mo(handle)
            same = _messages(current) == _messages(read_mo(io.BytesIO(content)))
        else:
            same = path.exists() and _without_dates(path.read_bytes()) == _without_dates(content)
        if not same:
            stale.append(path)
            if not args.check:
                path.write_bytes(content)
    for path in stale:
        print(f"{'out of step' if args.check else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


def _messages(catalog: Catalog) -> set[tuple]:
    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {(plain(m.id), m.context, plain(m.string)) for m in catalog if m.id}


def _without_dates(content: bytes) -> bytes:
    """A catalogue without its creation and revision dates, which change on every run."""
    return b"\n".join(line for line in content.split(b"\n") if not line.startswith((b'"POT-Creation-Date',
                                                                                      b'"PO-Revision-Date')))


if __name__ == "__main__":
    sys.exit(main())
