"""Language negotiation of unprefixed URLs (SPEC section 4).

An unprefixed URL answers 302 to the prefixed one: `?lang=xx` first (remembered in a
cookie, dropped from the redirect), then the cookie, then Accept-Language, then the
default language; never 406. The redirect varies on Accept-Language and Cookie;
prefixed responses vary on neither and set no cookie.
"""
import http.cookies
import time
import urllib.parse

import pytest

from helpers import cookie_named, location_path

EVENT = "community-assembly-june-2015"
PRESS = "act-193-becomes-law"

# Every unprefixed form of SPEC section 2 (the sitemap has no prefixed form).
NEUTRAL_PATHS = [
    "/",
    "/about",
    "/fair-and-impartial-policing",
    "/get-involved",
    "/events/",
    "/events/" + EVENT,
    "/press/",
    "/press/" + PRESS,
    "/feed.atom",
    "/events/feed.atom",
    "/press/feed.atom",
    "/events.ics",
]

# The examples of SPEC section 4, languages `es en`.
SPEC_EXAMPLES = [
    ("es-419, en;q=0.5", "es"),
    ("en-GB, es;q=0.5", "en"),
    ("es;q=0, *", "en"),
    ("*;q=0", "es"),
    ("en;q=0.5, es;q=0.5", "en"),
    ("es;q=abc, en;q=0.5", "en"),
    ("es;q=0.2, en;q=0.5, es;q=0.9", "es"),
    ("fr-CA, fr;q=0.9", "es"),
    (None, "es"),
]

# The rules of SPEC section 4 item 3, one case each.
RULE_CASES = [
    ("es-MX", "es"),                       # a longer range matches its prefix
    ("ES", "es"),                          # case-insensitive
    ("EN-us", "en"),
    ("en", "en"),
    ("fr, en-US;q=0.3", "en"),             # unconfigured languages do not count
    ("en;q=0.5, *;q=0.9", "es"),           # * gives its q to unmatched languages
    ("es;q=0, en;q=0.1", "en"),            # q=0 excludes
    ("es;q=0, en;q=0", "es"),              # everything excluded: default, never 406
    ("en;q=1.5, es;q=0.5", "es"),          # q above 1 is skipped
    ("en;q=0.1234, es;q=0.5", "es"),       # more than 3 decimals is skipped
    ("en;q=0.501, es;q=0.5", "en"),        # 3 decimals are fine
    ("es;q=0.1, en ; Q=0.5", "en"),        # Q= and spaces around ; accepted
    ("e_n, en;q=0.5", "en"),               # a bad tag is skipped
    ("en-GB;q=0.8, es;q=0.8", "en"),       # tie: the first in the header wins
    ("es;q=0.8, en-GB;q=0.8", "es"),
    ("en;q=0", "es"),
    ("", "es"),
]


def location_query(resp):
    return urllib.parse.parse_qsl(urllib.parse.urlsplit(resp.header("Location")).query,
                                  keep_blank_values=True)


def vary_tokens(resp):
    return {t.strip().lower() for v in resp.header_list("Vary") for t in v.split(",")}


def negotiate(server, path="/", accept_language=None, cookie=None):
    headers = {}
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    if cookie is not None:
        headers["Cookie"] = cookie
    return server.get(path, headers)


@pytest.mark.parametrize("accept_language,lang", SPEC_EXAMPLES)
def test_spec_examples(site, accept_language, lang):
    resp = negotiate(site, "/", accept_language)
    assert resp.status == 302
    assert location_path(resp) == "/%s/" % lang


@pytest.mark.parametrize("accept_language,lang", RULE_CASES)
def test_accept_language_rules(site, accept_language, lang):
    resp = negotiate(site, "/", accept_language)
    assert resp.status == 302
    assert location_path(resp) == "/%s/" % lang


@pytest.mark.parametrize("accept_language", [None, "en", "es;q=0, *"])
def test_redirect_varies_on_accept_language_and_cookie(site, accept_language):
    resp = negotiate(site, "/", accept_language)
    assert resp.status == 302
    tokens = vary_tokens(resp)
    assert "accept-language" in tokens, resp.header_list("Vary")
    assert "cookie" in tokens, resp.header_list("Vary")


def test_lang_parameter_redirects_and_is_dropped(site):
    resp = site.get("/events?lang=en", {"Accept-Language": "es"})
    assert resp.status == 302
    parts = urllib.parse.urlsplit(resp.header("Location"))
    assert parts.path == "/en/events/"
    assert parts.query == ""
    tokens = vary_tokens(resp)
    assert "accept-language" in tokens and "cookie" in tokens


