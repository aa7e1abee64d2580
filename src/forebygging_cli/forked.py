"""Work over many plans shared with forked processes, for the warm store reads of query, coverage, plans and
units (batch.load_facts): reading and searching each plan's facts and making its output is pure Python, so one
process uses one CPU, and the other CPUs sit idle while a national query runs.

`in_parts(count, parts, work)` cuts range(count) into `parts` runs one after another and calls `work(start,
stop)` on each: the first here, the others at the same time in children forked for them, which send their
result back pickled through a pipe. The results come back in order. Forking copies the process as it is (the
imports, the language, the console, the callbacks), so the work needs no arguments sent and no setup; the pipe
is the parent's own, so what comes through it is trusted as the parent's own memory is. A child that cannot be
forked, fails, is killed or sends something that does not unpickle has its run done here instead: the answer is
the same, only slower. Where there is no fork (Windows) or it is not safe (macOS), everything is done here.
A child leaves with os._exit: it never flushes the parent's buffered output, runs its exit handlers or returns
into the caller's code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

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


def in_parts(count: int, parts: int, work: Callable[[int, int], T]) -> list[T]:
    """[work(start, stop) for each run of bounds(count, parts)], the runs after the first worked out in forked
    children while this process works out the first."""
    runs = bounds(count, parts)
    children: list[tuple[int, int]] = []  # (pid, read end) of each child started, in the order of the runs
    try:
        if AVAILABLE:
            for run in runs[1:]:
                child = _fork(work, run, [reader for _pid, reader in children])
                if child is None:
                    break
                children.append(child)
        results = [work(*runs[0])]
        for run in runs[1:]:
            if children:
                pid, reader = children.pop(0)  # _collected answers for the child from here on
                results.append(_collected(pid, reader, run, work))
            else:  # no child was started for it
                results.append(work(*run))
        return results
    finally:  # an error or an interrupt here: no child is left running or unreaped, no pipe open
        for pid, reader in children:
            _stop(pid)
            os.close(reader)


def _fork(work: Callable[[int, int], Any], run: tuple[int, int], others: list[int]) -> tuple[int, int] | None:
    """A child working out `run`, and the end of the pipe its result comes through; None where none starts."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            import pickle

            os.close(reader)
            for other in others:
                os.close(other)
            data = pickle.dumps(work(*run), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _collected(pid: int, reader: int, run: tuple[int, int], work: Callable[[int, int], T]) -> T:
    """The result the child `pid` sent through `reader`, or `run` worked out here where it sent none whole."""
    try:
        try:
            with os.fdopen(reader, "rb") as source:
                data = source.read()
        except OSError:
            data = b""
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped elsewhere: whether it finished is not known
        data, status = b"", 1
    except BaseException:
        _stop(pid)
        raise
    if os.waitstatus_to_exitcode(status) == 0 and data:
        import pickle  # here only: a command that forks nothing never imports it

        try:
            return pickle.loads(data)  # noqa: S301 - written by this process's own child, through its own pipe
        except Exception:  # noqa: BLE001 - anything that does not unpickle is worked out here
            pass
    return work(*run)


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
