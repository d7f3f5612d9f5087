"""One content version everywhere (SPEC sections 5 and 7): children started later
never serve older content than their siblings, last good versions survive graceful
restarts, validators (ETag, Last-Modified) move only when the bytes do, admins see
what is loaded (bilingual-status, mod_status, one log line per published version),
and calendar subscribers see moved events (SEQUENCE, a warning for silent moves).
"""
import collections
import datetime
import email.utils
import json
import os
import re
import signal
import time

import icalendar
from lxml import etree

from helpers import (edit_content, norm_text, parse_html, read_content, rfc3339,
                     sample_items)

STATUS = "<Location /bilingual-status>\n    SetHandler bilingual-status\n</Location>"
MOD_STATUS_LOAD = "LoadModule status_module /usr/lib/apache2/modules/mod_status.so"
MOD_STATUS = "<Location /server-status>\n    SetHandler server-status\n</Location>"
ATOM = "{http://www.w3.org/2005/Atom}"
VERSION_RE = re.compile(r"^[0-9a-f]{16}$")
CHILD_RE = re.compile(r"^pid (\d+) serves ([0-9a-f]{16}) \(published (.+)\)$")
UID_DOMAIN = "migrantjustice.example"     # site.xml's tag authority


# ---------------------------------------------------------------- helpers

def children(server):
    """The pids of the live (not zombie) children of SERVER's parent process."""
    parent = server.apache.proc.pid
    pids = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == parent and fields[0] != "Z":
            pids.add(int(name))
    return pids


def answers(server, path="/es/"):
    try:
        return server.get(path).status == 200
    except OSError:
        return False


def kill_children(server):
    """SIGKILLs every child; waits until only new children (other pids) run and the
    server answers. Returns (old pids, new pids)."""
    old = children(server)
    assert old, "no child to kill"
    for pid in old:
        os.kill(pid, signal.SIGKILL)
    assert server.wait_for(lambda: children(server) and not children(server) & old,
                           timeout=10), "no new children after SIGKILL: %s" % children(server)
    # the MPM starts them one after the other: give it a moment for a second one
    server.wait_for(lambda: len(children(server)) >= 2, timeout=2)
    assert server.wait_for(lambda: answers(server), timeout=5)
    new = children(server)
    assert new and not new & old
    return old, new


def graceful_restart(server):
    """Graceful restart; waits until the server answers from children of the new
    generation only. Returns the new children's pids."""
    old = children(server)
    server.apache.graceful()
    assert server.wait_for(lambda: children(server) and not children(server) & old
                           and answers(server), timeout=15), \
        "the children did not change after a graceful restart"
    return children(server)


def wait_tick_start(interval, lo=0.3, hi=1.5):
    """Waits until the wall clock is LO to HI seconds past a multiple of INTERVAL (when
    the module's watchers just looked at the folder); returns the next multiple."""
    deadline = time.time() + interval + 2
    while time.time() < deadline:
        phase = time.time() % interval
        if lo <= phase <= hi:
            return time.time() - phase + interval
        time.sleep(0.05)
    raise AssertionError("clock alignment failed")


def status_auto(server):
    """The bilingual-status ?auto lines as {key: value}."""
    r = server.get("/bilingual-status?auto")
    assert r.status == 200, r.status
    assert r.header("Content-Type").startswith("text/plain")
    values = collections.OrderedDict()
    for line in r.text.splitlines():
        key, sep, value = line.partition(": ")
        assert sep, "not a 'Key: value' line: %r" % line
        values[key] = value
    return values


def child_versions(auto, pre="Folder1"):
    """{pid: version} of the ChildN lines of an ?auto answer."""
    out = {}
    n = int(auto[pre + "Children"])
    for i in range(1, n + 1):
        m = CHILD_RE.match(auto["%sChild%d" % (pre, i)])
        assert m, auto["%sChild%d" % (pre, i)]
        out[int(m.group(1))] = m.group(2)
    return out


