"""HTTP: the threaded server, its request handler, and multipart/form parsing."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import re
import socket
import struct
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from tests.bot.fakeapi.records import (
    _ID_KEYS,
    _JSONISH,
    _STRING_KEYS,
)

if TYPE_CHECKING:
    from tests.bot.fakeapi.base import Base

# --------------------------------------------------------------------------------------------
# Request parsing helpers
# --------------------------------------------------------------------------------------------


def _coerce(key: str, value: str) -> Any:
    """Turn a form/multipart/query string value into what the bot meant (PTB JSON-encodes
    non-string values: ints, bools, nested objects)."""
    if key in _STRING_KEYS:
        return value
    if _JSONISH.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _normalize_ids(params: dict[str, Any]) -> None:
    for key in _ID_KEYS:
        value = params.get(key)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            params[key] = int(value)


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
    """Parse a multipart/form-data body -> (params, files, file names)."""
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not msg.is_multipart():
        raise ValueError("not a multipart body")
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        name = str(name)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = data
            names[name] = str(filename)
        else:
            charset = part.get_content_charset() or "utf-8"
            params[name] = _coerce(name, data.decode(charset, errors="replace"))
    return params, files, names


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, fake: Base) -> None:
        self.fake = fake
        self.conns: set[socket.socket] = set()
        self.conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # client went away, reset, timeout ... not interesting
            return
        self.fake.server_errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeTelegram/1.0"
    timeout = 120  # idle keep-alive connections; stop() shuts them down explicitly anyway
    server: _Server

    def setup(self) -> None:
        super().setup()
        # no Nagle: otherwise every response waits ~40 ms for the client's delayed ACK
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.server.conns_lock:
                self.server.conns.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.fake._in_flight():
            self.server.fake._serve(self)

    def do_POST(self) -> None:
        with self.server.fake._in_flight():
            self.server.fake._serve(self)

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            if self.server.fake._stopping:  # the last answer on this connection
                self.send_header("Connection", "close")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            # = end_headers() + write(body), but as one send
            self._headers_buffer.append(b"\r\n" + body)  # type: ignore[attr-defined]
            self.flush_headers()
        except OSError:
            self.close_connection = True

    def send_json(self, status: int, obj: dict[str, Any]) -> None:
        self.send_bytes(
            status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json"
        )

    def reset(self) -> None:
        """Drop the connection without any response (RST)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.wfile.close()
            self.connection.close()  # last reference -> the fd is closed -> RST
        except OSError:
            pass
        # BaseHTTPRequestHandler still flushes/closes these afterwards
        self.rfile = io.BytesIO()
        self.wfile = io.BytesIO()


def _sniff_mime(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return None


def _photo_sizes(data: bytes, *, min_entries: int = 1) -> list[tuple[bytes, int, int]]:
    """(bytes, width, height) for Telegram-like PhotoSizes: thumbnails (90, 320 px boxes) plus
    the original bytes as the largest size. Undecodable data -> 1x1."""
    sizes: list[tuple[bytes, int, int]] = []
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
        for box in (90, 320):
            if max(w, h) <= box:
                continue
            try:
                with Image.open(io.BytesIO(data)) as im:
                    im.draft("RGB", (box, box))
                    thumb = im.convert("RGB")
                    thumb.thumbnail((box, box))
                    buf = io.BytesIO()
                    thumb.save(buf, "JPEG", quality=80)
                    sizes.append((buf.getvalue(), thumb.width, thumb.height))
            except Exception:
                pass
    except Exception:
        w = h = 1
    sizes.append((data, w, h))
    while len(sizes) < min_entries:
        sizes.insert(0, sizes[0])
    return sizes


def parse_params(
    ctype: str, query: str, body: bytes
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
    """A request's parameters, files and file names: query string, then the body (JSON,
    form or multipart)."""
    params: dict[str, Any] = {k: _coerce(k, v) for k, v in parse_qsl(query, True)}
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    lower = ctype.lower()
    if body:
        if lower.startswith("multipart/"):
            p, files, names = parse_multipart(ctype, body)
            params.update(p)
        elif lower.startswith("application/json"):
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON body must be an object")
            params.update(data)
        else:  # application/x-www-form-urlencoded (or unspecified)
            text = body.decode("utf-8")
            params.update({k: _coerce(k, v) for k, v in parse_qsl(text, True)})
    _normalize_ids(params)
    return params, files, names
