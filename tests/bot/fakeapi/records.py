"""What the fake records and answers: calls, files, errors, updates; Telegram's limits and
its way of counting text (UTF-16 code units)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
# Text: Telegram counts in UTF-16 code units and trims texts and captions
# --------------------------------------------------------------------------------------------


def _u16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


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


def _bot_commands(text: str) -> list[dict[str, Any]]:
    ents = []
    for m in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![\w/])", text):
        ents.append(
            {"offset": _u16(text[: m.start()]), "length": _u16(m.group(0)), "type": "bot_command"}
        )
    return ents


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
