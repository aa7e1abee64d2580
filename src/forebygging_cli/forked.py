"""Work over many plans shared with forked processes, for the warm store reads of query, coverage, plans and
units (batch.load_facts): reading and searching each plan's facts and making its output is pure Python, so one
process uses one CPU, and the other CPUs sit idle while a national query runs.

`in_parts(count, parts, work)` gives [work(index) for index in range(count)], with range(count) cut into `parts`
runs one after another: the first is worked out here, the others at the same time in children forked for them.
A child writes each result, pickled, to a spool file of its own as soon as it has it (an unnamed temporary
file the parent opened), so that it holds no more than one result at a time; when this process has done its
own run, it reads the child's results back one by one. The results come back in order.

Forking copies the process as it is (the imports, the language, the console, the callbacks), so the work needs
no arguments sent and no setup; the spool is this process's own (no other process can open it), so what is
read back from it is trusted as this process's own memory is. A child that cannot be forked, fails, is killed,
or leaves something that does not unpickle has its run done here instead: the answer is the same, only slower.
Where there is no fork (Windows) or it is not safe (macOS), everything is done here. A child leaves with
os._exit: it never flushes the parent's buffered output, runs its exit handlers or returns into the caller's
code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")

#: fork is the only way in: the children must share the parent's state without it being sent
AVAILABLE = hasattr(os, "fork") and sys.platform.startswith("linux")


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def bounds(count: int, parts: int) -> list[tuple[int, int]]:
    """range(count) cut into `parts` runs (at most `count`, at least 1) whose lengths differ by at most one."""
    parts = max(1, min(parts, count))
    size, extra = divmod(count, parts)
    out, start = [], 0
    for number in range(parts):
        stop = start + size + (number < extra)
        out.append((start, stop))
        start = stop
    return out


def in_parts(count: int, parts: int, work: Callable[[int], T]) -> list[T]:
    """[work(index) for index in range(count)], the runs of bounds(count, parts) after the first worked out in
    forked children while this process works out the first."""
    runs = bounds(count, parts)
    children: list[tuple[int, IO[bytes]]] = []  # (pid, spool) of each child started, in the order of the runs
    try:
        if AVAILABLE:
            # Ctrl-C is held back while the children are forked and registered: one that came between a fork
            # and the child's own setting could run the parent's handler in the child (a traceback on stderr,
            # or the child going on in the caller's code), or leave a child that `children` does not name
            held = _hold_interrupts()
            try:
                for run in runs[1:]:
                    child = _fork(work, run)
                    if child is None:
                        break
                    children.append(child)
            finally:
                _release_interrupts(held)  # one that came meanwhile is raised here: `children` has them all
        results = [work(index) for index in range(*runs[0])]
        for run in runs[1:]:
            if children:
                pid, spool = children.pop(0)  # _collected answers for the child from here on
                results += _collected(pid, spool, run, work)
            else:  # no child was started for it
                results += [work(index) for index in range(*run)]
        return results
    finally:  # an error or an interrupt here: no child is left running or unreaped, no spool open
        for pid, spool in children:
            _stop(pid)
            spool.close()


def _hold_interrupts() -> dict[str, Any] | None:
    """Hold Ctrl-C back: SIGINT's handler is one that only notes it came (in whichever thread the signal
    arrives, Python runs handlers in the main one); what was there before, for _release_interrupts. None
    where the handler cannot be set (not the main thread)."""
    import signal

    if signal.getsignal(signal.SIGINT) is None:  # a handler not set from Python: it could not be put back
        return None
    held: dict[str, Any] = {"came": False}

    def noted(_signum: int, _frame: Any) -> None:
        held["came"] = True

    try:
        held["before"] = signal.signal(signal.SIGINT, noted)
    except (ValueError, OSError):
        return None
    return held


def _release_interrupts(held: dict[str, Any] | None) -> None:
    """SIGINT's handler as it was; a Ctrl-C that came meanwhile is sent again, to be handled as it would have
    been (KeyboardInterrupt, by default)."""
    if held is None:
        return
    import signal

    signal.signal(signal.SIGINT, held["before"])
    if held["came"]:
        os.kill(os.getpid(), signal.SIGINT)


def _fork(work: Callable[[int], Any], run: tuple[int, int]) -> tuple[int, IO[bytes]] | None:
    """A child working out `run`, and the spool its results are written to; None where none starts."""
    import tempfile

    try:
        spool = tempfile.TemporaryFile()  # unnamed where the system allows (O_TMPFILE), else removed at once
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        spool.close()
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            import signal

            try:  # Ctrl-C ends a child at once, quietly (the parent, interrupted too, stops and reaps it)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            except ValueError:  # forked from a thread other than the main one: as the parent has it
                pass
            import pickle

            with os.fdopen(os.dup(spool.fileno()), "wb") as out:  # a buffer of its own
                for index in range(*run):
                    pickle.dump(work(index), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    return pid, spool


def _collected(pid: int, spool: IO[bytes], run: tuple[int, int], work: Callable[[int], T]) -> list[T]:
    """The results the child `pid` left in `spool`, or `run` worked out here where it did not finish whole."""
    with spool:
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped elsewhere: whether it finished is not known
            status = 1
        except BaseException:  # an interrupt while waiting
            _stop(pid)
            raise
        if os.waitstatus_to_exitcode(status) == 0:
            import pickle  # here only: a command that forks nothing never imports it

            try:
                spool.seek(0)  # the child wrote through the same open file, which it moved to the end
                return [pickle.load(spool) for _index in range(*run)]  # noqa: S301 - this process's own spool
            except Exception:  # noqa: BLE001 - anything that does not read back is worked out here
                pass
    return [work(index) for index in range(*run)]


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
