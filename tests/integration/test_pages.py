"""HTML pages (SPEC sections 2, 3 and 5): valid HTML5 in the URL's language, absolute
links, head links, the language switcher, untranslated content marked with its real
language, trailing-slash redirects and 404 pages.
"""
import re
import urllib.parse

import html5lib
import pytest

from helpers import (ES_ONLY_PRESS, LANGS, OTHER, effective_lang, find_text, get_ok,
                     location_path, parents_of, parse_html, text_of)

PAGES = ["", "about", "fair-and-impartial-policing", "get-involved"]
EVENT = "community-assembly-june-2015"
PRESS = "act-193-becomes-law"

# Sentences of htdocs/content/pages/*.xml, in each language.
SENTENCES = {
    "": {"es": "Ordeñamos las vacas, cuidamos los establos",
         "en": "We milk the cows, care for the barns"},
    "about": {"es": "Justicia Migrante nace en las granjas lecheras de Vermont",
              "en": "We are men and women from Mexico and Central America"},
    "fair-and-impartial-policing": {"es": "Seis meses en la mesa de negociación",
                                    "en": "Six months at the negotiating table"},
    "get-involved": {"es": "Necesitamos manos y corazones",
                     "en": "We need hands and hearts"},
}
TITLES = {
    "": {"es": "Trabajadores del campo, unidos por nuestros derechos",
         "en": "Farmworkers united for our rights"},
    "about": {"es": "Quiénes somos", "en": "About us"},
    "fair-and-impartial-policing": {
        "es": "No más polimigra: vigilancia policial justa e imparcial",
        "en": "Fair and impartial policing: keep police out of immigration enforcement"},
    "get-involved": {"es": "Participa", "en": "Get involved"},
}

ALL_HTML = (["/%s/%s" % (lang, page) for lang in LANGS for page in PAGES]
            + ["/%s/events/" % lang for lang in LANGS]
            + ["/%s/press/" % lang for lang in LANGS]
            + ["/%s/events/%s" % (lang, EVENT) for lang in LANGS]
            + ["/%s/press/%s" % (lang, PRESS) for lang in LANGS]
            + ["/%s/press/%s" % (lang, ES_ONLY_PRESS) for lang in LANGS])

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def links(root, rel):
    return [e for e in root.iter("link")
            if rel in (e.get("rel") or "").lower().split()]


def page_path(lang, page):
    return "/%s/%s" % (lang, page)


@pytest.mark.parametrize("lang", LANGS)
def test_home_page(site, lang):
    resp = site.get("/%s/" % lang)
    assert resp.status == 200
    assert resp.header("Content-Type").replace(" ", "").lower() == \
        "text/html;charset=utf-8"
    assert resp.body.startswith(b"<!DOCTYPE html>")
    assert ('<html lang="%s"' % lang).encode() in resp.body
    root = parse_html(resp.body)
    assert root.get("lang") == lang


@pytest.mark.parametrize("path", ALL_HTML)
def test_html_is_valid_html5(site, path):
    resp = site.get(path)
    assert resp.status == 200, path
    assert resp.header("Content-Type").replace(" ", "").lower() == \
        "text/html;charset=utf-8"
    assert resp.body.startswith(b"<!DOCTYPE html>")
    html5lib.HTMLParser(strict=True).parse(resp.body)
    assert parse_html(resp.body).get("lang") == path.split("/")[1]


