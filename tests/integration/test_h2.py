"""HTTPS and HTTP/2 (SPEC sections 1, 4, 5 and 7 over TLS and h2): what real HTTP/2
clients (curl with nghttp2, h2load) see of the module behind Debian's mod_ssl and
mod_http2, `Protocols h2 h2c http/1.1`, TLS on one port (a `<VirtualHost *:PORT>` with
`SSLEngine on`, like Debian's default-ssl.conf, no ServerName of its own) and h2c on
the plain one.

- Protocols: ALPN picks h2 over TLS with a certificate the client verifies (made here
  by openssl for 127.0.0.1), http/1.1 still answers over TLS, h2c with prior knowledge
  and by `Upgrade: h2c`.
- Over h2 and h2c alike: the negotiated 302 (Location, `Vary: Accept-Language,
  Cookie`, private, the cookie of `?lang=`), pages, lists, items, feeds, calendars and
  the sitemap 200 with their types, strong ETags and the same bytes as HTTP/1.1 on the
  same port; 304 for If-None-Match and If-Modified-Since; gzip and br representations
  (Content-Encoding, `-gzip`/`-br` ETag, Vary, length, bodies a real client decodes to
  the identity bytes) and their 304s; HEAD with GET's headers and no body; 404 and 405.
- The base URL over HTTPS: without BilingualBaseURL, canonical, hreflang and og:url
  links, feed ids' and self links, calendar URLs, the sitemap and robots.txt name
  `https://127.0.0.1:TLSPORT` over TLS (h2 and http/1.1) and `http://127.0.0.1:PORT`
  on the plain port, whichever is asked first (the base is part of the cache key).
- Content reload under load over h2: h2load with many streams per connection, over h2c
  and over TLS at once, against a mix of URLs while a page is rewritten every 200 ms:
  every stream completes with a 2xx, no child dies, the new titles are served during
  the load and the last one after it. With BL_ASAN=1 the ASan runtime is preloaded and
  its reports fail the test (conftest).
"""
import gzip
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest

from bilingual_server import MODDIR, Apache, free_port
from conftest import Response, Server, _check_log, copy_sample

CURL = shutil.which("curl")
H2LOAD = shutil.which("h2load")
OPENSSL = shutil.which("openssl")

EVENT = "community-forum-middlebury-2016"
PRESS = "act-193-becomes-law"
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
ICS = "text/calendar; charset=utf-8"
XML = "application/xml; charset=utf-8"
# Module responses that are 200, with their Content-Type.
OK_PATHS = [
    ("/es/", HTML),
    ("/en/about", HTML),
    ("/es/events/", HTML),
    ("/en/press/", HTML),
    ("/en/events/" + EVENT, HTML),
    ("/es/press/" + PRESS, HTML),
    ("/es/feed.atom", ATOM),
    ("/en/events/feed.atom", ATOM),
    ("/es/events.ics", ICS),
    ("/en/events/%s.ics" % EVENT, ICS),
    ("/sitemap.xml", XML),
]
# The transports every protocol test runs over.
TRANSPORTS = ["h2", "h2c"]


# ---------------------------------------------------------------- server

def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1 (subjectAltName IP, not a CA) and its
    key, made by openssl in FOLDER; returns (cert path, key path)."""
    assert OPENSSL, "openssl is missing (apt-get install openssl)"
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:FALSE",
                    "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    os.chmod(folder, 0o755)
    os.chmod(cert, 0o644)
    return cert, key


def tls_extra(tls_port, cert, key):
    """The configuration lines of TLS and HTTP/2: Debian's modules, one TLS port."""
    return """LoadModule socache_shmcb_module {m}/mod_socache_shmcb.so
LoadModule ssl_module {m}/mod_ssl.so
LoadModule http2_module {m}/mod_http2.so
Protocols h2 h2c http/1.1
SSLSessionCache shmcb:ssl_scache(512000)
Listen 127.0.0.1:{port} https
<VirtualHost *:{port}>
    SSLEngine on
    SSLCertificateFile "{cert}"
    SSLCertificateKeyFile "{key}"
</VirtualHost>""".format(m=MODDIR, port=tls_port, cert=cert, key=key)


