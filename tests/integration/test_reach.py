"""Reach (issue 8): what real clients that no one here wrote make of the site.

Feed readers (feedparser, newsboat, and the npm readers rss-parser and
@extractus/feed-extractor) open every feed's and entry's link in the feed's language;
calendars (python icalendar and Mozilla's ical.js) import one event from
/xx/events/SLUG.ics; link previews (Open Graph, Twitter cards) are on every page and
pass structured-data-testing-tool's Facebook, Twitter and Google presets; an
untranslated item says so in its headers, head, page and the sitemap; lists are paged
(BilingualListSize) with year archives, and stay under 100 KB with 10,000 items; the
404 page's skip link stays on the page; an item named like a year is ignored.

The Node clients are installed by scripts/deps.sh into tests/clients/ and driven by
the small scripts there (feeds.mjs, ics.mjs, sdtt.cjs); newsboat is Debian's.
"""
import concurrent.futures
import datetime
import json
import math
import os
import re
import sqlite3
import subprocess
import urllib.parse
import warnings

import icalendar
import lxml.html
import pytest
from lxml import etree

from bilingual_server import SRCDIR, Apache
from helpers import (ES_ONLY_PRESS, LANGS, OTHER, get_ok, location_path, norm_text, now,
                     parse_html, pick, read_content, sample_items, sample_kind)

with warnings.catch_warnings():          # feedparser imports the deprecated cgi
    warnings.simplefilter("ignore", DeprecationWarning)
    import feedparser

CLIENTS = os.path.join(SRCDIR, "tests", "clients")
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FEED_PATH = {"feed": "/%s/feed.atom", "events": "/%s/events/feed.atom",
             "press": "/%s/press/feed.atom"}
FEED_PAGE = {"feed": "/%s/", "events": "/%s/events/", "press": "/%s/press/"}
FEEDS = [(lang, name) for lang in LANGS for name in FEED_PATH]
FEED_IDS = ["%s-%s" % f for f in FEEDS]
SITE_NAME = {"es": "Justicia Migrante", "en": "Migrant Justice"}
OG_LOCALE = {"es": "es_ES", "en": "en_US"}           # the built-in defaults
SAMPLE_OG_LOCALE = {"es": "es_US", "en": "en_US"}    # what the sample's site.xml sets
SAMPLE_TWITTER = "@migrantjustice"
SAMPLE_IMAGE = "/assets/og.png"
LANG_NAME = {"es": "Español", "en": "English"}
ONLY_IN_SPANISH = {"en": "Only available in Spanish"}
ADD_TO_CALENDAR = {"es": "Añadir al calendario", "en": "Add to calendar"}
SUBSCRIBE_ALL = {"es": "Suscribirse a todos los eventos", "en": "Subscribe to all events"}
MAX_PAGE_BYTES = 100 * 1024
DEFAULT_LIST_SIZE = 20

# site.xml with everything link previews can use: a description, a default image with
# an alt text per language, the campaign's account and a US Spanish locale.
TWITTER = "@justiciamig"
SITE_IMAGE = "/assets/og.png"
SITE_IMAGE_ALT = {"es": "Trabajadores agrícolas marchan en Montpelier",
                  "en": "Farmworkers march in Montpelier"}
SITE_DESCRIPTION = {"es": "Trabajadores del campo de Vermont organizados por sus derechos.",
                    "en": "Vermont farmworkers organizing for their rights."}
PREVIEW_SITE_XML = """
  <description xml:lang="es">%s</description>
  <description xml:lang="en">%s</description>
  <image src="%s" width="1200" height="630">
    <alt xml:lang="es">%s</alt>
    <alt xml:lang="en">%s</alt>
  </image>
  <twitter>%s</twitter>
  <string key="og-locale" xml:lang="es">es_US</string>
</site>""" % (SITE_DESCRIPTION["es"], SITE_DESCRIPTION["en"], SITE_IMAGE,
              SITE_IMAGE_ALT["es"], SITE_IMAGE_ALT["en"], TWITTER)


# ---------------------------------------------------------------- helpers

PREVIEW_ELEMENTS = re.compile(
    r'\s*(<description\b[^>]*>.*?</description>|<image\b.*?</image>|<twitter>.*?</twitter>'
    r'|<string key="og-locale"[^>]*>.*?</string>)', re.S)


def strip_previews(site_xml):
    """site.xml without the link-preview settings (description, image, twitter,
    og-locale strings): what the module writes with none of them."""
    return PREVIEW_ELEMENTS.sub("", site_xml)


def node(script, *args, timeout=180):
    """Runs tests/clients/SCRIPT with ARGS under node; returns the JSON it prints."""
    assert os.path.isdir(os.path.join(CLIENTS, "node_modules")), \
        "tests/clients/node_modules is missing: run scripts/deps.sh --test"
    proc = subprocess.run(["node", os.path.join(CLIENTS, script)] + list(args),
                          capture_output=True, text=True, timeout=timeout, cwd=CLIENTS)
    assert proc.returncode == 0, "%s failed:\n%s%s" % (script, proc.stdout, proc.stderr)
    return json.loads(proc.stdout)


def url_lang(url):
    """The language prefix of URL's path ('es' for http://host/es/press/x)."""
    parts = urllib.parse.urlsplit(url).path.split("/")
    return parts[1] if len(parts) > 2 else None


def url_path(url):
    return urllib.parse.urlsplit(url).path


def settle(server, check, runs=6, timeout=20.0):
    """Waits until CHECK() holds on RUNS consecutive calls (each GET may reach another
    child, so every child has the new content)."""
    def steady():
        return all(check() for _ in range(runs))
    return server.wait_for(steady, timeout)


def metas(root):
    """{property or name: [content, ...]} of the page's meta elements."""
    out = {}
    for m in root.iter("meta"):
        key = m.get("property") or m.get("name")
        if key:
            out.setdefault(key, []).append(m.get("content"))
    return out


def meta1(root, key):
    """The one content of meta KEY (which must appear exactly once)."""
    vals = metas(root).get(key, [])
    assert len(vals) == 1, "meta %s: %r" % (key, vals)
    return vals[0]


def head_links(root, rel):
    return [l for l in root.iter("link") if rel in (l.get("rel") or "").split()]


def canonical(root):
    found = head_links(root, "canonical")
    assert len(found) == 1, [l.get("href") for l in found]
    return found[0].get("href")


def hreflangs(root):
    """{hreflang: href} of the page's hreflang alternates."""
    return {l.get("hreflang"): l.get("href") for l in head_links(root, "alternate")
            if l.get("hreflang")}


def main_of(root):
    main = root.find(".//main")
    assert main is not None, "no <main>"
    return main


def list_entries(root):
    """The slugs of the entries of the lists in <main>, in document order."""
    out = []
    for ul in main_of(root).iter("ul"):
        if "bl-list" not in (ul.get("class") or "").split():
            continue
        for li in ul.findall("li"):
            a = li.find("a")
            out.append(a.get("href").rstrip("/").rsplit("/", 1)[1])
    return out


def fast_entries(body):
    """list_entries() with lxml's HTML parser, for the thousands of pages of the
    10,000-item site (html5lib would take minutes)."""
    doc = lxml.html.document_fromstring(body)
    return [a.get("href").rsplit("/", 1)[1]
            for a in doc.xpath("//main//ul[contains(concat(' ', @class, ' '), ' bl-list ')]"
                               "/li/a[1]")]


