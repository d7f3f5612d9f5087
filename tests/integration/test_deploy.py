"""Deployment on Debian (SPEC sections 2 and 5): what a browser, a cache in front and an
admin see of compression, caching headers and the files of DocumentRoot.

- Compression by the module, once per cached response: gzip and brotli chosen from
  Accept-Encoding (higher q wins, br first at equal q, none under 256 bytes), one
  `Content-Encoding`, `Vary: Accept-Encoding` on every module response, a strong ETag
  per representation in mod_deflate's form (`"..."` -> `"...-gzip"`), the right
  Content-Length, HEAD alike, bodies that decompress to exactly the identity bytes, and
  a 304 for each representation when a browser revalidates; under Debian's stock
  mod_deflate/mod_brotli nothing is compressed twice and static files are still
  compressed by httpd.
- Cache-Control: public with stale-while-revalidate on prefixed responses, set by
  BilingualCacheMaxAge (0: no-cache; bad values fail configtest), private on the
  negotiated 302, no-store on the status page.
- DocumentRoot: robots.txt answered when there is no file, the admin's files
  (robots.txt, favicon.ico, apple-touch-icon.png, /.well-known/) served by httpd, and
  never hidden folders, the content folder, nor a file shadowing a module URL.
"""
import ctypes
import ctypes.util
import gzip
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from bilingual_server import SRCDIR, Apache
from conftest import Server
from helpers import cookie_named, location_path

SAMPLE_HTDOCS = os.path.join(SRCDIR, "htdocs")
SAMPLE_CONTENT = os.path.join(SAMPLE_HTDOCS, "content")
EVENT = "community-forum-middlebury-2016"
PRESS = "act-193-becomes-law"
MIN_BYTES = 256

# Responses of the module that are 200 (and big enough to be compressed).
OK_PATHS = [
    "/es/",
    "/en/about",
    "/es/events/",
    "/en/press/",
    "/en/events/" + EVENT,
    "/es/press/" + PRESS,
    "/es/feed.atom",
    "/en/events/feed.atom",
    "/es/press/feed.atom",
    "/es/events.ics",
    "/sitemap.xml",
]
# The module's 404 page: prefixed, and unprefixed (the default language's).
NOT_FOUND_PATHS = ["/es/no-such-page", "/en/events/no-such-event", "/no-such-page"]

DEFAULT_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400"
STATUS_PAGE = "<Location /bilingual-status>\n SetHandler bilingual-status\n</Location>"
# Debian's stock compression: a2enmod deflate (on by default) and brotli, the latter
# told to compress the module's types too.
DEBIAN_COMPRESSION = (
    "LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so\n"
    "LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n"
    "LoadModule brotli_module /usr/lib/apache2/modules/mod_brotli.so\n"
    "Include /etc/apache2/mods-available/deflate.conf\n"
    "AddOutputFilterByType BROTLI_COMPRESS text/html application/xml text/plain")
# What browsers send: Chrome/Firefox over http, an older one, and none at all.
BROWSER_ENCODINGS = ["gzip, deflate, br", "gzip, deflate", "br", None]
BAD_LEVELS = re.compile(r"\[[a-z_0-9]+:(error|crit|alert|emerg)\]|exit signal")


# ---------------------------------------------------------------- decoding

def _brotli_decoder():
    """A function that decompresses brotli: the Python module, else Debian's brotli
    command, else libbrotlidec through ctypes; None when there is none of them."""
    try:
        import brotli  # noqa: F401
        return brotli.decompress
    except ImportError:
        pass
    cli = shutil.which("brotli")
    if cli:
        def run_cli(data):
            return subprocess.run([cli, "-d", "-c"], input=data, capture_output=True,
                                  check=True).stdout
        return run_cli
    lib = ctypes.util.find_library("brotlidec")
    if lib:
        dec = ctypes.CDLL(lib)
        fn = dec.BrotliDecoderDecompress
        fn.argtypes = [ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
                       ctypes.c_char_p]
        fn.restype = ctypes.c_int

        def run_lib(data):
            cap = max(4096, len(data) * 16)
            while cap <= 1 << 26:
                out = ctypes.create_string_buffer(cap)
                size = ctypes.c_size_t(cap)
                if fn(len(data), data, ctypes.byref(size), out) == 1:   # SUCCESS
                    return out.raw[:size.value]
                cap *= 4                                                 # too small
            raise ValueError("brotli data does not decode")
        return run_lib
    return None


