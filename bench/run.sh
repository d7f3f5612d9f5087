#!/bin/sh
# mod_bilingual benchmark (SPEC section 8): sh bench/run.sh [--quick]
#   [--only throughput|big|amplification|h2|compression] [bench.py options]
# Needs the module built (make), Apache 2.4 (/usr/sbin/apache2, mod_include) and wrk;
# the h2 part also h2load and nghttp (nghttp2-client) and mod_http2, the compression
# part mod_deflate and mod_brotli (both in Debian's apache2).
# Prints a table and writes bench/results/latest.txt. See bench/README.md.
# The amplification part resets children's peak RSS through /proc/PID/clear_refs:
# as root (or as the user the children run as); otherwise it samples VmRSS instead.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f mod_src/.libs/mod_bilingual.so ]; then
    echo "bench: mod_src/.libs/mod_bilingual.so is missing; run 'make' first" >&2
    exit 2
fi
for f in /usr/bin/wrk /usr/sbin/apache2 /usr/lib/apache2/modules/mod_include.so; do
    if [ ! -e "$f" ]; then
        echo "bench: $f is missing (apt-get install wrk apache2)" >&2
        exit 2
    fi
done
# h2load and nghttp: for the h2 part, which runs unless --only names another part
h2=1
prev=""
for a in "$@"; do
    if [ "$prev" = "--only" ]; then
        [ "$a" = "h2" ] || h2=0
    fi
    case "$a" in
        --only=h2) ;;
        --only=*) h2=0 ;;
    esac
    prev="$a"
done
if [ "$h2" = 1 ]; then
    for f in /usr/bin/h2load /usr/bin/nghttp /usr/lib/apache2/modules/mod_http2.so; do
        if [ ! -e "$f" ]; then
            echo "bench: $f is missing (apt-get install nghttp2-client apache2)" >&2
            exit 2
        fi
    done
fi
exec /usr/bin/python3 bench/bench.py "$@"
