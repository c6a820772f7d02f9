"""Serve the built site on this machine only, with live reload.

Only the output folder is served: requests naming ``..``, hidden files (the
build's manifest, temp files) or a symlink leading out of the folder are
refused.  HTML responses get a small script that polls
``/__netvault/version`` and reloads the page when the counter changes; the
script is added to what is sent, never to the files on disk, so the built
site stays exactly what ``netvault build`` writes.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import posixpath
import re
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

VERSION_PATH = "/__netvault/version"
LOOPBACK = "127.0.0.1"
POLL_MILLISECONDS = 1000

_RELOAD_SCRIPT = """<script>/* netvault live reload (added by netvault watch --serve) */
(function () {
  var seen = "%(version)s";
  function poll() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v.trim() !== seen) { location.reload(); } else { setTimeout(poll, %(ms)d); } })
      .catch(function () { setTimeout(poll, %(ms)d * 3); });
  }
  setTimeout(poll, %(ms)d);
})();
</script>
"""
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
# What the site holds, whatever the machine's mime.types says (a fresh
# system may not know .ics, and calendars want text/calendar).
_TYPES = {".ics": "text/calendar", ".md": "text/markdown"}


class RemoteRefused(ValueError):
    """A host other than this machine was asked for without saying so explicitly."""


class LiveReload:
    """The counter pages poll: bumped after each rebuild that changed the site."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = 0

    @property
    def version(self) -> int:
        with self._lock:
            return self._version

    def bump(self) -> int:
        with self._lock:
            self._version += 1
            return self._version


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, out: Path, live: LiveReload) -> None:
        self.out = Path(out)
        self.live = live
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # the server is IPv4 unless told
        super().__init__(address, SiteHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def make_server(
    out: Path | str,
    *,
    host: str = LOOPBACK,
    port: int = 8000,
    live: LiveReload | None = None,
    allow_remote: bool = False,
) -> SiteServer:
    """A server for ``out`` bound to ``host:port`` (port 0: any free port).

    Any address but this machine's own is refused unless ``allow_remote``:
    the pages hold the user's contacts and notes.
    """
    if not is_loopback(host) and not allow_remote:
        raise RemoteRefused(
            f"{host} would let other machines read your contacts; netvault serves on "
            f"{LOOPBACK} unless an address is given explicitly"
        )
    return SiteServer((host, port), Path(out), live or LiveReload())


def serve_in_background(
    server: SiteServer, poll_seconds: float = 0.1
) -> threading.Thread:
    """Serve on a daemon thread; ``server.shutdown()`` returns within ``poll_seconds``."""
    thread = threading.Thread(
        target=server.serve_forever,
        args=(poll_seconds,),
        name="netvault-serve",
        daemon=True,
    )
    thread.start()
    return thread


class SiteHandler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "netvault"
    sys_version = ""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format, *args) -> None:
        """Quiet: pages poll every second, and the library never prints."""

    def _respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == VERSION_PATH:
            self._send(
                HTTPStatus.OK,
                str(self.server.live.version).encode(),
                "text/plain; charset=utf-8",
                send_body,
            )
            return
        file, status = self._locate(path)
        if file is None:
            self._send(
                status,
                f"{status.value} {status.phrase}\n".encode(),
                "text/plain; charset=utf-8",
                send_body,
            )
            return
        try:
            with open(file, "rb") as handle:
                body = handle.read()
        except OSError:
            self._send(
                HTTPStatus.NOT_FOUND,
                b"404 Not Found\n",
                "text/plain; charset=utf-8",
                send_body,
            )
            return
        ctype = _TYPES.get(Path(file).suffix.lower()) or mimetypes.guess_type(file)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = inject_reload(body, self.server.live.version)
        if ctype.startswith("text/") or ctype in (
            "application/javascript",
            "application/json",
        ):
            ctype += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, ctype, send_body)

    def _locate(self, url_path: str) -> tuple[str | None, HTTPStatus]:
        """The file a URL path names inside the output folder, or why not."""
        try:
            rel = unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            return None, HTTPStatus.NOT_FOUND
        if "\x00" in rel or "\\" in rel:
            return None, HTTPStatus.BAD_REQUEST
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            return None, HTTPStatus.FORBIDDEN
        if any(p.startswith(".") for p in parts):
            return None, HTTPStatus.NOT_FOUND  # the manifest, temp files
        real_out = os.path.realpath(self.server.out)
        candidate = os.path.join(real_out, *parts) if parts else real_out
        real = os.path.realpath(candidate)
        if os.path.commonpath([real, real_out]) != real_out:
            return None, HTTPStatus.FORBIDDEN  # a symlink out of the site
        if os.path.isdir(real):
            if not url_path.endswith("/"):
                return None, HTTPStatus.NOT_FOUND
            real = os.path.realpath(posixpath.join(real, "index.html"))
            if os.path.commonpath([real, real_out]) != real_out:
                return None, HTTPStatus.FORBIDDEN
        if not os.path.isfile(real):
            return None, HTTPStatus.NOT_FOUND
        return real, HTTPStatus.OK

    def _send(
        self, status: HTTPStatus, body: bytes, ctype: str, send_body: bool
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def reload_script(version: int) -> str:
    return _RELOAD_SCRIPT % {
        "version": version,
        "path": VERSION_PATH,
        "ms": POLL_MILLISECONDS,
    }


def inject_reload(html: bytes, version: int) -> bytes:
    """``html`` with the reload script before its last ``</body>`` (or at the end)."""
    script = reload_script(version).encode("utf-8")
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + script
    at = ends[-1].start()
    return html[:at] + script + html[at:]
