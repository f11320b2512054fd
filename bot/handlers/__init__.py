"""The conversation, one short function per step, and `register`, the table that wires them.

A request starts as a *draft* (bot/drafts.py): the content photo, keyed by chat and user, so
that two people in one group never mix. Choosing a style (a button, a typed name, a second
photo) turns the draft into a *job* for the job service. Buttons carry short ids (see
bot/keyboards.py) and every button handler checks that the person pressing it owns it.

    common    the services the handlers share, small Telegram helpers
    commands  /start /help /artists /settings /cancel, the flood guard, errors
    requests  a photo, then a style: the draft and its menu
    submit    from draft to job: downloads, the job service's request, the progress message
    results   Cancel under a job, the re-run buttons under a result
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards
from bot.handlers.commands import (
    cancel,
    error_occurred,
    flood_check,
    setting_changed,
    show_artists,
    show_help,
    show_settings,
    stale_button,
    start,
)
from bot.handlers.common import SERVICES, Services
from bot.handlers.requests import (
    artist_chosen,
    artist_typed,
    draft_dropped,
    own_style_chosen,
    page_turned,
    photo_received,
    stylize_command,
    unusable_media,
)
from bot.handlers.results import job_cancel_pressed, rerun_pressed
from bot.keyboards import pattern

__all__ = ["SERVICES", "Services", "register"]

NEW_MESSAGE = filters.UpdateType.MESSAGE  # edits of old messages start nothing
IMAGE_OR_FILE = filters.PHOTO | filters.Document.ALL
STYLIZE_CAPTION = filters.CaptionRegex(r"^/stylize(@\w+)?(\s|$)")
UNUSABLE = (
    filters.Sticker.ALL
    | filters.VIDEO
    | filters.ANIMATION
    | filters.VIDEO_NOTE
    | filters.VOICE
    | filters.AUDIO
)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, flood_check), group=-1)
    app.add_handlers(
        [
            CommandHandler("start", start, NEW_MESSAGE),
            CommandHandler("help", show_help, NEW_MESSAGE),
            CommandHandler("artists", show_artists, NEW_MESSAGE),
            CommandHandler("settings", show_settings, NEW_MESSAGE),
            CommandHandler("cancel", cancel, NEW_MESSAGE),
            CommandHandler("stylize", stylize_command, NEW_MESSAGE),
            MessageHandler(NEW_MESSAGE & IMAGE_OR_FILE & STYLIZE_CAPTION, stylize_command),
            MessageHandler(NEW_MESSAGE & IMAGE_OR_FILE, photo_received),
            MessageHandler(NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, artist_typed),
            MessageHandler(NEW_MESSAGE & UNUSABLE, unusable_media),
            CallbackQueryHandler(artist_chosen, pattern(keyboards.ARTIST)),
            CallbackQueryHandler(page_turned, pattern(keyboards.PAGE)),
            CallbackQueryHandler(own_style_chosen, pattern(keyboards.OWN_STYLE)),
            CallbackQueryHandler(draft_dropped, pattern(keyboards.DROP)),
            CallbackQueryHandler(job_cancel_pressed, pattern(keyboards.CANCEL_JOB)),
            CallbackQueryHandler(rerun_pressed, pattern(keyboards.RERUN)),
            CallbackQueryHandler(setting_changed, pattern(keyboards.SETTING)),
            CallbackQueryHandler(stale_button),  # last: anything the others didn't take
        ]
    )
    app.add_error_handler(error_occurred)
