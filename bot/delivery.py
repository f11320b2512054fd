"""From job events to messages: the bot's side of a job in the job service.

For every job the bot made, one task follows the job's events and keeps the job's progress
message current (queue place, percent and time left, Cancel), then sends the picture or says
why there is none. Once it has, it settles the job, so after a restart the bot picks up
exactly the jobs whose end nobody has been told of yet.

Replies rely on the application's `Defaults(allow_sending_without_reply=True)` (bot/app.py):
a result still arrives when its photo was deleted meanwhile.

Sending is retried on network trouble by the application's rate limiter (bot/app.py); a
delivery that still fails is tried again after JOB_RETRY_DELAY × attempts, JOB_ATTEMPTS
times in all; the engine's work is never redone for it.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from functools import partial

from PIL import Image
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot import media, texts
from bot.keyboards import job_keyboard, result_keyboard
from bot.models import Job, job_from_json
from bot.previews import Preview
from bot.settings import Settings
from bot.store import Store
from jobs import Event, JobService, UnknownJob
from jobs.blobs import BlobMissing
from styles.catalog import Catalog

log = logging.getLogger(__name__)

CLIENT = "telegram"
# Telegram allows about 20 messages a minute in a group; progress edits must not eat them all.
GROUP_PROGRESS_INTERVAL = 6.0
RECONNECT_DELAY = 5.0  # the job service is out of reach (a broker restart, say)


def style_name(job: Job, catalog: Catalog) -> str:
    """'Vincent van Gogh — The Starry Night', or 'your style'."""
    if job.style.slug is None:
        return texts.YOUR_STYLE
    try:
        entry = catalog.get(job.style.slug)
    except KeyError:
        return job.style.slug
    return f"{entry.artist} — {entry.title}" if entry.title_verified else entry.artist


def status_text(job: Job, catalog: Catalog, line: str) -> str:
    """A job's progress message: what it paints, then how far it is."""
    return f"{style_name(job, catalog)}\n{line}"


def progress_text(event: Event) -> str:
    percent = min(99, int((event.fraction or 0.0) * 100))
    if event.eta is None:
        return texts.PROGRESS.format(percent=percent)
    return texts.PROGRESS_ETA.format(percent=percent, eta=texts.duration(event.eta))


def _open_result(data: bytes) -> Image.Image:
    """Our own PNG: none of the checks a user's upload needs (a 5×48 strip is fine here)."""
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def not_modified(exc: BadRequest) -> bool:
    """Telegram's answer to an edit that changes nothing: harmless."""
    return "not modified" in exc.message.lower()


