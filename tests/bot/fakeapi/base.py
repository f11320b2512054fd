"""The fake's state, its life cycle (start, stop) and its HTTP entry point."""

from __future__ import annotations

import contextlib
import itertools
import re
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from tests.bot.fakeapi.records import (
    BLOCKED,
    ApiCall,
    ApiError,
    FileRecord,
    _Rule,
)
from tests.bot.fakeapi.wire import (
    _Handler,
    _Server,
    parse_params,
)

_MethodFunc = Callable[[dict[str, Any], dict[str, bytes]], Any]


class Base:
    """The state behind one lock, the server thread, and the dispatch of each request."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "StyleTestBot",
        bot_id: int = 123456,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.bot_first_name = "Style Test Bot"
        #: parse errors in parse_mode texts -> 400 (True) or fall back to the raw text (False)
        #: undecodable photo uploads -> 400 IMAGE_PROCESS_FAILED (True) or a 1x1 photo (False)
        self.validate_photos = False

        self.calls: list[ApiCall] = []
        self.server_errors: list[str] = []

        self._lock = threading.RLock()
        self._updates_cond = threading.Condition(self._lock)
        self._stop_event = threading.Event()
        self._stopping = False
        self._requests = 0  # being handled: read, not yet answered
        self._answered = threading.Condition(self._lock)
        self._polls_waiting = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._update_count = 0
        self._poll_generation = 0
        self._allowed_updates: set[str] | None = None
        self._webhook_url = ""

        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._order: dict[int, list[int]] = {}
        self._bot_mids: dict[int, list[int]] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._next_mid: dict[int, int] = {}
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._inline_queries: dict[str, bool] = {}  # id -> answered
        #: answerInlineQuery results, by inline query id
        self.inline_answers: dict[str, list[dict[str, Any]]] = {}

        self._files: dict[str, FileRecord] = {}
        self._files_by_path: dict[str, FileRecord] = {}
        self._photo_sets: dict[str, list[dict[str, Any]]] = {}
        self._file_counter = itertools.count(1)
        self._cq_counter = itertools.count(1)

        self._rules: list[_Rule] = []
        self._blocked: set[int] = set()

        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}

        self._tls = threading.local()  # file names of the request handled by this thread
        self._custom: dict[str, tuple[str, _MethodFunc]] = {}
        self._methods: dict[str, tuple[str, _MethodFunc]] = {}
        for name in dir(self):
            if name.startswith("_api_"):
                canonical = name[5:]
                self._methods[canonical.lower()] = (canonical, getattr(self, name))

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("FakeTelegram already started")
        self._stopping = False
        self._stop_event.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeTelegram",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._lock:
            self._stopping = True
            self._updates_cond.notify_all()
        self._stop_event.set()
        server.shutdown()
        # A pending long poll has been told to return; closing its connection before its
        # answer is written would leave the client with a broken response. So wait for every
        # request being handled to be answered; what is left is idle keep-alive connections.
        with self._lock:
            self._answered.wait_for(lambda: self._requests == 0, timeout=5)
        with server.conns_lock:
            conns = list(server.conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    @contextlib.contextmanager
    def _in_flight(self) -> Iterator[None]:
        """Count a request from its arrival until its answer is sent (see stop())."""
        with self._lock:
            self._requests += 1
        try:
            yield
        finally:
            with self._lock:
                self._requests -= 1
                self._answered.notify_all()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ---------------------------------------------------------------- HTTP entry point

    def _serve(self, h: _Handler) -> None:
        arrived = time.monotonic()
        url = urlsplit(h.path)
        path = unquote(url.path)
        try:
            body = h.read_body()
        except (OSError, ValueError):
            h.close_connection = True
            return
        if path.startswith("/file/bot"):
            token, _, file_path = path[len("/file/bot") :].partition("/")
            self._serve_file(h, token, file_path, arrived)
            return
        if not path.startswith("/bot"):
            h.send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, _, method = path[len("/bot") :].partition("/")
        entry = self._custom.get(method.lower()) or self._methods.get(method.lower())
        name, func = entry if entry else (method, None)
        call = ApiCall(method=name, params={}, files={}, time=arrived)

        if token != self.token:
            self._finish(h, call, ApiError(401, "Unauthorized"))
            return
        try:
            ctype = h.headers.get("Content-Type") or ""
            call.params, call.files, call.file_names = parse_params(ctype, url.query, body)
        except Exception as exc:  # malformed request
            self._finish(h, call, ApiError(400, f"Bad Request: can't parse request: {exc}"))
            return

        chat_id = call.params.get("chat_id")
        rule = self._take_rule("delay", name, chat_id)
        if rule is not None:
            self._stop_event.wait(rule.seconds)
        if self._take_rule("reset", name, chat_id) is not None:
            call.status = 0
            call.response = {
                "ok": False,
                "error_code": 0,
                "description": "connection reset by FakeTelegram (injected)",
            }
            self._record(call)
            h.reset()
            return
        rule = self._take_rule("fail", name, chat_id)
        if rule is not None:
            self._finish(h, call, ApiError(rule.status, rule.description, rule.parameters))
            return
        if chat_id in self._blocked and re.match(r"(send|edit|copy|forward|pin)", name):
            self._finish(h, call, ApiError(403, BLOCKED))
            return
        if func is None:
            self._finish(h, call, ApiError(404, "Not Found: method not found"))
            return
        self._tls.names = call.file_names
        try:
            result: Any = func(call.params, call.files)
        except ApiError as exc:
            result = exc
        except Exception:
            tb = traceback.format_exc()
            self.server_errors.append(tb)
            result = ApiError(
                500, "Internal Server Error: FakeTelegram crashed: " + tb.strip().splitlines()[-1]
            )
        self._finish(h, call, result)

    def _finish(self, h: _Handler, call: ApiCall, result: Any) -> None:
        if isinstance(result, ApiError):
            call.status = result.status
            call.response = result.to_response()
        else:
            call.status = 200
            call.response = {"ok": True, "result": result}
        self._record(call)
        h.send_json(call.status, call.response)

    def _record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)

    def _serve_file(self, h: _Handler, token: str, file_path: str, arrived: float) -> None:
        call = ApiCall(method="file", params={"file_path": file_path}, files={}, time=arrived)
        if token != self.token:
            self._finish(h, call, ApiError(401, "Unauthorized"))
            return
        rule = self._take_rule("delay", "file", None)
        if rule is not None:
            self._stop_event.wait(rule.seconds)
        if self._take_rule("reset", "file", None) is not None:
            call.status = 0
            call.response = {
                "ok": False,
                "error_code": 0,
                "description": "connection reset by FakeTelegram (injected)",
            }
            self._record(call)
            h.reset()
            return
        rule = self._take_rule("fail", "file", None)
        if rule is not None:
            self._finish(h, call, ApiError(rule.status, rule.description, rule.parameters))
            return
        with self._lock:
            rec = self._files_by_path.get(file_path)
        if rec is None:
            self._finish(h, call, ApiError(404, "Not Found"))
            return
        call.status = 200
        call.response = {"ok": True, "result": {"file_path": file_path, "size": len(rec.data)}}
        self._record(call)
        h.send_bytes(200, rec.data, rec.mime_type or "application/octet-stream")

    def _take_rule(self, kind: str, method: str, chat_id: Any) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.kind != kind:
                    continue
                if rule.method == "*":
                    if method in ("getUpdates", "file"):
                        continue
                elif rule.method.lower() != method.lower():
                    continue
                if rule.chat_id is not None and rule.chat_id != chat_id:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                return rule
        return None
