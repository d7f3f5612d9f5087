"""docs/content.rng, the RELAX NG schema of the content format: every file of the
sample validates, and files that break the format do not.
"""
import os
import re
import subprocess

import pytest

from bilingual_server import SRCDIR

SCHEMA = os.path.join(SRCDIR, "docs", "content.rng")
SAMPLE = os.path.join(SRCDIR, "htdocs", "content")
SAMPLE_FILES = sorted(os.path.relpath(os.path.join(d, f), SAMPLE)
                      for d, _, files in os.walk(SAMPLE) for f in files
                      if f.endswith(".xml"))


def xmllint(*paths):
    return subprocess.run(["xmllint", "--noout", "--relaxng", SCHEMA] + list(paths),
                          capture_output=True, text=True, timeout=60)


def test_schema_is_found_and_sample_is_complete():
    assert os.path.isfile(SCHEMA)
    kinds = {rel.split(os.sep)[0] for rel in SAMPLE_FILES}
    assert {"site.xml", "layout.xml", "fragments", "pages", "events", "press"} <= kinds


@pytest.mark.parametrize("rel", SAMPLE_FILES)
def test_sample_file_validates(rel):
    result = xmllint(os.path.join(SAMPLE, rel))
    assert result.returncode == 0, result.stderr
    assert "validates" in result.stderr


def test_whole_sample_validates_in_one_run():
    result = xmllint(*[os.path.join(SAMPLE, rel) for rel in SAMPLE_FILES])
    assert result.returncode == 0, result.stderr
    assert "fails to validate" not in result.stderr


def _read(rel):
    with open(os.path.join(SAMPLE, rel), encoding="utf-8") as f:
        return f.read()


def _broken(rel, old, new, count=1):
    """The text of sample file REL with OLD (a string or a regex) replaced by NEW."""
    text = _read(rel)
    if isinstance(old, re.Pattern):
        broken, n = old.subn(new, text, count=count)
    else:
        n = text.count(old)
        broken = text.replace(old, new, count)
    assert n >= 1, (rel, old)
    return broken


EVENT = "events/community-assembly-june-2015.xml"
PRESS = "press/act-193-becomes-law.xml"
PAGE = "pages/about.xml"

BROKEN = [
    ("event-date-with-space", EVENT,
     lambda: _broken(EVENT, re.compile(r'start="[^"]*"'), 'start="2015-07-01 09:00"')),
    ("event-date-without-offset", EVENT,
     lambda: _broken(EVENT, re.compile(r'start="[^"]*"'), 'start="2015-07-01T09:00:00"')),
    ("event-without-start", EVENT,
     lambda: _broken(EVENT, re.compile(r'\s+start="[^"]*"'), "")),
    ("event-unknown-child", EVENT,
     lambda: _broken(EVENT, "</event>", "  <footnote>no such child</footnote>\n</event>")),
    ("event-bad-status", EVENT,
     lambda: _broken(EVENT, "<event ", '<event status="postponed" ')),
    ("press-without-published", PRESS,
     lambda: _broken(PRESS, re.compile(r'\s+published="[^"]*"'), "")),
    ("press-unknown-child", PRESS,
     lambda: _broken(PRESS, "</press-release>", "<location>x</location>\n</press-release>")),
    ("press-wrong-root", PRESS,
     lambda: _broken(PRESS, "press-release", "press", count=2)),
    ("page-without-title", PAGE,
     lambda: _broken(PAGE, re.compile(r"\s*<title[^>]*>[^<]*</title>"), "", count=0)),
    ("page-unknown-control", PAGE,
     lambda: _broken(PAGE, "<h2>Who we are</h2>", '<insert name="nonsense"/>')),
    ("page-bad-include", PAGE,
     lambda: _broken(PAGE, "<h2>Who we are</h2>", '<include fragment="../site"/>')),
    ("page-bad-list", "pages/index.xml",
     lambda: _broken("pages/index.xml", 'kind="press"', 'kind="pages"')),
]


@pytest.mark.parametrize("rel,make", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_copy_fails(tmp_path, rel, make):
    text = make()
    path = tmp_path / os.path.basename(rel)
    path.write_text(text, encoding="utf-8")
    result = xmllint(str(path))
    assert result.returncode != 0, (text[:400], result.stderr)
    assert "fails to validate" in result.stderr
