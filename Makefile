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
	@echo "make messages - extract and compile the translations of the bot and the page (jobs/locale)"

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

# Every text a person reads, the bot's (bot/texts.py, jobs/labels.py) and the page's
# (api/static: t("..."), N_("..."), say(el, "..."), data-i18n), into one catalogue: extract,
# merge into each language's .po, compile the .mo files. Translate the new entries in
# jobs/locale/*/LC_MESSAGES/messages.po, run it again and commit both files (nothing is
# compiled at run time). `python -m`: the HTML extractor is imported from this checkout.
messages: $(STAMP)
	$(BIN)/python -m babel.messages.frontend extract -F jobs/locale/babel.cfg \
		--no-default-keywords -k N_ -k t -k say:2 --no-location --project=stylize \
		-o jobs/locale/messages.pot bot jobs api
	$(BIN)/pybabel update --no-fuzzy-matching -i jobs/locale/messages.pot -d jobs/locale -D messages
	$(BIN)/pybabel compile --statistics -d jobs/locale -D messages
