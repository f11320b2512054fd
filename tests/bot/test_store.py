"""The SQLite store: preferences and results survive a restart."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.drafts import DRAFT_TTL, Draft, Drafts
from bot.models import Order, Photo, Prefs, Ticket
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
    gallery = Order(
        Ticket(-5, 1, "Ann", 10, Photo("content-1", as_document=True), status_message_id=11),
        "munch", Prefs("fast", 0.75, False),
    )  # fmt: skip
    own = Order(Ticket(7, 7, "Bob", 3, Photo("content-2"), Photo("style-2")), None, Prefs())
    store = Store(path)
    await store.save_result(gallery)
    await store.save_result(own)
    store.close()

    reopened = Store(path)
    found = await reopened.result(gallery.id)
    assert found == gallery
    assert (found.chat_id, found.user_id, found.user_name, found.reply_to) == (-5, 1, "Ann", 10)
    assert found.kind == "image" and found.slug == "munch"
    mine = await reopened.result(own.id)
    assert mine is not None and mine.ticket.style_photo == Photo("style-2")
    assert mine.kind == "image"
    assert await reopened.result("nope") is None
    reopened.close()


def test_drafts_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    drafts = Drafts(Store(path))
    kept = drafts.start(Draft(7, 7, "Ann", Photo("c", as_document=True, file_size=10), 3))
    kept.awaiting_photo, kept.menu_message_id = True, 44
    drafts.save(kept)
    dropped = drafts.start(Draft(8, 8, "Bob", Photo("d"), 4))
    drafts.drop(dropped)
    drafts.close()  # as the bot does when it stops: the writes on their way are done

    reopened = Drafts(Store(path))
    again = reopened.by_id(kept.id)
    assert again is not None and replace(again, touched=kept.touched) == kept  # every field
    assert reopened.get(8, 8) is None and len(reopened) == 1


def test_expired_and_unreadable_drafts_are_not_loaded(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    old = Draft(7, 7, "Ann", Photo("c"), 3, touched=time.time() - DRAFT_TTL - 1)
    store.put_draft(old.id, old.to_json(), old.touched)
    store.put_draft("bad", '{"chat_id": 1}', time.time())
    assert len(Drafts(store)) == 0


async def test_results_of_an_older_version_are_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The old results table (a column per field) goes, with a log line; its re-runs have
    expired. Everything else stays."""
    path = tmp_path / "bot.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE results (id TEXT PRIMARY KEY, chat_id INTEGER NOT NULL, user_id INTEGER"
        " NOT NULL, user_name TEXT NOT NULL, reply_to INTEGER NOT NULL, content_file_id TEXT"
        " NOT NULL, content_as_document INTEGER NOT NULL, style_slug TEXT, style_file_id TEXT,"
        " quality TEXT NOT NULL, strength REAL NOT NULL, preserve_colors INTEGER NOT NULL,"
        " created_at REAL NOT NULL)"
    )
    old.execute("INSERT INTO results VALUES ('old', 1, 1, 'Ann', 2, 'photo-1', 0, 'munch',"
                " NULL, 'fast', 0.5, 0, ?)", (time.time(),))  # fmt: skip
    old.execute("CREATE TABLE languages (user_id INTEGER PRIMARY KEY, language TEXT NOT NULL)")
    old.execute("INSERT INTO languages VALUES (1, 'ru')")
    old.commit()
    old.close()
    with caplog.at_level(logging.INFO, logger="bot.store"):
        store = Store(path)
    assert "dropped 1 results" in caplog.text
    assert await store.result("old") is None and await store.language(1) == "ru"
    clip = Order(Ticket(1, 1, "Ann", 3, Photo("video-1", clip=True)), "munch", Prefs("instant"))
    await store.save_result(clip)
    store.close()
    reopened = Store(path)
    again = await reopened.result(clip.id)
    assert again == clip and again.kind == "video"
    reopened.close()