class H2Server(Server):
    """A Server with a TLS port too, and HTTP/2 requests through curl."""

    def __init__(self, apache, tls_port, cert):
        super().__init__(apache)
        self.tls_port = tls_port
        self.cert = cert
        self.tls_base = "https://127.0.0.1:%d" % tls_port

    def url(self, transport, path):
        tls = transport in ("h2", "https1")
        return (self.tls_base if tls else self.base) + path

    def curl(self, transport, path, headers=None, method="GET", decode=False):
        """One request with curl over TRANSPORT: "h2" (TLS, ALPN), "h2c" (prior
        knowledge), "h2c-upgrade" (HTTP/1.1 then Upgrade: h2c), "https1" (HTTP/1.1
        over TLS). Checks the protocol curl used; returns a Response (DECODE: the
        body decoded by curl as its Content-Encoding says)."""
        assert CURL, "curl is missing (apt-get install curl)"
        mode = {"h2": ["--http2"], "h2c": ["--http2-prior-knowledge"],
                "h2c-upgrade": ["--http2"], "https1": ["--http1.1"]}[transport]
        with tempfile.TemporaryDirectory() as tmp:
            hfile, bfile = os.path.join(tmp, "h"), os.path.join(tmp, "b")
            cmd = [CURL, "-sS", "--noproxy", "*", "--max-time", "20", "--cacert", self.cert,
                   "-D", hfile, "-o", bfile,
                   "-w", "%{http_version} %{response_code} %{size_download}"] + mode
            if decode:
                cmd.append("--compressed")
            if method == "HEAD":
                cmd.append("-I")
            elif method != "GET":
                cmd += ["-X", method]
            for k, v in (headers or {}).items():
                cmd += ["-H", "%s: %s" % (k, v)]
            cmd.append(self.url(transport, path))
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert out.returncode == 0, "%s: exit %d %s" % (" ".join(cmd), out.returncode,
                                                           out.stderr)
            version, code, size = out.stdout.split()
            with open(hfile, "rb") as f:
                raw = f.read().decode("latin-1")
            body = b""
            if method == "HEAD":
                # -I writes the headers where the body would go; over h2, DATA on a HEAD
                # stream is a protocol error for nghttp2 (curl would fail above)
                assert size == "0", "HEAD %s: %s body bytes" % (path, size)
            elif os.path.exists(bfile):
                with open(bfile, "rb") as f:
                    body = f.read()
                assert decode or len(body) == int(size)
        want = "1.1" if transport == "https1" else "2"
        assert version == want, "%s %s: HTTP/%s, expected HTTP/%s" % (transport, path,
                                                                       version, want)
        # the last block of headers: after a 101 (h2c upgrade) comes the response
        blocks = [b for b in re.split(r"\r?\n\r?\n", raw) if b.strip()]
        lines = blocks[-1].splitlines()
        assert lines[0].startswith("HTTP/"), lines[0]
        status = int(lines[0].split()[1])
        assert status == int(code)
        hdrs = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            hdrs.append((name.strip(), value.strip()))
        resp = Response(status, hdrs, body)
        resp.status_lines = [b.splitlines()[0] for b in blocks]
        return resp


def tokens(resp, name):
    return [t.strip().lower() for v in resp.header_list(name) for t in v.split(",")
            if t.strip()]


def suffixed(etag, coding):
    assert re.match(r'^"[^"]+"$', etag), "not a strong ETag: %r" % etag
    return etag[:-1] + "-" + coding + '"'


