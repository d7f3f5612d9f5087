"""iCalendar of events (SPEC section 6): /xx/events.ics, RFC 5545.

One VEVENT per visible event with a permanent UID, DTSTAMP, DTSTART and DTEND in
UTC, SUMMARY, LOCATION, DESCRIPTION and URL in the calendar's language,
STATUS:CANCELLED for cancelled events, lines folded at 75 octets without splitting
a UTF-8 character, CRLF line ends, text escaped; conditional GETs.
"""
import datetime
import re

import icalendar
import pytest

from helpers import (CANCELLED, LANGS, check_last_modified_304, check_strong_etag_304,
                     edit_content, get_ok, sample_kind)

UTC_STAMP = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_VALUE = re.compile(r"(?:[^\\,;\x00-\x1f]|\\[\\,;nN])*")   # RFC 5545 3.3.11


# ---------------------------------------------------------------- helpers

def ics_path(lang):
    return "/%s/events.ics" % lang


def fetch(server, lang):
    return get_ok(server, ics_path(lang))


def physical_lines(body):
    assert body.endswith(b"\r\n"), "the calendar does not end with CRLF"
    lines = body[:-2].split(b"\r\n")
    return lines


def content_lines(body):
    """RFC 5545 3.1 unfolding: CRLF followed by one space or tab is removed."""
    out = []
    for line in physical_lines(body):
        if line[:1] in (b" ", b"\t") and out:
            out[-1] += line[1:]
        else:
            out.append(line)
    return [l.decode("utf-8") for l in out]


def raw_vevents(body):
    """The content lines of each VEVENT: [{NAME: [raw line, ...]}]."""
    events, cur = [], None
    for line in content_lines(body):
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            events.append(cur)
            cur = None
        elif cur is not None:
            name = re.match(r"^([A-Za-z0-9-]+)", line).group(1).upper()
            cur.setdefault(name, []).append(line)
    return events


def vevents(body):
    cal = icalendar.Calendar.from_ical(body)
    return cal, list(cal.walk("VEVENT"))


def slug_of(server, lang, ev):
    url = str(ev["URL"])
    m = re.match(re.escape(server.base) + r"/%s/events/([a-z0-9][a-z0-9-]*)$" % lang, url)
    assert m, url
    return m.group(1)


def by_slug(server, lang, body=None):
    body = body if body is not None else fetch(server, lang).body
    return {slug_of(server, lang, ev): ev for ev in vevents(body)[1]}


def unescape(value):
    """RFC 5545 3.3.11 TEXT unescaping."""
    return re.sub(r"\\([\\;,nN])",
                  lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


# ---------------------------------------------------------------- the calendar

@pytest.mark.parametrize("lang", LANGS)
def test_content_type_is_text_calendar_utf8(site, lang):
    r = fetch(site, lang)
    assert r.header("Content-Type").replace(" ", "").lower() == "text/calendar;charset=utf-8"


@pytest.mark.parametrize("lang", LANGS)
def test_parses_as_icalendar(site, lang):
    cal, events = vevents(fetch(site, lang).body)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert events


@pytest.mark.parametrize("lang", LANGS)
def test_one_vevent_per_visible_event(site, lang):
    r = fetch(site, lang)
    events = vevents(r.body)[1]
    slugs = [slug_of(site, lang, ev) for ev in events]
    assert sorted(slugs) == sorted(sample_kind(site.content, "events"))
    assert len(raw_vevents(r.body)) == len(events)


@pytest.mark.parametrize("lang", LANGS)
def test_every_vevent_has_the_required_properties(site, lang):
    for ev in vevents(fetch(site, lang).body)[1]:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION",
                     "DESCRIPTION", "URL"):
            assert prop in ev, "%s lacks %s" % (ev.get("UID"), prop)
            if prop in ("DTSTAMP", "DTSTART", "DTEND"):
                assert isinstance(ev[prop].dt, datetime.datetime), (prop, ev[prop].dt)
            else:
                assert str(ev[prop]).strip(), prop
    uids = [str(ev["UID"]) for ev in vevents(fetch(site, lang).body)[1]]
    assert len(set(uids)) == len(uids), "duplicate UIDs"


@pytest.mark.parametrize("lang", LANGS)
def test_times_are_utc(site, lang):
    body = fetch(site, lang).body
    items = sample_kind(site.content, "events")
    raws = raw_vevents(body)
    assert raws
    for raw in raws:
        for prop in ("DTSTAMP", "DTSTART", "DTEND"):
            assert len(raw[prop]) == 1
            assert re.match(r"^%s:" % prop, raw[prop][0]), "%r has parameters" % raw[prop][0]
            assert UTC_STAMP.match(raw[prop][0].split(":", 1)[1]), raw[prop][0]
    for slug, ev in by_slug(site, lang, body).items():
        assert ev["DTSTART"].dt == items[slug]["start"]
        assert ev["DTEND"].dt == items[slug]["end"]
        assert ev["DTSTART"].dt.utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_location_description_in_language(site, lang):
    items = sample_kind(site.content, "events")
    for slug, ev in by_slug(site, lang).items():
        # a cancelled event may say so in its SUMMARY ("Cancelled: ...")
        assert items[slug]["title"][lang] in str(ev["SUMMARY"])
        if slug != CANCELLED:
            assert str(ev["SUMMARY"]) == items[slug]["title"][lang]
        # the place's name, then its postal address when the event gives one
        where = items[slug]["location"][lang]
        if items[slug]["address"]:
            where = "%s, %s" % (where, items[slug]["address"])
        assert str(ev["LOCATION"]) == where
        assert items[slug]["summary"][lang] in " ".join(str(ev["DESCRIPTION"]).split())


