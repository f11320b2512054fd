"""The buttons on a job: Cancel under its progress message; under its result the re-runs and
"Full quality"; under a suggestion sheet its numbers and "Surprise me"."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot import texts
from bot.drafts import Draft
from bot.handlers.common import Context, edit_markup, message_id, query, services, speaking
from bot.handlers.menus import ask_for_style
from bot.handlers.submit import enqueue
from bot.keyboards import split_data
from bot.models import Prefs
from bot.suggestions import picked_slug


async def job_cancel_pressed(update: Update, context: Context) -> None:
    pressed = query(update)
    s = services(context)
    _, t = await speaking(context, pressed.from_user)
    job_id = split_data(pressed.data)[-1]
    job = await s.job(job_id)
    if job is None:
        await pressed.answer(t(texts.JOB_GONE))
        await edit_markup(pressed, None)
        return
    if job.user_id != pressed.from_user.id:
        await pressed.answer(t(texts.BUTTONS_NOT_YOURS).format(name=job.user_name))
        return
    await pressed.answer(t(texts.JOB_CANCELLED_NOTICE))
    await s.service.cancel(job_id)  # its progress message says "Cancelled"
    if message_id(pressed) != job.status_message_id:  # the "already busy" notice
        await edit_markup(pressed, None)


async def rerun_pressed(update: Update, context: Context) -> None:
    """The buttons under a result: the same photo again, with one thing changed."""
    pressed = query(update)
    s = services(context)
    lang, t = await speaking(context, pressed.from_user)
    _, result_id, action = split_data(pressed.data)
    template = await s.store.result(result_id)
    if template is None:
        await pressed.answer(t(texts.RESULT_GONE))
        return
    if template.user_id != pressed.from_user.id:
        await pressed.answer(t(texts.BUTTONS_NOT_YOURS).format(name=template.user_name))
        return
    if action == "artist":
        await pressed.answer()
        draft = Draft(template.chat_id, template.user_id, template.user_name,
                      template.content, template.reply_to, lang=lang)  # fmt: skip
        await ask_for_style(context, s.drafts.start(draft))
        return
    prefs, refusal = _adjusted(template.prefs, action)
    await pressed.answer(t(refusal) if prefs is None and refusal else None)
    if prefs is not None:
        await enqueue(context, template.again(lang, prefs=prefs))


async def full_quality_pressed(update: Update, context: Context) -> None:
    """The finished picture as an uncompressed file, while the job service keeps it; anyone
    in the chat may ask (it is the picture they see)."""
    pressed = query(update)
    s = services(context)
    lang, t = await speaking(context, pressed.from_user)
    result_id = split_data(pressed.data)[-1]
    template = await s.store.result(result_id)
    image = await s.deliveries.pictures.result_image(result_id) if template else None
    if template is None or image is None:
        await pressed.answer(t(texts.FULL_QUALITY_GONE), show_alert=True)
        return
    await pressed.answer()
    chat_id = pressed.message.chat.id if pressed.message else template.chat_id
    job = replace(template, ticket=replace(template.ticket, lang=lang, chat_id=chat_id))
    await s.deliveries.pictures.send_full_quality(job, image, message_id(pressed) or job.reply_to)


async def pick_pressed(update: Update, context: Context) -> None:
    """A number on a suggestion sheet (or "Surprise me"): that painting, the owner's own
    settings, the same photo."""
    pressed = query(update)
    s = services(context)
    lang, t = await speaking(context, pressed.from_user)
    _, job_id, number = split_data(pressed.data)
    template = await s.store.result(job_id)
    if template is not None and template.user_id != pressed.from_user.id:
        await pressed.answer(t(texts.BUTTONS_NOT_YOURS).format(name=template.user_name))
        return
    slug = await picked_slug(s.service, job_id, int(number)) if template else None
    if template is None or slug is None or slug not in s.catalog:
        await pressed.answer(t(texts.SUGGESTIONS_GONE), show_alert=True)
        return
    await pressed.answer()
    prefs = await s.store.prefs(template.user_id, s.default_prefs)
    await enqueue(context, template.again(lang, slug=slug, prefs=prefs))


def _adjusted(prefs: Prefs, action: str) -> tuple[Prefs | None, str | None]:
    """The preferences a re-run button asks for, or None and why not."""
    if action == "more":
        return prefs.stronger(), texts.ALREADY_STRONGEST
    if action == "less":
        return prefs.weaker(), texts.ALREADY_WEAKEST
    if action == "quality":
        return prefs.higher_quality(), texts.ALREADY_BEST
    return prefs.toggled_colors(), None
