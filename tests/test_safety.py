"""Safe with what it reads and writes (issue 17): the cache runs nothing it did
not write and is used only where nobody else can write; every write to
standard output is checked to its last byte; one writer for every file, which
never turns a link or a device into a regular file; Markdown that carries plan
text carries no markup from it; file names, templates and folders that are
hostile or odd.

Where a behaviour depends on file permissions, the test runs the command as a
user would: as root it drops the capabilities that let root ignore
permissions (setpriv), so the suite checks the same thing as root and not."""

from __future__ import annotations

import json
import os
import pickle
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import PLANS, ROOT, findings, subprocess_env

OS_TEXT = (PLANS / "os.yaml").read_text(encoding="utf-8")
LIER_TEXT = (PLANS / "lier.yaml").read_text(encoding="utf-8")
CAPABILITIES = "-dac_override,-dac_read_search,-fowner,-chown"


def as_user(args: list[str], **options) -> subprocess.CompletedProcess:
    """`forebygging ARGS` in a subprocess, with the permissions of an ordinary user: as root, the
    capabilities that bypass file permissions are dropped."""
    command = [sys.executable, "-m", "forebygging_cli", *args]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv (util-linux): cannot drop root's file capabilities")
        command = ["setpriv", f"--inh-caps={CAPABILITIES}", f"--bounding-set={CAPABILITIES}", "--", *command]
    options.setdefault("env", subprocess_env())
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **options)


