"""Changing content and bad content (SPEC section 7): edits, additions and removals
are served within the reload interval with no failed request; a broken file is logged
once with path:line:col and its last good version kept; hostile content is refused;
hostile requests never crash a child nor read outside the content folder.
"""
import os
import re
import threading
import time

import pytest

from helpers import cookie_named, read_content

RELOAD = 1
WITHIN = RELOAD + 4          # "within a few seconds"
PASSWD_MARK = b"root:x:0:0"


def start(fresh_site, **kw):
    kw.setdefault("reload", RELOAD)
    return fresh_site(**kw)


def log_lines(server, regex):
    return [line for line in server.apache.read_log().splitlines()
            if re.search(regex, line)]


def wait_log(server, regex, timeout=WITHIN, poke="/es/"):
    """Waits for a line matching REGEX in the error log, requesting POKE meanwhile
    (content is reloaded when requests come in)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = log_lines(server, regex)
        if lines:
            return lines
        server.get(poke)
        time.sleep(0.1)
    pytest.fail("no line matching %r in the error log:\n%s"
                % (regex, server.apache.read_log()))


def line_of(text, needle):
    """The 1-based number of the line of TEXT holding NEEDLE."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def status_becomes(server, path, status, needle=None, timeout=WITHIN):
    def check():
        resp = server.get(path)
        return resp.status == status and (needle is None or needle in resp.body)
    return server.wait_for(check, timeout)


def test_edited_title_is_served_without_failed_request(fresh_site):
    server = start(fresh_site)
    assert b"About us" in server.get("/en/about").body
    text = read_content(server, "pages/about.xml")
    text = text.replace("<title xml:lang=\"en\">About us</title>",
                        "<title xml:lang=\"en\">About us today</title>")
    text = text.replace("<title xml:lang=\"es\">Quiénes somos</title>",
                        "<title xml:lang=\"es\">Quiénes somos hoy</title>")
    assert "About us today" in text and "Quiénes somos hoy" in text
    stop = threading.Event()
    statuses = []

    def hammer(path):
        while not stop.is_set():
            try:
                statuses.append((path, server.get(path).status))
            except OSError as e:       # a reset connection is a failed request too
                statuses.append((path, repr(e)))

    threads = [threading.Thread(target=hammer, args=(p,)) for p in
               ("/en/about", "/es/about", "/es/", "/en/feed.atom", "/en/events/")]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        written = time.time()
        server.write("pages/about.xml", text)
        seen = server.wait_for(
            lambda: b"<h1>About us today</h1>" in server.get("/en/about").body,
            timeout=WITHIN)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join()
    failed = [(p, s) for p, s in statuses if s != 200]
    assert len(statuses) > 50 and not failed, failed[:10]
    assert seen, "the new title was not served within %d s" % WITHIN
    # once the interval has passed, every child serves the new version
    time.sleep(max(0, written + RELOAD + 1.5 - time.time()))
    for _ in range(20):
        en = server.get("/en/about")
        es = server.get("/es/about")
        assert en.status == es.status == 200
        assert b"<h1>About us today</h1>" in en.body
        assert "<h1>Quiénes somos hoy</h1>".encode() in es.body


def test_added_page_is_served(fresh_site):
    server = start(fresh_site)
    assert server.get("/en/new-campaign").status == 404
    server.write("pages/new-campaign.xml", """<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Nueva campaña</title>
  <title xml:lang="en">New campaign</title>
  <body>
    <p xml:lang="es">Una campaña nueva por la dignidad.</p>
    <p xml:lang="en">A new campaign for dignity.</p>
  </body>
</page>
""")
    assert status_becomes(server, "/en/new-campaign", 200, b"A new campaign for dignity.")
    resp = server.get("/es/new-campaign")
    assert resp.status == 200
    assert "Una campaña nueva por la dignidad.".encode() in resp.body
    assert b"A new campaign for dignity." not in resp.body
    resp = server.get("/new-campaign", {"Accept-Language": "en"})
    assert resp.status == 302


def test_removed_page_is_404(fresh_site):
    server = start(fresh_site)
    assert server.get("/en/get-involved").status == 200
    server.remove("pages/get-involved.xml")
    assert status_becomes(server, "/en/get-involved", 404)
    time.sleep(RELOAD + 0.5)
    for _ in range(10):
        resp = server.get("/en/get-involved")
        assert resp.status == 404
        assert b'<html lang="en"' in resp.body
    assert server.get("/en/about").status == 200


