"""Configuration (SPEC section 1): each bad directive value fails configtest with one
line naming the directive and the value; good values pass; the languages, their
order and the base URL change what is served; the event, worker and prefork MPMs.
"""
import concurrent.futures
import http.client
import os
import re
import urllib.parse

import html5lib
import pytest

from bilingual_server import SRCDIR, Apache, free_port
from helpers import (effective_lang, find_text, location_path, parents_of, parse_html,
                     text_of)

SAMPLE_HTDOCS = os.path.join(SRCDIR, "htdocs")
SAMPLE_CONTENT = os.path.join(SAMPLE_HTDOCS, "content")
BASE_URL = "https://campaign.example"


def configtest(tmp_path, content=SAMPLE_CONTENT, **kw):
    rundir = tmp_path / ("run%d" % len(list(tmp_path.iterdir())))
    rundir.mkdir()
    apache = Apache(content, rundir=str(rundir), htdocs=SAMPLE_HTDOCS, **kw)
    return apache.configtest()


BAD = [
    # (id, directive, value as it must appear in the message, Apache keywords)
    ("content-missing", "BilingualContent", "/nonexistent/bilingual/content",
     dict(content="/nonexistent/bilingual/content")),
    ("content-file", "BilingualContent", os.path.join(SAMPLE_CONTENT, "site.xml"),
     dict(content=os.path.join(SAMPLE_CONTENT, "site.xml"))),
    ("langs-underscore", "BilingualLanguages", "e_s", dict(langs="e_s")),
    ("langs-twice", "BilingualLanguages", "es", dict(langs="es es")),
    ("langs-twice-case", "BilingualLanguages", "es", dict(langs="es ES")),
    ("langs-twice-later", "BilingualLanguages", "en", dict(langs="en es fr en")),
    ("langs-star", "BilingualLanguages", "*", dict(langs="es *")),
    ("langs-dash", "BilingualLanguages", "es-", dict(langs="es- en")),
    ("langs-digits", "BilingualLanguages", "12", dict(langs="es 12")),
    ("feedsize-0", "BilingualFeedSize", "0", dict(feedsize="0")),
    ("feedsize-1001", "BilingualFeedSize", "1001", dict(feedsize="1001")),
    ("feedsize-abc", "BilingualFeedSize", "abc", dict(feedsize="abc")),
    ("feedsize-20x", "BilingualFeedSize", "20x", dict(feedsize="20x")),
    ("feedsize-neg", "BilingualFeedSize", "-5", dict(feedsize="-5")),
    ("feedsize-huge", "BilingualFeedSize", "99999999999999999999",
     dict(feedsize="99999999999999999999")),
    ("reload-neg", "BilingualReloadInterval", "-1", dict(reload="-1")),
    ("reload-abc", "BilingualReloadInterval", "abc", dict(reload="abc")),
    ("reload-86401", "BilingualReloadInterval", "86401", dict(reload="86401")),
    ("reload-2s", "BilingualReloadInterval", "2s", dict(reload="2s")),
    ("baseurl-ftp", "BilingualBaseURL", "ftp://x", dict(extra="BilingualBaseURL ftp://x")),
    ("baseurl-words", "BilingualBaseURL", "not a url",
     dict(extra='BilingualBaseURL "not a url"')),
    ("baseurl-path-only", "BilingualBaseURL", "/path", dict(extra="BilingualBaseURL /path")),
    ("baseurl-query", "BilingualBaseURL", "https://x/?a=1",
     dict(extra="BilingualBaseURL https://x/?a=1")),
    ("baseurl-fragment", "BilingualBaseURL", "https://x/#top",
     dict(extra="BilingualBaseURL https://x/#top")),
    ("baseurl-no-host", "BilingualBaseURL", "https://",
     dict(extra="BilingualBaseURL https://")),
]


