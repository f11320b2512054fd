"""English and Russian: a Russian-speaking user, /language, the menus and descriptions in
both languages, names shared with the page (the catalogue: tests/jobs/test_catalogue.py)."""

from __future__ import annotations

from bot import texts
from bot.handlers import SERVICES
from bot.i18n import gettext_for, language_of
from jobs import i18n, labels
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


def test_language_codes() -> None:
    assert language_of("ru") == language_of("ru-RU") == "ru"
    assert language_of("en-GB") == language_of("de") == language_of(None) == "en"
    assert gettext_for("ru")(texts.BTN_CANCEL) == "✖ Отмена"
    assert gettext_for("en")(texts.BTN_CANCEL) == texts.BTN_CANCEL


def test_buttons_use_the_names_the_page_uses() -> None:
    """An icon before a shared label (jobs/labels.py): the label is the page's entry."""
    shared = {
        texts.BTN_SURPRISE: ("🎲", labels.SURPRISE),
        texts.BTN_SUGGEST: ("✨", labels.SUGGEST),
        texts.BTN_CANCEL: ("✖", labels.CANCEL),
        texts.BTN_ANOTHER_ARTIST: ("🎨", labels.ANOTHER_ARTIST),
    }
    for language in ("en", "ru"):
        page = i18n.catalogue(language)  # what the API serves the page
        for button, (icon, label) in shared.items():
            assert gettext_for(language)(button) == f"{icon} {page.get(label, label)}"
    assert gettext_for("ru")(texts.BTN_SURPRISE) == "🎲 Удивите меня"
    assert gettext_for("ru")(texts.QUALITY_NAMES["balanced"]) == "Среднее"
    assert texts.QUALITY_NAMES is labels.QUALITY_NAMES
    # A text of the bot's own with an icon that a shared one uses is still whole.
    assert gettext_for("ru")(texts.BTN_TRY_STYLE) == "🎨 Попробовать этот стиль"


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
