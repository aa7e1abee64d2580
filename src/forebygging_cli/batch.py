"""Reports for many plan files, as fast as they can be had: an unchanged
file's report comes from the cache (cache.py), the others are checked
(validate.py) — in worker processes when there are many files and more than
one CPU — and come back in the order the files were given. The findings are
the same either way; only the time differs.

A run over many files can let each plan go once it is checked
(`keep_plans=False`, what `validate` does), so memory stays flat however many
plans there are.

`load_facts` gives what query, coverage, plans and units read instead of
Plans: each usable plan's facts from the store (store.py), whose sections
follow the report and plan in the file's cache entry. Where the
entry has none, they are made from the plan in it, or, for a file not in the
cache, in the process that checks it (a worker), and stored with the rest of
the entry; either way no Plan reaches the command.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import orjson

from .cache import Cache, context_key, directory, key
from .discover import shown
from .codec import Invalid
from .files import PlanFileError, UnreadableFile, read_bytes
from .forked import cpus, in_parts
from .i18n import current

if TYPE_CHECKING:
    from .findings import FileReport

#: fewer files to check than this are checked in this process: starting workers would cost more
PARALLEL_FROM = 8
#: at most this many worker processes
MAX_WORKERS = 8
#: the store's facts are read in parts at once (forked.py) of at least this many plans each
PARTS_FROM = 32
#: in at most this many parts
MAX_PARTS = 4
#: a run is warm (read in parts) when one of its first this many files is stored
PROBES = 4
#: a cache entry's sections: the report, the plan (an entry of a file whose plan was not built has the
#: report alone), then, from STORE_FROM, the store's (store.py) where a command wanted them. The plan's
#: positions (where each value stands in the file) are not kept: no command reads them of a stored plan
#: (a finding has its line and column when the file is checked, and keeps them in the report), and they
#: were 40 % of an entry and its costliest section to write
REPORT, PLAN, STORE_FROM = range(3)
#: the store's sections (store.SECTIONS of them, which a test holds), passed over unread where a command wants
#: the plan: the store is not imported for that
STORE_SECTIONS = frozenset(range(STORE_FROM, STORE_FROM + 4))
#: the flag of an entry whose plan queries use (the store's flags are the others: store.WITH_FACTS, ...)
USABLE = 1



@dataclass(frozen=True)
class Entry:
    """What checking a file gave, as the cache keeps it (JSON, see codec.py): whether the file holds a
    usable plan (no error below FB300: queries use it), the report without its plan, and the plan, each
    on its own, so that validate never decodes a plan and a query never decodes the findings."""

    usable: bool
    report: bytes
    plan: bytes | None = None
    #: what the store keeps of the plan (store.sections: flags and sections), when it was asked for and the
    #: plan is usable
    facts: tuple[int, list[bytes]] | None = None
    #: the facts themselves, where the process that checked the plan has them as the store reads them back
    #: (store.made): used there, never sent from a worker
    made: Any = field(default=None, compare=False, repr=False)


def check_files(paths: Sequence[str], *, use_cache: bool = True, keep_plans: bool = True,
                workers: int | None = None) -> list[FileReport]:
    """One report per path, in order. `workers`: None decides from the CPUs, 1 checks in this process."""
    return _entries(paths, use_cache, workers,
                    lambda entry: _report(entry, keep_plans) if isinstance(entry, Entry) else entry,
                    sections=None if keep_plans else 1)


def load_usable(paths: Sequence[str], *, use_cache: bool = True, workers: int | None = None) -> list[Any]:
    """For each path, in order: its Plan when the file holds a usable one (it may
    be incomplete under the FB3xx rules, but nothing below FB300 is wrong), else
    its FileReport, which says why not."""
    def plan_or_report(entry: Any) -> Any:
        if isinstance(entry, Entry) and entry.usable and entry.plan is not None:
            return _plan(entry)
        return _report(entry, True) if isinstance(entry, Entry) else entry

    return _entries(paths, use_cache, workers, plan_or_report)


def load_facts(paths: Sequence[str], *, use_cache: bool = True, workers: int | None = None, texts: bool = False,
               outputs: bool = False, keep: Callable[[Any], Any] | None = None) -> list[Any]:
    """For each path, in order: `keep` of its facts (query.PlanFacts, read from the store; with the texts
    --text searches when `texts`, with the stored output of each measure when `outputs`) when the file holds
    a usable plan, else its FileReport, which says why not. `keep` is applied to each plan's facts as they
    arrive, so a command can search a plan and let it go before the next is read; it must be a function of
    the facts alone (no other effect), since it may be applied in another process (forked.py, _in_workers),
    which gives back what it returns."""
    from . import store as stored

    def facts_or_report(found: Any) -> Any:
        if isinstance(found, Entry):
            if not (found.usable and found.facts):
                return _report(found, False)
            found = found.made if found.made is not None else stored.read(
                found.facts[0], list(found.facts[1]), texts, outputs)  # type: ignore[arg-type]
        if isinstance(found, stored.PlanFacts):
            return keep(found) if keep is not None else found
        return found  # a FileReport

    return _entries(paths, use_cache, workers, facts_or_report, facts=(texts, outputs))


def usable(report: FileReport) -> bool:
    """A report whose plan query, show, diff and render can use: built, and no error below FB300."""
    from .findings import structural

    return report.plan is not None and not structural(report.findings)


def _entries(paths: Sequence[str], use_cache: bool, workers: int | None, use: Callable[[Any], Any],
             sections: int | None = None, facts: tuple[bool, bool] | None = None) -> list[Any]:
    """`use` of each path's cache entry (or of its FileReport, when the file
    could not be read), applied as each arrives so that no more is kept than
    `use` keeps. `sections`: how much of a stored entry to read (1: the report only).
    `facts` (texts, outputs): the store's facts of a usable plan instead of its entry (load_facts)."""
    store = Cache(directory() if use_cache else None)
    context = context_key(_schema_bytes(), current())

    def stored(index: int) -> tuple[bool, Any]:
        return _stored_one(paths[index], store, context, use, sections, facts)

    with _collector_paused():  # loading thousands of small objects: the cycle collector only costs time here
        # the first files say whether the run is warm (one of them stored) or cold (none: then all are read
        # here, which for files that are not stored is only reading and hashing them, and the workers check
        # them below); a few, so that one file changed or unreadable does not make a warm run cold
        found: list[tuple[bool, Any]] = []
        while len(found) < min(len(paths), PROBES) and not any(hit for hit, _value in found):
            found.append(stored(len(found)))
        # The rest of the store's facts are read and used in parts at once, one per CPU, over many plans
        # (forked.py): reading, searching and showing them is all Python. Cache entries (validate's) are a few
        # bytes each to decode.
        rest = len(paths) - len(found)
        warm = facts is not None and store.root is not None and any(hit for hit, _value in found)
        first = len(found)
        found += in_parts(rest, (workers or _parts(rest)) if warm else 1, lambda index: stored(first + index))
    entries = [value for _hit, value in found]
    misses = [(index, paths[index]) for index, (hit, _value) in enumerate(found) if not hit]
    # A miss is read again where it is checked, and stored under the key of the bytes that were checked:
    # no file's bytes wait in memory meanwhile, and a file changed in between is never stored under its
    # old content. Checking makes short-lived cycles (parser and validator internals): the collector runs.
    # A worker forked for them applies `use` to the facts it made (the process that checked the plan has them):
    # what comes back is only what the command keeps of the plan.
    for (index, _path), value in zip(misses, _check_all([path for _index, path in misses], store, context,
                                                        workers, facts, use if facts is not None else None,
                                                        report_only=sections == 1)):
        entries[index] = value.value if isinstance(value, Used) else use(value)
    if misses:  # something was checked and stored (here or by the workers): the day's pruning is due
        store.prune_now_and_then()
    return entries


