"""A real browser (Debian's chromium, driven by playwright-core) looks at the site the
way a visitor on a phone does: the flyer's short URL, the language switcher, and the
remembered choice. The script is tests/browser/look.mjs; screenshots land in a temp
folder whose path the test prints."""
import json
import os
import subprocess
import tempfile

from bilingual_server import SRCDIR

BROWSER_DIR = os.path.join(SRCDIR, "tests", "browser")


def run_browser(base):
    outdir = tempfile.mkdtemp(prefix="bilingual-shots-")
    proc = subprocess.run(["node", os.path.join(BROWSER_DIR, "look.mjs"), base, outdir],
                          capture_output=True, text=True, timeout=120, cwd=BROWSER_DIR)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print("screenshots in", outdir)
    return json.loads(proc.stdout.strip().splitlines()[-1]), outdir


def test_phone_visitor_reads_switches_and_is_remembered(site):
    seen, outdir = run_browser(site.base)
    arrived, switched, returned = seen["arrived"], seen["switched"], seen["returned"]
    # An English browser on the neutral flyer URL lands on the English events page.
    assert arrived["url"] == "/en/events/"
    assert arrived["lang"] == "en"
    assert arrived["h1"] == "Events"
    assert arrived["h1Visible"]
    # Mobile-first: nothing wider than the phone's screen, the stylesheet applies, and
    # the switcher is a comfortable tap target.
    assert arrived["overflowX"] <= 0
    assert arrived["styled"], arrived["bodyFont"]
    assert arrived["switcher"]["hreflang"] == "es"
    assert arrived["switcher"]["height"] >= 24 and arrived["switcher"]["width"] >= 24
    # One tap on "Español" shows the same page in Spanish.
    assert switched["url"] == "/es/events/"
    assert switched["lang"] == "es"
    assert switched["h1"] == "Eventos"
    assert switched["overflowX"] <= 0
    # The choice is remembered: the home page's short URL now opens in Spanish, even
    # though the browser still asks for English.
    assert returned["url"] == "/es/"
    assert returned["lang"] == "es"
    assert {"name": "lang", "value": "es"} in seen["cookies"]
    for shot in ("events-en.png", "events-es.png", "home-es.png"):
        assert os.path.getsize(os.path.join(outdir, shot)) > 5000
