"""The per-person flood limit: told once, then ignored for the rest of the minute; others are
not affected."""

from __future__ import annotations

from bot import texts
from bot.flood import WINDOW, FloodGuard
from tests.bot.conftest import ANN, BOB, StartBot, says
from tests.bot.fakeapi import FakeTelegram


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window() -> None:
    clock = Clock()
    guard = FloodGuard(3, clock=clock)
    assert [guard.check(1) for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    assert guard.check(2) == "ok"  # someone else
    assert guard.wait(1) == WINDOW
    clock.now += WINDOW / 2
    assert guard.check(1) == "drop" and guard.wait(1) == WINDOW / 2
    clock.now += WINDOW / 2 + 0.1  # the first three have left the window
    assert [guard.check(1) for _ in range(4)] == ["ok", "ok", "ok", "warn"]


def test_people_who_went_quiet_are_forgotten() -> None:
    clock = Clock()
    guard = FloodGuard(3, clock=clock)
    for user in range(500):
        guard.check(user)
    clock.now += WINDOW + 1
    for _ in range(1000):
        guard.check(9999)
    assert len(guard) == 1


async def test_a_flooding_person_is_told_once(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot(user_updates_per_minute=5)
    for n in range(30):
        tg.send_text(ANN, ANN, f"hello {n}")
    await says(tg, ANN, "faster than I can keep up with")
    tg.send_text(BOB, BOB, "/help")
    await says(tg, BOB, "How it works")  # others are served as usual
    texts_to_ann = [m.get("text") for m in tg.sent_messages(ANN)]
    assert texts_to_ann.count(texts.SEND_PHOTO_FIRST) == 5
    assert sum("faster than I can keep up" in (t or "") for t in texts_to_ann) == 1
    assert len(texts_to_ann) == 6
