"""Tests of the fake Bot API server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputMediaPhoto,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

from tests.bot.fakeapi import FakeTelegram, parse_multipart

# No test here bounds how long something takes. A long poll or a delay that must be cut
# short gets HANG seconds, which no test waits for; GUARD only keeps a broken fake from
# hanging the suite.
HANG = 600
GUARD = 60.0


async def _shut_down(app: Any) -> None:
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


def _image_bytes(width: int, height: int, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server
    assert server.server_errors == []


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.file_base_url) as b:
        yield b


async def test_get_me(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == tg.bot_id
    assert me.username == "StyleTestBot"
    assert me.is_bot
    assert tg.calls_to("getMe")[0].ok


async def test_send_and_edit_message(tg: FakeTelegram, bot: Bot) -> None:
    tg.user(42, first_name="Ann", username="ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="style:7")]])
    msg = await bot.send_message(42, "Working… 🎨", reply_markup=keyboard)
    assert msg.chat.type == "private" and msg.chat.first_name == "Ann"
    assert msg.from_user is not None and msg.from_user.id == tg.bot_id
    assert msg.reply_markup == keyboard
    call = tg.calls_to("sendMessage", chat_id=42)[-1]
    assert call.params["reply_markup"] == keyboard.to_dict()  # JSON field decoded
    assert call.params["text"] == "Working… 🎨"

    second = await bot.send_message(42, "second")
    assert second.message_id == msg.message_id + 1

    edited = await bot.edit_message_text("Done", chat_id=42, message_id=msg.message_id)
    assert isinstance(edited, type(msg)) and edited.text == "Done"
    assert edited.reply_markup is None  # no markup passed -> keyboard removed, like Telegram
    assert [m["text"] for m in tg.sent_messages(42)] == ["Done", "second"]

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Done", chat_id=42, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)

    assert await bot.delete_message(42, second.message_id)
    assert [m["message_id"] for m in tg.sent_messages(42)] == [msg.message_id]
    assert tg.calls_to("editMessageText")[-1].status == 400


async def test_entities_and_validation(tg: FakeTelegram, bot: Bot) -> None:
    # The bot sends entities (a caption's link), never markup: those are kept, aligned with
    # the text Telegram trims; a parse_mode is refused, so a new use of one shows up here.
    link = MessageEntity("text_link", 2, 5, url="https://t.me/StyleTestBot?start=artist_x")
    msg = await bot.send_message(7, "  Monet — Water Lilies ", entities=[link])
    assert msg.text == "Monet — Water Lilies"
    assert [(e.type, e.offset, e.length, e.url) for e in msg.entities] == [
        ("text_link", 0, 5, link.url)
    ]
    with pytest.raises(BadRequest, match=r"(?i)does not parse HTML"):
        await bot.send_message(7, "<b>Done</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(7, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(7, "   ")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(7, "k", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(7, "r", reply_to_message_id=12345)


async def test_user_photo_can_be_downloaded(tg: FakeTelegram, bot: Bot) -> None:
    data = _image_bytes(800, 600)
    upd = tg.send_photo(5, 5, data, caption="/style@StyleTestBot 3")
    photo = upd["message"]["photo"]
    assert 2 <= len(photo) <= 3
    assert (photo[-1]["width"], photo[-1]["height"]) == (800, 600)
    assert photo[0]["width"] < photo[-1]["width"]
    assert upd["caption_entities"] == [{"offset": 0, "length": 19, "type": "bot_command"}]

    update = Update.de_json(dict(upd), bot)
    assert update.message is not None and update.message.photo[-1].file_size == len(data)
    tg_file = await bot.get_file(photo[-1]["file_id"])
    assert tg_file.file_size == len(data)
    assert bytes(await tg_file.download_as_bytearray()) == data
    small = await (await bot.get_file(photo[0]["file_id"])).download_as_bytearray()
    assert Image.open(io.BytesIO(small)).size == (photo[0]["width"], photo[0]["height"])
    assert tg.calls_to("file")[-1].ok


async def test_send_photo_upload(tg: FakeTelegram, bot: Bot) -> None:
    tg.send_text(9, 9, "hello")
    data = _image_bytes(640, 480, "PNG")
    msg = await bot.send_photo(9, photo=data, caption="Your picture", reply_to_message_id=1)
    assert msg.reply_to_message is not None and msg.reply_to_message.text == "hello"
    assert msg.caption == "Your picture"
    assert (msg.photo[-1].width, msg.photo[-1].height) == (640, 480)
    call = tg.calls_to("sendPhoto", chat_id=9)[-1]
    assert call.files["photo"] == data
    assert Image.open(io.BytesIO(call.files["photo"])).size == (640, 480)
    assert tg.file_bytes(msg.photo[-1].file_id) == data
    downloaded = await (await bot.get_file(msg.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == data

    # re-sending by file_id reuses the stored photo; a bad file_id is refused
    again = await bot.send_photo(9, photo=msg.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == msg.photo[-1].file_unique_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(9, photo="nonsense")

    doc = await bot.send_document(9, document=b"%PDF-1.4 fake", filename="out.pdf")
    assert doc.document is not None and doc.document.file_name == "out.pdf"
    assert doc.document.mime_type == "application/pdf"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB-internal
async def test_retry_after_and_server_errors(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail("sendMessage", retry_after=1)
    with pytest.raises(RetryAfter, match=r"(?i)retry in 1"):
        await bot.send_message(1, "hi")
    assert tg.calls_to("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    await bot.send_message(1, "hi")  # one-shot rule is used up

    tg.fail("sendMessage", chat_id=2, times=2)
    await bot.send_message(1, "other chat unaffected")
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(2, "x")
    await bot.send_message(2, "x")
    assert [c.status for c in tg.calls_to("sendMessage", chat_id=2)] == [500, 500, 200]


async def test_block_user(tg: FakeTelegram, bot: Bot) -> None:
    tg.block_user(77)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(77, "hi")
    with pytest.raises(Forbidden):
        await bot.send_photo(77, photo=_image_bytes(10, 10))
    await bot.send_message(78, "others fine")
    tg.unblock_user(77)
    await bot.send_message(77, "hi again")


async def test_file_too_big(tg: FakeTelegram, bot: Bot) -> None:
    upd = tg.send_document(
        3,
        3,
        b"not really 25 MB",
        file_name="huge.png",
        mime_type="image/png",
        declared_size=25_000_000,
    )
    doc = upd["message"]["document"]
    assert doc["file_size"] == 25_000_000
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(doc["file_id"])
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("does-not-exist")


async def test_connection_faults(tg: FakeTelegram) -> None:
    request = HTTPXRequest(read_timeout=30, connect_timeout=30)  # only the download's is short
    async with Bot(
        tg.token, base_url=tg.base_url, base_file_url=tg.file_base_url, request=request
    ) as bot:
        tg.reset_connection("sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(1, "lost")
        assert tg.sent_messages(1) == []  # the reset request was not executed
        await bot.send_message(1, "works again")

        rec = tg.add_file(b"slow bytes")
        tg.delay("file", HANG)  # stop() ends the wait
        tg_file = await bot.get_file(rec.file_id)
        with pytest.raises(TimedOut):
            await tg_file.download_as_bytearray(read_timeout=0.3)
        assert bytes(await tg_file.download_as_bytearray()) == b"slow bytes"


async def test_raw_http_protocol(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        resp = await client.post(f"{tg.base_url}wrong:token/getMe")
        assert resp.status_code == 401
        assert resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        resp = await client.post(f"{tg.base_url}{tg.token}/sendTelepathy")
        assert resp.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
        # JSON body, query string and case-insensitive method names
        resp = await client.post(
            f"{tg.base_url}{tg.token}/SENDMESSAGE?disable_notification=true",
            json={
                "chat_id": "-1001234567890",
                "text": "[1] hi",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "url": "https://a.b"}]]},
            },
        )
        body = resp.json()
        assert body["ok"], body
        assert body["result"]["chat"]["type"] == "supergroup"
        call = tg.calls[-1]
        assert call.method == "sendMessage"
        assert call.params["chat_id"] == -1001234567890
        assert call.params["disable_notification"] is True
        assert call.params["text"] == "[1] hi"
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=tg.base_url):
            pass


async def test_long_poll_wakes_and_confirms(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=HANG, read_timeout=HANG + 10))
    await tg.wait_until(lambda: tg.polls_waiting == 1)  # the poll is held at the server
    upd = tg.send_text(-100500, 11, "/start@StyleTestBot now", chat_type="group")
    updates = await asyncio.wait_for(poll, GUARD)  # woken by the update, not its timeout
    assert [u.update_id for u in updates] == [upd["update_id"]]
    message = updates[0].message
    assert message is not None and message.chat.type == "group"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 19
    assert tg.pending_updates != []
    assert await bot.get_updates(offset=upd["update_id"] + 1, timeout=0) == ()
    assert tg.pending_updates == [] and tg.update_count == 1

    # a pending long poll returns promptly when the server stops
    poll = asyncio.create_task(bot.get_updates(timeout=HANG, read_timeout=HANG + 10))
    await tg.wait_until(lambda: tg.polls_waiting == 1)  # not merely sent: stop() must answer it
    await asyncio.to_thread(tg.stop)
    assert await asyncio.wait_for(poll, GUARD) == ()  # answered by stop(), not its timeout


async def test_helpers_build_valid_updates(tg: FakeTelegram, bot: Bot) -> None:
    tg.user(21, first_name="Bob", username="bob", language_code="de")
    first = tg.send_text(21, 21, "hi")
    sticker = tg.send_sticker(21, 21, reply_to=first["message_id"])
    video = tg.send_video(21, 21, caption="style this")
    sent = await bot.send_message(
        21,
        "pick",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
    )
    press = tg.press_button(21, 21, sent.message_id, "a")
    for raw in (first, sticker, video, press):
        Update.de_json(dict(raw), bot)  # PTB accepts the objects
    s = Update.de_json(dict(sticker), bot).message
    assert s is not None and s.sticker is not None
    assert s.reply_to_message is not None and s.reply_to_message.text == "hi"
    assert s.from_user is not None and s.from_user.language_code == "de"
    v = Update.de_json(dict(video), bot).message
    assert v is not None and v.video is not None and v.caption == "style this"
    cq = Update.de_json(dict(press), bot).callback_query
    assert cq is not None and cq.data == "a" and cq.message is not None
    assert cq.message.message_id == sent.message_id
    assert [m["message_id"] for m in tg.history(21)] == [1, 2, 3, 4]
    assert await bot.answer_callback_query(cq.id, text="ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(cq.id)
    with pytest.raises(KeyError):
        tg.press_button(21, 21, 999, "a")


async def test_wait_for_call_timeout_dumps_calls(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(1, "something else")
    with pytest.raises(AssertionError, match=r"(?s)sendPhoto.*sendMessage chat_id=1"):
        await tg.wait_for_call("sendPhoto", timeout=0.1)


async def test_application_polling_roundtrip(tg: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.effective_user is not None
        await update.message.reply_text(
            f"Hello, {update.effective_user.first_name}!",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]]),
        )

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"pressed {query.data}")

    app = (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=HANG)
    try:
        tg.user(42, first_name="Ann")
        mark = len(tg.calls)
        tg.send_text(42, 42, "/start")
        call = await tg.wait_for_call(
            "sendMessage", lambda c: c.chat_id == 42, since=mark, timeout=5
        )
        assert call.params["text"] == "Hello, Ann!"
        tg.press_button(42, 42, call.result["message_id"], "go")
        await tg.wait_for_call("answerCallbackQuery", timeout=5)
        msg = await tg.wait_for_message(42, lambda m: m["text"] == "pressed go", timeout=5)
        assert "reply_markup" not in msg
    finally:  # stopping does not wait for the pending long poll's timeout
        await asyncio.wait_for(_shut_down(app), GUARD)
    assert tg.pending_updates == []
    # PTB's final confirming call; the long poll it superseded got 409 like on Telegram
    assert any(c.params["timeout"] == 0 and c.ok for c in tg.calls_to("getUpdates"))
    assert not [c for c in tg.calls if not c.ok and c.method != "getUpdates"]


def test_multipart_parser_is_byte_exact() -> None:
    payloads = [b"", b"\r", b"\r\n", b"a\r\n--boundary\r\n", bytes(range(256)) * 3]
    for data in payloads:
        request = httpx.Request(
            "POST",
            "http://x/",
            data={"chat_id": "5", "caption": "ünï [x]"},
            files={"photo": ("f.jpg", data, "image/jpeg")},
        )
        params, files, names = parse_multipart(request.headers["content-type"], request.read())
        assert files == {"photo": data}
        assert params == {"chat_id": 5, "caption": "ünï [x]"}
        assert names == {"photo": "f.jpg"}


async def test_edit_message_media_replaces_the_picture(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_photo(42, _image_bytes(40, 30), caption="first")
    edited = await bot.edit_message_media(
        InputMediaPhoto(_image_bytes(64, 48), caption="second"), 42, sent.message_id
    )
    assert isinstance(edited, type(sent)) and edited.caption == "second"
    assert edited.photo[-1].width == 64 and edited.edit_date is not None
    assert tg.message(42, sent.message_id)["photo"][-1]["height"] == 48
    text = await bot.send_message(42, "no picture here")
    with pytest.raises(BadRequest, match="no media"):
        await bot.edit_message_media(InputMediaPhoto(_image_bytes(8, 8)), 42, text.message_id)


async def test_inline_query_answer_and_posted_result(tg: FakeTelegram, bot: Bot) -> None:
    asked = tg.send_inline_query(7, "monet")
    query_id = asked["inline_query"]["id"]
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Try", url="https://t.me/x?start=a")]])
    result = InlineQueryResultArticle(
        "monet", "Claude Monet", InputTextMessageContent("🎨 Monet"), reply_markup=button
    )
    assert await bot.answer_inline_query(query_id, [result])
    with pytest.raises(BadRequest, match="uery is too old"):
        await bot.answer_inline_query(query_id, [result])  # once per query
    assert tg.inline_answers[query_id][0]["title"] == "Claude Monet"
    posted = tg.post_inline_result(-5, 7, query_id, "monet")
    assert posted["text"] == "🎨 Monet" and posted["via_bot"]["id"] == tg.bot_id
    assert posted["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://t.me/x?start=a"


async def test_media_group_id_on_user_photos(tg: FakeTelegram) -> None:
    first = tg.send_photo(7, 7, _image_bytes(20, 20), media_group_id="g1")
    second = tg.send_document(7, 7, _image_bytes(20, 20), media_group_id="g1")
    assert first["message"]["media_group_id"] == second["message"]["media_group_id"] == "g1"


async def test_what_the_bot_sets_up_and_sends_besides_text(tg: FakeTelegram, bot: Bot) -> None:
    """Menus and descriptions, a keyboard changed in place, clips, and the webhook."""
    await bot.set_my_commands([BotCommand("help", "How it works")], language_code="ru")
    assert tg.commands(language_code="ru") == [{"command": "help", "description": "How it works"}]
    assert tg.commands() == []  # another language's menu is its own
    await bot.set_my_description("Paints your photos", language_code="ru")
    await bot.set_my_short_description("Style transfer")
    assert (await bot.get_my_description("ru")).description == "Paints your photos"
    assert (await bot.get_my_description()).description == ""
    assert tg.bot_text("short_description") == "Style transfer"

    sent = await bot.send_message(3, "pick", reply_markup=_keyboard("a"))
    edited = await bot.edit_message_reply_markup(3, sent.message_id, reply_markup=_keyboard("b"))
    assert isinstance(edited, Message) and edited.text == "pick"
    assert tg.message(3, sent.message_id)["reply_markup"]["inline_keyboard"][0][0]["text"] == "b"
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(3, sent.message_id, reply_markup=_keyboard("b"))

    video = await bot.send_video(3, video=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, caption="v")
    animation = await bot.send_animation(3, animation=b"GIF89a" + b"\x00" * 32)
    assert video.video is not None and video.caption == "v"
    assert animation.animation is not None
    assert [m["message_id"] for m in tg.sent_messages(3)][-2:] == [
        video.message_id, animation.message_id
    ]  # fmt: skip

    assert await bot.set_webhook("https://bot.example.com/hook")
    assert (await bot.get_webhook_info()).url == "https://bot.example.com/hook"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""


def _keyboard(label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=label)]])
