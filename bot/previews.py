"""The picture taking shape: the instant image, sent as a photo, then refined in place.

The first preview (the instant image) is a reply to the person's photo, captioned as a
preview. Later previews replace its image (edit_message_media) as the job service sends them
(at most every PREVIEW_INTERVAL seconds: jobs/runner.py); in groups no more often than
Telegram allows there (`interval`, the same throttle: jobs/throttle.py). The result
follows as its own message, with its buttons, and the preview is deleted then. The progress
message, with the time left and Cancel, stays under the style's name meanwhile. `instant`
jobs skip previews: their result comes right after.
"""

from __future__ import annotations

import logging

from telegram import Bot, InputMediaPhoto
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import texts
from bot.i18n import gettext_for
from bot.models import Tracked
from jobs import Event, JobService
from jobs.blobs import BlobMissing
from jobs.throttle import Throttle

log = logging.getLogger(__name__)


class Preview:
    """One job's preview message."""

    def __init__(
        self, bot: Bot, service: JobService, job: Tracked, *, enabled: bool, interval: float
    ) -> None:
        self.bot, self.service, self.job = bot, service, job
        self.message_id: int | None = None
        self.wanted = enabled and job.prefs.quality != "instant"
        self._throttle = Throttle(interval)  # 0: relay every preview the service sends

    @property
    def caption(self) -> str:
        return gettext_for(self.job.lang)(texts.PREVIEW_CAPTION)

    async def show(self, event: Event) -> None:
        """Send the first preview, or put a later one in its place when it is time."""
        if not self.wanted or event.blob is None or not self._throttle.ready():
            return
        try:
            image = await self.service.blob(event.blob)
            if self.message_id is None:
                await self._send(image)
            else:
                await self._replace(image)
        except Forbidden:
            raise
        except (TelegramError, BlobMissing) as exc:  # nice to have, never worth a retry
            log.info("job %s: preview not shown: %r", self.job.id, exc)
            if self.message_id is None:
                self.wanted = False

    async def _send(self, image: bytes) -> None:
        sent = await self.bot.send_photo(
            self.job.chat_id, image, caption=self.caption, reply_to_message_id=self.job.reply_to
        )
        self.message_id = sent.message_id

    async def _replace(self, image: bytes) -> None:
        media = InputMediaPhoto(image, caption=self.caption)
        try:
            await self.bot.edit_message_media(media, self.job.chat_id, self.message_id)
        except BadRequest as exc:  # deleted meanwhile: no more previews
            log.info("job %s: preview not replaced: %s", self.job.id, exc)
            self.wanted = False

    async def remove(self) -> None:
        if self.message_id is None:
            return
        try:
            await self.bot.delete_message(self.job.chat_id, self.message_id)
        except TelegramError as exc:  # cosmetic: the preview may stay
            log.info("job %s: preview not deleted: %s", self.job.id, exc)
        self.message_id = None