def numbered(auto, stem):
    """The values of STEM1, STEM2, ... of an ?auto answer, in order."""
    out = []
    i = 1
    while "%s%d" % (stem, i) in auto:
        out.append(auto["%s%d" % (stem, i)])
        i += 1
    return out


def settled(server, path, needle, present=True, timeout=8.0, runs=8):
    """Waits until RUNS consecutive GETs of PATH (on whichever children answer) have
    NEEDLE in their body (or not, when PRESENT is false)."""
    def check():
        for _ in range(runs):
            if (needle in server.get(path).body) != present:
                return False
        return True
    return server.wait_for(check, timeout)


def log_lines(server, regex):
    return [line for line in server.apache.read_log().splitlines()
            if re.search(regex, line)]


def line_of(text, needle):
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def http_date(dt):
    return email.utils.format_datetime(dt.astimezone(datetime.timezone.utc), usegmt=True)


def vevents(body):
    cal = icalendar.Calendar.from_ical(body)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


# ---------------------------------------------------------------- 1. new children

def test_respawned_children_serve_deleted_and_edited_pages_as_they_are_now(fresh_site):
    """With a 10 s interval the watchers of the old children do not help; children
    started right after a deletion and an edit (SIGKILL of every child) load the folder
    before they serve: no request gets the deleted page or the old title."""
    server = fresh_site(reload=10, after=STATUS)
    assert server.wait_for(lambda: len(children(server)) == 2), children(server)
    before = status_auto(server)["Folder1Version"]
    for _ in range(10):      # both children render and cache the current version
        assert server.get("/en/get-involved").status == 200
        assert b"<h1>About us</h1>" in server.get("/en/about").body
    about = read_content(server, "pages/about.xml")
    about = about.replace('<title xml:lang="en">About us</title>',
                          '<title xml:lang="en">About us today</title>')
    about = about.replace('<title xml:lang="es">Quiénes somos</title>',
                          '<title xml:lang="es">Quiénes somos hoy</title>')
    assert "About us today" in about and "Quiénes somos hoy" in about
    next_tick = wait_tick_start(10)
    server.remove("pages/get-involved.xml")
    server.write("pages/about.xml", about)
    # the old children still serve what they loaded (their next look is at next_tick)
    old_view = (server.get("/en/get-involved").status,
                b"<h1>About us</h1>" in server.get("/en/about").body)
    old, new = kill_children(server)
    stale = []
    for _ in range(30):
        for path in ("/en/get-involved", "/es/get-involved"):
            r = server.get(path)
            if r.status != 404:
                stale.append((path, r.status))
        for path, title in (("/en/about", "<h1>About us today</h1>"),
                            ("/es/about", "<h1>Quiénes somos hoy</h1>")):
            r = server.get(path)
            if r.status != 200 or title.encode() not in r.body:
                stale.append((path, r.status))
    done = time.time()
    assert not stale, ("new children %s served stale content (old children %s, before the "
                       "kill: get-involved %d, old about title %s): %s"
                       % (new, old, old_view[0], old_view[1], stale[:10]))
    auto = status_auto(server)
    versions = child_versions(auto)
    assert set(versions) == children(server), (versions, children(server))
    assert set(versions.values()) == {auto["Folder1Version"]}, versions
    assert auto["Folder1Version"] != before
    # all of this happened before the watchers' next look: they did not help
    assert done < next_tick, "too slow to show anything: %.1f s past the tick" % (
        done - next_tick)


