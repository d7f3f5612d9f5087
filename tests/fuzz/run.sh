#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz/ with clang (ASan and UBSan on) from the
# core's sources, then runs each for FUZZ_SECONDS (default 30) on a copy of its seed
# corpus. Prints "fuzz: NAME passed" or "fuzz: NAME failed" per target (the test
# command counts those lines) and exits 1 when any target found a crash or a broken
# promise; the input that did it is kept in tests/fuzz/out/NAME/. Without clang it
# says so and exits 0 with nothing run ("fuzz: skipped, no clang").
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
seconds="${FUZZ_SECONDS:-30}"
out="$here/out"
CLANG="${CLANG:-clang}"
if ! command -v "$CLANG" >/dev/null 2>&1 || ! "$CLANG" -fsanitize=fuzzer -x c -o /dev/null - \
        >/dev/null 2>&1 <<'C'
#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
C
then
    echo "fuzz: skipped, no clang with libFuzzer (Debian: clang, libclang-rt-14-dev)"
    exit 0
fi
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
-I$top/mod_src $(pkg-config --cflags apr-1 apr-util-1 libxml-2.0 zlib)"
libs="$(pkg-config --libs apr-1 apr-util-1 libxml-2.0 zlib)"
if pkg-config --exists libbrotlienc; then
    flags="$flags -DHAVE_BROTLI"
    libs="$libs $(pkg-config --libs libbrotlienc)"
fi
core="$(ls "$top"/mod_src/bl_*.c)"
rc=0
for target in request time content; do
    bin="$out/fuzz_$target"
    # shellcheck disable=SC2086
    if ! "$CLANG" $flags -o "$bin" "$here/fuzz_$target.c" $core $libs >"$out/$target.build.log" 2>&1; then
        echo "fuzz: $target failed (build; see $out/$target.build.log)"
        rc=1
        continue
    fi
    mkdir -p "$out/$target/corpus"
    cp "$here/corpus/$target"/* "$out/$target/corpus/" 2>/dev/null
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$bin" \
            -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 -artifact_prefix="$out/$target/" "$out/$target/corpus" >"$out/$target.log" 2>&1; then
        echo "fuzz: $target passed ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$target.log" | awk '{print $2}') runs in ${seconds}s)"
    else
        echo "fuzz: $target failed (see $out/$target.log and $out/$target/)"
        rc=1
    fi
done
exit $rc
