"""English and Russian: the catalogues, a Russian-speaking user, /language, the menus and
descriptions in both languages."""

from __future__ import annotations

import io
import string
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot import texts
from bot.handlers import SERVICES
from bot.i18n import LOCALE_DIR, gettext_for, language_of
from tests.bot.conftest import (
    ANN,
    BOB,
    StartBot,
    buttons,
    image_bytes,
    menu,
    nth_photo,
    press,
    says,
)
from tests.bot.fakeapi import FakeTelegram

BOT_DIR = Path(texts.__file__).parent


def catalogue(language: str, kind: str = "po") -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"bot.{kind}"
    with path.open("rb") as f:
        read = read_po(f) if kind == "po" else read_mo(io.BytesIO(f.read()))
    return {str(m.id): str(m.string) for m in read if m.id}


def marked_texts() -> set[str]:
    """Every text marked with N_ in the bot's code (what `make messages` extracts)."""
    found = extract_from_dir(str(BOT_DIR), keywords={"N_": None})
    return {str(message) for _, _, message, _, _ in found}


def test_every_text_has_a_russian_translation() -> None:
    russian = catalogue("ru")
    untranslated = sorted(m for m in marked_texts() if not russian.get(m))
    assert untranslated == [], "run `make messages` and translate bot/locale/ru/.../bot.po"
    for msgid, msgstr in russian.items():  # the placeholders survive translation
        assert sorted(_fields(msgid)) == sorted(_fields(msgstr)), msgid


def test_compiled_catalogue_matches_its_source() -> None:
    assert catalogue("ru", "mo") == {k: v for k, v in catalogue("ru").items() if v}


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_language_codes() -> None:
    assert language_of("ru") == language_of("ru-RU") == "ru"
    assert language_of("en-GB") == language_of("de") == language_of(None) == "en"
    assert gettext_for("ru")(texts.BTN_CANCEL) == "✖ Отмена"
    assert gettext_for("en")(texts.BTN_CANCEL) == texts.BTN_CANCEL


async def test_russian_app_gets_russian(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.user(BOB, first_name="Боб", language_code="ru")
    tg.send_text(BOB, BOB, "/start")
    await says(tg, BOB, "Привет! Я перерисовываю фото")
    tg.send_photo(BOB, BOB, image_bytes())
    choose = await menu(tg, BOB, "Винсент Ван Гог")
    assert choose["text"] == gettext_for("ru")(texts.CHOOSE_STYLE)
    press(tg, choose, "Винсент Ван Гог", BOB)
    result = await nth_photo(tg, BOB)
    assert result["caption"].startswith(
        "Винсент Ван Гог — Звёздная ночь\nКачество: Быстрое · сила 50%"
    )
    assert "⬇ Полное качество" in buttons(result)


async def test_language_command_is_remembered(tg: FakeTelegram, start_bot: StartBot) -> None:
    app = await start_bot()
    tg.send_text(ANN, ANN, "/language")
    choice = await menu(tg, ANN, "Русский")
    assert choice["text"] == texts.CHOOSE_LANGUAGE
    press(tg, choice, "Русский")
    await says(tg, ANN, "Хорошо, теперь я говорю по-русски.")
    tg.send_text(ANN, ANN, "/cancel")
    await says(tg, ANN, "Отменять нечего")
    store = app.bot_data[SERVICES].store  # kept in the bot's SQLite file, for restarts
    assert await store.language(ANN) == "ru"


async def test_menus_and_descriptions_in_both_languages(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    private, groups = {"type": "all_private_chats"}, {"type": "all_group_chats"}
    names = [c["command"] for c in tg.commands(private)]
    assert names == [name for name, _ in texts.PRIVATE_COMMANDS]
    assert "language" in names and "privacy" in names and "forget" in names
    assert [c["command"] for c in tg.commands(groups)] == [n for n, _ in texts.GROUP_COMMANDS]
    russian = {c["command"]: c["description"] for c in tg.commands(private, "ru")}
    assert russian["language"] == "Сменить язык"
    assert tg.commands(groups, "ru")[0]["description"].startswith("Ответьте на фото")
    assert tg.bot_text("description") == texts.DESCRIPTION
    assert tg.bot_text("description", "ru").startswith("Я перерисовываю ваши фото")
    assert tg.bot_text("short_description", "ru") == "Ваши фото в стиле знаменитых картин."


async def test_a_failed_job_is_explained_in_russian(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    tg.user(BOB, first_name="Боб", language_code="ru")
    tg.send_document(BOB, BOB, b"", file_name="empty.jpg", mime_type="image/jpeg")
    press(tg, await menu(tg, BOB, "Винсент Ван Гог"), "Винсент Ван Гог", BOB)
    told = await says(tg, BOB, "Файл пустой.")  # the engine's sentence, translated
    assert told["text"] == "Винсент Ван Гог — Звёздная ночь\nФайл пустой."
    tg.send_document(BOB, BOB, image_bytes(1, 1, "PNG"), file_name="dot.png",
                     mime_type="image/png")  # fmt: skip
    press(tg, await menu(tg, BOB, "Винсент Ван Гог"), "Винсент Ван Гог", BOB)
    await says(tg, BOB, gettext_for("ru")(texts.BAD_IMAGE))  # one with numbers: ours
