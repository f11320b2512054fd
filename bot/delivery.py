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
import hashlib
import hmac
import logging
import time

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot import texts
from bot.codes import text_for
from bot.i18n import DEFAULT, Gettext, gettext_for
from bot.keyboards import job_keyboard
from bot.models import AnyJob, Tracked
from bot.pictures import Pictures, style_name
from bot.previews import Preview
from bot.settings import Settings
from bot.store import Store
from jobs import Event, JobService, UnknownJob
from jobs.blobs import BlobMissing
from jobs.errors import ErrorCode
from jobs.throttle import Throttle
from styles.catalog import Catalog

log = logging.getLogger(__name__)

CLIENT = "telegram"
# Telegram allows about 20 messages a minute in a group; progress edits and previews must not
# eat them all.
GROUP_INTERVAL = 6.0
RECONNECT_DELAY = 5.0  # the job service is out of reach (a broker restart, say)


def status_text(job: AnyJob, catalog: Catalog, line: str) -> str:
    """A job's progress message: what it paints, then how far it is (`line`, translated)."""
    return f"{style_name(job, catalog)}\n{line}"


def progress_text(event: Event, t: Gettext) -> str:
    percent = min(99, int((event.fraction or 0.0) * 100))
    if event.eta is None:
        return t(texts.PROGRESS).format(percent=percent)
    return t(texts.PROGRESS_ETA).format(percent=percent, eta=texts.duration(event.eta, t))


def failure_text(event: Event, language: str) -> str:
    """Why a job made no picture, in words for a person. A picture the engine can't read
    keeps the engine's sentence (written for people: "too small (1×1)") where it exists in
    the reader's language."""
    t = gettext_for(language)
    if event.code == ErrorCode.GAVE_UP:
        return t(texts.GAVE_UP).format(attempts=event.attempt or 1)
    if event.code == ErrorCode.BAD_INPUT and event.message:
        said = t(event.message)
        if said != event.message or language == DEFAULT:
            return said
    return t(text_for(event.code))


def _kind(job: Tracked) -> str:
    if job.kind != "image":
        return job.kind
    return "gallery" if job.slug else "own-style"