def test_lang_parameter_sets_a_cookie_naming_the_language(site):
    name, value = cookie_named(site, "en")
    assert value == "en"
    name_es, value_es = cookie_named(site, "es")
    assert (name_es, value_es) == (name, "es")
    cookie = site.get("/events?lang=en").header("Set-Cookie")
    assert cookie and "en" in cookie.split(";")[0]


def test_cookie_steers_a_later_request(site):
    name, _ = cookie_named(site, "en")
    resp = negotiate(site, "/", "es", cookie="%s=en" % name)
    assert resp.status == 302
    assert location_path(resp) == "/en/"
    resp = negotiate(site, "/events/", None, cookie="%s=en" % name)
    assert location_path(resp) == "/en/events/"
    name, _ = cookie_named(site, "es")
    resp = negotiate(site, "/about", "en", cookie="%s=es" % name)
    assert location_path(resp) == "/es/about"


def test_cookie_among_other_cookies(site):
    name, _ = cookie_named(site, "en")
    cookie = "a=1; %s=en; b=es" % name
    resp = negotiate(site, "/", "es", cookie=cookie)
    assert location_path(resp) == "/en/"


@pytest.mark.parametrize("value", ["fr", "xx", "", "e", "en-", "*", "es,en", "%65%6e"])
def test_cookie_naming_an_unconfigured_language_is_ignored(site, value):
    name, _ = cookie_named(site, "en")
    resp = negotiate(site, "/", "en", cookie="%s=%s" % (name, value))
    assert resp.status == 302
    assert location_path(resp) == "/en/"
    resp = negotiate(site, "/", None, cookie="%s=%s" % (name, value))
    assert resp.status == 302
    assert location_path(resp) == "/es/"


def test_lang_parameter_beats_cookie_beats_accept_language(site):
    name, _ = cookie_named(site, "en")
    # ?lang beats the cookie and Accept-Language
    resp = negotiate(site, "/?lang=es", "en", cookie="%s=en" % name)
    assert location_path(resp) == "/es/"
    resp = negotiate(site, "/?lang=en", "es", cookie="%s=es" % name)
    assert location_path(resp) == "/en/"
    # the cookie beats Accept-Language
    resp = negotiate(site, "/", "es", cookie="%s=en" % name)
    assert location_path(resp) == "/en/"
    resp = negotiate(site, "/", "en", cookie="%s=es" % name)
    assert location_path(resp) == "/es/"


@pytest.mark.parametrize("query", ["lang=xx", "lang=", "lang=fr", "lang=e_s",
                                   "lang=en%00", "lang=en&lang=zz"])
