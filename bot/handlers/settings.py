"""/settings: a person's defaults for new pictures (quality, strength, original colours)."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot import keyboards, texts
from bot.handlers.common import Context, answer, edit, origin, owner_name, query, services
from bot.i18n import Gettext, gettext_for
from bot.keyboards import split_data
from bot.models import STRENGTHS, Prefs
from engine import QUALITIES


async def show_settings(update: Update, context: Context) -> None:
    message, user = origin(update)
    s = services(context)
    lang = await s.language(user)
    prefs = await s.store.prefs(user.id, s.default_prefs)
    await answer(context, message, _settings_text(prefs, gettext_for(lang)),
                 keyboards.settings_keyboard(user.id, prefs, lang))  # fmt: skip


async def setting_changed(update: Update, context: Context) -> None:
    pressed = query(update)
    s = services(context)
    lang = await s.language(pressed.from_user)
    t = gettext_for(lang)
    _, owner, what, *value = split_data(pressed.data)
    if int(owner) != pressed.from_user.id:
        await pressed.answer(t(texts.MENU_NOT_YOURS).format(name=owner_name(pressed, t)))
        return
    await pressed.answer()
    prefs = await s.store.prefs(pressed.from_user.id, s.default_prefs)
    if what == "done":
        await edit(pressed, _settings_text(prefs, t, closed=True), None)
        return
    prefs = _changed(prefs, what, value[0] if value else "")
    await s.store.save_prefs(pressed.from_user.id, prefs)
    await edit(pressed, _settings_text(prefs, t),
               keyboards.settings_keyboard(pressed.from_user.id, prefs, lang))  # fmt: skip


def _changed(prefs: Prefs, what: str, value: str) -> Prefs:
    """The preferences after one settings button (see bot/keyboards.py for the data)."""
    for quality in QUALITIES:
        if what == "q" and value == quality:
            return replace(prefs, quality=quality)
    for name, strength in STRENGTHS.items():
        if what == "s" and value == name:
            return replace(prefs, strength=strength)
    if what == "c":
        return prefs.toggled_colors()
    return prefs


def _settings_text(prefs: Prefs, t: Gettext, *, closed: bool = False) -> str:
    strength = prefs.strength_name
    values = {
        "quality": t(texts.QUALITY_NAMES[prefs.quality]),
        "strength": t(texts.STRENGTH_NAMES[strength] if strength else texts.CUSTOM),
        "colors": t(texts.ON if prefs.preserve_colors else texts.OFF),
    }
    return t(texts.SETTINGS_CLOSED if closed else texts.SETTINGS).format(**values)