def start_h2_server(make=None, **kw):
    """Starts an Apache with TLS and HTTP/2 over a copy of the sample; MAKE: conftest's
    fresh_site factory (then it is stopped and its log checked by that fixture)."""
    certdir = tempfile.mkdtemp(prefix="bilingual-cert-")
    cert, key = make_certificate(certdir)
    tls_port = free_port()
    extra = tls_extra(tls_port, cert, key)
    if make is not None:
        server = make(extra=extra, **kw)
        apache = server.apache
    else:
        htdocs = copy_sample()
        apache = Apache(os.path.join(htdocs, "content"), extra=extra, **kw).start()
    server = H2Server(apache, tls_port, cert)
    server.certdir = certdir
    # the TLS port answers too (start() waited for the plain one only)
    deadline = time.time() + 10
    while True:
        try:
            server.curl("h2", "/robots.txt")
            break
        except AssertionError:
            if time.time() > deadline:
                if make is None:
                    apache.stop()
                raise
        time.sleep(0.1)
    return server


@pytest.fixture(scope="module")
def _h2_site():
    server = start_h2_server(reload=1)
    server.apache.new_log()
    yield server
    server.apache.stop()
    crashed = [line for line in server.apache.read_log().splitlines()
               if "exit signal" in line]
    server.apache.cleanup()
    shutil.rmtree(os.path.dirname(server.apache.htdocs), ignore_errors=True)
    shutil.rmtree(server.certdir, ignore_errors=True)
    if crashed:
        pytest.fail("a child died of a signal:\n" + "\n".join(crashed))


@pytest.fixture
def h2site(_h2_site, request):
    """The shared TLS + HTTP/2 server over the sample (do not edit its content); the
    error log written during the test is checked as conftest checks it."""
    _h2_site.apache.new_log()
    yield _h2_site
    _check_log(_h2_site, request)


# ---------------------------------------------------------------- protocols

