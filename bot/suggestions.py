"""'Suggest a style': the sheet of the person's photo in every painting, and its buttons.

A suggestion is a job of kind `suggest` (jobs/suggestions.py): its result is one numbered
sheet, best fit first, the top three framed, and the ranking. The sheet goes out as a photo
with a button per number and "Surprise me"; a number (or the surprise) becomes an ordinary
picture job in that painting, with the person's own settings.
"""

from __future__ import annotations

import random

from telegram import Bot

from bot import keyboards, texts
from bot.i18n import gettext_for
from bot.models import Tracked
from jobs import Event, JobService, UnknownJob
from jobs.model import SUGGEST_TOP as TOP


async def send_sheet(bot: Bot, service: JobService, job: Tracked, event: Event) -> None:
    """The numbered sheet, replying to the person's photo."""
    record = await service.get(job.id)
    count = len(record.result.ranking) if record.result else 0
    t = gettext_for(job.lang)
    caption = t(texts.SUGGEST_CAPTION).format(
        n=count, top=TOP, quality=t(texts.QUALITY_NAMES[job.prefs.quality])
    )
    await bot.send_photo(
        job.chat_id, await service.blob(event.blob or ""), caption=caption,
        reply_markup=keyboards.picks_keyboard(job.id, count, job.lang),
        reply_to_message_id=job.reply_to,
    )  # fmt: skip


async def picked_slug(service: JobService, job_id: str, number: int) -> str | None:
    """The painting ranked `number` (1 = best) by a suggestion job, or for 0 ("Surprise
    me") one of the top three at random; None once the job has expired."""
    try:
        record = await service.get(job_id)
    except UnknownJob:
        return None
    ranking = record.result.ranking if record.result else ()
    if not ranking or number > len(ranking):
        return None
    if number <= 0:
        return random.choice(ranking[:TOP]).slug  # a surprise, not a secret
    return ranking[number - 1].slug