@pytest.mark.parametrize("path", ALL_HTML + ["/es/nope", "/en/nope"])
def test_every_link_is_absolute(site, path):
    resp = site.get(path)
    assert resp.status in (200, 404)
    root = parse_html(resp.body)
    seen = 0
    for elem in root.iter():
        for attr in ("href", "src"):
            value = elem.get(attr)
            if value is None:
                continue
            seen += 1
            if value.lower().startswith("mailto:"):
                continue
            assert value.startswith("/") or SCHEME.match(value), \
                "%s: <%s %s=%r> is not absolute" % (path, elem.tag, attr, value)
            assert not value.startswith("//"), value
    assert seen > 5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_head_links(site, lang, page):
    resp = site.get(page_path(lang, page))
    assert resp.status == 200
    root = parse_html(resp.body)
    head = root.find("head")
    assert head is not None
    canonical = links(head, "canonical")
    assert [e.get("href") for e in canonical] == [site.base + page_path(lang, page)]
    alternates = {e.get("hreflang"): e.get("href") for e in links(head, "alternate")
                  if e.get("hreflang")}
    assert alternates.get("es") == site.base + page_path("es", page)
    assert alternates.get("en") == site.base + page_path("en", page)
    assert alternates.get("x-default") == site.base + "/" + page
    atom = [e.get("href") for e in links(head, "alternate")
            if (e.get("type") or "").lower() == "application/atom+xml"]
    assert site.base + "/%s/feed.atom" % lang in atom
    for href in atom:
        assert href.startswith(site.base + "/%s/" % lang), href


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_language_switcher(site, lang, page):
    other = OTHER[lang]
    root = parse_html(site.get(page_path(lang, page)).body)
    switch = [a for a in root.iter("a") if a.get("hreflang") == other]
    assert switch, "no link with hreflang=%s" % other
    for a in switch:
        parts = urllib.parse.urlsplit(a.get("href"))
        assert parts.path == "/" + page
        assert urllib.parse.parse_qsl(parts.query) == [("lang", other)]
        assert a.get("lang") == other
    assert not [a for a in root.iter("a") if a.get("hreflang") == lang
                and "lang=" in (a.get("href") or "")]


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_link_leads_to_other_language(site, lang):
    other = OTHER[lang]
    root = parse_html(site.get("/%s/about" % lang).body)
    href = [a.get("href") for a in root.iter("a") if a.get("hreflang") == other][0]
    resp = site.get(href, {"Accept-Language": lang})
    assert resp.status == 302
    assert location_path(resp) == "/%s/about" % other


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_text_is_in_its_language(site, lang, page):
    other = OTHER[lang]
    root = parse_html(site.get(page_path(lang, page)).body)
    body = text_of(root.find("body"))
    assert SENTENCES[page][lang] in body
    assert SENTENCES[page][other] not in body
    h1 = root.find(".//h1")
    assert text_of(h1).strip() == TITLES[page][lang]
    title = text_of(root.find("head/title"))
    assert TITLES[page][lang] in title
    assert TITLES[page][other] not in title
    parents = parents_of(root)
    assert effective_lang(find_text(root, SENTENCES[page][lang]), parents) == lang
    assert effective_lang(h1, parents) == lang


def test_untranslated_press_release_keeps_its_language(site):
    resp = site.get("/en/press/" + ES_ONLY_PRESS)
    assert resp.status == 200
    root = parse_html(resp.body)
    assert root.get("lang") == "en"
    parents = parents_of(root)
    h1 = root.find(".//h1")
    assert "Aviso a la comunidad" in text_of(h1)
    title = find_text(h1, "Aviso a la comunidad")
    assert effective_lang(title, parents) == "es"
    para = find_text(root.find("body"), "Compañeras y compañeros")
    assert para is not None
    assert effective_lang(para, parents) == "es"
    # the page's own words stay English
    nav = find_text(root.find("body"), "Get involved")
    assert nav is not None and effective_lang(nav, parents) == "en"


def test_translated_press_release_has_no_foreign_marks(site):
    """A release written in both languages shows no stand-in text on the English page:
    nothing in <main> is marked with another language (the layout's footer marks the
    Spanish name and motto itself, with a plain lang="es", which is content)."""
    root = parse_html(site.get("/en/press/" + PRESS).body)
    main = root.find(".//main")
    assert main is not None
    assert [e for e in main.iter() if e.get("lang") not in (None, "en")
            and e.get("hreflang") is None] == []


