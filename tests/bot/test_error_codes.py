"""Every code of the job service has the bot's words for it."""

from __future__ import annotations

from bot import texts
from bot.codes import TEXTS, text_for
from jobs.errors import ErrorCode

CATALOGUE = {value for value in vars(texts).values() if isinstance(value, str)}


def test_every_code_has_a_text_of_the_catalogue() -> None:
    missing = [code for code in ErrorCode if code not in TEXTS]
    assert missing == []
    assert set(TEXTS.values()) <= CATALOGUE


def test_a_code_of_another_version_is_an_apology() -> None:
    assert text_for("from_the_future") == texts.SOMETHING_WRONG
    assert text_for(None) == texts.SOMETHING_WRONG
    assert text_for("queue_full") == texts.QUEUE_FULL
