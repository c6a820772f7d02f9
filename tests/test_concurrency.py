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


class Paused:
    """``netvault log`` in a real process that stops at a named point of its
    write path (``prepared``: its new version is on disk as a temporary file,
    not yet checked and renamed; ``renamed``: renamed into place, not yet
    watched for late writers) until the test, playing the editor, has saved."""

    def __init__(self, tmp_path: Path, root: Path, text: str, point: str) -> None:
        self.folder = tmp_path / "handshake"
        self.folder.mkdir()
        self.point = point
        for other in ("prepared", "renamed"):
            if other != point:
                (self.folder / f"{other}.go").touch()
        env = {**_env(), "NETVAULT_TEST_HANDSHAKE": str(self.folder)}
        self.proc = subprocess.Popen(
            [*NETVAULT, "log", "Con Current", text, "--vault", str(root), "--today", "2026-11-22"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )

    def wait_until_paused(self) -> None:
        reached = self.folder / f"{self.point}.reached"
        deadline = time.monotonic() + 60
        while not reached.exists():
            assert self.proc.poll() is None, self.proc.communicate()
            assert time.monotonic() < deadline, "netvault never reached " + self.point
            time.sleep(0.01)

    def resume(self) -> tuple[int, str, str]:
        (self.folder / f"{self.point}.go").touch()
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, out.decode(), err.decode()


def _copies(folder: Path) -> dict[str, str]:
    return {n: (folder / n).read_text() for n in sorted(os.listdir(folder)) if ".conflict-" in n}


MARKER = "- 2026-02-01 typed in the editor\n"
ENTRY = "- 2026-11-22 logged by netvault"


def test_an_editor_saving_in_place_while_netvault_prepares_is_read_again(tmp_path):
    root, path = _vault(tmp_path)
    buffer = path.read_bytes()  # what the editor shows
    netvault = Paused(tmp_path, root, "logged by netvault", "prepared")
    netvault.wait_until_paused()
    with open(path, "r+b") as editor:  # saved in place: the same file, truncated and rewritten
        editor.truncate(0)
        editor.write(buffer + MARKER.encode())
    code, out, err = netvault.resume()
    assert (code, err) == (0, ""), err
    assert "Logged for Con Current" in out
    text = path.read_text()
    assert MARKER in text and ENTRY in text  # netvault started over from the editor's save
    assert _copies(path.parent) == {} and _leftovers(path.parent) == []


def test_an_editor_writing_into_the_replaced_original_keeps_its_bytes_in_a_copy(tmp_path):
    root, path = _vault(tmp_path)
    editor = open(path, "r+b")  # the editor holds the file open
    buffer = editor.read()
    netvault = Paused(tmp_path, root, "logged by netvault", "renamed")
    netvault.wait_until_paused()
    editor.seek(0)  # its save lands in the original, which netvault has replaced
    editor.truncate(0)
    editor.write(buffer + MARKER.encode())
    editor.close()
    code, out, err = netvault.resume()
    copies = _copies(path.parent)
    assert code == 1  # logged, and told to merge
    assert ENTRY in path.read_text()
    assert [name for name, text in copies.items() if MARKER in text] == list(copies) and len(copies) == 1
    assert "Conflict: another program wrote" in err and next(iter(copies)) in err
    assert _leftovers(path.parent) == []


def test_an_editor_saving_its_stale_buffer_over_netvaults_save_keeps_netvaults_in_a_copy(tmp_path):
    root, path = _vault(tmp_path)
    buffer = path.read_bytes()  # read before netvault wrote
    netvault = Paused(tmp_path, root, "logged by netvault", "renamed")
    netvault.wait_until_paused()
    with open(path, "wb") as editor:  # opens the new file and saves the old text over it
        editor.write(buffer + MARKER.encode())
    code, out, err = netvault.resume()
    copies = _copies(path.parent)
    assert code == 1
    assert MARKER in path.read_text() and ENTRY not in path.read_text()
    assert len(copies) == 1 and ENTRY in next(iter(copies.values()))
    assert "Conflict: another program replaced" in err and "netvault's version is kept in" in err
    assert next(iter(copies)) in err
    assert _leftovers(path.parent) == []


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
    with pytest.raises(EditError, match="never follows a link"):
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
