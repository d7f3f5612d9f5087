"""Several servers behind a cache (SPEC sections 1, 5 and 7; docs/deployment.md): two
Apaches, each with its own copy of the content and the same Bilingual* directives
(BilingualBaseURL naming the cache), behind one Varnish (Debian's `varnish` package)
with a round-robin director, run from the VCL that docs/deployment.md shows.

What is proved:
- both servers send the same bytes, ETags and Last-Modified for pages, lists, items,
  feeds, calendars and the sitemap, in identity, gzip and br, and write the cache's
  base in their absolute links;
- through Varnish, a page asked twice is a cache hit the second time, with the
  servers' own bytes and ETag; a browser (Accept-Encoding gzip) gets the servers'
  gzip representation and its strong ETag, a client without gzip gets the identity
  bytes under the weak ETag Varnish makes when it gunzips; either way revalidating
  with the ETag received gets a 304 naming it; when its copy is stale, Varnish
  revalidates with the servers and gets the module's 304;
- the negotiated 302 is never shared between visitors (Accept-Language and the
  cookie each get their own answer), while a prefixed page is shared whatever cookie
  the visitor sends;
- an edit copied to both content folders reaches visitors through Varnish within
  BilingualReloadInterval + BilingualCacheMaxAge (+ a margin), and both servers then
  agree on the new ETag; a page nobody asked for during max-age +
  stale-while-revalidate is fetched anew, not served stale; copies with different
  file times (git pull) still agree on bytes and ETag, only Last-Modified follows
  each copy's file time;
- one server stopped: every request still gets its 200 (retry, then the probe takes
  the server out); every server stopped: cached pages are served stale, past
  max-age + stale-while-revalidate (the module's stale-if-error), and what was never
  cached is a 503;
- the VCL shown in docs/deployment.md is this one and compiles.

Each Varnish runs in the foreground (-F) in a temporary working folder (-n), is
stopped when its test ends, and needs Debian's varnish package (varnishd,
varnishadm); as root, varnishd's default jail runs its child as Debian's vcache user.
"""
import email.utils
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from bilingual_server import SRCDIR, Apache, free_port
from conftest import BAD_LEVELS, Server, copy_sample
from helpers import location_path

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHADM = shutil.which("varnishadm") or "/usr/bin/varnishadm"
DEPLOYMENT_MD = os.path.join(SRCDIR, "docs", "deployment.md")

RELOAD = 1          # BilingualReloadInterval of both servers
MAX_AGE = 2         # BilingualCacheMaxAge of both servers (stale-while-revalidate too)
MARGIN = 3          # seconds of slack on a loaded test machine
PROBE = 0.2         # seconds between Varnish's health probes here (docs: 5s)

EVENT = "community-forum-middlebury-2016"
PRESS = "act-193-becomes-law"
# Responses of the module: pages, lists, items, feeds, calendars, the sitemap.
PATHS = [
    "/es/",
    "/en/about",
    "/es/events/",
    "/en/press/",
    "/en/events/" + EVENT,
    "/es/press/" + PRESS,
    "/es/feed.atom",
    "/en/events/feed.atom",
    "/es/events.ics",
    "/en/events/%s.ics" % EVENT,
    "/sitemap.xml",
]

# The VCL of docs/deployment.md, with the test's ports and times. The test
# test_documented_vcl_is_the_tested_one keeps the two alike.
VCL = r'''vcl 4.1;

import directors;
import std;

probe site_alive {
    .url = "/es/";
    .interval = %(probe_interval)s;
    .timeout = 1s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend web1 {
    .host = "127.0.0.1";
    .port = "%(port1)d";
    .host_header = "127.0.0.1";
    .probe = site_alive;
}

backend web2 {
    .host = "127.0.0.1";
    .port = "%(port2)d";
    .host_header = "127.0.0.1";
    .probe = site_alive;
}

sub vcl_init {
    new site = directors.round_robin();
    site.add_backend(web1);
    site.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = site.backend();
    if (req.url ~ "^/(es|en)(/|\?|$)" || req.url ~ "^/(sitemap\.xml|robots\.txt|assets/)") {
        unset req.http.Cookie;
    }
    if (std.healthy(req.backend_hint)) {
        set req.grace = %(max_age)ds;
    }
}

sub vcl_backend_response {
    set beresp.grace = 24h;
}

sub vcl_backend_error {
    if (bereq.retries < 2) {
        return (retry);
    }
}
'''