BROTLI_DECODE = _brotli_decoder()


def decoded(resp):
    """The body of RESP decoded once as its Content-Encoding says; None when it is
    brotli and nothing here can decode brotli (then only headers and length count)."""
    enc = resp.header("Content-Encoding")
    if enc is None:
        return resp.body
    if enc == "gzip":
        return gzip.decompress(resp.body)
    if enc == "br":
        return BROTLI_DECODE(resp.body) if BROTLI_DECODE else None
    raise AssertionError("unexpected Content-Encoding %r" % enc)


# ---------------------------------------------------------------- headers

def tokens(resp, name):
    """The comma-separated tokens of header NAME, lower-cased."""
    return [t.strip().lower() for v in resp.header_list(name) for t in v.split(",")
            if t.strip()]


def directives(resp):
    """Cache-Control as {directive: value or None}."""
    found = {}
    for tok in tokens(resp, "Cache-Control"):
        key, _, value = tok.partition("=")
        found[key.strip()] = value.strip() or None
    return found


def ae(value):
    return {} if value is None else {"Accept-Encoding": value}


def suffixed(etag, coding):
    """The ETag of the CODING representation of the identity's ETAG."""
    if coding is None:
        return etag
    assert re.match(r'^"[^"]+"$', etag), "not a strong ETag: %r" % etag
    return etag[:-1] + "-" + coding + '"'


def check_representation(ident, resp, coding, what):
    """Checks that RESP is the CODING representation (None: identity) of IDENT."""
    assert resp.status == ident.status, what
    encs = resp.header_list("Content-Encoding")
    if coding is None:
        assert encs == [], "%s: %r" % (what, encs)
    else:
        assert encs == [coding], "%s: Content-Encoding %r" % (what, encs)
    assert "accept-encoding" in tokens(resp, "Vary"), what
    assert resp.header("Content-Length") == str(len(resp.body)), what
    if ident.header("ETag") is not None:
        assert resp.header("ETag") == suffixed(ident.header("ETag"), coding), what
    for name in ("Content-Type", "Last-Modified", "Cache-Control"):
        assert resp.header(name) == ident.header(name), "%s: %s" % (what, name)
    plain = decoded(resp)
    if plain is not None:
        assert plain == ident.body, "%s: does not decompress to the identity bytes" % what
    if coding is not None:
        assert len(resp.body) < len(ident.body), what


# ---------------------------------------------------------------- 1. compression

CHOICES = [
    # (Accept-Encoding, the coding sent)
    (None, None),
    ("", None),
    ("identity", None),
    ("gzip;q=0", None),
    ("deflate", None),
    ("gzip;q=0, br;q=0", None),
    ("gzip", "gzip"),
    ("x-gzip", "gzip"),
    ("GZIP", "gzip"),
    ("gzip, deflate", "gzip"),
    ("br", "br"),
    ("gzip, br", "br"),
    ("gzip, deflate, br", "br"),
    ("br;q=0.5, gzip;q=0.5", "br"),
    ("gzip;q=0.6, br;q=0.5", "gzip"),
    ("x-gzip;q=0.6, br;q=0.5", "gzip"),
    ("br;q=0.9, gzip;q=0.8", "br"),
    ("br;q=0, gzip", "gzip"),
    ("gzip;q=0, br", "br"),
    ("gzip ; q=0.5, br;Q=0.4", "gzip"),
    ("*", "br"),
    ("br;q=0, *", "gzip"),
    ("identity;q=1, gzip;q=0.5", None),       # the client prefers the bytes as they are
    ("gzip;q=0.4, identity;q=0.5, br;q=0.3", None),
    ("gzip, identity;q=0.5", "gzip"),
    ("identity, br", "br"),                   # equal q: the smaller representation
]


@pytest.mark.parametrize("accept,coding", CHOICES,
                         ids=["%r" % (a,) for a, _ in CHOICES])
def test_coding_follows_accept_encoding(site, accept, coding):
    ident = site.get("/en/about")
    assert ident.status == 200 and len(ident.body) >= MIN_BYTES
    resp = site.get("/en/about", ae(accept))
    check_representation(ident, resp, coding, "Accept-Encoding %r" % (accept,))


