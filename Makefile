# Word2Vec and the Geometry of Meaning: build the book, test everything.
#   make book      build the HTML book into _build/html (sets everything up first)
#   make test      unit tests, nbval over every chapter (native and AVX2-only code paths),
#                  strict builds of both editions, browser check
#   make execute   re-run the chapters in place (the committed outputs and widget state)
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
NBVAL = $(BIN)/python -m pytest --nbval $(NOTEBOOKS) --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
STRICT := --warningiserror --nitpick --keep-going
# The student edition (solutions removed): $(call build_student,<extra jupyter-book flags>)
build_student = $(BIN)/python scripts/student_config.py _build/student/_config.yml && \
	$(BIN)/jupyter-book build . --config _build/student/_config.yml --path-output _build/student --quiet $(1)

.PHONY: book student test portability execute assets setup system clean

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

test: assets system
	$(BIN)/python -m pytest tests --ignore=tests/browser
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

clean:
	rm -rf _build
