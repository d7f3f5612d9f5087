"""The sitemap (SPEC sections 2 and 5): /sitemap.xml lists every page and every
visible item in each language it is written in, with hreflang alternates (those
languages, and x-default when it is written in all of them); no drafts, no embargoed
items; conditional GETs.
"""
import datetime
import os
import re
import urllib.parse

from lxml import etree

from helpers import (LANGS, check_last_modified_304, check_strong_etag_304, get_ok,
                     sample_kind, write_marker)

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def fetch(server):
    r = get_ok(server, "/sitemap.xml")
    return r, etree.fromstring(r.body)


def locs(root):
    return [u.findtext(SM + "loc").strip() for u in root.findall(SM + "url")]


def names(folder):
    return sorted(f[:-4] for f in os.listdir(folder)
                  if re.match(r"^[a-z0-9][a-z0-9-]*\.xml$", f))


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def written_in(path):
    """The configured languages a content file is written in: those of its titles
    (every language when a title has no xml:lang), read from the source."""
    root = etree.parse(path).getroot()
    langs = set()
    for title in root.findall("title"):
        if title.get(XML_LANG) is None:
            return set(LANGS)
        langs.add(title.get(XML_LANG))
    return langs & set(LANGS)


def expected_urls(server):
    """{path without the language prefix: the languages it is written in}."""
    want = {}
    for page in names(os.path.join(server.content, "pages")):
        want["/" + ("" if page == "index" else page)] = written_in(
            os.path.join(server.content, "pages", page + ".xml"))
    for kind in ("events", "press"):
        for slug in sample_kind(server.content, kind):
            want["/%s/%s" % (kind, slug)] = written_in(
                os.path.join(server.content, kind, slug + ".xml"))
    return want


def expected_locs(server):
    return {"%s/%s%s" % (server.base, lang, rest)
            for rest, langs in expected_urls(server).items() for lang in langs}


def test_content_type_is_application_xml_utf8(site):
    r = site.get("/sitemap.xml")
    assert r.status == 200
    ctype = r.header("Content-Type").replace(" ", "").lower()
    assert ctype == "application/xml;charset=utf-8", r.header("Content-Type")


def test_parses_as_a_sitemap(site):
    r, root = fetch(site)
    assert root.tag == SM + "urlset"
    assert root.findall(SM + "url")
    for url in root.findall(SM + "url"):
        assert len(url.findall(SM + "loc")) == 1


def test_every_page_and_item_in_each_language_it_is_written_in(site):
    _, root = fetch(site)
    found = locs(root)
    assert len(found) == len(set(found)), "a <loc> appears twice"
    want = expected_locs(site)
    # the sample: 4 pages and 8 events in both languages, 8 press releases of which
    # one (community-notice-july-1) is written in Spanish only
    assert len(want) == 2 * (4 + 8 + 8) - 1
    assert want <= set(found), sorted(want - set(found))
    assert site.base + "/en/press/community-notice-july-1" not in found
    assert site.base + "/es/press/community-notice-july-1" in found


def test_alternates_for_each_written_language_and_x_default(site):
    _, root = fetch(site)
    prefix = re.compile(r"^%s/(es|en)(/.*)$" % re.escape(site.base))
    expected = expected_urls(site)
    seen_partial = 0
    for url in root.findall(SM + "url"):
        loc = url.findtext(SM + "loc").strip()
        m = prefix.match(loc)
        assert m, loc
        rest = m.group(2)
        alts = {l.get("hreflang"): l.get("href") for l in url.findall(XHTML + "link")
                if l.get("rel") == "alternate"}
        langs = expected.get(rest, set(LANGS))      # the lists are in every language
        want = set(langs) | ({"x-default"} if langs == set(LANGS) else set())
        seen_partial += langs != set(LANGS)
        assert set(alts) == want, (loc, alts)
        for href in alts.values():
            p = urllib.parse.urlsplit(href)
            assert p.scheme in ("http", "https") and p.netloc, href
        for lang in langs:
            assert alts[lang] == "%s/%s%s" % (site.base, lang, rest)
        if "x-default" in want:
            assert alts["x-default"] == site.base + rest
        assert alts[m.group(1)] == loc
    assert seen_partial == 1


def test_x_default_redirects_to_a_language(site):
    _, root = fetch(site)
    for url in root.findall(SM + "url")[:6]:
        xdef = [l.get("href") for l in url.findall(XHTML + "link")
                if l.get("hreflang") == "x-default"][0]
        r = site.get(xdef[len(site.base):])
        assert r.status == 302, xdef
        assert re.search(r"/(es|en)/", r.header("Location")), r.header("Location")


def test_every_loc_answers_200(site):
    _, root = fetch(site)
    for loc in locs(root):
        assert loc.startswith(site.base + "/"), loc
        r = site.get(loc[len(site.base):])
        assert r.status == 200, loc
        assert r.header("Content-Type").startswith("text/html"), loc


HIDDEN = {
    "events/draft-event.xml": """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-01-01T10:00:00-05:00" start="2027-06-01T10:00:00-04:00" draft="true">
  <title>Draft event</title><location>X</location><summary>x</summary><body><p>x</p></body>
</event>
""",
    "press/draft-release.xml": """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-01-01T10:00:00-05:00" draft="true">
  <title>Draft release</title><summary>x</summary><body><p>x</p></body>
</press-release>
""",
    "press/embargoed-release.xml": """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="%s">
  <title>Embargoed release</title><summary>x</summary><body><p>x</p></body>
</press-release>
""",
    "events/embargoed-event.xml": """<?xml version="1.0" encoding="UTF-8"?>
<event published="%s" start="2027-06-01T10:00:00-04:00">
  <title>Embargoed event</title><location>X</location><summary>x</summary><body><p>x</p></body>
</event>
""",
}


def test_drafts_and_embargoed_items_absent(fresh_site):
    server = fresh_site()
    tomorrow = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=-5)))
                + datetime.timedelta(days=1)).replace(microsecond=0).isoformat()
    for rel, text in HIDDEN.items():
        server.write(rel, text.replace("%s", tomorrow))
    write_marker(server)                                      # written last
    assert server.wait_for(lambda: "marker-release" in server.get("/sitemap.xml").text)
    _, root = fetch(server)
    found = locs(root)
    for rel in HIDDEN:
        slug = rel.split("/")[1][:-4]
        assert not [l for l in found if slug in l], slug
    assert expected_locs(server) <= set(found)
    assert "%s/en/press/marker-release" % server.base in found


def test_strong_etag_and_304(site):
    check_strong_etag_304(site, "/sitemap.xml")


def test_last_modified_and_if_modified_since(site):
    check_last_modified_304(site, "/sitemap.xml")