@pytest.mark.parametrize("path", NOT_FOUND_PATHS)
def test_not_found_page_is_sent_as_it_is(site, path):
    """The 404 page is made for each request (its "skip to content" link names the
    path asked for, so it is never cached, and never compressed per request: work a
    client could multiply): identity for every Accept-Encoding, no ETag,
    Vary: Accept-Encoding, HEAD with the same length."""
    ident = site.get(path)
    assert ident.status == 404 and len(ident.body) >= MIN_BYTES, path
    assert ident.header("ETag") is None, path
    for coding in ("gzip", "br", "gzip, deflate, br"):
        resp = site.get(path, ae(coding))
        assert resp.status == 404, (path, coding)
        check_representation(ident, resp, None, "%s %s" % (path, coding))
        head = site.head(path, ae(coding))
        assert head.status == 404 and head.body == b"", (path, coding)
        assert head.header("Content-Length") == str(len(ident.body)), (path, coding)


@pytest.mark.parametrize("path", OK_PATHS)
def test_every_representation_of_a_module_response(site, path):
    """Pages, lists, items, feeds, calendars and the sitemap: identity, gzip and br,
    GET and HEAD, each with its own ETag, the right length, Vary, and a body that
    decompresses once to exactly the identity bytes, the same bytes each time
    (compressed once, then served from the cache)."""
    ident = site.get(path)
    assert ident.status == 200, path
    assert len(ident.body) >= MIN_BYTES, path
    assert ident.header_list("Content-Encoding") == []
    if ident.status == 200:
        assert re.match(r'^"[^"]+"$', ident.header("ETag") or ""), ident.header("ETag")
    for coding in (None, "gzip", "br"):
        what = "%s %s" % (path, coding)
        resp = site.get(path, ae(coding))
        check_representation(ident, resp, coding, what)
        again = site.get(path, ae(coding))
        assert again.body == resp.body and again.header("ETag") == resp.header("ETag"), what
        head = site.head(path, ae(coding))
        assert head.status == resp.status and head.body == b"", what
        for name in ("Content-Length", "ETag", "Content-Encoding", "Vary", "Content-Type",
                     "Last-Modified", "Cache-Control"):
            assert head.header(name) == resp.header(name), "%s HEAD %s" % (what, name)


def test_small_response_is_not_compressed(site):
    """robots.txt (no file in DocumentRoot) is under 256 bytes: sent as it is to every
    client, with one ETag, and still Vary: Accept-Encoding."""
    ident = site.get("/robots.txt")
    assert ident.status == 200 and 0 < len(ident.body) < MIN_BYTES
    assert "accept-encoding" in tokens(ident, "Vary")
    for accept in ("gzip", "br", "gzip, deflate, br", "x-gzip"):
        resp = site.get("/robots.txt", ae(accept))
        check_representation(ident, resp, None, accept)
        head = site.head("/robots.txt", ae(accept))
        assert head.header("Content-Length") == str(len(ident.body)) and head.body == b""
        assert head.header_list("Content-Encoding") == []


@pytest.mark.parametrize("path", OK_PATHS)
def test_revalidation_of_each_representation(site, path):
    """A browser revalidates with the ETag and Last-Modified it received: 304 for each
    representation, with the same ETag, Vary and Cache-Control; another
    representation's ETag does not match."""
    etags = {}
    for accept in (None, "gzip", "br", "gzip, deflate, br", "x-gzip"):
        what = "%s %r" % (path, accept)
        resp = site.get(path, ae(accept))
        assert resp.status == 200, what
        etag, lm = resp.header("ETag"), resp.header("Last-Modified")
        assert etag and lm, what
        etags[resp.header("Content-Encoding")] = etag
        cond = dict(ae(accept), **{"If-None-Match": etag, "If-Modified-Since": lm})
        r304 = site.get(path, cond)
        assert r304.status == 304 and r304.body == b"", what
        assert r304.header("ETag") == etag, what
        assert "accept-encoding" in tokens(r304, "Vary"), what
        assert r304.header("Cache-Control") == resp.header("Cache-Control"), what
        h304 = site.head(path, cond)
        assert h304.status == 304 and h304.header("ETag") == etag, what
    assert set(etags) == {None, "gzip", "br"}
    assert len(set(etags.values())) == 3, etags
    # a copy in another coding is not the one the server would send now
    for accept, stale in (("br", etags["gzip"]), ("gzip", etags[None]),
                          (None, etags["br"])):
        resp = site.get(path, dict(ae(accept), **{"If-None-Match": stale}))
        assert resp.status == 200, (path, accept, stale)
        assert resp.header("ETag") == etags[resp.header("Content-Encoding")]
    # a shared cache holding all three asks with all three: 304 naming the one chosen
    every = ", ".join(etags.values())
    for accept, coding in (("gzip", "gzip"), ("br", "br"), (None, None)):
        resp = site.get(path, dict(ae(accept), **{"If-None-Match": every}))
        assert resp.status == 304, (path, accept)
        assert resp.header("ETag") == etags[coding], (path, accept)


