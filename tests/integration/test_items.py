"""Events and press releases as HTML (SPEC sections 2, 3, 5 and 7): the lists and their
order, item pages in both languages, dates in words at the item's own offset,
cancelled events, JSON-LD, 404s, untranslated items, embargoes and bad items.
"""
import datetime
import json
import math
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bilingual_server import SRCDIR  # noqa: E402
from helpers import (CANCELLED, ES_ONLY_PRESS, LANGS, date_words,  # noqa: E402
                     effective_lang, get_ok, norm_text, now, parents_of, parse_html,
                     rfc3339, sample_kind, time_words, write_marker)

SAMPLE = os.path.join(SRCDIR, "htdocs", "content")
UI = {"cancelled": {"es": "Cancelado", "en": "Cancelled"},
      "not-found": {"es": "Página no encontrada", "en": "Page not found"}}


def slugs(kind):
    return sorted(f[:-4] for f in os.listdir(os.path.join(SAMPLE, kind))
                  if re.match(r"^[a-z0-9][a-z0-9-]*\.xml$", f))


ITEMS = [(lang, kind, slug) for kind in ("events", "press") for slug in slugs(kind)
         for lang in LANGS]
ITEM_IDS = ["%s-%s-%s" % i for i in ITEMS]
EVENT_PAGES = [(lang, slug) for slug in slugs("events") for lang in LANGS]


# ---------------------------------------------------------------- helpers

def main_of(root):
    main = root.find(".//main")
    assert main is not None, "no <main>"
    return main


def item_links(root, lang, kind):
    """Slugs of the links to /LANG/KIND/SLUG in ROOT, in document order, once each."""
    pat = re.compile(r"^/%s/%s/([a-z0-9][a-z0-9-]*)$" % (lang, kind))
    out = []
    for a in root.iter("a"):
        m = pat.match(a.get("href") or "")
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def expected_event_order(items):
    t = now()
    upcoming = sorted((s for s in items if items[s]["start"] > t),
                      key=lambda s: items[s]["start"])
    past = sorted((s for s in items if items[s]["start"] <= t),
                  key=lambda s: items[s]["start"], reverse=True)
    return upcoming, past


# ---------------------------------------------------------------- lists

@pytest.mark.parametrize("lang", LANGS)
def test_events_list_upcoming_soonest_first_then_past_latest_first(site, lang):
    items = sample_kind(site.content, "events")
    upcoming, past = expected_event_order(items)
    assert upcoming and past                 # the sample has both
    root = parse_html(get_ok(site, "/%s/events/" % lang).body)
    assert item_links(main_of(root), lang, "events") == upcoming + past


@pytest.mark.parametrize("lang", LANGS)
def test_press_list_newest_first(site, lang):
    items = sample_kind(site.content, "press")
    want = sorted(items, key=lambda s: items[s]["published"], reverse=True)
    root = parse_html(get_ok(site, "/%s/press/" % lang).body)
    assert item_links(main_of(root), lang, "press") == want


@pytest.mark.parametrize("lang", LANGS)
def test_home_shows_at_most_three_upcoming_events(site, lang):
    items = sample_kind(site.content, "events")
    upcoming, _ = expected_event_order(items)
    assert len(upcoming) > 3                 # so that count="3" matters
    root = parse_html(get_ok(site, "/%s/" % lang).body)
    assert item_links(main_of(root), lang, "events") == upcoming[:3]


# ---------------------------------------------------------------- item pages

@pytest.mark.parametrize("lang,kind,slug", ITEMS, ids=ITEM_IDS)
def test_item_page_is_valid_html_in_its_language(site, lang, kind, slug):
    r = get_ok(site, "/%s/%s/%s" % (lang, kind, slug))
    assert r.header("Content-Type").replace(" ", "").lower() == "text/html;charset=utf-8"
    assert r.body.lstrip()[:15].lower() == b"<!doctype html>"
    root = parse_html(r.body, strict=True)          # raises on any parse error
    assert root.tag == "html" and root.get("lang") == lang
    info = sample_kind(site.content, kind)[slug]
    assert info["title"][lang] in norm_text(root.find(".//h1"))


