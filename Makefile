# Yehua's two front-door commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
DATA ?= data
LISTEN ?= 127.0.0.1:8080

.PHONY: setup run test build bench fmt lint

setup:
	scripts/setup.sh

build: setup
	trunk build --release
	cargo build --release -p yehua-hub

run: build
	target/release/yehua-hub serve --data $(DATA) --listen $(LISTEN) --app dist

test: setup
	scripts/test.sh

bench: setup
	scripts/bench.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p yehua --target wasm32-unknown-unknown --all-targets -- -D warnings
