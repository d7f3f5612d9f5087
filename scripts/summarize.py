"""Adds up the unit tests (Check's log) and integration tests (pytest's JUnit XML) and
prints one line "N passed, N failed"; exits 1 when a failure or a missing report."""
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


def main():
    up, uf = check_counts(sys.argv[1])
    ip, if_ = junit_counts(sys.argv[2])
    print("unit: %d passed, %d failed; integration: %d passed, %d failed" % (up, uf, ip, if_))
    print("%d passed, %d failed" % (up + ip, uf + if_))
    return 1 if (uf + if_) or (up + ip) == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
