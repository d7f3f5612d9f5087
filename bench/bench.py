#!/usr/bin/python3
"""mod_bilingual benchmark: SPEC section 8, measured as ratios in one Apache run.

Part 1 (throughput), one private Apache (tests/integration/bilingual_server.py) with the
sample site and, in the same server and configuration:
  - /bench-static/  the module's own bytes saved as static files, served by httpd's core
                    (SetHandler none), for /es/ and /es/feed.atom;
  - /bench-ssi/     the /es/ page cut in five parts and put back together by mod_include.
wrk (1 thread, a few connections, loopback) measures requests/s of each URL; the URLs
are measured in turns, ROUNDS times, and the median of the rounds is reported.

Part 2 (a site of 10,000 items): a generated content folder with 5,000 events and
5,000 press releases; time from start to the first responses, time of the first
requests after a reload, and memory (VmRSS, RssAnon, Pss) of each child before and
after a warm-up of a few hundred distinct URLs.

Part 3 (amplification): on the same kind of 10,000-item site, served by one child, the
peak RSS growth of that child while it renders one response (a cache miss), per byte
of that response: the sitemap, the largest page the render budget allows, and the same
page made of xml:lang siblings; and the child's VmRSS before and after 1,000 requests
with made-up Host headers.

Part 4 (h2): the cached page and the same bytes as a static file, in one server with
mod_http2, over h2c; h2load (one thread, the same clients and streams for both) measures
requests/s, in rounds as in part 1.

Part 5 (compression): in one server with Debian's mod_deflate (deflate.conf) and
mod_brotli, the module's gzip and br pages against the same bytes as a static file
compressed per request by mod_deflate and mod_brotli, and against the static file
uncompressed (wrk, rounds as in part 1); and the bytes of the home page and its
stylesheet as a browser receives them under each Accept-Encoding.

Results: a table on stdout and in bench/results/latest.txt. Stdlib only.
"""
import argparse
import datetime
import gzip
import hashlib
import http.client
import os
import platform
import random
import re
import resource
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(SRCDIR, "tests", "integration"))
import bilingual_server  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
H2LOAD = shutil.which("h2load") or "/usr/bin/h2load"
NGHTTP = shutil.which("nghttp") or "/usr/bin/nghttp"
MODDIR = bilingual_server.MODDIR
SAMPLE = os.path.join(SRCDIR, "htdocs", "content")
RESULTS = os.path.join(BENCH, "results")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, flush=True)


# --------------------------------------------------------------------------- server

class BenchApache(bilingual_server.Apache):
    """The test suite's Apache, with lines appended after the sample configuration.

    httpd merges <Location> sections in the order they appear, so the sections that give
    /bench-static/ and /bench-ssi/ back to the core must come after the sample's
    `<Location /> SetHandler bilingual`; `extra=` lands before it, hence this tail."""

    def __init__(self, *args, tail="", **kw):
        super().__init__(*args, **kw)
        self.tail = tail

    def write_conf(self):
        conf = super().write_conf()
        with open(conf, "a") as f:
            f.write("\n# --- bench/bench.py ---\n" + self.tail + "\n")
        return conf

    def parent_pid(self):
        with open(os.path.join(self.rundir, "httpd.pid")) as f:
            return int(f.read().strip())


def bench_tail(htdocs):
    return """LoadModule include_module {moddir}/mod_include.so
AddCharset utf-8 .html .shtml .atom
<Location /bench-static/>
    SetHandler none
</Location>
<Location /bench-ssi/>
    SetHandler none
</Location>
<Directory "{htdocs}/bench-ssi">
    Options +Includes
    AddType text/html .shtml
    AddOutputFilter INCLUDES .shtml
</Directory>
""".format(moddir=MODDIR, htdocs=htdocs)


def make_readable(path):
    """Children run as www-data when we are root: open the tree to them."""
    for root, dirs, files in os.walk(path):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def get(port, path, headers=None, conn=None):
    """One GET; returns (status, headers dict (lower-case), body, seconds)."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    dt = time.perf_counter() - t0
    hdrs = {k.lower(): v for k, v in resp.getheaders()}
    if own:
        conn.close()
    return resp.status, hdrs, body, dt


def proc_children(ppid):
    kids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == ppid:
            kids.append(int(name))
    return sorted(kids)


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return 0
    fields = stat[stat.rfind(")") + 2:].split()
    return int(fields[11]) + int(fields[12])   # utime + stime


def system_busy():
    """User and system CPU ticks of the whole machine (all CPUs) from /proc/stat,
    without irq and softirq time, which is not charged to any process."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2]       # user, nice, system


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def server_cpu(ppid):
    """CPU ticks used so far by the parent and its live children."""
    return sum(cpu_ticks(p) for p in [ppid] + proc_children(ppid))


def proc_fields(pid, name, fields):
    """The FIELDS (kB values) of /proc/PID/NAME, in KiB ({} when PID is gone)."""
    out = {}
    try:
        with open("/proc/%d/%s" % (pid, name)) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in fields:
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def memory(pid):
    """VmRSS, RssAnon (status) and Pss (smaps_rollup) of PID, in KiB."""
    out = proc_fields(pid, "status", ("VmRSS", "RssAnon", "RssFile", "RssShmem"))
    if out:
        out.update(proc_fields(pid, "smaps_rollup", ("Pss",)))
    return out


# --------------------------------------------------------------------------- wrk

class AccessLog:
    """Counts the statuses written to the access log since the last call."""
    STATUS = re.compile(rb'\] "[^"]*" (\d{3}) ')

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def skip(self):
        self.offset = os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def statuses(self):
        counts = {}
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        for m in self.STATUS.finditer(data):
            counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
        return counts


def parse_wrk(out):
    def num(pattern, cast=float, default=0):
        m = re.search(pattern, out)
        return cast(m.group(1)) if m else default

    def usecs(text):
        m = re.match(r"([\d.]+)(us|ms|s)$", text)
        if not m:
            return None
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]

    lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                     out)
    return {
        "rps": num(r"Requests/sec:\s+([\d.]+)"),
        "requests": num(r"(\d+) requests in", int),
        "non2xx3xx": num(r"Non-2xx or 3xx responses: (\d+)", int),
        "sockerr": sum(int(x) for x in sock.groups()) if sock else 0,
        "sockerr_detail": sock.group(0) if sock else "",
        "lat_avg_us": usecs(lat.group(1)) if lat else None,
        "lat_max_us": usecs(lat.group(3)) if lat else None,
    }


def wrk_cmd(url, headers, duration, conns):
    cmd = [WRK, "-t1", "-c%d" % conns, "-d%ds" % duration]
    for h in headers:
        cmd += ["-H", h]
    return cmd + [url]


def run_wrk(apache, alog, path, headers, duration, conns):
    url = "http://127.0.0.1:%d%s" % (apache.port, path)
    return run_load(apache, alog, wrk_cmd(url, headers, duration, conns), duration, parse_wrk)


def run_load(apache, alog, cmd, duration, parse):
    """Runs the load generator CMD (wrk or h2load) against APACHE; returns what PARSE
    makes of its output, with the server's CPU per request, the CPU of other jobs
    and the statuses of the access log."""
    ppid = apache.parent_pid()
    alog.skip()
    kids0 = proc_children(ppid)
    cpu0, sys0, wrk0, t0 = server_cpu(ppid), system_busy(), children_cpu(), time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    cpu1, sys1, wrk1, t1 = server_cpu(ppid), system_busy(), children_cpu(), time.time()
    kids1 = proc_children(ppid)
    time.sleep(0.3)   # the last requests are logged after wrk has gone: count them here
    if out.returncode != 0:
        raise RuntimeError("%s failed: %s\n%s%s" % (os.path.basename(cmd[0]), shlex.join(cmd),
                                                   out.stdout, out.stderr))
    res = parse(out.stdout)
    res["cmd"] = shlex.join(cmd)
    res["children"] = (kids0, kids1)
    # CPU used by anything but this httpd and wrk (other jobs on the machine), in % of
    # one core: a busy machine shows.
    other = (sys1 - sys0) / CLK_TCK - (cpu1 - cpu0) / CLK_TCK - (wrk1 - wrk0)
    res["other_cpu_pct"] = max(0.0, other / (t1 - t0) * 100)
    res["statuses"] = alog.statuses()
    res["cpu_us_per_req"] = ((cpu1 - cpu0) / CLK_TCK * 1e6 / res["requests"]
                             if res["requests"] else None)
    return res


# --------------------------------------------------------------------------- part 1