def test_debian_stock_compression_never_compresses_twice(fresh_site):
    """With Debian's mod_deflate (deflate.conf) and mod_brotli on the module's types:
    one Content-Encoding, the module's own representation (its ETag form, not
    '-gzip-gzip'), a body that decompresses once to the identity bytes."""
    server = fresh_site(extra=DEBIAN_COMPRESSION)
    for path in OK_PATHS + NOT_FOUND_PATHS + ["/robots.txt"]:
        ident = server.get(path)
        assert ident.header_list("Content-Encoding") == [], path
        for accept in ("gzip", "br", "gzip, deflate, br", "gzip, deflate", "x-gzip",
                       "identity"):
            coding = None if (len(ident.body) < MIN_BYTES or accept == "identity"
                              or path in NOT_FOUND_PATHS) else (
                "br" if "br" in accept else "gzip")
            what = "%s %r" % (path, accept)
            resp = server.get(path, ae(accept))
            check_representation(ident, resp, coding, what)
            head = server.head(path, ae(accept))
            assert head.body == b"", what
            for name in ("Content-Length", "ETag", "Content-Encoding"):
                assert head.header(name) == resp.header(name), "%s HEAD %s" % (what, name)


def test_debian_stock_compression_browser_revalidation_gets_304(fresh_site):
    """Under mod_deflate and mod_brotli, a browser that revalidates with the ETag and
    Last-Modified it received gets a 304 with that ETag and Vary."""
    server = fresh_site(extra=DEBIAN_COMPRESSION)
    for path in OK_PATHS:
        for accept in BROWSER_ENCODINGS:
            what = "%s %r" % (path, accept)
            resp = server.get(path, ae(accept))
            assert resp.status == 200, what
            etag, lm = resp.header("ETag"), resp.header("Last-Modified")
            r304 = server.get(path, dict(ae(accept), **{"If-None-Match": etag,
                                                       "If-Modified-Since": lm}))
            assert r304.status == 304, "%s: %d, ETag %s (sent %s)" % (
                what, r304.status, r304.header("ETag"), etag)
            assert r304.body == b"", what
            assert r304.header("ETag") == etag, what
            assert "accept-encoding" in tokens(r304, "Vary"), what


def test_debian_stock_compression_still_compresses_static_files(fresh_site):
    """httpd's business is untouched: mod_deflate compresses /assets/site.css."""
    server = fresh_site(extra=DEBIAN_COMPRESSION)
    with open(os.path.join(os.path.dirname(server.content), "assets", "site.css"), "rb") as f:
        css = f.read()
    plain = server.get("/assets/site.css")
    assert plain.status == 200 and plain.body == css
    assert plain.header_list("Content-Encoding") == []
    resp = server.get("/assets/site.css", {"Accept-Encoding": "gzip, deflate"})
    assert resp.status == 200
    assert resp.header_list("Content-Encoding") == ["gzip"]
    assert gzip.decompress(resp.body) == css
    assert "accept-encoding" in tokens(resp, "Vary")
    # mod_brotli is live too (on text/plain here): the module's text/plain and
    # text/html above came through it uncompressed-twice, not by its absence
    notes = ("Notas del equipo / team notes\n" * 80).encode()
    put(server, "assets/notes.txt", notes)
    resp = server.get("/assets/notes.txt", {"Accept-Encoding": "br"})
    assert resp.status == 200
    assert resp.header_list("Content-Encoding") == ["br"]
    if BROTLI_DECODE:
        assert BROTLI_DECODE(resp.body) == notes


# ---------------------------------------------------------------- 2. Cache-Control

@pytest.mark.parametrize("path", OK_PATHS + NOT_FOUND_PATHS)
def test_default_cache_control(site, path):
    for accept in (None, "gzip", "br"):
        resp = site.get(path, ae(accept))
        assert resp.status in (200, 404), path
        assert resp.header_list("Cache-Control") == [DEFAULT_CACHE_CONTROL], (path, accept)


