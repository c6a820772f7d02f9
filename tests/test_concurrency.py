"""Several programs writing one contact at once, with real processes.

The promise: a success message means the change is on disk, and no byte
that netvault or another program wrote is lost — it is in the file, or in a
conflict copy beside it that netvault announced.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from netvault.edit import latewrites, swap, timing
from netvault.edit import lock as vaultlock
from netvault.edit.errors import EditError
from netvault.edit.lock import VaultLock
from netvault.edit.plan import Plan
from netvault.edit.writer import edit_file, set_field

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks and processes")

NETVAULT = [sys.executable, "-m", "netvault.cli"]
CONTACT = """---
name: Con Current
circle: buddy
org: Racing Ltd
---
Notes typed by hand.

## Log
- 2026-01-05 email: first
"""


def _vault(tmp_path: Path, text: str = CONTACT) -> tuple[Path, Path]:
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "netvault.toml").write_text("")
    path = root / "people" / "Con Current.md"
    path.write_text(text)
    return root, path


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETVAULT")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return env


def _log(root: Path, text: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*NETVAULT, "log", "Con Current", text, "--vault", str(root), "--today", "2026-11-22", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".netvault-tmp"))


@pytest.mark.real_timing
def test_parallel_logs_never_lose_an_entry(tmp_path):
    root, path = _vault(tmp_path)
    time.sleep(timing.QUIET_SECONDS)
    reported = []
    for round_ in range(3):
        procs = [_log(root, f"parallel entry {round_}-{i}") for i in range(20)]
        for i, proc in enumerate(procs):
            out, err = proc.communicate(timeout=120)
            assert b"Traceback" not in err, err.decode()
            if proc.returncode == 0:
                assert "Logged for Con Current".encode() in out
                reported.append(f"parallel entry {round_}-{i}")
    text = path.read_text()
    missing = [entry for entry in reported if f"- 2026-11-22 {entry}\n" not in text]
    assert missing == []
    # Waiting for the lock beats refusing: every one of them succeeded.
    assert len(reported) == 60
    assert text.startswith(CONTACT.split("---\nNotes")[0] + "last_contact: 2026-11-22\n---\nNotes")
    assert _leftovers(path.parent) == []
    assert not [n for n in os.listdir(path.parent) if ".conflict-" in n]


REWRITER = textwrap.dedent(
    """
    import os, random, sys, time
    path, marker, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    random.seed(seed)
    folder = os.path.dirname(path)
    with open(path, "rb") as f:
        buffer = f.read()          # what the editor shows the user
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(n.endswith(".netvault-tmp") for n in os.listdir(folder)):
            break                  # netvault is about to rename its new version in
        time.sleep(0.0002)
    else:
        print("no race"); sys.exit(0)
    time.sleep(random.choice([0, 0, 0.0005, 0.001, 0.002, 0.004]))
    with open(path, "wb") as f:    # save in place: truncate, pause, write
        opened = os.fstat(f.fileno()).st_ino
        f.flush()
        time.sleep(0.03)
        f.write(buffer + marker.encode() + b"\\n")
    print("raced", opened)
    """
)


@pytest.mark.real_timing
def test_an_editor_saving_in_place_during_log_loses_nothing(tmp_path):
    root, path = _vault(tmp_path)
    raced = 0
    for round_ in range(12):
        path.write_text(CONTACT)
        for name in os.listdir(path.parent):
            if ".conflict-" in name:
                os.unlink(path.parent / name)
        time.sleep(timing.QUIET_SECONDS)
        original = path.stat().st_ino
        marker = f"- 2026-02-0{round_ % 9 + 1} typed in the editor, round {round_}"
        entry = f"- 2026-11-22 logged by netvault, round {round_}"
        editor = subprocess.Popen(
            [sys.executable, "-c", REWRITER, str(path), marker, str(round_)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.05)  # the editor has read the file
        proc = _log(root, entry.split(" ", 2)[2])
        out, err = proc.communicate(timeout=60)
        editor_out, editor_err = editor.communicate(timeout=60)
        assert editor_err == b"", editor_err.decode()
        assert b"Traceback" not in err, err.decode()
        said = editor_out.split()
        if said[:1] == [b"raced"]:
            raced += 1
        copies = sorted(n for n in os.listdir(path.parent) if ".conflict-" in n)
        texts = [path.read_text()] + [(path.parent / c).read_text() for c in copies]
        # Neither side's bytes are lost: the file or a conflict copy has them.
        assert any(marker in t for t in texts), (round_, texts, err)
        if said[:1] == [b"raced"] and int(said[1]) != original and entry not in "".join(texts):
            # The editor opened the file only after netvault had saved it, and
            # later than netvault watches (a slow machine): an ordinary stale
            # save over netvault's finished write, which no tool can prevent.
            assert proc.returncode == 0
            continue
        assert any(entry in t for t in texts), (round_, texts, err)
        if copies:
            assert proc.returncode == 1
            assert b"Conflict:" in err and copies[0].encode() in err
        if entry not in texts[0]:
            assert proc.returncode != 0  # never "Logged" while the entry is only in a copy
        if proc.returncode == 0:
            assert entry in texts[0]
        assert _leftovers(path.parent) == []
    assert raced >= 3  # the editor really did save mid-write in several rounds


def test_a_second_writer_waits_for_the_lock_then_gives_up_with_a_clear_message(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)
    monkeypatch.setattr(vaultlock, "LOCK_TIMEOUT", 0.3)
    with VaultLock(root):
        with pytest.raises(EditError, match=r"another netvault command \(process \d+\)"):
            edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert path.read_text() == CONTACT
    edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert "circle: cold" in path.read_text()


def test_the_lock_is_a_real_flock_other_processes_see(tmp_path):
    root, _ = _vault(tmp_path)
    with VaultLock(root):
        fd = os.open(root / ".netvault" / "write.lock", os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def test_a_link_as_the_state_folder_is_refused(tmp_path):
    root, path = _vault(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".netvault").symlink_to(elsewhere)
    with pytest.raises(EditError, match="does not follow links"):
        edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert os.listdir(elsewhere) == []
    assert path.read_text() == CONTACT


TRUNCATE_THEN_PAUSE = textwrap.dedent(
    """
    import sys, time
    path, pause = sys.argv[1], float(sys.argv[2])
    with open(path, "rb") as f:
        buffer = f.read()
    with open(path, "wb") as f:     # truncate now ...
        f.flush()
        time.sleep(pause)           # ... and write a while later
        f.write(buffer + b"- 2026-02-01 typed in the editor\\n")
    """
)


@pytest.mark.real_timing
@pytest.mark.parametrize("pause", [0.5, 1.0])
def test_a_file_emptied_by_a_slow_save_is_waited_for(tmp_path, pause):
    root, path = _vault(tmp_path)
    time.sleep(timing.QUIET_SECONDS)
    editor = subprocess.Popen([sys.executable, "-c", TRUNCATE_THEN_PAUSE, str(path), str(pause)])
    time.sleep(pause / 2)  # netvault starts while the file is empty
    proc = _log(root, "logged by netvault")
    out, err = proc.communicate(timeout=60)
    editor.wait(timeout=60)
    assert proc.returncode == 0, err.decode()
    text = path.read_text()
    assert "name: Con Current" in text and "Notes typed by hand." in text
    assert "- 2026-02-01 typed in the editor\n" in text
    assert "- 2026-11-22 logged by netvault\n" in text
    assert not [n for n in os.listdir(path.parent) if ".conflict-" in n]


def _rename_in_before_netvault_renames(monkeypatch, path: Path, text: str) -> None:
    """Another program saves by rename in the instant between netvault's last
    check and its own rename."""
    real_remember = VaultLock.remember

    def remember(self, target, info):
        real_remember(self, target, info)
        if target == path:
            other = path.with_name(".other-program.tmp")
            other.write_text(text)
            os.replace(other, path)

    monkeypatch.setattr(VaultLock, "remember", remember)


@pytest.mark.skipif(not swap._exchange_works, reason="needs renameat2 RENAME_EXCHANGE")
def test_a_save_renamed_in_just_before_netvaults_rename_is_kept(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)
    theirs = CONTACT + "- 2026-03-01 saved by the other program\n"
    _rename_in_before_netvault_renames(monkeypatch, path, theirs)
    saved = edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert "circle: cold" in path.read_text()
    assert saved.conflict_kept == "theirs"
    assert saved.conflict.read_text() == theirs
    assert sorted(os.listdir(path.parent)) == sorted(["Con Current.md", saved.conflict.name])


@pytest.mark.skipif(not swap._exchange_works, reason="needs renameat2 RENAME_EXCHANGE")
def test_a_long_file_name_still_gets_its_conflict_copy(tmp_path, monkeypatch):
    root, _ = _vault(tmp_path)
    path = root / "people" / ("M" * 240 + ".md")
    path.write_text(CONTACT)
    theirs = CONTACT + "- 2026-03-01 saved by the other program\n"
    _rename_in_before_netvault_renames(monkeypatch, path, theirs)
    saved = edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert saved.conflict.read_text() == theirs
    assert len(saved.conflict.name.encode()) <= 255
    assert ".conflict-" in saved.conflict.name


def test_names_of_255_bytes_can_be_edited(tmp_path):
    root, _ = _vault(tmp_path)
    path = root / "people" / ("é" * 126 + ".md")  # 252 + 3 bytes
    path.write_text(CONTACT)
    edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert "circle: cold" in path.read_text()


@pytest.mark.real_timing
def test_another_program_adding_to_netvaults_save_is_no_conflict(tmp_path):
    root, path = _vault(tmp_path)
    time.sleep(timing.QUIET_SECONDS)
    before = path.stat().st_ino
    import threading

    def follower():  # re-reads netvault's version right away and saves an addition
        deadline = time.monotonic() + 10
        while path.stat().st_ino == before and time.monotonic() < deadline:
            time.sleep(0.001)
        other = path.with_name(".follower.tmp")
        other.write_text(path.read_text() + "- 2026-03-02 added right after\n")
        os.replace(other, path)

    thread = threading.Thread(target=follower)
    thread.start()
    saved = edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    thread.join()
    assert saved.conflict is None
    assert "circle: cold" in path.read_text() and "added right after" in path.read_text()


@pytest.mark.parametrize("kind", ["fifo", "hardlink"])
def test_a_lock_file_that_is_not_a_plain_file_is_refused(tmp_path, kind):
    root, path = _vault(tmp_path)
    (root / ".netvault").mkdir()
    lock = root / ".netvault" / "write.lock"
    if kind == "fifo":
        os.mkfifo(lock)
    else:
        elsewhere = tmp_path / "precious.txt"
        elsewhere.write_text("keep me")
        os.link(elsewhere, lock)
    with pytest.raises(EditError, match="not a plain file of its own"):
        edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert path.read_text() == CONTACT
    if kind == "hardlink":
        assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_a_record_that_is_a_pipe_or_a_device_is_ignored(tmp_path):
    root, path = _vault(tmp_path)
    (root / ".netvault").mkdir()
    os.mkfifo(root / ".netvault" / "written.json")
    proc = _log(root, "still works")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    (root / ".netvault" / "written.json").unlink()
    (root / ".netvault" / "written.json").symlink_to("/dev/zero")
    proc = _log(root, "still works again")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    assert "still works again" in path.read_text()


def test_the_lock_timeout_names_no_stale_process(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)
    edit_file(path, lambda t: set_field(t, "circle", "cold"), root=root)
    assert (root / ".netvault" / "write.lock").read_bytes() == b""


@pytest.mark.skipif(not hasattr(fcntl, "F_SETLEASE"), reason="Linux leases")
def test_an_original_nobody_else_holds_open_needs_no_watch(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("x")
    plan = Plan(path, path, lambda t: t)
    plan.fd = os.open(path, os.O_RDONLY)
    plan.info = os.fstat(plan.fd)
    try:
        assert latewrites._alone(plan) is False  # it still has its name
        os.unlink(path)
        other = os.open(f"/proc/self/fd/{plan.fd}", os.O_RDONLY)  # an editor holding it open
        assert latewrites._alone(plan) is False
        os.close(other)
        assert latewrites._alone(plan) is True
    finally:
        os.close(plan.fd)