def split_page(page):
    """Cuts the page into head, header, nav, main and footer at its landmarks;
    falls back to five pieces cut at line ends. The pieces concatenate to PAGE."""
    marks = [b"<body", b'<nav class="site-nav"', b"<main", b"<footer"]
    cuts = []
    for m in marks:
        i = page.find(m)
        if i < 0 or (cuts and i <= cuts[-1]):
            cuts = []
            break
        cuts.append(page.rfind(b"\n", 0, i) + 1)
    if not cuts:
        n = len(page)
        cuts = [page.find(b"\n", n * k // 5) + 1 for k in range(1, 5)]
    bounds = [0] + cuts + [len(page)]
    return [page[bounds[k]:bounds[k + 1]] for k in range(5)]


PART_NAMES = ["1-head", "2-header", "3-nav", "4-main", "5-footer"]


def prepare_htdocs(htdocs, page, feed):
    """Writes the static copies and the SSI version of PAGE into HTDOCS."""
    static = os.path.join(htdocs, "bench-static")
    ssi = os.path.join(htdocs, "bench-ssi")
    os.makedirs(os.path.join(ssi, "parts"), exist_ok=True)
    os.makedirs(static, exist_ok=True)
    with open(os.path.join(static, "es-index.html"), "wb") as f:
        f.write(page)
    with open(os.path.join(static, "es-feed.atom"), "wb") as f:
        f.write(feed)
    parts = split_page(page)
    shtml = b""
    for name, data in zip(PART_NAMES, parts):
        with open(os.path.join(ssi, "parts", name + ".html"), "wb") as f:
            f.write(data)
        shtml += b'<!--#include virtual="/bench-ssi/parts/' + name.encode() + b'.html" -->'
    with open(os.path.join(ssi, "es-index.shtml"), "wb") as f:
        f.write(shtml)
    make_readable(htdocs)
    # httpd makes the ETag of a file changed within the last second weak: date the
    # copies two minutes back so that both sides send strong validators.
    past = time.time() - 120
    for root, _, files in os.walk(htdocs):
        for name in files:
            os.utime(os.path.join(root, name), (past, past))
    return [len(p) for p in parts]


def throughput(args, work, report):
    htdocs = os.path.join(work, "htdocs")
    os.makedirs(htdocs)
    shutil.copytree(os.path.join(SRCDIR, "htdocs", "assets"), os.path.join(htdocs, "assets"))
    rundir = os.path.join(work, "run-sample")
    os.makedirs(rundir)
    make_readable(work)
    apache = BenchApache(SAMPLE, rundir=rundir, htdocs=htdocs, reload=1,
                         tail=bench_tail(htdocs))
    t0 = time.perf_counter()
    apache.start()
    try:
        port = apache.port
        # First responses of the sample site, for comparison with the 10,000-item site.
        st, _, _, _ = get(port, "/es/")
        report.startup_sample = time.perf_counter() - t0
        # The bytes the module serves, saved as the static and SSI copies.
        st, h, page, _ = get(port, "/es/")
        assert st == 200, "/es/ answered %d" % st
        st, hf, feed, _ = get(port, "/es/feed.atom")
        assert st == 200, "/es/feed.atom answered %d" % st
        sizes = prepare_htdocs(htdocs, page, feed)
        report.page_bytes, report.feed_bytes, report.part_sizes = len(page), len(feed), sizes
        etag = h["etag"]
        st, hs, body, _ = get(port, "/bench-static/es-index.html")
        assert st == 200 and body == page, "static copy differs (%d)" % st
        static_etag = hs["etag"]
        st, _, body, _ = get(port, "/bench-static/es-feed.atom")
        assert st == 200 and body == feed, "static feed copy differs (%d)" % st
        st, _, body, _ = get(port, "/bench-ssi/es-index.shtml")
        assert st == 200 and body == page, \
            "mod_include did not reassemble the page (%d, %d bytes)" % (st, len(body))
        assert not static_etag.startswith("W/"), "weak static ETag " + static_etag

        al = "Accept-Language: es-MX, en;q=0.5"
        cases = [
            # key, path, headers, expected status, what
            ("page", "/es/", [], 200, "GET /es/ (module, cached)"),
            ("static", "/bench-static/es-index.html", [], 200, "same bytes, static file"),
            ("ssi", "/bench-ssi/es-index.shtml", [], 200, "same page via mod_include (5 parts)"),
            ("neg", "/", [al], 302, "GET / + Accept-Language (302)"),
            ("feed", "/es/feed.atom", [], 200, "GET /es/feed.atom (module)"),
            ("feedstatic", "/bench-static/es-feed.atom", [], 200, "same feed bytes, static"),
            ("inm", "/es/", ["If-None-Match: " + etag], 304, "/es/ If-None-Match (304)"),
            ("inmstatic", "/bench-static/es-index.html", ["If-None-Match: " + static_etag],
             304, "static If-None-Match (304)"),
        ]
        for key, path, hdrs, want, _ in cases:
            hd = dict(x.split(": ", 1) for x in hdrs)
            st, rh, _, _ = get(port, path, hd)
            if st != want:
                raise RuntimeError("%s answered %d, expected %d" % (path, st, want))
            if key == "neg":
                report.neg_location = rh.get("location")
        alog = AccessLog(os.path.join(rundir, "access.log"))
        log("warm-up: each URL for 1s")
        for key, path, hdrs, want, _ in cases:
            run_wrk(apache, alog, path, hdrs, 1, args.connections)
        results = {key: [] for key, *_ in cases}
        for rnd in range(args.rounds):
            order = cases if rnd % 2 == 0 else list(reversed(cases))
            for key, path, hdrs, want, what in order:
                res = run_wrk(apache, alog, path, hdrs, args.duration, args.connections)
                bad = {s: n for s, n in res["statuses"].items() if s != want}
                res["unexpected"] = sum(bad.values())
                log("round %d  %-11s %9.0f req/s  non-2xx/3xx %d  socket errors %d  "
                    "statuses %s" % (rnd + 1, key, res["rps"], res["non2xx3xx"],
                                     res["sockerr"], res["statuses"]))
                results[key].append(res)
        report.cases = cases
        report.results = results
        report.error_log_sample = apache.read_log()
    finally:
        apache.stop()


# --------------------------------------------------------------------------- part 2

PLACES = [
    ("Biblioteca Fletcher Free, 235 College Street, Burlington",
     "Fletcher Free Library, 235 College Street, Burlington"),
    ("Casa del Estado, 115 State Street, Montpelier", "State House, 115 State Street, Montpelier"),
    ("Biblioteca Pública Ilsley, 75 Main Street, Middlebury",
     "Ilsley Public Library, 75 Main Street, Middlebury"),
    ("Biblioteca Pública de St. Albans, 11 Maiden Lane, St. Albans",
     "St. Albans Free Library, 11 Maiden Lane, St. Albans"),
]
TOPICS = [
    ("Asamblea comunitaria", "Community assembly"),
    ("Taller: conoce tus derechos", "Workshop: know your rights"),
    ("Capacitación para voluntarios", "Volunteer training"),
    ("Foro sobre vigilancia policial justa", "Forum on fair policing"),
]
PARA_ES = ("Trabajadoras y trabajadores del campo se reúnen para hablar de la política de "
           "vigilancia policial justa e imparcial, de lo que ya ganamos y de lo que falta. "
           "Habrá comida, cuidado de niños e interpretación; el lugar es accesible.")
PARA_EN = ("Farmworkers meet to talk about the fair and impartial policing policy, what we "
           "have already won and what is still missing. Food, childcare and interpretation "
           "provided; the venue is accessible.")
TZ = datetime.timezone(datetime.timedelta(hours=-5))


def rfc3339(t):
    return t.astimezone(TZ).replace(microsecond=0).isoformat()


def event_xml(i, now):
    es_topic, en_topic = TOPICS[i % len(TOPICS)]
    es_place, en_place = PLACES[i % len(PLACES)]
    start = now + datetime.timedelta(hours=8 * (i - 3000) + 7)   # 3,000 past, 2,000 upcoming
    published = min(now, start) - datetime.timedelta(days=10, minutes=i)
    status = ' status="cancelled"' if i % 97 == 0 else ""
    return """<?xml version="1.0" encoding="UTF-8"?>
<event published="{pub}"
       start="{start}" end="{end}"{status}>
  <title xml:lang="es">{tes} n.º {n}</title>
  <title xml:lang="en">{ten} no. {n}</title>
  <location xml:lang="es">{pes}</location>
  <location xml:lang="en">{pen}</location>
  <summary xml:lang="es">Encuentro número {n}: {tes} &amp; más.</summary>
  <summary xml:lang="en">Meeting number {n}: {ten} &amp; more.</summary>
  <body xml:lang="es">
    <p>{pares}</p>
    <p>Más información en <a href="/es/get-involved">Participa</a>.</p>
  </body>
  <body xml:lang="en">
    <p>{paren}</p>
    <p>More at <a href="/en/get-involved">Get involved</a>.</p>
  </body>
</event>
""".format(pub=rfc3339(published), start=rfc3339(start),
           end=rfc3339(start + datetime.timedelta(hours=2)), status=status, n=i,
           tes=es_topic, ten=en_topic, pes=es_place, pen=en_place, pares=PARA_ES,
           paren=PARA_EN)


def press_xml(i, now):
    published = now - datetime.timedelta(hours=5 * i + 1)
    updated = (' updated="%s"' % rfc3339(published + datetime.timedelta(hours=2))
               if i % 3 == 0 else "")
    return """<?xml version="1.0" encoding="UTF-8"?>
<press-release published="{pub}"{upd}>
  <title xml:lang="es">Comunicado n.º {n}: la política completa en cada pueblo</title>
  <title xml:lang="en">Release no. {n}: the whole policy in every town</title>
  <summary xml:lang="es">Justicia Migrante pide, por {n}.ª vez, que cada departamento adopte la política completa.</summary>
  <summary xml:lang="en">Migrant Justice asks, for time no. {n}, that every department adopt the whole policy.</summary>
  <body xml:lang="es">
    <p>{pares}</p>
    <p>{pares}</p>
  </body>
  <body xml:lang="en">
    <p>{paren}</p>
    <p>{paren}</p>
  </body>
</press-release>
""".format(pub=rfc3339(published), upd=updated, n=i, pares=PARA_ES, paren=PARA_EN)


def event_slug(i):
    return "event-%05d" % i


def press_slug(i):
    return "release-%05d" % i


def generate_site(dest, n_events, n_press):
    """A content folder: the sample's site, layout, fragments and pages, plus items."""
    now = datetime.datetime.now(datetime.timezone.utc)
    for name in ("site.xml", "layout.xml"):
        shutil.copy(os.path.join(SAMPLE, name), os.path.join(dest, name))
    for sub in ("fragments", "pages"):
        shutil.copytree(os.path.join(SAMPLE, sub), os.path.join(dest, sub))
    os.makedirs(os.path.join(dest, "events"))
    os.makedirs(os.path.join(dest, "press"))
    for i in range(n_events):
        with open(os.path.join(dest, "events", event_slug(i) + ".xml"), "w") as f:
            f.write(event_xml(i, now))
    for i in range(n_press):
        with open(os.path.join(dest, "press", press_slug(i) + ".xml"), "w") as f:
            f.write(press_xml(i, now))


def warm(port, paths, threads=8):
    """GETs every path, one connection per request, from THREADS threads; returns
    the statuses seen."""
    counts = {}
    lock = threading.Lock()
    todo = list(paths)

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                p = todo.pop()
            try:
                st = get(port, p, {"Connection": "close"})[0]
            except OSError:
                st = 0
            with lock:
                counts[st] = counts.get(st, 0) + 1

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return counts


def child_memory(apache):
    ppid = apache.parent_pid()
    return ppid, memory(ppid), {pid: memory(pid) for pid in proc_children(ppid)}


def reload_trial(apache, path_file, slug, trial, timeout=15.0):
    """Edits one event, then polls /es/ on one keep-alive connection until its
    Last-Modified changes: that response is the first /es/ of the new snapshot in that
    child. Meanwhile another connection keeps requesting /es/ to catch failures."""
    port = apache.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    get(port, "/es/", conn=conn)
    # HTTP dates have one-second resolution: make sure the edit is in a later second.
    time.sleep(max(0.0, 1.05 - (time.time() % 1.0)))
    stop = threading.Event()
    bg = {"n": 0, "fail": 0, "max": 0.0}

    def background():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while not stop.is_set():
            try:
                s, _, _, dt = get(port, "/es/", conn=c)
                bg["n"] += 1
                bg["max"] = max(bg["max"], dt)
                if s != 200:
                    bg["fail"] += 1
            except (OSError, http.client.HTTPException):
                bg["fail"] += 1
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            time.sleep(0.005)
        c.close()

    th = threading.Thread(target=background)
    th.start()
    try:
        with open(path_file, encoding="utf-8") as f:
            text = f.read()
        mark = "(edit %d)" % trial
        text = re.sub(r"(<title xml:lang=\"es\">[^<]*)</title>",
                      r"\1 %s</title>" % mark, text, count=1)
        edited = "/es/events/" + os.path.basename(path_file)[:-4]
        t_edit = time.perf_counter()
        with open(path_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path_file + ".tmp", 0o644)
        os.replace(path_file + ".tmp", path_file)
        first = None
        deadline = t_edit + timeout
        # the edited event's page shows the new title once the snapshot is published
        while time.perf_counter() < deadline:
            st, _, body, _ = get(port, edited, conn=conn)
            if st == 200 and mark.encode() in body:
                first = True
                break
            time.sleep(0.02)
        if first is None:
            raise RuntimeError("reload not seen within %.0fs" % timeout)
        pickup = time.perf_counter() - t_edit
        # the first /es/ of the new snapshot: a cache miss, rendered from it
        st, _, _, first = get(port, "/es/", conn=conn)
        if st != 200:
            raise RuntimeError("/es/ answered %d after reload" % st)
        out = {"pickup_s": pickup, "first_home_s": first}
        # The next requests on the same connection, same child, same new snapshot.
        for key, p in (("first_feed_s", "/es/feed.atom"),
                       ("first_event_s", "/es/events/" + slug),
                       ("cached_home_s", "/es/")):
            st, _, _, dt = get(port, p, conn=conn)
            if st != 200:
                raise RuntimeError("%s answered %d after reload" % (p, st))
            out[key] = dt
        time.sleep(1.5)    # let every child's watcher pick it up too
    finally:
        stop.set()
        th.join()
        conn.close()
    out.update(bg_requests=bg["n"], bg_failures=bg["fail"], bg_max_s=bg["max"])
    return out


def big_site(args, work, report):
    site = os.path.join(work, "site10k")
    content = os.path.join(site, "content")
    os.makedirs(content)
    t0 = time.perf_counter()
    generate_site(content, args.events, args.press)
    report.gen_s = time.perf_counter() - t0
    make_readable(site)
    check = os.path.join(SRCDIR, "mod_src", "bilingual-check")
    if os.access(check, os.X_OK):
        t0 = time.perf_counter()
        out = subprocess.run([check, content], capture_output=True, text=True, timeout=300)
        report.check = (out.returncode, time.perf_counter() - t0,
                        (out.stdout + out.stderr).strip().splitlines()[-3:])
    rundir = os.path.join(work, "run-10k")
    os.makedirs(rundir)
    os.chmod(rundir, 0o755)
    apache = BenchApache(content, rundir=rundir, htdocs=site, reload=1)
    big = report.big = {}
    t_start = time.perf_counter()
    apache.start(timeout=300)
    try:
        port = apache.port
        big["listening_s"] = time.perf_counter() - t_start
        # Time to the first successful /es/ (polled from the moment the port accepts).
        deadline = time.perf_counter() + 120
        while True:
            try:
                st, _, _, dt = get(port, "/es/")
            except OSError:
                st = 0
            if st == 200:
                break
            if time.perf_counter() > deadline:
                raise RuntimeError("/es/ never answered 200 on the 10,000-item site")
            time.sleep(0.02)
        big["first_home_since_start_s"] = time.perf_counter() - t_start
        big["first_home_s"] = dt
        # The rest on one keep-alive connection, so that "cached" is the same child.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        firsts = [("first_feed", "/es/feed.atom"),
                  ("first_en_home", "/en/"),
                  ("first_event", "/es/events/" + event_slug(4999)),
                  ("first_release", "/es/press/" + press_slug(1)),
                  ("first_events_list", "/es/events/")]
        for key, p in firsts:
            st, _, body, dt = get(port, p, conn=conn)
            if st != 200:
                raise RuntimeError("%s answered %d" % (p, st))
            big[key + "_s"] = dt
            big[key + "_bytes"] = len(body)
            if key == "first_feed":
                big["first_feed_since_start_s"] = time.perf_counter() - t_start
        for key, p in firsts:
            big[key.replace("first", "cached") + "_s"] = get(port, p, conn=conn)[3]
        conn.close()

        # Idle cost of the watcher threads (they stat the folder every second).
        ppid = apache.parent_pid()
        c0, t0 = server_cpu(ppid), time.perf_counter()
        time.sleep(args.idle)
        big["idle_cpu_pct"] = ((server_cpu(ppid) - c0) / CLK_TCK
                               / (time.perf_counter() - t0) * 100)

        # Memory per child before and after a warm-up of distinct URLs.
        big["mem_before"] = child_memory(apache)
        n = args.warm
        paths = (["/es/events/" + event_slug(i) for i in range(0, 5000, max(1, 5000 // n))][:n])
        t0 = time.perf_counter()
        big["warm_statuses"] = warm(port, paths)
        big["warm_s"] = time.perf_counter() - t0
        big["warm_n"] = len(paths)
        time.sleep(0.3)
        big["mem_after"] = child_memory(apache)
        if args.warm_all:
            paths = ["/%s/%s/%s" % (lang, kind, fn(i)) for lang in ("es", "en")
                     for kind, fn, cnt in (("events", event_slug, args.events),
                                           ("press", press_slug, args.press))
                     for i in range(cnt)]
            t0 = time.perf_counter()
            big["warm_all_statuses"] = warm(port, paths)
            big["warm_all_s"] = time.perf_counter() - t0
            big["warm_all_n"] = len(paths)
            time.sleep(0.3)
            big["mem_after_all"] = child_memory(apache)

        # Reloads: edit one event; time the first requests of the new snapshot.
        trials = []
        for k in range(args.reloads):
            i = 17 + k
            trials.append(reload_trial(apache, os.path.join(content, "events",
                                                            event_slug(i) + ".xml"),
                                       event_slug(4000 - k), k + 1))
            log("reload %d: picked up in %.2fs, first /es/ %.1f ms, first feed %.1f ms"
                % (k + 1, trials[-1]["pickup_s"], trials[-1]["first_home_s"] * 1e3,
                   trials[-1]["first_feed_s"] * 1e3))
        big["reloads"] = trials
        big["mem_after_reloads"] = child_memory(apache)
        big["error_log"] = apache.read_log()
    finally:
        apache.stop()


# --------------------------------------------------------------------------- part 3

# The render budget: the largest expanded size of a page, in bytes of markup and text.
# It must match BL_MAX_EXPANDED_BYTES in mod_src/ (bl_limits.h).
BUDGET_BYTES = 1048576
# The most elements and text nodes in the expansion of one file. It must match
# BL_MAX_EXPANDED_NODES in mod_src/ (bl_limits.h). Paragraphs of one letter would
# reach it long before BUDGET_BYTES, so the big pages' paragraphs are longer.
NODE_BUDGET = 100000
# The big pages aim at this share of both budgets.
BUDGET_FILL = 0.90
# Bytes kept aside for the layout (head, header, nav, footer) around the page's body.
LAYOUT_ALLOWANCE = 16384
# Nodes per body line: the <p>, its text, and the newline after it, plus one for each
# attribute (the budget counts elements, attributes and texts).
# The big pages' bodies: one paragraph a line, no indentation. Each line is counted at
# the larger of its size in the file and its size in the response (a kept fr paragraph
# is written with lang="fr": fr is not the page's language).
BIG_PAGES = [
    # name, opening tag in the file, as written out, what
    ("big", "<p>", "<p>", "<p>x..</p>"),
    ("big-fr", '<p xml:lang="fr">', '<p lang="fr">', '<p xml:lang="fr">x..</p>'),
]


def big_page_lines(src_open, out_open):
    """(number of lines, text length, bytes per line in the response) of a big page:
    90% of NODE_BUDGET in nodes, and 90% of BUDGET_BYTES in bytes."""
    n = int(NODE_BUDGET * BUDGET_FILL) // (3 + src_open.count("="))
    per_line = int((BUDGET_BYTES * BUDGET_FILL - LAYOUT_ALLOWANCE) // n)
    k = max(1, per_line - max(len(src_open), len(out_open)) - len("</p>\n"))
    return n, k, len(out_open) + k + len("</p>\n")


def big_page_xml(src_open, n, k):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<page>
  <title xml:lang="es">Página grande</title>
  <title xml:lang="en">Big page</title>
<body>
""" + (src_open + "x" * k + "</p>\n") * n + "</body>\n</page>\n")


# One child, so that every request is served by a known PID: the event MPM (the one
# deployed) with a scoreboard of one process. ServerLimit 1 leaves no slot for a second
# child; MaxSpareThreads = ThreadsPerChild so the MPM never wants to kill the child for
# having too many idle threads. These lines come after the sample's MPM lines and
# override them (for these directives the last one wins).
ONE_CHILD_MPM = """StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
"""
AMP_SAMPLE_S = 0.002     # VmRSS sampling period during a request
AMP_SETTLE_S = 0.3       # wait before reading VmRSS after a response
AMP_CHECKPOINTS = (1, 10, 100)   # random-Host requests after which VmRSS is read


def proc_status(pid):
    """VmRSS and VmHWM of PID from /proc/PID/status, in KiB ({} when it is gone)."""
    return proc_fields(pid, "status", ("VmRSS", "VmHWM"))


def reset_peak(pid):
    """Resets VmHWM of PID to its current VmRSS (Linux >= 4.0). Root can do it for any
    process; a user only for its own (httpd does not change user when not started as
    root). Returns False when it could not."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class RssSampler:
    """Samples VmRSS of PIDS every AMP_SAMPLE_S seconds in a thread; peak per pid."""

    def __init__(self, pids):
        self.pids = list(pids)
        self.peak = {p: 0 for p in self.pids}
        self.samples = 0
        self.stop = threading.Event()
        self.th = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while True:
            for p in self.pids:
                self.peak[p] = max(self.peak[p], proc_status(p).get("VmRSS", 0))
            self.samples += 1
            if self.stop.wait(AMP_SAMPLE_S):
                return

    def __enter__(self):
        self.th.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.th.join()
        for p in self.pids:   # one last sample after the response
            self.peak[p] = max(self.peak[p], proc_status(p).get("VmRSS", 0))


def amp_server(content, site, rundir):
    os.makedirs(rundir)
    os.chmod(rundir, 0o755)
    # BilingualReloadInterval 3600: no folder scan (every child's watcher) in the middle
    # of a measurement.
    return BenchApache(content, rundir=rundir, htdocs=site, reload=3600, tail=ONE_CHILD_MPM)


def amp_start(apache):
    """Starts APACHE, waits for its one child and warms it with one small page (a
    first request in a new child does some one-time work of its own). Returns the
    child's pid, or raises."""
    apache.start(timeout=300)
    deadline = time.perf_counter() + 120
    while True:
        try:
            st = get(apache.port, "/es/about")[0]
        except OSError:
            st = 0
        if st == 200:
            break
        if time.perf_counter() > deadline:
            raise RuntimeError("/es/about never answered 200 on the amplification server")
        time.sleep(0.05)
    ppid = apache.parent_pid()
    deadline = time.perf_counter() + 10
    while True:
        kids = proc_children(ppid)
        if len(kids) == 1 or time.perf_counter() > deadline:
            break
        time.sleep(0.05)
    if len(kids) != 1:
        raise RuntimeError("expected one httpd child, found %s" % kids)
    time.sleep(0.2)
    return kids[0]


def amp_request(apache, pid, path, timeout):
    """One GET of PATH (a cache miss) with the peak RSS growth of child PID."""
    hwm = reset_peak(pid)
    before = proc_status(pid)
    conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=timeout)
    err = None
    with RssSampler([pid]) as smp:
        try:
            st, _, body, dt = get(apache.port, path, conn=conn)
            size = len(body)
        except (OSError, http.client.HTTPException) as e:
            st, size, dt = 0, 0, None
            err = "%s: %s" % (type(e).__name__, e)
    # What the child keeps: with the keep-alive connection still open, then closed.
    time.sleep(AMP_SETTLE_S)
    after_open = proc_status(pid)
    conn.close()
    time.sleep(AMP_SETTLE_S)
    after = proc_status(pid)
    kids = proc_children(apache.parent_pid())
    r = {"path": path, "status": st, "bytes": size, "seconds": dt,
         "error": err, "hwm": hwm, "rss_before": before.get("VmRSS", 0),
         "rss_open": after_open.get("VmRSS", 0), "rss_after": after.get("VmRSS", 0),
         "sampled_peak": smp.peak[pid], "samples": smp.samples,
         "same_child": kids == [pid]}
    r["peak"] = after.get("VmHWM", 0) if hwm else smp.peak[pid]
    r["growth"] = max(0, r["peak"] - r["rss_before"])
    r["sampled_growth"] = max(0, smp.peak[pid] - r["rss_before"])
    return r


def amp_hosts(apache, pid, path, n, seconds, conns, timeout):
    """N GETs of PATH, each with a made-up Host, from CONNS keep-alive connections, for
    at most SECONDS; VmRSS of child PID before and after."""
    hwm = reset_peak(pid)
    before = proc_status(pid)
    lock = threading.Lock()
    c = {"sent": 0, "done": 0, "failed": 0, "statuses": {}}
    trail = {}      # VmRSS after AMP_CHECKPOINTS responses
    open_conns = []  # closed once VmRSS has been read with them open
    deadline = time.perf_counter() + seconds
    rng = random.Random(8)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=timeout)
        while True:
            with lock:
                if c["sent"] >= n or time.perf_counter() > deadline:
                    break
                c["sent"] += 1
                host = "rnd-%08x.example" % rng.getrandbits(32)
            try:
                st = get(apache.port, path, {"Host": host}, conn=conn)[0]
            except (OSError, http.client.HTTPException):
                st = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=timeout)
            with lock:
                c["done"] += 1
                done = c["done"]
                c["statuses"][st] = c["statuses"].get(st, 0) + 1
                if st != 200:
                    c["failed"] += 1
            if done in AMP_CHECKPOINTS:
                # The child frees a request's memory after the client has the response:
                # give it a moment before reading.
                time.sleep(AMP_SETTLE_S)
                trail[done] = proc_status(pid).get("VmRSS", 0)
        with lock:
            open_conns.append(conn)

    t0 = time.perf_counter()
    with RssSampler([pid]) as smp:
        ts = [threading.Thread(target=worker) for _ in range(conns)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    secs = time.perf_counter() - t0
    time.sleep(AMP_SETTLE_S)
    after_open = proc_status(pid)
    for conn in open_conns:
        conn.close()
    time.sleep(AMP_SETTLE_S)
    after = proc_status(pid)
    return {"path": path, "wanted": n, "done": c["done"], "failed": c["failed"],
            "statuses": c["statuses"], "seconds": secs, "cap_s": seconds, "conns": conns,
            "capped": c["done"] < n, "rss_before": before.get("VmRSS", 0), "trail": trail,
            "rss_open": after_open.get("VmRSS", 0), "rss_after": after.get("VmRSS", 0),
            "hwm": hwm,
            "peak": after.get("VmHWM", 0) if hwm else smp.peak[pid],
            "same_child": proc_children(apache.parent_pid()) == [pid]}


def amplification(args, work, report):
    site = os.path.join(work, "site10k-amp")
    content = os.path.join(site, "content")
    os.makedirs(content)
    t0 = time.perf_counter()
    generate_site(content, args.events, args.press)
    pages = []
    for name, src_open, out_open, what in BIG_PAGES:
        n, k, out = big_page_lines(src_open, out_open)
        path = os.path.join(content, "pages", name + ".xml")
        with open(path, "w") as f:
            f.write(big_page_xml(src_open, n, k))
        pages.append((name, n, what.replace("x..", "x" * k if k <= 3 else "x{%d}" % k),
                      os.path.getsize(path), n * out))
    make_readable(site)
    amp = report.amp = {"gen_s": time.perf_counter() - t0, "rows": [], "hosts": [],
                        "errors": [], "error_lines": [], "pages": pages}
    log("amplification: site generated in %.1fs; big pages %s" % (
        amp["gen_s"], ", ".join("%s (%d lines)" % (p[0], p[1]) for p in pages)))

    cases = [("GET /sitemap.xml (%d items)" % (args.events + args.press), "/sitemap.xml")]
    cases += [("GET /es/%s (%d %s)" % (nm, n, what), "/es/" + nm)
              for nm, n, what, _, _ in pages]
    for k, (what, path) in enumerate(cases):
        apache = amp_server(content, site, os.path.join(work, "run-amp-%d" % k))
        try:
            pid = amp_start(apache)
            r = amp_request(apache, pid, path, args.amp_timeout)
            r["what"] = what
            amp["rows"].append(r)
            log("amplification: %s -> %d, %d bytes in %s, growth %.1f MB" % (
                path, r["status"], r["bytes"],
                "%.2fs" % r["seconds"] if r["seconds"] is not None else r["error"],
                r["growth"] / 1024))
            if r["status"] != 200:
                amp["errors"].append("%s answered %s" % (path, r["status"] or r["error"]))
        finally:
            apache.stop()
            amp["error_lines"] += [l for l in apache.read_log().splitlines() if is_error(l)]

    for k, (path, seconds) in enumerate([("/sitemap.xml", args.amp_host_seconds),
                                         ("/es/", args.amp_host_seconds)]):
        apache = amp_server(content, site, os.path.join(work, "run-amp-hosts-%d" % k))
        try:
            pid = amp_start(apache)
            h = amp_hosts(apache, pid, path, args.amp_host_requests, seconds,
                          args.amp_connections, args.amp_timeout)
            amp["hosts"].append(h)
            log("amplification: %d/%d %s with random Host in %.1fs, statuses %s, "
                "VmRSS %.1f -> %.1f MB" % (h["done"], h["wanted"], path, h["seconds"],
                                           h["statuses"], h["rss_before"] / 1024,
                                           h["rss_after"] / 1024))
            if h["failed"]:
                amp["errors"].append("%d of %d %s with a random Host did not answer 200: %s"
                                     % (h["failed"], h["done"], path, h["statuses"]))
        finally:
            apache.stop()
            amp["error_lines"] += [l for l in apache.read_log().splitlines() if is_error(l)]


def render_amplification(args, A, w):
    rows, hosts = A["rows"], A["hosts"]
    hwm = all(r["hwm"] for r in rows + hosts)
    w("3. Amplification: memory per output byte (the 10,000-item site, generated in %.1fs)"
      % A["gen_s"])
    w("   event MPM with one child (StartServers 1, ServerLimit 1, ThreadsPerChild 8), a "
      "fresh httpd per row, BilingualReloadInterval 3600;")
    w("   each measured request is the first of its URL in that child (a cache miss), "
      "after one warm-up GET /es/about.")
    if hwm:
        w("   peak = VmHWM after 'echo 5 > /proc/PID/clear_refs' just before the request "
          "(reset as root); 'sampled' = highest VmRSS read every %d ms, for comparison."
          % (AMP_SAMPLE_S * 1e3))
    else:
        w("   NOTE: /proc/PID/clear_refs could not be written (not root?): peak = highest "
          "VmRSS sampled every %d ms during the request; a shorter peak may be missed."
          % (AMP_SAMPLE_S * 1e3))
    w("   big pages: %d%% of BUDGET_BYTES = %d and of NODE_BUDGET = %d (must match "
      "BL_MAX_EXPANDED_BYTES and _NODES): %s." % (
          BUDGET_FILL * 100, BUDGET_BYTES, NODE_BUDGET, "; ".join(
              "pages/%s.xml %d lines, %d bytes, body written out %d bytes"
              % (nm, n, fsize, out) for nm, n, _, fsize, out in A["pages"])))
    w("")
    w("%-54s %6s %10s %7s %9s %8s %8s %9s %8s %8s %13s" % (
        "request (cache miss)", "status", "bytes out", "budget", "time", "RSS MB",
        "peak MB", "growth MB", "sampled", "B/out B", "kept MB o/c"))
    w("-" * 146)
    for r in rows:
        pct = ("%6.1f%%" % (100.0 * r["bytes"] / BUDGET_BYTES)
               if r["path"] != "/sitemap.xml" else "%7s" % "-")
        w("%-54s %6s %10d %7s %9s %8.1f %8.1f %9.2f %8.2f %8s %13s" % (
            r["what"][:54], r["status"] or "fail", r["bytes"], pct,
            (">%.0f s" % args.amp_timeout if r["seconds"] is None
             else "%.1f ms" % (r["seconds"] * 1e3) if r["seconds"] < 10
             else "%.1f s" % r["seconds"]),
            r["rss_before"] / 1024, r["peak"] / 1024, r["growth"] / 1024,
            r["sampled_growth"] / 1024,
            "%.2f" % (r["growth"] * 1024.0 / r["bytes"]) if r["bytes"] else "-",
            "%.1f/%.1f" % ((r["rss_open"] - r["rss_before"]) / 1024,
                           (r["rss_after"] - r["rss_before"]) / 1024)))
    w("'RSS MB' = VmRSS just before the request; 'growth' = peak - that; 'sampled' = the "
      "same from the sampled peak; 'B/out B' = growth in bytes / response bytes (bytes per "
      "output byte);")
    w("'kept MB o/c' = VmRSS - VmRSS before, %.1fs after the response with the keep-alive "
      "connection still open / %.1fs after closing it." % (AMP_SETTLE_S, AMP_SETTLE_S))
    for r in rows:
        if r["error"]:
            w("  %s: %s after %.0fs (no response; peak and growth are those reached by then)"
              % (r["path"], r["error"], args.amp_timeout))
        if not r["same_child"]:
            w("  %s: WARNING: httpd's children changed during the request" % r["path"])
    w("")
    w("random Host headers (Host: rnd-XXXXXXXX.example: an unknown name, which gets the "
      "ServerName's links, so every response comes from one cache entry)")
    w("%-14s %10s %6s %7s %9s %8s %19s %16s %16s %8s" % (
        "URL", "requests", "failed", "seconds", "before MB", "peak MB",
        "after %s MB" % "/".join(map(str, AMP_CHECKPOINTS)), "after, open MB",
        "after, closed MB", "KiB/req"))
    w("-" * 124)
    for h in hosts:
        t, b = h["trail"], h["rss_before"] or 1
        traj = "/".join("%.1f" % (t[k] / 1024) if k in t else "-" for k in AMP_CHECKPOINTS)
        w("%-14s %10s %6d %7.1f %9.1f %8.1f %19s %16s %16s %8.1f" % (
            h["path"], "%d/%d%s" % (h["done"], h["wanted"], "*" if h["capped"] else ""),
            h["failed"], h["seconds"], h["rss_before"] / 1024, h["peak"] / 1024, traj,
            "%.1f (x%.2f)" % (h["rss_open"] / 1024, h["rss_open"] / b),
            "%.1f (x%.2f)" % (h["rss_after"] / 1024, h["rss_after"] / b),
            (h["rss_after"] - h["rss_before"]) / h["done"] if h["done"] else 0))
    w("'before' = VmRSS of the child before the first request; 'after N' = VmRSS %.1fs "
      "after N responses; 'after, open' = %.1fs after the last response, connection(s) "
      "still open;" % (AMP_SETTLE_S, AMP_SETTLE_S))
    w("'after, closed' = %.1fs after closing them; (xR) = after / before; 'KiB/req' = "
      "(after, closed - before) / requests." % AMP_SETTLE_S)
    for h in hosts:
        if h["capped"]:
            w("* %s: stopped at the %.0fs cap, %d connection(s); statuses %s" % (
                h["path"], h["cap_s"], h["conns"], h["statuses"]))
        if not h["same_child"]:
            w("  %s: WARNING: httpd's children changed during the requests" % h["path"])
    for e in A["errors"]:
        w("ERROR: " + e)
    w("error log of the amplification servers: %d error line(s)%s" % (
        len(A["error_lines"]), (": " + A["error_lines"][0][:200]) if A["error_lines"] else ""))
    w("")


# --------------------------------------------------------------------------- parts 4, 5

def parse_h2load(out):
    """h2load's summary in the fields parse_wrk gives: requests/s, requests done,
    4xx/5xx responses (as non-2xx/3xx), failed + errored + timed-out streams (as socket
    errors) and the mean and longest time of a request."""
    def usecs(text):
        m = re.match(r"([\d.]+)(us|ms|s)$", text)
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)] if m else None

    rps = re.search(r"finished in \S+, ([\d.]+) req/s", out)
    req = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                    r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    lat = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if not (rps and req and codes):
        raise RuntimeError("h2load printed no summary:\n" + out)
    failed, errored, timeout = (int(x) for x in req.groups()[4:7])
    return {
        "rps": float(rps.group(1)),
        "requests": int(req.group(3)),
        "non2xx3xx": int(codes.group(3)) + int(codes.group(4)),
        "sockerr": failed + errored + timeout,
        "sockerr_detail": "failed %d, errored %d, timeout %d" % (failed, errored, timeout),
        "lat_avg_us": usecs(lat.group(3)) if lat else None,
        "lat_max_us": usecs(lat.group(2)) if lat else None,
    }


def h2load_cmd(url, headers, duration, clients, streams):
    cmd = [H2LOAD, "-t1", "-c%d" % clients, "-m%d" % streams, "-D%d" % duration]
    for h in headers:
        cmd += ["-H", h]
    return cmd + [url]


def run_h2load(apache, alog, path, headers, duration, clients, streams):
    url = "http://127.0.0.1:%d%s" % (apache.port, path)
    return run_load(apache, alog, h2load_cmd(url, headers, duration, clients, streams),
                    duration, parse_h2load)


def measure_cases(args, apache, rundir, cases, run):
    """Part 1's way, for the cases of another part: a 1-second warm-up of each, then
    ROUNDS rounds in alternating order; RUN(apache, alog, path, headers, seconds) measures
    one. Returns {key: [result of each round]}."""
    alog = AccessLog(os.path.join(rundir, "access.log"))
    log("warm-up: each URL for 1s")
    for key, path, hdrs, want, _ in cases:
        run(apache, alog, path, hdrs, 1)
    results = {key: [] for key, *_ in cases}
    for rnd in range(args.rounds):
        order = cases if rnd % 2 == 0 else list(reversed(cases))
        for key, path, hdrs, want, what in order:
            res = run(apache, alog, path, hdrs, args.duration)
            bad = {st: n for st, n in res["statuses"].items() if st != want}
            res["unexpected"] = sum(bad.values())
            log("round %d  %-11s %9.0f req/s  non-2xx/3xx %d  errors %d  statuses %s"
                % (rnd + 1, key, res["rps"], res["non2xx3xx"], res["sockerr"],
                   res["statuses"]))
            results[key].append(res)
    return results


def start_with_static_copy(args, work, name, tail_extra):
    """An Apache of the sample site, as in part 1, with TAIL_EXTRA appended, and the
    module's /es/ saved as /bench-static/es-index.html (checked byte for byte)."""
    for mod in re.findall(r"LoadModule \S+ (\S+)", tail_extra):
        if not os.path.exists(mod):
            raise RuntimeError("%s is missing (apt-get install apache2)" % mod)
    htdocs = os.path.join(work, "htdocs-" + name)
    os.makedirs(htdocs)
    shutil.copytree(os.path.join(SRCDIR, "htdocs", "assets"), os.path.join(htdocs, "assets"))
    rundir = os.path.join(work, "run-" + name)
    os.makedirs(rundir)
    make_readable(work)
    apache = BenchApache(SAMPLE, rundir=rundir, htdocs=htdocs, reload=1,
                         tail=bench_tail(htdocs) + tail_extra)
    apache.start()
    try:
        st, h, page, _ = get(apache.port, "/es/")
        assert st == 200 and "content-encoding" not in h, "/es/ answered %d" % st
        st, _, feed, _ = get(apache.port, "/es/feed.atom")
        assert st == 200, "/es/feed.atom answered %d" % st
        prepare_htdocs(htdocs, page, feed)
        st, hs, body, _ = get(apache.port, "/bench-static/es-index.html")
        assert st == 200 and body == page, "static copy differs (%d)" % st
        assert hs.get("content-type") == h.get("content-type"), (hs, h)
    except BaseException:
        apache.stop()
        raise
    return apache, rundir, htdocs, page


# One child: h2load's few long-lived connections then always land in the same process
# (with two children, whether 4 connections split 4/0 or 2/2 moves a round's requests/s
# by half, on both rows alike). For these directives the last one wins.
H2_TAIL = """LoadModule http2_module {moddir}/mod_http2.so
Protocols h2c http/1.1
StartServers 1
ServerLimit 1
ThreadsPerChild 32
MaxRequestWorkers 32
MinSpareThreads 1
MaxSpareThreads 32
"""


def nghttp_get(port, path, headers=()):
    """One GET over h2c (prior knowledge) by nghttp: (status, body)."""
    cmd = [NGHTTP, "-v"] + ["-H" + h for h in headers] + [
        "http://127.0.0.1:%d%s" % (port, path)]
    out = subprocess.run(cmd, capture_output=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("nghttp failed: %s\n%s" % (shlex.join(cmd), out.stderr.decode()))
    text = out.stdout.decode("utf-8", "replace")
    m = re.search(r":status: (\d+)", text)
    if not m or "recv SETTINGS" not in text:
        raise RuntimeError("no HTTP/2 response from nghttp:\n" + text[:2000])
    # without -v the body alone: fetch it again that way
    body = subprocess.run(cmd[:1] + cmd[2:], capture_output=True, timeout=60).stdout
    return int(m.group(1)), body


def h2(args, work, report):
    """Part 4: the cached page and the same bytes as a static file, over h2c (h2load,
    the same clients and streams for both)."""
    for tool in (H2LOAD, NGHTTP):
        if not os.access(tool, os.X_OK):
            raise RuntimeError("%s is missing (apt-get install nghttp2-client)" % tool)
    apache, rundir, _, page = start_with_static_copy(
        args, work, "h2", H2_TAIL.format(moddir=MODDIR))
    try:
        for path in ("/es/", "/bench-static/es-index.html"):
            st, body = nghttp_get(apache.port, path)
            if st != 200 or body != page:
                raise RuntimeError("%s over h2c: %d, %d bytes (the page has %d)"
                                   % (path, st, len(body), len(page)))
        cases = [
            ("h2page", "/es/", [], 200, "h2c GET /es/ (module, cached)"),
            ("h2static", "/bench-static/es-index.html", [], 200, "h2c same bytes, static file"),
        ]

        def run(apache, alog, path, hdrs, seconds):
            return run_h2load(apache, alog, path, hdrs, seconds, args.h2_clients,
                              args.h2_streams)

        report.h2 = {
            "cases": cases,
            "results": measure_cases(args, apache, rundir, cases, run),
            "ratios": [("h2c cached page /es/ vs static file", "h2page", "h2static", 1.0)],
            "page_bytes": len(page),
            "version": subprocess.run([H2LOAD, "--version"], capture_output=True,
                                      text=True).stdout.strip(),
            "error_log": apache.read_log(),
        }
    finally:
        apache.stop()


def compression_tail():
    """Debian's compression, as a2enmod deflate (deflate.conf) leaves it, and mod_brotli
    on the same types."""
    return """LoadModule filter_module {m}/mod_filter.so
LoadModule deflate_module {m}/mod_deflate.so
LoadModule brotli_module {m}/mod_brotli.so
AddOutputFilterByType DEFLATE text/html text/plain text/xml text/css text/javascript
AddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript
AddOutputFilterByType DEFLATE application/rss+xml
AddOutputFilterByType DEFLATE application/wasm
AddOutputFilterByType DEFLATE application/xml
AddOutputFilterByType BROTLI_COMPRESS text/html text/plain text/xml text/css
""".format(m=MODDIR)


def raw_get(port, path, headers=()):
    """One GET on a new HTTP/1.1 connection: (every byte of the response as received,
    status, headers dict (lower-case), body)."""
    req = "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n" % (
        path, port, "".join(h + "\r\n" for h in headers))
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(req.encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding") == "chunked":
        plain, rest = b"", body
        while True:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size.split(b";")[0], 16)
            if n == 0:
                break
            plain, rest = plain + rest[:n], rest[n + 2:]
        body = plain
    return data, int(lines[0].split()[1]), hdrs, body


def compression(args, work, report):
    """Part 5: gzip and brotli pages from the module's cache against the same bytes
    compressed per request by mod_deflate and mod_brotli, and against the uncompressed
    static file; and the bytes a browser receives for the home page and its CSS."""
    apache, rundir, htdocs, page = start_with_static_copy(args, work, "compression",
                                                          compression_tail())
    try:
        port = apache.port
        static = "/bench-static/es-index.html"
        sizes = {}
        for key, path, coding in (("gz", "/es/", "gzip"), ("gzstatic", static, "gzip"),
                                  ("br", "/es/", "br"), ("brstatic", static, "br"),
                                  ("plain", static, None)):
            hdrs = {"Accept-Encoding": coding} if coding else {}
            st, h, body, _ = get(port, path, hdrs)
            if st != 200 or h.get("content-encoding") != coding:
                raise RuntimeError("%s with Accept-Encoding %s: %d, Content-Encoding %s"
                                   % (path, coding, st, h.get("content-encoding")))
            if coding == "gzip" and gzip.decompress(body) != page:
                raise RuntimeError("%s: the gzip body is not the page" % path)
            if coding is None and body != page:
                raise RuntimeError("%s: not the page" % path)
            sizes[key] = len(body)
        cases = [
            ("gz", "/es/", ["Accept-Encoding: gzip"], 200, "GET /es/ gzip (module, cached)"),
            ("gzstatic", static, ["Accept-Encoding: gzip"], 200,
             "same bytes, static file + mod_deflate"),
            ("plain", static, [], 200, "same bytes, static file, uncompressed"),
            ("br", "/es/", ["Accept-Encoding: br"], 200, "GET /es/ br (module, cached)"),
            ("brstatic", static, ["Accept-Encoding: br"], 200,
             "same bytes, static file + mod_brotli"),
        ]

        def run(apache, alog, path, hdrs, seconds):
            return run_wrk(apache, alog, path, hdrs, seconds, args.connections)

        results = measure_cases(args, apache, rundir, cases, run)
        # What a browser receives for the home page and its stylesheet(s), over
        # HTTP/1.1 without TLS: every byte of each response, headers included.
        css = re.findall(rb'<link rel="stylesheet" href="(/[^"]+)"', page)
        transfer = []
        for label, accept in (("identity", None), ("gzip", "gzip"), ("br", "br"),
                              ("browser: gzip, deflate, br", "gzip, deflate, br")):
            row = {"label": label, "parts": []}
            for path in ["/es/"] + [c.decode() for c in css]:
                raw, st, h, body = raw_get(port, path,
                                           ["Accept-Encoding: " + accept] if accept else [])
                if st != 200:
                    raise RuntimeError("%s answered %d" % (path, st))
                row["parts"].append((path, h.get("content-encoding") or "identity",
                                     len(raw), len(body)))
            transfer.append(row)
        report.comp = {
            "cases": cases,
            "results": results,
            "ratios": [
                ("gzip   /es/ vs static + mod_deflate", "gz", "gzstatic", 3.0),
                ("gzip   /es/ vs static uncompressed", "gz", "plain", 1.0),
                ("brotli /es/ vs static + mod_brotli", "br", "brstatic", 3.0),
                ("brotli /es/ vs static uncompressed", "br", "plain", 1.0),
            ],
            "page_bytes": len(page),
            "sizes": sizes,
            "transfer": transfer,
            "error_log": apache.read_log(),
        }
    finally:
        apache.stop()


def render_cases(w, cases, R):
    """The table of a part's measured URLs, in part 1's columns."""
    w("%-42s %8s %15s %8s %10s %11s %10s %7s %7s" % (
        "URL", "req/s", "rounds min-max", "lat avg", "srv us/req", "non-2xx/3xx",
        "unexpected", "errors", "other%"))
    w("-" * 126)
    for key, path, hdrs, want, what in cases:
        rs = R[key]
        rps = [r["rps"] for r in rs]
        w("%-42s %8.0f %7.0f-%-7.0f %6.2fms %10.1f %11d %10d %7d %7.0f" % (
            what, med(R, key), min(rps), max(rps), med(R, key, "lat_avg_us") / 1e3,
            med(R, key, "cpu_us_per_req") or 0,
            sum(r["non2xx3xx"] for r in rs), sum(r["unexpected"] for r in rs),
            sum(r["sockerr"] for r in rs), max(r["other_cpu_pct"] for r in rs)))
    for key, *_ in cases:
        for n, r in enumerate(R[key]):
            if r["sockerr"]:
                k0, k1 = r["children"]
                w("  %s, round %d: %s; httpd children %s" % (
                    key, n + 1, r["sockerr_detail"],
                    "unchanged" if k0 == k1 else "%s -> %s" % (k0, k1)))


def render_ratios(w, rep, ratios, R):
    """The ratios of a part with their targets; each is added to rep.ratios (exit status)."""
    w("%-44s %8s %10s   %s" % ("ratio (requests/s)", "median", "per round", "SPEC 8"))
    w("-" * 90)
    if not hasattr(rep, "ratios"):
        rep.ratios = []
    for name, a, b, want in ratios:
        r = med(R, a) / med(R, b) if med(R, b) else 0
        per = ",".join("%.2f" % (x["rps"] / y["rps"]) for x, y in zip(R[a], R[b]) if y["rps"])
        rep.ratios.append((name, r, want))
        w("%-44s %8.2f %10s   %s" % (name, r, per, verdict(r, want)))
    w("server CPU per request, module / other: " + "; ".join(
        "%s/%s %.2f" % (a, b, med(R, a, "cpu_us_per_req") / med(R, b, "cpu_us_per_req"))
        for _, a, b, _ in ratios if med(R, b, "cpu_us_per_req")))


def render_h2(args, H, rep, w):
    w("4. HTTP/2 (h2c, prior knowledge; %s; %d client(s) x %d stream(s), one thread; "
      "/es/ = %d bytes)" % (H["version"], args.h2_clients, args.h2_streams, H["page_bytes"]))
    w("   h2load and Apache share the same cores; loopback only. Event MPM, one child of 32 "
      "threads, sample config with mod_http2, %d round(s) of %ds per URL, median reported."
      % (args.rounds, args.duration))
    w("")
    render_cases(w, H["cases"], H["results"])
    w("'errors' = h2load's failed + errored + timed-out requests; 'non-2xx/3xx' = its 4xx "
      "and 5xx.")
    w("")
    render_ratios(w, rep, H["ratios"], H["results"])
    w("")
    w("h2load command lines (round 1):")
    for key, *_ in H["cases"]:
        w("  " + H["results"][key][0]["cmd"])
    errs = [line for line in H["error_log"].splitlines() if is_error(line)]
    w("error log of the h2 server: %d error line(s)%s" % (
        len(errs), (": " + errs[0][:200]) if errs else ""))
    w("")


def render_compression(args, C, rep, w):
    S = C["sizes"]
    w("5. Compression (wrk -c%d; /es/ = %d bytes: module gzip %d, mod_deflate %d, module br "
      "%d, mod_brotli %d)" % (args.connections, C["page_bytes"], S["gz"], S["gzstatic"],
                              S["br"], S["brstatic"]))
    w("   wrk and Apache share the same cores; loopback only. Event MPM, sample config "
      "with Debian's deflate.conf and mod_brotli, %d round(s) of %ds per URL, median "
      "reported." % (args.rounds, args.duration))
    w("")
    render_cases(w, C["cases"], C["results"])
    w("")
    render_ratios(w, rep, C["ratios"], C["results"])
    w("")
    w("wrk command lines (round 1):")
    for key, *_ in C["cases"]:
        w("  " + C["results"][key][0]["cmd"])
    w("")
    w("home page + stylesheet, bytes received over HTTP/1.1 (headers included; body in "
      "parentheses)")
    w("%-28s %s %12s" % ("Accept-Encoding", "  ".join(
        "%-34s" % p for p, *_ in C["transfer"][0]["parts"]), "total"))
    w("-" * (44 + 36 * len(C["transfer"][0]["parts"])))
    for row in C["transfer"]:
        cells = ["%-34s" % ("%s %d (%d)" % (enc, raw, body))
                 for _, enc, raw, body in row["parts"]]
        total = sum(raw for _, _, raw, _ in row["parts"])
        w("%-28s %s %12d" % (row["label"], "  ".join(cells), total))
    ident = sum(raw for _, _, raw, _ in C["transfer"][0]["parts"])
    for row in C["transfer"][1:]:
        total = sum(raw for _, _, raw, _ in row["parts"])
        w("  %s: %d bytes, %.0f%% of identity's %d" % (row["label"], total,
                                                       100.0 * total / ident, ident))
    errs = [line for line in C["error_log"].splitlines() if is_error(line)]
    w("error log of the compression server: %d error line(s)%s" % (
        len(errs), (": " + errs[0][:200]) if errs else ""))
    w("")


# --------------------------------------------------------------------------- report

class Report:
    pass


def med(results, key, field="rps"):
    vals = [r[field] for r in results[key] if r[field] is not None]
    return statistics.median(vals) if vals else 0.0


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ver = subprocess.run([bilingual_server.HTTPD, "-v"], capture_output=True, text=True)
    ver = ver.stdout.splitlines()[0].split(":", 1)[-1].strip() if ver.stdout else "?"
    return "%d CPU(s), %s; Linux %s; %s; %s" % (os.cpu_count(), cpu, platform.release(), ver,
                                                 subprocess.run([WRK, "-v"], capture_output=True,
                                                                text=True).stdout.split(" Copyright")[0].strip())


def build_id():
    """The commit, whether mod_src/ differs from it, and a hash of the loaded .so."""
    def git(*a):
        r = subprocess.run(["git", "-C", SRCDIR] + list(a), capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else "?"
    with open(bilingual_server.module_path(), "rb") as f:
        so = hashlib.sha1(f.read()).hexdigest()[:12]
    dirty = git("status", "--porcelain", "--", "mod_src")
    return "commit %s%s, mod_bilingual.so sha1 %s" % (
        git("rev-parse", "--short", "HEAD"), " (mod_src/ modified)" if dirty else "", so)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def verdict(ratio, want):
    return "meets >= %.1f" % want if ratio >= want else "BELOW %.1f" % want


def is_error(line):
    """An error-log line at error level or worse, but for the MPM's sizing hint
    (AH10159, from the sample config's MaxRequestWorkers), which is not ours."""
    return (any(t in line for t in (":error]", ":crit]", ":alert]", ":emerg]"))
            and "AH10159" not in line)


def render(args, rep):
    L = []
    w = L.append
    w("mod_bilingual benchmark, %s" % rep.date)
    w("machine: %s" % machine())
    w("build: %s" % rep.build)
    w("load average before the run: %s" % rep.load0)
    if rep.build_end.split("sha1")[-1] != rep.build.split("sha1")[-1]:
        w("WARNING: mod_bilingual.so changed during the run (now %s): rerun"
          % rep.build_end)
    if hasattr(rep, "results"):
        w("wrk and Apache share the same cores; loopback only. Event MPM, sample config "
          "(access log on), %d round(s) of %ds per URL, median reported."
          % (args.rounds, args.duration))
    w("")
    if hasattr(rep, "results"):
        R = rep.results
        w("1. Throughput (one Apache, one config; /es/ = %d bytes, feed = %d bytes; "
          "SSI parts %s bytes)" % (rep.page_bytes, rep.feed_bytes,
                                   "+".join(str(s) for s in rep.part_sizes)))
        w("")
        w("%-38s %8s %15s %8s %10s %11s %10s %7s %7s" % (
            "URL", "req/s", "rounds min-max", "lat avg", "srv us/req", "non-2xx/3xx",
            "unexpected", "sockerr", "other%"))
        w("-" * 122)
        for key, path, hdrs, want, what in rep.cases:
            rs = R[key]
            rps = [r["rps"] for r in rs]
            w("%-38s %8.0f %7.0f-%-7.0f %6.2fms %10.1f %11d %10d %7d %7.0f" % (
                what, med(R, key), min(rps), max(rps), med(R, key, "lat_avg_us") / 1e3,
                med(R, key, "cpu_us_per_req") or 0,
                sum(r["non2xx3xx"] for r in rs), sum(r["unexpected"] for r in rs),
                sum(r["sockerr"] for r in rs), max(r["other_cpu_pct"] for r in rs)))
        w("")
        w("'srv us/req' = CPU time of all Apache processes during the run / requests "
          "(independent of wrk's share of the CPU).")
        w("'unexpected' = responses in the access log whose status is not the one the row "
          "measures (200, 302 or 304); 'sockerr' = wrk's socket errors (connect, read, "
          "write, timeout).")
        w("'other%' = the most CPU (% of one core, user+system) used during a round by "
          "processes other than this httpd and wrk: above ~10% other jobs shared the "
          "machine and the rounds are noisier.")
        for key, *_ in rep.cases:
            for n, r in enumerate(R[key]):
                if r["sockerr"]:
                    k0, k1 = r["children"]
                    w("  %s, round %d: %s; httpd children %s" % (
                        key, n + 1, r["sockerr_detail"],
                        "unchanged" if k0 == k1 else "%s -> %s" % (k0, k1)))
        w("")
        ratios = [
            ("cached page   /es/ vs static file", "page", "static", 1.0),
            ("negotiated    / (302) vs static file", "neg", "static", 1.0),
            ("feed          /es/feed.atom vs static file", "feed", "feedstatic", 1.0),
            ("304           /es/ vs static file", "inm", "inmstatic", 1.0),
            ("page vs mod_include (SSI, 5 includes)", "page", "ssi", 2.0),
        ]
        rep.ratios = []
        w("%-44s %8s %10s   %s" % ("ratio (requests/s)", "median", "per round", "SPEC 8"))
        w("-" * 90)
        for name, a, b, want in ratios:
            r = med(R, a) / med(R, b) if med(R, b) else 0
            per = ",".join("%.2f" % (x["rps"] / y["rps"]) for x, y in zip(R[a], R[b])
                           if y["rps"])
            rep.ratios.append((name, r, want))
            w("%-44s %8.2f %10s   %s" % (name, r, per, verdict(r, want)))
        w("")
        cpu_ratios = [("page", "static"), ("feed", "feedstatic"), ("inm", "inmstatic"),
                      ("page", "ssi")]
        w("server CPU per request, module / other: " + "; ".join(
            "%s/%s %.2f" % (a, b, med(R, a, "cpu_us_per_req") / med(R, b, "cpu_us_per_req"))
            for a, b in cpu_ratios if med(R, b, "cpu_us_per_req")))
        w("negotiated request: Accept-Language: es-MX, en;q=0.5 -> Location: %s"
          % rep.neg_location)
        w("")
        w("wrk command lines (round 1):")
        for key, *_ in rep.cases:
            w("  " + R[key][0]["cmd"])
        w("")
        w("sample site: first 200 for /es/ %.2fs after starting httpd" % rep.startup_sample)
        w("")
    if hasattr(rep, "h2"):
        render_h2(args, rep.h2, rep, w)
    if hasattr(rep, "comp"):
        render_compression(args, rep.comp, rep, w)
    if hasattr(rep, "big"):
        B = rep.big
        w("2. A site of %d events + %d press releases (generated in %.1fs)"
          % (args.events, args.press, rep.gen_s))
        if getattr(rep, "check", None):
            rc, secs, tail = rep.check
            w("   bilingual-check: exit %d in %.1fs: %s" % (rc, secs, " | ".join(tail)))
        w("")
        w("%-58s %12s" % ("after start", ""))
        w("-" * 72)
        rows = [
            ("httpd started -> port accepts (before content is loaded)",
             B["listening_s"], "s"),
            ("httpd started -> first 200 for /es/", B["first_home_since_start_s"], "s"),
            ("httpd started -> first 200 for /es/feed.atom", B["first_feed_since_start_s"], "s"),
            ("  that first /es/ request (queued while content loads)",
             B["first_home_s"] * 1e3, "ms"),
            ("first /es/feed.atom request (%d bytes)" % B["first_feed_bytes"],
             B["first_feed_s"] * 1e3, "ms"),
            ("first /en/ request (renders the home page with lists)",
             B["first_en_home_s"] * 1e3, "ms"),
            ("first /es/events/SLUG request", B["first_event_s"] * 1e3, "ms"),
            ("first /es/press/SLUG request", B["first_release_s"] * 1e3, "ms"),
            ("first /es/events/ (page 1 of %d events, %d bytes)" % (args.events,
                                                             B["first_events_list_bytes"]),
             B["first_events_list_s"] * 1e3, "ms"),
            ("same /es/feed.atom, /en/, /es/events/ again (cached)",
             None, "%.1f / %.1f / %.1f ms" % (B["cached_feed_s"] * 1e3,
                                               B["cached_en_home_s"] * 1e3,
                                               B["cached_events_list_s"] * 1e3)),
            ("idle CPU of all httpd processes (%d children watching)"
             % len(B["mem_before"][2]), B["idle_cpu_pct"], "% of a core"),
        ]
        for name, val, unit in rows:
            w("%-58s %12s" % (name, unit if val is None else "%.2f %s" % (val, unit)))
        w("")
        w("after a reload (edit one event file; BilingualReloadInterval 1)")
        w("-" * 72)
        T = B["reloads"]
        for name, key, scale, unit in [
                ("edit -> the edited event page served", "pickup_s", 1, "s"),
                ("first /es/ of the new snapshot", "first_home_s", 1e3, "ms"),
                ("first /es/feed.atom of the new snapshot", "first_feed_s", 1e3, "ms"),
                ("first /es/events/SLUG of the new snapshot", "first_event_s", 1e3, "ms"),
                ("/es/ again (cached)", "cached_home_s", 1e3, "ms"),
                ("slowest /es/ from a 2nd connection meanwhile", "bg_max_s", 1e3, "ms")]:
            vals = [t[key] * scale for t in T]
            w("%-58s %12s" % (name, " ".join("%.2f" % v for v in vals) + " " + unit))
        w("%-58s %12s" % ("requests from the 2nd connection / failed",
                          "%d / %d" % (sum(t["bg_requests"] for t in T),
                                       sum(t["bg_failures"] for t in T))))
        w("")
        w("memory per child (KiB -> MB: /1024); parent pid %d" % B["mem_before"][0])
        w("-" * 72)

        def memrows(title, snap):
            ppid, pmem, kids = snap
            w("  %s" % title)
            w("    %-8s %10s %10s %10s" % ("pid", "VmRSS MB", "RssAnon MB", "Pss MB"))
            w("    %-8s %10.1f %10.1f %10.1f" % ("parent", pmem.get("VmRSS", 0) / 1024,
                                                 pmem.get("RssAnon", 0) / 1024,
                                                 pmem.get("Pss", 0) / 1024))
            for pid, m in sorted(kids.items()):
                w("    %-8d %10.1f %10.1f %10.1f" % (pid, m.get("VmRSS", 0) / 1024,
                                                     m.get("RssAnon", 0) / 1024,
                                                     m.get("Pss", 0) / 1024))
        memrows("before warm-up", B["mem_before"])
        memrows("after %d distinct /es/events/SLUG in %.1fs (statuses %s)"
                % (B["warm_n"], B["warm_s"], B["warm_statuses"]), B["mem_after"])
        if "mem_after_all" in B:
            memrows("after all %d item URLs, both languages, in %.1fs (statuses %s)"
                    % (B["warm_all_n"], B["warm_all_s"], B["warm_all_statuses"]),
                    B["mem_after_all"])
        memrows("after the %d reload(s) above (each child now serves a new snapshot)"
                % len(B["reloads"]), B["mem_after_reloads"])
        errs = [l for l in B.get("error_log", "").splitlines()
                if is_error(l)]
        w("")
        w("error log of the 10,000-item server: %d error line(s)%s" % (
            len(errs), (": " + errs[0][:200]) if errs else ""))
    if hasattr(rep, "amp"):
        if hasattr(rep, "big") or hasattr(rep, "results"):
            w("")
        render_amplification(args, rep.amp, w)
    if hasattr(rep, "results"):
        errs = [l for l in getattr(rep, "error_log_sample", "").splitlines()
                if is_error(l)]
        w("error log of the throughput server: %d error line(s)%s" % (
            len(errs), (": " + errs[0][:200]) if errs else ""))
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="1 round of 2s per URL, 1 reload, no 20,000-URL warm-up, "
                    "10s of random Hosts (about 2 minutes)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--press", type=int, default=5000)
    ap.add_argument("--warm", type=int, default=400, help="distinct URLs in the warm-up")
    ap.add_argument("--no-warm-all", dest="warm_all", action="store_false",
                    help="skip requesting every item URL in both languages (20,000 URLs)")
    ap.add_argument("--reloads", type=int, default=3)
    ap.add_argument("--idle", type=float, default=3.0, help="seconds of idle CPU sampling")
    ap.add_argument("--amp-host-requests", type=int, default=1000,
                    help="requests with a random Host per URL in the amplification part")
    ap.add_argument("--amp-host-seconds", type=float, default=60,
                    help="wall-clock cap on those requests, per URL")
    ap.add_argument("--amp-connections", type=int, default=1,
                    help="concurrent connections for those requests")
    ap.add_argument("--amp-timeout", type=float, default=90,
                    help="seconds one amplification request may take")
    ap.add_argument("--h2-clients", type=int, default=4,
                    help="h2load connections in part 4 (h2)")
    ap.add_argument("--h2-streams", type=int, default=16,
                    help="h2load concurrent streams per connection in part 4 (h2)")
    ap.add_argument("--only", choices=["throughput", "big", "amplification", "h2",
                                       "compression"],
                    help="run one part only")
    ap.add_argument("--keep", action="store_true", help="keep bench/results/work")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.duration, args.reloads, args.idle = 1, 2, 1, 2.0
        args.warm_all = False
        args.amp_host_seconds = min(args.amp_host_seconds, 10)
    if args.events < 5000:
        sys.exit("--events must be at least 5000 (the URLs used assume it)")
    so = bilingual_server.module_path()
    if not os.path.exists(so):
        sys.exit("%s is missing: run make first" % so)
    os.makedirs(RESULTS, exist_ok=True)
    work = os.path.join(RESULTS, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rep = Report()
    rep.date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    rep.build, rep.load0 = build_id(), loadavg()
    t0 = time.perf_counter()
    try:
        if args.only in (None, "throughput"):
            log("part 1: throughput (%d round(s) x 8 URLs x %ds)" % (args.rounds, args.duration))
            throughput(args, work, rep)
        if args.only in (None, "h2"):
            log("part 4: h2 (%d round(s) x 2 URLs x %ds, h2load -c%d -m%d)"
                % (args.rounds, args.duration, args.h2_clients, args.h2_streams))
            h2(args, work, rep)
        if args.only in (None, "compression"):
            log("part 5: compression (%d round(s) x 5 URLs x %ds)" % (args.rounds,
                                                                      args.duration))
            compression(args, work, rep)
        if args.only in (None, "big"):
            log("part 2: %d events + %d press releases" % (args.events, args.press))
            big_site(args, work, rep)
        if args.only in (None, "amplification"):
            log("part 3: amplification (memory per output byte, one child)")
            amplification(args, work, rep)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rep.build_end, rep.load1 = build_id(), loadavg()
    text = render(args, rep)
    text += "total bench time: %.0fs\n" % (time.perf_counter() - t0)
    with open(os.path.join(RESULTS, "latest.txt"), "w") as f:
        f.write(text)
    print()
    print(text, end="")
    print("written to %s" % os.path.relpath(os.path.join(RESULTS, "latest.txt")))
    measured = [getattr(rep, "results", {})] + [getattr(rep, part)["results"]
                                                for part in ("h2", "comp")
                                                if hasattr(rep, part)]
    bad = (any(r < want for _, r, want in getattr(rep, "ratios", []))
           or any(sum(r["non2xx3xx"] + r["unexpected"] + (r["sockerr"] if r["cmd"].startswith(
               H2LOAD) else 0) for r in rs) for R in measured for rs in R.values())
           or (hasattr(rep, "amp") and bool(rep.amp["errors"])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
