# ukur — `make run` analyses the bundled demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo-pls test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: the web app on the embedded SQLite database with the bundled demo data.
run: $(STAMP)
	$(BIN)/ukur serve --demo

# The same engines from the terminal: the demo PLS study with bootstrap, and the courier SLA.
demo-pls: $(STAMP)
	$(BIN)/ukur pls estimate examples/umkm-pamulang/model.txt examples/umkm-pamulang/data.csv \
		--bootstrap 5000 --seed 1 --hypotheses examples/umkm-pamulang/hypotheses.txt

test: $(STAMP)
	bash .ci/services.sh
	bash .ci/redis.sh
	bash .ci/browser.sh
	bash .ci/pdf.sh
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