def user_hash(user_id: int, key: str) -> str:
    """A stable pseudonym for logs: keyed (by the token), so it can't be reversed by trying
    every user id."""
    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:12]


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
        self.pictures = Pictures(bot, catalog, service)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._followed: dict[str, Tracked] = {}

    def follow(self, job: Tracked) -> None:
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
                self.follow(Tracked.of(record))
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
                await self._show(job, texts.PAUSED_FOR_RESTART, job_keyboard(job.id, job.lang))

    # -- following one job --------------------------------------------------------------------

    async def _follow(self, job: Tracked) -> None:
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

    async def _follow_events(self, job: Tracked) -> None:
        group = job.chat_id < 0
        edits = Throttle(max(self.settings.progress_interval, GROUP_INTERVAL if group else 0.0))
        shown = ""
        preview = Preview(
            self.bot, self.service, job, enabled=self.settings.bot_previews,
            interval=GROUP_INTERVAL if group else 0.0,  # the service throttles them already
        )  # fmt: skip
        async for event in self.service.events(job.id):
            if event.is_end:
                await preview.remove()
                await self._end(job, event)
                return
            text = self._line(event, gettext_for(job.lang))
            try:
                if event.type == "preview":
                    await preview.show(event)
                if text is None or text == shown:
                    continue
                if event.type == "progress" and not edits.ready():
                    continue
                await self._show(job, text, job_keyboard(job.id, job.lang), translated=True)
            except Forbidden:  # the person blocked the bot: stop working for nobody
                await self.service.cancel(job.id)
            shown = text or shown
            edits.mark()

    def _line(self, event: Event, t: Gettext) -> str | None:
        if event.type == "queued":
            if event.attempt:  # back in the queue after a failed run
                return t(texts.RETRYING)
            if not event.position:  # a worker is free: it starts now
                return None
            return t(texts.QUEUED).format(position=event.position)
        if event.type == "started":
            return t(texts.PREPARING)
        if event.type == "progress":
            return progress_text(event, t)
        return None  # previews go to their own photo (bot/previews.py)

    async def _end(self, job: Tracked, event: Event) -> None:
        if event.type == "done":
            await self._deliver_with_retries(job, event)
        elif event.type == "cancelled":
            await self.tell(job, texts.JOB_CANCELLED)
        else:
            await self.tell(job, failure_text(event, job.lang), translated=True)
        await self.service.settle(job.id)
        self._log_end(job, event)

    def _log_end(self, job: Tracked, event: Event) -> None:
        """One line per job, with nothing that identifies the person."""
        log.info(
            "job %s ended: user=%s kind=%s quality=%s seconds=%.1f outcome=%s",
            job.id, user_hash(job.user_id, self.settings.token),
            _kind(job), job.prefs.quality,
            time.time() - job.created_at, event.code or event.type,
        )  # fmt: skip

    # -- the picture --------------------------------------------------------------------------

    async def _deliver_with_retries(self, job: Tracked, event: Event) -> None:
        attempts = self.settings.job_attempts
        await self.store.save_result(job.order())  # first: its buttons may be pressed at once
        for attempt in range(1, attempts + 1):
            try:
                await self.pictures.deliver(job, event)
                await self._delete_status(job)
                return
            except (Forbidden, ChatMigrated) as exc:  # nobody to deliver to at this chat id
                log.info("job %s: its chat can't be reached (%r)", job.id, exc)
                return
            except BadRequest as exc:  # Telegram refusing: another try can't help
                log.warning("job %s: Telegram refused a request: %s", job.id, exc)
                await self.tell(job, texts.SEND_REFUSED)
                return
            except (TelegramError, BlobMissing) as exc:
                log.warning("job %s: delivery %d failed: %r", job.id, attempt, exc)
                if isinstance(exc, BlobMissing) or attempt == attempts:
                    text = gettext_for(job.lang)(texts.GAVE_UP).format(attempts=attempt)
                    await self.tell(job, text, translated=True)
                    return
                await self._show(job, texts.RETRYING, job_keyboard(job.id, job.lang))
                await asyncio.sleep(self.settings.job_retry_delay * attempt)

    # -- talking to the user ------------------------------------------------------------------

    async def status(
        self, job: AnyJob, line: str, keyboard: InlineKeyboardMarkup | None = None,
        *, translated: bool = False,
    ) -> None:  # fmt: skip
        """Show `line` (a text of bot/texts.py, or already `translated`) in the job's one
        progress message, under the style's name."""
        if job.status_message_id is None:
            return
        if not translated:
            line = gettext_for(job.lang)(line)
        text = status_text(job, self.catalog, line)
        try:
            await self.bot.edit_message_text(
                text, job.chat_id, job.status_message_id, reply_markup=keyboard
            )
        except BadRequest as exc:
            if not not_modified(exc):
                raise

    async def _show(
        self, job: AnyJob, line: str, keyboard: InlineKeyboardMarkup | None = None,
        *, translated: bool = False,
    ) -> None:  # fmt: skip
        """`status`, for news that may be lost (the person deleted the message, say)."""
        try:
            await self.status(job, line, keyboard, translated=translated)
        except Forbidden:
            raise
        except TelegramError as exc:
            log.info("job %s: status not shown: %s", job.id, exc)

    async def tell(self, job: AnyJob, text: str, *, translated: bool = False) -> None:
        """The last word on a job that produced no picture; never raises."""
        text = text if translated else gettext_for(job.lang)(text)
        try:
            await self.status(job, text, translated=True)
        except Forbidden:
            log.info("job %s: the person blocked the bot", job.id)
        except TelegramError as exc:  # the status message is gone: say it anew
            log.info("job %s: status edit failed (%s), sending instead", job.id, exc)
            try:
                await self.bot.send_message(job.chat_id, text, reply_to_message_id=job.reply_to)
            except TelegramError:
                log.warning("job %s: could not tell its chat", job.id, exc_info=True)

    async def _delete_status(self, job: Tracked) -> None:
        if job.status_message_id is None:
            return
        try:
            await self.bot.delete_message(job.chat_id, job.status_message_id)
        except TelegramError as exc:  # cosmetic: an old progress message may stay
            log.info("job %s: could not delete status message (%s)", job.id, exc)
