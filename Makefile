# SpineLib developer entry points. Each target builds .venv on first use.
#
# One venv, two levels of install: `make run` (and bench, dist) install the app alone;
# `make test`, `check` and `lint` add the test extras (pytest, hypothesis, ruff, mypy...) to
# the same venv. Each level has its own stamp, named after pyproject.toml's content, so each
# install happens once, an edit of pyproject.toml reinstalls, and running one kind of target
# after the other never reinstalls back and forth (the test install holds the app as well).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HASH   := $(shell md5sum < pyproject.toml | cut -c1-8)
APP_STAMP  := $(VENV)/.installed-app-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)

# The whole suite on every core with a percentage per line (measured in the README's "Running
# the tests"); the e2e tests are the slow, end-to-end ones that `make check` leaves out.
PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto \
	-o console_output_style=progress

.PHONY: run test check test-fast lint bench dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps of an older pyproject.toml are dropped so they cannot be mistaken for current ones.
$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(HASH)' -delete
	touch $(APP_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(HASH)' -delete
	touch $(APP_STAMP) $(TEST_STAMP)

run: $(APP_STAMP)
	$(BIN)/spinelib gui

# Everything, as CI runs it (.ci/run).
test: $(TEST_STAMP)
	$(PYTEST)

# The contributor's loop: everything but the e2e tests.
check: $(TEST_STAMP)
	$(PYTEST) -m "not e2e"

test-fast: check

lint: $(TEST_STAMP)
	$(BIN)/ruff check spinelib tests benchmarks tools
	$(BIN)/mypy

bench: $(APP_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info

# One-folder desktop build in dist/spinelib/ (runs without Python; see packaging/README.md).
# PyInstaller is installed into .venv here only: it is a build tool, not a test dependency.
dist: $(APP_STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6,<7'
	rm -rf dist/spinelib build/pyinstaller
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/spinelib.spec
	mkdir -p dist/spinelib/packaging/mime
	cp packaging/install-desktop.sh packaging/io.github.spinelib.SpineLib.metainfo.xml \
		dist/spinelib/packaging/
	cp packaging/mime/spinelib.xml dist/spinelib/packaging/mime/
	@echo "built dist/spinelib/ (run dist/spinelib/spinelib; desktop entry:" \
		"dist/spinelib/packaging/install-desktop.sh)"
