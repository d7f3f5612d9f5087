"""bilingual-check DIR (SPEC section 7): reads a content folder the way the module
does, reports every error and missing translation as path:line:col, and exits 0 (no
errors), 1 (errors) or 2 (it could not check at all).
"""
import os
import re
import pwd
import shutil
import subprocess
import tempfile

import pytest

from bilingual_server import SRCDIR

TOOL = os.path.join(os.environ.get("BL_BUILDDIR", "/work/main"), "mod_src",
                    "bilingual-check")
SAMPLE = os.path.join(SRCDIR, "htdocs", "content")
EVENT = "events/community-assembly-june-2015.xml"


def check(*args, as_user=None):
    """Runs the tool; as root it reads as the Apache user unless told otherwise, and
    pytest's tmp_path is private to root, so these tests read as the caller."""
    who = [] if as_user == "" else ["--as-user", as_user or pwd.getpwuid(os.getuid()).pw_name]
    result = subprocess.run([TOOL] + who + [str(a) for a in args], capture_output=True,
                            text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def content(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(SAMPLE, dst)
    return dst


def diagnostics(output, rel, kind):
    """The lines of OUTPUT that are `PATH:LINE:COL: KIND: ...` about file REL."""
    pattern = re.compile(r"^(.*):(\d+):(\d+): %s: (.+)$" % kind)
    found = []
    for line in output.splitlines():
        m = pattern.match(line)
        if m and m.group(1).endswith(rel):
            found.append((int(m.group(2)), int(m.group(3)), m.group(4)))
    return found


def test_sample_is_clean():
    rc, out = check(SAMPLE)
    assert rc == 0, out
    assert not re.search(r":\d+:\d+: error:", out), out


def test_sample_untranslated_press_release_is_a_warning():
    rc, out = check(SAMPLE)
    assert rc == 0
    warnings = diagnostics(out, "press/community-notice-july-1.xml", "warning")
    assert warnings, out
    assert all(line >= 1 and col >= 1 for line, col, _ in warnings)


def test_bad_date_is_an_error(content):
    path = content / EVENT
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r'start="[^"]*"', 'start="2015-07-01 09:00"', text, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")
    line = [i for i, l in enumerate(new.splitlines(), 1) if "start=" in l][0]
    rc, out = check(content)
    assert rc == 1, out
    errors = diagnostics(out, EVENT, "error")
    assert errors, out
    assert errors[0][0] == line, out
    assert "2015-07-01 09:00" in errors[0][2] or "start" in errors[0][2], out


def test_malformed_xml_is_an_error_with_its_position(content):
    path = content / "pages" / "about.xml"
    text = path.read_text(encoding="utf-8")
    line = [i for i, l in enumerate(text.splitlines(), 1)
            if "<h2>Who we are</h2>" in l][0]
    path.write_text(text.replace("<h2>Who we are</h2>", "<h2>Who we are</h3>"),
                    encoding="utf-8")
    rc, out = check(content)
    assert rc == 1, out
    errors = diagnostics(out, "pages/about.xml", "error")
    assert errors, out
    assert errors[0][0] == line, out


def test_every_error_is_reported(content):
    (content / "pages" / "broken-one.xml").write_text("<page><title>x</title>\n<body>",
                                                      encoding="utf-8")
    (content / "pages" / "broken-two.xml").write_text(
        "<page>\n<title>x</title>\n<body><include fragment=\"no-such\"/></body>\n</page>\n",
        encoding="utf-8")
    (content / "pages" / "doctype.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE page [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<page><title>&x;</title><body/></page>\n", encoding="utf-8")
    (content / "press" / "unknown-child.xml").write_text(
        '<press-release published="2015-06-22T10:00:00-04:00">\n'
        "  <title>T</title>\n  <summary>S</summary>\n  <body><p>B</p></body>\n"
        "  <footnote>no such child</footnote>\n</press-release>\n", encoding="utf-8")
    rc, out = check(content)
    assert rc == 1, out
    assert diagnostics(out, "pages/broken-one.xml", "error"), out
    errors = diagnostics(out, "pages/broken-two.xml", "error")
    assert errors and errors[0][0] == 3, out
    assert diagnostics(out, "pages/doctype.xml", "error"), out
    assert "root:x:0:0" not in out
    errors = diagnostics(out, "press/unknown-child.xml", "error")
    assert errors and errors[0][0] == 5, out


def test_missing_translation_is_a_warning(content):
    (content / "pages" / "solo.xml").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Solo en español</title>
  <body xml:lang="es">
    <p>Solo en español por ahora.</p>
  </body>
</page>
""", encoding="utf-8")
    rc, out = check(content)
    assert rc == 0, out
    warnings = diagnostics(out, "pages/solo.xml", "warning")
    assert warnings, out
    assert any(line == 3 for line, _, _ in warnings), out
    assert not diagnostics(out, "pages/solo.xml", "error")


def test_nonexistent_folder_exits_2(tmp_path):
    missing = tmp_path / "no-such-content"
    rc, out = check(missing)
    assert rc == 2, out
    assert "no-such-content" in out


def test_no_argument_is_a_usage_error():
    rc, out = check()
    assert rc == 2
    assert out.strip()


def test_missing_translation_is_found_whatever_comes_first(content):
    """A title in fr and es but not en is a missing en translation, even though the
    group's first element (fr) is not the one the English page shows."""
    (content / "pages" / "trio.xml").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="fr">Salut</title>
  <title xml:lang="es">Hola</title>
  <body><p>x</p></body>
</page>
""", encoding="utf-8")
    rc, out = check(content)
    assert rc == 0, out
    warnings = diagnostics(out, "pages/trio.xml", "warning")
    assert [msg for _, _, msg in warnings if "no en translation" in msg], out


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read as another user")
def test_as_root_reads_as_the_apache_user():
    """Run as root, the tool reads the folder as the Apache user (Debian's envvars, else
    www-data): a file the server cannot read (umask 077) is an error, as the server
    would report it; --as-user root reads it."""
    root = tempfile.mkdtemp(prefix="bl-check-")
    try:
        content = os.path.join(root, "content")
        shutil.copytree(SAMPLE, content)
        for d, dirs, files in os.walk(root):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
        os.chmod(os.path.join(content, "pages", "about.xml"), 0o600)
        rc, out = check(content, as_user="")
        assert rc == 1, out
        assert "reading as www-data" in out
        assert re.search(r"pages/about\.xml:\d+:\d+: error: cannot read: Permission denied",
                         out), out
        rc, out = check(content, as_user="root")
        assert rc == 0, out
        rc, out = check(content, as_user="no-such-user-here")
        assert rc == 2 and "no user" in out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_xml_lang_that_is_no_language_tag_is_an_error(content):
    """An xml:lang names the language of a page in headers (Content-Language) and
    markup: one that is no BCP 47 tag (here with a line break in it) is refused at its
    line and column; an empty one (XML's "no language") is not."""
    path = content / "pages" / "about.xml"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r'<title xml:lang="en">', '<title xml:lang="en&#13;&#10;X-Evil: 1">',
                     text, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")
    line = [i for i, l in enumerate(new.splitlines(), 1) if "X-Evil" in l][0]
    rc, out = check(content)
    assert rc == 1, out
    errors = diagnostics(out, "pages/about.xml", "error")
    assert [e for e in errors if e[0] == line and "not a BCP 47 language tag" in e[2]], out
    path.write_text(text.replace('<title xml:lang="en">', '<title xml:lang="">', 1),
                    encoding="utf-8")
    rc, out = check(content)
    assert not diagnostics(out, "pages/about.xml", "error"), out