@pytest.mark.parametrize("lang", LANGS)
def test_url_is_absolute_page_in_language(site, lang):
    for slug, ev in by_slug(site, lang).items():
        url = str(ev["URL"])
        assert url == "%s/%s/events/%s" % (site.base, lang, slug)
        r = site.get(url[len(site.base):])
        assert r.status == 200 and r.header("Content-Type").startswith("text/html")


def test_uid_same_in_both_languages(site):
    es = {slug: str(ev["UID"]) for slug, ev in by_slug(site, "es").items()}
    en = {slug: str(ev["UID"]) for slug, ev in by_slug(site, "en").items()}
    assert es == en


def test_uid_stable_across_an_edit(fresh_site):
    server = fresh_site()
    slug = "volunteer-training-burlington-2027"
    before = {lang: {s: str(ev["UID"]) for s, ev in by_slug(server, lang).items()}
              for lang in LANGS}
    edit_content(server, "events/%s.xml" % slug,
                 ("Capacitación para voluntarios", "Capacitación editada"),
                 ("Volunteer training", "Edited training"),
                 ("T10:00:00-04:00", "T11:00:00-04:00"))        # and the time
    assert server.wait_for(lambda: b"Edited training" in fetch(server, "en").body
                           and "Capacitación editada".encode() in fetch(server, "es").body)
    for lang in LANGS:
        now = by_slug(server, lang)
        assert {s: str(ev["UID"]) for s, ev in now.items()} == before[lang]
        assert now[slug]["DTSTART"].dt == datetime.datetime(
            2027, 5, 15, 15, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("lang", LANGS)
def test_cancelled_event_status(site, lang):
    for slug, ev in by_slug(site, lang).items():
        if slug == CANCELLED:
            assert str(ev.get("STATUS")) == "CANCELLED"
        else:
            assert str(ev.get("STATUS", "CONFIRMED")) != "CANCELLED"
    raw = [r for r in raw_vevents(fetch(site, lang).body)
           if any(CANCELLED in u for u in r["URL"])]
    assert raw[0]["STATUS"] == ["STATUS:CANCELLED"]


# ---------------------------------------------------------------- lines

@pytest.mark.parametrize("lang", LANGS)
def test_lines_end_with_crlf(site, lang):
    body = fetch(site, lang).body
    for line in physical_lines(body):
        assert b"\n" not in line and b"\r" not in line, line
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")


@pytest.mark.parametrize("lang", LANGS)
def test_lines_at_most_75_octets(site, lang):
    lines = physical_lines(fetch(site, lang).body)
    long_ = [l for l in lines if len(l) > 75]
    assert not long_, long_[:3]
    assert any(l[:1] == b" " for l in lines)     # the sample needs folding


@pytest.mark.parametrize("lang", LANGS)
def test_folding_keeps_utf8_characters_whole(site, lang):
    lines = physical_lines(fetch(site, lang).body)
    for line in lines:
        line.decode("utf-8")                      # raises if a fold split a character
        if line[:1] not in (b" ", b"\t"):
            assert re.match(rb"^[A-Za-z0-9-]+[;:]", line), line


MULTIBYTE_EVENT = """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-01-01T10:00:00-05:00" start="2027-03-01T10:00:00-05:00" end="2027-03-01T12:00:00-05:00">
  <title xml:lang="es">Años {es}</title>
  <title xml:lang="en">Euro {en}</title>
  <location>Ñuñoa {loc}</location>
  <summary>¡Sí! {sum}</summary>
  <body><p>x</p></body>
</event>
"""


def test_folding_never_splits_a_multibyte_character(fresh_site):
    """Long values of 2-, 3- and 4-octet characters: a fold at exactly 75 octets
    would cut one of them in two."""
    server = fresh_site()
    server.write("events/multibyte.xml", MULTIBYTE_EVENT.format(
        es="ñ" * 120, en="€" * 90, loc="😀" * 60, sum="é€😀" * 40))
    assert server.wait_for(lambda: b"multibyte" in server.get("/en/events.ics").body)
    for lang in LANGS:
        body = fetch(server, lang).body
        lines = physical_lines(body)
        assert max(len(l) for l in lines) <= 75
        for line in lines:
            line.decode("utf-8")
            if line[:1] not in (b" ", b"\t"):
                assert re.match(rb"^[A-Za-z0-9-]+[;:]", line), line
        ev = by_slug(server, lang, body)["multibyte"]
        want = "Años " + "ñ" * 120 if lang == "es" else "Euro " + "€" * 90
        assert str(ev["SUMMARY"]) == want
        assert str(ev["LOCATION"]) == "Ñuñoa " + "😀" * 60
        assert "¡Sí! " + "é€😀" * 40 in str(ev["DESCRIPTION"])


ESCAPE_EVENT = """<?xml version="1.0" encoding="UTF-8"?>
<event published="2016-01-01T10:00:00-05:00" start="2027-03-01T10:00:00-05:00" end="2027-03-01T12:00:00-05:00">
  <title xml:lang="es">Coma, punto; barra \\ fin</title>
  <title xml:lang="en">Comma, semi; back\\slash end</title>
  <location xml:lang="es">Sala 1, piso 2; puerta \\ B</location>
  <location xml:lang="en">Room 1, floor 2; door \\ B</location>
  <summary xml:lang="es">Primera línea.
Segunda línea, con coma; y barra \\.</summary>
  <summary xml:lang="en">First line.
Second line, with comma; and backslash \\.</summary>
  <body><p>x</p></body>
</event>
"""
ESCAPED = {
    "es": ("SUMMARY:Coma\\, punto\\; barra \\\\ fin",
           "LOCATION:Sala 1\\, piso 2\\; puerta \\\\ B",
           "Coma, punto; barra \\ fin", "Sala 1, piso 2; puerta \\ B",
           "Primera línea.", "Segunda línea, con coma; y barra \\."),
    "en": ("SUMMARY:Comma\\, semi\\; back\\\\slash end",
           "LOCATION:Room 1\\, floor 2\\; door \\\\ B",
           "Comma, semi; back\\slash end", "Room 1, floor 2; door \\ B",
           "First line.", "Second line, with comma; and backslash \\."),
}


def escape_site(fresh_site):
    server = fresh_site()
    server.write("events/escapes.xml", ESCAPE_EVENT)
    assert server.wait_for(lambda: b"escapes" in server.get("/en/events.ics").body
                           and b"escapes" in server.get("/es/events.ics").body)
    return server


def test_text_escaping(fresh_site):
    server = escape_site(fresh_site)
    for lang in LANGS:
        body = fetch(server, lang).body
        raw = [r for r in raw_vevents(body) if any("escapes" in u for u in r["URL"])][0]
        summary, location, p_summary, p_location, line1, line2 = ESCAPED[lang]
        assert raw["SUMMARY"] == [summary]
        assert raw["LOCATION"] == [location]
        description = raw["DESCRIPTION"][0]
        # no bare , ; or \ in a TEXT value: each is escaped (RFC 5545 3.3.11)
        value = description.split(":", 1)[1]
        assert TEXT_VALUE.fullmatch(value), value
        assert "\\, " in value and "\\;" in value and "\\\\" in value
        ev = by_slug(server, lang, body)["escapes"]
        assert str(ev["SUMMARY"]) == p_summary
        assert str(ev["LOCATION"]) == p_location
        assert unescape(value) == str(ev["DESCRIPTION"])
        assert line1 in str(ev["DESCRIPTION"]) and line2 in str(ev["DESCRIPTION"])


def test_newlines_in_description_are_escaped(fresh_site):
    """DESCRIPTION's own line breaks (between the summary and the page URL) reach the
    calendar as the two characters \\n and parse back as real line breaks; a line
    break an editor typed inside the XML summary is white space, folded to one space
    like everywhere else in the content (docs/decisions.md), never a raw newline."""
    server = escape_site(fresh_site)
    for lang in LANGS:
        body = fetch(server, lang).body
        raw = [r for r in raw_vevents(body) if any("escapes" in u for u in r["URL"])][0]
        _, _, _, _, line1, line2 = ESCAPED[lang]
        value = raw["DESCRIPTION"][0].split(":", 1)[1]
        assert "\\n\\n" in value
        ev = by_slug(server, lang, body)["escapes"]
        text = str(ev["DESCRIPTION"])
        assert text.startswith(line1 + " " + line2 + "\n\n"), text
        assert text.endswith("/%s/events/escapes" % lang), text


# ---------------------------------------------------------------- HTTP

@pytest.mark.parametrize("lang", LANGS)
def test_strong_etag_and_304(site, lang):
    etag = check_strong_etag_304(site, ics_path(lang)).header("ETag")
    assert fetch(site, "es" if lang == "en" else "en").header("ETag") != etag


@pytest.mark.parametrize("lang", LANGS)
def test_last_modified_and_if_modified_since(site, lang):
    check_last_modified_304(site, ics_path(lang))


def test_etag_changes_when_an_event_changes(fresh_site):
    server = fresh_site()
    etag = fetch(server, "en").header("ETag")
    edit_content(server, "events/state-house-day-2014.xml",
                 ("Farmworker Day at the State House", "Farmworker Day!"))
    assert server.wait_for(lambda: b"Farmworker Day!" in fetch(server, "en").body)
    r = server.get(ics_path("en"), {"If-None-Match": etag})
    assert r.status == 200 and r.header("ETag") != etag
