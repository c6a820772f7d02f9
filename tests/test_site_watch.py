"""netvault watch: real file events in a temporary vault, the live-reload
server, and the command stopping on Ctrl-C."""

from __future__ import annotations

import errno
import http.client
import os
import queue
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from watchdog.observers.polling import PollingObserver

from netvault.site.serve import (
    VERSION_PATH,
    LiveReload,
    RemoteRefused,
    make_server,
    serve_in_background,
)
from netvault.site.watch import BuildFailed, relevant, watch

from .conftest import FIXTURES, REPO

DEBOUNCE = 0.05
TIMEOUT = 5.0

JANE = "---\nname: Jane Doe\ncircle: buddy\ncadence: 30d\n---\n"


class Watching:
    """``watch()`` on a thread, with every build's changed set and every
    reported line in queues the test waits on."""

    def __init__(self, root: Path, fail_when=None, **options) -> None:
        self.root = root
        self.builds: queue.Queue[frozenset[str]] = queue.Queue()
        self.lines: queue.Queue[str] = queue.Queue()
        self.stop = threading.Event()
        self.fail_when = fail_when

        def build(changed: frozenset[str]) -> str:
            failing = self.fail_when is not None and self.fail_when(root)
            self.builds.put(changed)  # the test goes on from here
            if failing:
                raise BuildFailed("people/Broken.md:2: error: not YAML")
            return "no problems, 1 page written"

        self.thread = threading.Thread(
            target=watch,
            args=(root, build),
            kwargs={
                "report": self.lines.put,
                "debounce": DEBOUNCE,
                "stop": self.stop,
                **options,
            },
            daemon=True,
        )

    def __enter__(self) -> Watching:
        self.thread.start()
        assert self.next_build() == frozenset()  # the first build
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive()

    def next_build(self) -> frozenset[str]:
        return self.builds.get(timeout=TIMEOUT)

    def build_with(self, path: str) -> frozenset[str]:
        """The changed set of the next build whose set holds ``path`` (an
        editor's save may take two bursts)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            changed = self.builds.get(timeout=max(0.01, deadline - time.monotonic()))
            if path in changed:
                return changed

    def line_with(self, text: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if text in line:
                return line

    def quiet(self, seconds: float = 0.3) -> bool:
        """No build in ``seconds`` (only used to prove a non-event)."""
        try:
            self.builds.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def vault(tmp_path) -> Path:
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "netvault.toml").write_text("", encoding="utf-8")
    (root / "people" / "Jane Doe.md").write_text(JANE, encoding="utf-8")
    return root


def test_a_new_note_is_built_once_its_writes_settle(vault):
    with Watching(vault) as w:
        note = vault / "people" / "Ada Lovelace.md"
        with open(note, "w", encoding="utf-8") as handle:
            for line in ("---\n", "name: Ada Lovelace\n", "circle: inner\n", "---\n"):
                handle.write(line)
                handle.flush()
        assert w.build_with("people/Ada Lovelace.md") == {"people/Ada Lovelace.md"}
        line = w.line_with("changed")
        assert line.startswith(
            "people/Ada Lovelace.md changed: no problems, 1 page written ("
        )
        assert line.endswith(" s)")


def test_a_save_by_rename_over_the_note_is_a_change(vault):
    # vim (backupcopy=no), Obsidian and netvault's writer: write a temp file, rename it over.
    with Watching(vault) as w:
        tmp = vault / "people" / ".Jane Doe.md.swp"
        tmp.write_text(JANE + "\nMet at PyCon.\n", encoding="utf-8")
        other = vault / "people" / ".Jane Doe.md.0123abcd.netvault-tmp"
        other.write_text("x", encoding="utf-8")
        other.unlink()
        os.replace(tmp, vault / "people" / "Jane Doe.md")
        assert w.build_with("people/Jane Doe.md") == {"people/Jane Doe.md"}


def test_deleted_moved_and_settings_changes(vault):
    with Watching(vault) as w:
        os.rename(vault / "people" / "Jane Doe.md", vault / "people" / "Jane Smith.md")
        assert w.build_with("people/Jane Smith.md") == {
            "people/Jane Doe.md",
            "people/Jane Smith.md",
        }
        assert w.line_with("changed").startswith("2 files changed: ")

        (vault / "people" / "Jane Smith.md").unlink()
        assert w.build_with("people/Jane Smith.md") == {"people/Jane Smith.md"}

        (vault / "netvault.toml").write_text(
            '[vault]\nlog_heading = "Log"\n', encoding="utf-8"
        )
        assert w.build_with("netvault.toml") == {"netvault.toml"}

        template = vault / ".netvault" / "templates" / "site" / "person.html.j2"
        template.parent.mkdir(parents=True)
        template.write_text("{{ contact.name }}", encoding="utf-8")
        assert ".netvault/templates/site/person.html.j2" in w.build_with(
            ".netvault/templates/site/person.html.j2"
        )


def test_folders_moved_in_and_out(vault, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "Ada.md").write_text(JANE, encoding="utf-8")
    with Watching(vault) as w:
        os.rename(team, vault / "team")
        assert w.build_with("team/Ada.md") == {"team/Ada.md"}
        os.rename(vault / "people", tmp_path / "people-gone")
        assert "people" in w.build_with("people")


def test_other_dot_folders_temp_files_and_the_output_are_ignored(vault):
    out = vault / "_site"
    out.mkdir()
    with Watching(vault, ignore=[out]) as w:
        (vault / ".obsidian").mkdir()
        (vault / ".obsidian" / "workspace.json").write_text("{}", encoding="utf-8")
        (vault / ".git").mkdir()
        (vault / ".git" / "index").write_text("x", encoding="utf-8")
        (vault / "people" / "Jane Doe.md~").write_text("x", encoding="utf-8")
        (vault / "people" / ".Jane Doe.md.swp").write_text("x", encoding="utf-8")
        (vault / "people" / "photo.png").write_bytes(b"\x89PNG")
        (out / "index.html").write_text("<p>built</p>", encoding="utf-8")
        (out / "people").mkdir()
        (out / "people" / "Jane Doe.md").write_text("x", encoding="utf-8")
        # Reading notes (as every build does) is not a change either.
        (vault / "people" / "Jane Doe.md").read_text(encoding="utf-8")
        assert w.quiet()
        (vault / "people" / "Bob.md").write_text(JANE, encoding="utf-8")
        assert w.next_build() == {"people/Bob.md"}


def test_a_burst_of_changes_is_one_build(vault):
    with Watching(vault) as w:
        for n in range(5):
            (vault / "people" / f"P{n}.md").write_text(JANE, encoding="utf-8")
        changed = w.next_build()
        while len(changed) < 5:  # a slow machine may split the burst; never lose a file
            changed |= w.next_build()
        assert changed == {f"people/P{n}.md" for n in range(5)}


def test_a_failing_build_is_reported_and_the_watch_goes_on(vault):
    broken = vault / "people" / "Broken.md"
    with Watching(
        vault, fail_when=lambda root: (root / "people" / "Broken.md").exists()
    ) as w:
        broken.write_text("---\nname: [oops\n---\n", encoding="utf-8")
        w.build_with("people/Broken.md")
        assert w.line_with("build failed") == (
            "people/Broken.md changed: build failed: people/Broken.md:2: error: not YAML"
        )
        broken.unlink()  # fixed
        w.build_with("people/Broken.md")
        assert w.line_with("changed: no problems").startswith(
            "people/Broken.md changed: "
        )


def test_an_unexpected_exception_names_its_type_and_the_watch_goes_on(vault):
    calls = []
    lines: queue.Queue[str] = queue.Queue()
    stop = threading.Event()

    def build(changed):
        calls.append(changed)
        if len(calls) == 1:
            raise RuntimeError("template site/person.html.j2: unexpected '}'")
        return "no problems, 2 pages written\npeople/Jane Doe.md:3: error: bad date"

    thread = threading.Thread(
        target=watch,
        args=(vault, build),
        kwargs={"report": lines.put, "debounce": DEBOUNCE, "stop": stop},
    )
    thread.start()
    try:
        assert lines.get(timeout=TIMEOUT) == (
            "first build: build failed: RuntimeError: template site/person.html.j2: unexpected '}'"
        )
        (vault / "people" / "Jane Doe.md").write_text(JANE + "\n", encoding="utf-8")
        assert lines.get(timeout=TIMEOUT).startswith(
            "people/Jane Doe.md changed: no problems, 2 pages"
        )
        assert lines.get(timeout=TIMEOUT) == "  people/Jane Doe.md:3: error: bad date"
    finally:
        stop.set()
        thread.join(TIMEOUT)
    assert not thread.is_alive()


def test_falls_back_to_polling_when_inotify_is_out_of_watches(vault):
    class OutOfWatches(PollingObserver):
        def start(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with Watching(vault, observer_factory=OutOfWatches, poll_seconds=0.05) as w:
        assert "checking for changes every 0.05 s instead" in w.line_with(
            "cannot watch"
        )
        (vault / "people" / "Bob.md").write_text(JANE, encoding="utf-8")
        assert w.build_with("people/Bob.md") == {"people/Bob.md"}


@pytest.mark.parametrize(
    "rel, is_dir, expected",
    [
        ("people/Jane.md", False, True),
        ("Jane.MD", False, True),
        ("netvault.toml", False, True),
        ("people/sub", True, True),
        (".netvault/templates/site/base.html.j2", False, True),
        (".obsidian/daily-notes.json", False, True),
        (".obsidian/workspace.json", False, False),
        (".netvault/write.lock", False, False),
        (".git/HEAD", False, False),
        ("people/.hidden.md", False, False),
        ("people/Jane.md~", False, False),
        ("people/.Jane.md.swp", False, False),
        ("people/.Jane.md.0123abcd.netvault-tmp", False, False),
        ("people/4913", False, False),
        ("_site/index.html", False, False),
        ("_site", True, False),
        ("notes.txt", False, False),
    ],
)
def test_relevant(rel, is_dir, expected):
    assert relevant(rel, is_dir, ignored=["_site"]) is expected


# ---------------------------------------------------------------- the server


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "_site"
    (out / "people").mkdir(parents=True)
    (out / "index.html").write_text(
        "<html><body><h1>People</h1></body></html>", encoding="utf-8"
    )
    (out / "people" / "Jane Doe.html").write_text("<p>Jane</p>", encoding="utf-8")
    (out / "agenda.md").write_text("# Agenda\n", encoding="utf-8")
    (out / ".netvault-site.json").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.md").write_text("private", encoding="utf-8")
    live = LiveReload()
    server = make_server(out, port=0, live=live)
    serve_in_background(server)
    yield out, server, live
    server.shutdown()
    server.server_close()


def get(server, path: str) -> tuple[int, dict, bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_binds_this_machine_only(site, tmp_path):
    _, server, _ = site
    assert server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.server_address[1]}/"
    with pytest.raises(
        RemoteRefused, match="0.0.0.0 would let other machines read your contacts"
    ):
        make_server(tmp_path, host="0.0.0.0", port=0)


def test_serves_files_and_injects_the_reload_script_only_into_html(site):
    out, server, _ = site
    status, headers, body = get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith(b"<html><body><h1>People</h1><script nonce=")
    assert body.endswith(b"</script>\n</body></html>")
    assert VERSION_PATH.encode() in body
    assert int(headers["Content-Length"]) == len(body)
    assert (
        b"<script>" not in (out / "index.html").read_bytes()
    )  # nothing written to disk

    status, _, body = get(server, "/people/Jane%20Doe.html")
    assert status == 200 and body.startswith(
        b"<p>Jane</p><script nonce="
    )  # no </body>: appended

    status, headers, body = get(server, "/agenda.md")
    assert status == 200 and body == b"# Agenda\n"
    assert not headers["Content-Type"].startswith("text/html")

    assert get(server, "/missing.html")[0] == 404
    assert get(server, "/.netvault-site.json")[0] == 404
    assert get(server, "/people")[0] == 404  # no listing


def test_serves_the_calendar_as_a_calendar(site):
    out, server, _ = site
    (out / "netvault.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    status, headers, body = get(server, "/netvault.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"  # no reload script


def test_version_counter_bumps(site):
    _, server, live = site
    status, headers, body = get(server, VERSION_PATH)
    assert (status, body) == (200, b"0")
    assert headers["Cache-Control"] == "no-store"
    live.bump()
    assert get(server, VERSION_PATH)[2] == b"1"
    assert b'var seen = "1"' in get(server, "/")[2]


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.md",
        "/people/../../secret.md",
        "/%2e%2e/secret.md",
        "/..%2fsecret.md",
    ],
)
def test_refuses_paths_out_of_the_folder(site, path):
    _, server, _ = site
    status, _, body = get(server, path)
    assert status in (403, 404) and b"private" not in body


def test_refuses_symlinks_out_of_the_folder(site, tmp_path):
    out, server, _ = site
    os.symlink(tmp_path / "secret.md", out / "leak.html")
    os.symlink(tmp_path, out / "up")
    os.symlink(out / "people" / "Jane Doe.html", out / "jane.html")  # inside: fine
    assert get(server, "/leak.html")[0] == 403
    assert get(server, "/up/secret.md")[0] == 403
    assert get(server, "/jane.html")[0] == 200


# ---------------------------------------------------------------- the command


class WatchCommand:
    """``netvault watch`` in a real subprocess, its stdout read line by line."""

    def __init__(self, args: list, cwd: Path, nofile: int | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
        env.update(PYTHONPATH=str(REPO), NO_COLOR="1")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netvault.cli",
                "watch",
                "--debounce",
                "0.05",
                *map(str, args),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
            preexec_fn=lambda: _limit_memory(nofile),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [self.lines.put(x) for x in self.proc.stdout], daemon=True
        ).start()

    def line_with(self, text: str) -> str:
        deadline = time.monotonic() + 15
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if text in line:
                return line

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C; the exit code and stderr."""
        try:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode, self.proc.stderr.read()


