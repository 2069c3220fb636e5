"""Slow and incomplete requests against a real server, over raw sockets.

A body shorter than its Content-Length held the connection open for minutes,
and a client that went away mid-body logged "unhandled error" with a
traceback. Here the body timeout is 1 s, so the tests stay fast.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.test_server import Server

TIMEOUT = 1.0
ROUTES = [
    ("POST", "/api/v1/assess"),
    ("POST", "/api/v1/session"),
    ("PUT", "/api/v1/patients/1/intake"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    where = tmp_path_factory.mktemp("timeouts")
    s = Server(f"sqlite:///{where / 'r.db'}", where)
    s.env["RUGHERNIA_BODY_TIMEOUT_SECONDS"] = str(TIMEOUT)
    s.start()
    yield s
    s.kill()


def _head(method: str, path: str, length: int) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and how long that took."""
    start, data = time.monotonic(), b""
    sock.settimeout(limit)
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {limit} s: {data[:200]!r}")
    return data, time.monotonic() - start


def _one_answer(sock: socket.socket) -> tuple[bytes, bytes]:
    """One answer's head and body, read by its Content-Length (the connection stays open)."""
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_short_body_is_answered_408_and_closed_within_the_timeout(
    server: Server, method: str, path: str
) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head(method, path, 100) + b'{"onset":')
        data, took = _until_closed(sock, TIMEOUT + 4)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), head
    assert b"content-type: application/problem+json" in head.lower()
    assert json.loads(body)["type"].endswith("/request-timeout")
    assert TIMEOUT * 0.9 <= took < TIMEOUT + 2


def test_an_unfinished_chunked_body_is_answered_408(server: Server) -> None:
    head = b"POST /api/v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head + b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n')
        data, took = _until_closed(sock, TIMEOUT + 4)
    assert data.startswith(b"HTTP/1.1 408 ")
    assert took < TIMEOUT + 2


def test_a_trickled_body_times_out_as_a_whole(server: Server) -> None:
    # One byte now and then, each well within the timeout: the whole body is late all the same.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head("POST", "/api/v1/assess", 100))
        start = time.monotonic()
        try:
            while not select.select([sock], [], [], TIMEOUT / 4)[0]:  # until the server answers
                assert time.monotonic() - start < TIMEOUT + 2, "no answer while trickling"
                sock.sendall(b" ")
            data: bytes | None = _until_closed(sock, 4)[0]
        except (ConnectionResetError, BrokenPipeError):
            # A byte sent just after the server answered and closed makes it reset the
            # connection, which may discard the answer before we read it: closed in time.
            data = None
    assert data is None or data.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - start < TIMEOUT + 2


def test_a_route_without_a_body_answers_and_closes(server: Server) -> None:
    # The rest of the declared body may never come: the connection must not wait for it.
    # A route without a body refuses one unread (web/limits.py), and closes.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
        data, took = _until_closed(sock, TIMEOUT + 4)
    assert data.startswith(b"HTTP/1.1 413 ")
    assert took < TIMEOUT + 2


def test_a_body_in_parts_within_the_timeout_is_read(server: Server) -> None:
    body = b'{"username": "nobody", "password": "wrong-password"}'
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head("POST", "/api/v1/session", len(body)) + body[:10])
        time.sleep(TIMEOUT / 3)
        sock.sendall(body[10:])
        head, _body = _one_answer(sock)
    assert head.startswith(b"HTTP/1.1 401 "), head


def test_a_client_that_goes_away_mid_body_is_no_error_in_the_log(tmp_path: Path) -> None:
    s = Server(f"sqlite:///{tmp_path / 'r.db'}", tmp_path)
    s.env["RUGHERNIA_BODY_TIMEOUT_SECONDS"] = "30"  # the client leaves long before
    s.start()
    try:
        for method, path in ROUTES:
            with socket.create_connection(("127.0.0.1", s.port)) as sock:
                sock.sendall(_head(method, path, 1000) + b'{"onset": "2026-')
                time.sleep(0.3)  # the app is waiting for the rest
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", s.port)) as sock:
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert _until_closed(sock, 10)[0].startswith(b"HTTP/1.1 200 ")
    finally:
        s.kill()
    assert s.proc is not None
    assert s.proc.stderr is not None
    log = s.proc.stderr.read().decode()
    assert "unhandled error" not in log, log
    assert "Traceback" not in log, log


def test_whole_bodies_keep_the_connection_alive(server: Server) -> None:
    body = b'{"username": "nobody", "password": "wrong-password"}'
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        for _ in range(2):
            sock.sendall(_head("POST", "/api/v1/session", len(body)) + body)
            head, _body = _one_answer(sock)
            assert head.startswith(b"HTTP/1.1 401 "), head
            assert b"connection: close" not in head.lower()
