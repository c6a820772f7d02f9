"""``watch --serve`` answers only this machine, under its own names, and
holds up against clients that misbehave: a real server on 127.0.0.1, and
the real ``netvault watch --serve`` in a subprocess."""

from __future__ import annotations

import http.client
import resource
import socket
import struct
import time
from pathlib import Path

import pytest

from netvault.site.serve import (
    VERSION_PATH,
    allowed_hosts,
    make_server,
    page_policy,
    serve_in_background,
)

from .test_site_watch import JANE, TIMEOUT, WatchCommand, vault  # noqa: F401 (a fixture)

NETWORK_SCRIPT = b"/* filter */ (function () { return 1; })();"
SECURITY_HEADERS = ("X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy")


@pytest.fixture
def served(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_bytes(b"<html><body><h1>People</h1><script>" + NETWORK_SCRIPT + b"</script></body></html>")
    (out / "netvault.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    server = make_server(out, port=0)
    serve_in_background(server)
    yield server
    server.shutdown()
    server.server_close()


def raw(server, request: bytes) -> bytes:
    """Send ``request`` as it is; everything the server answers."""
    with socket.create_connection(server.server_address[:2], timeout=TIMEOUT) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(server, path: str, host: str | None) -> tuple[int, dict, bytes]:
    port = server.server_address[1]
    lines = [f"GET {path} HTTP/1.1"] + ([f"Host: {host}"] if host is not None else []) + ["Connection: close"]
    answer = raw(server, ("\r\n".join(lines) + "\r\n\r\n").encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert port
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}", "localhost.evil.example:{port}",
     "127.0.0.1:1", "localhost", "", None],
)
def test_a_request_for_any_other_host_is_refused_with_no_body(served, host):
    port = served.server_address[1]
    for path in ("/netvault.ics", "/", VERSION_PATH, "/missing.html"):
        status, headers, body = get(served, path, None if host is None else host.format(port=port))
        assert (status, body) == (403, b""), (host, path)
        assert all(name in headers for name in SECURITY_HEADERS)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_the_loopback_names_are_answered(served, host):
    status, _, body = get(served, "/netvault.ics", host.format(port=served.server_address[1]))
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")


def test_an_explicit_address_is_answered_under_that_address_too():
    hosts = allowed_hosts("192.0.2.7", 8000)
    assert "192.0.2.7:8000" in hosts and "localhost:8000" in hosts
    assert "evil.example:8000" not in hosts and "192.0.2.7" not in hosts
    assert "localhost" in allowed_hosts("127.0.0.1", 80)  # port 80 goes unsaid