def plan_copy(folder: Path, name: str = "os.yaml", text: str = OS_TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def entry_files(root: Path) -> list[Path]:
    from forebygging_cli import cache

    return sorted(root.glob(f"{cache.LAYOUT}/*/*.entry"))


class Bomb:
    """A pickle that, when loaded, leaves a file behind: proof that something ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


# -- 1. the cache runs nothing, and is used only where nobody else can write ---------------------


def test_a_planted_pickle_in_a_shared_cache_folder_runs_nothing_and_is_not_used(cli, tmp_path):
    from forebygging_cli import cache

    shared = tmp_path / "shared"
    shared.mkdir()
    plan = plan_copy(tmp_path / "plans")
    private = tmp_path / "private"
    expected = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(private)})
    [entry] = entry_files(private)
    # another local user plants an entry under the key the tool computes, in a folder anyone may write
    planted = shared / entry.relative_to(private)
    planted.parent.mkdir(parents=True)
    marker = tmp_path / "it-ran"
    planted.write_bytes(pickle.dumps(Bomb(marker)))
    for folder in (shared, *planted.relative_to(shared).parents):
        (shared / folder).chmod(0o777)
    shared.chmod(0o1777)
    result = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(shared)})
    assert not marker.exists()
    assert result.code == 0 and result.stdout == expected.stdout
    assert result.stderr == (f"forebygging: other users can write in the cache folder {shared / cache.LAYOUT}, or "
                             "in a folder above it; running without the cache (see the README: the cache)\n")


def test_a_pickle_is_never_loaded_even_from_the_users_own_cache(cli, tmp_path):
    plan = plan_copy(tmp_path / "plans")
    cache_dir = tmp_path / "cache"
    expected = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(cache_dir)})
    [entry] = entry_files(cache_dir)
    marker = tmp_path / "it-ran"
    entry.write_bytes(pickle.dumps(Bomb(marker)))
    result = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(cache_dir)})
    assert not marker.exists() and result.code == 0 and result.stdout == expected.stdout and result.stderr == ""


def poisoned(cache_dir: Path) -> None:
    """Every entry's findings replaced by one made-up finding, in a valid entry: served, it would show."""
    from forebygging_cli import cache, codec
    from forebygging_cli.findings import FileReport, Finding

    for path in entry_files(cache_dir):
        store = cache.Cache(path.parent.parent)
        flags, sections = store.get(path.stem)
        found = codec.decode(FileReport, json.loads(sections[0]))
        fake = FileReport(found.path, (Finding("FB301", "error", found.path, 1, 1, "PLANTED"),),
                          identity=found.identity)
        sections[0] = json.dumps(codec.encode(fake)).encode()
        store.put(path.stem, flags, sections)


@pytest.mark.parametrize("how", ["group-writable entry", "entry is a link", "entry of another user",
                                 "folder above writable by all, not sticky"])
def test_an_entry_anyone_else_could_have_written_is_not_served(cli, tmp_path, how):
    plan = plan_copy(tmp_path / "plans")
    cache_dir = tmp_path / "above" / "cache"
    env = {"FOREBYGGING_CACHE_DIR": str(cache_dir)}
    expected = cli("validate", str(plan), env=env)
    poisoned(cache_dir)
    assert "PLANTED" in cli("validate", str(plan), env=env).stdout  # the planted entry, served: the test can fail
    [entry] = entry_files(cache_dir)
    if how == "group-writable entry":
        entry.chmod(0o664)
    elif how == "entry is a link":
        elsewhere = tmp_path / "elsewhere.entry"
        entry.rename(elsewhere)
        entry.symlink_to(elsewhere)
    elif how == "entry of another user":
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        os.chown(entry, 65534, 65534)
    else:
        (tmp_path / "above").chmod(0o777)
    result = cli("validate", str(plan), env=env)
    assert "PLANTED" not in result.stdout and result.stdout == expected.stdout


def test_a_sticky_world_writable_folder_above_the_cache_is_fine_as_tmp_is(cli, tmp_path):
    above = tmp_path / "tmp-like"
    above.mkdir()
    above.chmod(0o1777)
    plan = plan_copy(tmp_path / "plans")
    env = {"FOREBYGGING_CACHE_DIR": str(above / "mine")}
    assert cli("validate", str(plan), env=env).stderr == ""
    assert len(entry_files(above / "mine")) == 1
    assert (above / "mine").stat().st_mode & 0o777 == 0o700


def test_a_relative_cache_folder_is_refused_and_nothing_is_made_where_the_command_runs(cli, tmp_path, monkeypatch):
    plan = plan_copy(tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    result = cli("validate", str(plan), env={"FOREBYGGING_CACHE_DIR": "relative-cache"})
    assert result.code == 0 and "0 errors" in result.stdout
    assert result.stderr == ("forebygging: FOREBYGGING_CACHE_DIR=relative-cache is not an absolute path; running "
                             "without the cache (see the README: the cache)\n")
    assert not (tmp_path / "relative-cache").exists()


def test_pruning_never_follows_a_link_out_of_the_cache(tmp_path):
    from forebygging_cli import cache

    store = cache.Cache(tmp_path / "cache")
    store.put("ab" + "0" * 62, 0, [b"x"])
    outside = tmp_path / "outside"
    outside.mkdir()
    victim, victim_in_folder = outside / "old.txt", outside / "folder-old.txt"
    victim.write_text("keep me", encoding="utf-8")
    victim_in_folder.write_text("keep me too", encoding="utf-8")
    (tmp_path / "cache" / "ab" / "link.entry").symlink_to(victim)
    (tmp_path / "cache" / "zz").symlink_to(outside)
    sixty_days_ago = time.time() - 60 * 24 * 3600
    for path in (victim, victim_in_folder, *(tmp_path / "cache").glob("ab/*.entry")):
        os.utime(path, (sixty_days_ago, sixty_days_ago), follow_symlinks=False)
    assert store.prune() == 1  # the old entry itself, nothing else
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert victim_in_folder.read_text(encoding="utf-8") == "keep me too"


def test_a_marker_dated_in_the_future_does_not_stop_pruning(tmp_path):
    from forebygging_cli import cache

    store = cache.Cache(tmp_path / "cache")
    store.put("ab" + "0" * 62, 0, [b"x"])
    [entry] = (tmp_path / "cache").glob("ab/*.entry")
    old = time.time() - 60 * 24 * 3600
    os.utime(entry, (old, old))
    marker = tmp_path / "cache" / ".pruned"
    marker.touch()
    in_ten_years = time.time() + 10 * 365 * 24 * 3600
    os.utime(marker, (in_ten_years, in_ten_years))
    store.prune_now_and_then()
    assert not entry.exists()
    assert marker.stat().st_mtime <= time.time() + 1



def test_a_marker_that_is_a_link_is_replaced_not_followed(tmp_path):
    """A `.pruned` planted as a link to another file: pruning runs, the link becomes the tool's own marker,
    and the file it pointed at is untouched."""
    from forebygging_cli import cache

    store = cache.Cache(tmp_path / "cache")
    victim = tmp_path / "victim"
    victim.write_text("keep me", encoding="utf-8")
    before = victim.stat().st_mtime_ns
    marker = tmp_path / "cache" / ".pruned"
    marker.symlink_to(victim)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(marker, (two_days_ago, two_days_ago), follow_symlinks=False)  # the link's own date: pruning is due
    store.prune_now_and_then()
    assert not marker.is_symlink() and marker.is_file()
    assert victim.read_text(encoding="utf-8") == "keep me" and victim.stat().st_mtime_ns == before


def test_a_cache_under_folders_others_may_read_and_enter_is_used(cli, tmp_path):
    """Only writing by others makes a folder untrusted: a cache folder and the folders above it of mode 755
    (others read and enter them) hold the cache, with nothing said."""
    from forebygging_cli import cache

    parent = tmp_path / "home"
    (parent / "cache" / cache.LAYOUT).mkdir(parents=True)
    for folder in (parent, parent / "cache", parent / "cache" / cache.LAYOUT):
        folder.chmod(0o755)
    plan = plan_copy(tmp_path / "plans")
    result = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(parent / "cache")})
    assert result.code == 0 and result.stderr == ""
    assert entry_files(parent / "cache")


