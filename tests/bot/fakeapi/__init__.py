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
  ``bot_user``; attribute ``validate_photos`` (False).
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
  ``entities``/``caption_entities`` kept (aligned when Telegram trims the text); a
  ``parse_mode`` is refused, as the bot never sends one; length limits (4096 text / 1024
  caption); inline-keyboard validation (``callback_data`` 1-64 bytes); "message is not
  modified"; "message to edit not found"; answering an unknown/already answered callback
  query -> 400.
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

from tests.bot.fakeapi.records import (
    BLOCKED,
    NOT_MODIFIED,
    ApiCall,
    ApiError,
    FileRecord,
    UpdateDict,
)
from tests.bot.fakeapi.server import FakeTelegram
from tests.bot.fakeapi.wire import parse_multipart

__all__ = [
    "BLOCKED",
    "NOT_MODIFIED",
    "ApiCall",
    "ApiError",
    "FakeTelegram",
    "FileRecord",
    "UpdateDict",
    "parse_multipart",
]
