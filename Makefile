# Quick start: `make demo` then `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== golive check examples/battle-tested/golive.yaml (at the evidence's instant)"
	$(BIN)/golive check examples/battle-tested/golive.yaml --at 2025-12-18T00:00:00Z
	@echo
	@echo "== golive check examples/readiness-programme/golive.yaml"
	$(BIN)/golive check examples/readiness-programme/golive.yaml
	@echo
	@echo "== golive alerts test examples/slo/golive.yaml (burn-rate rules, proven with promtool)"
	$(BIN)/golive alerts test examples/slo/golive.yaml
	@echo "== governance: examples/uc-tracker (register, release, approvals, rehearsal, gate)"
	examples/uc-tracker/demo.sh $(BIN)
	@echo "== golive rollout simulate batch-patches-v1 examples/canary-rollout/golive.yaml"
	$(BIN)/golive rollout simulate batch-patches-v1 examples/canary-rollout/golive.yaml
	@echo "== the go-live pack: pre-flight, acceptance, gate, bundle (created, verified), sign-off"
	examples/go-live-pack/demo.sh $(BIN)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/cog --check README.md docs/*.md

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

docs: $(STAMP)
	$(BIN)/cog -r README.md docs/*.md

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
