"""Atom feeds (SPEC section 6): /xx/feed.atom, /xx/events/feed.atom, /xx/press/feed.atom.

Valid against RFC 4287's RELAX NG schema (atom.rng, next to this file) and to a real
feed parser; permanent tag: ids; self, alternate and hreflang links; entries newest
first with everything section 6 lists; RFC 5005 paging; conditional GETs; drafts.
"""
import datetime
import math
import os
import re
import urllib.parse
import warnings

import lxml.html
import pytest
from lxml import etree

from helpers import (ES_ONLY_PRESS, LANGS, MONTHS, OTHER, XML_LANG,
                     check_last_modified_304, check_strong_etag_304, date_words,
                     edit_content, get_ok, norm_text, rfc3339, sample_items,
                     time_words, write_marker)

with warnings.catch_warnings():          # feedparser imports the deprecated cgi
    warnings.simplefilter("ignore", DeprecationWarning)
    import feedparser

HERE = os.path.dirname(os.path.abspath(__file__))
A = "{http://www.w3.org/2005/Atom}"
KINDS = {"feed": None, "events": "events", "press": "press"}   # feed name -> category
FEED_PATH = {"feed": "/%s/feed.atom", "events": "/%s/events/feed.atom",
             "press": "/%s/press/feed.atom"}
HTML_PAGE = {"feed": "/%s/", "events": "/%s/events/", "press": "/%s/press/"}
FEEDS = [(lang, name) for lang in LANGS for name in FEED_PATH]
FEED_IDS = ["%s-%s" % f for f in FEEDS]
TAG_AUTHORITY = "migrantjustice.example,2015"       # htdocs/content/site.xml
# RFC 4151: tag:authorityName,date:specific  (authorityName a DNS name or e-mail)
TAG_URI = re.compile(r"^tag:[A-Za-z0-9.@-]+,\d{4}(-\d{2}(-\d{2})?)?:[\x21-\x7e]*$")


# ---------------------------------------------------------------- helpers

_SCHEMA = None


def schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = etree.RelaxNG(etree.parse(os.path.join(HERE, "atom.rng")))
    return _SCHEMA


def feed_url(lang, name):
    return FEED_PATH[name] % lang


def fetch_feed(server, path):
    r = get_ok(server, path)
    return r, etree.fromstring(r.body)


def links(elem, rel):
    return [l for l in elem.findall(A + "link") if l.get("rel", "alternate") == rel]


def link_href(elem, rel):
    found = links(elem, rel)
    return found[0].get("href") if found else None


def entries(feed):
    return feed.findall(A + "entry")


def entry_slug(entry):
    """(kind, slug) of an entry, from its alternate link in the feed's language."""
    href = [l.get("href") for l in links(entry, "alternate") if l.get("hreflang") is None]
    assert href, "entry %s has no alternate link" % entry.findtext(A + "id")
    m = re.search(r"/(events|press)/([a-z0-9][a-z0-9-]*)$", href[0])
    assert m, href[0]
    return m.group(1), m.group(2)


def effective_lang(elem):
    while elem is not None:
        if elem.get(XML_LANG) is not None:
            return elem.get(XML_LANG)
        elem = elem.getparent()
    return None


def is_absolute(url):
    p = urllib.parse.urlsplit(url)
    return p.scheme in ("http", "https") and bool(p.netloc)


def local_path(server, url):
    """The path of URL on SERVER (the URL must point at the server under test)."""
    assert url.startswith(server.base + "/"), "%s is not under %s" % (url, server.base)
    return url[len(server.base):]


def content_html(entry):
    content = entry.find(A + "content")
    assert content is not None
    assert content.get("type") in ("html", "xhtml"), content.get("type")
    if content.get("type") == "html":
        return lxml.html.fragment_fromstring(content.text or "", create_parent="div")
    div = content[0]
    return lxml.html.fragment_fromstring(etree.tostring(div, encoding="unicode"),
                                         create_parent="div")


