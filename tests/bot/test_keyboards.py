"""Keyboards: paging of the gallery, callback data within Telegram's 64 bytes."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardMarkup

from bot import keyboards, texts
from bot.models import Prefs, new_id
from styles.catalog import default_catalog


def _data(markup: InlineKeyboardMarkup) -> list[str]:
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row]


def _texts(markup: InlineKeyboardMarkup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def test_gallery_pages_go_by_category_and_show_every_artist_once() -> None:
    catalog = default_catalog()
    entries = catalog.entries
    pages = len(keyboards.category_pages(entries))
    assert pages == sum(keyboards.page_count(len(catalog.by_category(c.slug)))
                        for c in catalog.categories())  # fmt: skip
    seen: list[str] = []
    for page in range(pages):
        markup = keyboards.artist_keyboard(entries, "d1", "en", page)
        rows = markup.inline_keyboard
        artist_rows = [r for r in rows if str(r[0].callback_data).startswith("a:")]
        assert all(len(row) <= keyboards.PER_ROW for row in artist_rows)
        slugs = [str(b.callback_data).split(":")[2] for row in artist_rows for b in row]
        [category] = {catalog.get(slug).category_info for slug in slugs}  # one category a page
        seen += slugs
        prev, here, nxt = markup.inline_keyboard[-4]
        assert (prev.text, nxt.text) == (texts.BTN_PREV, texts.BTN_NEXT)
        assert here.text == f"{category.en} · {page + 1}/{pages}"
        assert prev.callback_data == f"pg:d1:{(page - 1) % pages}"  # wraps around
        assert nxt.callback_data == f"pg:d1:{(page + 1) % pages}"
        shown = [texts.BTN_SUGGEST, texts.BTN_SHOW_PAINTINGS, texts.BTN_OWN_STYLE, texts.BTN_CANCEL]
        assert _texts(markup)[-4:] == shown
    assert sorted(seen) == sorted(e.slug for e in entries) and len(seen) == len(set(seen))


def test_small_gallery_has_no_page_buttons() -> None:
    entries = default_catalog().by_category("ukiyo-e")
    markup = keyboards.artist_keyboard(entries, "d1", "en")
    assert not any(d.startswith("pg:") for d in _data(markup))


def test_all_callback_data_fits_64_bytes() -> None:
    entries = default_catalog().entries
    draft, job = new_id(), new_id()
    markups = [
        *(keyboards.artist_keyboard(entries, draft, "ru", p) for p in range(3)),
        keyboards.suggestion_keyboard(entries, draft, "ru"),
        keyboards.job_keyboard(job, "en"),
        keyboards.result_keyboard(job, Prefs(), "ru"),
        keyboards.settings_keyboard(-1001234567890123, Prefs(), "ru"),  # the longest user id shape
        keyboards.picks_keyboard(job, 30, "ru"),
    ]
    for markup in markups:
        for data in _data(markup):
            assert 1 <= len(data.encode()) <= keyboards.MAX_DATA_BYTES, data
    with pytest.raises(ValueError, match="64 bytes"):
        keyboards.callback_data("a", draft, "x" * 60)


def test_result_buttons_follow_the_params() -> None:
    middle = _texts(keyboards.result_keyboard("r1", Prefs(quality="fast", strength=0.5), "en"))
    assert middle == [
        texts.BTN_ANOTHER_ARTIST, texts.BTN_FULL_QUALITY, texts.BTN_WEAKER, texts.BTN_STRONGER,
        texts.BTN_KEEP_COLORS, texts.BTN_HIGHER_QUALITY,
    ]  # fmt: skip
    top = Prefs(quality="high", strength=1.0, preserve_colors=True)
    edge = _texts(keyboards.result_keyboard("r1", top, "en"))
    assert texts.BTN_STRONGER not in edge and texts.BTN_HIGHER_QUALITY not in edge
    assert texts.BTN_STYLE_COLORS in edge
    assert "re:r1:more" in _data(keyboards.result_keyboard("r1", Prefs(), "en"))


def test_settings_keyboard_marks_the_current_choice() -> None:
    labels = _texts(keyboards.settings_keyboard(7, Prefs(quality="high", strength=0.25), "en"))
    assert "✓ High" in labels and "✓ Weaker" in labels and "Fast" in labels
    assert all(d.startswith("set:7:") for d in _data(keyboards.settings_keyboard(7, Prefs(), "en")))


def test_russian_labels() -> None:
    entries = default_catalog().entries
    labels = _texts(keyboards.artist_keyboard(entries, "d1", "ru"))
    assert "Винсент Ван Гог" in labels and "👁 Показать картины" in labels
    settings = _texts(keyboards.settings_keyboard(7, Prefs(quality="high"), "ru"))
    assert "✓ Высокое" in settings and "Готово" in settings


def test_russian_buttons_are_distinct_and_russian() -> None:
    catalog = default_catalog()
    russian = [texts.button_label(e, "ru") for e in catalog]
    assert len(set(russian)) == len(russian)
    assert texts.button_label(catalog.get("klimt"), "ru") == "Климт: Поцелуй"
    assert all(not any("a" <= ch.lower() <= "z" for ch in label) for label in russian)