def test_invalid_lang_parameter_is_ignored(site, query):
    resp = site.get("/events/?" + query, {"Accept-Language": "es"})
    assert resp.status == 302
    path = location_path(resp)
    if query.startswith("lang=en&"):
        assert path in ("/en/events/", "/es/events/")
    else:
        assert path == "/es/events/"
        for cookie in resp.header_list("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(cookie)
            assert all(m.value in ("es", "en", "") for m in jar.values()), cookie
    resp = site.get("/?lang=xx", {"Accept-Language": "en"})
    assert resp.status == 302
    assert location_path(resp) == "/en/"


def test_invalid_lang_parameter_with_cookie_uses_cookie(site):
    name, _ = cookie_named(site, "en")
    resp = negotiate(site, "/?lang=xx", "es", cookie="%s=en" % name)
    assert location_path(resp) == "/en/"


def test_other_query_parameters_survive(site):
    resp = site.get("/events/?a=1&lang=en&b=two%20words")
    assert resp.status == 302
    assert location_path(resp) == "/en/events/"
    assert location_query(resp) == [("a", "1"), ("b", "two words")]
    resp = site.get("/press/?utm_source=flyer", {"Accept-Language": "en"})
    assert resp.status == 302
    assert location_path(resp) == "/en/press/"
    assert location_query(resp) == [("utm_source", "flyer")]
    resp = site.get("/?x=1")
    assert location_path(resp) == "/es/"
    assert location_query(resp) == [("x", "1")]


@pytest.mark.parametrize("path", NEUTRAL_PATHS)
def test_neutral_path_redirects_under_prefix(site, path):
    resp = site.get(path)
    assert resp.status == 302
    assert location_path(resp) == "/es" + path
    resp = site.get(path, {"Accept-Language": "en-US,en;q=0.9"})
    assert resp.status == 302
    assert location_path(resp) == "/en" + path
    resp = site.get(path + "?lang=en")
    assert resp.status == 302
    assert location_path(resp) == "/en" + path
    assert urllib.parse.urlsplit(resp.header("Location")).query == ""
    assert {"accept-language", "cookie"} <= vary_tokens(resp)


@pytest.mark.parametrize("path", ["/es/", "/en/", "/es/about", "/en/get-involved",
                                  "/es/events/", "/en/events/" + EVENT, "/en/press/",
                                  "/es/press/" + PRESS, "/en/feed.atom",
                                  "/es/events/feed.atom", "/en/press/feed.atom",
                                  "/es/events.ics", "/en/nope"])
def test_prefixed_responses_have_no_language_vary_nor_cookie(site, path):
    name, _ = cookie_named(site, "en")
    for headers in ({}, {"Accept-Language": "en"},
                    {"Accept-Language": "es", "Cookie": "%s=en" % name}):
        resp = site.get(path, headers)
        assert resp.status in (200, 404), (path, resp.status)
        tokens = vary_tokens(resp)
        assert "accept-language" not in tokens, (path, resp.header_list("Vary"))
        assert "cookie" not in tokens, (path, resp.header_list("Vary"))
        assert resp.header_list("Set-Cookie") == [], path


def test_prefixed_url_with_lang_parameter_sets_no_cookie(site):
    resp = site.get("/es/about?lang=en")
    assert resp.status < 500
    assert resp.header_list("Set-Cookie") == []
    tokens = vary_tokens(resp)
    assert "accept-language" not in tokens and "cookie" not in tokens


HOSTILE_ACCEPT_LANGUAGE = [
    ("8kb", ("es-MX;q=0.5, " * 700)[:8000]),
    ("8kb-en-last", ("fr;q=0.1," * 880) + "en"),
    ("high-bytes", b"es\xff\xfe-\xe9\xe8;q=0.\xe9, \xc3\x28en;q=0.5"),
    ("utf8", "español, en;q=0.5".encode("utf-8")),
    ("semicolons", ";;;;"),
    ("semicolons-en", "en;;;;q=0.5;;;"),
    ("empty-q", "q="),
    ("en-empty-q", "en;q="),
    ("q-only", ";q=1"),
    ("commas", "," * 4000),
    ("commas-en", ("," * 4000) + "en"),
    ("equals", "=" * 3000),
    ("spaces", " " * 4000 + "en"),
    ("long-tag", "e" * 7000),
    ("many-dashes", "en" + "-" * 7000),
    ("many-params", "en" + ";q=0.5" * 1000),
    ("huge-q", "en;q=" + "9" * 5000),
    ("negative-q", "en;q=-1, es;q=-0.5"),
    ("star-only", "*"),
    ("star-garbage", "*;q=x;y=z"),
]


@pytest.mark.parametrize("name,value", HOSTILE_ACCEPT_LANGUAGE,
                         ids=[n for n, _ in HOSTILE_ACCEPT_LANGUAGE])
def test_hostile_accept_language(site, name, value):
    start = time.time()
    resp = site.get("/", {"Accept-Language": value})
    elapsed = time.time() - start
    assert resp.status == 302, (name, resp.status)
    assert location_path(resp) in ("/es/", "/en/")
    assert elapsed < 2.0, "Accept-Language parsing took %.1f s" % elapsed
    after = site.get("/", {"Accept-Language": "en"})
    assert after.status == 302
    assert location_path(after) == "/en/"
    assert site.get("/es/").status == 200


def test_long_header_with_english_last_still_negotiates(site):
    value = ("fr;q=0.1," * 880) + "en"
    resp = site.get("/", {"Accept-Language": value})
    assert resp.status == 302
    assert location_path(resp) == "/en/"


@pytest.mark.parametrize("accept_language", ["fr", "de, it;q=0.5", "*;q=0",
                                             "es;q=0, en;q=0", "zz-ZZ"])
def test_never_406(site, accept_language):
    for path in ("/", "/about", "/events/", "/feed.atom"):
        resp = site.get(path, {"Accept-Language": accept_language})
        assert resp.status == 302, (path, resp.status)
        assert location_path(resp) == "/es" + path
    resp = site.get("/en/", {"Accept-Language": "fr"})
    assert resp.status == 200
