"""A finished picture on its way to the person: the caption, the photo, the file.

The caption names the painting, the quality, the strength and the time it took, and (for a
gallery painting) links t.me/<bot>?start=artist_<slug>, which opens the bot with that
painting picked. The picture goes out as a photo (compressed by Telegram) with the re-run
buttons and "Full quality", which sends the job's result, kept by the job service until
RESULT_TTL, as an uncompressed file.

A clip comes back as a video (with sound; streamable) or, when it has no sound (a GIF, a
silent clip), as an animation, which Telegram loops like a GIF. A round video note comes
back as an ordinary video: a video note can't carry the caption. Its caption adds the
clip's length and frames; its buttons leave out "Higher quality" and "Full quality".
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

from PIL import Image
from telegram import Bot, InlineKeyboardMarkup, InputFile, MessageEntity
from telegram.constants import MessageEntityType
from telegram.error import BadRequest, TelegramError

from bot import media, suggestions, texts
from bot.i18n import gettext_for
from bot.keyboards import artist_link, result_keyboard
from bot.models import AnyJob, Tracked
from jobs import Event, JobService, UnknownJob
from jobs.blobs import BlobMissing
from jobs.model import JobResult
from styles.catalog import Catalog

log = logging.getLogger(__name__)


def _open_result(data: bytes) -> Image.Image:
    """Our own PNG: none of the checks a user's upload needs (a 5×48 strip is fine here)."""
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def style_name(job: AnyJob, catalog: Catalog) -> str:
    """'Vincent van Gogh — The Starry Night', or 'your style', in the job's language."""
    if job.kind == "suggest":
        return gettext_for(job.lang)(texts.WHOLE_GALLERY)
    if job.slug is None:
        return gettext_for(job.lang)(texts.YOUR_STYLE)
    try:
        entry = catalog.get(job.slug)
    except KeyError:
        return job.slug
    return texts.painting_name(entry, job.lang)


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class Caption:
    """A result's caption: plain text, plus a link entity for the painting's deep link."""

    def __init__(self, text: str, entities: tuple[MessageEntity, ...] = ()) -> None:
        self.text, self.entities = text, entities

    @classmethod
    def of(
        cls, job: Tracked, event: Event, name: str, bot_username: str | None,
        clip: JobResult | None = None,
    ) -> Caption:  # fmt: skip
        t = gettext_for(job.lang)
        details = t(texts.CAPTION_CLIP_DETAILS if clip else texts.CAPTION_DETAILS).format(
            quality=t(texts.QUALITY_NAMES[job.prefs.quality]),
            strength=round(job.prefs.strength * 100),
            width=event.width, height=event.height,
            seconds=texts.duration(event.seconds or 0.0, t),
            length=texts.duration(clip.duration or 0.0, t) if clip else "",
            frames=clip.frames if clip else 0,
        )  # fmt: skip
        details += t(texts.CAPTION_KEEP_COLORS) if job.prefs.preserve_colors else ""
        details += t(texts.CAPTION_EARLY) if event.finished is False else ""
        text = f"{name}\n{details}"
        if job.slug is None or not bot_username:
            return cls(text)
        link_text = t(texts.SHARE_STYLE)
        link = MessageEntity(
            MessageEntityType.TEXT_LINK, utf16_len(text) + 1, utf16_len(link_text),
            url=artist_link(bot_username, job.slug),
        )  # fmt: skip
        return cls(f"{text}\n{link_text}", (link,))


class Pictures:
    def __init__(self, bot: Bot, catalog: Catalog, service: JobService) -> None:
        self.bot, self.catalog, self.service = bot, catalog, service

    async def deliver(self, job: Tracked, event: Event) -> None:
        """The photo with its buttons (a file when Telegram would refuse the photo), and
        the file too when the person sent theirs as a file."""
        if job.kind == "suggest":
            await suggestions.send_sheet(self.bot, self.service, job, event)
            return
        if job.kind == "video":
            await self._send_clip(job, event)
            return
        data = await self.service.blob(event.blob or "")
        image = await asyncio.to_thread(_open_result, data)
        caption = Caption.of(job, event, style_name(job, self.catalog), self.bot.username)
        keyboard = result_keyboard(job.id, job.prefs, job.lang)
        photo = await asyncio.to_thread(media.encode_photo, image)
        as_photo = media.fits_photo(image.width, image.height, len(photo))
        if as_photo:
            try:
                await self.bot.send_photo(
                    job.chat_id, photo, caption=caption.text,
                    caption_entities=caption.entities or None, reply_markup=keyboard,
                    reply_to_message_id=job.reply_to,
                )  # fmt: skip
            except BadRequest as exc:  # Telegram has more photo rules than we check
                log.warning("job %s: photo refused (%s), sending a file instead", job.id, exc)
                as_photo = False
        if not as_photo:
            await self._send_file(job, image, caption, keyboard)
        elif job.content.as_document:
            await self.send_full_quality(job, image, job.reply_to)

    async def _send_clip(self, job: Tracked, event: Event) -> None:
        """The MP4: a video with sound, or an animation (no sound), with its caption."""
        record = await self.service.get(job.id)
        clip = record.result
        if clip is None:
            raise BlobMissing(event.blob or job.id)
        data = await self.service.blob(clip.blob)
        caption = Caption.of(job, event, style_name(job, self.catalog), self.bot.username, clip)
        video = InputFile(data, filename=self._file_name(job, "mp4"))
        common: dict[str, Any] = {
            "caption": caption.text, "caption_entities": caption.entities or None,
            "reply_markup": result_keyboard(job.id, job.prefs, job.lang, clip=True),
            "reply_to_message_id": job.reply_to, "width": clip.width, "height": clip.height,
            "duration": max(1, round(clip.duration or 0.0)),
        }  # fmt: skip
        if clip.kind == "animation":
            await self.bot.send_animation(job.chat_id, video, **common)
        else:
            await self.bot.send_video(job.chat_id, video, supports_streaming=True, **common)

    async def _send_file(
        self, job: Tracked, image: Image.Image, caption: Caption, keyboard: InlineKeyboardMarkup
    ) -> None:
        data, ext = await asyncio.to_thread(media.encode_document, image)
        await self.bot.send_document(
            job.chat_id, InputFile(data, filename=self._file_name(job, ext)),
            caption=caption.text, caption_entities=caption.entities or None,
            reply_markup=keyboard, reply_to_message_id=job.reply_to,
        )  # fmt: skip

    async def send_full_quality(self, job: AnyJob, image: Image.Image, reply_to: int) -> None:
        """The uncompressed file, after the photo; never raises (the photo has arrived)."""
        try:
            data, ext = await asyncio.to_thread(media.encode_document, image)
            await self.bot.send_document(
                job.chat_id, InputFile(data, filename=self._file_name(job, ext)),
                caption=gettext_for(job.lang)(texts.FULL_QUALITY_FILE),
                reply_to_message_id=reply_to,
            )  # fmt: skip
        except TelegramError as exc:
            log.warning("job %s: full-quality file not sent: %r", job.id, exc)

    async def result_image(self, job_id: str) -> Image.Image | None:
        """A finished job's picture while the job service still keeps it (RESULT_TTL)."""
        try:
            record = await self.service.get(job_id)
            if record.result is None:
                return None
            data = await self.service.blob(record.result.blob)
        except (UnknownJob, BlobMissing):
            return None
        return await asyncio.to_thread(_open_result, data)

    @staticmethod
    def _file_name(job: AnyJob, ext: str) -> str:
        return f"{job.slug or 'styled'}-{job.id[:8]}.{ext}"
