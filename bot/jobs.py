"""What a job does when its turn comes: download, stylise off the event loop, report, deliver.

The engine is synchronous and CPU-heavy, so decoding and stylising run in one dedicated
worker thread. Progress crosses back by a plain attribute the event loop reads every
PROGRESS_INTERVAL seconds, which also keeps message edits within Telegram's limits.

Bot API calls are retried on network errors by the application's rate limiter (bot/app.py),
so nothing here retries them again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from PIL import Image
from telegram import Bot, InlineKeyboardMarkup, InputFile, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
)

from bot import media, texts
from bot.keyboards import job_keyboard, result_keyboard
from bot.models import Job, Photo
from bot.settings import Settings
from bot.store import Store
from bot.worker import Outcome, RunningJob
from engine import Cancelled, EngineError, Progress, StyleParams, StyleResult, decode_image, stylize
from styles.catalog import Catalog

log = logging.getLogger(__name__)

T = TypeVar("T")

# Telegram allows about 20 messages a minute in a group; progress edits must not eat them all.
GROUP_PROGRESS_INTERVAL = 6.0


class JobFailed(Exception):
    """A job that can't go on, with the sentence to tell the user."""


@dataclass
class _Latest:
    progress: Progress | None = None  # written by the engine thread, read by the loop


def style_name(job: Job, catalog: Catalog) -> str:
    """'Vincent van Gogh — The Starry Night', or 'your style'."""
    if job.style.slug is None:
        return texts.YOUR_STYLE
    try:
        entry = catalog.get(job.style.slug)
    except KeyError:
        return job.style.slug
    return f"{entry.artist} — {entry.title}" if entry.title_verified else entry.artist


def progress_text(progress: Progress) -> str:
    percent = min(99, int(progress.fraction * 100))
    if progress.eta is None:
        return texts.PROGRESS.format(percent=percent)
    return texts.PROGRESS_ETA.format(percent=percent, eta=texts.duration(progress.eta))