def test_a_cache_folder_that_is_a_file_is_said_and_passed_by(cli, tmp_path):
    from forebygging_cli import cache

    plan = plan_copy(tmp_path / "plans")
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    (root / cache.LAYOUT).write_text("not a folder", encoding="utf-8")
    result = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(root)})
    assert result.code == 0 and result.stdout
    assert result.stderr == (f"forebygging: the cache folder {root / cache.LAYOUT} is not a folder; running without "
                             "the cache (see the README: the cache)\n")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_cache_folder_of_another_user_is_said_and_passed_by(cli, tmp_path):
    from forebygging_cli import cache

    plan = plan_copy(tmp_path / "plans")
    root = tmp_path / "cache"
    (root / cache.LAYOUT).mkdir(parents=True, mode=0o700)
    os.chown(root / cache.LAYOUT, 65534, 65534)
    result = cli("query", "--count", str(plan), env={"FOREBYGGING_CACHE_DIR": str(root)})
    assert result.code == 0 and result.stdout
    assert result.stderr == (f"forebygging: the cache folder {root / cache.LAYOUT}, or a folder above it, belongs to "
                             "another user; running without the cache (see the README: the cache)\n")
    assert not entry_files(root)


def test_a_link_another_user_put_where_the_cache_folder_goes_is_not_followed(cli, tmp_path):
    """Found by probing pruning: in a folder others may write but that is sticky (as /tmp is), another user
    could make the cache's folder a link to a folder of the user's; the checks looked at where it led (the
    user's own folder), and pruning removed that folder's month-old files. A link someone else owns, anywhere
    on the way, is refused; a link of the user's own is theirs to make."""
    from forebygging_cli import cache

    plan = plan_copy(tmp_path / "plans")
    base = tmp_path / "shared"
    base.mkdir()
    base.chmod(0o1777)
    victim = tmp_path / "mine"
    (victim / "docs").mkdir(parents=True, mode=0o700)
    victim.chmod(0o700)
    report = victim / "docs" / "report.txt"
    report.write_text("mine", encoding="utf-8")
    sixty_days_ago = time.time() - 60 * 24 * 3600
    os.utime(report, (sixty_days_ago, sixty_days_ago))
    (base / "hop").symlink_to(victim)  # a link of the user's own, then another user's on the way to it
    link = base / cache.LAYOUT
    link.symlink_to(base / "hop")
    os.lchown(link, 65534, 65534)
    result = cli("validate", str(plan), env={"FOREBYGGING_CACHE_DIR": str(base)})
    assert result.code == 0 and result.stderr == (
        f"forebygging: the cache folder {link}, or a folder above it, belongs to another user; running without "
        "the cache (see the README: the cache)\n")
    assert report.exists() and sorted(path.name for path in victim.iterdir()) == ["docs"]
    assert cache.Cache(link).root is None
    os.lchown(link, os.geteuid(), os.getegid())
    assert cache.Cache(link).root == link  # the user's own links, followed
    os.lchown(base / "hop", 65534, 65534)
    assert cache.Cache(link).root is None  # another user's link further on


# -- 3. every write to standard output is checked to its last byte --------------------------------


def test_a_reader_that_stops_after_100_bytes_of_a_large_page_gives_141(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "forebygging_cli", "--no-cache", "render",
                                str(PLANS / "lier.yaml"), "--format", "html"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=subprocess_env())
    assert len(process.stdout.read(100)) == 100
    process.stdout.close()  # as `| head -c 100` does
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))