@pytest.mark.parametrize("lang,slug", EVENT_PAGES)
def test_event_page_dates_in_words(site, lang, slug):
    info = sample_kind(site.content, "events")[slug]
    main = norm_text(main_of(parse_html(
        get_ok(site, "/%s/events/%s" % (lang, slug)).body)))
    assert date_words(info["start"], lang) in main, main[:300]
    assert time_words(info["start"], lang) in main, main[:300]
    if info["end"]:
        assert time_words(info["end"], lang) in main, main[:300]
    assert info["location"][lang] in main


@pytest.mark.parametrize("lang", LANGS)
def test_event_date_example_from_the_brief(site, lang):
    """know-your-rights starts 2027-02-13T10:00:00-05:00."""
    main = norm_text(main_of(parse_html(
        get_ok(site, "/%s/events/know-your-rights-st-albans-2027" % lang).body)))
    if lang == "es":
        assert "13 de febrero de 2027" in main and "10:00" in main
    else:
        assert "February 13, 2027" in main and "10:00 AM" in main


@pytest.mark.parametrize("lang", LANGS)
def test_press_page_dates_in_words(site, lang):
    for slug, info in sample_kind(site.content, "press").items():
        main = norm_text(main_of(parse_html(
            get_ok(site, "/%s/press/%s" % (lang, slug)).body)))
        assert date_words(info["published"], lang) in main, (slug, main[:300])


def test_dates_at_the_items_own_offset(fresh_site):
    """Times far from UTC: 23:30 in Tokyo is still March 1 there (14:30 UTC), and
    23:30 at -10:00 is March 2 in UTC: the page shows the item's own date and hour."""
    server = fresh_site()
    server.write("events/tokyo-call.xml", """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-05-01T10:00:00-04:00" start="2027-03-01T23:30:00+09:00">
  <title xml:lang="es">Llamada con Tokio</title><title xml:lang="en">Call with Tokyo</title>
  <location>Online</location><summary>x</summary><body><p>x</p></body>
</event>
""")
    server.write("press/honolulu-night.xml", """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-03-01T23:30:00-10:00">
  <title>Honolulu</title><summary>x</summary><body><p>x</p></body>
</press-release>
""")
    assert server.wait_for(lambda: server.get("/en/events/tokyo-call").status == 200
                           and server.get("/en/press/honolulu-night").status == 200)
    for lang, date, hour, pdate in (
            ("es", "1 de marzo de 2027", "23:30", "1 de marzo de 2016"),
            ("en", "March 1, 2027", "11:30 PM", "March 1, 2016")):
        main = norm_text(main_of(parse_html(
            get_ok(server, "/%s/events/tokyo-call" % lang).body)))
        assert date in main and hour in main, main
        main = norm_text(main_of(parse_html(
            get_ok(server, "/%s/press/honolulu-night" % lang).body)))
        assert pdate in main, main
        lst = norm_text(main_of(parse_html(get_ok(server, "/%s/events/" % lang).body)))
        assert date in lst and hour in lst


# ---------------------------------------------------------------- cancelled

def cancelled_mark(elem, lang):
    """Elements inside ELEM whose whole text is the `cancelled` word."""
    word = UI["cancelled"][lang].lower()
    return [e for e in elem.iter() if norm_text(e).strip(" ()[]:·-–").lower() == word]


@pytest.mark.parametrize("lang", LANGS)
def test_cancelled_event_marked_in_list(site, lang):
    root = parse_html(get_ok(site, "/%s/events/" % lang).body)
    marked = []
    for li in main_of(root).iter("li"):
        found = item_links(li, lang, "events")
        if len(found) == 1 and cancelled_mark(li, lang):
            marked.append(found[0])
    assert marked == [CANCELLED]


@pytest.mark.parametrize("lang", LANGS)
def test_cancelled_event_marked_on_its_page(site, lang):
    main = main_of(parse_html(get_ok(site, "/%s/events/%s" % (lang, CANCELLED)).body))
    assert cancelled_mark(main, lang)
    other = main_of(parse_html(
        get_ok(site, "/%s/events/know-your-rights-st-albans-2027" % lang).body))
    assert not cancelled_mark(other, lang)


# ---------------------------------------------------------------- JSON-LD