def test_respawned_children_serve_a_release_whose_embargo_ended(fresh_site):
    """A press release with `published` a few seconds ahead is written before; once
    that time has passed, children started then (SIGKILL of every child) list and serve
    it at once, like every other process."""
    server = fresh_site(reload=10, after=STATUS)
    assert server.wait_for(lambda: len(children(server)) == 2), children(server)
    next_tick = wait_tick_start(10)
    when = int(time.time()) + 3          # before next_tick: the watchers do not help
    stamp = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    slug = "embargoed-release"
    server.write("press/%s.xml" % slug, """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="%s">
  <title xml:lang="es">Comunicado bajo embargo</title>
  <title xml:lang="en">Embargoed release</title>
  <body><p xml:lang="es">Sale a su hora.</p><p xml:lang="en">Out on time.</p></body>
</press-release>
""" % stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    assert time.time() < when - 0.5
    assert server.get("/en/press/" + slug).status == 404          # still embargoed
    assert server.wait_for(lambda: time.time() >= when + 0.3, timeout=5)
    old_view = server.get("/en/press/" + slug).status
    old, new = kill_children(server)
    stale = []
    for _ in range(30):
        r = server.get("/en/press/" + slug)
        if r.status != 200 or b"Out on time." not in r.body:
            stale.append(("/en/press/" + slug, r.status))
        r = server.get("/en/press/")
        if ("/en/press/%s" % slug).encode() not in r.body:
            stale.append(("/en/press/ (list)", r.status))
    done = time.time()
    assert not stale, ("%.1f s after its embargo ended, new children %s did not serve the "
                       "release (old children answered %d just before the kill): %s"
                       % (done - when, new, old_view, stale[:6]))
    auto = status_auto(server)
    versions = child_versions(auto)
    assert set(versions.values()) == {auto["Folder1Version"]}, versions
    assert done < next_tick, "too slow to show anything: %.1f s past the tick" % (
        done - next_tick)


# ---------------------------------------------------------------- 2. graceful restart

def test_last_good_version_survives_graceful_restart_but_not_a_cold_start(fresh_site,
                                                                          expect_log):
    server = fresh_site(reload=1, after=STATUS)
    rel = "events/know-your-rights-st-albans-2027.xml"
    slug = "know-your-rights-st-albans-2027"
    regex = r"events/know-your-rights-st-albans-2027\.xml:(\d+):(\d+): "
    expect_log(server, regex)    # logged when it breaks, and again by each generation
    en_title = b"Workshop: know your rights with police and immigration agents"
    es_title = "Taller: conoce tus derechos frente a la policía y la migra".encode()
    assert en_title in server.get("/en/events/" + slug).body
    good = read_content(server, rel)
    bad_line = line_of(good, "</title>")
    server.write(rel, good.replace("</title>", "</titl>", 1))     # malformed XML
    assert server.wait_for(lambda: log_lines(server, regex), timeout=5), \
        server.apache.read_log()
    assert int(re.search(regex, log_lines(server, regex)[0]).group(1)) == bad_line
    for _ in range(10):
        r = server.get("/en/events/" + slug)
        assert r.status == 200 and en_title in r.body
    graceful_restart(server)
    for _ in range(10):
        r = server.get("/en/events/" + slug)
        assert r.status == 200 and en_title in r.body, (r.status, r.body[:200])
        r = server.get("/es/events/" + slug)
        assert r.status == 200 and es_title in r.body
    assert ("/en/events/" + slug).encode() in server.get("/en/events/").body
    auto = status_auto(server)
    assert auto["Folder1Errors"] == "1", auto
    error = auto["Folder1Error1"]
    assert re.match(r"^%s:%d:\d+: .+ \(since .+ GMT; its last good version is served\)$"
                    % (re.escape(rel), bad_line), error), error
    # a cold start (a new server process) never had a good version of it: not served
    server.apache.stop()
    server.apache.start()
    assert server.wait_for(lambda: answers(server), timeout=5)
    for lang in ("en", "es"):
        assert server.get("/%s/events/%s" % (lang, slug)).status == 404
        assert ("/%s/events/%s" % (lang, slug)).encode() not in server.get(
            "/%s/events/" % lang).body
    auto = status_auto(server)
    assert auto["Folder1Errors"] == "1", auto
    error = auto["Folder1Error1"]
    assert re.match(r"^%s:%d:\d+: .+ \(since .+ GMT; not served\)$"
                    % (re.escape(rel), bad_line), error), error
    assert server.get("/en/events/").status == 200


# ---------------------------------------------------------------- 3. validators

EVENT_PAGE = "/en/events/volunteer-training-burlington-2027"
VALIDATED = ["/es/", "/en/about", "/es/events/", "/es/feed.atom", "/en/press/feed.atom",
             "/es/events.ics", "/sitemap.xml", EVENT_PAGE]
# files edited as "unrelated", and the URLs that do show them
DONATE = ("fragments/donate.xml", "Cada donación nos ayuda", "Cada donación, grande o "
          "pequeña, nos ayuda", "/es/", ["/es/"])
SHERIFF = ("press/sheriff-settlement-lorenzo-alcudia.xml", "pagó un acuerdo considerable",
           "pagó, por fin, un acuerdo considerable",
           "/es/press/sheriff-settlement-lorenzo-alcudia", ["/es/feed.atom"])


def check_same(server, first, paths, step):
    """Each of PATHS: the same bytes, ETag and Last-Modified as FIRST, and a 304 for
    both validators together and for If-Modified-Since alone."""
    for path in paths:
        r = server.get(path)
        assert r.status == 200, (step, path, r.status)
        assert r.body == first[path].body, "%s: the bytes of %s changed" % (step, path)
        assert r.header("ETag") == first[path].header("ETag"), (step, path)
        assert r.header("Last-Modified") == first[path].header("Last-Modified"), \
            "%s: Last-Modified of %s moved from %s to %s with the same bytes" % (
                step, path, first[path].header("Last-Modified"), r.header("Last-Modified"))
        both = server.get(path, {"If-None-Match": first[path].header("ETag"),
                                 "If-Modified-Since": first[path].header("Last-Modified")})
        assert both.status == 304 and both.body == b"", (step, path, both.status)
        ims = server.get(path, {"If-Modified-Since": first[path].header("Last-Modified")})
        assert ims.status == 304, (step, path, "If-Modified-Since alone", ims.status)


def test_validators_move_only_when_the_bytes_do(fresh_site):
    server = fresh_site(reload=1)
    first = {}
    for path in VALIDATED:
        r = server.get(path)
        assert r.status == 200, path
        assert r.header("ETag") and r.header("Last-Modified"), path
        first[path] = r
    check_same(server, first, VALIDATED, "start")
    # 1. every content file touched: same bytes, nothing moves
    now = time.time()
    for folder, _, files in os.walk(server.content):
        for name in files:
            os.utime(os.path.join(folder, name), (now, now))
    time.sleep(2.5)        # two intervals: every child looked at the folder again
    check_same(server, first, VALIDATED, "touch")
    # 2. unrelated edits: a fragment only the home page shows, a release no page shown
    # here lists (it is not among the home page's latest three) and only feeds carry
    for rel, old, new, probe, shown_on in (DONATE, SHERIFF):
        assert old in read_content(server, rel)
        edit_content(server, rel, (old, new))
        assert settled(server, probe, new.encode()), "%s: the edit was not served" % rel
        check_same(server, first, [p for p in VALIDATED if p not in shown_on], "edit " + rel)
        for path in shown_on:        # these do show it: new bytes, new ETag, a 200
            r = server.get(path)
            assert r.body != first[path].body, (rel, path)
            assert r.header("ETag") != first[path].header("ETag"), (rel, path)
            assert server.get(path, {"If-None-Match": first[path].header("ETag")}).status \
                == 200, (rel, path)
            first[path] = r
    # 3. a graceful restart
    graceful_restart(server)
    check_same(server, first, VALIDATED, "graceful restart")


def test_last_modified_of_items_and_feeds_is_their_updated(site):
    for (kind, slug), info in sample_items(site.content).items():
        if info["updated"] < info["published"]:
            continue
        for lang in ("es", "en"):
            path = "/%s/%s/%s" % (lang, kind, slug)
            r = site.get(path)
            assert r.status == 200, path
            assert r.header("Last-Modified") == http_date(info["updated"]), (
                path, r.header("Last-Modified"), info["updated"])
            assert site.get(path, {"If-Modified-Since": r.header("Last-Modified")}).status \
                == 304, path
    r = site.get("/en/press/victory-stronger-policy")   # updated="2015-06-20T09:30:00-04:00"
    assert r.header("Last-Modified") == "Sat, 20 Jun 2015 13:30:00 GMT"
    for path in ("/es/feed.atom", "/en/feed.atom", "/en/press/feed.atom",
                 "/es/events/feed.atom"):
        r = site.get(path)
        assert r.status == 200, path
        updated = etree.fromstring(r.body).find(ATOM + "updated").text
        assert r.header("Last-Modified") == http_date(rfc3339(updated)), (
            path, r.header("Last-Modified"), updated)
        assert site.get(path, {"If-Modified-Since": r.header("Last-Modified")}).status == 304


def test_item_page_updated_attribute_sets_last_modified(fresh_site):
    server = fresh_site(reload=1)
    rel = "press/stop-the-gutting.xml"
    edit_content(server, rel, ('published="2015-06-10T09:00:00-04:00"',
                               'published="2015-06-10T09:00:00-04:00" '
                               'updated="2015-06-23T09:30:00-04:00"'))
    assert server.wait_for(lambda: server.get("/en/press/stop-the-gutting").header(
        "Last-Modified") == "Tue, 23 Jun 2015 13:30:00 GMT", timeout=5), \
        server.get("/en/press/stop-the-gutting").header("Last-Modified")


def edit_victory_title(server):
    path = "/en/press/victory-stronger-policy"
    first = server.get(path)
    assert first.status == 200 and first.header("Last-Modified") == \
        "Sat, 20 Jun 2015 13:30:00 GMT"
    text = edit_content(server, "press/victory-stronger-policy.xml",
                        ('<title xml:lang="en">', '<title xml:lang="en">Update: '))
    assert 'updated="2015-06-20T09:30:00-04:00"' in text       # `updated` kept
    assert settled(server, path, b"<h1>Update: ")
    return path, first


def test_real_change_without_updated_gives_a_new_etag(fresh_site):
    server = fresh_site(reload=1)
    path, first = edit_victory_title(server)
    r = server.get(path)
    assert r.body != first.body
    assert r.header("ETag") != first.header("ETag")
    old = server.get(path, {"If-None-Match": first.header("ETag")})
    assert old.status == 200 and b"<h1>Update: " in old.body
    both = server.get(path, {"If-None-Match": first.header("ETag"),
                             "If-Modified-Since": first.header("Last-Modified")})
    assert both.status == 200
    assert server.get(path, {"If-None-Match": r.header("ETag")}).status == 304


def test_real_change_without_updated_reaches_clients_that_send_both_validators(fresh_site):
    """An item's Last-Modified is its `updated` (docs/decisions.md), so an edit that does
    not move `updated` leaves it; a browser or feed reader revalidates with both
    validators, and If-None-Match decides alone (RFC 9110 13.2.2): it gets the change."""
    server = fresh_site(reload=1)
    path, first = edit_victory_title(server)
    r = server.get(path, {"If-None-Match": first.header("ETag"),
                          "If-Modified-Since": first.header("Last-Modified")})
    assert r.status == 200, (path, r.status)
    assert r.header("ETag") != first.header("ETag")
    assert r.header("Last-Modified") == first.header("Last-Modified")


def test_sitemap_last_modified_ignores_page_bodies(fresh_site):
    """The sitemap shows no page's text: an edit of a page's body leaves its bytes, so
    its Last-Modified, unchanged (SPEC 5: it changes only when the bytes do)."""
    server = fresh_site(reload=1)
    first = server.get("/sitemap.xml")
    edit_content(server, "pages/fair-and-impartial-policing.xml",
                 ("<p>", "<p>Edited paragraph. ", 1))
    assert settled(server, "/es/fair-and-impartial-policing", b"Edited paragraph. ")
    r = server.get("/sitemap.xml")
    assert r.body == first.body
    assert r.header("Last-Modified") == first.header("Last-Modified"), (
        "same sitemap bytes, Last-Modified moved from %s to %s"
        % (first.header("Last-Modified"), r.header("Last-Modified")))


# ---------------------------------------------------------------- 4. admin's view

ABOUT_BREAK = ("<h2>Who we are</h2>", "<h2>Who we are</h3>")
EVENT_REL = "events/state-house-day-2014.xml"
EVENT_BREAK = ('start="2014-04-10T09:00:00-04:00"', 'start="2014-04-10 nine o\'clock"')


def auto_settles(server, predicate, timeout=6.0, runs=6):
    """Waits until RUNS consecutive ?auto answers satisfy PREDICATE; returns the last."""
    last = {}

    def check():
        for _ in range(runs):
            last["auto"] = status_auto(server)
            if not predicate(last["auto"]):
                return False
        return True
    assert server.wait_for(check, timeout), last.get("auto")
    return last["auto"]


def check_json_and_html(server, auto):
    """?json says what ?auto said; the HTML page parses and shows the folder."""
    r = server.get("/bilingual-status?json")
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    folder = json.loads(r.text)["folders"][server.content]
    assert folder["Folder"] == server.content
    assert folder["Version"] == auto["Folder1Version"]
    assert folder["Errors"] == int(auto["Folder1Errors"])
    assert [folder["Error%d" % i] for i in range(1, folder["Errors"] + 1)] == \
        numbered(auto, "Folder1Error")
    assert folder["Missing1"] == "press/community-notice-july-1.xml: no en"
    assert folder["MissingTranslations"] == 1
    r = server.get("/bilingual-status")
    assert r.status == 200 and r.header("Content-Type").startswith("text/html")
    root = parse_html(r.body, strict=True)
    text = norm_text(root)
    assert server.content in text
    assert auto["Folder1Version"] in text
    for error in numbered(auto, "Folder1Error"):
        assert error in text, error


def test_status_page_lists_errors_missing_translations_and_version(fresh_site, expect_log):
    server = fresh_site(reload=1, after=STATUS)
    expect_log(server, r"pages/about\.xml:\d+:\d+: ")
    expect_log(server, r"events/state-house-day-2014\.xml:\d+:\d+: ")
    started = time.time()
    auto = status_auto(server)
    assert auto["Folder1"] == server.content
    assert VERSION_RE.match(auto["Folder1Version"]), auto["Folder1Version"]
    assert auto["Folder1Errors"] == "0" and not numbered(auto, "Folder1Error")
    assert numbered(auto, "Folder1Missing") == ["press/community-notice-july-1.xml: no en"]
    assert auto["Folder1MissingTranslations"] == "1"
    assert int(auto["Folder1Children"]) >= 1
    for key in ("Folder1CacheHits", "Folder1CacheMisses", "Folder1CacheEntries"):
        assert auto[key].isdigit(), key
    check_json_and_html(server, auto)
    # two files break
    about = read_content(server, "pages/about.xml")
    about_line = line_of(about, ABOUT_BREAK[0])
    event = read_content(server, EVENT_REL)
    assert EVENT_BREAK[0] in event
    event_line = line_of(event, EVENT_BREAK[0])
    server.write("pages/about.xml", about.replace(*ABOUT_BREAK))
    server.write(EVENT_REL, event.replace(*EVENT_BREAK))
    auto = auto_settles(server, lambda a: a["Folder1Errors"] == "2")
    errors = numbered(auto, "Folder1Error")
    assert len(errors) == 2, errors
    assert re.match(r"^events/state-house-day-2014\.xml:%d:\d+: .+ \(since (.+); its last "
                    r"good version is served\)$" % event_line, errors[0]), errors[0]
    assert re.match(r"^pages/about\.xml:%d:\d+: .+ \(since (.+); its last good version is "
                    r"served\)$" % about_line, errors[1]), errors[1]
    for error in errors:
        since = email.utils.parsedate_to_datetime(re.search(r"\(since (.+?);", error).group(1))
        assert started - 2 <= since.timestamp() <= time.time() + 1, error
    check_json_and_html(server, auto)
    # one is fixed: the other stays listed, as it was
    server.write("pages/about.xml", about)
    auto = auto_settles(server, lambda a: a["Folder1Errors"] == "1")
    assert numbered(auto, "Folder1Error") == [errors[0]]
    check_json_and_html(server, auto)
    time.sleep(1.2)                # one more reload: the page still answers the same
    assert numbered(status_auto(server), "Folder1Error") == [errors[0]]


def test_status_page_children_follow_reloads(fresh_site):
    """Each ChildN line says which version that child serves: after an edit, once every
    child has reloaded, they all name the new version (with no request needed to reach
    each child)."""
    server = fresh_site(reload=1, after=STATUS)
    assert server.wait_for(lambda: len(children(server)) == 2)
    before = status_auto(server)["Folder1Version"]
    edit_content(server, "pages/about.xml", ("About us</title>", "About us now</title>"))
    assert server.wait_for(lambda: status_auto(server)["Folder1Version"] != before)
    time.sleep(2.2)          # two more intervals: every child has reloaded
    auto = status_auto(server)
    assert auto["Folder1Version"] != before
    versions = child_versions(auto)
    assert set(versions) == children(server), (versions, children(server))
    assert set(versions.values()) == {auto["Folder1Version"]}, (
        "the status page says %s while the answering child serves %s"
        % (versions, auto["Folder1Version"]))


def test_mod_status_has_a_section(fresh_site):
    server = fresh_site(extra=MOD_STATUS_LOAD, after=MOD_STATUS + "\n" + STATUS)
    version = status_auto(server)["Folder1Version"]
    r = server.get("/server-status?auto")
    assert r.status == 200, r.status
    lines = r.text.splitlines()
    assert "Folder1Version: " + version in lines, r.text
    assert "Folder1: " + server.content in lines
    html = server.get("/server-status")
    assert html.status == 200
    text = norm_text(parse_html(html.body))
    assert server.content in text and version in text


def published_ids(server):
    lines = log_lines(server, r"\[bilingual:info\].*published version")
    ids = [re.search(r"published version ([0-9a-f]{16}):", line).group(1) for line in lines]
    return collections.Counter(ids), lines


def edit_about_three_times(server):
    """Three edits of pages/about.xml, each served before the next (no revert: three
    new versions)."""
    for i in range(3):
        edit_content(server, "pages/about.xml",
                     ("<h2>Who we are", "<h2>Who we are %d" % i))
        assert settled(server, "/en/about", ("<h2>Who we are %d" % i).encode())


def test_each_published_version_is_logged_once(fresh_site):
    server = fresh_site(reload=1, extra="LogLevel info", after=STATUS)
    assert server.wait_for(lambda: len(children(server)) == 2)
    edit_about_three_times(server)
    time.sleep(2.2)                       # every child has reloaded (and logged, if)
    counts, lines = published_ids(server)
    assert all(n == 1 for n in counts.values()), "\n".join(lines)
    assert len(counts) == 4, "\n".join(lines)       # the first version and three edits
    assert status_auto(server)["Folder1Version"] in counts


def test_graceful_restart_logs_no_published_version_again(fresh_site):
    """A graceful restart right after an edit is served: that version was logged when it
    was published; the new generation does not log it again. (Twice: the parent looks
    at the folder about every ten seconds, and a look between the edit and the restart
    would hide a repeat once.)"""
    server = fresh_site(reload=1, extra="LogLevel info", after=STATUS)
    for i in range(2):
        edit_content(server, "pages/about.xml",
                     ("<h2>Who we are", "<h2>Who we are %d" % i))
        assert settled(server, "/en/about", ("<h2>Who we are %d" % i).encode(), runs=4)
        before, _ = published_ids(server)
        graceful_restart(server)
        time.sleep(0.5)
        counts, lines = published_ids(server)
        assert all(n == 1 for n in counts.values()), (
            "logged again after a restart: %s\n%s"
            % ([v for v, n in counts.items() if n > 1], "\n".join(lines)))
        assert set(counts) == set(before)


# ---------------------------------------------------------------- 5. calendars

CAL_REL = "events/volunteer-training-burlington-2027.xml"
CAL_UID = "event-volunteer-training-burlington-2027@" + UID_DOMAIN


def calendar_event(server, lang="en"):
    r = server.get("/%s/events.ics" % lang)
    assert r.status == 200
    events = vevents(r.body)
    assert CAL_UID in events, sorted(events)
    return events[CAL_UID]


def test_moved_event_reaches_calendar_subscribers(fresh_site):
    server = fresh_site(reload=1)
    warn = (r"\[bilingual:warn\].*%s:\d+:\d+: .*'updated'"
            % re.escape(os.path.join(server.content, CAL_REL)))
    r = server.get("/es/events.ics")
    for uid, ev in vevents(r.body).items():
        assert "SEQUENCE" in ev, uid
        assert int(ev["SEQUENCE"]) >= 0
    first = calendar_event(server)
    assert int(calendar_event(server, "es")["SEQUENCE"]) == int(first["SEQUENCE"])
    seq0 = int(first["SEQUENCE"])
    # `updated` moves forward: SEQUENCE grows
    edit_content(server, CAL_REL, ('published="2026-11-20T10:00:00-05:00"',
                                   'published="2026-11-20T10:00:00-05:00" '
                                   'updated="2026-11-25T09:00:00-05:00"'))
    assert server.wait_for(lambda: int(calendar_event(server)["SEQUENCE"]) > seq0, 5)
    seq1 = int(calendar_event(server)["SEQUENCE"])
    assert int(calendar_event(server, "es")["SEQUENCE"]) == seq1
    edit_content(server, CAL_REL, ('updated="2026-11-25T09:00:00-05:00"',
                                   'updated="2026-11-26T09:00:00-05:00"'))
    assert server.wait_for(lambda: int(calendar_event(server)["SEQUENCE"]) > seq1, 5)
    seq2 = int(calendar_event(server)["SEQUENCE"])
    assert not log_lines(server, warn)
    # its start moves, `updated` does not: a warning; SEQUENCE does not go back
    start0 = calendar_event(server)["DTSTART"].dt
    edit_content(server, CAL_REL, ('start="2027-05-15T10:00:00-04:00"',
                                   'start="2027-05-15T11:00:00-04:00"'))
    assert server.wait_for(lambda: calendar_event(server)["DTSTART"].dt != start0, 5)
    moved = calendar_event(server)
    assert moved["DTSTART"].dt == datetime.datetime(2027, 5, 15, 15, 0,
                                                    tzinfo=datetime.timezone.utc)
    assert int(moved["SEQUENCE"]) >= seq2
    assert server.wait_for(lambda: log_lines(server, warn), 5), server.apache.read_log()
    time.sleep(2.2)
    assert len(log_lines(server, warn)) == 1, log_lines(server, warn)


def test_updated_in_the_future_does_not_move_last_modified(fresh_site):
    """An `updated` ahead of the clock (an editor's slip) is not the item's
    Last-Modified: httpd would clamp it to each request's time, so it would change
    every second while the bytes do not. The item's page, its list and the feeds keep
    one Last-Modified, and revalidation gets 304."""
    server = fresh_site(reload=1)
    rel = "press/stop-the-gutting.xml"
    edit_content(server, rel, ('published="2015-06-10T09:00:00-04:00"',
                               'published="2015-06-10T09:00:00-04:00" '
                               'updated="2099-01-01T00:00:00-05:00"'))
    assert server.wait_for(lambda: b"2099-01-01" in server.get("/en/press/feed.atom").body)
    paths = ("/en/press/stop-the-gutting", "/en/press/", "/en/press/feed.atom",
             "/es/feed.atom")
    first = {p: server.get(p).header("Last-Modified") for p in paths}
    time.sleep(1.1)   # a second boundary: a clamped date would move
    for path in paths:
        r = server.get(path)
        assert r.status == 200, path
        assert r.header("Last-Modified") == first[path], (path, first[path],
                                                          r.header("Last-Modified"))
        assert server.get(path, {"If-Modified-Since": first[path]}).status == 304, path
    assert first["/en/press/stop-the-gutting"] == "Wed, 10 Jun 2015 13:00:00 GMT"