def test_broken_page_keeps_last_good_version_and_is_logged_once(fresh_site, expect_log):
    server = start(fresh_site)
    regex = r"pages/about\.xml:(\d+):(\d+):"
    expect_log(server, regex)
    good = read_content(server, "pages/about.xml")
    bad_line = line_of(good, "<h2>Who we are</h2>")
    assert b"<h1>About us</h1>" in server.get("/en/about").body     # loaded, good
    server.write("pages/about.xml", good.replace("<h2>Who we are</h2>",
                                                 "<h2>Who we are</h3>"))
    deadline = time.time() + WITHIN
    while time.time() < deadline and not log_lines(server, regex):
        resp = server.get("/en/about")
        assert resp.status == 200
        assert b"<h1>About us</h1>" in resp.body
        assert b"Who we are" in resp.body
        time.sleep(0.05)
    lines = wait_log(server, regex)
    assert int(re.search(regex, lines[0]).group(1)) == bad_line, lines[0]
    assert os.path.join(server.content, "pages", "about.xml") in lines[0] \
        or "content/pages/about.xml" in lines[0], lines[0]
    # more requests, more reload intervals: still the old version, still one line
    for _ in range(3):
        for path in ("/en/about", "/es/about", "/es/", "/en/feed.atom"):
            resp = server.get(path)
            assert resp.status == 200, path
        assert b"<h1>About us</h1>" in server.get("/en/about").body
        time.sleep(1)
    assert len(log_lines(server, regex)) == 1, log_lines(server, regex)
    assert server.get("/en/get-involved").status == 200
    # fixing the file brings the new version
    server.write("pages/about.xml", good.replace(
        "<title xml:lang=\"en\">About us</title>",
        "<title xml:lang=\"en\">About us, fixed</title>"))
    assert status_becomes(server, "/en/about", 200, b"<h1>About us, fixed</h1>")
    assert len(log_lines(server, regex)) == 1


