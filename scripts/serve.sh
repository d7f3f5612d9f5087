#!/bin/sh
# Quick start, command 1: installs what is missing, builds, and serves the sample
# site at http://127.0.0.1:8080/ with a private Apache in the foreground (Ctrl-C stops).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
./mod_src/bilingual-check -q htdocs/content || true
exec /usr/bin/python3 tests/integration/bilingual_server.py --port "${PORT:-8080}" "$@"
