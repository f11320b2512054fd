"""A fake Telegram Bot API server for tests (real HTTP on 127.0.0.1, no internet needed).

The real python-telegram-bot ``Application``/``Bot`` talks to it over HTTP exactly as it talks
to api.telegram.org: JSON responses, url-encoded and multipart (file upload) requests, long
polling with ``getUpdates``, file downloads from ``/file/bot<token>/<file_path>``.

The server runs in a daemon thread (``http.server.ThreadingHTTPServer``); all state lives behind
one lock, so the sync test-side helpers (``send_text``, ``press_button``, ``fail`` ...) are safe to
call from async tests while the bot is running.

Example (a complete test)::

    async def test_start() -> None:
        async def hi(update, context):
            await update.message.reply_text(f"Hi {update.effective_user.first_name}")

        with FakeTelegram() as tg:
            app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
                   .base_file_url(tg.file_base_url).build())
            app.add_handler(CommandHandler("start", hi))
            async with app:  # initialize() ... shutdown()
                await app.start()
                await app.updater.start_polling(poll_interval=0, timeout=5)
                tg.user(42, first_name="Ann")
                tg.send_text(chat_id=42, user_id=42, text="/start")
                call = await tg.wait_for_call("sendMessage", lambda c: c.chat_id == 42)
                assert call.params["text"] == tg.sent_messages(42)[-1]["text"] == "Hi Ann"
                await app.updater.stop()
                await app.stop()
            assert tg.server_errors == []

A plain ``telegram.Bot(tg.token, base_url=tg.base_url, base_file_url=tg.file_base_url)`` works
the same way. A pytest fixture is simply ``with FakeTelegram() as tg: yield tg``.

Public API (all sync unless marked async; ids are ints, messages/updates are plain dicts):

* ``FakeTelegram(token="123456:TEST-TOKEN", bot_username="StyleTestBot", bot_id=123456)``;
  ``start()``/``stop()``/context manager; ``token``, ``port``, ``base_url``, ``file_base_url``,
  ``bot_user``; attributes ``strict_parse_mode`` (True), ``validate_photos`` (False).
* Users/updates (each returns an :class:`UpdateDict`): ``user(user_id, first_name="Ann",
  username=None, language_code="en")`` (returns the User dict and remembers it),
  ``send_text``, ``send_photo``, ``send_document``, ``send_sticker``, ``send_video``,
  ``send_animation``, ``send_video_note``,
  ``send_raw_message(chat_id, user_id, fields)``, ``press_button(chat_id, user_id, message_id,
  data)``, ``send_inline_query(user_id, query)``, ``post_inline_result(chat_id, user_id,
  query_id, result_id)``, ``push_update(update)``; ``update_count``, ``pending_updates``,
  ``polls_waiting``. ``send_photo``/``send_document`` take ``media_group_id`` (albums).
* Inspection: ``calls`` (list of :class:`ApiCall`), ``calls_to(method, chat_id=None)``,
  ``sent_messages(chat_id, include_deleted=False)``, ``history(chat_id)``, ``message(chat_id,
  message_id)``, ``is_deleted``, ``file(file_id)``, ``file_bytes(file_id)``, ``commands(scope,
  language_code)``, ``bot_text(kind, language_code)`` (description, short_description, name),
  ``inline_answers`` (query id -> results), ``dump_calls()``, ``server_errors``.
* Waiting (async): ``wait_for_call(method, predicate, *, timeout=10.0, since=0)``,
  ``wait_until(predicate, timeout=10.0)``, ``wait_for_message(chat_id, predicate, *, timeout)``.
* Files: ``add_file(data, *, file_path=None, declared_size=None, mime_type=None, ...)``.
* Faults: ``fail(method, *, status=500, description=..., retry_after=None, times=1,
  chat_id=None)``, ``reset_connection(method, times=1, *, chat_id=None)``, ``delay(method,
  seconds, times=1, *, chat_id=None)``, ``block_user(chat_id)``, ``unblock_user(chat_id)``,
  ``clear_faults()``; ``times=None`` means "until clear_faults()".
* ``register_method(name, func)`` adds/overrides a Bot API method: ``func(params, files)``
  returns the result or raises :class:`ApiError`.

What is emulated (besides plain request/response plumbing):

* ``getUpdates``: long polling honouring ``offset``/``timeout``/``limit``/``allowed_updates``;
  updates below ``offset`` are confirmed (dropped); a pending poll wakes as soon as an update is
  pushed; a newer poll terminates an older one with 409 (like Telegram); 409 while a webhook is set;
  ``stop()`` answers a pending poll with no updates before it closes the connections.
* Messages: per-chat message ids shared by user and bot messages, ``reply_to_message``,
  ``parse_mode`` HTML / MarkdownV2 / Markdown is parsed into ``text`` + ``entities`` with
  Telegram's error messages for malformed markup (``strict_parse_mode = False`` turns parse
  errors into "send the raw text"); length limits (4096 text / 1024 caption); inline-keyboard
  validation (``callback_data`` 1-64 bytes); "message is not modified"; "message to edit not
  found"; answering an unknown/already answered callback query -> 400.
* Files: uploaded files are stored and downloadable; ``getFile`` refuses files > 20 MB.
  Photos get PhotoSize lists (PIL thumbnails 90/320 px + the original bytes as the largest size,
  which is NOT re-compressed, so tests can compare bytes). ``validate_photos = True`` makes
  undecodable photo uploads fail with "IMAGE_PROCESS_FAILED" instead of yielding a 1x1 photo.
* Faults: ``fail`` (any status / 429 retry_after), ``block_user`` (403), ``reset_connection``
  (socket closed without a response; the method is NOT executed), ``delay`` (sleep before the
  method runs; method name ``"file"`` targets file downloads). Method ``"*"`` matches every Bot
  API method except getUpdates. Failed calls are recorded in ``calls`` too.

Every request is recorded as an :class:`ApiCall` once its response is known (so after
``await bot.send_message(...)`` returns, the call is already in ``tg.calls``); ``ApiCall.time`` is
the arrival time. Exceptions inside the fake itself become HTTP 500 and are collected in
``tg.server_errors`` (assert it is empty if you want to be sure the fake was not the problem).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import email.parser
import email.policy
import hashlib
import html
import io
import itertools
import json
import mimetypes
import re
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "ApiCall",
    "ApiError",
    "FakeTelegram",
    "FileRecord",
    "UpdateDict",
    "parse_entities",
]

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Form/multipart values of these keys are plain strings and are never JSON-decoded.
_STRING_KEYS = frozenset(
    {
        "text", "caption", "title", "description", "short_description", "name", "url", "data",
        "callback_query_id", "inline_query_id", "inline_message_id", "parse_mode", "action",
        "photo", "document", "video", "animation", "audio", "voice", "sticker", "video_note",
        "thumbnail", "file_id",
        "language_code", "emoji", "question", "explanation", "query", "secret_token",
        "ip_address", "business_connection_id", "message_effect_id", "next_offset",
        "certificate", "file_path",
    }
)  # fmt: skip
_ID_KEYS = ("chat_id", "message_id", "user_id", "from_chat_id", "reply_to_message_id")
_JSONISH = re.compile(
    r"\s*(\{.*\}|\[.*\]|-?\d+|-?\d+\.\d+(?:[eE][-+]?\d+)?|true|false|null)\s*", re.S
)
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
_MEDIA_KINDS = ("photo", "document", "video", "animation", "audio", "voice", "sticker")
_MEDIA_FOLDERS = {
    "photo": "photos", "document": "documents", "video": "videos", "animation": "animations",
    "audio": "music", "voice": "voice", "sticker": "stickers",
}  # fmt: skip
_UPDATE_PAYLOAD_KEYS = (
    "message", "edited_message", "callback_query", "channel_post", "edited_channel_post",
    "inline_query", "chosen_inline_result", "my_chat_member", "chat_member",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass
class ApiCall:
    """One request the bot made. ``response`` is the full JSON body sent back (or the error)."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    time: float
    response: dict[str, Any] | None = None
    status: int = 200
    file_names: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.response and self.response.get("ok"))

    @property
    def result(self) -> Any:
        return (self.response or {}).get("result")

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def error(self) -> str | None:
        """The error description, or None for a successful call."""
        if self.ok:
            return None
        return str((self.response or {}).get("description", "no response"))

    def summary(self) -> str:
        bits = [self.method]
        for key in ("chat_id", "message_id", "callback_query_id", "offset", "timeout"):
            if key in self.params:
                bits.append(f"{key}={self.params[key]!r}")
        for key in ("text", "caption", "data"):
            if isinstance(self.params.get(key), str):
                bits.append(f"{key}={_short(self.params[key])!r}")
        if self.files:
            bits.append("files=" + ",".join(f"{k}:{len(v)}B" for k, v in self.files.items()))
        if self.ok:
            res = self.result
            if isinstance(res, list):
                bits.append(f"-> ok [{len(res)}]")
            elif isinstance(res, dict) and "message_id" in res:
                bits.append(f"-> ok message_id={res['message_id']}")
            else:
                bits.append("-> ok")
        else:
            bits.append(f"-> {self.status} {self.error}")
        return " ".join(bits)


