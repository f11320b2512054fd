"""Preferences steps and the drafts table."""

from __future__ import annotations

import pytest

from bot.drafts import Draft, Drafts
from bot.models import Photo, Prefs, Style


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


def test_style_is_a_slug_a_photo_or_the_whole_gallery() -> None:
    assert Style().whole_gallery  # a suggestion: every painting tried
    assert not Style(slug="munch").whole_gallery and not Style(photo=Photo("x")).whole_gallery
    with pytest.raises(ValueError):
        Style(slug="munch", photo=Photo("x"))


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
