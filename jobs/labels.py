"""Names that both clients show for one thing, defined once (English ids in the catalogue,
jobs/i18n.py). The page's scripts use the same English texts (api/static/options.js,
suggest.js, job.js), so both read the same catalogue entries; tests/jobs/test_catalogue.py
and tests/page check that they do.

A client may put an icon before a label (the bot's "🎲 Surprise me"); the label itself is
translated from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobs.i18n import N_

if TYPE_CHECKING:
    from engine.params import Quality

QUALITY_NAMES: dict[Quality, str] = {
    "instant": N_("Instant"),
    "fast": N_("Fast"),
    "balanced": N_("Balanced"),
    "high": N_("High"),
}

SUGGEST = N_("Suggest a style for my photo")
SURPRISE = N_("Surprise me")
CANCEL = N_("Cancel")
ANOTHER_ARTIST = N_("Another artist")

# Durations ('8 s', '2 min'): the bot's captions and the page's time left.
SECONDS = N_("{s} s")
MINUTES = N_("{m} min")
