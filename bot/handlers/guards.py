"""What runs around every update: the flood guard, buttons nobody understood, errors."""

from __future__ import annotations

import logging
import math

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.handlers.common import Context, answer, query, services, speaking
from bot.i18n import gettext_for, language_of

log = logging.getLogger(__name__)


async def flood_check(update: Update, context: Context) -> None:
    """Runs first for every update: a person over the limit is told once, then ignored."""
    user = update.effective_user
    if user is None or update.inline_query is not None:  # every keystroke is a query
        return
    s = services(context)
    verdict = s.flood.check(user.id)
    if verdict == "ok":
        return
    if verdict == "warn":
        log.info("a user is over the flood limit")
        _, t = await speaking(context, user)
        text = t(texts.SLOW_DOWN).format(seconds=math.ceil(s.flood.wait(user.id)))
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await answer(context, update.effective_message, text)
    elif update.callback_query is not None:
        await update.callback_query.answer()  # no spinner left turning
    raise ApplicationHandlerStop


async def stale_button(update: Update, context: Context) -> None:
    """Any button nobody else understood, e.g. from an older version of the bot."""
    pressed = query(update)
    _, t = await speaking(context, pressed.from_user)
    await pressed.answer(t(texts.MENU_EXPIRED))


async def error_occurred(update: object, context: Context) -> None:
    """Log first; then say sorry, and stop the spinner of a button that was pressed."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot: nobody to tell
    if not isinstance(update, Update):
        return
    user = update.effective_user
    t = gettext_for(language_of(user.language_code if user else None))
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(t(texts.SOMETHING_WRONG))
        except TelegramError:  # answered already, or too old
            log.info("could not answer the button press after the error")
        return
    if update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, t(texts.SOMETHING_WRONG))
    except TelegramError:
        log.warning("could not tell a chat about the error")
