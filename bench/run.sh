#!/bin/sh
# mod_bilingual benchmark (SPEC section 8): sh bench/run.sh [--quick]
#   [--only throughput|big|amplification] [bench.py options]
# Needs the module built (make), Apache 2.4 (/usr/sbin/apache2, mod_include) and wrk.
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
exec /usr/bin/python3 bench/bench.py "$@"