def test_alpn_selects_h2_with_a_verified_certificate(h2site):
    """Over TLS the client offers h2 and http/1.1 by ALPN and the server picks h2; the
    certificate made for 127.0.0.1 verifies (curl runs with --cacert, not -k)."""
    out = subprocess.run([CURL, "-sS", "-v", "--noproxy", "*", "--http2", "--cacert",
                          h2site.cert, "-o", "/dev/null", h2site.tls_base + "/es/"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert re.search(r"ALPN.*offers h2", out.stderr), out.stderr
    assert re.search(r"ALPN.*(server accepted|selected).*h2", out.stderr), out.stderr
    assert "SSL certificate verify ok" in out.stderr, out.stderr
    assert re.search(r"< HTTP/2 200", out.stderr), out.stderr


def test_http11_still_answers_on_both_ports(h2site):
    """`Protocols h2 h2c http/1.1`: an HTTP/1.1 client gets the same page over TLS, and
    on the plain port (Python's http.client)."""
    tls = h2site.curl("https1", "/es/")
    assert tls.status == 200 and tls.header("Content-Type") == HTML
    plain = h2site.get("/es/")
    assert plain.status == 200
    assert plain.body == h2site.curl("h2c", "/es/").body


def test_h2c_upgrade(h2site):
    """An HTTP/1.1 request with `Upgrade: h2c` is answered 101 and then over HTTP/2,
    with the page the module serves to prior-knowledge h2c."""
    resp = h2site.curl("h2c-upgrade", "/en/about")
    assert resp.status_lines[0].startswith("HTTP/1.1 101"), resp.status_lines
    assert resp.status_lines[-1].startswith("HTTP/2 200"), resp.status_lines
    assert resp.header("Content-Type") == HTML
    assert resp.body == h2site.curl("h2c", "/en/about").body


# ---------------------------------------------------------------- negotiation

@pytest.mark.parametrize("transport", TRANSPORTS)
def test_negotiated_redirect(h2site, transport):
    """`/` and a neutral path with Accept-Language: 302 to the negotiated prefix,
    `Vary: Accept-Language, Cookie`, `Cache-Control: private`, no cookie; `?lang=`
    sets the cookie and the cookie is honoured."""
    for accept, path, want in (("en-GB, es;q=0.5", "/", "/en/"),
                               ("es-MX, en;q=0.5", "/", "/es/"),
                               ("en", "/press/" + PRESS, "/en/press/" + PRESS),
                               ("fr-CA", "/events/", "/es/events/")):
        resp = h2site.curl(transport, path, {"Accept-Language": accept})
        what = "%s %s %r" % (transport, path, accept)
        assert resp.status == 302, what
        assert urllib.parse.urlsplit(resp.header("Location")).path == want, what
        vary = tokens(resp, "Vary")
        assert "accept-language" in vary and "cookie" in vary, what
        assert tokens(resp, "Cache-Control") == ["private"], what
        assert resp.header("Set-Cookie") is None, what
    chosen = h2site.curl(transport, "/events/?lang=en", {"Accept-Language": "es"})
    assert chosen.status == 302
    assert chosen.header("Location").endswith("/en/events/")
    cookie = chosen.header("Set-Cookie")
    assert cookie, "no cookie for ?lang=en"
    pair = cookie.split(";")[0]
    again = h2site.curl(transport, "/", {"Accept-Language": "es", "Cookie": pair})
    assert again.status == 302 and again.header("Location").endswith("/en/")


# ---------------------------------------------------------------- responses

@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pages_feeds_calendars(h2site, transport):
    """Every kind of module response over h2: 200, its Content-Type, a strong ETag,
    Last-Modified, public caching, Vary: Accept-Encoding, a Content-Length that is the
    body's, and exactly the bytes HTTP/1.1 gets on the same port."""
    h1 = "https1" if transport == "h2" else None
    for path, ctype in OK_PATHS:
        what = "%s %s" % (transport, path)
        resp = h2site.curl(transport, path)
        assert resp.status == 200, what
        assert resp.header("Content-Type") == ctype, what
        assert re.match(r'^"[^"]+"$', resp.header("ETag") or ""), what
        assert resp.header("Last-Modified"), what
        assert "public" in tokens(resp, "Cache-Control"), what
        assert "accept-encoding" in tokens(resp, "Vary"), what
        assert resp.header("Content-Encoding") is None, what
        assert resp.header("Content-Length") == str(len(resp.body)), what
        other = h2site.curl(h1, path) if h1 else h2site.get(path)
        assert other.status == 200 and other.body == resp.body, what + ": differs from HTTP/1.1"
        assert other.header("ETag") == resp.header("ETag"), what


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_not_found_and_method_not_allowed(h2site, transport):
    """An unknown page is the module's 404 page in the URL's language; POST is 405 with
    `Allow: GET, HEAD`, over h2 as over HTTP/1.1."""
    nf = h2site.curl(transport, "/en/no-such-page")
    assert nf.status == 404 and nf.header("Content-Type") == HTML
    assert b'<html lang="en"' in nf.body
    bad = h2site.curl(transport, "/es/", method="POST")
    assert bad.status == 405 and bad.header("Allow") == "GET, HEAD"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_conditional_requests_get_304(h2site, transport):
    """If-None-Match with the ETag received, and If-Modified-Since with the
    Last-Modified received: an empty 304 with the same ETag; another ETag: 200."""
    for path, _ in OK_PATHS:
        what = "%s %s" % (transport, path)
        resp = h2site.curl(transport, path)
        etag, lm = resp.header("ETag"), resp.header("Last-Modified")
        r304 = h2site.curl(transport, path, {"If-None-Match": etag})
        assert r304.status == 304 and r304.body == b"", "%s: %s %s, sent %s (%s)" % (
            what, r304.status, r304.header("ETag"), etag, lm)
        assert r304.header("ETag") == etag, what
        ims = h2site.curl(transport, path, {"If-Modified-Since": lm})
        assert ims.status == 304 and ims.body == b"", "%s: %s %s, sent %s" % (
            what, ims.status, ims.header("Last-Modified"), lm)
        other = h2site.curl(transport, path, {"If-None-Match": '"not-this-one"'})
        assert other.status == 200 and other.body == resp.body, what


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_gzip_and_brotli_representations(h2site, transport):
    """gzip and br over h2: one Content-Encoding, the identity's ETag with `-gzip` or
    `-br`, Vary: Accept-Encoding, the right length, a body curl decodes to exactly the
    identity bytes (gzip also by Python), and a 304 for each representation's ETag."""
    for path, _ in OK_PATHS:
        ident = h2site.curl(transport, path)
        for coding in ("gzip", "br"):
            what = "%s %s %s" % (transport, path, coding)
            resp = h2site.curl(transport, path, {"Accept-Encoding": coding})
            assert resp.status == 200, what
            assert resp.header_list("Content-Encoding") == [coding], what
            assert resp.header("ETag") == suffixed(ident.header("ETag"), coding), what
            assert "accept-encoding" in tokens(resp, "Vary"), what
            assert resp.header("Content-Length") == str(len(resp.body)), what
            assert len(resp.body) < len(ident.body), what
            assert resp.header("Content-Type") == ident.header("Content-Type"), what
            if coding == "gzip":
                assert gzip.decompress(resp.body) == ident.body, what
            decoded = h2site.curl(transport, path, {"Accept-Encoding": coding}, decode=True)
            assert decoded.body == ident.body, what + ": curl does not decode it"
            r304 = h2site.curl(transport, path, {"Accept-Encoding": coding,
                                                 "If-None-Match": resp.header("ETag")})
            assert r304.status == 304 and r304.body == b"", what
            assert r304.header("ETag") == resp.header("ETag"), what


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_head(h2site, transport):
    """HEAD over h2: GET's status and headers (length, ETag, type, encoding), no body."""
    for path, _ in OK_PATHS[::2] + [("/en/no-such-page", HTML)]:
        for accept in (None, "gzip", "br"):
            hdrs = {"Accept-Encoding": accept} if accept else {}
            what = "%s HEAD %s %r" % (transport, path, accept)
            get = h2site.curl(transport, path, hdrs)
            head = h2site.curl(transport, path, hdrs, method="HEAD")
            assert head.status == get.status and head.body == b"", what
            for name in ("Content-Length", "ETag", "Content-Type", "Content-Encoding",
                         "Last-Modified", "Cache-Control", "Vary"):
                assert head.header(name) == get.header(name), "%s: %s" % (what, name)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ranges_leave_the_cached_bytes_whole(h2site, transport):
    """Range requests over h2 (one range, a suffix, two ranges): 206 with exactly the
    bytes asked for, in every coding. Over h2 the cached bytes travel in buckets lent
    to mod_http2; byte ranges are cut from a copy, so afterwards every representation
    is still byte for byte what it was, with its ETag."""
    for path in ("/es/", "/es/feed.atom"):
        for coding in ("identity", "gzip", "br"):
            what = "%s %s %s" % (transport, path, coding)
            ae = {"Accept-Encoding": coding}
            full = h2site.curl(transport, path, ae)
            assert full.status == 200 and len(full.body) > 300, what
            one = h2site.curl(transport, path, dict(ae, Range="bytes=100-199"))
            assert one.status == 206, what
            assert one.body == full.body[100:200], what
            assert one.header("Content-Range") == "bytes 100-199/%d" % len(full.body), what
            tail = h2site.curl(transport, path, dict(ae, Range="bytes=-50"))
            assert tail.status == 206 and tail.body == full.body[-50:], what
            two = h2site.curl(transport, path, dict(ae, Range="bytes=0-9,200-259"))
            assert two.status == 206, what
            assert two.header("Content-Type").startswith("multipart/byteranges"), what
            assert full.body[0:10] in two.body and full.body[200:260] in two.body, what
            again = h2site.curl(transport, path, ae)
            assert again.status == 200 and again.body == full.body, what + ": bytes changed"
            assert again.header("ETag") == full.header("ETag"), what


# ---------------------------------------------------------------- base URL

def absolute_urls(text):
    """Every absolute http(s) URL in TEXT (attributes, element text, calendar lines)."""
    return re.findall(r"https?://[^\s\"'<>\\]+", text)


def check_base(resp, base, other_base, what):
    text = resp.body.decode("utf-8")
    # calendar lines are folded at 75 octets: unfold them first
    text = re.sub(r"\r?\n[ \t]", "", text)
    urls = [u for u in absolute_urls(text) if "127.0.0.1" in u]
    assert urls, "%s: no absolute URL of this server" % what
    wrong = [u for u in urls if not u.startswith(base + "/")]
    assert not wrong, "%s: URLs not under %s: %s" % (what, base, wrong[:5])
    assert other_base not in text, what
    return text


def test_base_url_follows_the_scheme_and_port(h2site):
    """Without BilingualBaseURL the absolute links name the scheme and port the request
    came in on: https://127.0.0.1:TLSPORT over TLS (h2 and HTTP/1.1), http://127.0.0.1:PORT
    on the plain port (h2c); each asked first in turn, since the base is part of the
    cache key: canonical, hreflang and og:url of pages, the feed's self and alternate
    links and ids' pages, calendar URLs, the sitemap and robots.txt."""
    https, http = h2site.tls_base, h2site.base
    order = [("/es/press/feed.atom", ["h2c", "h2", "https1"]),
             ("/en/press/feed.atom", ["h2", "h2c", "https1"]),
             ("/en/get-involved", ["https1", "h2c", "h2"]),
             ("/es/get-involved", ["h2c", "h2", "https1"]),
             ("/en/events.ics", ["h2", "https1", "h2c"]),
             ("/sitemap.xml", ["h2", "h2c"]),
             ("/robots.txt", ["h2c", "h2"])]
    for path, transports in order:
        for transport in transports:
            what = "%s %s" % (transport, path)
            resp = h2site.curl(transport, path)
            assert resp.status == 200, what
            tls = transport in ("h2", "https1")
            base, other = (https, http) if tls else (http, https)
            text = check_base(resp, base, other, what)
            if path.endswith(".atom"):
                self_link = re.search(r'<link rel="self"[^>]*href="([^"]+)"', text)
                assert self_link and self_link.group(1) == base + path, what
            elif path.endswith(".ics"):
                assert "URL:" + base + "/" in text, what
            elif path == "/robots.txt":
                assert "Sitemap: %s/sitemap.xml" % base in text, what
            elif path != "/sitemap.xml":
                canon = re.search(r'<link rel="canonical" href="([^"]+)"', text)
                assert canon and canon.group(1) == base + path, what
                og = re.search(r'<meta property="og:url" content="([^"]+)"', text)
                assert og and og.group(1) == base + path, what
                assert re.search(r'hreflang="x-default" href="%s/get-involved"'
                                 % re.escape(base), text), what


# ---------------------------------------------------------------- reload under load

LOAD_PATHS = ["/es/", "/en/about", "/es/feed.atom", "/en/events/" + EVENT,
              "/es/events.ics", "/en/press/", "/es/about", "/sitemap.xml",
              "/en/events/feed.atom", "/assets/site.css"]


def h2load(url_base, clients, streams, requests, headers=()):
    cmd = [H2LOAD, "-c", str(clients), "-m", str(streams), "-n", str(requests), "-t", "1"]
    for h in headers:
        cmd += ["-H", h]
    return cmd + [url_base + p for p in LOAD_PATHS]


def h2load_counts(out):
    """{total, done, succeeded, failed, errored, timeout, 2xx, 3xx, 4xx, 5xx}."""
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    assert m and s, "h2load printed no counts:\n" + out
    keys = ["total", "started", "done", "succeeded", "failed", "errored", "timeout"]
    counts = dict(zip(keys, map(int, m.groups())))
    counts.update(zip(["2xx", "3xx", "4xx", "5xx"], map(int, s.groups())))
    return counts


def about_page(title_en, title_es):
    return """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">{es}</title>
  <title xml:lang="en">{en}</title>
  <body>
    <p xml:lang="es">Somos trabajadores agr\u00edcolas de Vermont. {es}</p>
    <p xml:lang="en">We are farmworkers in Vermont. {en}</p>
    <include fragment="donate"/>
  </body>
</page>
""".format(en=title_en, es=title_es)


def title_of(body):
    """The page's own title: the <title> without the site name after " \u00b7 "."""
    m = re.search(rb"<title>([^<]*)</title>", body)
    return m.group(1).decode("utf-8").split(" \u00b7 ")[0] if m else None


def test_reload_under_load_over_h2(fresh_site):
    """h2load over h2c (4 connections x 32 streams) and over TLS (2 x 32, asking for
    gzip and br) against pages, feeds, calendars, the sitemap and a static file, while
    pages/about.xml is rewritten with a new title every 200 ms (BilingualReloadInterval
    1): every stream of both runs completes with a 2xx, no child dies of a signal, new
    titles are served while the load runs, and after the edits the page shows the last
    title, over h2 and h2c."""
    assert H2LOAD, "h2load is missing (apt-get install nghttp2-client)"
    server = start_h2_server(fresh_site, reload=1)
    try:
        n_h2c, n_tls = 60000, 20000
        runs = {
            "h2c": h2load(server.base, 4, 32, n_h2c),
            "h2 (TLS)": h2load(server.tls_base, 2, 32, n_tls,
                               ["accept-encoding: gzip, deflate, br"]),
        }
        for path in LOAD_PATHS:     # h2load counts statuses only: each URL is a 200
            assert server.curl("h2c", path).status == 200, path
        stop = threading.Event()
        edits = []
        seen = set()

        def editor():
            n = 0
            while not stop.is_set():
                n += 1
                title = "About us, edit %d" % n
                server.write("pages/about.xml", about_page(title, "Qui\u00e9nes somos, %d" % n),
                             mtime_bump=False)
                edits.append(title)
                stop.wait(0.2)

        def watcher():
            # what a visitor sees meanwhile, over HTTP/1.1: new titles come in
            while not stop.is_set():
                try:
                    resp = server.get("/en/about")
                    if resp.status == 200:
                        seen.add(title_of(resp.body))
                except OSError:
                    pass
                stop.wait(0.25)

        threads = [threading.Thread(target=editor), threading.Thread(target=watcher)]
        for t in threads:
            t.start()
        procs = {}
        try:
            t0 = time.time()
            for name, cmd in runs.items():
                procs[name] = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True)
            outs = {name: p.communicate(timeout=240)[0] for name, p in procs.items()}
            load_s = time.time() - t0
        finally:
            stop.set()
            for t in threads:
                t.join()
            for p in procs.values():
                if p.poll() is None:
                    p.kill()
                    p.wait()
        for name, out in outs.items():
            assert procs[name].returncode == 0, "%s: h2load exit %d\n%s" % (
                name, procs[name].returncode, out)
            c = h2load_counts(out)
            want = n_h2c if name == "h2c" else n_tls
            assert c["total"] == want and c["done"] == want, (name, c)
            assert c["succeeded"] == want, "%s: %s\n%s" % (name, c, out)
            assert c["failed"] == c["errored"] == c["timeout"] == 0, (name, c)
            assert c["2xx"] == want, "%s: not all 2xx: %s" % (name, c)
            assert c["3xx"] == c["4xx"] == c["5xx"] == 0, (name, c)
        assert len(edits) >= 5, "only %d edits in %.1fs of load" % (len(edits), load_s)
        new = {t for t in seen if t and t.startswith("About us, edit")}
        assert len(new) >= 2, "the edits were not served during %.1fs of load: %s" % (
            load_s, sorted(t for t in seen if t))
        # after the edits: the last title, over h2 and h2c, within the reload interval
        last = edits[-1]
        for transport in ("h2", "h2c"):
            assert server.wait_for(
                lambda: title_of(server.curl(transport, "/en/about").body) == last,
                timeout=10), "%s: the last title %r is not served" % (transport, last)
        log = server.apache.read_log()
        crashed = [line for line in log.splitlines() if "exit signal" in line]
        assert not crashed, "\n".join(crashed)
    finally:
        shutil.rmtree(server.certdir, ignore_errors=True)


def h2_frame(ftype, flags, stream, payload=b""):
    """One HTTP/2 frame (RFC 9113 4.1)."""
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(
        ">I", stream) + payload


def hpack_literal(index, value):
    """A header field without indexing, its name from HPACK's static table INDEX (a
    4-bit prefix, so INDEX < 15), its value a plain string under 127 bytes."""
    value = value.encode("ascii")
    assert index < 15 and len(value) < 127
    return bytes([index, len(value)]) + value


STALL_WINDOW = 16


def stalled_h2_client(port, paths, copies):
    """Opens an h2c connection (prior knowledge) that allows the server STALL_WINDOW
    bytes of DATA per stream (SETTINGS_INITIAL_WINDOW_SIZE) and never more, asks for
    each of PATHS COPIES times, reads what comes for a moment, then resets the
    connection. Returns the number of responses whose HEADERS arrived with :status 200
    and the number of DATA bytes received."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        out = [b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
               h2_frame(4, 0, 0, struct.pack(">HI", 4, STALL_WINDOW))]
        stream = 1
        for _ in range(copies):
            for path in paths:
                block = (b"\x82\x86" + hpack_literal(4, path)    # GET, http, :path
                         + hpack_literal(1, "127.0.0.1:%d" % port))  # :authority
                out.append(h2_frame(1, 0x5, stream, block))       # END_STREAM|END_HEADERS
                stream += 2
        sock.sendall(b"".join(out))
        got = b""
        deadline = time.time() + 1.0
        sock.settimeout(0.2)
        while time.time() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            got += chunk
        ok = data = 0
        pos = 0
        while pos + 9 <= len(got):
            length = int.from_bytes(got[pos:pos + 3], "big")
            ftype = got[pos + 3]
            payload = got[pos + 9:pos + 9 + length]
            if ftype == 1 and payload[:1] == b"\x88":   # :status 200, static index 8
                ok += 1
            elif ftype == 0:
                data += length
            pos += 9 + length
        return ok, data
    finally:
        # a reset, not a goodbye: the server learns it from the socket
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def test_abandoned_streams_over_h2(fresh_site):
    """Clients that stop reading and then vanish, over h2c, while the content changes:
    a client that allows the server 16 bytes of DATA per stream asks for the sitemap, a
    feed, a calendar and two pages 16 times each, so all but 16 bytes of every response
    wait inside mod_http2 in buckets lent the cached bytes; it resets the connection a
    second later, 30 times, while pages/about.xml is rewritten every 100 ms (each new
    version empties the render cache, so the lent entries outlive their generation in
    the cache). Afterwards no child has died of a signal, and every URL still answers
    200 over h2c with exactly HTTP/1.1's bytes."""
    server = start_h2_server(fresh_site, reload=1)
    paths = ["/sitemap.xml", "/es/feed.atom", "/en/events.ics", "/es/", "/en/press/"]
    try:
        stop = threading.Event()

        def editor():
            n = 0
            while not stop.is_set():
                n += 1
                server.write("pages/about.xml", about_page("About us, %d" % n,
                                                           "Qui\u00e9nes somos, %d" % n),
                             mtime_bump=False)
                stop.wait(0.1)

        t = threading.Thread(target=editor)
        t.start()
        answered = []
        try:
            for _ in range(30):
                answered.append(stalled_h2_client(server.apache.port, paths, 16))
        finally:
            stop.set()
            t.join()
        # the window held, and most responses were made (and so were waiting)
        assert all(data <= ok * STALL_WINDOW for ok, data in answered), answered
        assert sum(ok for ok, _ in answered) >= 30 * 16 * len(paths) // 2, answered
        for path in paths + ["/en/about"]:
            h2 = server.curl("h2c", path)
            h1 = server.get(path)
            assert h2.status == 200 and h1.status == 200, path
            assert h2.body == h1.body, "%s: h2c and HTTP/1.1 differ" % path
        log = server.apache.read_log()
        crashed = [line for line in log.splitlines() if "exit signal" in line]
        assert not crashed, "\n".join(crashed)
    finally:
        shutil.rmtree(server.certdir, ignore_errors=True)