def check_max_age(server, seconds):
    """Prefixed responses, the sitemap, the 404 page and the trailing-slash 301 say
    public, max-age=SECONDS with stale-while-revalidate."""
    for path in OK_PATHS + NOT_FOUND_PATHS + ["/es/about/"]:
        for accept in (None, "gzip"):
            resp = server.get(path, ae(accept))
            assert resp.status in (200, 301, 404), path
            cc = directives(resp)
            assert "public" in cc and "private" not in cc and "no-store" not in cc, (path, cc)
            assert cc.get("max-age") == str(seconds), (path, cc)
            assert cc.get("stale-while-revalidate", "").isdigit(), (path, cc)
            assert int(cc["stale-while-revalidate"]) > 0, (path, cc)
            assert cc.get("stale-if-error") == "86400", (path, cc)


def check_private_redirect(server):
    for path, headers in (("/", {}), ("/events/", {"Accept-Language": "en"}),
                          ("/?lang=en", {})):
        resp = server.get(path, headers)
        assert resp.status == 302, path
        cc = directives(resp)
        assert "private" in cc and "public" not in cc, (path, cc)


def check_status_no_store(server):
    for accept in (None, "gzip"):
        resp = server.get("/bilingual-status", ae(accept))
        assert resp.status == 200
        assert resp.header_list("Cache-Control") == ["no-store"]


def test_cache_max_age_300(fresh_site):
    server = fresh_site(extra="BilingualCacheMaxAge 300", after=STATUS_PAGE)
    check_max_age(server, 300)
    check_private_redirect(server)
    check_status_no_store(server)


def test_cache_max_age_0_is_no_cache(fresh_site):
    server = fresh_site(extra="BilingualCacheMaxAge 0", after=STATUS_PAGE)
    for path in OK_PATHS + NOT_FOUND_PATHS + ["/es/about/"]:
        resp = server.get(path, {"Accept-Encoding": "gzip"})
        assert resp.status in (200, 301, 404), path
        assert resp.header_list("Cache-Control") == ["no-cache"], path
    # no-cache means revalidate every time: the 304 must work
    resp = server.get("/es/", {"Accept-Encoding": "gzip"})
    r304 = server.get("/es/", {"Accept-Encoding": "gzip",
                               "If-None-Match": resp.header("ETag"),
                               "If-Modified-Since": resp.header("Last-Modified")})
    assert r304.status == 304
    assert r304.header_list("Cache-Control") == ["no-cache"]
    check_private_redirect(server)
    check_status_no_store(server)


def configtest(extra):
    rundir = tempfile.mkdtemp(prefix="bilingual-run-")
    apache = Apache(SAMPLE_CONTENT, rundir=rundir, htdocs=SAMPLE_HTDOCS, extra=extra)
    try:
        return apache.configtest()
    finally:
        apache.cleanup()


@pytest.mark.parametrize("value", ["-1", "abc", "31536001", "60s"])
def test_bad_cache_max_age_fails_configtest(value):
    result = configtest("BilingualCacheMaxAge " + value)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    naming = [line for line in output.splitlines() if "BilingualCacheMaxAge" in line]
    assert len(naming) == 1, output
    assert "'%s'" % value in naming[0], "value %r not named in %r" % (value, naming[0])
    assert "Syntax OK" not in output


@pytest.mark.parametrize("value", ["0", "300", "31536000"])
def test_good_cache_max_age_passes_configtest(value):
    result = configtest("BilingualCacheMaxAge " + value)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Syntax OK" in result.stdout + result.stderr


NEGOTIATED = [
    ("/", {}),
    ("/", {"Accept-Language": "en-US,en;q=0.9"}),
    ("/events/", {"Accept-Language": "es-MX"}),
    ("/feed.atom", {}),
    ("/press/" + PRESS, {"Accept-Language": "en"}),
    ("/?lang=en", {}),
    ("/events/?lang=es", {"Accept-Language": "en"}),
    ("/", "cookie"),
]


@pytest.mark.parametrize("path,headers", NEGOTIATED)
def test_negotiated_redirect_is_private(site, path, headers):
    if headers == "cookie":
        name, value = cookie_named(site, "en")
        headers = {"Cookie": "%s=%s" % (name, value)}
    resp = site.get(path, headers)
    assert resp.status == 302, path
    assert location_path(resp).startswith(("/es/", "/en/"))
    cc = directives(resp)
    assert "private" in cc, (path, resp.header_list("Cache-Control"))
    assert "public" not in cc and "s-maxage" not in cc, (path, cc)
    vary = tokens(resp, "Vary")
    assert "accept-language" in vary and "cookie" in vary, (path, vary)


