"""Fixtures of the integration suite: a real Apache with mod_bilingual on 127.0.0.1.

`site` is a session-wide server over a private copy of the sample content (read-only
tests use it). `fresh_site` is a server of its own over its own copy, for tests that
edit content or need other directives: `fresh_site(langs="es en fr", reload=1)`.
After every test the error log written during it is checked: any line at level
error or above, or a child that died of a signal, fails the test, unless the test
declared it with `expect_log(regex)`.
"""
import http.client
import os
import re
import shutil
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from bilingual_server import SRCDIR, Apache  # noqa: E402

SAMPLE = os.path.join(SRCDIR, "htdocs")
# Lines that fail a test: error level and above, and a child that died of a signal
# (httpd logs that at notice level).
BAD_LEVELS = re.compile(r"\[[a-z_0-9]+:(error|crit|alert|emerg)\]|exit signal")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body                # bytes

    def header(self, name):
        vals = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(vals) if vals else None

    def header_list(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8")


class Server:
    """A running Apache plus helpers to talk to it and to edit its content."""

    def __init__(self, apache):
        self.apache = apache
        self.port = apache.port
        self.base = "http://127.0.0.1:%d" % apache.port
        self.content = apache.content
        self.expected = []

    def request(self, method, path, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            headers = dict(headers or {})
            # one request per connection, said so: no keep-alive connection is left
            # open at a graceful restart (where the event MPM logs AH03093 for it)
            if not any(k.lower() == "connection" for k in headers):
                headers["Connection"] = "close"
            for k, v in headers.items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data)
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def head(self, path, headers=None):
        return self.request("HEAD", path, headers)

    def write(self, rel, text, mtime_bump=True):
        """Writes a content file (atomically, like an editor's save)."""
        path = os.path.join(self.content, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp~"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        if mtime_bump:
            t = time.time() + 1
            os.utime(path, (t, t))

    def remove(self, rel):
        os.remove(os.path.join(self.content, rel))

    def wait_for(self, predicate, timeout=10.0):
        """Polls PREDICATE (a function of no arguments) until it is true."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return False


def copy_sample():
    root = tempfile.mkdtemp(prefix="bilingual-htdocs-")
    os.chmod(root, 0o755)
    dst = os.path.join(root, "htdocs")
    shutil.copytree(SAMPLE, dst)
    for d, dirs, files in os.walk(dst):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)
    return dst


def _check_log(server, request):
    log = server.apache.new_log()
    bad = [line for line in log.splitlines() if BAD_LEVELS.search(line)]
    bad = [line for line in bad if not any(re.search(e, line) for e in server.expected)]
    server.expected = []
    if bad:
        pytest.fail("unexpected errors in the error log:\n" + "\n".join(bad))
    reports = server.apache.sanitizer_reports()
    if reports:
        pytest.fail("sanitizer reports (BL_ASAN=1):\n" + "\n".join(reports))


@pytest.fixture(scope="session")
def _session_site():
    htdocs = copy_sample()
    apache = Apache(os.path.join(htdocs, "content"), reload=1).start()
    server = Server(apache)
    apache.new_log()
    yield server
    apache.stop()
    crashed = [line for line in apache.read_log().splitlines() if "exit signal" in line]
    apache.cleanup()
    shutil.rmtree(os.path.dirname(htdocs), ignore_errors=True)
    if crashed:
        pytest.fail("a child of the shared server died of a signal:\n" + "\n".join(crashed))


@pytest.fixture
def site(_session_site, request):
    """The shared server over the sample content (do not edit its content)."""
    _session_site.apache.new_log()
    yield _session_site
    _check_log(_session_site, request)


@pytest.fixture
def fresh_site(request):
    """A factory of servers of the test's own, over their own copy of the sample."""
    started = []

    def make(**kw):
        htdocs = copy_sample()
        apache = Apache(os.path.join(htdocs, "content"), **kw).start()
        server = Server(apache)
        started.append(server)
        return server

    yield make
    try:
        for server in started:
            _check_log(server, request)
    finally:
        crashed = []
        for server in started:
            server.apache.stop()
            crashed += [line for line in server.apache.read_log().splitlines()
                        if "exit signal" in line]
            server.apache.cleanup()
            shutil.rmtree(os.path.dirname(server.apache.htdocs), ignore_errors=True)
        if crashed:
            pytest.fail("a child died of a signal:\n" + "\n".join(crashed))


@pytest.fixture
def expect_log():
    """Declares an error-log line (regex) the test expects, on a given server."""
    def declare(server, regex):
        server.expected.append(regex)
    return declare
