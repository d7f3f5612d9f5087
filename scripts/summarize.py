"""Adds up the unit tests (Check's log), the integration tests (pytest's JUnit XML),
the unit tests under sanitizers (another Check log), the fuzz targets (lines
"fuzz: NAME passed|failed") and the Debian package's build and lintian check (a line
"package: passed|failed"), and prints one line "N passed, N failed"; exits 1 when a
failure or a missing report."""
import re
import sys
import xml.etree.ElementTree as ET


def check_counts(path):
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return 0, 1
    m = re.search(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", text)
    if not m:
        return 0, 1
    total, fails, errors = (int(x) for x in m.groups())
    return total - fails - errors, fails + errors


def junit_counts(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 1
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    passed = failed = 0
    for s in suites:
        tests = int(s.get("tests", 0))
        bad = int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped = int(s.get("skipped", 0))
        passed += tests - bad - skipped
        failed += bad + skipped   # a skipped test is not a pass here
    return passed, failed


def fuzz_counts(path):
    """Counts the targets of tests/fuzz/run.sh; a skipped run (no clang) counts none."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return 0, 1
    passed = len(re.findall(r"^fuzz: \S+ passed", text, re.M))
    failed = len(re.findall(r"^fuzz: \S+ failed", text, re.M))
    if passed + failed == 0 and "fuzz: skipped" not in text:
        return 0, 1
    return passed, failed


def package_counts(path):
    """The Debian package built and checked by scripts/package.sh: one test."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return 0, 1
    if re.search(r"^package: passed$", text, re.M):
        return 1, 0
    return 0, 1


def main():
    up, uf = check_counts(sys.argv[1])
    ip, if_ = junit_counts(sys.argv[2])
    sp, sf = check_counts(sys.argv[3]) if len(sys.argv) > 3 else (0, 0)
    fp, ff = fuzz_counts(sys.argv[4]) if len(sys.argv) > 4 else (0, 0)
    pp, pf = package_counts(sys.argv[5]) if len(sys.argv) > 5 else (0, 0)
    print("unit: %d passed, %d failed; integration: %d passed, %d failed; "
          "unit under sanitizers: %d passed, %d failed; fuzz targets: %d passed, %d failed; "
          "Debian package: %d passed, %d failed"
          % (up, uf, ip, if_, sp, sf, fp, ff, pp, pf))
    passed, failed = up + ip + sp + fp + pp, uf + if_ + sf + ff + pf
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