def gunzip(resp):
    if resp.header("Content-Encoding") == "gzip":
        return gzip.decompress(resp.body)
    assert resp.header("Content-Encoding") is None, resp.header("Content-Encoding")
    return resp.body


def weak(etag):
    return "W/" + etag


def xids(resp):
    """The ids of X-Varnish: one on a miss or a pass, two on a hit."""
    return (resp.header("X-Varnish") or "").split()


def title_of(resp):
    m = re.search(rb"<title>([^<]*)</title>", gunzip(resp))
    return m.group(1).decode() if m else None


# ---------------------------------------------------------------- the stack

class Front(Server):
    """Varnish, talked to like a Server."""

    def __init__(self, port):
        self.port = port
        self.base = "http://127.0.0.1:%d" % port
        self.expected = []


class Varnish:
    def __init__(self, port, backends, vcl=None):
        vcl = vcl or VCL
        self.port = port
        self.workdir = tempfile.mkdtemp(prefix="bilingual-varnish-")
        os.chmod(self.workdir, 0o755)
        self.vcl = os.path.join(self.workdir, "site.vcl")
        with open(self.vcl, "w") as f:
            f.write(vcl % {"port1": backends[0].port, "port2": backends[1].port,
                           "max_age": MAX_AGE, "probe_interval": "%gs" % PROBE})
        os.chmod(self.vcl, 0o644)
        self.name = os.path.join(self.workdir, "n")
        self.out = open(os.path.join(self.workdir, "varnishd.out"), "w+b")
        self.proc = None

    def start(self, timeout=30):
        if not os.path.exists(VARNISHD):
            pytest.fail("varnishd not found: install Debian's varnish package "
                        "(apt-get install varnish)")
        cmd = [VARNISHD, "-F", "-n", self.name, "-a", "127.0.0.1:%d" % self.port,
               "-f", self.vcl, "-s", "malloc,64m", "-T", "127.0.0.1:0",
               "-p", "thread_pool_min=10", "-p", "thread_pools=1"]
        if os.geteuid() != 0:
            cmd[1:1] = ["-j", "none"]    # as root the default jail drops to user varnish
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("varnishd exited %d:\n%s" % (self.proc.returncode,
                                                                self.output()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("varnishd did not listen on %d:\n%s" % (self.port, self.output()))

    def output(self):
        self.out.seek(0)
        return self.out.read().decode(errors="replace")

    def adm(self, *args):
        result = subprocess.run([VARNISHADM, "-n", self.name] + list(args),
                                capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def health(self):
        """{backend: 'healthy' or 'sick'}, the Health column of backend.list: what
        the probe found (the Admin column may force a state over it)."""
        found = {}
        for line in self.adm("backend.list").splitlines():
            cols = line.split()
            m = re.match(r"^(?:.*\.)?(web\d)$", cols[0]) if len(cols) >= 4 else None
            if m:
                found[m.group(1)] = cols[3]
        return found

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)     # the manager stops its child
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        self.out.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def clone(htdocs):
    """A copy of the folder HTDOCS as `rsync -a` makes it: same bytes, modes and file
    times (the sample in the source tree may be edited while the suite runs)."""
    root = tempfile.mkdtemp(prefix="bilingual-htdocs-")
    os.chmod(root, 0o755)
    dst = os.path.join(root, "htdocs")
    shutil.copytree(htdocs, dst)
    return dst


class Stack:
    def __init__(self):
        self.port = free_port()
        base = ("BilingualBaseURL http://127.0.0.1:%d\nBilingualCacheMaxAge %d"
                % (self.port, MAX_AGE))
        self.servers = []
        self.varnish = None
        self.front = Front(self.port)
        try:
            first = copy_sample()
            for i in range(2):
                htdocs = first if i == 0 else clone(first)
                apache = Apache(os.path.join(htdocs, "content"), reload=RELOAD,
                                extra=base)
                self.servers.append(Server(apache))
                apache.start()
            self.varnish = Varnish(self.port, self.servers)
            self.varnish.start()
            self.wait(lambda: self.varnish.health() == {"web1": "healthy",
                                                        "web2": "healthy"},
                      "both backends healthy")
        except BaseException:
            self.stop()
            raise

    def wait(self, predicate, what, timeout=15.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        pytest.fail("not within %gs: %s" % (timeout, what))

    def write_both(self, rel, text, mtimes):
        """Writes REL into both content copies, as rsync -a or git pull would: the same
        bytes, the file times MTIMES (one per server)."""
        for server, mtime in zip(self.servers, mtimes):
            path = os.path.join(server.content, rel)
            tmp = path + ".tmp~"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o644)
            os.utime(tmp, (mtime, mtime))     # the time first: the rename is the edit
            os.replace(tmp, path)

    def stop_servers(self, servers):
        """Stops SERVERS together (a graceful stop takes about a second each)."""
        threads = [threading.Thread(target=s.apache.stop) for s in servers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def stop(self):
        if self.varnish is not None:
            self.varnish.stop()
        self.stop_servers(self.servers)
        for server in self.servers:
            server.apache.cleanup()
            shutil.rmtree(os.path.dirname(server.apache.htdocs), ignore_errors=True)


@pytest.fixture
def stack():
    s = Stack()
    logs = []
    try:
        yield s
    finally:
        for server in s.servers:
            logs.append(server.apache.read_log())
        s.stop()
    bad = [line for log in logs for line in log.splitlines() if BAD_LEVELS.search(line)]
    if bad:
        pytest.fail("unexpected errors in an error log:\n" + "\n".join(bad))


def access_lines(server, path):
    """The statuses the server logged for GET PATH, in order."""
    try:
        with open(os.path.join(server.apache.rundir, "access.log")) as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return re.findall(r'"GET %s HTTP/1\.1" (\d{3}) ' % re.escape(path), text)


# ---------------------------------------------------------------- 1. the servers agree

def test_servers_send_the_same_bytes_and_etags(stack):
    """With the same content and directives, either server answers with the same
    bytes, ETag, Last-Modified, Content-Type and Cache-Control, in each coding, so
    the cache may send any request to any server; absolute links name the cache.
    httpd's static files agree as well when the copies keep their file times."""
    a, b = stack.servers
    for path in PATHS:
        for accept in (None, "gzip", "br"):
            what = "%s %r" % (path, accept)
            hdrs = {"Accept-Encoding": accept} if accept else {}
            ra, rb_ = a.get(path, hdrs), b.get(path, hdrs)
            assert ra.status == rb_.status == 200, what
            assert ra.header("Content-Encoding") == rb_.header("Content-Encoding") == accept, what
            assert ra.body == rb_.body, what
            assert re.match(r'^"[^"]+"$', ra.header("ETag") or ""), what
            for name in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary"):
                assert ra.header(name) == rb_.header(name), "%s: %s" % (what, name)
            assert ra.header("Cache-Control") == (
                "public, max-age=%d, stale-while-revalidate=%d, stale-if-error=86400"
                % (MAX_AGE, MAX_AGE)), what
    # httpd's own static files: FileETag's default (MTime Size) agrees too, since the
    # copies keep their file times (rsync -a)
    ra, rb_ = a.get("/assets/site.css"), b.get("/assets/site.css")
    assert ra.status == rb_.status == 200 and ra.body == rb_.body
    assert ra.header("ETag") and ra.header("ETag") == rb_.header("ETag")
    sitemap = a.get("/sitemap.xml").text
    assert "<loc>%s/en/about</loc>" % stack.front.base in sitemap
    assert ":%d/" % a.port not in sitemap and ":%d/" % b.port not in sitemap
    page = a.get("/en/about").text
    assert 'rel="canonical" href="%s/en/about"' % stack.front.base in page


# ---------------------------------------------------------------- 2. hits, ETags, 304s

def test_second_fetch_is_a_hit_with_the_servers_bytes(stack):
    """A browser (Accept-Encoding gzip) asks twice: a miss, then a hit, both with the
    servers' gzip bytes and strong ETag and the module's Cache-Control; revalidating
    with that ETag through Varnish gets a 304 naming it."""
    backend = stack.servers[0]
    for path in ("/en/about", "/es/feed.atom", "/es/events.ics", "/sitemap.xml"):
        direct = backend.get(path, {"Accept-Encoding": "gzip"})
        first = stack.front.get(path, {"Accept-Encoding": "gzip, deflate, br"})
        second = stack.front.get(path, {"Accept-Encoding": "gzip, deflate, br"})
        assert first.status == second.status == 200, path
        assert len(xids(first)) == 1, (path, first.header("X-Varnish"))
        assert len(xids(second)) == 2, (path, second.header("X-Varnish"))
        for resp in (first, second):
            assert resp.header("Content-Encoding") == "gzip", path
            assert resp.body == direct.body, path
            assert resp.header("ETag") == direct.header("ETag"), path
            assert resp.header("ETag").endswith('-gzip"') and resp.header("ETag")[0] == '"'
            assert resp.header("Last-Modified") == direct.header("Last-Modified"), path
            assert resp.header("Cache-Control") == direct.header("Cache-Control"), path
            assert "Accept-Encoding" in resp.header("Vary"), path
        r304 = stack.front.get(path, {"Accept-Encoding": "gzip, deflate, br",
                                      "If-None-Match": second.header("ETag"),
                                      "If-Modified-Since": second.header("Last-Modified")})
        assert r304.status == 304 and r304.body == b"", path
        assert r304.header("ETag") == second.header("ETag"), path


def test_client_without_gzip_gets_identity_under_a_weak_etag(stack):
    """Varnish asks the servers for gzip and keeps one gzip object; a client that does
    not accept gzip (none, identity, or br alone: Varnish keeps no br) gets the
    identity bytes, gunzipped by Varnish, under the weak form of the gzip ETag.
    Revalidating with that ETag gets a 304 naming it; so does the strong gzip ETag."""
    backend = stack.servers[1]
    path = "/es/"
    ident = backend.get(path)
    gz = backend.get(path, {"Accept-Encoding": "gzip"})
    for accept in (None, "identity", "br"):
        hdrs = {"Accept-Encoding": accept} if accept else {}
        resp = stack.front.get(path, hdrs)
        assert resp.status == 200, accept
        assert resp.header("Content-Encoding") is None, accept
        assert resp.body == ident.body, accept
        assert resp.header("ETag") == weak(gz.header("ETag")), (accept, resp.header("ETag"))
        for etag in (resp.header("ETag"), gz.header("ETag")):
            r304 = stack.front.get(path, dict(hdrs, **{"If-None-Match": etag}))
            assert r304.status == 304, (accept, etag)
            assert r304.header("ETag") == resp.header("ETag"), (accept, etag)
        # the identity ETag the servers send directly is not Varnish's: a full 200
        other = stack.front.get(path, dict(hdrs, **{"If-None-Match": ident.header("ETag")}))
        assert other.status == 200 and other.body == ident.body, accept


def test_stale_copy_is_revalidated_with_a_304_from_the_module(stack):
    """Past max-age, Varnish serves its copy (stale-while-revalidate) and asks a
    server with If-None-Match: the module answers 304, and nothing is sent again."""
    path = "/en/press/"
    first = stack.front.get(path, {"Accept-Encoding": "gzip"})
    assert first.status == 200
    deadline = time.time() + MAX_AGE * 2 + MARGIN
    statuses = []
    while time.time() < deadline:
        resp = stack.front.get(path, {"Accept-Encoding": "gzip"})
        assert resp.status == 200 and resp.body == first.body
        assert resp.header("ETag") == first.header("ETag")
        statuses = sum((access_lines(s, path) for s in stack.servers), [])
        if "304" in statuses:
            break
        time.sleep(0.1)
    assert "304" in statuses, statuses
    assert statuses.count("200") == 1, statuses


# ---------------------------------------------------------------- 3. the negotiated 302

def test_negotiated_redirect_is_not_shared(stack):
    """`/` is answered per visitor: Accept-Language, then the cookie, decide, each
    request going to a server (never a hit); the 302 stays private."""
    front = stack.front
    for accept, target in (("en", "/en/"), ("es-MX", "/es/"), ("en-US,en;q=0.9", "/en/"),
                           ("es", "/es/"), ("en", "/en/")):
        resp = front.get("/", {"Accept-Language": accept})
        assert resp.status == 302, accept
        assert location_path(resp) == target, (accept, resp.header("Location"))
        assert len(xids(resp)) == 1, (accept, resp.header("X-Varnish"))
        assert "private" in resp.header("Cache-Control"), accept
        assert "Accept-Language" in resp.header("Vary"), accept
    chose = front.get("/?lang=en", {"Accept-Language": "es"})
    assert chose.status == 302 and location_path(chose) == "/en/"
    cookie = chose.header("Set-Cookie").split(";")[0]
    resp = front.get("/", {"Accept-Language": "es", "Cookie": cookie})
    assert resp.status == 302 and location_path(resp) == "/en/", resp.header("Location")
    resp = front.get("/", {"Accept-Language": "es"})
    assert resp.status == 302 and location_path(resp) == "/es/", resp.header("Location")


def test_prefixed_page_is_shared_whatever_the_cookie(stack):
    """A prefixed page does not depend on the visitor's cookie: the VCL drops it, so
    a visitor with the language cookie (or any other) gets the cached copy."""
    front = stack.front
    first = front.get("/es/about", {"Accept-Encoding": "gzip"})
    assert first.status == 200
    for cookie in ("lang=en", "lang=es; _ga=GA1.2.3", "anything=1"):
        resp = front.get("/es/about", {"Accept-Encoding": "gzip", "Cookie": cookie})
        assert resp.status == 200 and resp.body == first.body, cookie
        assert len(xids(resp)) == 2, (cookie, resp.header("X-Varnish"))
        assert resp.header("Set-Cookie") is None, cookie


# ---------------------------------------------------------------- 4. edits

def test_edit_reaches_visitors_through_varnish(stack):
    """The same new about.xml copied to both content folders (rsync -a: the same bytes,
    the same file time) is shown through Varnish within BilingualReloadInterval +
    BilingualCacheMaxAge (+ a margin); both servers then send the same new bytes,
    ETag and Last-Modified, and Varnish the same ETag."""
    path = "/en/about"
    gz = {"Accept-Encoding": "gzip"}
    old = stack.front.get(path, gz)
    assert old.status == 200 and title_of(old).startswith("About us")
    rel = "pages/about.xml"
    with open(os.path.join(stack.servers[0].content, rel), encoding="utf-8") as f:
        text = f.read()
    new_title = "About the campaign %d" % os.getpid()
    assert '<title xml:lang="en">About us</title>' in text
    text = text.replace('<title xml:lang="en">About us</title>',
                        '<title xml:lang="en">%s</title>' % new_title)
    mtime = int(max(time.time(), os.path.getmtime(os.path.join(stack.servers[0].content,
                                                               rel)) + 1))
    started = time.time()
    stack.write_both(rel, text, (mtime, mtime))
    deadline = started + RELOAD + MAX_AGE + MARGIN
    seen = None
    while time.time() < deadline:
        resp = stack.front.get(path, gz)
        assert resp.status == 200
        if new_title in title_of(resp):
            seen = resp
            break
        time.sleep(0.1)
    assert seen is not None, "the edit did not show through Varnish within %ds" % (
        RELOAD + MAX_AGE + MARGIN)
    took = time.time() - started
    a, b = stack.servers
    stack.wait(lambda: all(new_title in title_of(s.get(path)) for s in stack.servers),
               "both servers serve the edit", timeout=RELOAD + MARGIN)
    for accept in (None, "gzip"):
        hdrs = {"Accept-Encoding": accept} if accept else {}
        ra, rb_ = a.get(path, hdrs), b.get(path, hdrs)
        assert ra.body == rb_.body, accept
        assert ra.header("ETag") == rb_.header("ETag") != old.header("ETag"), accept
        assert ra.header("Last-Modified") == rb_.header("Last-Modified") \
            == email.utils.formatdate(mtime, usegmt=True), accept
    assert seen.header("ETag") == a.get(path, gz).header("ETag")
    assert seen.body == a.get(path, gz).body
    print("edit shown through Varnish after %.1fs" % took)


def test_quiet_page_is_fresh_after_max_age_and_stale_while_revalidate(stack):
    """A page nobody asked for since its copy went past max-age +
    stale-while-revalidate is fetched anew, not served stale: the VCL's day of grace
    (for servers that are down) is not used while a server answers."""
    path = "/en/get-involved"
    gz = {"Accept-Encoding": "gzip"}
    old = stack.front.get(path, gz)
    cached_at = time.time()
    assert old.status == 200
    rel = "pages/get-involved.xml"
    with open(os.path.join(stack.servers[0].content, rel), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'<title xml:lang="en">([^<]*)</title>', text)
    assert m, "no English title in %s" % rel
    new_title = m.group(1) + " now"
    text = text.replace(m.group(0), '<title xml:lang="en">%s</title>' % new_title)
    stack.write_both(rel, text, (int(time.time()),) * 2)
    stack.wait(lambda: all(new_title in title_of(s.get(path)) for s in stack.servers),
               "both servers serve the edit", timeout=RELOAD + MARGIN)
    # the quiet spell (a precondition, not an assertion): nobody asks through Varnish
    # until its copy is past max-age + stale-while-revalidate
    time.sleep(max(0.0, cached_at + 2 * MAX_AGE + 0.5 - time.time()))
    resp = stack.front.get(path, gz)
    assert resp.status == 200
    assert new_title in title_of(resp), (title_of(resp), resp.header("Age"))
    assert len(xids(resp)) == 1, resp.header("X-Varnish")


def test_copies_with_other_file_times_agree_on_etag(stack):
    """git pull writes files at the time of the pull, different on each server: the
    bytes and the ETag are still the same; Last-Modified is each copy's file time."""
    path = "/es/about"
    rel = "pages/about.xml"
    with open(os.path.join(stack.servers[0].content, rel), encoding="utf-8") as f:
        text = f.read()
    text = text.replace('<title xml:lang="es">Quiénes somos</title>',
                        '<title xml:lang="es">Quiénes somos hoy</title>')
    base = int(max(time.time() - 20,
                   os.path.getmtime(os.path.join(stack.servers[0].content, rel)) + 1))
    mtimes = (base, base + 10)
    assert mtimes[1] <= time.time(), "the sample's file is too recent for this test"
    stack.write_both(rel, text, mtimes)
    stack.wait(lambda: all("hoy" in title_of(s.get(path)) for s in stack.servers),
               "both servers serve the edit", timeout=RELOAD + MARGIN)
    ra, rb_ = (s.get(path, {"Accept-Encoding": "gzip"}) for s in stack.servers)
    assert ra.body == rb_.body
    assert ra.header("ETag") == rb_.header("ETag")
    assert [ra.header("Last-Modified"), rb_.header("Last-Modified")] == [
        email.utils.formatdate(m, usegmt=True) for m in mtimes]


# ---------------------------------------------------------------- 5. servers down

ALL_PAGES = ["/%s/%s" % (lang, name) for lang in ("es", "en")
             for name in ("", "about", "get-involved", "fair-and-impartial-policing",
                          "events/", "press/", "feed.atom", "events.ics",
                          "events/" + EVENT, "press/" + PRESS)]


def test_one_server_stopped(stack):
    """Stop one server: every request still gets a 200, first through the VCL's retry
    (while Varnish still takes the server for healthy: here it is held healthy with
    varnishadm, as between two probes), then because the probe took it out; the
    pages come from the other server."""
    a, b = stack.servers
    stack.varnish.adm("backend.set_health", "web2", "healthy")
    stack.stop_servers([b])
    pages = list(ALL_PAGES)
    for path in pages[:len(pages) // 2]:          # nothing cached: half go to web2 first
        resp = stack.front.get(path, {"Accept-Encoding": "gzip"})
        assert resp.status == 200, (path, resp.status)
    stack.varnish.adm("backend.set_health", "web2", "auto")
    stack.wait(lambda: stack.varnish.health() == {"web1": "healthy", "web2": "sick"},
               "Varnish's probe marks the stopped server sick", timeout=10 * PROBE + MARGIN)
    later = pages[len(pages) // 2:] + ["/sitemap.xml"]
    for path in later:
        resp = stack.front.get(path, {"Accept-Encoding": "gzip"})
        assert resp.status == 200, (path, resp.status)
    # httpd logs a request once it is answered: wait for the lines
    stack.wait(lambda: all(access_lines(a, path) for path in later),
               "the running server logs every request", timeout=MARGIN)
    resp = stack.front.get("/", {"Accept-Language": "en"})
    assert resp.status == 302 and location_path(resp) == "/en/"


def test_every_server_stopped_serves_stale(stack):
    """Stop both servers: what Varnish holds is served stale past max-age +
    stale-while-revalidate (the VCL's grace stands in for the module's stale-if-error,
    which Varnish does not read); what it never held is a 503."""
    path = "/en/about"
    gz = {"Accept-Encoding": "gzip"}
    cached = stack.front.get(path, gz)
    assert cached.status == 200
    stack.stop_servers(stack.servers)
    stack.wait(lambda: stack.varnish.health() == {"web1": "sick", "web2": "sick"},
               "both servers sick", timeout=10 * PROBE + MARGIN)
    deadline = time.time() + 2 * MAX_AGE + MARGIN + 1
    age = 0
    while time.time() < deadline and age <= 2 * MAX_AGE:
        resp = stack.front.get(path, gz)
        assert resp.status == 200, resp.status
        assert resp.body == cached.body and resp.header("ETag") == cached.header("ETag")
        age = int(resp.header("Age"))
        time.sleep(0.1)
    assert age > 2 * MAX_AGE, "Age %d: not served past max-age + stale-while-revalidate" % age
    never = stack.front.get("/es/get-involved", gz)
    assert never.status == 503


# ---------------------------------------------------------------- the guide's VCL

def documented_vcl():
    with open(DEPLOYMENT_MD, encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```vcl\n(.*?)```", text, re.S)
    assert blocks, "docs/deployment.md has no ```vcl block"
    return blocks[0]


def shape(vcl):
    """VCL without comments, blank lines, host names, numbers and durations."""
    lines = []
    for line in vcl.splitlines():
        line = re.sub(r"#.*|//.*", "", line).strip()
        if not line:
            continue
        line = re.sub(r'\.(host|host_header) = "[^"]*"', r'.\1 = "HOST"', line)
        line = re.sub(r"\d+(\.\d+)?(ms|s|m|h|d|y)?\b", "N", line)
        lines.append(line)
    return lines


def test_documented_vcl_is_the_tested_one():
    """docs/deployment.md's VCL is this file's, up to hosts, ports, times and
    comments, and varnishd compiles it."""
    doc = documented_vcl()
    tested = VCL % {"port1": 8081, "port2": 8082, "max_age": 60, "probe_interval": "5s"}
    assert shape(doc) == shape(tested)
    with tempfile.TemporaryDirectory(prefix="bilingual-vcl-") as tmp:
        os.chmod(tmp, 0o755)
        path = os.path.join(tmp, "doc.vcl")
        with open(path, "w") as f:
            f.write(doc)
        os.chmod(path, 0o644)
        cmd = [VARNISHD, "-C", "-f", path, "-n", os.path.join(tmp, "n")]
        if os.geteuid() != 0:
            cmd[1:1] = ["-j", "none"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
