# mediawatch — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KAFKA := deploy/kafka/kafka.sh
# The test broker listens on its own port and data directory, apart from `make run`'s.
TEST_KAFKA_PORT ?= 19092
TEST_KAFKA_DATA ?= $(CURDIR)/var/kafka-test

.PHONY: install run test unit lint typecheck bench soak clean

# setup.py compiles analysis._minhash and the analysis core's hottest modules (its
# COMPILED_CORE): a change to one of their sources is a new install.
COMPILED_SOURCES := analysis/_minhash.c $(patsubst %,analysis/%.py,$(shell \
  sed -n 's/^COMPILED_CORE = \[\(.*\)\]/\1/p' setup.py | tr -d '",'))
$(VENV)/.installed: pyproject.toml setup.py $(COMPILED_SOURCES)
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
	$(VENV)/bin/ruff check mediawatch streams producers agents analysis tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy

# Every benchmark of benchmarks/README.md on a broker of its own (port 19392); the
# pipeline run alone takes about 25 minutes at 100,000 articles.
BENCH_KAFKA := MEDIAWATCH_KAFKA_PORT=19392 MEDIAWATCH_KAFKA_DATA=$(CURDIR)/var/kafka-bench
bench: install
	$(PY) benchmarks/bench_analysis.py
	$(PY) benchmarks/bench_dedup.py --articles 20000 --memory-articles 100000
	$(BENCH_KAFKA) bash $(KAFKA) start
	@mkdir -p var/bench; status=0; \
	$(PY) benchmarks/bench_producer.py --broker kafka://127.0.0.1:19392 --feeds 2000 \
	  --changed 0.5 || status=$$?; \
	$(PY) benchmarks/bench_pipeline.py --broker kafka://127.0.0.1:19392 \
	  --kafka-data var/kafka-bench --articles 100000 --json var/bench/pipeline.json \
	  || status=$$?; \
	$(BENCH_KAFKA) bash $(KAFKA) stop; exit $$status

# One million articles through one worker with 120 s state windows (~30-60 min).
soak: install
	$(BENCH_KAFKA) bash $(KAFKA) start
	@mkdir -p var/bench; status=0; \
	$(PY) benchmarks/bench_pipeline.py --broker kafka://127.0.0.1:19392 \
	  --kafka-data var/kafka-bench soak --articles 1000000 --window-seconds 120 \
	  --json var/bench/soak.json || status=$$?; \
	$(BENCH_KAFKA) bash $(KAFKA) stop; exit $$status

clean:
	-bash $(KAFKA) stop
	rm -rf var build .pytest_cache .mypy_cache .ruff_cache
