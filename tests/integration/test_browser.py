"""A real browser (Debian's chromium, driven by playwright-core) looks at the site the
way a visitor on a phone does: the flyer's short URL, the language switcher, and the
remembered choice; and the home page on a small phone (360x640) in each language:
what the first screens show, nothing scrolling sideways, every subresource loaded.
The script is tests/browser/look.mjs; screenshots land in tests/browser/out/
(git-ignored), whose paths the tests print."""
import json
import os
import subprocess
import tempfile

import pytest

from bilingual_server import SRCDIR
from helpers import now, sample_kind

BROWSER_DIR = os.path.join(SRCDIR, "tests", "browser")
OUTDIR = os.path.join(BROWSER_DIR, "out")
SHOTS = ("events-en.png", "events-es.png", "home-es.png",
         "home-es-360.png", "home-es-360-full.png", "home-en-360.png", "home-en-360-full.png")
PHONE_W, PHONE_H = 360, 640
# The header and the menu together take at most a fifth of a small phone's first
# screen; the next event and a way to donate are within its first two screens.
CHROME_SHARE = 0.20
FIRST_SCREENS = 2 * PHONE_H

_seen = {}


def output_folder():
    """tests/browser/out/, emptied of the screenshots of an earlier run; a temporary
    folder when the source tree is read-only."""
    try:
        os.makedirs(OUTDIR, exist_ok=True)
        for shot in SHOTS:
            if os.path.exists(os.path.join(OUTDIR, shot)):
                os.remove(os.path.join(OUTDIR, shot))
        if os.access(OUTDIR, os.W_OK):
            return OUTDIR
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="bilingual-shots-")


def run_browser(base):
    outdir = output_folder()
    proc = subprocess.run(["node", os.path.join(BROWSER_DIR, "look.mjs"), base, outdir],
                          capture_output=True, text=True, timeout=180, cwd=BROWSER_DIR)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print("screenshots in", outdir)
    return json.loads(proc.stdout.strip().splitlines()[-1]), outdir


@pytest.fixture
def browser_run(site):
    """What the browser saw: one run of look.mjs for the tests of this file."""
    if site.base not in _seen:
        _seen[site.base] = run_browser(site.base)
    return _seen[site.base]


def test_phone_visitor_reads_switches_and_is_remembered(browser_run):
    seen, outdir = browser_run
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


def next_event(content):
    """The slug of the soonest event not over yet (upcoming until its end)."""
    events = sample_kind(content, "events")
    upcoming = sorted((e["start"], slug) for slug, e in events.items()
                      if (e["end"] or e["start"]) > now())
    return upcoming[0][1] if upcoming else None


@pytest.mark.parametrize("lang", ["es", "en"])
def test_home_page_on_a_small_phone(site, browser_run, lang):
    seen, outdir = browser_run
    home = seen["phone"][lang]
    for shot in home["screenshots"]:
        print("home page, %s, %dx%d:" % (lang, PHONE_W, PHONE_H), shot)
        assert os.path.dirname(shot) == outdir
        assert os.path.getsize(shot) > 5000, shot
    assert home["status"] == 200
    assert home["url"] == "/%s/" % lang and home["lang"] == lang
    assert home["viewport"] == {"width": PHONE_W, "height": PHONE_H}
    # The header and the menu: at the top, at most a fifth of the first screen.
    assert home["chromeTop"] <= 0
    assert home["chromeHeight"] <= CHROME_SHARE * PHONE_H, (
        "header %(header)s + menu %(nav)s" % home)
    # The first upcoming event's link and a donate link, within the first two screens.
    event = home["event"]
    assert next_event(site.content), "the sample has no upcoming event any more"
    assert event, "no upcoming event listed in the home page's main"
    assert event["href"] == "/%s/events/%s" % (lang, next_event(site.content)), event
    assert event["height"] > 0 and event["bottom"] <= FIRST_SCREENS, event
    donate = home["donate"]
    assert donate, "no donate link in the home page's main"
    assert donate["href"] == "/%s/get-involved#donate" % lang
    assert donate["height"] > 0 and donate["bottom"] <= FIRST_SCREENS, donate
    # Nothing scrolls sideways.
    assert home["scrollWidth"] <= PHONE_W
    # Every subresource loaded: the stylesheet, and the icons the head names, which
    # decode as images.
    assert home["failed"] == []
    hrefs = {icon["href"] for icon in home["icons"]}
    assert {"/favicon.ico", "/assets/favicon.svg", "/apple-touch-icon.png"} <= hrefs
    for icon in home["icons"]:
        assert icon["width"] > 0 and icon["height"] > 0, icon
    # Readable and tappable: no text under 16px, header and menu links at least 24px
    # both ways, and the first Tab shows the skip link, on screen, with a focus ring.
    assert home["smallestText"]["size"] >= 16, home["smallestText"]
    for tap in home["taps"]:
        assert tap["width"] >= 24 and tap["height"] >= 24, tap
    skip = home["skipLink"]
    assert "skip-link" in skip["cls"] and skip["href"].endswith("#main")
    assert skip["top"] >= 0 and skip["bottom"] <= PHONE_H and skip["outline"], skip


def test_walk_through_the_whole_site_compressed_and_revalidated(site, browser_run):
    """Chromium follows every link from /es/ to every Spanish page of the site (pages,
    lists, their years, items; the switcher's ?lang= links are left out, they only
    redirect to the same walk in English): every page answers 200, compressed by the module (Content-Encoding,
    Vary: Accept-Encoding), no subresource fails; a reload revalidates and gets 304
    with the page still shown."""
    walk = browser_run[0]["walk"]
    pages = walk["pages"]
    assert len(pages) >= 20, [p["url"] for p in pages]
    assert walk["left"] == 0, "the walk stopped before the end of the site"
    paths = {p["url"] for p in pages}
    for must in ("/es/", "/es/about", "/es/events/", "/es/press/"):
        assert must in paths, (must, sorted(paths))
    assert any(p.startswith("/es/press/2015/") or p.startswith("/es/events/201")
               for p in paths), "no archive page was reached by links"
    for p in pages:
        assert p["status"] == 200, p
        assert p["encoding"] in ("gzip", "br"), p
        assert "accept-encoding" in (p["vary"] or "").lower(), p
    assert walk["failed"] == [], walk["failed"]
    # the browser reports the revalidated page as the 200 it shows from its cache; the
    # server's access log says what was sent for the reload: 304
    assert walk["reload"], "the reload was not seen"
    assert walk["reloadTitle"], "the reloaded page shows nothing"
    with open(os.path.join(site.apache.rundir, "access.log")) as f:
        about = [line for line in f if '"GET /es/about HTTP/1.1"' in line]
    assert about and about[-1].split('"')[2].split()[0] == "304", about[-3:]
