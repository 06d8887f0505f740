"""Request bodies over the limit are refused before the server reads them (real uvicorn, loopback).

Each test sends the headers of a huge body and only a little of it, then waits for the answer:
a 413 arriving while almost all of the body is still unsent shows the server did not read it.
"""

from __future__ import annotations

import select
import socket
import time
from urllib.parse import urlsplit

import httpx

MB = 1024 * 1024
CHUNK = b"x" * 65536


def _connect(base: str) -> socket.socket:
    """A TCP connection to the live server."""
    url = urlsplit(base)
    return socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10)


def _answer(sock: socket.socket, wait: float) -> bytes:
    """Whatever the server has answered within `wait` seconds (empty if nothing)."""
    data = b""
    while select.select([sock], [], [], wait if not data else 0.5)[0]:
        try:
            part = sock.recv(65536)
        except ConnectionResetError:
            break
        if not part:
            break
        data += part
    return data


def _declared(base: str, path: str, content_type: str, size: int) -> tuple[bytes, int]:
    """Declare `size` bytes, send 64 KiB, and return the answer and the bytes sent."""
    with _connect(base) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {size}\r\n\r\n"
        )
        sock.sendall(head.encode() + CHUNK)
        return _answer(sock, 10), len(CHUNK)


def _chunked(
    base: str, path: str, content_type: str, total: int, first: bytes = b""
) -> tuple[bytes, int]:
    """Stream up to `total` bytes chunked, stopping when the server answers."""
    sent = 0
    with _connect(base) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode() + (b"%x\r\n%s\r\n" % (len(first), first) if first else b""))
        deadline = time.monotonic() + 60
        while sent < total and time.monotonic() < deadline:
            answer = _answer(sock, 0)
            if answer:
                return answer, sent
            try:
                sock.sendall(b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(CHUNK)
        return _answer(sock, 10), sent


def test_500_mb_multipart_to_login_is_refused_unread(live_server: str) -> None:
    answer, sent = _declared(live_server, "/login", "multipart/form-data; boundary=b", 500 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert "quá lớn".encode() in answer and sent < MB


def test_300_mb_json_to_token_is_refused_unread(live_server: str) -> None:
    answer, sent = _declared(live_server, "/api/v1/auth/token", "application/json", 300 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < MB


def test_chunked_json_is_cut_off_near_the_limit(live_server: str) -> None:
    answer, sent = _chunked(live_server, "/api/v1/auth/token", "application/json", 300 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # 1 MB limit; what the kernel buffers on loopback adds a few MB at most, never 300.
    assert sent < 16 * MB, sent


def test_chunked_upload_is_cut_off_past_the_upload_limit(live_server: str) -> None:
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="cv.txt"\r\n\r\n'
    kind = "multipart/form-data; boundary=b"
    answer, sent = _chunked(live_server, "/api/v1/directives", kind, 200 * MB, part)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert 50 * MB < sent < 70 * MB, sent  # 50 MB uploads + 1 MB overhead are allowed


def test_bodies_within_the_limit_still_work(live_server: str) -> None:
    response = httpx.post(
        f"{live_server}/api/v1/auth/token", json={"username": "dieuphoi", "password": "x" * 100}
    )
    assert response.status_code == 401
