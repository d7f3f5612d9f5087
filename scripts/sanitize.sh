#!/bin/sh
# Builds the core and its Check unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc, no autotools: a build of its own in
# build-sanitize/, beside the normal one) and runs them. Any memory error, leak or
# undefined behaviour aborts the test it happens in, which Check reports as an error.
# The log goes to build-sanitize/check_core.log, which scripts/test.sh counts.
set -u
cd "$(dirname "$0")/.."
out=build-sanitize
mkdir -p "$out"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="$(pkg-config --cflags apr-1 apr-util-1 libxml-2.0 zlib check)"
libs="$(pkg-config --libs apr-1 apr-util-1 libxml-2.0 zlib check)"
if pkg-config --exists libbrotlienc; then
    cflags="$cflags -DHAVE_BROTLI $(pkg-config --cflags libbrotlienc)"
    libs="$libs $(pkg-config --libs libbrotlienc)"
fi
echo "sanitize: building the unit tests with ASan and UBSan"
# shellcheck disable=SC2086
if ! gcc $flags -Imod_src -Itests/unit $cflags -DBL_SRCDIR="\"$(pwd)\"" -o "$out/check_core" \
        mod_src/bl_*.c tests/unit/*.c $libs >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "Checks: 1, Failures: 0, Errors: 1" >"$out/check_core.log"
    exit 1
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    CK_VERBOSITY=normal "$out/check_core" >"$out/check_core.log" 2>&1
rc=$?
tail -n 3 "$out/check_core.log"
exit $rc
