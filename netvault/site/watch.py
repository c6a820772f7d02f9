"""Watch a vault and rebuild after edits settle (like mkdocs' livereload).

The event callback only records which files changed; one loop waits until no
event has arrived for ``debounce`` seconds, then calls the builder it was
given with the changed paths.  A failing build is reported and the loop goes
on watching: the next save may fix it.

What counts as a change: Markdown notes, ``netvault.toml``, the user's
templates (``.netvault/templates/``) and the few Obsidian settings the loader
reads; folders created, deleted or moved.  Saves made by writing a temp file
and renaming it over the note (vim, Obsidian, netvault's own writer) arrive
as ``moved`` events whose destination is the note.  Everything else -- other
dot-folders, editors' swap and backup files, netvault's temp files, the
output folder -- is ignored, so that building the site never triggers the
next build.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..read.vaultfile import CONFIG_NAME

DEBOUNCE_SECONDS = 0.3
POLL_SECONDS = 1.0
TEMPLATES = ".netvault/templates"
# Obsidian settings the loader reads (daily notes, template folder, property types).
OBSIDIAN_SETTINGS = frozenset(
    f".obsidian/{name}"
    for name in (
        "daily-notes.json",
        "templates.json",
        "core-plugins-templates.json",
        "types.json",
    )
)
TEMP_SUFFIXES = (".netvault-tmp", ".swp", ".swo", ".swx", ".tmp", "~")
# Reading a file is not a change; counting these would make every build
# (which opens every note) trigger the next one.
_READ_EVENTS = frozenset({"opened", "closed_no_write"})
# inotify's limits: out of watches (ENOSPC) or of instances / open files (EMFILE).
_NO_INOTIFY = frozenset({errno.ENOSPC, errno.EMFILE, errno.ENFILE, errno.ENOSYS})

Builder = Callable[[frozenset[str]], str]


class BuildFailed(Exception):
    """A builder's way to fail with a message fit to show as it is."""


def relevant(rel: str, is_directory: bool = False, ignored: Iterable[str] = ()) -> bool:
    """Whether a change to ``rel`` (relative to the vault, ``/``-separated)
    can change the built site."""
    if not rel or rel == "." or rel.startswith("../"):
        return False
    for folder in ignored:
        if rel == folder or rel.startswith(folder + "/"):
            return False
    parts = rel.split("/")
    name = parts[-1]
    if name.endswith(TEMP_SUFFIXES) or name.startswith(".#"):
        return False
    if rel == TEMPLATES or rel.startswith(TEMPLATES + "/"):
        return not any(p.startswith(".") for p in parts[2:])
    if rel in OBSIDIAN_SETTINGS:
        return not is_directory
    if any(p.startswith(".") for p in parts):
        return False
    if is_directory:
        return True  # a folder of notes created, deleted or moved
    return rel == CONFIG_NAME or name.lower().endswith(".md")


class ChangeRecorder(FileSystemEventHandler):
    """Records the relevant paths each event touches; nothing else."""

    def __init__(self, root: Path, ignored: Iterable[str] = ()) -> None:
        self.root = os.path.realpath(root)
        self.ignored = tuple(ignored)
        self.condition = threading.Condition()
        self.changed: set[str] = set()
        self.last_event = 0.0

    def rel(self, path: str | bytes) -> str | None:
        path = os.fsdecode(path)
        if not path:
            return None
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:  # another drive (Windows)
            return None
        return rel.replace(os.sep, "/")

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READ_EVENTS:
            return
        if event.is_directory and event.event_type in ("modified", "closed", "created"):
            # A file inside changed, or a folder appeared: the files' own events
            # (watchdog sends them for a folder moved in, too) say which.
            # A folder moved or deleted may bring no event per file, so those count.
            return
        paths = [event.src_path]
        if event.event_type == "moved":
            paths.append(event.dest_path)
        found = []
        for path in paths:
            rel = self.rel(path)
            if rel is not None and relevant(rel, event.is_directory, self.ignored):
                found.append(rel)
        if found:
            with self.condition:
                self.changed.update(found)
                self.last_event = time.monotonic()
                self.condition.notify_all()

    def take(self) -> frozenset[str]:
        with self.condition:
            changed = frozenset(self.changed)
            self.changed.clear()
            return changed


