"""Preferences steps, the bot's side of a job, and the drafts table."""

from __future__ import annotations

import json

import pytest

from bot.drafts import Draft, Drafts
from bot.models import Order, Photo, Prefs, Ticket, Tracked
from engine import StyleParams
from jobs import Job, Owner, StyleSource


def test_prefs_steps_stop_at_the_ends() -> None:
    prefs = Prefs(quality="fast", strength=0.5)
    stronger = prefs.stronger()
    assert stronger is not None and stronger.strength == 0.75
    top = Prefs(strength=1.0)
    assert top.stronger() is None and top.weaker() == Prefs(strength=0.75)
    assert Prefs(strength=0.0).weaker() is None
    assert prefs.higher_quality() == Prefs(quality="balanced", strength=0.5)
    assert Prefs(quality="high").higher_quality() is None
    assert prefs.toggled_colors().preserve_colors
    assert Prefs(strength=0.6).strength_name is None and Prefs().strength_name == "normal"


def test_an_order_is_a_painting_a_photo_or_the_whole_gallery() -> None:
    ticket = Ticket(1, 1, "Ann", 2, Photo("c"))
    assert Order(ticket, None, Prefs()).kind == "suggest"  # every painting tried
    assert Order(ticket, "munch", Prefs()).kind == "image"
    assert Order(Ticket(1, 1, "Ann", 2, Photo("c"), Photo("s")), None, Prefs()).kind == "image"
    assert Order(Ticket(1, 1, "Ann", 2, Photo("v", clip=True)), "munch", Prefs()).kind == "video"
    with pytest.raises(ValueError):
        Order(Ticket(1, 1, "Ann", 2, Photo("c"), Photo("s")), "munch", Prefs())


def test_a_followed_job_reads_its_painting_and_choices_from_the_service() -> None:
    """The ticket travels in the job's reply; the rest is the service's record."""
    ticket = Ticket(-5, 1, "Ann", 10, Photo("c"), status_message_id=11, lang="ru")
    params = StyleParams(quality="high", strength=0.75, preserve_colors=True, size=48)
    record = Job(Owner("telegram", "1"), "blob", StyleSource("munch"), params,
                 reply=ticket.to_json())  # fmt: skip
    tracked = Tracked.of(record)
    assert tracked.ticket == ticket and (tracked.chat_id, tracked.lang) == (-5, "ru")
    assert tracked.prefs == Prefs("high", 0.75, True) and tracked.slug == "munch"
    again = tracked.order()
    assert again.id == record.id and again.status_message_id is None  # a re-run's own message
    assert again.prefs == tracked.prefs and again.kind == "image"


def test_a_ticket_of_the_previous_version_still_reads() -> None:
    """Jobs queued before an upgrade carry the old record in their reply."""
    old = {
        "chat_id": 7, "user_id": 7, "user_name": "Bob", "reply_to": 3,
        "content": {"file_id": "c", "as_document": False, "file_size": None, "clip": False},
        "style": {"slug": None, "photo": {"file_id": "s", "as_document": False,
                                          "file_size": None, "clip": False}},
        "prefs": {"quality": "fast", "strength": 0.5, "preserve_colors": False},
        "status_message_id": 9, "id": "abc", "created_at": 1.0, "lang": "ru",
    }  # fmt: skip
    ticket = Ticket.from_json(json.dumps(old))
    assert ticket == Ticket(7, 7, "Bob", 3, Photo("c"), Photo("s"), 9, "ru")
    with pytest.raises(ValueError):
        Ticket.from_json('{"chat_id": 1}')


def test_drafts_are_per_chat_and_user() -> None:
    drafts = Drafts()
    ann_group = drafts.start(Draft(-5, 1, "Ann", Photo("a"), 10))
    bob_group = drafts.start(Draft(-5, 2, "Bob", Photo("b"), 11))
    ann_private = drafts.start(Draft(1, 1, "Ann", Photo("c"), 3))
    assert drafts.get(-5, 1) is ann_group and drafts.get(-5, 2) is bob_group
    assert drafts.get(1, 1) is ann_private and len(drafts) == 3
    newer = drafts.start(Draft(-5, 1, "Ann", Photo("d"), 12))
    assert drafts.by_id(ann_group.id) is None  # replaced: its menu has expired
    assert drafts.by_id(newer.id) is newer
    drafts.drop(newer)
    assert drafts.get(-5, 1) is None and drafts.by_id(newer.id) is None


def test_drafts_expire() -> None:
    drafts = Drafts(ttl=-1.0)  # everything is already too old
    draft = drafts.start(Draft(1, 1, "Ann", Photo("a"), 1))
    assert drafts.get(1, 1) is None and drafts.by_id(draft.id) is None
