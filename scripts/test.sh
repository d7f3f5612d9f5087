#!/bin/sh
# Quick start, command 2: installs what is missing, builds, runs every test (the Check
# unit tests and the pytest integration suite against a real Apache, the unit tests
# under sanitizers, the fuzz targets, the Debian package's build and lintian) and ends
# with one line "N passed, N failed". Exits non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
sh scripts/deps.sh --test || { echo "0 passed, 1 failed"; exit 1; }
sh scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
# the suite takes minutes: show the integration tests' progress (pytest's dots and
# percentages) while make check runs, then make check's own summary
rm -f tests/integration/run-pytest.sh.log
( make check VERBOSE=1 >tests/check-output.txt 2>&1; echo $? >tests/check-rc.txt ) &
make_pid=$!
echo "test: unit tests, then the integration suite (progress below)"
tail --pid="$make_pid" -n +1 -F tests/integration/run-pytest.sh.log 2>/dev/null
wait "$make_pid"
rc=$(cat tests/check-rc.txt)
rm -f tests/check-rc.txt
cat tests/check-output.txt
# the core and its unit tests again, with ASan and UBSan
sh scripts/sanitize.sh
# each libFuzzer target for a few seconds (skipped without clang)
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" sh tests/fuzz/run.sh >tests/fuzz-output.txt 2>&1
cat tests/fuzz-output.txt
# the Debian package, built out of tree and checked by lintian (about 20 s)
if sh scripts/package.sh >tests/package-output.txt 2>&1; then
    echo "package: passed" >>tests/package-output.txt
else
    echo "package: failed" >>tests/package-output.txt
fi
tail -n 3 tests/package-output.txt
/usr/bin/python3 scripts/summarize.py tests/unit/check_core.log tests/integration/junit.xml \
    build-sanitize/check_core.log tests/fuzz-output.txt tests/package-output.txt
src=$?
[ $rc -eq 0 ] && [ $src -eq 0 ]