def describe(changed: frozenset[str]) -> str:
    if not changed:
        return "first build"
    if len(changed) == 1:
        return f"{next(iter(changed))} changed"
    return f"{len(changed)} files changed"


def start_observer(
    root: Path,
    handler: FileSystemEventHandler,
    report: Callable[[str], None],
    observer_factory: Callable[[], object] | None = None,
    poll_seconds: float = POLL_SECONDS,
):
    """An observer watching ``root``: inotify (or the platform's own) when it
    can, else one that polls; ``report`` says which when it has to poll."""
    observer = (observer_factory or Observer)()
    try:
        observer.schedule(handler, str(root), recursive=True)
        observer.start()
        return observer
    except OSError as exc:
        if exc.errno not in _NO_INOTIFY:
            raise
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
    _discard(observer)
    report(
        f"cannot watch the vault with file events ({reason}; on Linux, raise "
        f"fs.inotify.max_user_watches); checking for changes every {poll_seconds:g} s instead"
    )
    observer = PollingObserver(timeout=poll_seconds)
    observer.schedule(handler, str(root), recursive=True)
    observer.start()
    return observer


def _discard(observer) -> None:
    try:
        observer.stop()
    except Exception:  # it never started; nothing to stop
        pass


def watch(
    root: Path | str,
    build: Builder,
    *,
    report: Callable[[str], None],
    debounce: float = DEBOUNCE_SECONDS,
    stop: threading.Event | None = None,
    ignore: Iterable[Path | str] = (),
    observer_factory: Callable[[], object] | None = None,
    poll_seconds: float = POLL_SECONDS,
) -> None:
    """Build once, then rebuild after each burst of changes until ``stop`` is
    set or Ctrl-C (KeyboardInterrupt), which ends the watch quietly.

    ``build(changed)`` gets the vault-relative paths that changed (empty for
    the first build) and returns what to report: a summary line, optionally
    followed by detail lines (problems).  ``ignore``: folders never watched,
    such as the output folder, absolute or relative to ``root``.
    """
    root = Path(root)
    stop = stop or threading.Event()
    real_root = os.path.realpath(root)
    ignored = []
    for folder in ignore:
        real = os.path.realpath(root / folder)
        rel = os.path.relpath(real, real_root).replace(os.sep, "/")
        if rel != "." and not rel.startswith("../"):
            ignored.append(rel)
    recorder = ChangeRecorder(root, ignored)
    observer = None
    try:
        # Watching starts before the first build, so an edit made during it is seen.
        observer = start_observer(
            root, recorder, report, observer_factory, poll_seconds
        )
        _run_build(build, frozenset(), report)
        while not stop.is_set():
            changed = _settled(recorder, debounce, stop)
            if changed:
                _run_build(build, changed, report)
    except KeyboardInterrupt:
        pass
    finally:
        if observer is not None:
            observer.stop()
            try:
                observer.join(timeout=2)
            except KeyboardInterrupt:
                pass


def _settled(
    recorder: ChangeRecorder, debounce: float, stop: threading.Event
) -> frozenset[str]:
    """Wait for a change, then until none has come for ``debounce`` seconds."""
    check = 0.2  # how soon a set ``stop`` is noticed
    with recorder.condition:
        while not recorder.changed:
            if stop.is_set():
                return frozenset()
            recorder.condition.wait(check)
        while not stop.is_set():
            quiet = time.monotonic() - recorder.last_event
            if quiet >= debounce:
                break
            recorder.condition.wait(min(debounce - quiet, check))
    return recorder.take()


def _run_build(
    build: Builder, changed: frozenset[str], report: Callable[[str], None]
) -> None:
    what = describe(changed)
    started = time.monotonic()
    try:
        text = build(changed)
    except BuildFailed as exc:
        report(f"{what}: build failed: {exc}")
        return
    except Exception as exc:  # a bug or a broken template must not end the watch
        report(f"{what}: build failed: {type(exc).__name__}: {exc}")
        return
    seconds = time.monotonic() - started
    summary, *details = (text or "built").split("\n")
    report(f"{what}: {summary} ({seconds:.2f} s)")
    for line in details:
        report(f"  {line}")