@pytest.mark.parametrize("directive,value,kw", [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_bad_value_fails_configtest(tmp_path, directive, value, kw):
    kw = dict(kw)
    result = configtest(tmp_path, **kw)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    naming = [line for line in output.splitlines() if directive in line]
    assert len(naming) == 1, output
    line = naming[0]
    assert value.lower() in line.lower(), "value %r not named in %r" % (value, line)
    assert "Syntax OK" not in output


GOOD = [
    ("langs-es", dict(langs="es")),
    ("langs-es-en-fr", dict(langs="es en fr")),
    ("langs-en-es", dict(langs="en es")),
    ("langs-regions", dict(langs="pt-BR es-419 en")),
    ("langs-script", dict(langs="zh-Hant en")),
    ("feedsize-1", dict(feedsize="1")),
    ("feedsize-1000", dict(feedsize="1000")),
    ("reload-0", dict(reload="0")),
    ("reload-86400", dict(reload="86400")),
    ("baseurl-https", dict(extra="BilingualBaseURL https://campaign.example")),
    ("baseurl-slash", dict(extra="BilingualBaseURL https://campaign.example/")),
    ("baseurl-port", dict(extra="BilingualBaseURL http://campaign.example:8080")),
]


@pytest.mark.parametrize("kw", [g[1] for g in GOOD], ids=[g[0] for g in GOOD])
def test_good_value_passes_configtest(tmp_path, kw):
    result = configtest(tmp_path, **kw)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Syntax OK" in result.stdout + result.stderr


def test_third_language_falls_back_to_default(fresh_site):
    server = fresh_site(langs="es en fr")
    resp = server.get("/fr/")
    assert resp.status == 200
    html5lib.HTMLParser(strict=True).parse(resp.body)
    root = parse_html(resp.body)
    assert root.get("lang") == "fr"
    parents = parents_of(root)
    h1 = root.find(".//h1")
    assert "Trabajadores del campo, unidos por nuestros derechos" in text_of(h1)
    for sentence in ("Trabajadores del campo, unidos por nuestros derechos",
                     "Ordeñamos las vacas"):
        # the innermost element holding the sentence is in Spanish, marked so
        elem = find_text(root.find("body"), sentence)
        assert elem is not None and effective_lang(elem, parents) == "es", sentence
    assert server.get("/fr/about").status == 200
    assert server.get("/fr/events/").status == 200
    assert server.get("/fr/feed.atom").status == 200
    resp = server.get("/", {"Accept-Language": "fr-CA, en;q=0.5"})
    assert resp.status == 302
    assert location_path(resp) == "/fr/"
    # written in es and en only: the French address says so and claims no French
    # version (SPEC 5), its canonical is the default language's address
    alternates = {e.get("hreflang") for e in root.iter("link") if e.get("hreflang")}
    assert alternates == {"es", "en"}
    canonical = [e.get("href") for e in root.iter("link") if e.get("rel") == "canonical"]
    assert canonical == [server.base + "/es/"]
    assert root.find(".//p[@class='bl-only-in']") is not None
    languages = server.get("/fr/").header("Content-Language")
    assert [t.strip() for t in languages.split(",")] == ["es", "fr"]


def test_first_language_is_default(fresh_site):
    server = fresh_site(langs="en es")
    resp = server.get("/")
    assert resp.status == 302
    assert location_path(resp) == "/en/"
    resp = server.get("/", {"Accept-Language": "fr"})
    assert location_path(resp) == "/en/"
    resp = server.get("/", {"Accept-Language": "es"})
    assert location_path(resp) == "/es/"
    resp = server.get("/nope")
    assert resp.status == 404
    assert parse_html(resp.body).get("lang") == "en"


def test_base_url_makes_absolute_links(fresh_site):
    server = fresh_site(extra="BilingualBaseURL " + BASE_URL)
    own = "127.0.0.1:%d" % server.port
    for lang, page in (("es", ""), ("en", "about")):
        resp = server.get("/%s/%s" % (lang, page))
        assert resp.status == 200
        root = parse_html(resp.body)
        canonical = [e.get("href") for e in root.iter("link")
                     if "canonical" in (e.get("rel") or "").split()]
        assert canonical == ["%s/%s/%s" % (BASE_URL, lang, page)]
        alternates = {e.get("hreflang"): e.get("href") for e in root.iter("link")
                      if e.get("hreflang")}
        assert alternates["es"] == "%s/es/%s" % (BASE_URL, page)
        assert alternates["en"] == "%s/en/%s" % (BASE_URL, page)
        assert alternates["x-default"] == "%s/%s" % (BASE_URL, page)
        assert own.encode() not in resp.body
    for path in ("/es/feed.atom", "/en/events.ics", "/sitemap.xml"):
        resp = server.get(path)
        assert resp.status == 200, path
        assert BASE_URL.encode() in resp.body, path
        assert own.encode() not in resp.body, path


def test_base_url_with_trailing_slash(fresh_site):
    server = fresh_site(extra="BilingualBaseURL %s/" % BASE_URL)
    root = parse_html(server.get("/en/about").body)
    canonical = [e.get("href") for e in root.iter("link")
                 if "canonical" in (e.get("rel") or "").split()]
    assert canonical == [BASE_URL + "/en/about"]


def _get_with_host(server, path, host):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        conn.putheader("Connection", "close")
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_unknown_host_gets_the_server_name_base(site):
    """Without BilingualBaseURL a made-up Host never reaches a response: absolute links
    use the ServerName and the port the server listens on (SPEC 5), so the number of
    cached variants is bounded by the configuration."""
    status, body = _get_with_host(site, "/es/about", "flyer.example:8443")
    assert status == 200
    assert b"flyer.example" not in body
    assert re.search(rb'rel="canonical" href="http://127\.0\.0\.1:%d/es/about"' % site.port, body)
    status, body = _get_with_host(site, "/sitemap.xml", "evil.example")
    assert status == 200 and b"evil.example" not in body


def test_server_alias_is_its_own_base(fresh_site):
    """A request for an exact ServerAlias gets links on that name (with the port the
    connection came in on); a wildcard alias's match gets the ServerName's."""
    port = free_port()
    server = fresh_site(port=port, extra="<VirtualHost 127.0.0.1:%d>\n  ServerName 127.0.0.1\n"
                        "  ServerAlias flyer.example *.wild.example\n</VirtualHost>" % port)
    status, body = _get_with_host(server, "/es/about", "FLYER.example:8443")
    assert status == 200
    assert re.search(rb'rel="canonical" href="http://flyer\.example:%d/es/about"' % server.port,
                     body)
    status, body = _get_with_host(server, "/es/about", "a.wild.example")
    assert re.search(rb'rel="canonical" href="http://127\.0\.0\.1:%d/es/about"' % server.port,
                     body)


def _exercise(server):
    paths = ["/es/", "/en/", "/es/about", "/en/events/", "/es/press/",
             "/en/feed.atom", "/es/events.ics", "/sitemap.xml"] * 4

    def fetch(path):
        return path, server.get(path).status

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fetch, paths))
    assert all(status == 200 for _, status in results), results
    resp = server.get("/", {"Accept-Language": "en"})
    assert resp.status == 302
    assert location_path(resp) == "/en/"
    assert server.get("/es/nope").status == 404