@pytest.mark.parametrize("path,target", [
    ("/es", "/es/"),
    ("/en", "/en/"),
    ("/es/about/", "/es/about"),
    ("/en/get-involved/", "/en/get-involved"),
    ("/es/events", "/es/events/"),
    ("/en/press", "/en/press/"),
    ("/es/events/%s/" % EVENT, "/es/events/%s" % EVENT),
    ("/en/press/%s/" % PRESS, "/en/press/%s" % PRESS),
    ("/es/feed.atom/", "/es/feed.atom"),
    ("/en/events/feed.atom/", "/en/events/feed.atom"),
    ("/es/press/feed.atom/", "/es/press/feed.atom"),
    ("/en/events.ics/", "/en/events.ics"),
    ("/sitemap.xml/", "/sitemap.xml"),
])
def test_trailing_slash_variants_redirect(site, path, target):
    resp = site.get(path)
    assert resp.status == 301, (path, resp.status)
    assert location_path(resp) == target
    assert site.get(target).status == 200


NOT_FOUND = {"es": ("Página no encontrada", "Page not found"),
             "en": ("Page not found", "Página no encontrada")}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rest", ["nope", "events/nope", "press/nope"])
def test_unknown_page_is_404_in_url_language(site, lang, rest):
    resp = site.get("/%s/%s" % (lang, rest))
    assert resp.status == 404
    assert resp.header("Content-Type").replace(" ", "").lower() == \
        "text/html;charset=utf-8"
    assert resp.body.startswith(b"<!DOCTYPE html>")
    html5lib.HTMLParser(strict=True).parse(resp.body)
    root = parse_html(resp.body)
    assert root.get("lang") == lang
    text = text_of(root)
    yes, no = NOT_FOUND[lang]
    assert yes in text
    assert no not in text


@pytest.mark.parametrize("path", ["/nope", "/events/nope", "/press/nope"])
def test_unprefixed_unknown_is_404_in_default_language(site, path):
    resp = site.get(path)
    assert resp.status == 404
    root = parse_html(resp.body)
    assert root.get("lang") == "es"
    assert "Página no encontrada" in text_of(root)


BAD_NAMES = [
    "/es/About",
    "/es/ABOUT",
    "/es/a.b",
    "/es/about.xml",
    "/es/a_b",
    "/es/-about",
    "/es/about%20",
    "/es/%C3%A9",
    "/es/..%2f..%2fetc%2fpasswd",
    "/es/%2e%2e/%2e%2e/etc/passwd",
    "/es/events/..%2f..%2fsite",
    "/es/press/.hidden",
    "/es/%00",
    "/es/about%00",
    "/es/" + "a" * 5000,
    "/es/events/" + "a-" * 2500,
    "/es/" + "a/" * 2000,
]


@pytest.mark.parametrize("path", BAD_NAMES, ids=[p[:40] for p in BAD_NAMES])
def test_bad_names_are_4xx(site, expect_log, path):
    if "%2e%2e/" in path:
        # httpd's core refuses a dot-segment escaping the root before any module runs
        expect_log(site, r"AH10244: invalid URI path")
    resp = site.get(path)
    assert 400 <= resp.status < 500, (path, resp.status)
    assert b"root:x:0:0" not in resp.body
    assert site.get("/es/").status == 200


OUTSIDE_GRAMMAR = ["/es/About", "/es/a.b", "/es/a_b", "/es/-about", "/es/" + "a" * 101,
                   "/es/" + "a" * 5000, "/en/events/" + "a-" * 2500, "/en/press/Act-193"]


@pytest.mark.parametrize("path", OUTSIDE_GRAMMAR, ids=[p[:30] for p in OUTSIDE_GRAMMAR])
def test_names_outside_the_grammar_are_404_pages(site, path):
    resp = site.get(path)
    assert resp.status == 404
    root = parse_html(resp.body)
    assert root.get("lang") == path.split("/")[1]