def test_new_page_that_never_parsed_is_not_served(fresh_site, expect_log):
    server = start(fresh_site)
    regex = r"pages/never-good\.xml:3:\d+:"
    expect_log(server, regex)
    server.write("pages/never-good.xml", """<page>
  <title>Never good</title>
  <body><p>unclosed</body>
</page>
""")
    wait_log(server, regex, poke="/en/never-good")
    for _ in range(10):
        assert server.get("/en/never-good").status == 404
        assert server.get("/es/never-good").status == 404
    assert server.get("/es/").status == 200


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE page [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<page><title>Laughs &lol9;</title><body><p>Laughs &lol9;</p></body></page>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE page [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<page><title>Secret &secret;</title><body><p>Secret &secret;</p></body></page>
"""

XXE_PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE page [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>
<page><title>Secret</title><body><p>Secret</p></body></page>
"""

XXE_NETWORK = """<?xml version="1.0"?>
<!DOCTYPE page SYSTEM "http://127.0.0.1:{port}/xxe-probe.dtd">
<page><title>Net &probe;</title><body><p>Net</p></body></page>
"""

XINCLUDE = """<?xml version="1.0"?>
<page xmlns:xi="http://www.w3.org/2001/XInclude">
  <title>Xinclude</title>
  <body><p>Included: <xi:include href="file:///etc/passwd" parse="text"/></p>
  <xi:include href="/etc/passwd" parse="text"/></body>
</page>
"""

TRAVERSAL = """<?xml version="1.0"?>
<page>
  <title>Traversal</title>
  <body><include fragment="../../../../../../etc/passwd"/></body>
</page>
"""


def test_hostile_content_is_refused(fresh_site, expect_log):
    server = start(fresh_site)
    hostile = {
        "lol": BILLION_LAUGHS,
        "xxe": XXE,
        "xxe-parameter": XXE_PARAMETER,
        "xxe-network": XXE_NETWORK.format(port=server.port),
        "traversal": TRAVERSAL,
    }
    for name in hostile:
        expect_log(server, r"pages/%s\.xml:\d+:\d+:" % name)
    expect_log(server, r"pages/about\.xml:\d+:\d+:")
    expect_log(server, r"pages/xinclude\.xml")
    assert b"<h1>About us</h1>" in server.get("/en/about").body     # loaded, good
    for name, text in hostile.items():
        server.write("pages/%s.xml" % name, text)
    server.write("pages/xinclude.xml", XINCLUDE)
    # XXE into an existing page: its last good version stays
    server.write("pages/about.xml", XXE.replace("Secret", "About us, leaked"))
    bodies = []
    for name in list(hostile) + ["about"]:
        wait_log(server, r"pages/%s\.xml:\d+:\d+:" % name, poke="/en/" + name)
    time.sleep(RELOAD + 0.5)
    for name in hostile:
        for lang in ("es", "en"):
            resp = server.get("/%s/%s" % (lang, name))
            assert resp.status == 404, (name, resp.status)
            bodies.append(resp.body)
    resp = server.get("/en/about")
    assert resp.status == 200
    assert b"<h1>About us</h1>" in resp.body
    for path in ("/es/xinclude", "/en/xinclude", "/es/", "/en/", "/es/about",
                 "/es/feed.atom", "/en/events.ics", "/sitemap.xml"):
        resp = server.get(path)
        assert resp.status < 500, path
        bodies.append(resp.body)
    for body in bodies:
        assert PASSWD_MARK not in body
        assert b"lollollollollollollollol" not in body
    with open(os.path.join(server.apache.rundir, "access.log"), errors="replace") as f:
        assert "xxe-probe" not in f.read(), "the module fetched a DTD over the network"


def test_symlinks_out_of_the_folder_are_refused(fresh_site, expect_log):
    server = start(fresh_site)
    expect_log(server, r"pages/(outside|passwd)\.xml")
    outside = os.path.join(os.path.dirname(os.path.dirname(server.content)),
                           "outside.xml")
    with open(outside, "w", encoding="utf-8") as f:
        f.write("<page><title>Outside the folder</title>"
                "<body><p>Read from outside the content folder.</p></body></page>\n")
    os.chmod(outside, 0o644)
    os.symlink(outside, os.path.join(server.content, "pages", "outside.xml"))
    os.symlink("/etc/passwd", os.path.join(server.content, "pages", "passwd.xml"))
    # a page added at the same time shows the folder was read again
    server.write("pages/inside.xml", "<page><title>Inside</title><body><p>In.</p>"
                 "</body></page>\n")
    assert status_becomes(server, "/en/inside", 200)
    time.sleep(RELOAD + 0.5)
    for lang in ("es", "en"):
        for name in ("outside", "passwd"):
            resp = server.get("/%s/%s" % (lang, name))
            assert resp.status == 404, (name, resp.status)
            assert b"Read from outside" not in resp.body
            assert PASSWD_MARK not in resp.body
    for path in ("/sitemap.xml", "/es/"):
        body = server.get(path).body
        assert b"/outside" not in body and b"/passwd" not in body


def test_include_errors_are_logged(fresh_site, expect_log):
    server = start(fresh_site)
    missing = r"pages/include-missing\.xml:4:\d+:"
    cycle = r"fragments/cycle-[ab]\.xml:\d+:\d+:"
    unserved = r"pages/include-cycle\.xml:4:5: <include>: fragments/cycle-a\.xml is not served"
    expect_log(server, missing)
    expect_log(server, cycle)
    expect_log(server, unserved)
    server.write("fragments/cycle-a.xml", """<fragment>
  <p>A</p>
  <include fragment="cycle-b"/>
</fragment>
""")
    server.write("fragments/cycle-b.xml", """<fragment>
  <p>B</p>
  <include fragment="cycle-a"/>
</fragment>
""")
    server.write("pages/include-cycle.xml", """<page>
  <title>Cycle</title>
  <body>
    <include fragment="cycle-a"/>
  </body>
</page>
""")
    server.write("pages/include-missing.xml", """<page>
  <title>Missing</title>
  <body>
    <include fragment="no-such-fragment"/>
  </body>
</page>
""")
    wait_log(server, missing, poke="/en/include-missing")
    lines = wait_log(server, cycle, poke="/en/include-cycle")
    assert re.search(r"cycl|recurs|itself", lines[0], re.I), lines[0]
    assert server.get("/en/include-missing").status == 404
    # a page that includes a fragment that never loaded is in error too, like an
    # unknown include: it is not served (it never had a good version)
    assert wait_log(server, unserved, poke="/en/include-cycle")
    assert server.get("/en/include-cycle").status == 404
    assert server.get("/es/").status == 200
    time.sleep(RELOAD + 1)
    server.get("/en/include-cycle")
    assert len(log_lines(server, missing)) == 1
    assert len(log_lines(server, cycle)) == 1
    assert len(log_lines(server, unserved)) == 1


def test_huge_and_deep_files_are_refused(fresh_site, expect_log):
    server = start(fresh_site)
    huge = r"pages/huge\.xml:\d+:\d+:"
    deep = r"pages/deep\.xml:\d+:\d+:"
    expect_log(server, huge)
    expect_log(server, deep)
    paragraph = "<p>" + "Dignidad y justicia. " * 50 + "</p>\n"
    count = 5 * 1024 * 1024 // len(paragraph) + 1
    server.write("pages/huge.xml", "<page>\n<title>Huge</title>\n<body>\n"
                 + paragraph * count + "</body>\n</page>\n")
    assert os.path.getsize(os.path.join(server.content, "pages/huge.xml")) > 5 * 2 ** 20
    server.write("pages/deep.xml", "<page>\n<title>Deep</title>\n<body>\n"
                 + "<div>" * 5000 + "deep" + "</div>" * 5000 + "\n</body>\n</page>\n")
    wait_log(server, huge, poke="/en/huge")
    wait_log(server, deep, poke="/en/deep")
    for _ in range(3):
        assert server.get("/en/huge").status == 404
        assert server.get("/en/deep").status == 404
    assert server.get("/en/").status == 200


def test_hostile_requests_never_5xx(site, expect_log):
    # httpd's core itself refuses a dot-segment above the root, logging it
    expect_log(site, r"AH10244: invalid URI path")
    name, _ = cookie_named(site, "en")
    requests = [
        ("/", {"Cookie": "%s=%s" % (name, "x" * 8000)}),
        ("/es/", {"Cookie": "%s=%s" % (name, "x" * 8000)}),
        ("/", {"Cookie": ";" * 4000}),
        ("/", {"Cookie": "%s=en; " % name * 500}),
        ("/?lang=" + "x" * 5000, {}),
        ("/?lang=%ff%fe", {}),
        ("/?lang=en%0d%0aSet-Cookie:%20evil=1", {}),
        ("/?lang=en&x=%0d%0aX-Injected:%201", {}),
        ("/?" + "&".join("a%d=%d" % (i, i) for i in range(500)), {}),
        ("/es/?page=-1", {}),
        ("/es/feed.atom?page=-1", {}),
        ("/es/feed.atom?page=0", {}),
        ("/es/feed.atom?page=99999999999999999999999", {}),
        ("/es/feed.atom?page=abc", {}),
        ("/es/events/feed.atom?page=%00", {}),
        ("/es/events/?page=-1", {}),
        ("/es/%2e%2e/%2e%2e/etc/passwd", {}),
        ("/%2e%2e/%2e%2e/etc/passwd", {}),
        ("/es/about/%2e%2e/%2e%2e/etc/passwd", {}),
        ("/es/press/%2e%2e%2f%2e%2e%2fsite", {}),
        ("/es/%252e%252e/etc/passwd", {}),
        ("/es/", {"Accept-Language": b"\xff\xfe\xfd"}),
        ("/", {"Accept-Language": b"es\xc0\xaf, en;q=\xff"}),
        ("/", {"Cookie": b"%s=\xe9\xff" % name.encode()}),
        ("/es/", {"If-None-Match": b'"\xff\xfe"'}),
        ("/es/", {"If-Modified-Since": b"\xff\xff, 99 Foo 99999 99:99:99 GMT"}),
        ("/es/", {"If-None-Match": '"' + "a" * 7000 + '"'}),
        ("/es/", {"User-Agent": b"\x80\x81\x82"}),
        ("/es/", {"Referer": b"http://\xff/"}),
    ]
    for path, headers in requests:
        resp = site.get(path, headers)
        assert resp.status < 500, (path[:60], headers.keys(), resp.status)
        assert PASSWD_MARK not in resp.body, path[:60]
        assert resp.header("X-Injected") is None
        for cookie in resp.header_list("Set-Cookie"):
            assert "evil" not in cookie
    assert site.get("/es/").status == 200
    assert site.get("/", {"Accept-Language": "en"}).status == 302


@pytest.mark.parametrize("path", [
    "/es/nope%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/en/events/x%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/en/nope?%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/nope%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/?lang=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/events/?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/es/about?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
])
def test_request_text_is_never_unescaped(site, path):
    resp = site.get(path)
    assert resp.status < 500
    assert b"<script>" not in resp.body
    assert b'"><script' not in resp.body
    for name, value in resp.headers:
        assert "<" not in value, (name, value)


def test_unreadable_file_is_retried_once_readable(fresh_site, expect_log):
    """A page the children cannot read is logged and not served; when its permissions
    are fixed (chmod changes no mtime, size or inode), it is served."""
    server = start(fresh_site)
    rel = "pages/locked.xml"
    path = os.path.join(server.content, rel)
    expect_log(server, re.escape(path) + r":\d+:\d+: cannot read")
    server.write(rel, """<page><title xml:lang="en">Locked</title>
<title xml:lang="es">Cerrada</title><body><p>Now readable.</p></body></page>""")
    os.chmod(path, 0o000)
    wait_log(server, re.escape(path) + r":\d+:\d+: cannot read")
    assert server.get("/en/locked").status == 404
    os.chmod(path, 0o644)
    assert status_becomes(server, "/en/locked", 200, b"Now readable.")


def test_page_without_body_shows_no_list(fresh_site):
    """A page with a title and no <body> is a page with an empty main, not the events
    list."""
    server = start(fresh_site)
    server.write("pages/contact.xml", """<page>
  <title xml:lang="es">Contacto</title>
  <title xml:lang="en">Contact</title>
</page>""")
    assert status_becomes(server, "/en/contact", 200, b"<h1>Contact</h1>")
    body = server.get("/en/contact").body
    assert b"bl-list" not in body and b"Upcoming events" not in body
