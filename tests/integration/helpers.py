"""Helpers the integration tests share: the sample's languages and items as the
content folder states them, dates in words, HTML parsing and language marks,
content edits, redirects, cookies and conditional GETs.
"""
import datetime
import email.utils
import http.cookies
import os
import re
import time
import urllib.parse

import html5lib
from lxml import etree

LANGS = ["es", "en"]
OTHER = {"es": "en", "en": "es"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ES_ONLY_PRESS = "community-notice-july-1"          # a press release in Spanish only
CANCELLED = "community-forum-middlebury-2016"      # the sample's cancelled event
MONTHS = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
# A release that tests write last: once it shows, the files before it were read too.
MARKER = """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="2016-01-15T10:00:00-05:00">
  <title>Marker release</title><summary>marker</summary><body><p>marker</p></body>
</press-release>
"""


# ---------------------------------------------------------------- content

def rfc3339(text):
    """The aware datetime of an RFC 3339 date-time."""
    return datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def now():
    """The current time, in UTC."""
    return datetime.datetime.now(datetime.timezone.utc)


def pick(elems, lang, default="es"):
    """SPEC 3's language selection among sibling elements of one name."""
    mine = [e for e in elems if e.get(XML_LANG) in (None, lang)]
    if mine:
        return mine[0]
    dflt = [e for e in elems if e.get(XML_LANG) == default]
    return dflt[0] if dflt else (elems[0] if elems else None)


def sample_items(content_dir, kinds=("events", "press")):
    """The visible items of KINDS in a content folder: {(kind, slug): info}."""
    t = now()
    items = {}
    for kind in kinds:
        folder = os.path.join(content_dir, kind)
        for fname in sorted(os.listdir(folder)):
            m = re.match(r"^([a-z0-9][a-z0-9-]*)\.xml$", fname)
            if not m:
                continue
            root = etree.parse(os.path.join(folder, fname)).getroot()
            published = rfc3339(root.get("published"))
            if root.get("draft") == "true" or published > t:
                continue
            info = {"published": published, "root": root, "status": root.get("status"),
                    "updated": rfc3339(root.get("updated") or root.get("published"))}
            if kind == "events":
                info["start"] = rfc3339(root.get("start"))
                info["end"] = rfc3339(root.get("end")) if root.get("end") else None
            for child in ("title", "summary", "location"):
                info[child] = {}
                for lang in LANGS:
                    e = pick(root.findall(child), lang)
                    info[child][lang] = " ".join(e.text.split()) if e is not None else None
            address = root.find("address")
            # the postal address on one line, as the page and the calendar write it:
            # "235 College Street, Burlington, VT 05401, US"
            info["address"] = None
            if address is not None:
                parts = [(k, address.get(k)) for k in ("street", "locality", "region",
                                                       "postal-code", "country")
                         if address.get(k)]
                text = ""
                for i, (k, v) in enumerate(parts):
                    sep = "" if i == 0 else (" " if k == "postal-code"
                                             and parts[i - 1][0] == "region" else ", ")
                    text += sep + v
                info["address"] = text
            items[(kind, m.group(1))] = info
    return items


def sample_kind(content_dir, kind):
    """The visible items of one KIND of a content folder: {slug: info}."""
    return {slug: info for (_, slug), info in sample_items(content_dir, [kind]).items()}


def read_content(server, rel):
    """The text of the content file REL of SERVER."""
    with open(os.path.join(server.content, rel), encoding="utf-8") as f:
        return f.read()


def edit_content(server, rel, *changes):
    """Saves content file REL with each change, (old, new) or (old, new, count), made
    as str.replace makes it; returns the new text."""
    text = read_content(server, rel)
    for change in changes:
        text = text.replace(*change)
    server.write(rel, text)
    return text


def write_marker(server):
    """Writes MARKER as press/marker-release.xml."""
    server.write("press/marker-release.xml", MARKER)


def date_words(dt, lang):
    """The date of DT in words in LANG, as pages and feeds write it."""
    if lang == "es":
        return "%d de %s de %d" % (dt.day, MONTHS["es"][dt.month - 1], dt.year)
    return "%s %d, %d" % (MONTHS["en"][dt.month - 1], dt.day, dt.year)


def time_words(dt, lang):
    """The time of day of DT in LANG: 24-hour in Spanish, 12-hour in English."""
    if lang == "es":
        return "%d:%02d" % (dt.hour, dt.minute)
    return "%d:%02d %s" % (dt.hour % 12 or 12, dt.minute, "AM" if dt.hour < 12 else "PM")


# ---------------------------------------------------------------- HTML

def parse_html(body, strict=False):
    """The html element of BODY parsed as HTML5 (STRICT: raise on any parse error)."""
    parser = html5lib.HTMLParser(strict=strict, tree=html5lib.getTreeBuilder("etree"),
                                 namespaceHTMLElements=False)
    return parser.parse(body)


def text_of(elem):
    """The text of ELEM and its descendants."""
    return "".join(elem.itertext())


def norm_text(elem):
    """The text of ELEM and its descendants with white space folded to one space."""
    return " ".join(text_of(elem).split())


def find_text(root, sentence):
    """The innermost element whose text contains SENTENCE."""
    found = None
    for elem in root.iter():
        if sentence in text_of(elem):
            found = elem
    return found


def parents_of(root):
    """{element: its parent} for every element under ROOT."""
    return {child: parent for parent in root.iter() for child in parent}


def effective_lang(elem, parents):
    """The language of ELEM: its own lang, else its nearest ancestor's."""
    while elem is not None:
        if elem.get("lang") is not None:
            return elem.get("lang")
        elem = parents.get(elem)
    return None


# ---------------------------------------------------------------- HTTP

def get_ok(server, path):
    """GETs PATH from SERVER, checks that it is a 200 and returns the response."""
    r = server.get(path)
    assert r.status == 200, "GET %s: %d" % (path, r.status)
    return r


def location_path(resp):
    """The path of RESP's Location header, which must be there."""
    loc = resp.header("Location")
    assert loc, "no Location header (status %d)" % resp.status
    return urllib.parse.urlsplit(loc).path


def cookie_named(server, lang):
    """Asks for LANG with ?lang= and returns (cookie name, cookie value) it sets."""
    resp = server.get("/?lang=" + lang)
    assert resp.status == 302
    cookies = resp.header_list("Set-Cookie")
    assert len(cookies) == 1, cookies
    jar = http.cookies.SimpleCookie()
    jar.load(cookies[0])
    assert len(jar) == 1, cookies
    name = list(jar.keys())[0]
    return name, jar[name].value


def check_strong_etag_304(server, path):
    """Checks that PATH has a strong ETag, that If-None-Match with it gives an empty
    304 with the same ETag and with another one a 200; returns the first response."""
    r = get_ok(server, path)
    etag = r.header("ETag")
    assert etag and re.match(r'^"[^"]+"$', etag), "missing or weak ETag: %r" % etag
    r304 = server.get(path, {"If-None-Match": etag})
    assert r304.status == 304 and r304.body == b""
    assert r304.header("ETag") == etag
    assert server.get(path, {"If-None-Match": '"not-the-etag"'}).status == 200
    return r


def check_last_modified_304(server, path):
    """Checks that PATH has a Last-Modified in the past, that If-Modified-Since with it
    gives an empty 304, and with a date in 2000 a 200."""
    r = get_ok(server, path)
    lm = r.header("Last-Modified")
    assert lm, "no Last-Modified"
    assert email.utils.parsedate_to_datetime(lm).timestamp() <= time.time() + 1
    r304 = server.get(path, {"If-Modified-Since": lm})
    assert r304.status == 304 and r304.body == b""
    old = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert server.get(path, {"If-Modified-Since": old}).status == 200