def list_sections(root):
    """[(heading class, [slugs])] for each list in <main>, the heading the h2 just
    before it (bl-upcoming or bl-past), None without one."""
    out, heading = [], None
    for elem in main_of(root).iter():
        cls = (elem.get("class") or "").split()
        if elem.tag == "h2" and ("bl-upcoming" in cls or "bl-past" in cls):
            heading = "upcoming" if "bl-upcoming" in cls else "past"
        elif elem.tag == "ul" and "bl-list" in cls:
            slugs = [li.find("a").get("href").rsplit("/", 1)[1] for li in elem.findall("li")]
            out.append((heading, slugs))
            heading = None
    return out


def page_nav(root):
    """The <nav class="bl-pages"> of the page, or None."""
    navs = [n for n in root.iter("nav") if "bl-pages" in (n.get("class") or "").split()]
    assert len(navs) <= 1
    return navs[0] if navs else None


def rel_links(elem, rel, tag):
    return [a.get("href") for a in elem.iter(tag) if (a.get("rel") or "") == rel]


def event_order(content):
    """The events list's order (SPEC 2): upcoming (until their end) soonest first, then
    past latest first; returns (upcoming slugs, past slugs)."""
    items = sample_kind(content, "events")
    t = now()
    over = {s: (i["end"] or i["start"]) for s, i in items.items()}
    upcoming = sorted((s for s in items if over[s] > t), key=lambda s: (items[s]["start"], s))
    past = sorted((s for s in items if over[s] <= t),
                  key=lambda s: (items[s]["start"], s), reverse=True)
    return upcoming, past


def press_order(content):
    items = sample_kind(content, "press")
    return sorted(items, key=lambda s: (items[s]["published"], s), reverse=True)


def follow_pages(server, path, limit=1000):
    """GETs PATH and the pages after it by their rel="next" head link; returns
    [(path, response, root)]."""
    out, seen = [], set()
    while path:
        assert path not in seen and len(out) < limit, "rel=next loops at %s" % path
        seen.add(path)
        r = get_ok(server, path)
        root = parse_html(r.body)
        out.append((path, r, root))
        nxt = head_links(root, "next")
        path = None
        if nxt:
            assert len(nxt) == 1
            url = nxt[0].get("href")
            assert url.startswith(server.base + "/"), url
            path = url[len(server.base):]
    return out


def page_paths(content):
    names = sorted(f[:-4] for f in os.listdir(os.path.join(content, "pages"))
                   if re.match(r"^[a-z0-9][a-z0-9-]*\.xml$", f))
    return {name: ("/%s/" if name == "index" else "/%s/" + name) for name in names}


def page_title(content, name, lang):
    root = etree.parse(os.path.join(content, "pages", name + ".xml")).getroot()
    return " ".join(pick(root.findall("title"), lang).text.split())


def event_xml(title_es, title_en, published, start, end=None, extra=""):
    return """<?xml version="1.0" encoding="UTF-8"?>
<event published="%s" start="%s"%s>
  <title xml:lang="es">%s</title><title xml:lang="en">%s</title>
  <location xml:lang="es">Salón comunitario</location>
  <location xml:lang="en">Community hall</location>%s
  <summary xml:lang="es">Resumen de %s.</summary><summary xml:lang="en">Summary of %s.</summary>
  <body xml:lang="es"><p>Texto.</p></body><body xml:lang="en"><p>Text.</p></body>
</event>
""" % (published, start, ' end="%s"' % end if end else "", title_es, title_en, extra,
       title_es, title_en)


def press_xml(title_es, title_en, published, extra=""):
    return """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="%s">
  <title xml:lang="es">%s</title><title xml:lang="en">%s</title>%s
  <summary xml:lang="es">Resumen de %s.</summary><summary xml:lang="en">Summary of %s.</summary>
  <body xml:lang="es"><p>Texto.</p></body><body xml:lang="en"><p>Text.</p></body>
</press-release>
""" % (published, title_es, title_en, extra, title_es, title_en)


def iso(dt):
    return dt.replace(microsecond=0).isoformat()


def vevents(body):
    return [c for c in icalendar.Calendar.from_ical(body).walk("VEVENT")]


# ---------------------------------------------------------------- feeds

@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feed_has_one_alternate_and_translations_as_related(site, lang, name):
    """In the Atom itself: the feed and each entry have exactly one rel=alternate
    type=text/html, in the feed's language (the feed's list page, the entry's page);
    the other language is a rel=related with hreflang and a title naming it."""
    feed = etree.fromstring(get_ok(site, FEED_PATH[name] % lang).body)
    other = OTHER[lang]
    checked = [(feed, "feed")] + [(e, e.findtext(A + "id")) for e in feed.findall(A + "entry")]
    for elem, what in checked:
        links = elem.findall(A + "link")
        alt = [l for l in links if l.get("rel", "alternate") == "alternate"
               and l.get("type") == "text/html"]
        assert len(alt) == 1, (what, [etree.tostring(l) for l in links])
        assert url_lang(alt[0].get("href")) == lang, (what, alt[0].get("href"))
        related = [l for l in links if l.get("rel") == "related"]
        assert [l.get("hreflang") for l in related] == [other], what
        assert related[0].get("title") == LANG_NAME[other], what
        other_path = url_path(related[0].get("href"))
        if elem is feed:
            assert alt[0].get("href") == site.base + FEED_PAGE[name] % lang
            assert other_path == FEED_PATH[name] % other
            assert related[0].get("type") == "application/atom+xml"
        else:
            own = url_path(alt[0].get("href"))
            assert other_path == "/%s/%s" % (other, own.split("/", 2)[2]), (own, other_path)


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feedparser_links_in_feed_language(site, lang, name):
    """feedparser (which keeps the last alternate it sees) gives every entry's .link
    and the feed's .link under /xx/ of the feed's language: its own page and list."""
    r = get_ok(site, FEED_PATH[name] % lang)
    parsed = feedparser.parse(r.body, response_headers={
        "content-type": r.header("Content-Type"),
        "content-location": site.base + FEED_PATH[name] % lang})
    assert parsed.bozo == 0, repr(parsed.get("bozo_exception"))
    assert parsed.feed.link == site.base + FEED_PAGE[name] % lang
    assert len(parsed.entries) > 0
    for entry in parsed.entries:
        assert url_lang(entry.link) == lang, (entry.id, entry.link)
        # the entry's id names its kind and slug: the link is that item's page
        kind_slug = entry.id.split(":")[-1].split("/", 1)[1]
        assert entry.link == "%s/%s/%s" % (site.base, lang, kind_slug), (entry.id, entry.link)


