#!/usr/bin/env bash
# Installs, idempotently, every tool Yehua's build and tests need on Debian 12:
# the wasm32 target, trunk, wasm-bindgen-cli (the version in Cargo.lock), wasm-split-cli, Chromium and
# chromedriver (Debian packages), and the npm tools (wasm-opt from `binaryen`,
# playwright-core, PouchDB). Nothing here downloads a browser or a binary of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (slow once, cached in ~/.cargo/bin)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The split build's splitter (scripts/split.mjs). Its output must suit this wasm-bindgen:
# bump the two together.
WASM_SPLIT_VERSION=0.2.4
# (The binary has no --version; cargo's list of installed crates says which it is.)
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "installing wasm-split-cli $WASM_SPLIT_VERSION"
  cargo install wasm_split_cli_support --locked --version "$WASM_SPLIT_VERSION" --features build-binary --force
fi

if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.yehua-lock; then
  log "installing npm tools (npm ci)"
  npm ci --omit=optional --no-audit --no-fund
  cp package-lock.json node_modules/.yehua-lock
fi

# Trunk must find wasm-opt 132 from npm, never Debian's older binaryen.
if ! PATH="$PWD/node_modules/.bin:$PATH" wasm-opt --version | grep -q 'version 132'; then
  echo "wasm-opt 132 not found in node_modules/.bin" >&2
  exit 1
fi
log "tools ready"