class Deliveries:
    def __init__(
        self, bot: Bot, settings: Settings, catalog: Catalog, store: Store, service: JobService
    ) -> None:
        self.bot = bot
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.service = service
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._followed: dict[str, Job] = {}

    def follow(self, job: Job) -> None:
        if job.id in self._tasks:
            return
        self._followed[job.id] = job
        task = asyncio.create_task(self._follow(job), name=f"deliver-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda _: self._forget(job.id))

    def _forget(self, job_id: str) -> None:
        self._tasks.pop(job_id, None)
        self._followed.pop(job_id, None)

    async def resume(self) -> None:
        """Follow again every job of ours whose end has not been dealt with."""
        for record in await self.service.unsettled(CLIENT):
            try:
                self.follow(job_from_json(record.reply))
            except ValueError:  # nobody to tell: drop it, loudly
                log.error("job %s has an unreadable reply record", record.id)
                await self.service.settle(record.id)
        if self._tasks:
            log.info("following %d jobs again", len(self._tasks))

    async def stop(self, *, paused: bool) -> None:
        """Stop following; `paused`: the jobs wait for a restart, so say so."""
        waiting = list(self._followed.values())
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        if not paused:
            return
        for job in waiting:
            record = await self.service.get(job.id)
            if not record.ended:
                await self._show(job, texts.PAUSED_FOR_RESTART, job_keyboard(job.id))

    # -- following one job --------------------------------------------------------------------

    async def _follow(self, job: Job) -> None:
        while True:
            try:
                await self._follow_events(job)
                return
            except UnknownJob:
                log.info("job %s is gone (expired)", job.id)
                return
            except (ConnectionError, OSError) as exc:  # the broker is restarting, say
                log.warning("job %s: events interrupted (%r); reconnecting", job.id, exc)
                await asyncio.sleep(RECONNECT_DELAY)
            except Exception:  # a bug: say so once rather than go quiet
                log.exception("job %s: delivery crashed", job.id)
                await self.tell(job, texts.SOMETHING_WRONG)
                await self.service.settle(job.id)
                return

    async def _follow_events(self, job: Job) -> None:
        interval = self.settings.progress_interval
        if job.chat_id < 0:
            interval = max(interval, GROUP_PROGRESS_INTERVAL)
        shown, last_edit = "", 0.0
        preview = Preview(self.bot, self.service, job, enabled=self.settings.bot_previews)
        async for event in self.service.events(job.id):
            if event.is_end:
                await preview.remove()
                await self._end(job, event)
                return
            text = self._line(event)
            try:
                if event.type == "preview":
                    await preview.show(event)
                if text is None or text == shown:
                    continue
                if event.type == "progress" and time.monotonic() - last_edit < interval:
                    continue
                await self._show(job, text, job_keyboard(job.id))
            except Forbidden:  # the person blocked the bot: stop working for nobody
                await self.service.cancel(job.id)
            shown, last_edit = text or shown, time.monotonic()

    def _line(self, event: Event) -> str | None:
        if event.type == "queued":
            if event.attempt:  # back in the queue after a failed run
                return texts.RETRYING
            if not event.position:  # a worker is free: it starts now
                return None
            return texts.QUEUED.format(position=event.position)
        if event.type == "started":
            return texts.PREPARING
        if event.type == "progress":
            return progress_text(event)
        return None  # previews go to their own photo (bot/previews.py)

    async def _end(self, job: Job, event: Event) -> None:
        if event.type == "done":
            await self._deliver_with_retries(job, event)
        elif event.type == "cancelled":
            await self.tell(job, texts.JOB_CANCELLED)
        elif event.code == "gave_up":
            await self.tell(job, texts.GAVE_UP.format(attempts=event.attempt))
        else:
            await self.tell(job, event.message or texts.SOMETHING_WRONG)
        await self.service.settle(job.id)

    # -- the picture --------------------------------------------------------------------------

    async def _deliver_with_retries(self, job: Job, event: Event) -> None:
        attempts = self.settings.job_attempts
        await self.store.save_result(job)  # first: its buttons may be pressed at once
        for attempt in range(1, attempts + 1):
            try:
                await self._deliver(job, event)
                return
            except (Forbidden, ChatMigrated) as exc:  # nobody to deliver to at this chat id
                log.info("job %s: chat %s can't be reached (%r)", job.id, job.chat_id, exc)
                return
            except BadRequest as exc:  # Telegram refusing: another try can't help
                log.warning("job %s: Telegram refused a request: %s", job.id, exc)
                await self.tell(job, texts.SEND_REFUSED)
                return
            except (TelegramError, BlobMissing) as exc:
                log.warning("job %s: delivery %d failed: %r", job.id, attempt, exc)
                if isinstance(exc, BlobMissing) or attempt == attempts:
                    await self.tell(job, texts.GAVE_UP.format(attempts=attempt))
                    return
                await self._show(job, texts.RETRYING, job_keyboard(job.id))
                await asyncio.sleep(self.settings.job_retry_delay * attempt)

    async def _deliver(self, job: Job, event: Event) -> None:
        data = await self.service.blob(event.blob or "")
        image = await asyncio.to_thread(_open_result, data)
        caption = texts.CAPTION.format(
            style=style_name(job, self.catalog), width=image.width, height=image.height,
            seconds=texts.duration(event.seconds or 0.0),
        ) + ("" if event.finished is not False else texts.CAPTION_EARLY)  # fmt: skip
        keyboard = result_keyboard(job.id, job.prefs)
        photo = await asyncio.to_thread(media.encode_photo, image)
        as_photo = media.fits_photo(image.width, image.height, len(photo))
        if as_photo:
            try:
                await self._send_photo(job, photo, caption, keyboard)
            except BadRequest as exc:  # Telegram has more photo rules than we check
                log.warning("job %s: photo refused (%s), sending a file instead", job.id, exc)
                as_photo = False
        if job.content.as_document or not as_photo:
            await self._send_file(job, image, caption, keyboard, as_photo=as_photo)
        await self._delete_status(job)

    async def _send_file(
        self, job: Job, image: Image.Image, caption: str, keyboard: InlineKeyboardMarkup,
        *, as_photo: bool,
    ) -> None:  # fmt: skip
        data, ext = await asyncio.to_thread(partial(media.encode_document, image))
        name = f"{job.style.slug or 'styled'}-{job.id[:8]}.{ext}"
        try:
            await self.bot.send_document(
                job.chat_id, InputFile(data, filename=name),
                caption=texts.FULL_QUALITY_FILE if as_photo else caption,
                reply_markup=None if as_photo else keyboard, reply_to_message_id=job.reply_to,
            )  # fmt: skip
        except TelegramError as exc:
            if not as_photo:
                raise  # nothing has arrived yet: the delivery failed
            # The picture has arrived; trying again would send it twice.
            log.warning("job %s: full-quality file not sent: %r", job.id, exc)

    async def _send_photo(
        self, job: Job, photo: bytes, caption: str, keyboard: InlineKeyboardMarkup
    ) -> None:
        await self.bot.send_photo(
            job.chat_id, photo, caption=caption, reply_markup=keyboard,
            reply_to_message_id=job.reply_to,
        )  # fmt: skip

    # -- talking to the user ------------------------------------------------------------------

    async def status(
        self, job: Job, line: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """Show `line` in the job's one progress message (under the style's name)."""
        if job.status_message_id is None:
            return
        text = status_text(job, self.catalog, line)
        try:
            await self.bot.edit_message_text(
                text, job.chat_id, job.status_message_id, reply_markup=keyboard
            )
        except BadRequest as exc:
            if not not_modified(exc):
                raise

    async def _show(
        self, job: Job, line: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """`status`, for news that may be lost (the person deleted the message, say)."""
        try:
            await self.status(job, line, keyboard)
        except Forbidden:
            raise
        except TelegramError as exc:
            log.info("job %s: status not shown: %s", job.id, exc)

    async def tell(self, job: Job, text: str) -> None:
        """The last word on a job that produced no picture; never raises."""
        try:
            await self.status(job, text)
        except Forbidden:
            log.info("job %s: chat %s blocked the bot", job.id, job.chat_id)
        except TelegramError as exc:  # the status message is gone: say it anew
            log.info("job %s: status edit failed (%s), sending instead", job.id, exc)
            try:
                await self.bot.send_message(job.chat_id, text, reply_to_message_id=job.reply_to)
            except TelegramError:
                log.warning("job %s: could not tell chat %s", job.id, job.chat_id, exc_info=True)

    async def _delete_status(self, job: Job) -> None:
        if job.status_message_id is None:
            return
        try:
            await self.bot.delete_message(job.chat_id, job.status_message_id)
        except TelegramError as exc:  # cosmetic: an old progress message may stay
            log.info("job %s: could not delete status message (%s)", job.id, exc)