def newsboat_read(server, urls, workdir):
    """Reloads URLS with newsboat, headless, into its own cache and config under
    WORKDIR; returns (rss_feed rows, rss_item rows, OPML export)."""
    urlfile = os.path.join(workdir, "urls")
    with open(urlfile, "w") as f:
        f.write("".join(u + "\n" for u in urls))
    config = os.path.join(workdir, "config")
    with open(config, "w") as f:
        f.write("reload-threads 2\ndownload-timeout 20\n")
    cache = os.path.join(workdir, "cache.db")
    env = dict(os.environ, HOME=workdir, XDG_CONFIG_HOME=os.path.join(workdir, ".config"),
               XDG_DATA_HOME=os.path.join(workdir, ".local"), TERM="dumb")
    args = ["newsboat", "-u", urlfile, "-c", cache, "-C", config]
    proc = subprocess.run(args + ["-x", "reload"], capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    export = subprocess.run(args + ["-e"], capture_output=True, text=True, timeout=60,
                            env=env, stdin=subprocess.DEVNULL)
    assert export.returncode == 0, export.stdout + export.stderr
    db = sqlite3.connect(cache)
    try:
        feeds = db.execute("SELECT rssurl, url, title FROM rss_feed").fetchall()
        items = db.execute("SELECT guid, url, feedurl FROM rss_item WHERE deleted = 0").fetchall()
    finally:
        db.close()
    return feeds, items, export.stdout


def test_newsboat_opens_entries_and_sites_in_feed_language(site, tmp_path):
    """newsboat 2.21 (which takes the last alternate) reloads all six feeds headless:
    each feed's website (rss_feed.url, and htmlUrl in its OPML export) is the feed's
    list page in its language, and every item's url is the entry's own page in the
    language of the feed it came from."""
    urls = [site.base + FEED_PATH[name] % lang for lang, name in FEEDS]
    feeds, items, opml = newsboat_read(site, urls, str(tmp_path))
    expected_site = {site.base + FEED_PATH[name] % lang: site.base + FEED_PAGE[name] % lang
                     for lang, name in FEEDS}
    assert {rss: url for rss, url, _ in feeds} == expected_site
    assert all(title for _, _, title in feeds)

    # the entries as the server wrote them: id -> own page, by language
    want = {}
    for url in urls:
        feed = etree.fromstring(get_ok(site, url_path(url)).body)
        for e in feed.findall(A + "entry"):
            alt = [l.get("href") for l in e.findall(A + "link") if l.get("rel") == "alternate"]
            want[e.findtext(A + "id")] = alt[0]
    assert items, "newsboat stored no item"
    got = {}
    for guid, url, feedurl in items:
        assert url_lang(url) == url_lang(feedurl), (guid, url, feedurl)
        got[guid] = url
    assert got == want

    outlines = etree.fromstring(opml.encode()).iter("outline")
    assert {o.get("xmlUrl"): o.get("htmlUrl") for o in outlines} == expected_site


def test_npm_feed_readers_links_in_feed_language(site):
    """rss-parser and @extractus/feed-extractor read each feed from the server: every
    entry's link is its page in the feed's language, and the feed's link is in that
    language too."""
    urls = [site.base + FEED_PATH[name] % lang for lang, name in FEEDS]
    read = node("feeds.mjs", *urls)
    for lang, name in FEEDS:
        url = site.base + FEED_PATH[name] % lang
        rp, fe = read[url]["rssParser"], read[url]["feedExtractor"]
        assert rp["link"] == site.base + FEED_PAGE[name] % lang, (url, rp["link"])
        assert url_lang(fe["link"]) == lang, (url, fe["link"])
        assert len(rp["items"]) == len(fe["entries"]) > 0
        for reader in (rp["items"], fe["entries"]):
            for entry in reader:
                kind_slug = entry["id"].split(":")[-1].split("/", 1)[1]
                assert entry["link"] == "%s/%s/%s" % (site.base, lang, kind_slug), (url, entry)


# ---------------------------------------------------------------- one event's calendar

@pytest.mark.parametrize("lang", LANGS)
def test_event_ics_holds_that_one_event(site, lang):
    """/xx/events/SLUG.ics of every event: text/calendar, one VEVENT, the same UID,
    SUMMARY, DTSTART, DTEND, LOCATION and STATUS as that event in /xx/events.ics, the
    summary in the URL's language, DTSTART the content's start, and no X-WR-CALNAME
    (a calendar program would otherwise make it a calendar of its own)."""
    events = sample_kind(site.content, "events")
    full = {str(v.get("URL")): v for v in vevents(get_ok(site, "/%s/events.ics" % lang).body)}
    assert len(full) == len(events) > 1
    for slug, info in events.items():
        r = get_ok(site, "/%s/events/%s.ics" % (lang, slug))
        ctype = r.header("Content-Type").replace(" ", "").lower()
        assert ctype == "text/calendar;charset=utf-8", r.header("Content-Type")
        cal = icalendar.Calendar.from_ical(r.body)
        assert "X-WR-CALNAME" not in cal, slug
        evs = vevents(r.body)
        assert len(evs) == 1, (slug, len(evs))
        ev = evs[0]
        page = "%s/%s/events/%s" % (site.base, lang, slug)
        assert str(ev.get("URL")) == page
        same = full[page]
        for prop in ("UID", "SUMMARY", "LOCATION", "STATUS"):
            assert str(ev.get(prop)) == str(same.get(prop)), (slug, prop)
        assert ev.decoded("DTSTART") == same.decoded("DTSTART") == info["start"], slug
        assert ev.decoded("DTEND") == same.decoded("DTEND"), slug
        assert info["title"][lang] in str(ev.get("SUMMARY")), (slug, str(ev.get("SUMMARY")))


def test_event_ics_in_icaljs(site):
    """Mozilla's ical.js (Thunderbird's parser) imports each event's .ics: one VEVENT,
    the summary in the URL's language, the start the content's, the full calendar's
    UID, and no calendar name."""
    events = sample_kind(site.content, "events")
    urls = ["%s/%s/events/%s.ics" % (site.base, lang, slug) for lang in LANGS for slug in events]
    urls += ["%s/%s/events.ics" % (site.base, lang) for lang in LANGS]
    read = node("ics.mjs", *urls)
    for lang in LANGS:
        full = read["%s/%s/events.ics" % (site.base, lang)]["events"]
        uid_of = {e["url"]: e["uid"] for e in full}
        for slug, info in events.items():
            got = read["%s/%s/events/%s.ics" % (site.base, lang, slug)]
            assert got["status"] == 200
            assert got["calname"] is None, (slug, got["calname"])
            assert len(got["events"]) == 1, (slug, got["events"])
            ev = got["events"][0]
            page = "%s/%s/events/%s" % (site.base, lang, slug)
            assert ev["url"] == page
            assert ev["uid"] == uid_of[page]
            assert info["title"][lang] in ev["summary"], (slug, ev["summary"])
            assert ev["start"] == int(info["start"].timestamp()), slug
            assert ev["startZone"] == "UTC", (slug, ev["startZone"])   # SPEC 6: in UTC
            if info["end"] is not None:
                assert ev["end"] == int(info["end"].timestamp()), slug


@pytest.mark.parametrize("lang", LANGS)
def test_event_ics_of_unknown_or_press_slug_is_404(site, lang):
    """Only events have a calendar of their own: an unknown slug, a press release's
    slug and a bad slug give 404."""
    press = sorted(sample_kind(site.content, "press"))[0]
    for path in ("/%s/events/nope.ics" % lang, "/%s/events/%s.ics" % (lang, press),
                 "/%s/press/%s.ics" % (lang, press), "/%s/events/Nope.ics" % lang):
        r = site.get(path)
        assert r.status == 404, (path, r.status)


@pytest.mark.parametrize("lang", LANGS)
def test_event_page_links_add_to_calendar_and_subscribe(site, lang):
    """Every event page links "Add to calendar" to its own .ics and "Subscribe to all
    events" to the whole calendar, in the page's language."""
    for slug in sample_kind(site.content, "events"):
        root = parse_html(get_ok(site, "/%s/events/%s" % (lang, slug)).body)
        links = {norm_text(a): a.get("href") for a in main_of(root).iter("a")}
        assert links.get(ADD_TO_CALENDAR[lang]) == "/%s/events/%s.ics" % (lang, slug), links
        assert links.get(SUBSCRIBE_ALL[lang]) == "/%s/events.ics" % lang, links


def test_event_address_in_calendar_page_and_json_ld(fresh_site):
    """An event's <address> reaches a calendar (LOCATION: the place, then the address),
    the page (class bl-address under the place) and search engines (JSON-LD
    location.address, a schema.org PostalAddress)."""
    server = fresh_site()
    addr = {"street": "12 Elm Street", "locality": "Burlington", "region": "VT",
            "postal-code": "05401", "country": "US"}
    server.write("events/hall-meeting.xml", event_xml(
        "Asamblea en el salón", "Meeting at the hall", "2016-05-01T10:00:00-04:00",
        "2027-03-01T18:30:00-05:00", "2027-03-01T20:00:00-05:00",
        extra='\n  <address %s/>' % " ".join('%s="%s"' % kv for kv in addr.items())))
    assert settle(server, lambda: server.get("/en/events/hall-meeting.ics").status == 200)
    place = {"es": "Salón comunitario", "en": "Community hall"}
    for lang in LANGS:
        ev, = vevents(get_ok(server, "/%s/events/hall-meeting.ics" % lang).body)
        location = str(ev.get("LOCATION"))
        assert location.startswith(place[lang]), location
        rest = location[len(place[lang]):]
        pos = [rest.find(addr[k]) for k in ("street", "locality", "region", "postal-code")]
        assert all(p > 0 for p in pos) and pos == sorted(pos), location

        root = parse_html(get_ok(server, "/%s/events/hall-meeting" % lang).body)
        spans = [e for e in main_of(root).iter()
                 if "bl-address" in (e.get("class") or "").split()]
        assert len(spans) == 1
        shown = norm_text(spans[0])
        for k in ("street", "locality", "region", "postal-code"):
            assert addr[k] in shown, shown
        text = norm_text(main_of(root))
        assert text.index(place[lang]) < text.index(addr["street"])

        data = json.loads([s.text for s in root.iter("script")
                           if s.get("type") == "application/ld+json"][0])
        assert data["location"]["@type"] == "Place"
        assert data["location"]["name"] == place[lang]
        postal = data["location"]["address"]
        assert postal["@type"] == "PostalAddress"
        assert postal["streetAddress"] == "12 Elm Street"
        assert postal["addressLocality"] == "Burlington"
        assert postal["addressRegion"] == "VT"
        assert postal["postalCode"] == "05401"
        assert postal["addressCountry"] == "US"


# ---------------------------------------------------------------- link previews

def preview_targets(server):
    """[(path, kind, lang, expected title)] of every page, item and list page."""
    out = []
    for lang in LANGS:
        for name, pattern in page_paths(server.content).items():
            out.append((pattern % lang, "page", lang, page_title(server.content, name, lang)))
        for (kind, slug), info in sample_items(server.content).items():
            out.append(("/%s/%s/%s" % (lang, kind, slug), "item", lang, info["title"][lang]))
        for kind in ("events", "press"):
            out.append(("/%s/%s/" % (lang, kind), "list", lang, None))
    return out


def check_previews(server, og_locale, image, twitter):
    """The Open Graph and Twitter tags of every page, item and list of SERVER in each
    language: og:type (article for items), og:title, og:description (the meta
    description), og:url (the canonical), og:site_name, og:locale (OG_LOCALE) and
    og:locale:alternate; the image IMAGE (None: none, and a "summary" card) and the
    account TWITTER (None: no twitter:site)."""
    targets = preview_targets(server)
    assert len(targets) > 20
    for path, kind, lang, title in targets:
        root = parse_html(get_ok(server, path).body)
        untranslated = path.endswith("/press/" + ES_ONLY_PRESS)    # Spanish only
        own = "es" if untranslated else lang
        assert meta1(root, "og:type") == ("article" if kind == "item" else "website"), path
        og_title = meta1(root, "og:title")
        assert og_title and (title is None or og_title == title), (path, og_title)
        desc = meta1(root, "og:description")
        assert desc, path
        if meta1(root, "description") is not None:
            assert desc == meta1(root, "description"), path
        assert meta1(root, "og:url") == canonical(root), path
        assert meta1(root, "og:site_name") == SITE_NAME[lang], path
        assert meta1(root, "og:locale") == og_locale[own], path
        alternates = metas(root).get("og:locale:alternate", [])
        want = [] if untranslated else [og_locale[OTHER[lang]]]
        assert alternates == want, (path, alternates)
        assert meta1(root, "twitter:title") == og_title, path
        assert meta1(root, "twitter:description") == desc, path
        if image is None:
            assert meta1(root, "twitter:card") == "summary", path
            assert "og:image" not in metas(root) and "twitter:image" not in metas(root), path
        else:
            assert meta1(root, "twitter:card") == "summary_large_image", path
            assert meta1(root, "og:image") == server.base + image, path
            assert meta1(root, "twitter:image") == server.base + image, path
            assert meta1(root, "og:image:width") == "1200", path
            assert meta1(root, "og:image:height") == "630", path
            assert meta1(root, "og:image:alt"), path
        if twitter is None:
            assert "twitter:site" not in metas(root), path
        else:
            assert meta1(root, "twitter:site") == twitter, path
            assert meta1(root, "twitter:creator") == twitter, path


def test_every_page_and_item_has_link_previews(site):
    """The sample: site.xml gives an image, an account and US locales, so every page,
    item and list previews with them."""
    check_previews(site, SAMPLE_OG_LOCALE, SAMPLE_IMAGE, SAMPLE_TWITTER)


def test_link_previews_without_site_settings(fresh_site):
    """With no preview settings in site.xml: the built-in locales, a "summary" card
    without an image, no account; still every tag else."""
    server = fresh_site()
    server.write("site.xml", strip_previews(read_content(server, "site.xml")))
    assert settle(server, lambda: b"twitter:site" not in server.get("/en/").body)
    check_previews(server, OG_LOCALE, None, None)


def preview_site(fresh_site, **kw):
    """A server whose site.xml has a description, an image, a Twitter account and an
    es_US locale, plus a page with its own <image>, a press release whose body has an
    <img> with a size and one without, and a page without a description."""
    server = fresh_site(**kw)
    site_xml = strip_previews(read_content(server, "site.xml")).replace("</site>",
                                                                        PREVIEW_SITE_XML)
    server.write("site.xml", site_xml)
    server.write("pages/with-image.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Con imagen</title><title xml:lang="en">With an image</title>
  <image src="/assets/march.jpg" width="800" height="418">
    <alt xml:lang="es">Una marcha</alt><alt xml:lang="en">A march</alt>
  </image>
  <body><p><img src="/assets/not-this.png" width="10" height="10" alt="no"/></p></body>
</page>
""")
    server.write("press/with-photo.xml", press_xml(
        "Con foto", "With a photo", "2016-04-01T10:00:00-04:00").replace(
        "<body xml:lang=\"es\"><p>Texto.</p></body>",
        '<body xml:lang="es"><p><img src="/assets/nosize.png" alt="sin tamaño"/></p>'
        '<p><img src="/assets/photo-es.jpg" width="1024" height="768" alt="Foto"/></p></body>')
        .replace("<body xml:lang=\"en\"><p>Text.</p></body>",
                 '<body xml:lang="en"><p><img src="https://img.example/photo-en.jpg" '
                 'width="1024" height="768" alt="Photo"/></p></body>'))
    server.write("pages/no-description.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Sin descripción</title><title xml:lang="en">No description</title>
  <body><p>Nada.</p></body>
</page>
""")
    assert settle(server, lambda: b"twitter:site" in server.get("/en/no-description").body
                  and server.get("/en/press/with-photo").status == 200
                  and server.get("/es/with-image").status == 200)
    return server


def test_previews_image_twitter_locale_and_description_from_site_xml(fresh_site):
    """site.xml's image (absolute URL, size, alt per language) is every page's preview
    image unless the page or item has its own <image> or a sized <img> with alt in its
    body; the cards are summary_large_image with twitter:image, twitter:image:alt,
    twitter:site and twitter:creator; og:locale is es_US where site.xml says so; a page
    without a description previews with site.xml's."""
    server = preview_site(fresh_site)
    base = server.base
    cases = [  # (path, image, width, height, alt)
        ("/es/", base + SITE_IMAGE, "1200", "630", SITE_IMAGE_ALT["es"]),
        ("/en/", base + SITE_IMAGE, "1200", "630", SITE_IMAGE_ALT["en"]),
        ("/en/events/", base + SITE_IMAGE, "1200", "630", SITE_IMAGE_ALT["en"]),
        ("/es/press/act-193-becomes-law", base + SITE_IMAGE, "1200", "630", SITE_IMAGE_ALT["es"]),
        ("/es/with-image", base + "/assets/march.jpg", "800", "418", "Una marcha"),
        ("/en/with-image", base + "/assets/march.jpg", "800", "418", "A march"),
        ("/es/press/with-photo", base + "/assets/photo-es.jpg", "1024", "768", "Foto"),
        ("/en/press/with-photo", "https://img.example/photo-en.jpg", "1024", "768", "Photo"),
    ]
    for path, image, width, height, alt in cases:
        lang = url_lang(path)
        root = parse_html(get_ok(server, path).body)
        assert meta1(root, "og:image") == image, path
        assert meta1(root, "og:image:width") == width, path
        assert meta1(root, "og:image:height") == height, path
        assert meta1(root, "og:image:alt") == alt, path
        assert meta1(root, "twitter:card") == "summary_large_image", path
        assert meta1(root, "twitter:image") == image, path
        assert meta1(root, "twitter:image:alt") == alt, path
        assert meta1(root, "twitter:site") == TWITTER, path
        assert meta1(root, "twitter:creator") == TWITTER, path
        assert meta1(root, "og:locale") == {"es": "es_US", "en": "en_US"}[lang], path
        assert metas(root).get("og:locale:alternate") == \
            [{"es": "en_US", "en": "es_US"}[lang]], path
    for lang in LANGS:
        root = parse_html(get_ok(server, "/%s/no-description" % lang).body)
        assert meta1(root, "og:description") == SITE_DESCRIPTION[lang]
        assert meta1(root, "twitter:description") == SITE_DESCRIPTION[lang]


def test_structured_data_testing_tool_presets_pass(fresh_site):
    """structured-data-testing-tool 4.5.0 with its Google and SocialMedia presets (as
    `sdtt --presets Google,SocialMedia`), on the home page, a page, an event, a press
    release and list pages of a site whose site.xml has an image, a description and a
    Twitter account: Facebook and Twitter at 100 % (no failure, no warning), Google
    without a failure."""
    server = preview_site(fresh_site)
    events = sorted(sample_kind(server.content, "events"))
    paths = ["/es/", "/en/", "/en/about", "/es/events/%s" % events[0],
             "/en/events/%s" % events[-1], "/es/press/act-193-becomes-law",
             "/en/press/" + ES_ONLY_PRESS, "/en/press/", "/es/events/", "/es/press/2015/"]
    read = node("sdtt.cjs", *[server.base + p for p in paths])
    for path in paths:
        tests = read[server.base + path]["tests"]
        counted = [t for t in tests if not t["optional"]]
        for group, size in (("Facebook", 8), ("Twitter", 7)):
            mine = [t for t in counted if t["group"] == group]
            assert len(mine) == size, (path, group, mine)
            bad = [t["description"] for t in mine if not t["passed"]]
            assert not bad, "%s: %s below 100%%: %s" % (path, group, bad)
        failed = [(t["group"], t["description"]) for t in counted
                  if not t["passed"] and not t["warning"]]
        assert not failed, (path, failed)
    event_schemas = read[server.base + "/es/events/%s" % events[0]]["schemas"]
    assert "Event" in event_schemas, event_schemas


def test_event_json_ld_has_the_preview_image(fresh_site):
    """An event page's JSON-LD carries the preview image (site.xml's here) as image."""
    server = preview_site(fresh_site)
    for lang in LANGS:
        for slug in sample_kind(server.content, "events"):
            root = parse_html(get_ok(server, "/%s/events/%s" % (lang, slug)).body)
            data = json.loads([s.text for s in root.iter("script")
                               if s.get("type") == "application/ld+json"][0])
            image = data.get("image")
            images = image if isinstance(image, list) else [image]
            assert images == [server.base + SITE_IMAGE], (slug, image)


# ---------------------------------------------------------------- untranslated items

def test_untranslated_item_on_other_language_url_tells_the_truth(site):
    """/en/ of a release written only in Spanish: Content-Language names es and en, a
    p.bl-only-in says "Only available in Spanish", the body is lang=es, the canonical
    is the Spanish URL, the hreflang set claims es only (no en, no x-default), and
    og:url is the Spanish URL."""
    path = "/en/press/" + ES_ONLY_PRESS
    r = get_ok(site, path)
    langs = sorted(t.strip() for t in r.header("Content-Language").split(","))
    assert langs == ["en", "es"], r.header("Content-Language")
    root = parse_html(r.body)
    notices = [p for p in main_of(root).iter("p")
               if "bl-only-in" in (p.get("class") or "").split()]
    assert [norm_text(p) for p in notices] == [ONLY_IN_SPANISH["en"]]
    bodies = [d for d in main_of(root).iter("div")
              if "bl-body" in (d.get("class") or "").split()]
    assert len(bodies) == 1 and bodies[0].get("lang") == "es"
    es_url = site.base + "/es/press/" + ES_ONLY_PRESS
    assert canonical(root) == es_url
    assert hreflangs(root) == {"es": es_url}
    assert meta1(root, "og:url") == es_url


def test_untranslated_item_in_its_own_language(site):
    """/es/ of the Spanish-only release is plain Spanish: Content-Language es, no
    notice, canonical itself."""
    path = "/es/press/" + ES_ONLY_PRESS
    r = get_ok(site, path)
    assert r.header("Content-Language").replace(" ", "") == "es"
    root = parse_html(r.body)
    assert not [e for e in root.iter() if "bl-only-in" in (e.get("class") or "").split()]
    assert canonical(root) == site.base + path
    assert hreflangs(root) == {"es": site.base + path}


def test_sitemap_lists_untranslated_item_only_in_its_language(site):
    """The sitemap has the Spanish-only release at /es/ only, claimed by hreflang es
    only; every translated item keeps its es and en."""
    root = etree.fromstring(get_ok(site, "/sitemap.xml").body)
    es_url = site.base + "/es/press/" + ES_ONLY_PRESS
    en_url = site.base + "/en/press/" + ES_ONLY_PRESS
    urls = {u.findtext(SM + "loc").strip(): u for u in root.findall(SM + "url")}
    assert es_url in urls and en_url not in urls
    alts = {l.get("hreflang"): l.get("href") for l in urls[es_url].findall(XHTML + "link")}
    assert alts == {"es": es_url}
    assert en_url not in etree.tostring(root).decode()
    other = site.base + "/en/press/act-193-becomes-law"
    alts = {l.get("hreflang") for l in urls[other].findall(XHTML + "link")}
    assert {"es", "en"} <= alts


def test_english_press_list_marks_untranslated_entry(site):
    """On /en/press/ the Spanish-only release's entry carries <span class=bl-only-in>
    "Only available in Spanish"; no other entry does."""
    root = parse_html(get_ok(site, "/en/press/").body)
    marked = []
    for li in main_of(root).iter("li"):
        marks = [e for e in li.iter() if "bl-only-in" in (e.get("class") or "").split()]
        if marks:
            assert len(marks) == 1
            assert marks[0].tag == "span", "the mark is a <%s>, not a <span>" % marks[0].tag
            assert norm_text(marks[0]) == ONLY_IN_SPANISH["en"]
            marked.append(li.find("a").get("href"))
    assert marked == ["/en/press/" + ES_ONLY_PRESS]


# ---------------------------------------------------------------- paged lists

@pytest.mark.parametrize("value", ["0", "201", "abc", "-1", "20x", "99999999999"])
def test_list_size_bad_value_fails_configtest(tmp_path, value):
    """BilingualListSize out of 1-200, or not a number, fails configtest with one line
    naming the directive and the value."""
    apache = Apache(os.path.join(SRCDIR, "htdocs", "content"), rundir=str(tmp_path),
                    htdocs=os.path.join(SRCDIR, "htdocs"), extra="BilingualListSize " + value)
    result = apache.configtest()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    naming = [line for line in output.splitlines() if "BilingualListSize" in line]
    assert len(naming) == 1, output
    assert value in naming[0], naming[0]


@pytest.mark.parametrize("value", ["1", "20", "200"])
def test_list_size_good_value_passes_configtest(tmp_path, value):
    apache = Apache(os.path.join(SRCDIR, "htdocs", "content"), rundir=str(tmp_path),
                    htdocs=os.path.join(SRCDIR, "htdocs"), extra="BilingualListSize " + value)
    result = apache.configtest()
    assert result.returncode == 0, result.stdout + result.stderr


def check_paged(server, lang, path, expected, size):
    """Walks the pages of the list PATH by rel=next and checks the paging contract;
    returns the pages' (path, root)."""
    pages = follow_pages(server, path)
    assert len(pages) == max(1, math.ceil(len(expected) / size)), [p for p, _, _ in pages]
    seen = []
    for n, (p, r, root) in enumerate(pages, 1):
        entries = list_entries(root)
        assert 0 < len(entries) <= size, (p, entries)
        seen += entries
        want_path = path if n == 1 else "%s?page=%d" % (path, n)
        assert p == want_path
        assert canonical(root) == server.base + want_path
        prev = [l.get("href") for l in head_links(root, "prev")]
        nxt = [l.get("href") for l in head_links(root, "next")]
        prev_path = None if n == 1 else (path if n == 2 else "%s?page=%d" % (path, n - 1))
        next_path = None if n == len(pages) else "%s?page=%d" % (path, n + 1)
        assert prev == ([server.base + prev_path] if prev_path else []), p
        assert nxt == ([server.base + next_path] if next_path else []), p
        nav = page_nav(root)
        if len(pages) > 1:
            assert nav is not None, p
            assert rel_links(nav, "prev", "a") == ([prev_path] if prev_path else []), p
            assert rel_links(nav, "next", "a") == ([next_path] if next_path else []), p
        description = metas(root).get("description", [])
        assert len(description) == 1 and description[0], p
    assert seen == expected, "pages of %s lose, repeat or reorder entries" % path
    last = len(pages)
    for bad in ("?page=%d" % (last + 1), "?page=0", "?page=abc", "?page=-1"):
        r = server.get(path + bad)
        assert r.status == 404, (path + bad, r.status)
    return [(p, root) for p, _, root in pages]


def test_press_list_paged(fresh_site):
    """With BilingualListSize 3, /xx/press/ is cut into pages of at most 3 entries:
    page 1 without a query, ?page=N after it, each its own canonical, rel=prev/next in
    head and in nav.bl-pages, together the whole list newest first, each once; a page
    past the last, ?page=0 and ?page=abc are 404."""
    server = fresh_site(extra="BilingualListSize 3")
    expected = press_order(server.content)
    assert len(expected) > 6 and len(expected) % 3
    for lang in LANGS:
        check_paged(server, lang, "/%s/press/" % lang, expected, 3)


def test_events_list_paged_upcoming_then_past(fresh_site):
    """Events across pages of 3: upcoming soonest first, then past latest first, the
    page where they meet with both headings; the union of the pages is the list."""
    server = fresh_site(extra="BilingualListSize 3")
    for slug in sample_kind(server.content, "events"):
        server.remove("events/%s.xml" % slug)
    t = now().replace(microsecond=0)
    published = iso(t - datetime.timedelta(days=30))
    for i in range(4):
        start = t + datetime.timedelta(days=10 - 2 * i, hours=i)
        server.write("events/coming-%d.xml" % i, event_xml(
            "Próximo %d" % i, "Coming %d" % i, published, iso(start),
            iso(start + datetime.timedelta(hours=2))))
    for i in range(3):
        start = t - datetime.timedelta(days=3 + 2 * i)
        server.write("events/gone-%d.xml" % i, event_xml(
            "Pasado %d" % i, "Gone %d" % i, published, iso(start),
            iso(start + datetime.timedelta(hours=2))))
    assert settle(server, lambda: list_entries(parse_html(
        server.get("/es/events/?page=3").body)) == ["gone-2"])
    upcoming, past = event_order(server.content)
    assert upcoming == ["coming-3", "coming-2", "coming-1", "coming-0"]
    assert past == ["gone-0", "gone-1", "gone-2"]
    for lang in LANGS:
        pages = check_paged(server, lang, "/%s/events/" % lang, upcoming + past, 3)
        sections = [list_sections(root) for _, root in pages]
        assert sections[0] == [("upcoming", upcoming[:3])]
        assert sections[1] == [("upcoming", upcoming[3:]), ("past", past[:2])]
        assert sections[2] == [("past", past[2:])]


def archive_years(server, lang, kind):
    """The years nav.bl-archive of /LANG/KIND/ links, as {year: href}."""
    root = parse_html(get_ok(server, "/%s/%s/" % (lang, kind)).body)
    navs = [n for n in root.iter("nav") if "bl-archive" in (n.get("class") or "").split()]
    assert len(navs) == 1
    return {norm_text(a): a.get("href") for a in navs[0].iter("a")}


def test_year_archives(fresh_site):
    """/xx/press/YYYY/ and /xx/events/YYYY/ list exactly the items published (press)
    or starting (events) in YYYY at the item's own offset, in list order, paged like
    the lists; nav.bl-archive on the list pages links every such year; a year without
    items is 404; /xx/press/2015 301s to /xx/press/2015/; /press/2015/ 302s to a
    prefixed archive."""
    server = fresh_site(extra="BilingualListSize 2")
    # 22:00 on Dec 31 at -05:00 is already 2016 in UTC: it belongs to 2015
    server.write("press/new-years-eve.xml", press_xml(
        "Nochevieja", "New Year's Eve", "2015-12-31T22:00:00-05:00"))
    # 00:30 on Jan 1 at +01:00 is still 2016 in UTC: it belongs to 2017
    server.write("events/new-year-party.xml", event_xml(
        "Año nuevo", "New Year", "2016-06-01T10:00:00-04:00", "2017-01-01T00:30:00+01:00",
        "2017-01-01T02:00:00+01:00"))
    assert settle(server, lambda: server.get("/en/events/2017/").status == 200
                  and b"new-years-eve" in server.get("/es/press/2015/").body)
    upcoming, past = event_order(server.content)
    order = {"press": press_order(server.content), "events": upcoming + past}
    items = sample_items(server.content)
    year_of = {("press", s): i["published"].year for (k, s), i in items.items() if k == "press"}
    year_of.update({("events", s): i["start"].year for (k, s), i in items.items()
                    if k == "events"})
    assert year_of[("press", "new-years-eve")] == 2015
    assert year_of[("events", "new-year-party")] == 2017
    for kind in ("press", "events"):
        years = sorted({y for (k, _), y in year_of.items() if k == kind}, reverse=True)
        assert len(years) >= 3
        for lang in LANGS:
            linked = archive_years(server, lang, kind)
            assert linked == {str(y): "/%s/%s/%d/" % (lang, kind, y) for y in years}
            for y in years:
                want = [s for s in order[kind] if year_of[(kind, s)] == y]
                pages = follow_pages(server, "/%s/%s/%d/" % (lang, kind, y))
                got = [s for _, _, root in pages for s in list_entries(root)]
                assert got == want, (kind, lang, y)
                assert all(len(list_entries(root)) <= 2 for _, _, root in pages)
            gaps = [y for y in range(min(years), max(years)) if y not in years]
            for empty in [min(years) - 1, max(years) + 1] + gaps[:1]:
                r = server.get("/%s/%s/%d/" % (lang, kind, empty))
                assert r.status == 404, (kind, lang, empty, r.status)
    for lang in LANGS:
        r = server.get("/%s/press/2015" % lang)
        assert r.status == 301 and location_path(r) == "/%s/press/2015/" % lang
    r = server.get("/press/2015/", {"Accept-Language": "en"})
    assert r.status == 302 and location_path(r) == "/en/press/2015/"
    r = server.get("/events/2017/")
    assert r.status == 302 and location_path(r) == "/es/events/2017/"


def test_list_without_count_stops_at_list_size_with_more_link(fresh_site):
    """A <list kind="press"/> without count in a page shows BilingualListSize entries
    and then p.bl-more linking to the list page; with a count, exactly that many and no
    link."""
    server = fresh_site(extra="BilingualListSize 2")
    server.write("pages/news.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Noticias</title><title xml:lang="en">News</title>
  <body><list kind="press"/></body>
</page>
""")
    server.write("pages/five.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Cinco</title><title xml:lang="en">Five</title>
  <body><list kind="press" count="5"/></body>
</page>
""")
    assert settle(server, lambda: server.get("/en/news").status == 200
                  and server.get("/en/five").status == 200)
    expected = press_order(server.content)
    for lang in LANGS:
        root = parse_html(get_ok(server, "/%s/news" % lang).body)
        assert list_entries(root) == expected[:2]
        more = [p for p in main_of(root).iter("p") if "bl-more" in (p.get("class") or "").split()]
        assert len(more) == 1
        assert [a.get("href") for a in more[0].iter("a")] == ["/%s/press/" % lang]
        root = parse_html(get_ok(server, "/%s/five" % lang).body)
        assert list_entries(root) == expected[:5]
        assert not [p for p in main_of(root).iter("p")
                    if "bl-more" in (p.get("class") or "").split()]


def test_lists_have_meta_description(site):
    """List and archive pages have a meta description in their language."""
    seen = {}
    for lang in LANGS:
        for path in ("/%s/events/", "/%s/press/", "/%s/press/2015/", "/%s/events/2015/"):
            root = parse_html(get_ok(site, path % lang).body)
            desc = metas(root).get("description", [])
            assert len(desc) == 1 and len(desc[0]) > 20, (path % lang, desc)
            seen.setdefault(path, set()).add(desc[0])
    assert all(len(d) == 2 for d in seen.values()), seen   # one per language


# Items of the 10,000-item site, with titles and summaries of a real campaign's length.
GEN_EVENT = """<event published="{pub}" start="{start}" end="{end}">
  <title xml:lang="es">Asamblea comunitaria n.º {n}: la política completa en cada pueblo</title>
  <title xml:lang="en">Community assembly no. {n}: the whole policy in every town</title>
  <location xml:lang="es">Biblioteca pública, calle Principal {n}, Middlebury</location>
  <location xml:lang="en">Public library, {n} Main Street, Middlebury</location>
  <summary xml:lang="es">Nos reunimos para planear cómo convencer a cada departamento de
    policía de adoptar la política completa, número {n}.</summary>
  <summary xml:lang="en">We meet to plan how to persuade every police department to adopt
    the whole policy, number {n}.</summary>
  <body><p>Texto {n}.</p></body>
</event>
"""
GEN_PRESS = """<press-release published="{pub}">
  <title xml:lang="es">Comunicado n.º {n}: pedimos a cada departamento que adopte la política
    completa</title>
  <title xml:lang="en">Release no. {n}: we ask every department to adopt the whole policy</title>
  <summary xml:lang="es">Justicia Migrante pide otra vez, por {n}.ª vez, que ningún departamento
    deje fuera las secciones opcionales de la política.</summary>
  <summary xml:lang="en">Migrant Justice asks once more, for time no. {n}, that no department
    leave out the optional sections of the policy.</summary>
  <body><p>Texto {n}.</p></body>
</press-release>
"""


def test_ten_thousand_items_every_page_under_100kb(fresh_site):
    """With 5,000 more events and 5,000 more press releases (spread over five years),
    every page of both lists, every page of every year's archive, the home page and
    every page stay under 100 KB, and the list pages together hold every item once."""
    server = fresh_site()
    t = now().replace(microsecond=0)
    n = 5000
    for i in range(n):
        start = t + datetime.timedelta(hours=8 * (i - 3000) + 7)
        pub = min(t, start) - datetime.timedelta(days=10, minutes=i)
        with open(os.path.join(server.content, "events", "gen-event-%05d.xml" % i), "w") as f:
            f.write(GEN_EVENT.format(pub=iso(pub), start=iso(start), n=i,
                                     end=iso(start + datetime.timedelta(hours=2))))
        pub = t - datetime.timedelta(hours=5 * i + 1)
        with open(os.path.join(server.content, "press", "gen-release-%05d.xml" % i), "w") as f:
            f.write(GEN_PRESS.format(pub=iso(pub), n=i))
    total = {kind: len(sample_kind(server.content, kind)) for kind in ("events", "press")}
    assert total["events"] > n and total["press"] > n
    last = {kind: math.ceil(total[kind] / DEFAULT_LIST_SIZE) for kind in total}

    def all_loaded():
        for kind in total:
            r = server.get("/es/%s/?page=%d" % (kind, last[kind]))
            after = server.get("/es/%s/?page=%d" % (kind, last[kind] + 1))
            if r.status != 200 or after.status != 404:
                return False
            count = len(fast_entries(r.body))
            if count != total[kind] - DEFAULT_LIST_SIZE * (last[kind] - 1):
                return False
        return True
    assert settle(server, all_loaded, runs=4, timeout=40), "the 10,000 items did not load"

    paths = []
    for lang in LANGS:
        paths += [p % lang for p in page_paths(server.content).values()]
        for kind in total:
            paths += ["/%s/%s/" % (lang, kind)]
            paths += ["/%s/%s/?page=%d" % (lang, kind, p) for p in range(2, last[kind] + 1)]

    def fetch(path):
        r = server.get(path)
        return path, r.status, len(r.body), r.body

    years, largest = {}, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        seen = {}
        for path, status, size, body in pool.map(fetch, paths):
            assert status == 200, (path, status)
            assert size < MAX_PAGE_BYTES, (path, size)
            largest = max(largest, size)
            m = re.match(r"^/(es|en)/(events|press)/", path)
            if m:
                seen.setdefault(m.groups(), []).extend(fast_entries(body))
                if path.endswith("/"):
                    years[m.groups()] = archive_years(server, *m.groups()).values()
        for (lang, kind), slugs in seen.items():
            assert len(slugs) == len(set(slugs)) == total[kind], (lang, kind, len(slugs))
        # every page of every year's archive: page 1 names the last in its nav
        archive_paths = []
        for (lang, kind), hrefs in years.items():
            assert len(hrefs) >= 5, (lang, kind, hrefs)
            for href in hrefs:
                root = parse_html(get_ok(server, href).body)
                nav = page_nav(root)
                pages = 1
                if nav is not None:
                    m = re.search(r"(\d+)\D*$", norm_text(nav.find("span")))
                    pages = int(m.group(1))
                archive_paths += [href] + ["%s?page=%d" % (href, p) for p in range(2, pages + 1)]
        count = {}
        for path, status, size, body in pool.map(fetch, archive_paths):
            assert status == 200, (path, status)
            assert size < MAX_PAGE_BYTES, (path, size)
            largest = max(largest, size)
            key = tuple(path.split("/")[1:3])
            count[key] = count.get(key, 0) + len(fast_entries(body))
        assert count == {(lang, kind): total[kind] for lang in LANGS for kind in total}
        print("10,000 items: %d list pages, %d archive pages, the largest %d bytes"
              % (len(paths), len(archive_paths), largest))
        for path in archive_paths[-3:]:
            assert server.get(path.split("?")[0] + "?page=%d" % 10**5).status == 404


# ---------------------------------------------------------------- skip link, year names

def skip_link(root):
    found = [a for a in root.iter("a") if "skip-link" in (a.get("class") or "").split()]
    assert len(found) == 1
    return found[0].get("href")


def test_skip_link_stays_on_the_404_page(site):
    """The 404 page is made for each request, and its skip link is the address asked
    for plus #main, query included (a link to /xx/#main, or to the list's first page
    for a list page past the last, would leave the page); its target exists."""
    seen = {}
    for path in ("/en/nope-page", "/es/events/nope", "/en/press/nope", "/nope/nope/nope",
                 "/es/press/?page=99"):
        r = site.get(path)
        assert r.status == 404, path
        root = parse_html(r.body)
        assert root.find(".//*[@id='main']") is not None
        seen[path] = skip_link(root)
    assert seen == {path: path + "#main" for path in seen}


def test_skip_link_on_pages_is_their_own_path(site):
    """On a page, an item and a list, the skip link is the page's own path plus #main."""
    for lang in LANGS:
        for path in ("/%s/" % lang, "/%s/about" % lang, "/%s/events/" % lang,
                     "/%s/press/%s" % (lang, ES_ONLY_PRESS), "/%s/press/2015/" % lang):
            root = parse_html(get_ok(site, path).body)
            assert skip_link(root) == path + "#main", (path, skip_link(root))


def test_skip_link_on_a_later_list_page_stays_on_that_page(fresh_site):
    """On page 2 of a list the skip link keeps the ?page=2: /xx/press/#main would take
    a keyboard user back to page 1."""
    server = fresh_site(extra="BilingualListSize 2")
    for lang in LANGS:
        for path in ("/%s/press/?page=2" % lang, "/%s/press/2015/?page=2" % lang):
            root = parse_html(get_ok(server, path).body)
            assert skip_link(root) == path + "#main", (path, skip_link(root))


def test_item_named_like_a_year_is_ignored_with_a_warning(fresh_site, expect_log):
    """events/2015.xml would hide the 2015 archive: it is not served, a warning in the
    error log names the file, and /xx/events/2015/ is still the archive."""
    server = fresh_site()
    expect_log(server, r"events/2015\.xml")
    archive = {lang: list_entries(parse_html(get_ok(server, "/%s/events/2015/" % lang).body))
               for lang in LANGS}
    assert archive["es"]
    server.write("events/2015.xml", event_xml(
        "Llamado año", "Named like a year", "2015-01-02T10:00:00-05:00",
        "2015-03-01T10:00:00-05:00"))
    server.write("press/after-the-year.xml", press_xml(
        "Marca", "Marker", "2015-02-01T10:00:00-05:00"))
    assert settle(server, lambda: server.get("/es/press/after-the-year").status == 200)
    path = os.path.join(server.content, "events", "2015.xml")

    def warned():
        server.get("/es/")
        return [line for line in server.apache.read_log().splitlines()
                if re.search(r"\[[a-z_0-9]+:warn\]", line) and path in line]
    assert server.wait_for(lambda: warned(), timeout=5), \
        "no warning naming %s in the error log:\n%s" % (path, server.apache.read_log()[-2000:])
    for lang in LANGS:
        assert list_entries(parse_html(get_ok(server, "/%s/events/2015/" % lang).body)) \
            == archive[lang]
        assert server.get("/%s/events/2015" % lang).status == 301
        r = get_ok(server, "/%s/events.ics" % lang)
        assert b"Named like a year" not in r.body and "Llamado año".encode() not in r.body


def test_body_image_without_a_size_is_no_preview(fresh_site):
    """A body <img> whose width is no number of pixels ("100%") is not a preview image:
    without site.xml's image the page has no og:image, no twitter:image and a
    "summary" card (the card never names an image Open Graph left out)."""
    server = fresh_site()
    server.write("site.xml", strip_previews(read_content(server, "site.xml")))
    server.write("pages/wide.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Ancha</title><title xml:lang="en">Wide</title>
  <body><p><img src="/assets/wide.png" width="100%" height="300" alt="Wide"/></p></body>
</page>
""")
    assert settle(server, lambda: server.get("/en/wide").status == 200
                  and b"twitter:site" not in server.get("/en/wide").body)
    root = parse_html(get_ok(server, "/en/wide").body)
    assert "og:image" not in metas(root) and "twitter:image" not in metas(root)
    assert meta1(root, "twitter:card") == "summary"