class StyleJobs:
    """The queue's JobHandler for style transfer jobs."""

    def __init__(self, bot: Bot, settings: Settings, catalog: Catalog, store: Store) -> None:
        self.bot = bot
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self._engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")

    def close(self) -> None:
        self._engine.shutdown(wait=True, cancel_futures=True)

    # -- JobHandler -------------------------------------------------------------------------

    async def run(self, running: RunningJob) -> Outcome:
        job = running.job
        try:
            await self._show(job, texts.PREPARING, job_keyboard(job.id))
            content, style = await self._load_inputs(running)
            result = await self._stylize(running, content, style)
            await self._deliver(job, result)
        except Cancelled:
            if running.reason == "shutdown":
                return "failed"  # the queue keeps it for after the restart
            await self.tell(job, texts.JOB_CANCELLED)
        except (JobFailed, EngineError) as exc:
            log.info("job %s refused: %s", job.id, exc)
            await self.tell(job, str(exc))
        except (Forbidden, ChatMigrated) as exc:  # nobody to deliver to at this chat id
            log.info("job %s: chat %s can't be reached (%r), skipped", job.id, job.chat_id, exc)
        except BadRequest as exc:  # Telegram refusing a request: another run can't help
            log.warning("job %s: Telegram refused a request: %s", job.id, exc)
            await self.tell(job, texts.SEND_REFUSED)
        except Exception as exc:  # Telegram out of reach (after retries), or a bug
            return await self._failed(running, exc)
        return "done"

    async def _failed(self, running: RunningJob, exc: Exception) -> Outcome:
        job = running.job
        if running.reason == "user":  # cancelled while it failed: no second run
            await self.tell(job, texts.JOB_CANCELLED)
            return "done"
        if isinstance(exc, NetworkError):
            log.warning("job %s: attempt %d failed: %r", job.id, running.attempt, exc)
        else:
            log.error("job %s: attempt %d failed", job.id, running.attempt, exc_info=exc)
        return "failed"

    async def moved(self, job: Job, position: int) -> None:
        if position > 0:
            await self._show(job, texts.QUEUED.format(position=position), job_keyboard(job.id))

    async def paused(self, job: Job) -> None:
        await self._show(job, texts.PAUSED_FOR_RESTART, job_keyboard(job.id))

    async def retrying(self, job: Job, attempt: int) -> None:
        await self._show(job, texts.RETRYING, job_keyboard(job.id))

    async def gave_up(self, job: Job, attempts: int) -> None:
        await self.tell(job, texts.GAVE_UP.format(attempts=attempts))

    # -- the steps --------------------------------------------------------------------------

    async def _load_inputs(self, running: RunningJob) -> tuple[Image.Image, Image.Image]:
        job = running.job
        content = await self._fetch_image(job.content, running.workdir / "content")
        if job.style.photo is not None:
            return content, await self._fetch_image(job.style.photo, running.workdir / "style")
        try:
            path = self.catalog.get(job.style.slug or "").path
        except KeyError:
            raise JobFailed(texts.STYLE_GONE) from None
        return content, await self._in_engine_thread(partial(decode_image, path))

    async def _fetch_image(self, photo: Photo, dest: Path) -> Image.Image:
        limit = self.settings.max_input_bytes
        try:
            await media.download(self.bot, photo, dest, max_bytes=limit)
        except media.FileTooBig:
            raise JobFailed(texts.FILE_TOO_BIG.format(mb=self.settings.max_input_mb)) from None
        except (BadRequest, InvalidToken) as exc:  # a file that is gone comes back as 404
            log.warning("download of %s refused: %r", photo.file_id, exc)
            raise JobFailed(texts.DOWNLOAD_FAILED) from None
        return await self._in_engine_thread(partial(decode_image, dest, max_bytes=limit))

    def params(self, job: Job) -> StyleParams:
        s, prefs = self.settings, job.prefs
        return StyleParams(
            quality=prefs.quality, size=s.engine_size, steps=s.engine_steps,
            strength=prefs.strength, preserve_colors=prefs.preserve_colors,
            device=s.engine_device,
        )  # fmt: skip

    async def _stylize(
        self, running: RunningJob, content: Image.Image, style: Image.Image
    ) -> StyleResult:
        job, latest = running.job, _Latest()

        def on_progress(progress: Progress) -> None:
            latest.progress = progress

        work = partial(
            stylize, content, [style], self.params(job), on_progress=on_progress,
            should_cancel=running.should_cancel, time_budget=self.settings.job_time_budget,
        )  # fmt: skip
        future = asyncio.get_running_loop().run_in_executor(self._engine, work)
        try:
            await self._report_progress(job, future, latest)
        except BaseException:  # e.g. the user blocked the bot: stop working for nobody
            running.cancel_event.set()
            await asyncio.wait([future])
            raise
        return future.result()

    async def _report_progress(
        self, job: Job, future: asyncio.Future[StyleResult], latest: _Latest
    ) -> None:
        interval = self.settings.progress_interval
        if job.chat_id < 0:
            interval = max(interval, GROUP_PROGRESS_INTERVAL)
        shown = ""
        while not future.done():
            await asyncio.wait([future], timeout=interval)
            text = progress_text(latest.progress) if latest.progress else ""
            if future.done() or not text or text == shown:
                continue
            try:
                await self.status(job, text, job_keyboard(job.id))
                shown = text
            except Forbidden:
                raise
            except TelegramError as exc:  # progress is cosmetic; the picture matters
                log.info("job %s: progress edit failed: %s", job.id, exc)

    async def _deliver(self, job: Job, result: StyleResult) -> None:
        await self.store.save_result(job)
        image = result.image
        caption = texts.CAPTION.format(
            style=style_name(job, self.catalog), width=image.width, height=image.height,
            seconds=texts.duration(result.seconds),
        ) + ("" if result.finished else texts.CAPTION_EARLY)  # fmt: skip
        keyboard = result_keyboard(job.id, job.prefs)
        photo = await self._in_engine_thread(partial(media.encode_photo, image))
        as_photo = media.fits_photo(image.width, image.height, len(photo))
        if as_photo:
            try:
                await self._send_photo(job, photo, caption, keyboard)
            except BadRequest as exc:  # Telegram has more photo rules than we check
                log.warning("job %s: photo refused (%s), sending a file instead", job.id, exc)
                as_photo = False
        if job.content.as_document or not as_photo:
            data, ext = await self._in_engine_thread(partial(media.encode_document, image))
            name = f"{job.style.slug or 'styled'}-{job.id}.{ext}"
            try:
                await self._send_document(
                    job, data, name, texts.FULL_QUALITY_FILE if as_photo else caption,
                    None if as_photo else keyboard,
                )  # fmt: skip
            except TelegramError as exc:
                if not as_photo:
                    raise  # nothing has arrived yet: the job failed
                # The picture has arrived; running the job again would send it twice.
                log.warning("job %s: full-quality file not sent: %r", job.id, exc)
        await self._delete_status(job)

    # -- talking to the user ----------------------------------------------------------------

    def _reply(self, job: Job) -> ReplyParameters:
        return ReplyParameters(job.reply_to, allow_sending_without_reply=True)

    async def _send_photo(
        self, job: Job, photo: bytes, caption: str, keyboard: InlineKeyboardMarkup
    ) -> None:
        await self.bot.send_photo(
            job.chat_id, photo, caption=caption, reply_markup=keyboard,
            reply_parameters=self._reply(job),
        )  # fmt: skip

    async def _send_document(
        self, job: Job, data: bytes, name: str, caption: str,
        keyboard: InlineKeyboardMarkup | None,
    ) -> None:  # fmt: skip
        await self.bot.send_document(
            job.chat_id, InputFile(data, filename=name), caption=caption,
            reply_markup=keyboard, reply_parameters=self._reply(job),
        )  # fmt: skip

    async def status(
        self, job: Job, line: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """Show `line` in the job's one progress message (under the style's name)."""
        if job.status_message_id is None:
            return
        text = f"{style_name(job, self.catalog)}\n{line}"
        try:
            await self.bot.edit_message_text(
                text, job.chat_id, job.status_message_id, reply_markup=keyboard
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise

    async def _show(
        self, job: Job, line: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """`status`, for news that may be lost (e.g. the person deleted the message)."""
        try:
            await self.status(job, line, keyboard)
        except BadRequest as exc:
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
                await self.bot.send_message(job.chat_id, text, reply_parameters=self._reply(job))
            except TelegramError:
                log.warning("job %s: could not tell chat %s", job.id, job.chat_id, exc_info=True)

    async def _delete_status(self, job: Job) -> None:
        if job.status_message_id is None:
            return
        try:
            await self.bot.delete_message(job.chat_id, job.status_message_id)
        except TelegramError as exc:  # cosmetic: an old progress message may stay
            log.info("job %s: could not delete status message (%s)", job.id, exc)

    async def _in_engine_thread(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._engine, work)