@dataclass(frozen=True)
class FileRecord:
    """A file known to the fake server (downloadable at ``/file/bot<token>/<file_path>``)."""

    file_id: str
    file_unique_id: str
    file_size: int
    file_path: str
    data: bytes = field(repr=False, default=b"")
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None

    def to_api(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


class ApiError(Exception):
    """Raise from a custom method (see ``FakeTelegram.register_method``) to return an error."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def to_response(self) -> dict[str, Any]:
        resp: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            resp["parameters"] = self.parameters
        return resp


class UpdateDict(dict):  # type: ignore[type-arg]
    """A plain Update dict; for convenience the fields of its payload (``message``,
    ``callback_query`` ...) can also be read directly: ``upd["message_id"]``, ``upd.get("text")``.
    """

    def _payload(self) -> dict[str, Any] | None:
        for key in _UPDATE_PAYLOAD_KEYS:
            if key in self.keys():
                value = dict.__getitem__(self, key)
                return value if isinstance(value, dict) else None
        return None

    def __missing__(self, key: str) -> Any:
        payload = self._payload()
        if payload is not None and key in payload:
            return payload[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        payload = self._payload()
        return payload is not None and key in payload


@dataclass
class _Rule:
    kind: str  # "fail" | "reset" | "delay"
    method: str
    chat_id: Any
    times: int | None
    status: int = 500
    description: str = ""
    parameters: dict[str, Any] | None = None
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Text formatting (parse_mode) - mirrors Telegram's rules and error messages closely enough
# --------------------------------------------------------------------------------------------


class _ParseError(Exception):
    pass


def _u16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _boff(src: str, i: int) -> int:
    return len(src[:i].encode("utf-8"))


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += _u16(s)

    def text(self) -> str:
        return "".join(self.parts)


def _entity(kind: str, start: int, end: int, **extra: Any) -> dict[str, Any] | None:
    if end <= start:
        return None
    ent: dict[str, Any] = {"offset": start, "length": end - start, "type": kind}
    ent.update({k: v for k, v in extra.items() if v is not None})
    return ent


_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_HTML_ATTR_SRC = r"""[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?"""
_HTML_START = re.compile(rf"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+{_HTML_ATTR_SRC})*)\s*/?>")
_HTML_ATTR = re.compile(r"([^\s=>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_HTML_CHARREF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def _parse_html(src: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "<":
            if src.startswith("</", i):
                j = src.find(">", i)
                if j < 0:
                    raise _ParseError(f"Unclosed end tag at byte offset {_boff(src, i)}")
                name = src[i + 2 : j].strip().lower()
                if not stack:
                    raise _ParseError(f"Unexpected end tag at byte offset {_boff(src, i)}")
                tag, start, attrs = stack.pop()
                if name and name != tag:
                    raise _ParseError(
                        f'Unmatched end tag at byte offset {_boff(src, i)}, expected "</{tag}>", '
                        f'found "</{name}>"'
                    )
                kind = _HTML_TAGS[tag]
                extra: dict[str, Any] = {}
                if tag == "a":
                    url = attrs.get("href", "")
                    if url.startswith("tg://user?id="):
                        kind, extra = (
                            "text_mention",
                            {"user": {"id": int(url[13:] or 0), "is_bot": False, "first_name": ""}},
                        )
                    else:
                        extra = {"url": url}
                    if not url:
                        i = j + 1
                        continue
                elif tag == "code" and stack and stack[-1][0] == "pre":
                    lang = attrs.get("class", "")
                    if lang.startswith("language-"):
                        stack[-1][2]["language"] = lang[9:]
                        i = j + 1
                        continue
                elif tag == "pre":
                    extra = {"language": attrs.get("language")}
                elif tag == "blockquote" and "expandable" in attrs:
                    kind = "expandable_blockquote"
                elif tag == "tg-emoji":
                    extra = {"custom_emoji_id": attrs.get("emoji-id")}
                ent = _entity(kind, start, out.pos, **extra)
                if ent:
                    entities.append(ent)
                i = j + 1
                continue
            m = _HTML_START.match(src, i)
            name_m = re.match(r"<([^\s>]*)", src[i:])
            raw_name = name_m.group(1) if name_m else ""
            if not m or m.group(1).lower() not in _HTML_TAGS:
                if m is None and ">" not in src[i:] and raw_name.isalpha():
                    raise _ParseError(f"Unclosed start tag at byte offset {_boff(src, i)}")
                raise _ParseError(
                    f'Unsupported start tag "{raw_name}" at byte offset {_boff(src, i)}'
                )
            tag = m.group(1).lower()
            attrs = {}
            for aname, aval in _HTML_ATTR.findall(m.group(2) or ""):
                if aval[:1] in "\"'":
                    aval = aval[1:-1]
                attrs[aname.lower()] = html.unescape(aval)
            if tag == "span" and attrs.get("class") != "tg-spoiler":
                raise _ParseError('Tag "span" must have class "tg-spoiler"')
            stack.append((tag, out.pos, attrs))
            i = m.end()
            continue
        if c == "&":
            m = _HTML_CHARREF.match(src, i)
            if m:
                out.add(html.unescape(m.group(0)))
                i = m.end()
                continue
        out.add(c)
        i += 1
    if stack:
        raise _ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.text(), entities


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "text_link": "TextUrl", "code": "Code", "pre": "Pre",
}  # fmt: skip


def _parse_markdown_v2(src: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    stack: list[tuple[str, int, int]] = []  # (kind, utf16 start, source index)
    entities: list[dict[str, Any]] = []
    i, n = 0, len(src)
    quote_start: int | None = None
    line_start = True

    def reserved(ch: str) -> _ParseError:
        return _ParseError(
            f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        )

    def toggle(kind: str, at: int) -> None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == kind:
                _, start, _ = stack.pop(k)
                ent = _entity(kind, start, out.pos)
                if ent:
                    entities.append(ent)
                return
        stack.append((kind, out.pos, at))

    def read_until(j: int, closer: str, escapable: str) -> tuple[str, int]:
        buf = []
        while j < n:
            if src[j] == "\\" and j + 1 < n and 0 < ord(src[j + 1]) <= 126:
                buf.append(src[j + 1])
                j += 2
                continue
            if src.startswith(closer, j):
                return "".join(buf), j + len(closer)
            buf.append(src[j])
            j += 1
        raise _ParseError("")

    while i < n:
        c = src[i]
        if line_start:
            line_start = False
            if c == ">":
                if quote_start is None:
                    quote_start = out.pos
                i += 1
                continue
            if quote_start is not None:
                ent = _entity("blockquote", quote_start, max(quote_start, out.pos - 1))
                if ent:
                    entities.append(ent)
                quote_start = None
        if c == "\\":
            if i + 1 < n and 0 < ord(src[i + 1]) <= 126:
                out.add(src[i + 1])
                i += 2
                continue
            raise reserved("\\")
        if c == "\n":
            out.add(c)
            line_start = True
            i += 1
            continue
        if c == "*":
            toggle("bold", i)
            i += 1
        elif c == "_":  # "__" is always greedily underline (Bot API docs)
            if src.startswith("__", i):
                toggle("underline", i)
                i += 2
            else:
                toggle("italic", i)
                i += 1
        elif c == "~":
            toggle("strikethrough", i)
            i += 1
        elif c == "|":
            if not src.startswith("||", i):
                raise reserved("|")
            toggle("spoiler", i)
            i += 2
        elif c == "`":
            start = out.pos
            if src.startswith("```", i):
                j = i + 3
                nl = src.find("\n", j)
                lang = None
                close = src.find("```", j)
                if nl >= 0 and (close < 0 or nl < close) and src[j:nl].strip():
                    lang = src[j:nl].strip()
                    j = nl + 1
                try:
                    body, i = read_until(j, "```", "`\\")
                except _ParseError:
                    raise _ParseError(
                        f"Can't find end of Pre entity at byte offset {_boff(src, i)}"
                    ) from None
                out.add(body)
                ent = _entity("pre", start, out.pos, language=lang)
            else:
                try:
                    body, i = read_until(i + 1, "`", "`\\")
                except _ParseError:
                    raise _ParseError(
                        f"Can't find end of Code entity at byte offset {_boff(src, i)}"
                    ) from None
                out.add(body)
                ent = _entity("code", start, out.pos)
            if ent:
                entities.append(ent)
        elif c == "[":
            stack.append(("text_link", out.pos, i))
            i += 1
        elif c == "]":
            if not stack or stack[-1][0] != "text_link":
                raise reserved("]")
            if not src.startswith("(", i + 1):
                raise _ParseError(f"Can't find end of a URL at byte offset {_boff(src, i + 1)}")
            try:
                url, j = read_until(i + 2, ")", ")\\")
            except _ParseError:
                raise _ParseError(
                    f"Can't find end of a URL at byte offset {_boff(src, i + 1)}"
                ) from None
            _, start, _ = stack.pop()
            if url.startswith("tg://user?id="):
                ent = _entity(
                    "text_mention",
                    start,
                    out.pos,
                    user={"id": int(url[13:] or 0), "is_bot": False, "first_name": ""},
                )
            else:
                ent = _entity("text_link", start, out.pos, url=url)
            if ent:
                entities.append(ent)
            i = j
        elif c in _MDV2_RESERVED:
            raise reserved(c)
        else:
            out.add(c)
            i += 1
    if stack:
        kind, _, at = stack[0]
        raise _ParseError(
            f"Can't find end of {_MDV2_NAMES.get(kind, kind)} entity at byte offset "
            f"{_boff(src, at)}"
        )
    if quote_start is not None:
        ent = _entity("blockquote", quote_start, out.pos)
        if ent:
            entities.append(ent)
    return out.text(), entities


_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def _parse_markdown(src: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    entities: list[dict[str, Any]] = []
    i, n = 0, len(src)

    def unclosed(at: int) -> _ParseError:
        return _ParseError(f"Can't find end of the entity starting at byte offset {_boff(src, at)}")

    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] in "_*`[":
            out.add(src[i + 1])
            i += 2
        elif c in "*_":
            j = src.find(c, i + 1)
            if j < 0:
                raise unclosed(i)
            start = out.pos
            out.add(src[i + 1 : j])
            ent = _entity("bold" if c == "*" else "italic", start, out.pos)
            if ent:
                entities.append(ent)
            i = j + 1
        elif c == "`":
            start = out.pos
            if src.startswith("```", i):
                j = src.find("```", i + 3)
                if j < 0:
                    raise unclosed(i)
                body, lang = src[i + 3 : j], None
                first, sep, rest = body.partition("\n")
                if sep and first.strip() and " " not in first.strip():
                    lang, body = first.strip(), rest
                out.add(body)
                ent = _entity("pre", start, out.pos, language=lang)
                i = j + 3
            else:
                j = src.find("`", i + 1)
                if j < 0:
                    raise unclosed(i)
                out.add(src[i + 1 : j])
                ent = _entity("code", start, out.pos)
                i = j + 1
            if ent:
                entities.append(ent)
        elif c == "[":
            m = _MD_LINK.match(src, i)
            if not m:
                raise unclosed(i)
            start = out.pos
            out.add(m.group(1))
            ent = _entity("text_link", start, out.pos, url=m.group(2))
            if ent:
                entities.append(ent)
            i = m.end()
        else:
            out.add(c)
            i += 1
    return out.text(), entities


def _strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram trims leading/trailing whitespace of texts and captions; keep entities aligned."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = _u16(text[: len(text) - len(text.lstrip())])
    end = _u16(stripped)
    result = []
    for ent in entities:
        start = max(0, ent["offset"] - shift)
        stop = min(end, ent["offset"] + ent["length"] - shift)
        if stop > start:
            result.append({**ent, "offset": start, "length": stop - start})
    return stripped, result


def parse_entities(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Render ``text`` like Telegram does for ``parse_mode`` (HTML, MarkdownV2, Markdown or None).

    Returns ``(plain_text, entities)``; raises ``ValueError`` with Telegram's description
    (without the "Bad Request: can't parse entities: " prefix) on malformed markup.
    """
    mode = (parse_mode or "").lower()
    ents: list[dict[str, Any]]
    try:
        if not mode:
            plain, ents = text, []
        elif mode == "html":
            plain, ents = _parse_html(text)
        elif mode == "markdownv2":
            plain, ents = _parse_markdown_v2(text)
        elif mode == "markdown":
            plain, ents = _parse_markdown(text)
        else:
            raise ValueError(f"unsupported parse_mode {parse_mode!r}")
    except _ParseError as exc:
        raise ValueError(str(exc)) from None
    ents.sort(key=lambda e: (e["offset"], -e["length"]))
    return _strip(plain, ents)


def _bot_commands(text: str) -> list[dict[str, Any]]:
    ents = []
    for m in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![\w/])", text):
        ents.append(
            {"offset": _u16(text[: m.start()]), "length": _u16(m.group(0)), "type": "bot_command"}
        )
    return ents


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


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

    def __init__(self, fake: FakeTelegram) -> None:
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


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------

_MethodFunc = Callable[[dict[str, Any], dict[str, bytes]], Any]


def _text_accessors(kind: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """setMyName/getMyName style method pairs."""

    def setter(self: FakeTelegram, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            self._bot_texts[(kind, str(p.get("language_code") or ""))] = str(p.get(kind) or "")
        return True

    def getter(self: FakeTelegram, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            value = self._bot_texts.get((kind, str(p.get("language_code") or "")), "")
        return {kind: value or (self.bot_first_name if kind == "name" else "")}

    return setter, getter


class FakeTelegram:
    """Fake Bot API server. See the module docstring."""

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
        self.strict_parse_mode = True
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
        self._media_group_counter = itertools.count(1)

        self._files: dict[str, FileRecord] = {}
        self._files_by_path: dict[str, FileRecord] = {}
        self._photo_sets: dict[str, list[dict[str, Any]]] = {}
        self._file_counter = itertools.count(1)
        self._cq_counter = itertools.count(1)

        self._rules: list[_Rule] = []
        self._blocked: set[int] = set()

        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._menu_buttons: dict[Any, dict[str, Any]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}

        self._tls = threading.local()  # file names of the request handled by this thread
        self._custom: dict[str, tuple[str, _MethodFunc]] = {}
        self._methods: dict[str, tuple[str, _MethodFunc]] = {}
        for name in dir(self):
            if name.startswith("_api_"):
                canonical = name[5:]
                self._methods[canonical.lower()] = (canonical, getattr(self, name))

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegram:
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

    def __enter__(self) -> FakeTelegram:
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
            call.params, call.files, call.file_names = self._parse_params(h, url.query, body)
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

    def _parse_params(
        self, h: _Handler, query: str, body: bytes
    ) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
        params: dict[str, Any] = {k: _coerce(k, v) for k, v in parse_qsl(query, True)}
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        ctype = h.headers.get("Content-Type") or ""
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

    # ---------------------------------------------------------------- fault injection

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

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``None`` = until ``clear_faults``) fail.
        With ``retry_after`` the error is Telegram's flood-control 429."""
        parameters = None
        if retry_after is not None:
            status = 429
            description = f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after}
        with self._lock:
            self._rules.append(
                _Rule(
                    "fail",
                    method,
                    chat_id,
                    times,
                    status=status,
                    description=description,
                    parameters=parameters,
                )
            )

    def reset_connection(
        self, method: str, times: int | None = 1, *, chat_id: int | None = None
    ) -> None:
        """Close the socket without answering (the method is not executed)."""
        with self._lock:
            self._rules.append(_Rule("reset", method, chat_id, times))

    def delay(
        self, method: str, seconds: float, times: int | None = 1, *, chat_id: int | None = None
    ) -> None:
        """Sleep ``seconds`` before handling ``method`` (``"file"`` = file downloads)."""
        with self._lock:
            self._rules.append(_Rule("delay", method, chat_id, times, seconds=seconds))

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """The user (or a group admin) deletes a message: editing it now fails with 400."""
        with self._lock:
            self._deleted.add((chat_id, message_id))

    def block_user(self, chat_id: int) -> None:
        """Every send/edit to ``chat_id`` fails with 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def clear_faults(self) -> None:
        with self._lock:
            self._rules.clear()
            self._blocked.clear()

    def register_method(
        self, method: str, func: Callable[[dict[str, Any], dict[str, bytes]], Any]
    ) -> None:
        """Add/override a Bot API method: ``func(params, files)`` returns the ``result`` or
        raises :class:`ApiError`. It runs in a server thread."""
        self._custom[method.lower()] = (method, func)

    # ---------------------------------------------------------------- recording / inspection

    def calls_to(self, method: str, chat_id: Any = None) -> list[ApiCall]:
        with self._lock:
            return [
                c for c in self.calls
                if c.method.lower() == method.lower()
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]  # fmt: skip

    def sent_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Bot messages in ``chat_id`` in order, current state (after edits). Deleted messages
        are left out unless ``include_deleted``."""
        with self._lock:
            return [
                copy.deepcopy(self._messages[(chat_id, mid)])
                for mid in self._bot_mids.get(chat_id, [])
                if include_deleted or (chat_id, mid) not in self._deleted
            ]

    def history(self, chat_id: int) -> list[dict[str, Any]]:
        """All (user and bot) messages of a chat that are not deleted, in order."""
        with self._lock:
            return [
                copy.deepcopy(self._messages[(chat_id, mid)])
                for mid in self._order.get(chat_id, [])
                if (chat_id, mid) not in self._deleted
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The stored message (current state; also for deleted ones). KeyError if unknown."""
        with self._lock:
            return copy.deepcopy(self._messages[(chat_id, message_id)])

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        with self._lock:
            return (chat_id, message_id) in self._deleted

    def file(self, file_id: str) -> FileRecord:
        with self._lock:
            return self._files[file_id]

    def file_bytes(self, file_id: str) -> bytes:
        return self.file(file_id).data

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._commands.get((self._scope_key(scope), language_code), []))

    def bot_text(self, kind: str, language_code: str = "") -> str:
        """What setMyDescription / setMyShortDescription / setMyName set (kind: description,
        short_description, name)."""
        with self._lock:
            return self._bot_texts.get((kind, language_code), "")

    @property
    def update_count(self) -> int:
        """Total number of updates ever pushed."""
        with self._lock:
            return self._update_count

    @property
    def polls_waiting(self) -> int:
        """getUpdates requests the server holds open, waiting for an update."""
        with self._lock:
            return self._polls_waiting

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (getUpdates with a higher offset)."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def dump_calls(self, last: int = 25) -> str:
        with self._lock:
            calls = [
                (i, c) for i, c in enumerate(self.calls)
                if not (c.method == "getUpdates" and c.ok and not c.result)
            ]  # fmt: skip
        lines = [f"  #{i} {c.summary()}" for i, c in calls[-last:]]
        return "recent calls (empty getUpdates omitted):\n" + ("\n".join(lines) or "  (none)")

    # ---------------------------------------------------------------- async waiting

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] = lambda call: True,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> ApiCall:
        """First call of ``method`` at index >= ``since`` in ``calls`` matching ``predicate``
        (a predicate raising an exception counts as no match)."""
        deadline = time.monotonic() + timeout
        idx, last_exc = since, None
        while True:
            while idx < len(self.calls):
                call = self.calls[idx]
                idx += 1
                if call.method.lower() != method.lower():
                    continue
                try:
                    if predicate(call):
                        return call
                except Exception as exc:
                    last_exc = exc
            if time.monotonic() >= deadline:
                extra = f"\n(predicate raised {last_exc!r})" if last_exc else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for a matching {method} call "
                    f"(since #{since}){extra}\n{self.dump_calls()}"
                )
            await asyncio.sleep(0.02)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        last_exc = None
        while True:
            try:
                if predicate():
                    return
            except Exception as exc:
                last_exc = exc
            if time.monotonic() >= deadline:
                extra = f"\n(predicate raised {last_exc!r})" if last_exc else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for condition{extra}\n{self.dump_calls()}"
                )
            await asyncio.sleep(0.02)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[dict[str, Any]], bool] = lambda msg: True,
        *,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """First (current state of a) bot message in ``chat_id`` matching ``predicate``."""
        found: list[dict[str, Any]] = []

        def check() -> bool:
            for msg in self.sent_messages(chat_id):
                if predicate(msg):
                    found.append(msg)
                    return True
            return False

        await self.wait_until(check, timeout=timeout)
        return found[0]

    # ---------------------------------------------------------------- test-side: users & updates

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Build (and remember, for later messages of this user) a User object."""
        u: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            u["username"] = username
        if language_code:
            u["language_code"] = language_code
        with self._lock:
            self._users[user_id] = u
        return dict(u)

    def _get_user(self, user_id: int) -> dict[str, Any]:
        with self._lock:
            if user_id not in self._users:
                self.user(user_id)
            return copy.deepcopy(self._users[user_id])

    def push_update(self, update: dict[str, Any]) -> UpdateDict:
        """Queue an arbitrary Update (``update_id`` is assigned when missing)."""
        upd = copy.deepcopy(dict(update))
        with self._lock:
            if "update_id" not in upd:
                upd["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(upd["update_id"]) + 1)
            self._updates.append(upd)
            self._update_count += 1
            self._updates_cond.notify_all()
            return UpdateDict(copy.deepcopy(upd))

    def _chat(
        self, chat_id: int, chat_type: str | None = None, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None or (chat_type and chat["type"] != chat_type):
                ctype = chat_type or (
                    "private" if chat_id > 0
                    else "supergroup" if chat_id <= -1_000_000_000_000 else "group"
                )  # fmt: skip
                chat = {"id": chat_id, "type": ctype}
                if ctype == "private":
                    src = user or self._users.get(chat_id) or {"first_name": "User"}
                    chat["first_name"] = src.get("first_name", "User")
                    for key in ("last_name", "username"):
                        if src.get(key):
                            chat[key] = src[key]
                else:
                    chat["title"] = f"Test {ctype} {chat_id}"
                self._chats[chat_id] = chat
            return copy.deepcopy(chat)

    def _next_message_id(self, chat_id: int) -> int:
        mid = self._next_mid.get(chat_id, 1)
        self._next_mid[chat_id] = mid + 1
        return mid

    def _store(self, msg: dict[str, Any], *, from_bot: bool) -> None:
        chat_id = msg["chat"]["id"]
        key = (chat_id, msg["message_id"])
        self._messages[key] = msg
        self._order.setdefault(chat_id, []).append(msg["message_id"])
        if from_bot:
            self._bot_mids.setdefault(chat_id, []).append(msg["message_id"])

    def _reply_copy(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        key = (chat_id, message_id)
        if key not in self._messages or key in self._deleted:
            return None
        reply = copy.deepcopy(self._messages[key])
        reply.pop("reply_to_message", None)
        return reply

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        content: dict[str, Any],
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        user = self._get_user(user_id)
        with self._lock:
            msg: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": self._chat(chat_id, chat_type, user),
                "date": int(time.time()),
            }
            if reply_to is not None:
                reply = self._reply_copy(chat_id, reply_to)
                if reply is None:
                    raise KeyError(f"reply_to: no message {reply_to} in chat {chat_id}")
                msg["reply_to_message"] = reply
            msg.update(content)
            self._store(msg, from_bot=False)
            return self.push_update({"message": copy.deepcopy(msg)})

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        """A user sends ``text`` (bot_command entities are added like Telegram does)."""
        content: dict[str, Any] = {"text": text}
        ents = _bot_commands(text)
        if ents:
            content["entities"] = ents
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_photo(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        media_group_id: str | None = None,
    ) -> UpdateDict:
        """A user sends a photo: ``photo`` is 2-3 PhotoSizes, the last one the original bytes.
        Photos sent with the same ``media_group_id`` form an album."""
        sizes = _photo_sizes(data, min_entries=2)
        with self._lock:
            photo = self._register_photo_set(sizes)
        content: dict[str, Any] = {"photo": photo}
        if media_group_id:
            content["media_group_id"] = media_group_id
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        file_name: str = "photo.jpg",
        mime_type: str = "image/jpeg",
        caption: str | None = None,
        reply_to: int | None = None,
        declared_size: int | None = None,
        chat_type: str | None = None,
        media_group_id: str | None = None,
    ) -> UpdateDict:
        rec = self.add_file(
            data,
            declared_size=declared_size,
            mime_type=mime_type,
            file_name=file_name,
            folder="documents",
        )
        doc = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
        }
        content: dict[str, Any] = {"document": doc}
        if media_group_id:
            content["media_group_id"] = media_group_id
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_sticker(
        self,
        chat_id: int,
        user_id: int,
        data: bytes = b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        rec = self.add_file(data, mime_type="image/webp", folder="stickers")
        sticker = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🙂",
            "set_name": "TestStickers",
            "file_size": rec.file_size,
        }
        return self._user_message(
            chat_id, user_id, {"sticker": sticker}, reply_to=reply_to, chat_type=chat_type
        )

    def send_video(
        self,
        chat_id: int,
        user_id: int,
        data: bytes = b"\x00\x00\x00\x18ftypmp42",
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 3,
        size: tuple[int, int] = (640, 360),
        declared_size: int | None = None,
    ) -> UpdateDict:
        rec = self.add_file(
            data, declared_size=declared_size, mime_type="video/mp4", folder="videos"
        )
        video = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "width": size[0],
            "height": size[1],
            "duration": duration,
            "mime_type": "video/mp4",
            "file_size": rec.file_size,
        }
        content: dict[str, Any] = {"video": video}
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_animation(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        file_name: str = "loop.gif.mp4",
        caption: str | None = None,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 1,
        size: tuple[int, int] = (96, 64),
    ) -> UpdateDict:
        """A GIF as Telegram delivers it: a silent MP4 "animation", with the same file as
        the message's document (as the Bot API does, for older clients)."""
        rec = self.add_file(data, mime_type="video/mp4", file_name=file_name, folder="animations")
        doc = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_name": file_name,
            "mime_type": "video/mp4",
            "file_size": rec.file_size,
        }
        animation = {**doc, "width": size[0], "height": size[1], "duration": duration}
        content: dict[str, Any] = {"animation": animation, "document": doc}
        self._add_caption(content, caption)
        return self._user_message(chat_id, user_id, content, reply_to=reply_to, chat_type=chat_type)

    def send_video_note(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
        duration: int = 1,
        length: int = 64,
    ) -> UpdateDict:
        """A round video message (square MP4, `length` px a side); never has a caption."""
        rec = self.add_file(data, mime_type="video/mp4", folder="video_notes")
        note = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "length": length,
            "duration": duration,
            "file_size": rec.file_size,
        }
        return self._user_message(
            chat_id, user_id, {"video_note": note}, reply_to=reply_to, chat_type=chat_type
        )

    def send_raw_message(
        self,
        chat_id: int,
        user_id: int,
        fields: dict[str, Any],
        *,
        reply_to: int | None = None,
        chat_type: str | None = None,
    ) -> UpdateDict:
        """A user message with arbitrary content fields (``{"location": {...}}``, ...)."""
        return self._user_message(
            chat_id, user_id, copy.deepcopy(fields), reply_to=reply_to, chat_type=chat_type
        )

    @staticmethod
    def _add_caption(content: dict[str, Any], caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            ents = _bot_commands(caption)
            if ents:
                content["caption_entities"] = ents

    def press_button(self, chat_id: int, user_id: int, message_id: int, data: str) -> UpdateDict:
        """A user presses an inline button with callback ``data`` under message ``message_id``
        (KeyError if that message does not exist)."""
        user = self._get_user(user_id)
        with self._lock:
            key = (chat_id, message_id)
            if key not in self._messages:
                raise KeyError(f"press_button: no message {message_id} in chat {chat_id}")
            cq_id = f"{self.bot_id % 100000}{next(self._cq_counter):012d}"
            self._callback_queries[cq_id] = False
            cq = {
                "id": cq_id,
                "from": user,
                "message": copy.deepcopy(self._messages[key]),
                "chat_instance": str(abs(hash(("chat", chat_id))) % 10**18),
                "data": data,
            }
            return self.push_update({"callback_query": cq})

    def send_inline_query(self, user_id: int, query: str, *, offset: str = "") -> UpdateDict:
        """A user types ``@bot <query>`` in some chat."""
        user = self._get_user(user_id)
        with self._lock:
            iq_id = f"{self.bot_id % 100000}{next(self._cq_counter):012d}"
            self._inline_queries[iq_id] = False
            iq = {"id": iq_id, "from": user, "query": query, "offset": offset}
            return self.push_update({"inline_query": iq})

    def post_inline_result(
        self, chat_id: int, user_id: int, query_id: str, result_id: str
    ) -> dict[str, Any]:
        """The user picks result ``result_id`` of the answer to ``query_id``: Telegram posts it
        in ``chat_id`` as the user's message "via" the bot (no update reaches the bot)."""
        with self._lock:
            results = self.inline_answers[query_id]
            result = next(r for r in results if r["id"] == result_id)
            content: dict[str, Any] = {"via_bot": self.bot_user}
            if result["type"] == "photo":
                photo = self._register_photo_set([(b"", 1, 1)])  # the URL, not fetched here
                content.update(photo=photo, caption=result.get("caption", ""))
            else:
                content["text"] = result["input_message_content"]["message_text"]
            if result.get("reply_markup"):
                content["reply_markup"] = copy.deepcopy(result["reply_markup"])
            msg: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": self._get_user(user_id),
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                **content,
            }
            self._store(msg, from_bot=False)
            return copy.deepcopy(msg)

    # ---------------------------------------------------------------- files

    def add_file(
        self,
        data: bytes,
        *,
        file_path: str | None = None,
        declared_size: int | None = None,
        mime_type: str | None = None,
        file_name: str | None = None,
        folder: str = "documents",
        width: int | None = None,
        height: int | None = None,
        file_unique_id: str | None = None,
    ) -> FileRecord:
        """Register bytes as a downloadable file. ``declared_size`` fakes ``file_size`` (e.g.
        25_000_000 to trigger "file is too big") without needing real bytes. The
        ``file_unique_id`` defaults to a hash of the content (same bytes -> same unique id)."""
        mime_type = mime_type or _sniff_mime(data)
        with self._lock:
            n = next(self._file_counter)
            if file_path is None:
                ext = ""
                if file_name and "." in file_name:
                    ext = file_name.rsplit(".", 1)[1].lower()
                elif mime_type:
                    ext = (mimetypes.guess_extension(mime_type) or ".bin").lstrip(".")
                    ext = "jpg" if ext in ("jpe", "jpeg") else ext
                file_path = f"{folder}/file_{n}.{ext or 'bin'}"
            kind = base64.urlsafe_b64encode(hashlib.sha1(file_path.encode()).digest()[:6])
            file_id = f"AgACAgIAAxkB{n:07d}{kind.decode().rstrip('=')}"
            unique = file_unique_id or "AQAD" + hashlib.sha1(data).hexdigest()[:14]
            rec = FileRecord(
                file_id=file_id,
                file_unique_id=unique,
                file_size=declared_size if declared_size is not None else len(data),
                file_path=file_path,
                data=bytes(data),
                mime_type=mime_type,
                file_name=file_name,
                width=width,
                height=height,
            )
            self._files[file_id] = rec
            self._files_by_path[file_path] = rec
            return rec

    def _register_photo_set(self, sizes: list[tuple[bytes, int, int]]) -> list[dict[str, Any]]:
        photo: list[dict[str, Any]] = []
        for i, (data, w, h) in enumerate(sizes):
            unique = "AQAD" + hashlib.sha1(data + f"{i}:{w}x{h}".encode()).hexdigest()[:14]
            rec = self.add_file(data, folder="photos", width=w, height=h, file_unique_id=unique)
            photo.append(
                {
                    "file_id": rec.file_id,
                    "file_unique_id": rec.file_unique_id,
                    "file_size": rec.file_size,
                    "width": w,
                    "height": h,
                }
            )
        for size in photo:
            self._photo_sets[size["file_id"]] = photo
        return copy.deepcopy(photo)

    # ---------------------------------------------------------------- Bot API: helpers

    def _chat_id(self, p: dict[str, Any]) -> int:
        chat_id = p.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _format(
        self, value: Any, parse_mode: Any, entities: Any, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        text = "" if value is None else str(value)
        if isinstance(entities, list):
            return _strip(text, entities)
        try:
            return parse_entities(text, parse_mode if isinstance(parse_mode, str) else None)
        except ValueError as exc:
            if str(exc).startswith("unsupported parse_mode"):
                raise ApiError(400, f"Bad Request: unsupported parse_mode: {parse_mode}") from None
            if self.strict_parse_mode:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
            return _strip(text, [])

    @staticmethod
    def _inline_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None  # reply keyboards / remove / force_reply are not part of the Message
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(
                400,
                "Bad Request: can't parse inline keyboard button: "
                "InlineKeyboardMarkup must be an Array of Arrays",
            )
        actions = (
            "url",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "callback_game",
            "pay",
            "web_app",
            "copy_text",
        )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        'Field "text" must be of type String',
                    )
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                elif not any(k in button for k in actions):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard",
                    )
        return copy.deepcopy(markup)

    def _resolve_reply(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any] | None:
        rp = p.get("reply_parameters")
        if isinstance(rp, dict) and rp.get("message_id") is not None:
            mid, allow = rp.get("message_id"), rp.get("allow_sending_without_reply")
            target = rp.get("chat_id", chat_id)
        elif p.get("reply_to_message_id"):
            mid, allow = p["reply_to_message_id"], p.get("allow_sending_without_reply")
            target = chat_id
        else:
            return None
        reply = None
        if isinstance(mid, int) and isinstance(target, int):
            reply = self._reply_copy(target, mid)
        if reply is None and not allow:
            raise ApiError(400, "Bad Request: message to be replied not found")
        return reply

    def _bot_message(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any]:
        """A new (not yet stored) bot message skeleton; call with the lock held."""
        reply = self._resolve_reply(chat_id, p)
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        if reply is not None:
            msg["reply_to_message"] = reply
        return msg

    def _finish_bot_message(
        self, msg: dict[str, Any], p: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        if markup:
            msg["reply_markup"] = markup
        if p.get("has_spoiler") is True:
            msg["has_media_spoiler"] = True
        if p.get("show_caption_above_media") is True:
            msg["show_caption_above_media"] = True
        self._store(msg, from_bot=True)
        return copy.deepcopy(msg)

    def _target(self, p: dict[str, Any], what: str = "edit") -> dict[str, Any]:
        """The stored message addressed by chat_id + message_id (lock held)."""
        chat_id = self._chat_id(p)
        mid = p.get("message_id")
        key = (chat_id, mid)
        if not isinstance(mid, int) or key not in self._messages or key in self._deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        msg = self._messages[key]
        if what == "edit" and msg.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _caption(self, p: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        caption, ents = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), "caption"
        )
        if _u16(caption) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        return caption, ents

    @staticmethod
    def _set_text(msg: dict[str, Any], key: str, text: str, ents: list[dict[str, Any]]) -> None:
        ent_key = "entities" if key == "text" else "caption_entities"
        msg.pop(ent_key, None)
        if text or key == "text":
            msg[key] = text
        else:
            msg.pop(key, None)
        if ents:
            msg[ent_key] = ents

    def _input_file(
        self, value: Any, files: dict[str, bytes], key: str, *, direct: bool = True
    ) -> tuple[bytes | None, str | None, str | None]:
        """-> (uploaded bytes, filename, existing file_id/URL) for parameter ``key``."""
        names = getattr(self._tls, "names", None) or {}
        if direct and key in files:
            return files[key], names.get(key), None
        if isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://") :]
            if name not in files:
                raise ApiError(400, f"Bad Request: file {name} not found in the request")
            return files[name], names.get(name), None
        if isinstance(value, str) and value:
            return None, None, value
        raise ApiError(400, f"Bad Request: there is no {key} in the request")

    def _media_object(
        self,
        kind: str,
        data: bytes | None,
        filename: str | None,
        ref: str | None,
        p: dict[str, Any],
    ) -> Any:
        """Build the Message field (PhotoSize list / Document / ...) for a sent file."""
        if data is None:  # an existing file_id or an HTTP URL
            assert ref is not None
            with self._lock:
                if kind == "photo" and ref in self._photo_sets:
                    return copy.deepcopy(self._photo_sets[ref])
                rec = self._files.get(ref)
            if rec is None:
                if not re.match(r"https?://", ref):
                    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
                if kind == "photo":  # no internet here: the URL "contains" a 1x1 placeholder
                    with self._lock:
                        return self._register_photo_set([(b"", 1, 1)])
                rec = self.add_file(
                    b"", folder=_MEDIA_FOLDERS[kind], file_name=ref.rsplit("/", 1)[-1] or None
                )
                return self._media_dict(kind, rec, p)
            if kind != "photo":
                return self._media_dict(kind, rec, p)
            data, filename = rec.data, rec.file_name  # e.g. a document re-sent as a photo
        if not data:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if kind == "photo":
            sizes = _photo_sizes(data)
            w, h = sizes[-1][1], sizes[-1][2]
            if (w, h) == (1, 1) and self.validate_photos:
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if w + h > 10000 or max(w, h) > 20 * min(w, h):
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
            if len(data) > 10 * 1024 * 1024:
                raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
            with self._lock:
                return self._register_photo_set(sizes)
        mime = mimetypes.guess_type(filename)[0] if filename else None
        mime = mime or _sniff_mime(data) or {
            "document": "application/octet-stream", "video": "video/mp4",
            "animation": "video/mp4", "audio": "audio/mpeg", "voice": "audio/ogg",
            "sticker": "image/webp",
        }[kind]  # fmt: skip
        rec = self.add_file(data, mime_type=mime, file_name=filename, folder=_MEDIA_FOLDERS[kind])
        return self._media_dict(kind, rec, p)

    @staticmethod
    def _media_dict(kind: str, rec: FileRecord, p: dict[str, Any]) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
        }
        if kind in ("document", "video", "animation", "audio") and rec.file_name:
            obj["file_name"] = rec.file_name
        if kind != "sticker":
            obj["mime_type"] = rec.mime_type or "application/octet-stream"
        if kind in ("video", "animation"):
            obj.update(
                width=int(p.get("width") or 640),
                height=int(p.get("height") or 360),
                duration=int(p.get("duration") or 1),
            )
        if kind in ("audio", "voice"):
            obj["duration"] = int(p.get("duration") or 1)
        if kind == "sticker":
            obj.update(
                type="regular",
                width=512,
                height=512,
                is_animated=False,
                is_video=False,
                emoji=p.get("emoji") or "🙂",
            )
        return obj

    def _send_media(self, kind: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        data, filename, ref = self._input_file(p.get(kind), files, kind)
        caption, ents = self._caption(p)
        markup = self._inline_markup(p.get("reply_markup"))
        media = self._media_object(kind, data, filename, ref, p)
        with self._lock:
            msg = self._bot_message(chat_id, p)
            msg[kind] = media
            if kind != "sticker":
                self._set_text(msg, "caption", caption, ents)
            return self._finish_bot_message(msg, p, markup)

    # ---------------------------------------------------------------- Bot API: methods

    def _api_getMe(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_logOut(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return True

    def _api_close(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return True

    def _api_getUpdates(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = min(100, max(1, int(p.get("limit") or 100)))
        timeout = max(0.0, float(p.get("timeout") or 0))
        allowed = p.get("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._updates_cond:
            if isinstance(allowed, list):
                self._allowed_updates = set(allowed) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._updates_cond.notify_all()  # terminates an older pending poll (409)
            if offset < 0:
                self._updates = self._updates[offset:]
            elif offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                if self._stopping:
                    return []
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make "
                        "sure that only one bot instance is running",
                    )
                ready = [
                    u for u in self._updates
                    if u["update_id"] >= offset
                    and (self._allowed_updates is None
                         or any(k in self._allowed_updates for k in u if k != "update_id"))
                ][:limit]  # fmt: skip
                if ready:
                    return copy.deepcopy(ready)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._polls_waiting += 1
                try:
                    self._updates_cond.wait(remaining)
                finally:
                    self._polls_waiting -= 1

    def _api_deleteWebhook(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            self._webhook_url = ""
            if p.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _api_setWebhook(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        url = str(p.get("url") or "")
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        with self._lock:
            self._webhook_url = url
            if p.get("drop_pending_updates") is True:
                self._updates.clear()
            self._updates_cond.notify_all()
        return True

    def _api_getWebhookInfo(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope or scope == {"type": "default"}:
            return "default"
        return json.dumps(scope, sort_keys=True) if isinstance(scope, dict) else str(scope)

    def _api_setMyCommands(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for cmd in commands:
            if not isinstance(cmd, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
            self._commands[key] = copy.deepcopy(commands)
        return True

    def _api_getMyCommands(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self.commands(p.get("scope"), str(p.get("language_code") or ""))

    def _api_deleteMyCommands(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
            self._commands.pop(key, None)
        return True

    def _api_setChatMenuButton(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            self._menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
        return True

    def _api_getChatMenuButton(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            button = self._menu_buttons.get(p.get("chat_id")) or self._menu_buttons.get(None)
            return copy.deepcopy(button or {"type": "commands"})

    _api_setMyDescription, _api_getMyDescription = _text_accessors("description")
    _api_setMyShortDescription, _api_getMyShortDescription = _text_accessors("short_description")
    _api_setMyName, _api_getMyName = _text_accessors("name")

    def _api_getChat(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        chat = self._chat(self._chat_id(p))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    def _api_getChatMember(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        user_id = p.get("user_id")
        if user_id == self.bot_id:
            return {"status": "member", "user": self.bot_user}
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        return {"status": "member", "user": self._get_user(user_id)}

    def _api_sendChatAction(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        self._chat_id(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _api_sendMessage(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        text, ents = self._format(p.get("text"), p.get("parse_mode"), p.get("entities"), "text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if _u16(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._bot_message(chat_id, p)
            self._set_text(msg, "text", text, ents)
            if isinstance(p.get("link_preview_options"), dict):
                msg["link_preview_options"] = p["link_preview_options"]
            return self._finish_bot_message(msg, p, markup)

    def _api_sendPhoto(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("photo", p, f)

    def _api_sendDocument(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("document", p, f)

    def _api_sendVideo(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("video", p, f)

    def _api_sendAnimation(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("animation", p, f)

    def _api_sendAudio(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("audio", p, f)

    def _api_sendVoice(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("voice", p, f)

    def _api_sendSticker(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        return self._send_media("sticker", p, f)

    def _api_sendMediaGroup(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media: must include 2-10 items")
        built = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "document",
                "video",
                "audio",
            ):
                raise ApiError(400, "Bad Request: can't parse InputMedia JSON object")
            kind = item["type"]
            data, filename, ref = self._input_file(item.get("media"), f, "media", direct=False)
            caption, ents = self._caption(item)
            built.append((kind, self._media_object(kind, data, filename, ref, item), caption, ents))
        group_id = str(10**17 + next(self._media_group_counter))
        result = []
        with self._lock:
            for i, (kind, obj, caption, ents) in enumerate(built):
                msg = self._bot_message(chat_id, p if i == 0 else {})
                msg["media_group_id"] = group_id
                msg[kind] = obj
                self._set_text(msg, "caption", caption, ents)
                result.append(self._finish_bot_message(msg, {}, None))
        return result

    def _api_getFile(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        file_id = p.get("file_id")
        with self._lock:
            rec = self._files.get(str(file_id)) if file_id else None
        if rec is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if rec.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        return rec.to_api()

    def _api_editMessageText(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        text, ents = self._format(p.get("text"), p.get("parse_mode"), p.get("entities"), "text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if _u16(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._target(p)
            if "text" not in msg:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            if (msg["text"], msg.get("entities", []), msg.get("reply_markup")) == (
                text,
                ents,
                markup,
            ):
                raise ApiError(400, NOT_MODIFIED)
            self._set_text(msg, "text", text, ents)
            return self._apply_markup_and_date(msg, markup)

    def _api_editMessageCaption(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        caption, ents = self._caption(p)
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._target(p)
            if not any(k in msg for k in _MEDIA_KINDS):
                raise ApiError(400, "Bad Request: there is no caption in the message to edit")
            if (
                msg.get("caption", ""),
                msg.get("caption_entities", []),
                msg.get("reply_markup"),
            ) == (caption, ents, markup):
                raise ApiError(400, NOT_MODIFIED)
            self._set_text(msg, "caption", caption, ents)
            return self._apply_markup_and_date(msg, markup)

    def _api_editMessageMedia(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        item = p.get("media")
        if not isinstance(item, dict) or item.get("type") not in _MEDIA_KINDS:
            raise ApiError(400, "Bad Request: can't parse InputMedia JSON object")
        kind = item["type"]
        data, filename, ref = self._input_file(item.get("media"), f, "media", direct=False)
        caption, ents = self._caption(item)
        markup = self._inline_markup(p.get("reply_markup"))
        obj = self._media_object(kind, data, filename, ref, item)
        with self._lock:
            msg = self._target(p)
            if not any(k in msg for k in _MEDIA_KINDS):
                raise ApiError(400, "Bad Request: there is no media in the message to edit")
            for old in _MEDIA_KINDS:
                msg.pop(old, None)
            msg[kind] = obj
            self._set_text(msg, "caption", caption, ents)
            return self._apply_markup_and_date(msg, markup)

    def _api_answerInlineQuery(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        iq_id = str(p.get("inline_query_id") or "")
        results = p.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results if isinstance(r, dict)]
        if len(ids) != len(results) or len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            self._inline_markup(result.get("reply_markup"))
            if not 1 <= len(str(result["id"]).encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        with self._lock:
            if self._inline_queries.get(iq_id, True):
                raise ApiError(400, QUERY_INVALID)
            self._inline_queries[iq_id] = True
            self.inline_answers[iq_id] = copy.deepcopy(results)
        return True

    def _api_editMessageReplyMarkup(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        if p.get("inline_message_id"):
            return True
        markup = self._inline_markup(p.get("reply_markup"))
        with self._lock:
            msg = self._target(p)
            if msg.get("reply_markup") == markup:
                raise ApiError(400, NOT_MODIFIED)
            return self._apply_markup_and_date(msg, markup)

    @staticmethod
    def _apply_markup_and_date(msg: dict[str, Any], markup: dict[str, Any] | None) -> Any:
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    def _api_deleteMessage(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        with self._lock:
            msg = self._target(p, "delete")
            self._deleted.add((msg["chat"]["id"], msg["message_id"]))
        return True

    def _api_deleteMessages(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        chat_id = self._chat_id(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        with self._lock:
            for mid in ids:
                if (chat_id, mid) in self._messages:
                    self._deleted.add((chat_id, mid))
        return True

    def _api_answerCallbackQuery(self, p: dict[str, Any], f: dict[str, bytes]) -> Any:
        cq_id = str(p.get("callback_query_id") or "")
        with self._lock:
            if self._callback_queries.get(cq_id, True):
                raise ApiError(400, QUERY_INVALID)
            self._callback_queries[cq_id] = True
        if len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True


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