def test_not_found_pages_do_not_depend_on_the_path(site):
    """Every made-up name gets the same 404 page in a language (its switcher leads to
    the home page) but for its "skip to content" link, which stays on the page asked
    for (a link to /en/#main would leave it); it is made for each request and never
    cached, so hostile requests cannot fill the render cache with copies."""
    a = site.get("/en/no-such-page")
    b = site.get("/en/another-made-up-name")
    c = site.get("/en/events/no-such-event")
    assert a.status == b.status == c.status == 404
    skip = re.compile(rb'<a class="skip-link" href="([^"]*)"')
    assert [skip.search(r.body).group(1) for r in (a, b, c)] == [
        b"/en/no-such-page#main", b"/en/another-made-up-name#main",
        b"/en/events/no-such-event#main"]
    assert skip.sub(b"", a.body) == skip.sub(b"", b.body) == skip.sub(b"", c.body)
    assert b'href="/?lang=es"' in a.body
    odd = site.get("/en/a%20b%3Cc%3E%22")
    assert odd.status == 404
    assert skip.search(odd.body).group(1) == b"/en/a%20b%3cc%3e%22#main"
    assert site.get("/es/no-such-page").body != a.body


# Spanish words the English pages quote; screen readers must read them as Spanish.
SPANISH_WORDS = ("polimigra", "Pa’lante", "pan dulce")


@pytest.mark.parametrize("path", [p for p in ALL_HTML if p.startswith("/en/")]
                         + ["/en/events/community-meeting-optional-sections-2027",
                            "/en/press/sheriff-settlement-lorenzo-alcudia"])
def test_spanish_words_on_english_pages_are_marked(site, path):
    """Every Spanish word the English sample quotes sits in an element marked
    lang="es" (a plain lang attribute in the content), in the body; the head's
    <title> holds none (it cannot be marked)."""
    root = parse_html(get_ok(site, path).body)
    parents = parents_of(root)
    head = root.find("head")
    assert not any(w in text_of(head.find("title")) for w in SPANISH_WORDS), path
    seen = 0
    for elem in root.find("body").iter():
        for text in (elem.text, elem.tail):
            if text and any(w in text for w in SPANISH_WORDS):
                # a tail belongs to the parent's language
                owner = elem if text is elem.text else parents.get(elem)
                assert effective_lang(owner, parents) == "es", (path, text.strip()[:60])
                seen += 1
    if path in ("/en/", "/en/fair-and-impartial-policing",
                "/en/events/community-meeting-optional-sections-2027"):
        assert seen > 0, "%s quotes Spanish words" % path


def test_missing_home_page_is_a_404_made_for_each_request(fresh_site, expect_log):
    """Without pages/index.xml, /es/ is the 404 page like any unknown path: made for
    each request (its skip link names the address asked for, query included), never
    cached, so one visitor's query never reaches another's page."""
    server = fresh_site()
    server.remove("pages/index.xml")
    assert server.wait_for(lambda: server.get("/es/?x=1").status == 404)
    skip = re.compile(rb'<a class="skip-link" href="([^"]*)"')
    assert skip.search(server.get("/es/?from=a%20b").body).group(1) == b"/es/?from=a%20b#main"
    r = server.get("/es/")
    assert r.status == 404 and r.header("ETag") is None
    assert skip.search(r.body).group(1) == b"/es/#main"


def test_skip_link_never_names_another_host(fresh_site):
    """With MergeSlashes Off, //evil.example/x reaches the module as it is: the 404
    page's skip link keeps one leading slash, a path of this site."""
    server = fresh_site(extra="MergeSlashes Off")
    r = server.get("//evil.example/x")
    assert r.status == 404
    href = re.search(rb'<a class="skip-link" href="([^"]*)"', r.body).group(1)
    assert href == b"/evil.example/x#main", href