@pytest.mark.parametrize("lang,slug", EVENT_PAGES)
def test_event_json_ld(site, lang, slug):
    info = sample_kind(site.content, "events")[slug]
    root = parse_html(get_ok(site, "/%s/events/%s" % (lang, slug)).body)
    scripts = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    assert scripts, "no JSON-LD"
    objs = []
    for s in scripts:
        data = json.loads(s.text)                 # raises if it is not JSON
        for d in (data if isinstance(data, list) else data.get("@graph", [data])):
            objs.append((d.get("@context") or data.get("@context")
                         if isinstance(data, dict) else d.get("@context"), d))
    events = [(ctx, d) for ctx, d in objs if d.get("@type") == "Event"]
    assert len(events) == 1, objs
    ctx, ev = events[0]
    assert re.match(r"^https?://schema\.org/?$", str(ctx)), ctx
    assert rfc3339(ev["startDate"]) == info["start"]
    assert rfc3339(ev["endDate"]) == info["end"]
    status = ev["eventStatus"].rsplit("/", 1)[-1]
    if info["status"] == "cancelled":
        assert status == "EventCancelled"
    else:
        assert status == "EventScheduled"
    loc = ev["location"]
    name = loc if isinstance(loc, str) else loc.get("name")
    assert name == info["location"][lang]
    assert ev["inLanguage"] == lang
    assert ev["name"] == info["title"][lang]


# ---------------------------------------------------------------- 404s

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["events", "press"])
def test_unknown_slug_is_404_in_url_language(site, lang, kind):
    r = site.get("/%s/%s/no-such-item-2099" % (lang, kind))
    assert r.status == 404
    assert r.header("Content-Type").startswith("text/html")
    root = parse_html(r.body)
    assert root.get("lang") == lang
    assert UI["not-found"][lang] in norm_text(root)


@pytest.mark.parametrize("path", [
    "/es/events/A", "/es/events/a.b", "/en/press/A", "/es/press/a.b",
    "/en/events/a_b", "/es/events/-a", "/es/events/a%20b", "/es/events/Know-your-rights",
    "/es/events/know-your-rights-st-albans-2027.xml", "/es/press/act-193-becomes-law~",
    "/es/press/" + "a" * 300])
def test_bad_slug_is_404(site, path):
    r = site.get(path)
    assert r.status == 404, "%s: %d" % (path, r.status)


# ---------------------------------------------------------------- untranslated

def test_spanish_only_release_marked_on_english_list(site):
    root = parse_html(get_ok(site, "/en/press/").body)
    parents = parents_of(root)
    seen = {}
    for a in main_of(root).iter("a"):
        m = re.match(r"^/en/press/([a-z0-9-]+)$", a.get("href") or "")
        if m:
            seen[m.group(1)] = effective_lang(a, parents)
    assert seen[ES_ONLY_PRESS] == "es"
    assert {s for s, l in seen.items() if l != "en"} == {ES_ONLY_PRESS}


def test_spanish_only_release_page_in_english(site):
    r = get_ok(site, "/en/press/%s" % ES_ONLY_PRESS)
    root = parse_html(r.body)
    assert root.get("lang") == "en"
    parents = parents_of(root)
    h1 = root.find(".//h1")
    assert "Aviso a la comunidad" in norm_text(h1)
    inner = [e for e in h1.iter() if "Aviso a la comunidad" in norm_text(e)][-1]
    assert effective_lang(inner, parents) == "es"
    para = [e for e in main_of(root).iter("p")
            if "Compañeras y compañeros" in norm_text(e)]
    assert len(para) == 1 and effective_lang(para[0], parents) == "es"


# ---------------------------------------------------------------- embargo

EMBARGOED = """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="%s">
  <title xml:lang="es">Comunicado bajo embargo</title>
  <title xml:lang="en">Embargoed release</title>
  <summary>Embargoed summary</summary>
  <body><p>Embargoed body</p></body>
</press-release>
"""
SLUG = "embargoed-release"


def embargo_paths(lang):
    return ["/%s/press/" % lang, "/%s/" % lang, "/%s/feed.atom" % lang,
            "/%s/press/feed.atom" % lang]


def assert_embargoed(server):
    for lang in LANGS:
        assert server.get("/%s/press/%s" % (lang, SLUG)).status == 404
        for path in embargo_paths(lang):
            body = get_ok(server, path).text
            assert SLUG not in body and "mbargo" not in body, path
    assert SLUG not in get_ok(server, "/sitemap.xml").text


