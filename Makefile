# Word2Vec and the Geometry of Meaning: build the book, test everything.
#   make book      build the HTML book into _build/html (sets everything up first)
#   make check     the quick loop (under 2 minutes): ruff, then the unit tests that are not slow
#   make test      unit tests, nbval over every chapter (native and AVX2-only code paths),
#                  strict builds of both editions, browser check
#   make execute   re-run the chapters in place (the committed outputs and widget state)
#   make lab       open the chapters live in JupyterLab (pinned; LESSONS_DATA_DIR is passed on)
#   make student   the student edition (solutions hidden) into _build/student/_build/html
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The chapter notebooks, in book order, from the one toc reader (evaluated when a recipe runs,
# after the venv exists).
NOTEBOOKS = $(shell $(BIN)/python -m lessons.book.toc)
# One chapter per worker (pytest-xdist, --dist loadfile keeps a notebook's cells in order in
# one kernel); every chapter trains on one thread, so its outputs do not depend on this.
NBVAL = $(BIN)/python -m pytest --nbval $(NOTEBOOKS) --nbval-sanitize-with tests/nbval_sanitize.cfg \
	-p no:cacheprovider -n auto --dist loadfile
STRICT := --warningiserror --nitpick --keep-going
# The student edition (solutions removed): $(call build_student,<extra jupyter-book flags>)
build_student = $(BIN)/python scripts/student_config.py _build/student/_config.yml && \
	$(BIN)/jupyter-book build . --config _build/student/_config.yml --path-output _build/student --quiet $(1)

.PHONY: book student check test portability execute lab assets setup system clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

setup: $(STAMP)

system:  ## Debian packages the tests need (chromium, its driver) and npm for the assets
	bash scripts/setup-system.sh

assets: setup
	@command -v npm >/dev/null || bash scripts/setup-system.sh npm
	$(BIN)/python scripts/vendor_assets.py

book: assets
	$(BIN)/jupyter-book build . --quiet
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

student: assets
	$(call build_student)
	@echo "The student edition is at file://$(CURDIR)/_build/student/_build/html/index.html"

# The quick loop: lint, then every unit test not marked slow (no nbval, no browser, no
# wheel build), spread over the CPU's cores (pytest-xdist).  Run it before make test.
check: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests --ignore=tests/browser -m "not slow" -q -n auto

test: assets system
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests --ignore=tests/browser -n auto
	$(NBVAL)
	$(MAKE) --no-print-directory portability
	$(BIN)/jupyter-book build . $(STRICT) --quiet
	$(call build_student,$(STRICT))
	$(BIN)/python -m pytest tests/browser

# The committed outputs must not depend on the CPU: re-check them with numpy, OpenBLAS and
# numba restricted to AVX2 code paths (this machine may well have AVX-512).
# (On a CPU without AVX2, numba's generic target is the other code path.)
AVX2_ONLY := $(if $(shell grep -m1 -ow avx2 /proc/cpuinfo 2>/dev/null),NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" OPENBLAS_CORETYPE=Haswell NUMBA_CPU_NAME=haswell,NUMBA_CPU_NAME=generic)
portability: assets
	$(AVX2_ONLY) $(NBVAL)

execute: setup
	$(BIN)/python scripts/execute.py $(NB)

# The chapters, live: JupyterLab (pinned in requirements.txt with the widget manager) rooted
# at the repository, opening the first chapter.  scripts/lab.py says where text8 will come
# from, trusts the chapters that changed since the last make lab (signed in your own Jupyter
# trust database: JupyterLab draws saved widgets only in trusted notebooks), then starts it.
# LAB_ARGS passes more options, e.g. make lab LAB_ARGS="--port=8890 --no-browser".
lab: setup
	@$(BIN)/python scripts/lab.py $(LAB_ARGS)

clean:
	rm -rf _build
