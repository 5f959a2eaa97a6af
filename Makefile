# The two commands a fresh clone needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := build/demo

.PHONY: demo test lint format bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo gates the example device offline. The gate is expected to fail (exit 1, real findings);
# the demo itself fails only when mdrgate ends with any other code. The bundled data are fixed
# snapshots (see examples/infusion-pump/*/README.md), so the data-age limit is switched off here;
# real runs keep it (default 7 days).
demo: $(STAMP)
	@rm -rf $(DEMO)
	$(BIN)/mdrgate db import --db $(DEMO)/vulndb.sqlite3 examples/infusion-pump/osv/PyPI/all.zip \
	    examples/infusion-pump/nvd/nvd-excerpt.json.gz \
	    examples/infusion-pump/kev/known_exploited_vulnerabilities.json.gz \
	    examples/infusion-pump/eol/endoflife-date.zip
	@$(BIN)/mdrgate check --config examples/infusion-pump/mdrgate.yml --max-data-age off \
	    --db $(DEMO)/vulndb.sqlite3 --out $(DEMO)/evidence; \
	  rc=$$?; echo; \
	  if [ $$rc -gt 1 ]; then echo "demo: mdrgate ended with exit code $$rc (an error, not a verdict)"; exit $$rc; fi; \
	  echo "demo: the gate's exit code was $$rc (0 pass, 1 policy violated)."; \
	  echo "demo: evidence in $(DEMO)/evidence/ - start with summary.md"
	@echo; echo "demo: the same check as a pull-request gate, compared with that evidence (--baseline):"
	@$(BIN)/mdrgate check --config examples/infusion-pump/mdrgate.yml --max-data-age off -q \
	    --db $(DEMO)/vulndb.sqlite3 --baseline $(DEMO)/evidence --out $(DEMO)/pr-evidence; \
	  rc=$$?; \
	  if [ $$rc -gt 1 ]; then echo "demo: mdrgate ended with exit code $$rc (an error, not a verdict)"; exit $$rc; fi; \
	  echo "demo: exit code $$rc: only violations new relative to the baseline fail the gate;"; \
	  echo "demo: evidence in $(DEMO)/pr-evidence/ (summary.md: 'Compared with baseline')"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/mypy
	@# The shipped policies: the default alone, every other one composed after it, warnings fail.
	$(BIN)/mdrgate policy lint -q --strict builtin:mdr-default
	@for p in policies/*.yml; do [ "$$p" = policies/mdr-default.yml ] && continue; \
	  echo "$(BIN)/mdrgate policy lint -q --strict builtin:mdr-default $$p"; \
	  $(BIN)/mdrgate policy lint -q --strict builtin:mdr-default $$p || exit 2; done

test: lint
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks examples
	$(BIN)/ruff check --fix src tests benchmarks examples

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