def all_pages(server, path):
    """Follows rel=next from PATH; returns the list of (url, feed element)."""
    pages, url, seen = [], server.base + path, set()
    while url:
        assert url not in seen, "rel=next loops back to %s" % url
        seen.add(url)
        _, feed = fetch_feed(server, local_path(server, url))
        pages.append((url, feed))
        url = link_href(feed, "next")
        assert len(pages) <= 100, "more than 100 pages"
    return pages


# ---------------------------------------------------------------- every feed

@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_content_type_is_atom_utf8(site, lang, name):
    r = site.get(feed_url(lang, name))
    assert r.status == 200
    ctype = r.header("Content-Type").replace(" ", "").lower()
    assert ctype == "application/atom+xml;charset=utf-8", r.header("Content-Type")


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_valid_against_rfc4287_relax_ng(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    rng = schema()
    assert rng.validate(feed.getroottree()), str(rng.error_log)


def test_relax_ng_schema_rejects_broken_atom(site):
    """atom.rng is no rubber stamp: a feed without its id or with a bad date fails."""
    r, feed = fetch_feed(site, "/es/feed.atom")
    assert schema().validate(feed.getroottree())
    no_id = etree.fromstring(r.body)
    no_id.remove(no_id.find(A + "id"))
    assert not schema().validate(no_id.getroottree())
    bad_date = etree.fromstring(r.body)
    bad_date.find(A + "updated").text = "2015-07-01 09:00"
    assert not schema().validate(bad_date.getroottree())


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feedparser_reads_without_bozo(site, lang, name):
    r = site.get(feed_url(lang, name))
    parsed = feedparser.parse(r.body, response_headers={
        "content-type": r.header("Content-Type"),
        "content-location": site.base + feed_url(lang, name)})
    assert parsed.bozo == 0, repr(parsed.get("bozo_exception"))
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(entries(etree.fromstring(r.body))) > 0


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feed_has_xml_lang(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    assert feed.get(XML_LANG) == lang


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feed_id_is_tag_uri_from_site_authority(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    fid = feed.findtext(A + "id").strip()
    assert TAG_URI.match(fid), fid
    assert fid.startswith("tag:%s:" % TAG_AUTHORITY), fid


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_ids_are_tag_uris_unique_in_feed(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    ids = [e.findtext(A + "id").strip() for e in entries(feed)]
    assert ids
    for i in ids:
        assert TAG_URI.match(i) and i.startswith("tag:%s:" % TAG_AUTHORITY), i
    assert len(set(ids)) == len(ids), "duplicate entry ids: %r" % ids
    assert feed.findtext(A + "id").strip() not in ids


@pytest.mark.parametrize("name", list(FEED_PATH))
def test_ids_distinct_per_language(site, name):
    _, es = fetch_feed(site, feed_url("es", name))
    _, en = fetch_feed(site, feed_url("en", name))
    es_ids = {e.findtext(A + "id").strip() for e in entries(es)}
    en_ids = {e.findtext(A + "id").strip() for e in entries(en)}
    assert len(es_ids) == len(en_ids) > 0
    assert es_ids.isdisjoint(en_ids), es_ids & en_ids
    assert es.findtext(A + "id").strip() != en.findtext(A + "id").strip()


def test_feed_ids_distinct_per_kind(site):
    ids = {fetch_feed(site, feed_url(lang, name))[1].findtext(A + "id").strip()
           for lang, name in FEEDS}
    assert len(ids) == len(FEEDS), ids


def test_ids_stable_across_an_edit(fresh_site):
    server = fresh_site()
    slug = "know-your-rights-st-albans-2027"
    before = {}
    for lang, name in FEEDS:
        if name == "press":
            continue
        _, feed = fetch_feed(server, feed_url(lang, name))
        before[(lang, name)] = (feed.findtext(A + "id"), {
            entry_slug(e): e.findtext(A + "id") for e in entries(feed)})
    # A change of title and summary, and a newer `updated` than any other item's.
    updated = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=-5)))
               - datetime.timedelta(minutes=1)).replace(microsecond=0)
    edit_content(
        server, "events/%s.xml" % slug,
        ("Taller: conoce tus derechos", "Taller editado: conoce tus derechos"),
        ("Workshop: know your rights", "Edited workshop: know your rights"),
        ("Qué dice la política", "Resumen editado. Qué dice la política"),
        ("What the fair and impartial", "Edited summary. What the fair and impartial"),
        ('<event published=', '<event updated="%s" published=' % updated.isoformat(), 1))
    assert server.wait_for(lambda: "Edited workshop" in server.get("/en/feed.atom").text
                           and "Taller editado" in server.get("/es/feed.atom").text)
    for (lang, name), (fid, ids) in before.items():
        _, feed = fetch_feed(server, feed_url(lang, name))
        assert feed.findtext(A + "id") == fid
        now_ids = {entry_slug(e): e.findtext(A + "id") for e in entries(feed)}
        assert now_ids == ids, "entry ids changed after an edit"
        edited = [e for e in entries(feed) if entry_slug(e) == ("events", slug)][0]
        word = "editado" if lang == "es" else "Edited"
        assert word in edited.findtext(A + "title")
        assert word.lower() in edited.findtext(A + "summary").lower()
        assert rfc3339(edited.findtext(A + "updated")) == updated
        newest = max(rfc3339(e.findtext(A + "updated")) for e in entries(feed))
        assert newest == updated
        assert rfc3339(feed.findtext(A + "updated")) == newest


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feed_updated_is_newest_entry_update(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    updated = feed.findall(A + "updated")
    assert len(updated) == 1
    newest = max(rfc3339(e.findtext(A + "updated")) for e in entries(feed))
    assert rfc3339(updated[0].text) == newest


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feed_has_author(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    authors = feed.findall(A + "author")
    assert authors
    assert authors[0].findtext(A + "name").strip() == "Migrant Justice / Justicia Migrante"


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_self_link_is_absolute_feed_url(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    selfs = links(feed, "self")
    assert len(selfs) == 1
    assert is_absolute(selfs[0].get("href"))
    assert selfs[0].get("href") == site.base + feed_url(lang, name)


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_alternate_link_to_html_page(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    alts = [l for l in links(feed, "alternate") if l.get("type") == "text/html"]
    assert len(alts) == 1, [etree.tostring(l) for l in links(feed, "alternate")]
    href = alts[0].get("href")
    assert href == site.base + HTML_PAGE[name] % lang
    page = site.get(local_path(site, href))
    assert page.status == 200
    assert page.header("Content-Type").startswith("text/html")


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_hreflang_link_to_other_language_feed(site, lang, name):
    """The same feed in the other language is rel="related" with hreflang and a title
    naming the language, never a second alternate (SPEC 6)."""
    _, feed = fetch_feed(site, feed_url(lang, name))
    other = OTHER[lang]
    rel = [l for l in links(feed, "related") if l.get("hreflang") == other]
    assert len(rel) == 1
    assert rel[0].get("href") == site.base + feed_url(other, name)
    assert rel[0].get("type") == "application/atom+xml"
    assert rel[0].get("title") == {"es": "Español", "en": "English"}[other]
    assert not [l for l in links(feed, "alternate") if l.get("hreflang")]
    html = [l for l in links(feed, "alternate") if l.get("type") == "text/html"]
    assert len(html) == 1 and ("/%s/" % lang) in html[0].get("href")


# ---------------------------------------------------------------- entries

@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entries_newest_first_by_published(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    published = [rfc3339(e.findtext(A + "published")) for e in entries(feed)]
    assert published == sorted(published, reverse=True)
    # and they are the sample's visible items, all of them
    items = sample_items(site.content)
    want = {k for k in items if KINDS[name] in (None, k[0])}
    assert {entry_slug(e) for e in entries(feed)} == want


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_published_and_updated(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    items = sample_items(site.content)
    for e in entries(feed):
        info = items[entry_slug(e)]
        assert rfc3339(e.findtext(A + "published")) == info["published"]
        assert rfc3339(e.findtext(A + "updated")) == info["updated"]


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_category_is_its_kind(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    kinds = set()
    for e in entries(feed):
        terms = [c.get("term") for c in e.findall(A + "category")]
        assert len(terms) == 1 and terms[0] in ("events", "press"), terms
        assert terms[0] == entry_slug(e)[0]
        kinds.add(terms[0])
    assert kinds == ({"events", "press"} if KINDS[name] is None else {KINDS[name]})


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_title_summary_content(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    items = sample_items(site.content)
    for e in entries(feed):
        info = items[entry_slug(e)]
        assert info["title"][lang] in " ".join(e.findtext(A + "title").split())
        assert " ".join(e.findtext(A + "summary").split()) == info["summary"][lang]
        body = " ".join(content_html(e).text_content().split())
        first_p = info["root"].xpath("body[@xml:lang=$l or not(@xml:lang)]/p[1]", l=lang)
        if not first_p:
            first_p = info["root"].xpath("body/p[1]")
        assert norm_text(first_p[0]) in body


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_alternate_link_to_its_page(site, lang, name):
    _, feed = fetch_feed(site, feed_url(lang, name))
    for e in entries(feed):
        alts = [l for l in links(e, "alternate") if l.get("hreflang") is None]
        assert len(alts) == 1
        href = alts[0].get("href")
        assert is_absolute(href), href
        kind, slug = entry_slug(e)
        assert href == "%s/%s/%s/%s" % (site.base, lang, kind, slug)
        r = site.get(local_path(site, href))
        assert r.status == 200, href
        assert r.header("Content-Type").startswith("text/html")


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_entry_hreflang_link_to_other_language_page(site, lang, name):
    """Each entry's page in the other language is rel="related" with hreflang and the
    language's name; the entry's one alternate is its page in the feed's language."""
    _, feed = fetch_feed(site, feed_url(lang, name))
    other = OTHER[lang]
    for e in entries(feed):
        rel = [l for l in links(e, "related") if l.get("hreflang") == other]
        assert len(rel) == 1, e.findtext(A + "id")
        kind, slug = entry_slug(e)
        assert rel[0].get("href") == "%s/%s/%s/%s" % (site.base, other, kind, slug)
        assert rel[0].get("title") == {"es": "Español", "en": "English"}[other]
        assert site.get(local_path(site, rel[0].get("href"))).status == 200
        alts = links(e, "alternate")
        assert len(alts) == 1, e.findtext(A + "id")
        assert alts[0].get("href") == "%s/%s/%s/%s" % (site.base, lang, kind, slug)


LINKS_BODY = """<body><p><a href="../about">a</a> <a href="/es/get-involved#donate">b</a>
    <a href="events/">c</a> <img src="../../assets/favicon.svg" alt=""/>
    <a href="https://example.org/x">d</a> <a href="#top">e</a></p></body>"""


def test_content_links_are_absolute(fresh_site):
    """Relative, absolute-path and fragment links in bodies (the sample has none)
    become absolute URLs in every feed."""
    server = fresh_site()
    server.write("press/links-test.xml", """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-04-01T10:00:00-04:00">
  <title>Links</title><summary>Links</summary>
  %s
</press-release>
""" % LINKS_BODY)
    server.write("events/links-event.xml", """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-04-02T10:00:00-04:00" start="2016-05-01T10:00:00-04:00">
  <title>Links event</title><location>Here</location><summary>Links</summary>
  %s
</event>
""" % LINKS_BODY)
    assert server.wait_for(lambda: "links-test" in server.get("/en/feed.atom").text
                           and "links-event" in server.get("/en/feed.atom").text)
    b = server.base
    for lang, name in FEEDS:
        _, feed = fetch_feed(server, feed_url(lang, name))
        n = 0
        for entry in entries(feed):
            kind, slug = entry_slug(entry)
            urls = [el.get("href") if el.get("href") is not None else el.get("src")
                    for el in content_html(entry).iter()
                    if el.get("href") is not None or el.get("src") is not None]
            for u in urls:
                assert is_absolute(u), "%s in %s: %s" % (feed_url(lang, name), slug, u)
            if slug in ("links-test", "links-event"):
                n += 1
                assert urls == [
                    "%s/%s/about" % (b, lang), "%s/es/get-involved#donate" % b,
                    "%s/%s/%s/events/" % (b, lang, kind), "%s/assets/favicon.svg" % b,
                    "https://example.org/x", "%s/%s/%s/%s#top" % (b, lang, kind, slug)]
        assert n == (2 if name == "feed" else 1)


@pytest.mark.parametrize("lang", LANGS)
def test_event_entry_title_has_date(site, lang):
    _, feed = fetch_feed(site, feed_url(lang, "events"))
    items = sample_items(site.content)
    assert entries(feed)
    for e in entries(feed):
        start = items[entry_slug(e)]["start"]
        title = e.findtext(A + "title")
        assert MONTHS[lang][start.month - 1] in title, title
        assert str(start.year) in title, title
        assert re.search(r"(?<!\d)%d(?!\d)" % start.day, title), title


@pytest.mark.parametrize("lang", LANGS)
def test_event_entry_content_has_date_time_place(site, lang):
    _, feed = fetch_feed(site, feed_url(lang, "feed"))
    items = sample_items(site.content)
    n = 0
    for e in entries(feed):
        if entry_slug(e)[0] != "events":
            continue
        n += 1
        info = items[entry_slug(e)]
        text = " ".join(content_html(e).text_content().split())
        assert date_words(info["start"], lang) in text, text[:300]
        assert time_words(info["start"], lang) in text, text[:300]
        assert info["location"][lang] in text, text[:300]
    assert n == 8


def test_event_entry_date_at_its_own_offset(fresh_site):
    server = fresh_site()
    server.write("events/tokyo-late.xml", """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-05-01T10:00:00-04:00" start="2027-03-01T23:30:00+09:00">
  <title xml:lang="es">Llamada con Tokio</title><title xml:lang="en">Call with Tokyo</title>
  <location xml:lang="es">En línea</location><location xml:lang="en">Online</location>
  <summary>x</summary><body><p>x</p></body>
</event>
""")
    assert server.wait_for(lambda: "tokyo-late" in server.get("/en/events/feed.atom").text)
    for lang, date, hour in (("es", "1 de marzo de 2027", "23:30"),
                             ("en", "March 1, 2027", "11:30 PM")):
        _, feed = fetch_feed(server, "/%s/events/feed.atom" % lang)
        e = [e for e in entries(feed) if entry_slug(e)[1] == "tokyo-late"][0]
        assert "marzo" in e.findtext(A + "title") or "March" in e.findtext(A + "title")
        text = " ".join(content_html(e).text_content().split())
        assert date in text and hour in text, text


def test_untranslated_item_has_its_real_language(site):
    _, en = fetch_feed(site, "/en/feed.atom")
    found = [e for e in entries(en) if entry_slug(e) == ("press", ES_ONLY_PRESS)]
    assert len(found) == 1
    assert found[0].get(XML_LANG) == "es"
    assert "Aviso a la comunidad" in found[0].findtext(A + "title")
    for e in entries(en):
        if e is not found[0]:
            assert effective_lang(e) == "en"
    _, es = fetch_feed(site, "/es/press/feed.atom")
    found = [e for e in entries(es) if entry_slug(e) == ("press", ES_ONLY_PRESS)]
    assert len(found) == 1 and effective_lang(found[0]) == "es"


# ---------------------------------------------------------------- paging (RFC 5005)

PAGED = [("es", "feed", 16), ("en", "feed", 16), ("es", "events", 8), ("en", "press", 8)]


def page_number(url):
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    return int(q["page"][0]) if "page" in q else 1


def test_paging_first_page(fresh_site):
    server = fresh_site(feedsize=3)
    for lang, name, total in PAGED:
        url = server.base + feed_url(lang, name)
        _, feed = fetch_feed(server, feed_url(lang, name))
        assert len(entries(feed)) == 3
        for rel in ("next", "first", "last"):
            assert len(links(feed, rel)) == 1, rel
            assert is_absolute(link_href(feed, rel))
        assert not links(feed, "previous") and not links(feed, "prev")
        assert link_href(feed, "first") in (url, url + "?page=1")
        assert page_number(link_href(feed, "next")) == 2
        assert page_number(link_href(feed, "last")) == math.ceil(total / 3)
        assert schema().validate(feed.getroottree()), str(schema().error_log)


def test_paging_middle_page(fresh_site):
    server = fresh_site(feedsize=3)
    for lang, name, total in PAGED:
        _, first = fetch_feed(server, feed_url(lang, name))
        url2 = link_href(first, "next")
        _, second = fetch_feed(server, local_path(server, url2))
        assert link_href(second, "self") == url2
        assert len(entries(second)) == 3
        assert len(links(second, "previous")) == 1
        assert page_number(link_href(second, "previous")) == 1
        assert len(links(second, "next")) == 1
        assert page_number(link_href(second, "next")) == 3
        assert link_href(second, "first") == link_href(first, "first")
        assert link_href(second, "last") == link_href(first, "last")
        assert second.findtext(A + "id") == first.findtext(A + "id")
        assert schema().validate(second.getroottree()), str(schema().error_log)


def test_paging_last_page(fresh_site):
    server = fresh_site(feedsize=3)
    for lang, name, total in PAGED:
        _, first = fetch_feed(server, feed_url(lang, name))
        last_url = link_href(first, "last")
        n = math.ceil(total / 3)
        _, last = fetch_feed(server, local_path(server, last_url))
        assert not links(last, "next")
        assert page_number(link_href(last, "previous")) == n - 1
        assert len(entries(last)) == total - 3 * (n - 1)
        beyond = feed_url(lang, name) + "?page=%d" % (n + 1)
        assert server.get(beyond).status == 404, beyond


def test_paging_next_visits_every_entry_once(fresh_site):
    paged = fresh_site(feedsize=3)
    whole = fresh_site(feedsize=1000)
    for lang, name, total in PAGED:
        pages = all_pages(paged, feed_url(lang, name))
        assert len(pages) == math.ceil(total / 3)
        assert page_number(pages[-1][0]) == page_number(link_href(pages[0][1], "last"))
        ids = [e.findtext(A + "id") for _, feed in pages for e in entries(feed)]
        assert len(ids) == len(set(ids)) == total, "an entry seen twice or missed"
        _, full = fetch_feed(whole, feed_url(lang, name))
        assert not links(full, "next")
        assert ids == [e.findtext(A + "id") for e in entries(full)]
        for _, feed in pages:
            assert schema().validate(feed.getroottree()), str(schema().error_log)


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=999", "page=-1",
                                   "page=1x", "page=", "page=99999999999999999999"])
def test_bad_page_numbers_are_404(site, query):
    for lang, name in (("es", "feed"), ("en", "events")):
        path = feed_url(lang, name) + "?" + query
        assert site.get(path).status == 404, path


# ---------------------------------------------------------------- HTTP

@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_strong_etag_and_304(site, lang, name):
    path = feed_url(lang, name)
    r = check_strong_etag_304(site, path)
    again = site.get(path)
    assert again.header("ETag") == r.header("ETag") and again.body == r.body


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_last_modified_and_if_modified_since(site, lang, name):
    check_last_modified_304(site, feed_url(lang, name))


# ---------------------------------------------------------------- drafts

DRAFT_EVENT = """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-02-01T10:00:00-05:00" start="2027-06-01T10:00:00-04:00"%s>
  <title xml:lang="es">Borrador de evento secreto</title>
  <title xml:lang="en">Secret draft event</title>
  <location>Burlington</location>
  <summary>Secret draft summary</summary>
  <body><p>Secret draft body</p></body>
</event>
"""
DRAFT_PRESS = """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-02-02T10:00:00-05:00"%s>
  <title xml:lang="es">Borrador de comunicado secreto</title>
  <title xml:lang="en">Secret draft release</title>
  <summary>Secret draft summary</summary>
  <body><p>Secret draft body</p></body>
</press-release>
"""


def assert_nowhere(server, slugs, words):
    """Neither the items SLUGS ((kind, slug)) nor WORDS show anywhere."""
    for lang in LANGS:
        for kind, slug in slugs:
            r = server.get("/%s/%s/%s" % (lang, kind, slug))
            assert r.status == 404, "/%s/%s/%s: %d" % (lang, kind, slug, r.status)
        paths = [feed_url(lang, n) for n in FEED_PATH] + [
            "/%s/" % lang, "/%s/events/" % lang, "/%s/press/" % lang,
            "/%s/events.ics" % lang, "/sitemap.xml"]
        for path in paths:
            r = server.get(path)
            assert r.status == 200, path
            for kind, slug in slugs:
                assert slug not in r.text, "%s shows %s" % (path, slug)
            for w in words:
                assert w not in r.text, "%s shows %r" % (path, w)


def test_drafts_never_appear(fresh_site):
    server = fresh_site()
    server.write("events/secret-draft-event.xml", DRAFT_EVENT % ' draft="true"')
    server.write("press/secret-draft-release.xml", DRAFT_PRESS % ' draft="true"')
    write_marker(server)                                  # written last: seen last
    assert server.wait_for(lambda: "marker-release" in server.get("/es/feed.atom").text
                           and "marker-release" in server.get("/sitemap.xml").text)
    assert_nowhere(server, [("events", "secret-draft-event"),
                            ("press", "secret-draft-release")], ["Secret draft", "Borrador"])


def test_item_made_draft_disappears(fresh_site):
    server = fresh_site()
    server.write("events/secret-draft-event.xml", DRAFT_EVENT % "")
    server.write("press/secret-draft-release.xml", DRAFT_PRESS % "")
    assert server.wait_for(lambda: "secret-draft-release" in server.get("/en/feed.atom").text
                           and "secret-draft-event" in server.get("/en/feed.atom").text)
    server.write("events/secret-draft-event.xml", DRAFT_EVENT % ' draft="true"')
    server.write("press/secret-draft-release.xml", DRAFT_PRESS % ' draft="true"')
    assert server.wait_for(
        lambda: "secret-draft" not in server.get("/en/feed.atom").text
        and server.get("/es/press/secret-draft-release").status == 404)
    assert_nowhere(server, [("events", "secret-draft-event"),
                            ("press", "secret-draft-release")], ["Secret draft", "Borrador"])


@pytest.mark.parametrize("lang,name", FEEDS, ids=FEED_IDS)
def test_feedparser_opens_every_link_in_the_feeds_language(site, lang, name):
    """feedparser (like newsboat) takes the last rel="alternate" it sees as an entry's
    link: every entry's link and the feed's own link must be pages in its language."""
    resp = site.get(feed_url(lang, name))
    parsed = feedparser.parse(resp.body)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.link.startswith("%s/%s/" % (site.base, lang)), parsed.feed.link
    assert parsed.entries
    for e in parsed.entries:
        assert e.link.startswith("%s/%s/" % (site.base, lang)), (e.id, e.link)
        others = [l for l in e.links if l.get("rel") == "related"]
        assert {l.get("hreflang") for l in others} == {OTHER[lang]}