@pytest.mark.parametrize("path,target", [("/es/about/", "/es/about"),
                                         ("/en/events", "/en/events/"),
                                         ("/es/feed.atom/", "/es/feed.atom"),
                                         ("/sitemap.xml/", "/sitemap.xml"),
                                         ("/en", "/en/")])
def test_trailing_slash_redirect_is_public(site, path, target):
    resp = site.get(path)
    assert resp.status == 301, path
    assert location_path(resp) == target
    assert resp.header_list("Cache-Control") == [DEFAULT_CACHE_CONTROL], path


def test_status_page_is_no_store(fresh_site):
    server = fresh_site(after=STATUS_PAGE)
    check_status_no_store(server)


# ---------------------------------------------------------------- 3. DocumentRoot

def docroot(server):
    return os.path.dirname(server.content)


def put(server, rel, data):
    path = os.path.join(docroot(server), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.chmod(os.path.dirname(path), 0o755)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o644)


def check_module_404(server, resp, what):
    """RESP is the module's 404 page (the unprefixed one, in the default language)."""
    page = server.get("/no-such-page")
    assert page.status == 404
    assert resp.status == 404, what
    assert resp.header("Content-Type") == "text/html; charset=utf-8", what
    # the page is the same but for its "skip to content" link, which names the path
    skip = re.compile(rb'(<a class="skip-link" href=")[^"]*(#main")')
    assert skip.search(resp.body), what
    assert skip.sub(rb"\1\2", resp.body) == skip.sub(rb"\1\2", page.body), \
        "%s: not the module's 404 page" % what
    assert "accept-encoding" in tokens(resp, "Vary"), what


def test_robots_txt_when_docroot_has_none(fresh_site):
    site = fresh_site()
    if os.path.exists(os.path.join(docroot(site), "robots.txt")):
        os.remove(os.path.join(docroot(site), "robots.txt"))
    resp = site.get("/robots.txt")
    assert resp.status == 200
    assert resp.header("Content-Type").split(";")[0].strip() == "text/plain"
    lines = resp.text.splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://127.0.0.1:%d/sitemap.xml" % site.port in lines
    assert not any(line.lower().startswith("disallow") for line in lines), lines
    assert site.get("/sitemap.xml").status == 200
    head = site.head("/robots.txt")
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Length") == str(len(resp.body))


def test_robots_txt_file_in_docroot_is_served(fresh_site):
    server = fresh_site()
    if os.path.exists(os.path.join(docroot(server), "robots.txt")):
        os.remove(os.path.join(docroot(server), "robots.txt"))
    assert "Sitemap:" in server.get("/robots.txt").text   # the module's, now cached
    mine = b"User-agent: *\nDisallow: /es/press/\n# campa\xc3\xb1a de ejemplo\n"
    put(server, "robots.txt", mine)
    for accept in (None, "gzip, deflate, br"):
        resp = server.get("/robots.txt", ae(accept))
        assert resp.status == 200
        assert resp.body == mine
        assert resp.header("Content-Type").split(";")[0].strip() == "text/plain"
    os.remove(os.path.join(docroot(server), "robots.txt"))
    resp = server.get("/robots.txt")
    assert resp.status == 200
    assert "Sitemap: http://127.0.0.1:%d/sitemap.xml" % server.port in resp.text


STATIC = [
    ("favicon.ico", bytes(range(256)) * 4, ("image/vnd.microsoft.icon", "image/x-icon")),
    ("apple-touch-icon.png", b"\x89PNG\r\n\x1a\n" + bytes(range(200)), ("image/png",)),
    (".well-known/security.txt",
     b"Contact: mailto:security@campaign.example\nExpires: 2030-01-01T00:00:00Z\n",
     ("text/plain",)),
]


def test_docroot_files_are_served_by_httpd(fresh_site):
    server = fresh_site()
    for rel, _, _ in STATIC:
        if os.path.exists(os.path.join(docroot(server), rel)):   # the sample's own
            os.remove(os.path.join(docroot(server), rel))
        check_module_404(server, server.get("/" + rel), "absent /" + rel)
    for rel, data, types in STATIC:
        put(server, rel, data)
    for rel, data, types in STATIC:
        for accept in (None, "gzip, deflate, br"):
            resp = server.get("/" + rel, ae(accept))
            assert resp.status == 200, rel
            assert resp.body == data, rel
            assert resp.header("Content-Type").split(";")[0].strip() in types, rel
        head = server.head("/" + rel)
        assert head.status == 200 and head.header("Content-Length") == str(len(data)), rel
        # a path below a file is no file: the site's own 404 page, not httpd's
        check_module_404(server, server.get("/" + rel + "/x"), "/" + rel + "/x")


