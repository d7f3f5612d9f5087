"""HTTP behaviour (SPEC section 5): methods, HEAD, strong ETags from the response
bytes, Last-Modified and conditional requests on pages, feeds and calendars.
"""
import email.utils
import os
import time

import pytest

BASE_URL = "https://campaign.example"
CONDITIONAL_PATHS = ["/es/", "/en/about", "/es/events/", "/en/press/",
                     "/es/feed.atom", "/en/events/feed.atom", "/es/events.ics"]


def strong_etag(resp):
    etag = resp.header("ETag")
    assert etag, "no ETag (status %d)" % resp.status
    assert not etag.startswith("W/"), "weak ETag %s" % etag
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2, etag
    return etag


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE",
                                    "PROPFIND", "FOO"])
def test_other_methods_are_405(site, method):
    body = b"a=1" if method in ("POST", "PUT", "PATCH") else None
    resp = site.request(method, "/es/", body=body)
    assert resp.status == 405
    assert resp.header_list("Allow") == ["GET, HEAD"]


@pytest.mark.parametrize("path", ["/", "/en/about", "/es/feed.atom", "/en/events.ics",
                                  "/sitemap.xml"])
def test_post_elsewhere_is_405(site, path):
    resp = site.request("POST", path, body=b"x")
    assert resp.status == 405
    assert resp.header_list("Allow") == ["GET, HEAD"]


@pytest.mark.parametrize("path", CONDITIONAL_PATHS + ["/sitemap.xml"])
def test_head_has_get_headers_and_no_body(site, path):
    get = site.get(path)
    head = site.head(path)
    assert get.status == head.status == 200
    assert head.body == b""
    assert get.body
    for name in ("Content-Length", "ETag", "Last-Modified", "Content-Type"):
        assert head.header(name) == get.header(name), name
    assert int(get.header("Content-Length")) == len(get.body)


def test_etag_is_strong_and_stable(site):
    first = {p: site.get(p) for p in CONDITIONAL_PATHS + ["/sitemap.xml"]}
    time.sleep(1.1)       # a timestamp of "now" in the bytes would change the ETag
    for path, resp in first.items():
        again = site.get(path)
        assert resp.status == again.status == 200, path
        assert resp.body == again.body, path
        assert strong_etag(resp) == strong_etag(again), path


def test_etag_differs_between_languages_and_pages(site):
    etags = {p: strong_etag(site.get(p)) for p in
             ["/es/", "/en/", "/es/about", "/es/feed.atom", "/en/feed.atom"]}
    assert len(set(etags.values())) == len(etags), etags


def test_etag_identical_on_two_servers(fresh_site):
    extra = "BilingualBaseURL " + BASE_URL
    one = fresh_site(extra=extra)
    two = fresh_site(extra=extra)
    assert one.port != two.port
    for path in ["/es/", "/en/", "/en/about", "/es/events/", "/en/feed.atom",
                 "/es/events.ics", "/sitemap.xml"]:
        a, b = one.get(path), two.get(path)
        assert a.status == b.status == 200, path
        assert a.body == b.body, path
        assert strong_etag(a) == strong_etag(b), path


@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_last_modified(site, path):
    resp = site.get(path)
    value = resp.header("Last-Modified")
    assert value
    when = email.utils.parsedate_to_datetime(value)
    assert when.timestamp() <= time.time() + 5
    assert value.endswith("GMT")


@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_if_none_match_gives_304(site, path):
    etag = strong_etag(site.get(path))
    resp = site.get(path, {"If-None-Match": etag})
    assert resp.status == 304
    assert resp.body == b""
    assert resp.header("ETag") == etag
    resp = site.get(path, {"If-None-Match": '"nope", ' + etag})
    assert resp.status == 304
    assert resp.body == b""


@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_if_modified_since_gives_304(site, path):
    last_modified = site.get(path).header("Last-Modified")
    resp = site.get(path, {"If-Modified-Since": last_modified})
    assert resp.status == 304
    assert resp.body == b""
    earlier = email.utils.format_datetime(
        email.utils.parsedate_to_datetime(last_modified).replace(year=2000),
        usegmt=True)
    resp = site.get(path, {"If-Modified-Since": earlier})
    assert resp.status == 200
    assert resp.body


@pytest.mark.parametrize("path", CONDITIONAL_PATHS)
def test_stale_etag_gives_200(site, path):
    etag = strong_etag(site.get(path))
    stale = '"0123456789abcdef0123456789abcdef"'
    assert stale != etag
    resp = site.get(path, {"If-None-Match": stale})
    assert resp.status == 200
    assert resp.body
    assert resp.header("ETag") == etag
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
    resp = site.get(path, {"If-None-Match": stale,
                           "If-Modified-Since": site.get(path).header("Last-Modified")})
    assert resp.status == 200


def test_other_languages_etag_does_not_match(site):
    etag_en = strong_etag(site.get("/en/"))
    resp = site.get("/es/", {"If-None-Match": etag_en})
    assert resp.status == 200


def test_weak_comparison_for_if_none_match(site):
    etag = strong_etag(site.get("/es/feed.atom"))
    resp = site.get("/es/feed.atom", {"If-None-Match": "W/" + etag})
    assert resp.status == 304
    resp = site.get("/es/feed.atom", {"If-None-Match": "*"})
    assert resp.status == 304


def test_head_of_304(site):
    etag = strong_etag(site.get("/en/"))
    resp = site.head("/en/", {"If-None-Match": etag})
    assert resp.status == 304
    assert resp.body == b""


def test_etag_identical_on_two_servers_whatever_the_file_times(fresh_site):
    """The same content with other file times (a checkout, a copy without -p) gives the
    same bytes: no response carries a file time in its body (sitemap lastmod, an empty
    feed's updated)."""
    extra = "BilingualBaseURL " + BASE_URL
    one = fresh_site(extra=extra, reload=1)
    two = fresh_site(extra=extra, reload=1)
    before = two.get("/sitemap.xml").header("Last-Modified")
    old = time.time() - 86400 * 400
    for d, _, files in os.walk(two.content):
        for name in files:
            os.utime(os.path.join(d, name), (old, old))
    # server two looks at the folder again within its interval (1 s): the bytes are the
    # same, so nothing it says changes, Last-Modified included
    time.sleep(2.5)
    assert two.get("/sitemap.xml").header("Last-Modified") == before
    for path in ["/sitemap.xml", "/es/events/feed.atom", "/en/press/feed.atom", "/es/"]:
        a, b = one.get(path), two.get(path)
        assert a.status == b.status == 200, path
        assert a.body == b.body, path
        assert strong_etag(a) == strong_etag(b), path


def test_last_modified_never_moves_back(fresh_site):
    """An edit saved with an old mtime (cp -p, rsync -t) still gets a newer
    Last-Modified, so If-Modified-Since never yields a 304 for changed bytes."""
    server = fresh_site(reload=1)
    first = server.get("/en/about")
    lm = first.header("Last-Modified")
    path = os.path.join(server.content, "pages", "about.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("About us</title>", "About us, edited</title>")
    old = os.stat(path).st_mtime - 86400 * 30
    time.sleep(1.1)   # Last-Modified counts in seconds: let one pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.utime(path, (old, old))
    assert server.wait_for(lambda: b"About us, edited" in server.get("/en/about").body, 8)
    resp = server.get("/en/about")
    assert (email.utils.parsedate_to_datetime(resp.header("Last-Modified"))
            >= email.utils.parsedate_to_datetime(lm))
    assert server.get("/en/about", {"If-Modified-Since": lm}).status == 200
