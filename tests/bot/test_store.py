"""The SQLite store: preferences and results survive a restart."""

from __future__ import annotations

from pathlib import Path

from bot.models import Job, Photo, Prefs, Style
from bot.store import Store


async def test_prefs_round_trip_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    default = Prefs(quality="fast")
    store = Store(path)
    assert await store.prefs(1, default) == default
    await store.save_prefs(1, Prefs(quality="high", strength=0.75, preserve_colors=True))
    await store.save_prefs(2, Prefs(quality="balanced"))
    await store.save_prefs(1, Prefs(quality="high", strength=0.25, preserve_colors=True))
    store.close()

    reopened = Store(path)
    assert await reopened.prefs(1, default) == Prefs("high", 0.25, True)
    assert await reopened.prefs(2, default) == Prefs("balanced")
    assert await reopened.prefs(3, default) == default
    reopened.close()


async def test_results_round_trip_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    gallery = Job(-5, 1, "Ann", 10, Photo("content-1", as_document=True), Style(slug="munch"),
                  Prefs("fast", 0.75, False), status_message_id=11)  # fmt: skip
    own = Job(7, 7, "Bob", 3, Photo("content-2"), Style(photo=Photo("style-2")), Prefs())
    store = Store(path)
    await store.save_result(gallery)
    await store.save_result(own)
    store.close()

    reopened = Store(path)
    found = await reopened.result(gallery.id)
    assert found is not None
    assert (found.chat_id, found.user_id, found.user_name, found.reply_to) == (-5, 1, "Ann", 10)
    assert found.content == Photo("content-1", as_document=True)
    assert found.style == Style(slug="munch") and found.prefs == gallery.prefs
    assert found.status_message_id is None  # a re-run gets its own progress message
    mine = await reopened.result(own.id)
    assert mine is not None and mine.style == Style(photo=Photo("style-2"))
    assert await reopened.result("nope") is None
    reopened.close()


def test_job_journal_round_trip_and_attempts(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    own = Job(7, 7, "Ann", 3, Photo("c", file_size=10), Style(photo=Photo("s", as_document=True)),
              Prefs("high", 0.75, True), status_message_id=44)  # fmt: skip
    gallery = Job(8, 8, "Bob", 4, Photo("d"), Style(slug="munch"), Prefs())
    journal = Store(path).jobs
    journal.add(own)
    journal.add(gallery)
    assert journal.started(own.id) == 1
    journal.stopped(own.id, counts=True)  # failed: the attempt counts
    assert journal.started(own.id) == 2
    journal.stopped(own.id, counts=False)  # interrupted by a restart: it doesn't
    journal.started(gallery.id)

    reopened = Store(path).jobs
    pending = reopened.pending()
    assert [p.job for p in pending] == [own, gallery]  # every field, in queue order
    assert [(p.attempts, p.was_running) for p in pending] == [(1, False), (1, True)]
    reopened.remove(own.id)
    assert [p.job for p in reopened.pending()] == [gallery]


def test_an_unreadable_job_record_is_dropped(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    store.jobs.add(Job(8, 8, "Bob", 4, Photo("d"), Style(slug="munch"), Prefs()))
    store._run("INSERT INTO jobs (id, body) VALUES ('bad', '{\"chat_id\": 1}')")
    assert [p.job.user_id for p in store.jobs.pending()] == [8]
    assert len(store._run("SELECT id FROM jobs")) == 1
