"""Every branch of the disk write, run in this process so each is pinned:
the wait for a busy file to settle (on a clock the test drives), the start
over when another program saves while netvault prepares (at the write
path's own handshake points), the refusals and their messages, and the
all-or-nothing bookkeeping of several files."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from netvault.edit import diskwrite, files, timing
from netvault.edit.errors import ConflictError, EditError, PartialWrite
from netvault.edit.writer import edit_file, edit_files, set_field
from netvault.read.frontmatter import BOM

pytestmark = pytest.mark.skipif(not hasattr(fcntl, "flock"), reason="POSIX")

CONTACT = """---
name: Con Current
circle: buddy
---
Notes typed by hand.

## Log
- 2026-01-05 email: first
"""
EDITOR_LINE = "- 2026-02-01 typed in the editor\n"


def _vault(tmp_path: Path, text: str = CONTACT, name: str = "Con Current.md") -> tuple[Path, Path]:
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True, exist_ok=True)
    (root / "netvault.toml").write_text("")
    path = root / "people" / name
    path.write_text(text)
    return root, path


def _cold(text: str) -> str:
    return set_field(text, "circle", "cold")


# ---------------------------------------------------------------------------
# Waiting for a busy file, on a clock the test drives


class Clock:
    """Stands in for the ``time`` module of the disk write: ``sleep`` moves
    the clock on and lets the test act (another program writing) as it
    does."""

    START = 10**18  # ns; a whole number of seconds, so sums stay exact

    def __init__(self, on_sleep=None):
        self.ns = self.START
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def time_ns(self) -> int:
        return self.ns

    def monotonic(self) -> float:
        return self.ns / 1e9

    def sleep(self, seconds: float) -> None:
        if len(self.sleeps) > 1000:
            raise AssertionError("netvault never stopped waiting")
        self.sleeps.append(seconds)
        self.ns += round(seconds * 1e9)
        if self.on_sleep is not None:
            self.on_sleep(self)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timing, "QUIET_SECONDS", 0.3)
    monkeypatch.setattr(timing, "EMPTY_QUIET_SECONDS", 2.0)
    monkeypatch.setattr(timing, "SETTLE_LIMIT", 5.0)
    monkeypatch.setattr(timing, "POLL", 0.01)
    fake = Clock()
    monkeypatch.setattr(diskwrite, "time", fake)
    return fake


def _touch(path: Path, ns: int) -> None:
    os.utime(path, ns=(ns, ns))


def test_a_file_saved_a_moment_ago_is_waited_for_until_quiet(tmp_path, clock):
    root, path = _vault(tmp_path)
    _touch(path, clock.ns)
    edit_file(path, _cold, root=root)
    assert clock.sleeps == [0.05] * 6  # 0.3 s of quiet, in steps of 5 polls
    assert "circle: cold" in path.read_text()


def test_a_file_quiet_long_enough_is_not_waited_for(tmp_path, clock):
    root, path = _vault(tmp_path)
    _touch(path, clock.ns - 300_000_000)
    edit_file(path, _cold, root=root)
    assert clock.sleeps == []


def test_the_wait_holds_the_write_lock(tmp_path, clock):
    root, path = _vault(tmp_path)
    _touch(path, clock.ns)
    held = []

    def probe(_clock):
        with open(root / ".netvault" / "write.lock", "rb") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.append(True)
            else:
                fcntl.flock(other, fcntl.LOCK_UN)
                held.append(False)

    clock.on_sleep = probe
    edit_file(path, _cold, root=root)
    assert held == [True] * 6


def test_an_emptied_file_is_waited_for_until_the_editor_has_written_it(tmp_path, clock):
    root, path = _vault(tmp_path)
    path.write_text("")
    _touch(path, clock.ns)

    def editor_finishes_after_a_second(fake):
        if len(fake.sleeps) == 20:
            path.write_text(CONTACT + EDITOR_LINE)
            _touch(path, fake.ns)

    clock.on_sleep = editor_finishes_after_a_second
    edit_file(path, lambda text: text + "- 2026-03-01 logged\n", root=root)
    # 1 s until the editor wrote, then 0.3 s of quiet
    assert len(clock.sleeps) == 20 + 6
    assert path.read_text() == CONTACT + EDITOR_LINE + "- 2026-03-01 logged\n"


def test_a_file_that_keeps_changing_is_waited_for_at_most_the_settle_limit(tmp_path, clock):
    root, path = _vault(tmp_path)
    _touch(path, clock.ns)
    clock.on_sleep = lambda fake: _touch(path, fake.ns)
    edit_file(path, _cold, root=root)
    assert len(clock.sleeps) == 101  # past 5.0 s, not at it
    assert "circle: cold" in path.read_text()


@pytest.mark.parametrize(
    "ahead_ns, sleeps",
    [
        (5 * 10**9 + 1, 0),  # more than 5 s in the future: the clock is off, waiting cannot help
        (5 * 10**9, 101),  # 5 s ahead is still believed: wait, up to the limit
    ],
)
def test_a_modification_time_far_in_the_future_is_not_waited_for(tmp_path, clock, ahead_ns, sleeps):
    root, path = _vault(tmp_path)
    _touch(path, clock.ns + ahead_ns)
    edit_file(path, _cold, root=root)
    assert len(clock.sleeps) == sleeps


def test_netvaults_own_last_write_needs_no_wait(tmp_path, clock):
    root, path = _vault(tmp_path)
    edit_file(path, _cold, root=root)
    clock.ns = path.stat().st_mtime_ns  # as if netvault had written it just now
    edit_file(path, lambda t: set_field(t, "org", "Racing Ltd"), root=root)
    assert clock.sleeps == []
    assert "org: Racing Ltd" in path.read_text()


# ---------------------------------------------------------------------------
# Another program saving while netvault prepares, at the handshake points


class Handshake:
    def __init__(self, folder: Path):
        self.folder = folder

    def wait(self, point: str) -> None:
        reached = self.folder / f"{point}.reached"
        deadline = time.monotonic() + 20
        while not reached.exists():
            assert time.monotonic() < deadline, f"netvault never reached {point!r}"
            time.sleep(0.005)

    def go(self, point: str) -> None:
        (self.folder / f"{point}.go").touch()


@pytest.fixture
def handshake(tmp_path, monkeypatch):
    folder = tmp_path / "handshake"
    folder.mkdir()
    monkeypatch.setenv(timing.HANDSHAKE_ENV, str(folder))
    monkeypatch.setattr(timing, "_reached", set())
    return Handshake(folder)


def _only_at(handshake: Handshake, point: str) -> None:
    """netvault stops at ``point`` only; every other point lets it through."""
    for other in ("prepared", "renamed"):
        if other != point:
            handshake.go(other)


def _in_thread(func, *args, **kwargs):
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()

    def join():
        thread.join(30)
        assert not thread.is_alive(), "netvault did not finish"
        return outcome

    return join


def _conflict_copies(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if ".conflict-" in n)


def _while_netvault_prepares(tmp_path, handshake, another_program) -> tuple[Path, dict]:
    """Run an edit, and let ``another_program(path)`` act at the "prepared" point."""
    root, path = _vault(tmp_path)
    _only_at(handshake, "prepared")
    join = _in_thread(edit_file, path, _cold, root=root)
    handshake.wait("prepared")
    another_program(path)
    handshake.go("prepared")
    return path, join()


def _save_in_place(path: Path) -> None:
    with open(path, "r+") as editor:  # same file, same inode
        editor.seek(0, os.SEEK_END)
        editor.write(EDITOR_LINE)


def _save_by_rename(path: Path) -> None:
    other = path.with_name(".Con Current.md.swp")
    other.write_text(CONTACT + EDITOR_LINE)
    os.replace(other, path)


@pytest.mark.parametrize("save", [_save_in_place, _save_by_rename])
def test_a_save_while_netvault_prepares_is_read_again(tmp_path, handshake, save):
    path, outcome = _while_netvault_prepares(tmp_path, handshake, save)
    assert "error" not in outcome, outcome
    assert path.read_text() == _cold(CONTACT + EDITOR_LINE)
    assert _conflict_copies(path.parent) == []


def test_a_file_removed_while_netvault_prepares_is_not_brought_back(tmp_path, handshake):
    path, outcome = _while_netvault_prepares(tmp_path, handshake, Path.unlink)
    error = outcome["error"]
    assert isinstance(error, ConflictError)
    assert error.message == f"{path} was removed; nothing was written"
    assert os.listdir(path.parent) == []


def test_a_write_into_the_replaced_original_is_kept_in_a_copy_named_by_now(tmp_path, handshake, monkeypatch):
    monkeypatch.setattr(timing, "QUIET_SECONDS", 0.05)
    monkeypatch.setattr(timing, "WATCH_SECONDS", 0.3)
    root, path = _vault(tmp_path)
    _only_at(handshake, "renamed")
    with open(path, "r+") as editor:  # an editor holding the original open
        join = _in_thread(
            edit_files, [(path, _cold)], root=root, now=lambda: datetime(2026, 1, 2, 3, 4, 5)
        )
        handshake.wait("renamed")
        editor.seek(0, os.SEEK_END)
        editor.write(EDITOR_LINE)
        editor.flush()
        handshake.go("renamed")
        outcome = join()
    assert "error" not in outcome, outcome
    (saved,) = outcome["result"]
    assert saved.conflict_kept == "theirs"
    assert saved.conflict.name == "Con Current.conflict-2026-01-02T03-04-05.md"
    assert saved.conflict.read_text() == CONTACT + EDITOR_LINE
    assert path.read_text() == _cold(CONTACT)


def test_a_file_another_program_keeps_writing_is_given_up_after_four_reads(tmp_path):
    root, path = _vault(tmp_path)
    reads = []

    def another_program_writes_again(_path, raw):
        reads.append(raw)
        with open(path, "ab") as other:
            other.write(b"- 2026-02-0%d again\n" % len(reads))

    with pytest.raises(ConflictError) as caught:
        edit_files([(path, _cold)], root=root, expect=another_program_writes_again)
    assert caught.value.message == (
        f"{path} changed on disk while netvault was editing it (another program keeps "
        "writing it); nothing was written, run the command again"
    )
    assert len(reads) == 1 + timing.ATTEMPTS  # the check without the lock, then each attempt
    assert "circle: buddy" in path.read_text()


def test_every_version_netvault_reads_is_shown_to_expect(tmp_path):
    root, path = _vault(tmp_path)
    seen = []
    edit_files([(path, _cold)], root=root, expect=lambda p, raw: seen.append((p, raw)))
    assert seen == [(path, CONTACT.encode())] * 2  # without the lock, then the one written from


def test_expect_refusing_a_file_names_it(tmp_path):
    root, path = _vault(tmp_path)

    def refuse(p, raw):
        raise EditError("no longer the contact that was loaded")

    with pytest.raises(EditError) as caught:
        edit_files([(path, _cold)], root=root, expect=refuse)
    assert caught.value.path == path
    assert not (root / ".netvault").exists()


def test_expect_refusing_the_version_read_under_the_lock_writes_nothing(tmp_path):
    root, path = _vault(tmp_path)
    calls = []

    def refuse_second(p, raw):
        calls.append(raw)
        if len(calls) == 2:
            raise EditError("no longer the contact that was loaded")

    with pytest.raises(EditError) as caught:
        edit_files([(path, _cold)], root=root, expect=refuse_second)
    assert caught.value.path == path
    assert path.read_text() == CONTACT


def test_a_save_in_the_instant_before_the_rename_is_not_overwritten(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)
    real = diskwrite._unchanged
    checks = []

    def another_program_saves_before_the_last_check(plan):
        checks.append(plan.path)
        if len(checks) == 2:  # the check right before the rename
            with open(path, "ab") as other:
                other.write(EDITOR_LINE.encode())
        return real(plan)

    monkeypatch.setattr(diskwrite, "_unchanged", another_program_saves_before_the_last_check)
    with pytest.raises(ConflictError) as caught:
        edit_file(path, _cold, root=root)
    assert caught.value.message == f"{path} changed on disk just now; it was not written"
    assert caught.value.path == path
    assert path.read_text() == CONTACT + EDITOR_LINE


# ---------------------------------------------------------------------------
# Several files, all or nothing


def test_a_partial_write_names_what_was_written_and_what_was_not(tmp_path, monkeypatch):
    root, first = _vault(tmp_path, name="A One.md")
    _, second = _vault(tmp_path, name="B Two.md")
    _, third = _vault(tmp_path, name="C Three.md")
    real = diskwrite.put_in_place

    def third_saved_by_another_program(plan, lock, now):
        real(plan, lock, now)
        if plan.path == second:
            with open(third, "ab") as other:
                other.write(EDITOR_LINE.encode())

    monkeypatch.setattr(diskwrite, "put_in_place", third_saved_by_another_program)
    with pytest.raises(PartialWrite) as caught:
        edit_files([(first, _cold), (second, _cold), (third, _cold)], root=root)
    assert caught.value.message == (
        f"{third} changed on disk just now; it was not written; already written: {first}, {second}"
    )
    assert caught.value.written == [first, second]
    assert "circle: cold" in first.read_text() and "circle: cold" in second.read_text()
    assert third.read_text() == CONTACT + EDITOR_LINE


def test_a_file_with_nothing_to_change_does_not_stop_the_next(tmp_path):
    root, first = _vault(tmp_path, name="A One.md")
    _, second = _vault(tmp_path, name="B Two.md")
    saved = edit_files([(first, lambda t: t), (second, _cold)], root=root)
    assert [s.path for s in saved] == [first, second]
    assert [s.changed for s in saved] == [False, True]
    assert first.read_text() == CONTACT
    assert "circle: cold" in second.read_text()


def test_the_same_file_named_twice_is_refused(tmp_path):
    root, path = _vault(tmp_path)
    with pytest.raises(EditError) as caught:
        edit_files([(path, _cold), (path, lambda t: set_field(t, "org", "X"))], root=root)
    assert caught.value.message == "the same file is named twice"
    assert path.read_text() == CONTACT


def test_edits_are_written_unless_asked_for_a_dry_run(tmp_path):
    root, path = _vault(tmp_path)
    (dry,) = edit_files([(path, _cold)], root=root, dry_run=True)
    assert dry.path == path and dry.changed
    assert path.read_text() == CONTACT
    assert not (root / ".netvault").exists()
    (saved,) = edit_files([(path, _cold)], root=root)
    assert saved.path == path
    assert path.read_text() == _cold(CONTACT)


# ---------------------------------------------------------------------------
# Refusals: what the user reads, and that nothing was touched


def test_a_read_only_file_is_refused_before_the_vault_is_locked(tmp_path):
    root, path = _vault(tmp_path)
    path.chmod(0o444)
    with pytest.raises(EditError) as caught:
        edit_file(path, _cold, root=root)
    assert caught.value.message == "the file is read-only (make it writable to let netvault change it)"
    assert caught.value.path == path
    assert not (root / ".netvault").exists()  # refused without a trace
    assert path.read_text() == CONTACT


def test_a_read_only_disk_is_named(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)
    monkeypatch.setattr(files, "_read_only_disk", lambda target: True)
    with pytest.raises(EditError) as caught:
        edit_file(path, _cold, root=root)
    assert caught.value.message == f"cannot write {path}: Read-only file system"
    assert not (root / ".netvault").exists()


def test_an_edit_that_changes_nothing_leaves_a_read_only_file_alone(tmp_path):
    root, path = _vault(tmp_path, CONTACT.replace("buddy", "cold"))
    path.chmod(0o444)
    (saved,) = edit_files([(path, _cold)], root=root)
    assert not saved.changed


def test_a_link_out_of_the_vault_is_refused_unless_allowed(tmp_path):
    root, _ = _vault(tmp_path)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(CONTACT)
    link = root / "people" / "Linked.md"
    link.symlink_to(outside)
    for refuse in (lambda: edit_file(link, _cold, root=root), lambda: edit_files([(link, _cold)], root=root)):
        with pytest.raises(EditError) as caught:
            refuse()
        assert caught.value.message == (
            "the file is a link to a file outside the vault; netvault never writes through such a link"
        )
        assert caught.value.path == link
    assert outside.read_text() == CONTACT
    edit_file(link, _cold, root=root, allow_outside=True)
    assert outside.read_text() == _cold(CONTACT)
    assert link.is_symlink()


def test_a_link_to_a_file_netvault_never_reads_is_refused_with_the_loaders_words(tmp_path):
    root, _ = _vault(tmp_path)
    link = root / "people" / "Settings.md"
    link.symlink_to(root / "netvault.toml")
    with pytest.raises(EditError) as caught:
        edit_file(link, _cold, root=root)
    assert caught.value.message == (
        "links to netvault.toml, which is not a Markdown note (.md); netvault never writes through it"
    )


def test_text_that_cannot_be_encoded_is_refused(tmp_path):
    root, path = _vault(tmp_path)
    with pytest.raises(EditError) as caught:
        edit_file(path, lambda t: t + "\ud800", root=root)
    assert caught.value.message == "the new text is not valid Unicode; nothing was written"
    assert caught.value.path == path


@pytest.mark.parametrize("had_bom", [False, True])
def test_a_bom_is_kept_if_the_file_had_one_and_never_added(tmp_path, had_bom):
    root, path = _vault(tmp_path)
    path.write_bytes((BOM.encode() if had_bom else b"") + CONTACT.encode())
    edit_file(path, lambda t: BOM + _cold(t), root=root)
    assert path.read_bytes() == (BOM.encode() if had_bom else b"") + _cold(CONTACT).encode()


def test_a_path_through_a_file_cannot_be_read(tmp_path):
    root, path = _vault(tmp_path)
    inner = path / "inner.md"
    with pytest.raises(EditError) as caught:
        edit_file(inner, _cold, root=root)
    assert caught.value.message == f"cannot read {inner}: Not a directory"
    assert caught.value.path == inner


def test_a_pipe_named_like_a_contact_is_refused_without_waiting_for_a_writer(tmp_path):
    root, _ = _vault(tmp_path)
    pipe = root / "people" / "Piped.md"
    os.mkfifo(pipe)
    outcome: dict = {}

    def run():
        try:
            edit_file(pipe, _cold, root=root)
        except EditError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # blocked opening the pipe: be its writer, then fail
        os.close(os.open(pipe, os.O_WRONLY))
        thread.join()
        pytest.fail("netvault waited for a writer on a pipe")
    error = outcome["error"]
    assert error.message == f"{pipe} is not a regular file"
    assert error.path == pipe


def test_a_disk_that_refuses_the_new_file_is_reported_with_its_reason(tmp_path, monkeypatch):
    root, path = _vault(tmp_path)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(diskwrite, "write_temp", full_disk)
    with pytest.raises(EditError) as caught:
        edit_file(path, _cold, root=root)
    assert caught.value.message == f"cannot write {path}: No space left on device"
    assert caught.value.path == path
    assert path.read_text() == CONTACT