def _stored_one(path: str, store: Cache, context: bytes, use: Callable[[Any], Any], sections: int | None,
                facts: tuple[bool, bool] | None) -> tuple[bool, Any]:
    """(True, `use` of the file's stored entry, or facts), or (False, None) for a miss: a file not stored, not
    readable, or whose entry does not decode."""
    try:
        raw = read_bytes(path)
    except (UnreadableFile, PlanFileError):
        return False, None  # checking it says why, in the file's words
    entry = key(context, path, raw)
    if facts is None:
        value = _stored(store.get(entry, sections, skip=STORE_SECTIONS), whole=sections is None)
    else:
        value = _facts(store, entry, *facts)
    if value is not None:
        try:
            return True, use(value)
        except (Invalid, ValueError):  # a damaged entry (its report or plan does not decode)
            pass  # is a miss like any other: the file is checked again
    return False, None


def _parts(count: int) -> int:
    """In how many parts the store's facts of `count` plans are read: one per CPU (up to MAX_PARTS), each of
    at least PARTS_FROM plans (fewer would take longer to fork than to read)."""
    return max(1, min(cpus(), MAX_PARTS, count // PARTS_FROM))


def _facts(store: Cache, entry: str, texts: bool, outputs: bool) -> Any:
    """The store's facts in the cache entry `entry` (store.read), or the FileReport of an entry whose plan is
    not usable; None for a miss. Only the store's sections wanted are read. Where the entry has no facts, or
    not the sections wanted (validate wrote it, or a command that wanted less), they are made whole from the
    entry's plan and the entry is stored again with them."""
    from . import store as stored

    unread = frozenset((REPORT, PLAN)) | {STORE_FROM + n for n in stored.skipped(texts, outputs)}
    found = store.get(entry, skip=unread)
    if found is None:
        return None
    flags, parts = found
    if flags & USABLE:
        try:
            return stored.read(flags, parts[STORE_FROM:], texts, outputs)
        except Invalid:  # not kept yet, damaged, or without a section wanted: made from the entry's plan
            pass
    value = _stored(store.get(entry, skip=STORE_SECTIONS), whole=True)
    if value is None:
        return None
    try:
        if not (value.usable and value.plan is not None):
            return _report(value, False)
        made, parts = stored.sections(_plan(value))
    except (Invalid, ValueError):
        return None
    store.put(entry, USABLE | made, [*_sections(value), *parts])
    return stored.read(made, list(parts), texts, outputs)  # type: ignore[arg-type]


def _stored(found: tuple[int, list[bytes]] | None, whole: bool = False) -> Entry | None:
    """An Entry from a cache entry's flags and sections (the report and the plan); None for a miss. `whole`:
    all of the entry's own sections were read, so a usable plan's entry without its plan is damaged (a miss,
    not a plan that is not valid)."""
    if found is None or not found[1]:
        return None
    flags, parts = found
    if whole and flags & USABLE and len(parts) < STORE_FROM:
        return None
    return Entry(bool(flags & USABLE), parts[REPORT], *(parts[PLAN:STORE_FROM] if len(parts) >= STORE_FROM else ()))


def _sections(entry: Entry) -> list[bytes]:
    """The cache entry's own sections of `entry` (REPORT, PLAN; the report alone where no plan was built):
    what _stored reads back."""
    return [entry.report] + ([entry.plan] if entry.plan is not None else [])


def _report(entry: Entry, keep_plans: bool) -> FileReport:
    from .codec import decode
    from .findings import FileReport

    found: FileReport = decode(FileReport, orjson.loads(entry.report))
    if keep_plans and entry.plan is not None:
        return replace(found, plan=_plan(entry))
    return found


def _plan(entry: Entry) -> Any:
    from .codec import decode
    from .model import Plan

    return decode(Plan, orjson.loads(entry.plan))  # without positions (see STORE_FROM)


def check_path(path: str, store: Cache, context: bytes,
               facts: tuple[bool, bool] | None = None) -> Entry | FileReport:
    """Read and check one file, and store its entry (and, with `facts` (texts, outputs), what the store
    keeps of its plan, when it is usable: the entry given back then carries those facts, and neither plan
    nor report). A file that cannot be read gives its report (not stored)."""
    try:
        raw = read_bytes(path)
    except (UnreadableFile, PlanFileError) as exc:
        from .validate import read_error

        return read_error(shown(path), exc)
    value = check_one(shown(path), raw, facts)
    entry = key(context, path, raw)
    sections = _sections(value)
    flags = USABLE if value.usable else 0
    if value.facts is not None:  # the store's sections, in the same file
        store.put(entry, flags | value.facts[0], [*sections, *value.facts[1]])
        # all the command needs: less to pass back from a worker
        return Entry(True, b"", facts=value.facts, made=value.made)
    store.put(entry, flags, sections)
    return value


def check_one(path: str, raw: bytes, facts: tuple[bool, bool] | None = None) -> Entry:
    """Check a file's bytes; the cache entry of the result (with what the store keeps of a usable plan, when
    `facts`: with the texts, with the outputs)."""
    from .codec import dumps
    from .validate import validate_text

    report = validate_text(raw, path)
    stored = known = None
    plan = dumps(report.plan) if report.plan is not None else None
    fit = usable(report)
    if facts is not None and fit:
        from . import store

        flags, parts, known = store.made(report.plan, *facts)  # type: ignore[arg-type]
        stored = (flags, parts)
    return Entry(fit, dumps(report.without_plan()), plan, stored, known)


def _check_all(paths: list[str], store: Cache, context: bytes, workers: int | None,
               facts: tuple[bool, bool] | None = None, use: Callable[[Any], Any] | None = None,
               report_only: bool = False) -> Iterator[Any]:
    """Each path checked (check_path), in order; in workers when there are many. `use`: what the command
    makes of each (load_facts' facts_or_report), applied in a forked worker and given back as Used.
    `report_only`: the command reads only each entry's report (validate), so a worker sends back no more."""
    count = _workers(len(paths)) if workers is None else workers
    done = 0
    if count > 1:
        try:
            for value in _in_workers(paths, store, context, count, facts, use, report_only):
                done += 1
                yield value
            return
        except Exception:  # noqa: BLE001 - no processes here (a sandbox), a worker lost, a result `use` made that
            pass  # does not pickle: the rest is checked here, where an error of the check itself is raised again
    for path in paths[done:]:
        yield check_path(path, store, context, facts)


def _workers(misses: int) -> int:
    if misses < PARALLEL_FROM:
        return 1
    return max(1, min(cpus(), MAX_WORKERS, misses // 4))


def _in_workers(paths: list[str], store: Cache, context: bytes, count: int,
                facts: tuple[bool, bool] | None, use: Callable[[Any], Any] | None = None,
                report_only: bool = False) -> Iterator[Any]:
    """The results of checking `paths` in `count` worker processes, in order; a
    few files ahead of the one awaited are in flight, never all of them."""
    import multiprocessing
    import sys
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    # fork starts a worker in milliseconds with everything imported; where it is not safe or not
    # there (macOS, Windows), spawn starts a fresh interpreter
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    root = store.root if store.writable else None
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context(method),
                             initializer=_start_worker,
                             # `use` reaches a worker only by fork: a spawned one would need it pickled
                             initargs=(current(), str(root) if root else None, context, facts,
                                       use if method == "fork" else None, report_only)) as pool:
        pending: deque[Any] = deque()
        upcoming = iter(paths)
        for path in upcoming:
            pending.append(pool.submit(_work, path))
            if len(pending) >= 4 * count:
                break
        while pending:
            value = pending.popleft().result()
            following = next(upcoming, None)
            if following is not None:
                pending.append(pool.submit(_work, following))
            yield value


_WORKER: dict[str, Any] = {}


def _start_worker(language: str, root: str | None, context: bytes, facts: tuple[bool, bool] | None,
                  use: Callable[[Any], Any] | None = None, report_only: bool = False) -> None:
    from pathlib import Path

    from . import i18n

    i18n.activate(language)
    _WORKER["cache"] = Cache(Path(root) if root else None)
    _WORKER["context"] = context
    _WORKER["facts"] = facts
    _WORKER["use"] = use
    _WORKER["report_only"] = report_only
    gc.freeze()  # what the worker started with (all of it, under fork) is never garbage: the collector skips it


class Used:
    """What a worker made of a checked plan with the command's `use`. (A plain class: a dataclass costs
    every command a millisecond to create at import.)"""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _work(path: str) -> Any:
    value = check_path(path, _WORKER["cache"], _WORKER["context"], _WORKER["facts"])
    if _WORKER["use"] is not None:
        return Used(_WORKER["use"](value))
    if isinstance(value, Entry) and value.made is not None:
        return replace(value, made=None)  # read back from its sections where it is used: less to send
    if isinstance(value, Entry) and _WORKER["report_only"]:
        return replace(value, plan=None)  # stored whole; the command reads only the report
    return value


def _schema_bytes() -> bytes:
    from .schemafile import schema_bytes

    try:
        return schema_bytes()
    except OSError:
        return b""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while reports are built, then move what
    was built out of its sight (gc.freeze): the plans live until the run ends,
    and every later collection would walk all of their objects again, which
    cost a national query more time than loading the plans."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
