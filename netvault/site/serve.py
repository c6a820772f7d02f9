"""Serve the built site on this machine only, with live reload.

Only the output folder is served: requests naming ``..``, hidden files (the
build's manifest, temp files) or a symlink leading out of the folder are
refused.  HTML responses get a small script that polls
``/__netvault/version`` and reloads the page when the counter changes; the
script is added to what is sent, never to the files on disk, so the built
site stays exactly what ``netvault build`` writes.

Only requests addressed to this machine by name are answered: a ``Host``
other than ``127.0.0.1``, ``localhost`` or ``[::1]`` (with the server's
port), or the address the user asked to serve on, gets 403.  A web page the
user visits cannot point a name of its own at 127.0.0.1 and read the
contacts from its own origin (DNS rebinding).  Every response carries
``nosniff``, a Content-Security-Policy that allows nothing from elsewhere,
and ``Referrer-Policy: no-referrer``.

A client that sends nothing is dropped after :data:`IDLE_SECONDS`, and at
most :data:`MAX_CONNECTIONS` are served at once (the rest are closed at
once), so a flood of idle connections cannot use up the process's open
files and stall the rebuilds.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import mimetypes
import os
import posixpath
import re
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

VERSION_PATH = "/__netvault/version"
LOOPBACK = "127.0.0.1"
POLL_MILLISECONDS = 1000
IDLE_SECONDS = 5.0  # a connection that sends nothing for this long is closed
MAX_CONNECTIONS = 64  # served at once; well below the usual limit of 1,024 open files
LISTEN_BACKLOG = 128
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

_RELOAD_SCRIPT = """<script nonce="%(nonce)s">/* netvault live reload (added by netvault watch --serve) */
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
# The page's own inline scripts (the templates'; notes never carry one: the
# sanitiser removes them) are allowed by their hash, the reload script by a
# nonce drawn for each response.
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_PAGE_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src {scripts}; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_OTHER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
# The client went away or stopped talking: nothing to report.
_QUIET_ERRORS = (ConnectionError, TimeoutError, socket.timeout)


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
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address,
        out: Path,
        live: LiveReload,
        report: Callable[[str], None] | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.out = Path(out)
        self.live = live
        self.report = report  # one line per unexpected failure; None: silent
        self._slots = threading.BoundedSemaphore(max_connections)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # the server is IPv4 unless told
        super().__init__(address, SiteHandler)
        self.hosts = allowed_hosts(address[0], self.server_address[1])

    def process_request(self, request, client_address) -> None:
        """Serve on a thread while there is a free slot; else close at once."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        """One line at most, never a traceback; a client that reset the
        connection or went quiet is no error at all."""
        error = sys.exc_info()[1]
        if isinstance(error, _QUIET_ERRORS) or self.report is None:
            return
        self.report(f"serving a request failed: {type(error).__name__}: {error}")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def allowed_hosts(bound: str, port: int) -> frozenset[str]:
    """The ``Host`` values a request may carry: this machine's loopback names
    and the address the server was bound to, each with the server's port
    (and without it, when the port is HTTP's own)."""
    names = set(LOOPBACK_NAMES)
    if bound not in ("0.0.0.0", "::", ""):
        names.add(f"[{bound}]" if ":" in bound else bound)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(h.casefold() for h in hosts)


def host_allowed(server: SiteServer, host: str | None) -> bool:
    """Whether a request's ``Host`` names this server.  A server bound to
    every address also answers a literal IP address with its port: a name
    could be pointed here by someone else's DNS, an address cannot."""
    if not host:
        return False
    host = host.strip().casefold()
    if host in server.hosts:
        return True
    if server.server_address[0] in ("0.0.0.0", "::"):
        literal, _, port = host.rpartition(":")
        try:
            ipaddress.ip_address(literal.strip("[]"))
        except ValueError:
            return False
        return port == str(server.server_address[1])
    return False


def connection_cap() -> int:
    """How many connections to serve at once: :data:`MAX_CONNECTIONS`, or an
    eighth of the process's open-file limit when that is lower, so the
    watcher and the builds always have files to open."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # pragma: no cover - no such limit here
        return MAX_CONNECTIONS
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(4, min(MAX_CONNECTIONS, soft // 8))


def make_server(
    out: Path | str,
    *,
    host: str = LOOPBACK,
    port: int = 8000,
    live: LiveReload | None = None,
    allow_remote: bool = False,
    report: Callable[[str], None] | None = None,
    max_connections: int | None = None,
) -> SiteServer:
    """A server for ``out`` bound to ``host:port`` (port 0: any free port).

    Any address but this machine's own is refused unless ``allow_remote``:
    the pages hold the user's contacts and notes.  ``report`` receives one
    line for each request that failed unexpectedly.
    """
    if not is_loopback(host) and not allow_remote:
        raise RemoteRefused(
            f"{host} would let other machines read your contacts; netvault serves on "
            f"{LOOPBACK} unless an address is given explicitly"
        )
    cap = max_connections if max_connections is not None else connection_cap()
    return SiteServer((host, port), Path(out), live or LiveReload(), report, cap)


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
    timeout = IDLE_SECONDS  # on the socket: an idle client is dropped
    policy = _OTHER_POLICY  # the Content-Security-Policy of the response being sent

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format, *args) -> None:
        """Quiet: pages poll every second, and the library never prints."""

    def end_headers(self) -> None:
        """Every response, errors of the parser included, carries these."""
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        super().end_headers()

    def _respond(self, send_body: bool) -> None:
        self.policy = _OTHER_POLICY
        if not host_allowed(self.server, self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"", "text/plain; charset=utf-8", send_body)
            return
        try:
            path = urlsplit(self.path).path
        except ValueError:  # "http://[::1" and the like
            self._send(HTTPStatus.BAD_REQUEST, b"400 Bad Request\n", "text/plain; charset=utf-8", send_body)
            return
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
            nonce = secrets.token_urlsafe(16)
            self.policy = page_policy(body, nonce)
            body = inject_reload(body, self.server.live.version, nonce)
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
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def page_policy(html: bytes, nonce: str) -> str:
    """The Content-Security-Policy of a page: its own inline scripts by hash,
    the reload script by ``nonce``, nothing from anywhere else."""
    sources = [f"'nonce-{nonce}'"]
    for match in _INLINE_SCRIPT.finditer(html):
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode("ascii")
        sources.append(f"'sha256-{digest}'")
    return _PAGE_POLICY.format(scripts=" ".join(dict.fromkeys(sources)))


def reload_script(version: int, nonce: str = "") -> str:
    return _RELOAD_SCRIPT % {
        "version": version,
        "path": VERSION_PATH,
        "ms": POLL_MILLISECONDS,
        "nonce": nonce,
    }


def inject_reload(html: bytes, version: int, nonce: str = "") -> bytes:
    """``html`` with the reload script before its last ``</body>`` (or at the end)."""
    script = reload_script(version, nonce).encode("utf-8")
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + script
    at = ends[-1].start()
    return html[:at] + script + html[at:]