def test_output_cut_short_by_a_full_file_system_is_exit_2_not_0(tmp_path):
    """The file system takes the first 64 KB and then refuses (here a file-size limit, EFBIG; a full disk
    is ENOSPC): the command says so and exits 2, whatever the output's size."""
    page = tmp_path / "page.html"
    with open(page, "wb") as out:
        done = subprocess.run([sys.executable, "-m", "forebygging_cli", "--no-cache", "--lang", "en", "render",
                               str(PLANS / "lier.yaml"), "--format", "html"], stdout=out, stderr=subprocess.PIPE,
                              text=True, env=subprocess_env(), preexec_fn=_limit_file_size, timeout=120)
    assert done.returncode == 2
    assert done.stderr == "forebygging: cannot write output: File too large\n"
    assert page.stat().st_size == 65536


# -- 4. one writer for every file ----------------------------------------------------------------


def test_o_to_a_fifo_writes_into_it_and_leaves_it_a_fifo(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli("render", str(PLANS / "os.yaml"), "--format", "markdown", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.code == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received[0].decode("utf-8").startswith("# Plan for forebygging av omsorgssvikt og atferdsproblem")


def test_o_dev_stdout_writes_to_standard_output(tmp_path):
    done = subprocess.run([sys.executable, "-m", "forebygging_cli", "render", str(PLANS / "os.yaml"), "--format",
                           "markdown", "-o", "/dev/stdout"], capture_output=True, text=True, timeout=120,
                          env=subprocess_env())
    assert done.returncode == 0
    assert done.stdout.startswith("# Plan for forebygging av omsorgssvikt og atferdsproblem")


def test_o_dev_full_is_one_line_and_leaves_the_device(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    done = subprocess.run([sys.executable, "-m", "forebygging_cli", "--lang", "en", "render",
                           str(PLANS / "os.yaml"), "-o", "/dev/full"], capture_output=True, text=True, timeout=120,
                          env=subprocess_env())
    assert done.returncode == 2
    assert done.stderr == "error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_o_through_a_link_writes_the_file_it_points_to_and_keeps_the_link(cli, tmp_path):
    real = tmp_path / "site" / "index.html"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "page.html"
    link.symlink_to(real)
    assert cli("render", str(PLANS / "os.yaml"), "--format", "html", "-o", str(link)).code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_fmt_keeps_a_linked_plan_a_link_and_a_hard_linked_plan_one_file(cli, tmp_path):
    messy = OS_TEXT.replace("  name: Os kommune\n", "  name: 'Os kommune'\n")
    real = plan_copy(tmp_path / "store", "os.yaml", messy)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "os.yaml").symlink_to(real)
    hard = plan_copy(tmp_path / "store", "lier.yaml", LIER_TEXT.replace("name: Lier kommune", "name: 'Lier kommune'"))
    os.link(hard, plans / "lier.yaml")
    inode = hard.stat().st_ino
    result = cli("fmt", str(plans))
    assert result.code == 0, result.output
    assert (plans / "os.yaml").is_symlink() and real.read_text(encoding="utf-8") == OS_TEXT
    assert hard.stat().st_ino == inode and (plans / "lier.yaml").stat().st_ino == inode
    assert hard.stat().st_nlink == 2 and hard.read_text(encoding="utf-8") == LIER_TEXT


def test_fmt_keeps_the_mode_and_the_owner(cli, tmp_path):
    path = plan_copy(tmp_path, "os.yaml", OS_TEXT.replace("  name: Os kommune\n", "  name: 'Os kommune'\n"))
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    assert cli("fmt", str(path)).code == 0
    info = path.stat()
    assert path.read_text(encoding="utf-8") == OS_TEXT and stat.S_IMODE(info.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (65534, 65534)


def test_a_new_file_gets_the_mode_the_umask_leaves(cli, tmp_path):
    previous = os.umask(0o027)
    try:
        assert cli("render", str(PLANS / "os.yaml"), "--format", "html", "-o", str(tmp_path / "page.html")).code == 0
        assert cli("new", "Fjellvik kommune", "-o", str(tmp_path / "fjellvik.yaml")).code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "fjellvik.yaml").stat().st_mode) == 0o640


@pytest.mark.parametrize("alias", ["same path", "through a link"])
def test_o_naming_the_plan_being_rendered_is_refused(cli, tmp_path, alias):
    plan = plan_copy(tmp_path / "plans")
    output = plan
    if alias == "through a link":
        output = tmp_path / "out.html"
        output.symlink_to(plan)
    result = cli("render", str(plan), "--format", "html", "-o", str(output))
    assert result.code == 2
    assert result.stderr == f"error: -o {output} is the plan file being rendered; write to another file\n"
    assert plan.read_text(encoding="utf-8") == OS_TEXT


def test_a_temporary_file_a_killed_run_left_is_removed_by_the_next(cli, tmp_path):
    path = plan_copy(tmp_path, "os.yaml", OS_TEXT.replace("  name: Os kommune\n", "  name: 'Os kommune'\n"))
    left = tmp_path / ".os.yaml.forebygging-deadbeef.tmp"
    left.write_text("half a plan", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    recent = tmp_path / ".os.yaml.forebygging-cafebabe.tmp"  # another writer's, right now: left alone
    recent.write_text("being written", encoding="utf-8")
    assert cli("fmt", str(path)).code == 0
    assert not left.exists() and recent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [recent.name, "os.yaml"]


def test_fmt_goes_on_after_a_file_it_cannot_write_and_reports_it(tmp_path):
    messy = OS_TEXT.replace("  name: Os kommune\n", "  name: 'Os kommune'\n")
    locked_folder = tmp_path / "a"
    locked = plan_copy(locked_folder, "os.yaml", messy)
    other = plan_copy(tmp_path / "b", "os.yaml", messy)
    locked.chmod(0o444)
    locked_folder.chmod(0o555)
    try:
        done = as_user(["--lang", "en", "fmt", str(locked), str(other)])
    finally:
        locked_folder.chmod(0o755)
        locked.chmod(0o644)
    assert done.returncode == 2, done.stderr
    assert f"error: cannot write {locked}: Permission denied\n" in done.stderr
    assert done.stdout == f"reformatted {other}\n"
    assert other.read_text(encoding="utf-8") == OS_TEXT and locked.read_text(encoding="utf-8") == messy


# -- 6. Markdown carries no markup from a plan ---------------------------------------------------

PAYLOADS = {
    ("plan", "title"): "Plan\n\n<script>alert('tittel')</script>",
    ("measure", "name"): "<img src=x onerror=alert('navn')>",
    ("measure", "description"): "Se [her](javascript:alert('lenke')) og ![b](javascript:alert(2)) &lt;b&gt;",
    ("unit", "name"): "**<iframe src=javascript:alert(3)>**",
}


def hostile_plan(tmp_path: Path) -> Path:
    text = OS_TEXT.replace("  title: Plan for forebygging av omsorgssvikt og atferdsproblem\n",
                           f"  title: {json.dumps(PAYLOADS[('plan', 'title')])}\n", 1)
    text = text.replace("    name: Treffpunkt\n", f"    name: {json.dumps(PAYLOADS[('measure', 'name')])}\n", 1)
    text = text.replace("    name: Barnevernstjenesten\n", f"    name: {json.dumps(PAYLOADS[('unit', 'name')])}\n", 1)
    marker = "    description: "
    index = text.index(marker, text.index(PAYLOADS[("measure", "name")][:10]))
    end = text.index("\n", index)
    text = text[:index] + marker + json.dumps(PAYLOADS[("measure", "description")]) + text[end:]
    for payload in PAYLOADS.values():
        assert json.dumps(payload) in text, payload
    return plan_copy(tmp_path / "plans", "os.yaml", text)


def rendered_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


@pytest.mark.parametrize("command", [("render", "{plan}", "--format", "markdown"),
                                     ("query", "{plan}", "--format", "markdown"),
                                     ("diff", "{original}", "{plan}", "--format", "markdown")], ids=lambda c: c[0])
def test_plan_text_in_markdown_never_becomes_markup(cli, tmp_path, command):
    plan = hostile_plan(tmp_path)
    original = plan_copy(tmp_path / "old", "os.yaml")
    args = [a.format(plan=plan, original=original) for a in command]
    result = cli(*args)
    assert result.code == 0, result.output
    html = rendered_html(result.stdout)
    for forbidden in ("<script", "<img", "<iframe", "<a href", "<b>", "<strong>&lt;iframe"):
        assert forbidden not in html, (forbidden, html[:2000])
    assert "alert(" in html  # the words are there, as words


def test_a_url_that_is_not_a_plain_web_address_is_refused_and_never_a_link(cli, tmp_path):
    text = LIER_TEXT.replace("    url: https://lovdata.no/dokument/NL/lov/2021-06-18-97\n",
                             "    url: https://x)[Les mer](javascript:alert(1))\n", 1)
    plan = plan_copy(tmp_path / "plans", "lier.yaml", text)
    result = cli("validate", str(plan))
    assert result.code == 1
    [finding] = [f for f in findings(result.stdout) if f["severity"] == "error"]
    assert finding["rule"] == "FB105"


# -- 7. smaller ones ------------------------------------------------------------------------------


def test_a_newline_in_a_file_name_cannot_forge_a_finding_line(cli, tmp_path):
    folder = tmp_path / "plans"
    plan_copy(folder, "os.yaml")
    forged = "x.yaml\nlier.yaml:1:1: error [FB001] forged\nz.yaml"
    plan_copy(folder, forged, OS_TEXT.replace("  name: Os kommune\n", "  name: Os kommune\n  bad: 1\n", 1))
    for output_format in ("text", "github"):
        result = cli("validate", str(folder), "--format", output_format)
        assert result.code == 1
        assert not any(line.startswith(("lier.yaml:1:1", "::error file=lier.yaml")) for line in result.stdout.splitlines())
        assert "x.yaml\\x0alier.yaml" in result.stdout
    junit = cli("validate", str(folder), "--format", "junit")
    ET.fromstring(junit.stdout)  # well-formed XML


def test_junit_is_well_formed_when_an_argument_holds_a_control_character(cli, tmp_path):
    result = cli("validate", "--format", "junit", str(tmp_path / "missing\x01\x1b.yaml"))
    assert result.code == 2
    root = ET.fromstring(result.stdout)
    assert "missing\\x01\\x1b.yaml" in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize("template, reason", [
    ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
    ("{{ plan.title.nothing_here() }}", "has no attribute"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "is unsafe"),
    ("{{ plan.title.__class__.__mro__[1].__subclasses__() }}", "is unsafe"),
])
def test_a_template_that_fails_or_reaches_for_python_is_one_line_and_exit_2(cli, tmp_path, template, reason):
    folder = tmp_path / "mal"
    folder.mkdir()
    (folder / "plan.md.j2").write_text(template, encoding="utf-8")
    result = cli("render", str(PLANS / "os.yaml"), "--format", "markdown", "--template", str(folder))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: the template ") and reason in result.stderr
    assert result.stderr.count("\n") == 1


def test_standard_input_is_read_no_further_than_the_limit(cli):
    huge = b"schema_version: 1\n" + b"#" * (5 * 1024 * 1024)
    result = cli("validate", "-", stdin_bytes=huge)
    assert result.code == 1
    [finding] = findings(result.stdout)
    assert finding["rule"] == "FB005"


def test_a_folder_under_plans_that_cannot_be_read_is_not_passed_over(tmp_path):
    plans = tmp_path / "plans"
    plan_copy(plans, "os.yaml")
    hidden = plans / "bydel"
    plan_copy(hidden, "lier.yaml", "not: a plan\n")
    hidden.chmod(0)
    try:
        done = as_user(["--lang", "en", "validate", str(plans)])
    finally:
        hidden.chmod(0o755)
    assert done.returncode == 2
    assert (f"error: {hidden}: the folder cannot be read, so the plans in it were not checked: Permission denied"
            in done.stderr)


def test_folders_nested_a_thousand_deep_are_walked_without_a_crash(cli, tmp_path):
    deep = tmp_path / "plans"
    plan_copy(deep, "os.yaml")
    folders = []
    for _ in range(1200):
        deep = deep / "d"
        deep.mkdir()
        folders.append(deep)
    try:
        result = cli("validate", str(tmp_path / "plans"))
        assert result.code == 0 and "1 file checked" in result.stdout
    finally:  # shutil.rmtree (pytest's clean-up) recurses once per level: take the tree down here
        for folder in reversed(folders):
            folder.rmdir()


WIDE = 10 ** 30  # wider than the 64 bits the cache's JSON (orjson) writes


@pytest.mark.parametrize("old, new", [("      line: 59\n", f"      line: {WIDE}\n"),
                                      ("      - number: 1\n", f"      - number: {WIDE}\n")], ids=["line", "number"])
def test_a_number_wider_than_64_bits_is_a_finding_and_the_other_plans_are_answered(cli, tmp_path, old, new):
    """A source line or sub-goal number too large for any plan (found by probing: it reached the built plan, and
    encoding it for the cache was an internal error that stopped every command over every file) is a schema
    error at its line and column; the other plans of the run are checked and answered, warm as cold."""
    assert OS_TEXT.count(old) >= 1
    bad = plan_copy(tmp_path / "plans", text=OS_TEXT.replace(old, new, 1))
    good = plan_copy(tmp_path / "plans", "lier.yaml", (PLANS / "lier.yaml").read_text(encoding="utf-8"))
    where = (str(OS_TEXT[:OS_TEXT.index(old)].count("\n") + 1), str(new.index(str(WIDE)) + 1), "FB106")
    env = {"FOREBYGGING_CACHE_DIR": str(tmp_path / "cache")}
    for _run in ("cold", "warm"):
        checked = cli("validate", str(bad), str(good), env=env)
        assert checked.code == 1 and "intern" not in checked.output and "internal" not in checked.output
        [finding] = [f for f in findings(checked.stdout) if f["file"].endswith("os.yaml")]
        assert (finding["line"], finding["col"], finding["rule"]) == where and str(WIDE) in finding["message"]
        assert any(f["file"].endswith("lier.yaml") for f in findings(checked.stdout))
        listed = cli("plans", "--format", "json", str(bad), str(good), env=env)
        assert listed.code == 2 and [p["plan"] for p in json.loads(listed.stdout)] == ["lier"]
        assert "os.yaml" in listed.stderr and "Traceback" not in listed.stderr
    assert cli("--no-cache", "validate", str(bad), env=env).stdout == cli("validate", str(bad), env=env).stdout


def test_every_integer_the_schema_admits_fits_in_64_bits():
    """What passes the schema is built into a plan and stored as JSON that orjson writes: an integer field
    without bounds inside 64 bits would let a number through that the cache cannot store."""
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    unbounded = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            kinds = node.get("type")
            if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds):
                low, high = node.get("minimum"), node.get("maximum")
                if low is None or high is None or not -2 ** 63 <= low <= high < 2 ** 63:
                    unbounded.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(schema, "")
    assert unbounded == []


# -- 8. .ci/run on a fresh Debian ----------------------------------------------------------------


def test_ci_installs_what_the_tests_need_beyond_pypi_and_runs_the_readme_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("python3-venv", "git", "chromium", "libatomic1"):
        assert package in script
    assert "apt-get update" in script and "sudo" in script
    assert "chromium=/usr/bin/chromium" in script and 'FOREBYGGING_CHROMIUM="$chromium"' in script
    assert "FOREBYGGING_REQUIRE_BROWSER=1" in script


# -- the cache's plain data ----------------------------------------------------------------------


@pytest.mark.parametrize("module", ["_decoders", "_fact_decoders", "_encoders"])
def test_the_generated_decoders_and_encoders_are_in_step_with_the_model(module):
    """_decoders.py, _fact_decoders.py and _encoders.py are generated from the dataclasses' field types; after
    a change to model.py, findings.py, query.py or ages.py, `python -m forebygging_cli.codec` writes them
    again."""
    from forebygging_cli import codec

    committed = (ROOT / "src" / "forebygging_cli" / f"{module}.py").read_text(encoding="utf-8")
    made = codec.encoders_source() if module == "_encoders" else codec.decoders_source(module)
    assert committed == made, "run: python -m forebygging_cli.codec"


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_a_plan_and_its_report_come_back_from_plain_data_unchanged(stem):
    import orjson

    from forebygging_cli import codec
    from forebygging_cli.findings import FileReport
    from forebygging_cli.model import Plan
    from forebygging_cli.validate import validate_text

    report = validate_text((PLANS / f"{stem}.yaml").read_bytes(), f"plans/{stem}.yaml")
    plan = report.plan
    back = codec.decode(Plan, orjson.loads(orjson.dumps(codec.encode(plan))))
    assert back == plan and back.unit(plan.units[0].id) == plan.units[0]
    assert plan.positions and not back.positions  # the cache does not keep them: no command reads them
    name = ("measures", 3, "name")
    assert plan.position(name).line == plan.positions[name][0] > 1
    with pytest.raises(LookupError, match="does not keep where its values stand"):  # never a silent line 1
        back.position(name)
    without = report.without_plan()
    assert codec.decode(FileReport, orjson.loads(orjson.dumps(codec.encode(without)))) == without
