"""Every kind of HTML page the module writes, in both languages, passes a real HTML
validator: html-validate (from npm, tests/browser/package.json) with its "standard"
rules, which check HTML5 content models, attributes, ids and nesting."""
import os
import subprocess
import tempfile

from bilingual_server import SRCDIR

VALIDATOR = os.path.join(SRCDIR, "tests", "browser", "node_modules", ".bin", "html-validate")
PATHS = [
    "/{l}/", "/{l}/about", "/{l}/fair-and-impartial-policing", "/{l}/get-involved",
    "/{l}/events/", "/{l}/press/", "/{l}/events/policy-anniversary-2027",
    "/{l}/events/community-forum-middlebury-2016", "/{l}/press/victory-stronger-policy",
    "/{l}/press/community-notice-july-1", "/{l}/no-such-page",
]


def test_every_page_passes_html_validate(site):
    folder = tempfile.mkdtemp(prefix="bilingual-html-")
    files = []
    for lang in ("es", "en"):
        for path in PATHS:
            resp = site.get(path.format(l=lang))
            assert resp.status in (200, 404), path
            name = os.path.join(folder, "%s%s.html" % (lang, path.format(l="").replace("/", "_")))
            with open(name, "wb") as f:
                f.write(resp.body)
            files.append(name)
    proc = subprocess.run([VALIDATOR, "--preset", "standard", "--formatter", "text"] + files,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(files) == 2 * len(PATHS)


def test_html_validate_catches_a_broken_page():
    """The validator itself is live: a page with a block inside a <p> and a duplicate
    id fails it."""
    folder = tempfile.mkdtemp(prefix="bilingual-html-")
    name = os.path.join(folder, "broken.html")
    with open(name, "w") as f:
        f.write('<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body>'
                '<p id="a"><div>block</div></p><span id="a">dup</span></body></html>\n')
    proc = subprocess.run([VALIDATOR, "--preset", "standard", name], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0
    assert "no-dup-id" in proc.stdout or "no-dup-id" in proc.stderr