def test_hidden_files_and_the_content_folder_are_never_served(fresh_site):
    server = fresh_site()
    secret = b"[remote \"origin\"]\n\turl = https://deploy:s3cret@git.example/site\n"
    put(server, ".git/config", secret)
    put(server, ".env", b"DB_PASSWORD=s3cret\n")
    put(server, ".well-known/.hidden", b"s3cret\n")
    with open(os.path.join(server.content, "site.xml"), "rb") as f:
        site_xml = f.read()
    cases = [("/.git/config", secret), ("/%2egit/config", secret), ("/.env", None),
             ("/.well-known/.hidden", None), ("/content/site.xml", site_xml),
             ("/content/pages/about.xml", None), ("/content/layout.xml", None),
             ("/content/fragments/", None)]
    for path, data in cases:
        for accept in (None, "gzip"):
            resp = server.get(path, ae(accept))
            ident = server.get(path)
            check_module_404(server, ident, path)
            check_representation(ident, resp, None, path)   # a 404 is sent as it is
            assert b"s3cret" not in ident.body, path
            if data is not None:
                assert data not in ident.body, path


def test_module_urls_win_over_docroot_files(fresh_site):
    """A file of DocumentRoot at a module URL (htdocs/es/about, htdocs/sitemap.xml, ...)
    does not replace the module's answer."""
    server = fresh_site()
    paths = ["/es/about", "/sitemap.xml", "/es/feed.atom", "/en/events.ics"]
    before = {p: server.get(p) for p in paths + ["/es/"]}
    for p in paths:
        put(server, p.lstrip("/"), b"NOT THE MODULE'S ANSWER\n")
    for p, old in before.items():
        for accept in (None, "gzip"):
            resp = server.get(p, ae(accept))
            assert resp.status == 200, p
            assert b"NOT THE MODULE" not in resp.body, p
            check_representation(old if accept is None else server.get(p), resp, accept, p)
        now = server.get(p)
        assert now.body == old.body and now.header("ETag") == old.header("ETag"), p
        assert now.header("Content-Type") == old.header("Content-Type"), p


@pytest.mark.parametrize("link", ["docroot", "content"])
def test_content_folder_not_served_through_a_symlinked_path(link):
    """Debian admins often name the same folder by two paths (DocumentRoot
    /var/www/campaign a link to /srv/campaign/htdocs). Whichever of DocumentRoot and
    BilingualContent goes through the link, the content files stay unserved: they
    hold drafts and embargoed press releases."""
    root = tempfile.mkdtemp(prefix="bilingual-htdocs-")
    os.chmod(root, 0o755)
    real = os.path.join(root, "htdocs")
    shutil.copytree(SAMPLE_HTDOCS, real)
    for d, _, files in os.walk(real):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)
    alias = os.path.join(root, "www")
    os.symlink(real, alias)
    if link == "docroot":
        content, htdocs = os.path.join(real, "content"), alias
    else:
        content, htdocs = os.path.join(alias, "content"), real
    apache = Apache(content, htdocs=htdocs).start()
    try:
        server = Server(apache)
        assert server.get("/es/about").status == 200
        with open(os.path.join(real, "content", "site.xml"), "rb") as f:
            site_xml = f.read()
        for path in ("/content/site.xml", "/content/pages/about.xml",
                     "/content/press/%s.xml" % PRESS):
            resp = server.get(path)
            assert resp.status == 404, "%s: %d %s %r" % (
                path, resp.status, resp.header("Content-Type"), resp.body[:80])
            assert site_xml not in resp.body
            assert b"<?xml" not in resp.body[:10], path
        assert server.get("/assets/site.css").status == 200
    finally:
        apache.stop()
        log = apache.read_log()
        apache.cleanup()
        shutil.rmtree(root, ignore_errors=True)
    bad = [line for line in log.splitlines() if BAD_LEVELS.search(line)]
    assert not bad, "unexpected errors in the error log:\n" + "\n".join(bad)
