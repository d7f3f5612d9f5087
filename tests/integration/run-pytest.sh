#!/bin/sh
# Runs the integration suite with Debian's pytest against a real Apache on 127.0.0.1.
# Called by `make check` (which sets BL_SRCDIR, BL_BUILDDIR and BL_HTTPD).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
out="${BL_BUILDDIR:-$here/../..}/tests/integration/junit.xml"
# unbuffered, so scripts/test.sh can show the progress as it is written
PYTHONUNBUFFERED=1 /usr/bin/python3 -m pytest -p no:cacheprovider -q -rfE --junitxml="$out" "$here" "$@"
rc=$?
# pytest's 5 means "no tests ran": that is a failure here, never a pass.
[ $rc -eq 5 ] && echo "run-pytest: no integration test ran" && exit 1
exit $rc
