"""When the cache starts afresh and when it prunes (issue 20: two hand-made mutants of cache.py survived the
suite: a module edited without changing its size served stale answers, and pruning that ran on every run of
its first day and then never again)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from forebygging_cli import cache

DAY = 24 * 3600


def test_a_module_edited_to_the_same_size_is_a_new_tool(tmp_path):
    package = tmp_path / "forebygging_cli"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    module = package / "ages.py"
    text = module.read_text(encoding="utf-8")
    before = cache.tool_fingerprint.__wrapped__(package)
    old = module.stat()
    edited = text.replace("0", "1", 1)  # one character for another: the same size
    assert edited != text and len(edited.encode()) == old.st_size
    module.write_text(edited, encoding="utf-8")
    os.utime(module, ns=(old.st_atime_ns, old.st_mtime_ns + 1_000_000))  # the clock moved on, if only just
    assert module.stat().st_size == old.st_size
    assert cache.tool_fingerprint.__wrapped__(package) != before


def _cache_with_an_old_entry(root: Path) -> tuple[cache.Cache, Path]:
    store = cache.Cache(root)
    store.put("cd" + "0" * 62, 0, [b"x"])
    [entry] = root.glob("cd/*.entry")
    old = time.time() - 60 * DAY
    os.utime(entry, (old, old))
    return store, entry


@pytest.mark.parametrize("hours_ago, pruned", [(1, False), (23, False), (25, True), (24 * 40, True)])
def test_pruning_runs_once_a_day_by_its_marker(tmp_path, hours_ago, pruned):
    root = tmp_path / "cache"
    store, entry = _cache_with_an_old_entry(root)
    marker = root / ".pruned"
    marker.touch()
    then = time.time() - hours_ago * 3600
    os.utime(marker, (then, then))
    store.prune_now_and_then()
    assert entry.exists() is not pruned
    # a prune leaves a fresh marker; a skipped one leaves the marker as it was
    assert abs(marker.stat().st_mtime - (time.time() if pruned else then)) < 60


def test_the_first_prune_marks_the_day_and_the_next_run_that_day_does_not_prune(tmp_path):
    root = tmp_path / "cache"
    store, entry = _cache_with_an_old_entry(root)
    store.prune_now_and_then()  # no marker yet: prune, and mark the day
    assert not entry.exists() and (root / ".pruned").exists()
    store2, entry2 = _cache_with_an_old_entry(root)
    store2.prune_now_and_then()
    assert entry2.exists()


def _aged(path: Path, seconds: float, now: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(b"x")
    os.utime(path, (now - seconds, now - seconds))
    return path


def test_prune_removes_what_a_stopped_run_left_after_an_hour_and_unused_entries_after_thirty_days(tmp_path):
    """What `prune` removes and keeps, with the time it is given; its count is what it removed. (Found by
    mutation testing cache.py: the temporary files' rule had no test.)"""
    root = tmp_path / "cache"
    store = cache.Cache(root)
    now = time.time() + 7 * DAY  # prune takes the time it is told, not the clock
    folder = root / "ab"
    link = folder / "ab-a-link"  # not a regular file: passed over, and the files beside it still looked at
    folder.mkdir(parents=True)
    link.symlink_to(tmp_path)
    (root / "a-file-among-the-folders").write_bytes(b"")  # as the .pruned marker is: passed over too
    old = [_aged(root / f"{n:02x}" / f"{n:02x}{n}.entry", 31 * DAY, now) for n in range(0x10, 0x30)]
    gone = [_aged(folder / "ab1.forebygging-x.tmp", 2 * 3600, now), _aged(folder / "ab2.entry", 31 * DAY, now),
            *old, *(_aged(folder / f"ab9{n}.entry", 40 * DAY, now) for n in range(20))]
    kept = [_aged(folder / "ab3.forebygging-y.tmp", 3590, now), _aged(folder / "ab4.entry", 2 * 3600, now),
            _aged(folder / "ab5.entry", 29 * DAY, now)]
    assert store.prune(now) == len(gone)
    assert [path.exists() for path in gone] == [False] * len(gone)
    assert [path.exists() for path in kept] == [True] * len(kept)
    assert link.is_symlink()


def test_pruning_removes_what_an_earlier_layout_left_once_it_is_thirty_days_unused(tmp_path):
    """The cache's layout changes now and then (v2 -> v3: the store's sections moved into the entries); the
    old layout's folder is never read again, and its entries go by the rule every entry goes by, and the
    folder with them, .pruned marker and all. Only what the tool writes is touched: no other file in an old
    layout's folder (found by review: a shared FOREBYGGING_CACHE_DIR may hold a v2 folder of anything), no
    newer layout's, none another user owns or could write, and no link is followed."""
    base = tmp_path / "forebygging"
    store = cache.Cache(base / cache.LAYOUT)
    now = time.time() + 7 * DAY
    key = "ab" + "1" * 62

    def entry(layout: str, name: str, age: float) -> Path:
        return _aged(base / layout / name.lstrip(".")[:2] / name, age, now)

    gone = [entry("v2", f"{key}.entry", 31 * DAY), entry("v2", f"{key}.facts", 31 * DAY),
            entry("v1", "cd" + "2" * 62 + ".entry", 90 * DAY),
            entry("v2", f".{'ef' + '3' * 62}.entry.forebygging-0a1b2c3d.tmp", 2 * 3600)]
    _aged(base / "v2" / ".pruned", 40 * DAY, now)
    young = entry("v2", "ef" + "4" * 62 + ".entry", 2 * DAY)
    current = entry(cache.LAYOUT, "ab" + "5" * 62 + ".entry", 2 * DAY)
    newer = entry("v9", "ab" + "6" * 62 + ".entry", 90 * DAY)  # an older tool leaves a newer one's alone
    elsewhere = _aged(tmp_path / "elsewhere" / "ab" / f"{key}.entry", 90 * DAY, now)
    (base / "v0").symlink_to(tmp_path / "elsewhere")
    others = [_aged(base / "notes" / "ab" / f"{key}.entry", 90 * DAY, now),
              # digits to str.isdigit() that are not a layout's number (int() refuses the first)
              _aged(base / "v\u00b2" / "ab" / f"{key}.entry", 90 * DAY, now),
              _aged(base / "v\u0662" / "ab" / f"{key}.entry", 90 * DAY, now),
              # numbers no layout was written under
              *(_aged(base / name / "ab" / f"{key}.entry", 90 * DAY, now) for name in ("v00", "v02", "v\uff12")),
              _aged(base / "v2" / "photos" / "holiday.jpg", 90 * DAY, now),
              _aged(base / "v2" / "ab" / "holiday.jpg", 90 * DAY, now),
              _aged(base / "v2" / "ab" / f"{key}.txt", 90 * DAY, now),
              _aged(base / "v2" / "notes.txt", 90 * DAY, now)]
    shared = _aged(tmp_path / "shared" / "v1" / "ab" / f"{key}.entry", 90 * DAY, now)
    (tmp_path / "shared" / "v1").chmod(0o777)  # beside a cache in `shared`: anyone could have put it there
    assert store.prune(now) == len(gone)
    assert not any(path.exists() for path in gone) and not (base / "v1").exists()
    assert young.exists() and current.exists() and newer.exists() and elsewhere.exists()
    assert all(path.exists() for path in others)
    assert cache.Cache(tmp_path / "shared" / cache.LAYOUT).prune(now) == 0 and shared.exists()
    for path in others:
        path.unlink()
    (base / "v2" / "photos").rmdir()
    assert store.prune(now + 30 * DAY) == 2  # the young one and the current one, unused since
    assert sorted(path.name for path in base.iterdir()) == sorted(["notes", "v0", cache.LAYOUT, "v9", "v\u00b2",
                                                                   "v\u0662", "v00", "v02", "v\uff12"])  # v2 is gone
    beside = tmp_path / "other" / "cache"  # a cache on a folder that is not a layout's: its neighbours are not
    old = _aged(tmp_path / "other" / "v2" / "ab" / f"{key}.entry", 90 * DAY, now)
    assert cache.Cache(beside).prune(now) == 0 and old.exists()


@pytest.mark.parametrize("environment, expected", [
    ({"XDG_CACHE_HOME": "/srv/xdg"}, "/srv/xdg/forebygging"),
    ({"XDG_CACHE_HOME": "  "}, "/home/kari/.cache/forebygging"),   # blank: the XDG rule's default
    ({}, "/home/kari/.cache/forebygging"),
    ({"XDG_CACHE_HOME": "relativ/mappe"}, None),                      # the XDG rule: relative is ignored
    ({"XDG_CACHE_HOME": "/srv/xdg", "FOREBYGGING_CACHE_DIR": "/srv/eget"}, "/srv/eget"),
    ({"FOREBYGGING_CACHE_DIR": "eget"}, None),                         # relative: refused, said once
])
def test_where_the_cache_lives(monkeypatch, environment, expected):
    """The cache's folder (found by mutation testing cache.py: every test set FOREBYGGING_CACHE_DIR, so the
    place a user's cache goes by default was held by nothing)."""
    for name in ("XDG_CACHE_HOME", "FOREBYGGING_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/kari")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cache, "refused", {})
    found = cache.directory()
    assert found == (Path(expected) / cache.LAYOUT if expected else None)
    assert cache.refused == ({"eget": "relative"} if environment.get("FOREBYGGING_CACHE_DIR") == "eget" else {})


def test_a_run_without_a_cache_prunes_nothing_and_says_so():
    """--no-cache (a Cache with no folder): pruning removes nothing and counts 0."""
    assert cache.Cache(None).prune() == 0
    assert cache.Cache(None).prune(time.time() + 365 * DAY) == 0


def test_an_entry_read_after_a_day_is_dated_again_so_that_pruning_keeps_it(tmp_path):
    """Reading an entry last written more than a day ago gives its data and moves its date to now (access
    times are often not kept), so that an entry in use is never pruned as unused."""
    store = cache.Cache(tmp_path / "cache")
    entry = "cd" + "1" * 62
    store.put(entry, 3, [b"abc", b"de"])
    [path] = (tmp_path / "cache").glob("cd/*.entry")
    two_days_ago = time.time() - 2 * DAY
    os.utime(path, (two_days_ago, two_days_ago))
    assert store.get(entry) == (3, [b"abc", b"de"])
    assert abs(path.stat().st_mtime - time.time()) < 60
    store.prune(time.time() + 29 * DAY)
    assert path.exists()
