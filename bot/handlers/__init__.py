"""The conversation, one short function per step, and `register`, the table that wires them.

A request starts as a *draft* (bot/drafts.py): the content photo, keyed by chat and user, so
that two people in one group never mix. Choosing a style (a button, a typed name, a second
photo, an album's second photo, a painting picked through a link) turns the draft into a
*job* for the job service. Buttons carry short ids (see bot/keyboards.py) and every button
handler checks that the person pressing it owns it.

    common    the services the handlers share, small Telegram helpers, checks on arrival
    guards    the flood guard, stale buttons, errors
    commands  /start (deep links) /help /artists /cancel /language /privacy /forget
    settings  /settings
    requests  a photo or a clip, then a style: the draft
    albums    an album of two photos: content and style
    menus     the style menu and its buttons
    submit    from draft to job: downloads, the job service's request, the progress message
    results   Cancel under a job; the re-run and "Full quality" buttons under a result
    inline    "@bot name" in any chat: the gallery to share
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards
from bot.handlers import commands, menus, requests, results
from bot.handlers.common import SERVICES, Services
from bot.handlers.guards import error_occurred, flood_check, stale_button
from bot.handlers.inline import inline_query
from bot.handlers.settings import setting_changed, show_settings
from bot.keyboards import pattern

__all__ = ["SERVICES", "Services", "register"]

NEW_MESSAGE = filters.UpdateType.MESSAGE  # edits of old messages start nothing
CLIP = filters.VIDEO | filters.ANIMATION | filters.VIDEO_NOTE  # bot/clips.py
CONTENT = filters.PHOTO | filters.Document.ALL | CLIP
STYLIZE_CAPTION = filters.CaptionRegex(r"^/stylize(@\w+)?(\s|$)")
SUGGEST_CAPTION = filters.CaptionRegex(r"^/suggest(@\w+)?(\s|$)")
UNUSABLE = filters.Sticker.ALL | filters.VOICE | filters.AUDIO
COMMANDS = {
    "start": commands.start,
    "help": commands.show_help,
    "artists": commands.show_artists,
    "settings": show_settings,
    "language": commands.choose_language,
    "privacy": commands.privacy,
    "forget": commands.forget,
    "cancel": commands.cancel,
    "stylize": requests.stylize_command,
    "suggest": requests.suggest_command,
}
BUTTONS = {
    keyboards.ARTIST: menus.artist_chosen,
    keyboards.PAGE: menus.page_turned,
    keyboards.SHEET: menus.sheet_pressed,
    keyboards.SUGGEST: menus.suggest_pressed,
    keyboards.PICK: results.pick_pressed,
    keyboards.OWN_STYLE: menus.own_style_chosen,
    keyboards.DROP: menus.draft_dropped,
    keyboards.CANCEL_JOB: results.job_cancel_pressed,
    keyboards.RERUN: results.rerun_pressed,
    keyboards.FULL_QUALITY: results.full_quality_pressed,
    keyboards.SETTING: setting_changed,
    keyboards.LANGUAGE: commands.language_chosen,
}


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, flood_check), group=-1)
    app.add_handlers([CommandHandler(name, step, NEW_MESSAGE) for name, step in COMMANDS.items()])
    app.add_handlers(
        [
            MessageHandler(NEW_MESSAGE & CONTENT & STYLIZE_CAPTION, requests.stylize_command),
            MessageHandler(NEW_MESSAGE & CONTENT & SUGGEST_CAPTION, requests.suggest_command),
            MessageHandler(NEW_MESSAGE & CONTENT, requests.photo_received),
            MessageHandler(NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, requests.artist_typed),
            MessageHandler(NEW_MESSAGE & UNUSABLE, requests.unusable_media),
            InlineQueryHandler(inline_query),
        ]
    )
    app.add_handlers(
        [CallbackQueryHandler(step, pattern(prefix)) for prefix, step in BUTTONS.items()]
    )
    app.add_handler(CallbackQueryHandler(stale_button))  # last: anything the others didn't take
    app.add_error_handler(error_occurred)