@pytest.mark.parametrize("mpm", ["prefork", "worker", "event"])
def test_mpm(fresh_site, mpm):
    # bilingual_server.Apache.start gives each Apache a session of its own, so
    # prefork's parent signalling its process group on shutdown cannot reach pytest.
    server = fresh_site(mpm=mpm)
    _exercise(server)
    assert re.search(r"mpm_%s:notice" % mpm, server.apache.read_log())


def test_example_vhost_passes_configtest(tmp_path):
    """conf/example-vhost.conf, with its paths pointed at the sample, is a valid
    configuration that uses every directive."""
    with open(os.path.join(SRCDIR, "conf", "example-vhost.conf")) as f:
        vhost = f.read()
    for directive in ("BilingualContent", "BilingualLanguages", "BilingualBaseURL",
                      "BilingualFeedSize", "BilingualReloadInterval"):
        assert directive in vhost
    vhost = vhost.replace("/srv/campaign/htdocs/content", SAMPLE_CONTENT)
    vhost = vhost.replace("/srv/campaign/htdocs", SAMPLE_HTDOCS)
    vhost = vhost.replace("<VirtualHost *:80>", "<VirtualHost 127.0.0.1:*>")
    path = tmp_path / "vhost.conf"
    path.write_text(vhost)
    result = configtest(tmp_path, extra="Include %s" % path)
    assert result.returncode == 0, result.stderr


def test_languages_take_a_trailing_comment(tmp_path):
    """SPEC 1's example writes `BilingualLanguages es en   # the first is the default`."""
    result = configtest(tmp_path, langs="es en   # the first is the default")
    assert result.returncode == 0, result.stderr


def test_redirect_and_rewrite_still_apply_to_module_urls(fresh_site):
    """Admins keep mod_alias and mod_rewrite for old URLs shaped like the module's own:
    the module maps its URLs only after them."""
    extra = ("LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so\n"
             "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n"
             "Redirect permanent /es/old-page /es/about\n"
             "RewriteEngine on\n"
             "RewriteRule ^/en/old-news$ /en/press/ [R=301,L]")
    server = fresh_site(extra=extra)
    resp = server.get("/es/old-page")
    assert resp.status == 301
    assert urllib.parse.urlsplit(resp.header("Location")).path == "/es/about"
    resp = server.get("/en/old-news")
    assert resp.status == 301
    assert urllib.parse.urlsplit(resp.header("Location")).path == "/en/press/"
    assert server.get("/es/about").status == 200


@pytest.mark.parametrize("mpm", ["event", "prefork"])
def test_graceful_restarts_leave_no_crashed_child(fresh_site, mpm):
    """Children exit cleanly at a graceful restart and a stop: their reload threads are
    stopped and joined before their pools go (a child dying of a signal is logged by
    the parent as "exit signal")."""
    server = fresh_site(mpm=mpm, reload=1)
    # Connection: close, so that no keep-alive connection is open at the restart (the
    # event MPM then logs AH03093 for it, a race of its own unrelated to the module)
    close = {"Connection": "close"}
    for _ in range(2):
        assert server.get("/es/", close).status == 200
        offset = len(server.apache.read_log())
        server.apache.graceful()
        assert server.wait_for(lambda: "resuming normal operations"
                               in server.apache.read_log()[offset:], 10)
    assert server.get("/en/feed.atom", close).status == 200
    server.apache.stop()
    log = server.apache.read_log()
    assert "exit signal" not in log, log
    assert "Segmentation fault" not in log, log
