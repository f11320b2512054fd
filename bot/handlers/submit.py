"""From draft to job: the request the job service gets, and the job's progress message.

The photos (or the clip) are downloaded here, once, before the job is handed over; a clip is
probed then (bot/clips.py), so a refused one is never queued. From then on the job's
messages are the deliveries' business (bot/delivery.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot import clips, keyboards, media, texts
from bot.codes import text_for
from bot.delivery import CLIENT, status_text
from bot.drafts import Draft
from bot.handlers.common import Context, Services, services
from bot.i18n import gettext_for
from bot.models import Order, Photo, Ticket, Tracked
from jobs import Busy, JobRefused, JobRequest, Owner, QueueFull

log = logging.getLogger(__name__)


class InputRefused(Exception):
    """A photo that can't be fetched, or a clip the engine would refuse; the message (a text
    of bot/texts.py) is for the user."""


async def submit(
    context: Context, draft: Draft, *, slug: str | None = None, style_photo: Photo | None = None,
    menu_id: int | None = None,
) -> None:  # fmt: skip
    """Turn the draft into a job with the user's preferences, in a gallery painting (`slug`),
    the person's own style or, with neither, the whole gallery (suggestions); the draft ends
    if it is taken."""
    s = services(context)
    s.drafts.drop(draft)  # claimed now, so a double tap on the menu finds it expired
    prefs = await s.store.prefs(draft.user_id, s.default_prefs)
    ticket = Ticket(
        chat_id=draft.chat_id, user_id=draft.user_id, user_name=draft.user_name,
        reply_to=draft.reply_to, content=draft.content, style_photo=style_photo,
        lang=draft.lang,
    )  # fmt: skip
    refused = not await enqueue(context, Order(ticket, slug, prefs), menu_id)
    if refused and s.drafts.get(draft.chat_id, draft.user_id) is None:
        draft.held = True  # an "own style" prompt stays true: its photo is still the style
        s.drafts.start(draft)  # nothing is lost: the menu works again once the queue allows


async def enqueue(context: Context, job: Order, menu_id: int | None = None) -> bool:
    """Hand the job to the job service behind its progress message (the menu, if it was
    picked from one); False if it was refused before it started."""
    s = services(context)
    if job.content.clip:  # every job passes here: a new one, a re-run, a pick
        job = replace(job, prefs=clips.clip_prefs(job.prefs))
    refusal = await _refusal(s, job)
    if refusal is not None:
        await _refuse(context, job, refusal)
        return False
    text = status_text(job, s.catalog, gettext_for(job.lang)(texts.STARTING))
    job = job.with_status(await _status_message(context, job, text, menu_id))
    try:
        request = await _request(context, s, job)
    except InputRefused as exc:
        text = gettext_for(job.lang)(str(exc)).format(
            mb=s.settings.upload_limit_mb, seconds=clips.MAX_SECONDS
        )
        await s.deliveries.tell(job, text, translated=True)
        return True
    try:
        record, _ = await s.service.submit(request)
    except JobRefused as exc:  # someone was quicker while the photos came in
        await s.deliveries.status(job, _refusal_text(exc), _refusal_markup(exc, job.lang))
        return False
    except KeyError:  # the painting left the gallery since the menu was drawn
        await s.deliveries.tell(job, texts.STYLE_GONE)
        return True
    await s.store.add_job(job.user_id, job.id)  # for /forget
    s.deliveries.follow(Tracked(record, job.ticket))  # its first event says where it waits
    return True


# -- refusals ---------------------------------------------------------------------------------


async def _refusal(s: Services, job: Order) -> JobRefused | None:
    """Why the service would refuse this job now (checked before any download)."""
    current = await s.current_job(job.user_id)
    if current is not None:
        return Busy(current.id)
    waiting = await s.service.queue_length()
    return QueueFull(waiting) if waiting >= s.settings.queue_size else None


async def _refuse(context: Context, job: Order, exc: JobRefused) -> None:
    await context.bot.send_message(
        job.chat_id, gettext_for(job.lang)(_refusal_text(exc)),
        reply_markup=_refusal_markup(exc, job.lang), reply_to_message_id=job.reply_to,
    )  # fmt: skip


def _refusal_text(exc: JobRefused) -> str:
    return text_for(exc.code)


def _refusal_markup(exc: JobRefused, lang: str) -> InlineKeyboardMarkup | None:
    """Busy: the Cancel button of the job in the way."""
    if isinstance(exc, Busy):
        return keyboards.job_keyboard(exc.current, lang)
    return None


# -- the request ------------------------------------------------------------------------------


async def _request(context: Context, s: Services, job: Order) -> JobRequest:
    """Fetch the photos from Telegram and build the job service's request."""
    content = await _fetch(context, s, job.content)
    if job.content.clip and (problem := await clips.refusal(content, s.settings.max_upload_bytes)):
        raise InputRefused(problem)
    style: str | list[bytes] = job.slug or []  # none: the whole gallery (suggestions)
    if job.ticket.style_photo is not None:
        style = [await _fetch(context, s, job.ticket.style_photo)]
    return JobRequest(
        Owner(CLIENT, str(job.user_id)), content, style, job.prefs.params(s.settings),
        reply=job.ticket.to_json(), id=job.id, kind=job.kind,
    )  # fmt: skip


async def _fetch(context: Context, s: Services, photo: Photo) -> bytes:
    limit = s.settings.max_upload_bytes
    try:
        return await media.download(context.bot, photo, max_bytes=limit)
    except media.FileTooBig:
        raise InputRefused(texts.CLIP_TOO_BIG if photo.clip else texts.FILE_TOO_BIG) from None
    except (BadRequest, InvalidToken, NetworkError) as exc:  # a file that is gone: 404
        log.warning("a download failed: %r", exc)
        raise InputRefused(texts.DOWNLOAD_FAILED) from None


async def _status_message(context: Context, job: Order, text: str, menu_id: int | None) -> int:
    """The job's one progress message: the menu it was picked from, or a new reply."""
    markup = keyboards.job_keyboard(job.id, job.lang)
    if menu_id is not None:
        try:
            edited = await context.bot.edit_message_text(
                text, job.chat_id, menu_id, reply_markup=markup
            )
            if isinstance(edited, Message):
                return edited.message_id
        except BadRequest as exc:  # the menu was deleted meanwhile: send a new message
            log.info("could not turn menu %s into a status: %s", menu_id, exc)
    sent = await context.bot.send_message(
        job.chat_id, text, reply_markup=markup, reply_to_message_id=job.reply_to
    )
    return sent.message_id