def assert_published(server, deadline):
    def visible():
        return all(server.get("/%s/press/%s" % (lang, SLUG)).status == 200 for lang in LANGS)
    assert server.wait_for(visible, timeout=max(deadline - time.time(), 0.1)), \
        "the embargoed release did not appear on its page in time"
    for lang in LANGS:
        for path in embargo_paths(lang) + ["/sitemap.xml"]:
            assert server.wait_for(lambda: SLUG in server.get(path).text,
                                   timeout=max(deadline - time.time(), 0.1)), path


def embargo_start(server, delay, tz):
    """Writes an item published DELAY seconds from now (in TZ) and a marker; waits
    until the marker shows, so that the item has been read too. Returns the time."""
    server.get("/es/")                           # content loaded
    at = math.ceil(time.time()) + delay
    stamp = datetime.datetime.fromtimestamp(at, tz).isoformat()
    if tz == datetime.timezone.utc:
        stamp = stamp.replace("+00:00", "Z")
    server.write("press/%s.xml" % SLUG, EMBARGOED % stamp)
    write_marker(server)
    return at


def test_embargo_lifts_on_time_utc(fresh_site):
    server = fresh_site(reload=1)
    at = embargo_start(server, 4, datetime.timezone.utc)
    assert server.wait_for(lambda: "marker-release" in server.get("/es/press/").text)
    assert_embargoed(server)
    before = server.get("/en/press/feed.atom")
    assert time.time() < at, "the checks took too long to test the embargo"
    assert_published(server, at + 3)
    # a feed reader holding the pre-embargo validators gets the new feed, not a 304
    r = server.get("/en/press/feed.atom", {"If-None-Match": before.header("ETag")})
    assert r.status == 200 and SLUG in r.text
    r = server.get("/en/press/feed.atom", {"If-Modified-Since": before.header("Last-Modified")})
    assert r.status == 200 and SLUG in r.text, "304 to If-Modified-Since after the embargo"


def test_embargo_lifts_on_time_with_offset(fresh_site):
    server = fresh_site(reload=1)
    at = embargo_start(server, 4, datetime.timezone(datetime.timedelta(hours=-5)))
    assert server.wait_for(lambda: "marker-release" in server.get("/en/press/").text)
    assert_embargoed(server)
    assert time.time() < at, "the checks took too long to test the embargo"
    assert_published(server, at + 3)


def test_embargo_lifts_without_reload(fresh_site):
    """BilingualReloadInterval 0: content is read at (graceful) restart only, yet an
    embargoed item read then still appears when its time comes."""
    server = fresh_site(reload=0)
    at = embargo_start(server, 6, datetime.timezone(datetime.timedelta(hours=2)))
    server.apache.graceful()
    assert server.wait_for(lambda: "marker-release" in server.get("/es/press/").text)
    assert_embargoed(server)
    assert time.time() < at, "the checks took too long to test the embargo"
    assert_published(server, at + 3)


# ---------------------------------------------------------------- bad items

EVENT_T = """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-01-01T10:00:00-05:00" start="{start}" end="{end}">
  <title xml:lang="es">{label} es</title>
  <title xml:lang="en">{label} en</title>
  <location>Burlington</location>
{extra}  <summary>{label} summary</summary>
  <body><p>{label} body</p></body>
</event>
"""
PRESS_T = """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-01-01T10:00:00-05:00">
{titles}  <summary>{label} summary</summary>
  <body><p>{label} body</p></body>
</press-release>
"""
GOOD = dict(start="2027-03-01T10:00:00-05:00", end="2027-03-01T12:00:00-05:00", extra="")
TITLES = '  <title xml:lang="es">{label} es</title>\n  <title xml:lang="en">{label} en</title>\n'


