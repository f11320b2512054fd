"""The first look at a picture: the instant image, sent as a photo while the job refines it.

It is a reply to the person's photo, captioned as a preview, and deleted once the job ends
(the result takes its place). `instant` jobs skip it: their result comes right after.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.models import Job
from jobs import Event, JobService
from jobs.blobs import BlobMissing

log = logging.getLogger(__name__)


class Preview:
    """One job's preview message."""

    def __init__(self, bot: Bot, service: JobService, job: Job, *, enabled: bool) -> None:
        self.bot, self.service, self.job = bot, service, job
        self.message_id: int | None = None
        self.wanted = enabled and job.prefs.quality != "instant"

    async def show(self, event: Event) -> None:
        """Send the first preview; later ones are left for the result."""
        if not self.wanted or self.message_id is not None or event.blob is None:
            return
        self.wanted = False  # one try: a preview is nice to have, never worth a retry
        try:
            image = await self.service.blob(event.blob)
            sent = await self.bot.send_photo(
                self.job.chat_id, image, caption=texts.PREVIEW_CAPTION,
                reply_to_message_id=self.job.reply_to,
            )  # fmt: skip
        except Forbidden:
            raise
        except (TelegramError, BlobMissing) as exc:
            log.info("job %s: preview not shown: %r", self.job.id, exc)
            return
        self.message_id = sent.message_id

    async def remove(self) -> None:
        if self.message_id is None:
            return
        try:
            await self.bot.delete_message(self.job.chat_id, self.message_id)
        except TelegramError as exc:  # cosmetic: the preview may stay
            log.info("job %s: preview not deleted: %s", self.job.id, exc)
        self.message_id = None
