# SpineLib developer entry points. Each target builds .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)

.PHONY: run test lint bench dist clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/spinelib gui

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check spinelib tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info

# One-folder desktop build in dist/spinelib/ (runs without Python; see packaging/README.md).
# PyInstaller is installed into .venv here only: it is a build tool, not a test dependency.
dist: $(STAMP)
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
