# FlyVec: `make demo` and `make test` set up a fresh Debian machine themselves.
SWIFT ?= swift
BIN := .build/release/flyvec
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

VENV := .venv
DEMO_WORDS := king water love david egypt sword

.PHONY: deps build test check fuzz demo bench compare compare-documents plots venv clean native install uninstall docs

# Installs only what is missing: pkg-config, libzstd's headers, Open MPI (headers and mpirun, for
# training across processes) and GNU time (a test measures a child's peak memory with it).
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzstd || ! pkg-config --exists ompi-c \
		|| ! command -v mpirun >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then \
		echo "installing pkg-config, libzstd-dev, libopenmpi-dev, openmpi-bin and time"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q pkg-config libzstd-dev libopenmpi-dev openmpi-bin time; \
	fi

build: deps
	$(SWIFT) build -c release

# Release build: the SIMD code is 100x slower in debug, and the CLI tests run the built binary.
test: build
	FLYVEC_BIN=$(CURDIR)/$(BIN) $(SWIFT) test -c release

# The library's DocC documentation (Sources/FlyVec/FlyVec.docc and every public declaration's
# comment); a warning is an error.
docs: deps
	$(SWIFT) package generate-documentation --target FlyVec --warnings-as-errors

# Trains on the shipped King James Bible (with its archaic function words as stop words too),
# writes its codes, prints neighbours of a few words.
# The test suite under the address and the thread sanitizer (debug builds, a few minutes each).
check: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/lsan.supp $(SWIFT) test --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# libFuzzer over the code-file loader, the model-file loader and the tokenizer/zstd reader, and over
# model and code payloads sealed with a valid checksum (so the readers' own checks run, not zstd's):
# FUZZ_RUNS inputs each (default one million), starting from the seeds in Fuzz/seeds.
FUZZ_RUNS ?= 1000000
fuzz: deps
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address
	@for t in codefile modelfile corpus modelpayload codepayload indexpayload; do \
		dir=$$(mktemp -d); cp Fuzz/seeds/$$t/* $$dir/; \
		echo "== fuzz-$$t"; Fuzz/.build/release/fuzz-$$t -runs=$(FUZZ_RUNS) -max_len=4096 $$dir 2>&1 | tail -n 2 || exit 1; \
		rm -rf $$dir; \
	done

demo: build
	@mkdir -p out
	$(BIN) train corpora/kjv.txt.zst -o out/kjv.flyvec --stop-words corpora/kjv-stopwords.txt
	$(BIN) codes out/kjv.flyvec -o out/kjv.flycodes
	@for w in $(DEMO_WORDS); do echo "== $$w"; $(BIN) nn out/kjv.flycodes --query $$w -n 8; done

# Speed: corpus reading, trainer (1 thread and all), its forward-only ceiling, codes and usage
# profiles (scripts/bench-codes.sh), whole training beside word2vec (scripts/bench-train.sh, with
# `make venv`), search.
# The fetched corpus is built first (scripts/fetch-corpora.sh) so both corpora are measured.
bench: build
	scripts/fetch-corpora.sh data
	cd Benchmarks && $(SWIFT) build -c release
	Benchmarks/.build/release/flyvec-bench corpora/kjv.txt.zst data/en-mix.txt.zst
	scripts/bench-io.sh data/en-mix.txt.zst
	scripts/bench-codes.sh data/en-mix.txt.zst
	scripts/bench-cluster.sh data/en-mix.txt.zst
	@if [ -x $(VENV)/bin/python ]; then scripts/bench-train.sh data/en-mix.txt.zst; \
	else echo "whole training beside word2vec: make venv && scripts/bench-train.sh data/en-mix.txt.zst"; fi
	@echo "search beside FAISS: make venv && .venv/bin/python scripts/compare_faiss.py"

venv:
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import gensim, matplotlib, faiss, sklearn" 2>/dev/null || $(VENV)/bin/pip install -q gensim matplotlib faiss-cpu scikit-learn

# The exports loaded with numpy and gensim as users load them; then FlyVec's defaults beside
# gensim word2vec on every fetched corpus (three seeds, bootstrap intervals), one table per corpus
# written into docs/RESULTS.md. About 20 minutes on 2 cores.
COMPARE_CORPORA := en-mix misc-en docs-en large-en
compare: build venv
	scripts/fetch-large-corpus.sh data
	scripts/fetch-benchmarks.sh data/benchmarks
	$(VENV)/bin/python scripts/check-exports.py
	$(VENV)/bin/python scripts/compare.py $(foreach c,$(COMPARE_CORPORA),--corpus data/$(c).txt.zst) --write --json out/compare.json

# Document codes beside word2vec mean vectors (FAISS IndexFlatIP) and TF-IDF: 10-nearest-neighbour
# classification of Debian's package descriptions by section, 5 folds; prints the table of
# docs/RESULTS.md ("Documents"). About 15 minutes on 2 cores.
compare-documents: build venv
	scripts/fetch-packages.sh data
	$(VENV)/bin/python scripts/compare_documents.py --json out/compare-documents.json

# docs/spearman-vs-k.png and docs/energy.png from a training with the classic defaults (K 400, five
# epochs: the figures show the static read-outs over several epochs) on the fetched corpus.
plots: build venv
	scripts/fetch-corpora.sh data
	scripts/fetch-benchmarks.sh data/benchmarks
	@mkdir -p out
	$(BIN) train data/en-mix.txt.zst -o out/en-mix.flyvec --preset classic --quiet
	$(VENV)/bin/python scripts/plots.py out/en-mix.flyvec

# Opt-in: faster on this CPU, crashes on older ones.
native: deps
	$(SWIFT) build -c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native

# A release binary with the Swift runtime linked in (it needs only libzstd and the C/C++ runtime,
# not the toolchain) into $(DESTDIR)$(PREFIX)/bin, and the licence and notice beside its docs.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static --product flyvec
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/flyvec
	install -m 755 .build-static/release/flyvec $(DESTDIR)$(PREFIX)/bin/flyvec
	install -m 644 LICENSE NOTICE README.md $(DESTDIR)$(PREFIX)/share/doc/flyvec/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/flyvec
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/flyvec

clean:
	rm -rf .build out