def _limit_memory(nofile: int | None = None):  # a regression must fail the test, not swap the machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    if nofile is not None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))


def test_watch_command_serves_rebuilds_and_stops_cleanly_on_ctrl_c(vault, tmp_path):
    out = tmp_path / "site-out"
    cmd = WatchCommand(
        [
            "--vault",
            vault,
            "--out",
            out,
            "--today",
            "2026-11-22",
            "--serve",
            "--port",
            "0",
        ],
        tmp_path,
    )
    try:
        url = cmd.line_with("Serving http://127.0.0.1:").split()[1]
        assert "pages written" in cmd.line_with("first build: no problems, ")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/")
        response = conn.getresponse()
        assert response.status == 200 and VERSION_PATH.encode() in response.read()
        conn.close()
        (vault / "people" / "Bob Roe.md").write_text(
            JANE.replace("Jane Doe", "Bob Roe"), encoding="utf-8"
        )
        assert "people/Bob Roe.md changed: no problems, " in cmd.line_with("Bob Roe")
    finally:
        code, err = cmd.interrupt()
    assert (code, err) == (0, "")
    assert not (vault / "_site").exists()  # --out was used


def test_watch_command_on_a_billion_laughs_vault(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(FIXTURES / "hostile", root)
    cmd = WatchCommand(["--vault", root, "--today", "2026-11-22"], tmp_path)
    try:
        first = cmd.line_with("first build: ")
        assert first.startswith("first build: 1 error, ")
        assert (
            "people/Billion Laughs.md:7: error: frontmatter expands YAML aliases"
            in cmd.line_with("Billion Laughs")
        )
    finally:
        code, err = cmd.interrupt()
    assert code == 0 and "Traceback" not in err
