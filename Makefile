# Every target sets up .venv by itself on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: help install run test lint bench bench-full bench-video demo clean messages

help:
	@echo "make run    - the web page and API on http://127.0.0.1:8000 (and the bot with a token)"
	@echo "make test   - run the whole test suite"
	@echo "make demo   - stylise a bundled sample photo with a gallery painting"
	@echo "make bench  - time the engine against the reference implementation"
	@echo "make bench-video - a 10 s clip end to end: time, flicker, frames, sound"
	@echo "make lint   - ruff + mypy"
	@echo "make messages - extract and compile the bot's translations (bot/locale)"

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m stylize.server

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy engine bot styles jobs api stylize bench

demo: $(STAMP)
	$(BIN)/stylize engine/samples/cat.jpg --artist "Van Gogh" -o out/demo.jpg

bench: $(STAMP)
	$(BIN)/python -m bench.pictures

bench-full: $(STAMP)
	$(BIN)/python -m bench.pictures --full

bench-video: $(STAMP)
	$(BIN)/python -m bench.video

clean:
	rm -rf out build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The bot's texts (bot/texts.py) into the catalogues: extract, merge into each language's .po,
# compile the .mo files. Translate the new entries in bot/locale/*/LC_MESSAGES/bot.po, run it
# again and commit both files (nothing is compiled at run time).
messages: $(STAMP)
	$(BIN)/pybabel extract --no-default-keywords -k N_ --no-location --project=stylebot \
		-o bot/locale/bot.pot bot/
	$(BIN)/pybabel update --no-fuzzy-matching -i bot/locale/bot.pot -d bot/locale -D bot
	$(BIN)/pybabel compile --statistics -d bot/locale -D bot