def test_every_response_carries_the_security_headers(served):
    port = served.server_address[1]
    host = f"127.0.0.1:{port}"
    for path in ("/", "/netvault.ics", VERSION_PATH, "/missing.html", "/../x"):
        status, headers, _ = get(served, path, host)
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert "default-src 'none'" in headers["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    # the parser's own error answers too
    answer = raw(served, b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 70000 + b"\r\n\r\n").decode("latin-1")
    assert answer.startswith("HTTP/1.0 431") and "X-Content-Type-Options: nosniff" in answer
    assert "Content-Security-Policy: default-src 'none'" in answer


def test_a_page_allows_its_own_scripts_and_the_reload_script_only(served):
    status, headers, body = get(served, "/", f"127.0.0.1:{served.server_address[1]}")
    policy = headers["Content-Security-Policy"]
    assert status == 200
    assert page_policy(b"<script>" + NETWORK_SCRIPT + b"</script>", "n").split("'nonce-n' ")[1] in policy
    nonce = body.split(b'<script nonce="')[1].split(b'"')[0].decode()
    assert f"'nonce-{nonce}'" in policy and len(nonce) >= 16
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "connect-src 'self'" in policy
    # a new nonce for every response
    again = get(served, "/", f"127.0.0.1:{served.server_address[1]}")[2]
    assert again.split(b'<script nonce="')[1].split(b'"')[0].decode() != nonce


def test_an_unparsable_url_is_a_400(served):
    answer = raw(served, f"GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:{served.server_address[1]}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 400")


def test_an_idle_client_is_dropped(served, monkeypatch):
    from netvault.site import serve

    monkeypatch.setattr(serve.SiteHandler, "timeout", 0.3)
    with socket.create_connection(served.server_address[:2], timeout=TIMEOUT) as conn:
        started = time.monotonic()
        assert conn.recv(100) == b""  # the server closed it
        assert time.monotonic() - started < 3


def test_connections_beyond_the_cap_are_closed_and_the_rest_still_served(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "a.txt").write_bytes(b"a")
    server = make_server(out, port=0, max_connections=3)
    serve_in_background(server)
    idle = [socket.create_connection(server.server_address[:2], timeout=TIMEOUT) for _ in range(3)]
    try:
        # the three hold every slot until they speak or time out
        extra = socket.create_connection(server.server_address[:2], timeout=TIMEOUT)
        assert extra.recv(100) == b""  # closed at once, not queued forever
        extra.close()
    finally:
        for conn in idle:
            conn.close()
    deadline = time.monotonic() + TIMEOUT
    while True:  # the slots come back as the idle clients go
        try:
            conn = http.client.HTTPConnection(*server.server_address[:2], timeout=TIMEOUT)
            conn.request("GET", "/a.txt")
            assert conn.getresponse().read() == b"a"
            break
        except (ConnectionError, http.client.RemoteDisconnected):
            assert time.monotonic() < deadline
        finally:
            conn.close()
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the real command


def _serve(vault: Path, tmp_path: Path, nofile: int | None = None) -> tuple[WatchCommand, int]:
    cmd = WatchCommand(
        ["--vault", vault, "--out", tmp_path / "out", "--today", "2026-11-22", "--serve", "--port", "0"],
        tmp_path,
        nofile=nofile,
    )
    url = cmd.line_with("Serving http://127.0.0.1:").split()[1]
    cmd.line_with("first build: ")
    return cmd, int(url.rsplit(":", 1)[1].strip("/"))


def _reset(port: int, request: bytes) -> None:
    conn = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    if request:
        conn.sendall(request)
    conn.close()  # with linger 0: a reset, not a goodbye


def test_clients_that_reset_or_send_garbage_print_nothing(vault, tmp_path):
    cmd, port = _serve(vault, tmp_path)
    try:
        for number in range(20):
            _reset(port, b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port if number % 2 else b"")
        answer = b""
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn:
            conn.sendall(f"GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            while chunk := conn.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.0 400")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        code, err = cmd.interrupt()
    assert (code, err) == (0, "")


def test_an_idle_connection_flood_neither_starves_the_server_for_good_nor_stops_rebuilds(vault, tmp_path):
    nofile = 128  # the subprocess's open-file limit: a flood of 300 would exhaust it
    cmd, port = _serve(vault, tmp_path, nofile=nofile)
    flood = []
    try:
        for _ in range(300):
            try:
                flood.append(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT))
            except OSError:
                break
        (vault / "people" / "Bob Roe.md").write_text(JANE.replace("Jane Doe", "Bob Roe"), encoding="utf-8")
        assert "people/Bob Roe.md changed: no problems, " in cmd.line_with("Bob Roe")
        for conn in flood:
            conn.close()
        flood.clear()
        deadline = time.monotonic() + 3 * TIMEOUT
        while True:  # served again once the idle clients are gone
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            try:
                conn.request("GET", "/people.html")
                if conn.getresponse().status == 200:
                    break
            except (ConnectionError, http.client.RemoteDisconnected, TimeoutError):
                pass
            finally:
                conn.close()
            assert time.monotonic() < deadline, "the server never answered again"
            time.sleep(0.2)
    finally:
        for conn in flood:
            conn.close()
        code, err = cmd.interrupt()
    assert code == 0 and "Traceback" not in err, err
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] > nofile  # only the child was limited
