"""`python -m api`: the API and the page alone (the bot runs elsewhere, or not at all)."""

from __future__ import annotations

from api.serve import main

if __name__ == "__main__":
    main()
