# mediawatch — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KAFKA := deploy/kafka/kafka.sh
# The test broker listens on its own port and data directory, apart from `make run`'s.
TEST_KAFKA_PORT ?= 19092
TEST_KAFKA_DATA ?= $(CURDIR)/var/kafka-test

.PHONY: install run test unit integration lint typecheck bench kafka-start kafka-stop clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Local broker, the sample feeds served on :8765, producer and worker; prints alerts.
run: install
	$(VENV)/bin/mediawatch run --feeds deploy/examples/feeds.yaml --serve deploy/examples/feeds

# Installs (Python packages, Kafka jars, the Debian prometheus package), starts the test
# broker, runs lint, type and import checks and every test, and stops the broker
# whatever the outcome.
test: install
	bash deploy/prometheus/install.sh
	@MEDIAWATCH_KAFKA_PORT=$(TEST_KAFKA_PORT) MEDIAWATCH_KAFKA_DATA=$(TEST_KAFKA_DATA) \
	  bash $(KAFKA) clean >/dev/null
	MEDIAWATCH_KAFKA_PORT=$(TEST_KAFKA_PORT) MEDIAWATCH_KAFKA_DATA=$(TEST_KAFKA_DATA) \
	  bash $(KAFKA) start
	@status=0; \
	$(MAKE) --no-print-directory lint typecheck || status=$$?; \
	TEST_KAFKA_BROKER=kafka://127.0.0.1:$(TEST_KAFKA_PORT) \
	  $(PY) -m pytest tests -q -p no:cacheprovider || status=$$?; \
	MEDIAWATCH_KAFKA_PORT=$(TEST_KAFKA_PORT) MEDIAWATCH_KAFKA_DATA=$(TEST_KAFKA_DATA) \
	  bash $(KAFKA) stop; \
	exit $$status

unit: install
	$(PY) -m pytest tests/unit -q

lint: install
	$(VENV)/bin/ruff check streams producers agents analysis tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench_analysis.py

clean:
	-bash $(KAFKA) stop
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
