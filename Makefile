# FlyVec: `make demo` and `make test` set up a fresh Debian machine themselves.
SWIFT ?= swift
BIN := .build/release/flyvec
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test demo bench clean native

# Installs only what is missing: pkg-config and libzstd's headers.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzstd; then \
		echo "installing pkg-config and libzstd-dev"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q pkg-config libzstd-dev; \
	fi

build: deps
	$(SWIFT) build -c release

# Release build: the SIMD code is 100x slower in debug, and the CLI tests run the built binary.
test: build
	FLYVEC_BIN=$(CURDIR)/$(BIN) $(SWIFT) test -c release

demo: build
	@mkdir -p out
	$(BIN) train corpora/kjv.txt.zst -o out/kjv.flyvec

bench: build
	@echo "see docs/BENCHMARKS.md for what these numbers mean"
	$(BIN) train corpora/kjv.txt.zst -o out/bench.flyvec --epochs 3 --threads 1
	$(BIN) train corpora/kjv.txt.zst -o out/bench.flyvec --epochs 3

# Opt-in: faster on this CPU, crashes on older ones.
native: deps
	$(SWIFT) build -c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native

clean:
	rm -rf .build out
