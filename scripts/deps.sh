#!/bin/sh
# Installs the Debian packages mod_bilingual needs that are not installed yet.
# Run as root (or with sudo) on Debian 12. Installs nothing when all are present.
set -eu
cd "$(dirname "$0")/.."
PKGS="build-essential autoconf automake libtool pkg-config make gcc
apache2 apache2-dev libapr1-dev libaprutil1-dev libxml2-dev libxml2-utils check
zlib1g-dev libbrotli-dev
python3 python3-pytest python3-feedparser python3-icalendar python3-lxml python3-html5lib
curl wrk chromium clang libclang-rt-14-dev
newsboat varnish nghttp2-client openssl
debhelper dpkg-dev lintian"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "deps: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
# Node.js drives the browser test (playwright-core from npm) and the real clients of
# test_reach.py (feed readers, ical.js, structured-data-testing-tool); use the machine's node
# when there is one, else Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "deps: installing: nodejs npm"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi
if [ "${1:-}" = "--test" ] && { [ ! -d tests/browser/node_modules/playwright-core ] \
        || [ ! -d tests/browser/node_modules/html-validate ]; }; then
    echo "deps: npm ci in tests/browser"
    (cd tests/browser && npm ci --no-audit --no-fund)
fi
if [ "${1:-}" = "--test" ] && { [ ! -d tests/clients/node_modules/rss-parser ] \
        || [ ! -d tests/clients/node_modules/@extractus/feed-extractor ] \
        || [ ! -d tests/clients/node_modules/ical.js ] \
        || [ ! -d tests/clients/node_modules/structured-data-testing-tool ]; }; then
    echo "deps: npm ci in tests/clients"
    (cd tests/clients && npm ci --no-audit --no-fund)
fi