def item_text(case, label, bad):
    """(kind, text, lines where the error may be reported) of a test item."""
    if case == "missing-title":
        titles = "" if bad else TITLES.format(label=label)
        return "press", PRESS_T.format(titles=titles, label=label), (2, 5)
    kw = dict(GOOD, label=label)
    lines = (2,)
    if bad and case == "date-without-offset":
        kw["start"] = "2027-03-01T10:00:00"
    if bad and case == "end-before-start":
        kw["end"] = "2027-03-01T09:00:00-05:00"
    if bad and case == "unknown-child":
        kw["extra"] = "  <speaker>Ana</speaker>\n"
        lines = (6,)
    return "events", EVENT_T.format(**kw), lines


CASES = ["date-without-offset", "end-before-start", "missing-title", "unknown-child"]


def error_lines(server, rel):
    path = os.path.join(server.content, rel)
    pat = re.compile(re.escape(path) + r":(\d+):(\d+):")
    return [(int(m.group(1)), int(m.group(2)), line)
            for line in server.apache.read_log().splitlines()
            for m in [pat.search(line)] if m]


def wait_error(server, rel):
    assert server.wait_for(lambda: error_lines(server, rel)), \
        "no error naming %s:LINE:COL: in the log" % rel
    return error_lines(server, rel)


@pytest.mark.parametrize("case", CASES)
def test_bad_new_item_is_logged_and_not_served(fresh_site, expect_log, case):
    server = fresh_site()
    server.get("/es/")
    kind, text, lines = item_text(case, "Broken version", bad=True)
    rel = "%s/bad-item.xml" % kind
    expect_log(server, re.escape(os.path.join(server.content, rel)))
    server.write(rel, text)
    found = wait_error(server, rel)
    line, col, msg = found[0]
    assert line in lines, msg
    assert col >= 1
    for lang in LANGS:
        assert server.get("/%s/%s/bad-item" % (lang, kind)).status == 404
        for path in ("/%s/%s/" % (lang, kind), "/%s/feed.atom" % lang):
            assert "bad-item" not in get_ok(server, path).text, path
    assert "bad-item" not in get_ok(server, "/sitemap.xml").text
    assert "bad-item" not in get_ok(server, "/es/events.ics").text
    # the rest of the site is untouched
    assert get_ok(server, "/en/press/act-193-becomes-law")


@pytest.mark.parametrize("case", CASES)
def test_bad_edit_keeps_last_good_version(fresh_site, expect_log, case):
    server = fresh_site()
    server.get("/es/")
    kind, good, _ = item_text(case, "Good version", bad=False)
    rel = "%s/edited-item.xml" % kind
    page = "/en/%s/edited-item" % kind
    server.write(rel, good)
    assert server.wait_for(lambda: "Good version" in server.get(page).text)
    _, bad, lines = item_text(case, "Broken version", bad=True)
    expect_log(server, re.escape(os.path.join(server.content, rel)))
    server.write(rel, bad)
    found = wait_error(server, rel)
    assert found[0][0] in lines, found[0][2]
    for lang in LANGS:
        p = "/%s/%s/edited-item" % (lang, kind)
        body = get_ok(server, p).text
        assert "Good version" in body and "Broken version" not in body, p
        for path in ("/%s/%s/" % (lang, kind), "/%s/feed.atom" % lang):
            body = get_ok(server, path).text
            assert "Good version" in body and "Broken version" not in body, path


def test_error_logged_once(fresh_site, expect_log):
    server = fresh_site(reload=1)
    server.get("/es/")
    _, text, _ = item_text("end-before-start", "Broken version", bad=True)
    rel = "events/logged-once.xml"
    expect_log(server, re.escape(os.path.join(server.content, rel)))
    server.write(rel, text)
    wait_error(server, rel)
    for _ in range(25):                       # 2.5 reload intervals, with traffic
        server.get("/es/events/")
        time.sleep(0.1)
    assert len(error_lines(server, rel)) == 1, error_lines(server, rel)


def test_error_column_points_at_the_element(fresh_site, expect_log):
    """`<speaker>` starts at line 6, column 3 of the file: the log says so."""
    server = fresh_site()
    server.get("/es/")
    _, text, _ = item_text("unknown-child", "Broken version", bad=True)
    assert text.splitlines()[5] == "  <speaker>Ana</speaker>"
    rel = "events/column.xml"
    expect_log(server, re.escape(os.path.join(server.content, rel)))
    server.write(rel, text)
    line, col, msg = wait_error(server, rel)[0]
    assert (line, col) in ((6, 3), (6, 4)), msg
