"""A private Apache running mod_bilingual on 127.0.0.1, for the sample site and tests.

The configuration comes from conf/httpd-sample.conf.in; nothing of the system Apache's
configuration is read or changed. Used by scripts/serve.sh (foreground) and by the
integration tests (background, one server per test session or per test).
"""
import argparse
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRCDIR = os.environ.get("BL_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("BL_BUILDDIR") or SRCDIR
HTTPD = os.environ.get("BL_HTTPD") or "/usr/sbin/apache2"
MODDIR = "/usr/lib/apache2/modules"


def module_path():
    return os.path.join(BUILDDIR, "mod_src", ".libs", "mod_bilingual.so")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_user():
    """The User/Group lines: children drop root for www-data; as a user, nothing."""
    if os.geteuid() != 0:
        return ""
    try:
        pwd.getpwnam("www-data")
        return "User www-data\nGroup www-data"
    except KeyError:
        return "User nobody\nGroup nogroup"


class Apache:
    """One Apache with one content folder."""

    def __init__(self, content, port=None, rundir=None, langs="es en", reload=1,
                 feedsize=20, extra="", mpm="event", htdocs=None, after=""):
        self.content = os.path.abspath(content)
        self.htdocs = os.path.abspath(htdocs or os.path.dirname(self.content))
        self.port = port or free_port()
        self.rundir = rundir or tempfile.mkdtemp(prefix="bilingual-run-")
        os.chmod(self.rundir, 0o755)
        self.langs, self.reload, self.feedsize = langs, reload, feedsize
        self.extra, self.mpm = extra, mpm
        self.after = after   # appended at the end: after the sample's <Location /> sections
        self.conf = os.path.join(self.rundir, "httpd.conf")
        self.error_log = os.path.join(self.rundir, "error.log")
        self.proc = None
        self.log_offset = 0

    def write_conf(self):
        with open(os.path.join(SRCDIR, "conf", "httpd-sample.conf.in")) as f:
            text = f.read()
        if self.mpm == "prefork":
            mpmconf = ("StartServers 2\nMinSpareServers 2\nMaxSpareServers 6\n"
                       "ServerLimit 32\nMaxRequestWorkers 16")
        else:
            # Room in the scoreboard for old children finishing after a graceful restart.
            mpmconf = ("StartServers 2\nServerLimit 8\nThreadsPerChild 16\n"
                       "MaxRequestWorkers 64\nMinSpareThreads 16\nMaxSpareThreads 48")
        values = {
            "RUNDIR": self.rundir, "PORT": str(self.port), "USER": run_user(),
            "MPM": self.mpm, "MODDIR": MODDIR, "MODULE": module_path(),
            "MPMCONF": mpmconf, "HTDOCS": self.htdocs, "CONTENT": self.content,
            "LANGS": self.langs, "RELOAD": str(self.reload),
            "FEEDSIZE": str(self.feedsize), "EXTRA": self.extra,
        }
        for k, v in values.items():
            text = text.replace("@%s@" % k, v)
        if self.after:
            text += "\n" + self.after + "\n"
        with open(self.conf, "w") as f:
            f.write(text)
        return self.conf

    def configtest(self):
        self.write_conf()
        return subprocess.run([HTTPD, "-f", self.conf, "-t"], capture_output=True,
                              text=True, env=self.env())

    def env(self):
        """The environment of httpd: with BL_ASAN=1 (a build configured with
        --enable-sanitizers), the ASan runtime preloaded and its reports written to
        asan.PID files in the run folder, which the suite fails on."""
        env = dict(os.environ)
        if os.environ.get("BL_ASAN"):
            lib = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                                 text=True).stdout.strip()
            logs = os.path.join(self.rundir, "asan")
            os.makedirs(logs, exist_ok=True)
            os.chmod(logs, 0o1777)
            env["LD_PRELOAD"] = lib
            env["ASAN_OPTIONS"] = "detect_leaks=0:log_path=%s/asan" % logs
            env["UBSAN_OPTIONS"] = "print_stacktrace=1:log_path=%s/ubsan" % logs
        return env

    def sanitizer_reports(self):
        """The ASan/UBSan reports written so far (BL_ASAN=1 only)."""
        logs = os.path.join(self.rundir, "asan")
        if not os.path.isdir(logs):
            return []
        found = []
        for name in sorted(os.listdir(logs)):
            with open(os.path.join(logs, name), errors="replace") as f:
                found.append(f.read())
        return found

    def start(self, timeout=15):
        self.write_conf()
        # A session of its own: prefork's parent signals its whole process group on
        # shutdown, which must not reach pytest.
        self.proc = subprocess.Popen([HTTPD, "-f", self.conf, "-DFOREGROUND"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=self.env())
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace")
                raise RuntimeError("apache exited: %s\n%s" % (out, self.read_log()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("apache did not start on port %d" % self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            # graceful-stop: children finish and exit on their own. A SIGTERM stop
            # makes the event MPM's children crash now and then at exit (about 2 in
            # 100 stops here, with or without this module loaded), which the suite
            # would take for a crash of the module.
            self.proc.send_signal(signal.SIGWINCH)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None

    def cleanup(self):
        """Removes the run folder (logs, config) when it was a temporary one."""
        if os.path.basename(self.rundir).startswith("bilingual-run-"):
            shutil.rmtree(self.rundir, ignore_errors=True)

    def graceful(self):
        self.proc.send_signal(signal.SIGUSR1)

    def read_log(self):
        try:
            with open(self.error_log, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def new_log(self):
        """Returns the error log written since the last call."""
        text = self.read_log()
        new = text[self.log_offset:]
        self.log_offset = len(text)
        return new


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--content", default=os.path.join(SRCDIR, "htdocs", "content"))
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--rundir", default=None,
                    help="default: run/ for port 8080, run-PORT/ for another port")
    args = ap.parse_args()
    if args.rundir is None:
        args.rundir = os.path.join(SRCDIR, "run" if args.port == 8080 else "run-%d" % args.port)
    os.makedirs(args.rundir, exist_ok=True)
    # the admin's view of what is loaded, for this machine only
    apache = Apache(args.content, port=args.port, rundir=args.rundir, reload=2,
                    after="<Location /bilingual-status>\n    SetHandler bilingual-status\n"
                          "    Require local\n</Location>")
    apache.write_conf()
    print("mod_bilingual: serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)"
          % (args.content, args.port), flush=True)
    print("mod_bilingual: config %s, error log %s" % (apache.conf, apache.error_log),
          flush=True)
    print("mod_bilingual: what is loaded: http://127.0.0.1:%d/bilingual-status" % args.port,
          flush=True)
    os.execv(HTTPD, [HTTPD, "-f", apache.conf, "-DFOREGROUND"])


if __name__ == "__main__":
    main()
