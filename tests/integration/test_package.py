"""The Debian packaging (debian/) and `make install`, checked cheaply on every run.

The full check, which builds the package (`dpkg-buildpackage`), runs lintian, installs
it, enables the module and the example site against the system's /etc/apache2 and
purges it again, is `sh scripts/package.sh --install` (root, a test machine): it
installs packages and edits the system configuration, which this suite never does.
Here:

- debian/changelog, debian/control and debian/copyright parse, and agree with
  configure.ac (version, the build dependencies configure asks for) and with
  scripts/deps.sh (which installs them);
- debian/rules uses debhelper 13 and dh_apache2, and does not run the test suite;
- `make install DESTDIR=...` of this build installs exactly what
  debian/libapache2-mod-bilingual.install lists, with the conf snippets in
  mods-available; the .docs and .examples lists name files that exist;
- the conf snippets load the module and change nothing else: their commented defaults
  are the documented ones and pass configtest, and a server with the module enabled
  through them serves a static site exactly as without it;
- the manual page documents every option of the tool's usage line.
"""
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

from bilingual_server import BUILDDIR, HTTPD, MODDIR, SRCDIR, free_port, module_path, run_user

DEBIAN = os.path.join(SRCDIR, "debian")
PKG = "libapache2-mod-bilingual"


def read(*parts):
    with open(os.path.join(SRCDIR, *parts), encoding="utf-8") as f:
        return f.read()


def deb822(text):
    """The paragraphs of a deb822 file (debian/control, debian/copyright), as lists of
    dicts; continuation lines are joined with newlines."""
    paragraphs, current, field = [], {}, None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                paragraphs.append(current)
            current, field = {}, None
            continue
        if line[0] in " \t":
            assert field is not None, "continuation line without a field: %r" % line
            current[field] += "\n" + line.strip()
            continue
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9-]*):(.*)$", line)
        assert m, "not a field: %r" % line
        field = m.group(1)
        assert field not in current, "field %s twice in a paragraph" % field
        current[field] = m.group(2).strip()
    if current:
        paragraphs.append(current)
    return paragraphs


def relation_names(value):
    """The package names of a relationship field (alternatives included)."""
    names = []
    for rel in value.replace("\n", " ").split(","):
        for alt in rel.split("|"):
            alt = alt.strip()
            if alt:
                names.append(re.match(r"^[a-z0-9][a-z0-9+.-]*", alt).group(0))
    return names


def upstream_version():
    return re.search(r"AC_INIT\(\[mod_bilingual\],\s*\[([^\]]+)\]", read("configure.ac")).group(1)


def changelog(field):
    result = subprocess.run(["dpkg-parsechangelog", "-l", os.path.join(DEBIAN, "changelog"),
                             "-S", field], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def control():
    paragraphs = deb822(read("debian", "control"))
    assert len(paragraphs) == 2, "one source and one binary paragraph"
    return paragraphs


def list_file(name):
    """The entries of a debhelper list file (debian/PKG.NAME), comments dropped."""
    entries = []
    for line in read("debian", "%s.%s" % (PKG, name)).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


# ---------------------------------------------------------------- debian/ parses

def test_changelog_parses_and_matches_configure():
    assert changelog("Source") == "mod-bilingual"
    version = changelog("Version")
    assert re.match(r"^\d[0-9.]*-\d+$", version), version
    assert version.rsplit("-", 1)[0] == upstream_version()
    assert changelog("Distribution") in ("unstable", "UNRELEASED", "bookworm")
    assert re.search(r"<[^@\s]+@[^>\s]+>", changelog("Maintainer"))


def test_control_parses():
    source, binary = control()
    assert source["Source"] == changelog("Source")
    assert source["Maintainer"] == changelog("Maintainer")
    assert source["Section"] == "httpd"
    assert source["Rules-Requires-Root"] == "no"
    assert re.match(r"^\d+\.\d+\.\d+(\.\d+)?$", source["Standards-Version"])
    assert binary["Package"] == PKG
    assert binary["Architecture"] == "any"
    depends = binary["Depends"]
    assert "${misc:Depends}" in depends and "${shlibs:Depends}" in depends
    summary, _, long_description = binary["Description"].partition("\n")
    assert summary and len(summary) <= 80 and long_description
    # debhelper 13 through Build-Depends alone; no debian/compat beside it
    assert "debhelper-compat (= 13)" in source["Build-Depends"]
    assert not os.path.exists(os.path.join(DEBIAN, "compat"))
    assert read("debian", "source", "format").strip() in ("3.0 (quilt)", "3.0 (native)")


def test_build_depends_cover_configure_and_are_installed_by_deps_sh():
    """Every Debian package configure.ac names for a missing library is a build
    dependency, and scripts/deps.sh installs every build dependency except debhelper
    (which scripts/package.sh asks for)."""
    build_depends = set(relation_names(control()[0]["Build-Depends"]))
    wanted = set(re.findall(r"install the Debian package ([a-z0-9][a-z0-9+.-]*)",
                            read("configure.ac")))
    assert wanted, "configure.ac names its Debian packages"
    assert wanted <= build_depends, wanted - build_depends
    assert {"dh-apache2", "apache2-dev", "pkg-config"} <= build_depends
    deps_sh = set(re.search(r'PKGS="([^"]*)"', read("scripts", "deps.sh")).group(1).split())
    # dh-apache2 is a virtual package provided by apache2-dev
    missing = build_depends - deps_sh - {"debhelper-compat", "dh-apache2"}
    assert not missing, "build dependencies scripts/deps.sh does not install: %s" % missing


def test_copyright_is_machine_readable():
    paragraphs = deb822(read("debian", "copyright"))
    assert paragraphs[0]["Format"].startswith(
        "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0")
    files = [p for p in paragraphs if "Files" in p]
    assert files[0]["Files"] == "*" and files[0]["License"] == "Apache-2.0"
    licenses = {p["License"].split("\n")[0] for p in paragraphs if "License" in p}
    standalone = {p["License"].split("\n")[0] for p in paragraphs
                  if "License" in p and "Files" not in p}
    # every short name used is either spelled out where used or in a paragraph of its own
    for p in files:
        name, _, text = p["License"].partition("\n")
        assert text or name in standalone, name
    assert "Apache-2.0" in licenses
    # the third-party file the source carries is named
    assert any(p["Files"] == "tests/integration/atom.rng" for p in files)


def test_rules_use_dh_apache2_and_skip_the_test_suite():
    path = os.path.join(DEBIAN, "rules")
    assert os.access(path, os.X_OK), "debian/rules must be executable"
    rules = read("debian", "rules")
    assert rules.startswith("#!/usr/bin/make -f\n")
    assert re.search(r"^\tdh \$@ --with apache2$", rules, re.M)
    # the suite starts Apache instances and Node.js clients: not at build time
    m = re.search(r"^override_dh_auto_test:\n((?:\t.*\n)*)", rules, re.M)
    assert m, "debian/rules overrides dh_auto_test"
    assert "make" not in m.group(1) and "dh_auto_test" not in m.group(1)
    assert "BILINGUAL_CONFDIR=/etc/apache2/mods-available" in rules


# ---------------------------------------------------------------- what gets installed

def test_docs_and_examples_lists_name_existing_files():
    docs = list_file("docs")
    found = {os.path.relpath(p, SRCDIR) for entry in docs
             for p in glob.glob(os.path.join(SRCDIR, entry))}
    for entry in docs:
        assert glob.glob(os.path.join(SRCDIR, entry)), "debian/%s.docs: %s" % (PKG, entry)
    markdown = {os.path.relpath(p, SRCDIR) for p in glob.glob(os.path.join(SRCDIR, "docs", "*.md"))}
    assert {"README.md"} | markdown <= found
    # flat in /usr/share/doc/PKG/: no two files of the same name
    names = [os.path.basename(p) for p in found]
    assert len(names) == len(set(names)), names
    assert list_file("examples") == ["conf/example-vhost.conf"]
    assert os.path.isfile(os.path.join(SRCDIR, "conf", "example-vhost.conf"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """`make install` of this build into a DESTDIR, with the prefix and conf folder of
    the Debian build (debian/rules); returns the DESTDIR."""
    dest = str(tmp_path_factory.mktemp("destdir"))
    make = ["make", "-s", "prefix=/usr", "DESTDIR=" + dest,
            "BILINGUAL_CONFDIR=/etc/apache2/mods-available"]
    for args in (["-C", os.path.join(BUILDDIR, "mod_src"), "install"],
                 ["-C", BUILDDIR, "install-man"]):
        result = subprocess.run(make + args, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    return dest


def installed_files(dest):
    found = set()
    for root, _, files in os.walk(dest):
        for name in files:
            found.add(os.path.relpath(os.path.join(root, name), dest))
    return found


def test_install_list_is_what_make_install_installs(installed):
    """dh_install takes these from debian/tmp; dh_missing fails the build on a file
    installed but not listed."""
    assert sorted(list_file("install")) == sorted(installed_files(installed))


def test_make_install_conf_snippets(installed):
    avail = os.path.join(installed, "etc", "apache2", "mods-available")
    # the Debian path of the module is conf/bilingual.load's: installed byte for byte
    with open(os.path.join(avail, "bilingual.load")) as f:
        assert f.read() == read("conf", "bilingual.load")
    with open(os.path.join(avail, "bilingual.conf")) as f:
        assert f.read() == read("conf", "bilingual.conf")
    mode = os.stat(os.path.join(avail, "bilingual.load")).st_mode & 0o777
    assert mode == 0o644
    assert os.path.isfile(os.path.join(installed, "usr", "lib", "apache2", "modules",
                                       "mod_bilingual.so"))
    assert os.access(os.path.join(installed, "usr", "bin", "bilingual-check"), os.X_OK)


def test_make_uninstall_removes_what_install_installed(tmp_path):
    dest = str(tmp_path / "dest")
    make = ["make", "-s", "prefix=/usr", "DESTDIR=" + dest,
            "BILINGUAL_CONFDIR=/etc/apache2/mods-available"]
    for target in ("install", "uninstall"):
        result = subprocess.run(make + ["-C", os.path.join(BUILDDIR, "mod_src"), target],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        result = subprocess.run(make + ["-C", BUILDDIR, target + "-man"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    assert installed_files(dest) == set()


def test_make_uninstall_refuses_while_the_module_is_enabled(tmp_path):
    """Without DESTDIR, `make uninstall` stops before removing anything while
    mods-enabled/bilingual.load exists: httpd would not start without the module."""
    etc = tmp_path / "apache2"
    (etc / "mods-available").mkdir(parents=True)
    (etc / "mods-enabled").mkdir()
    (etc / "mods-enabled" / "bilingual.load").symlink_to("../mods-available/bilingual.load")
    result = subprocess.run(
        ["make", "-s", "-C", os.path.join(BUILDDIR, "mod_src"), "uninstall",
         "prefix=%s" % (tmp_path / "prefix"), "BILINGUAL_CONFDIR=%s" % (etc / "mods-available")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "a2dismod bilingual" in result.stderr


# ---------------------------------------------------------------- the conf snippets

def directives(text):
    """The non-comment lines of an httpd configuration text."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_load_snippet_only_loads_the_module():
    assert directives(read("conf", "bilingual.load")) == [
        "LoadModule bilingual_module %s/mod_bilingual.so" % MODDIR]


def test_conf_snippet_sets_nothing_and_shows_the_documented_defaults():
    conf = read("conf", "bilingual.conf")
    assert directives(conf) == ["<IfModule bilingual_module>", "</IfModule>"]
    shown = re.findall(r"^\s*#(Bilingual\w+ .+)$", conf, re.M)
    assert len(shown) >= 5
    documented = set(re.findall(r"\*\*Default:\*\* \| `(Bilingual\w+ [^`]+)`",
                                read("docs", "directives.md")))
    for line in shown:
        assert line.strip() in documented, line


def write_httpd_conf(rundir, port, extra):
    """A minimal private httpd configuration: the built module, static files."""
    www = os.path.join(rundir, "www")
    os.makedirs(www, exist_ok=True)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("<!doctype html><title>static</title><p>a static site</p>\n")
    load = read("conf", "bilingual.load").replace(
        "%s/mod_bilingual.so" % MODDIR, module_path())
    with open(os.path.join(rundir, "bilingual.load"), "w") as f:
        f.write(load)
    conf = os.path.join(rundir, "httpd.conf")
    with open(conf, "w") as f:
        f.write("""ServerRoot "{rundir}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{rundir}/httpd.pid"
ErrorLog "{rundir}/error.log"
LogLevel warn
{user}
Mutex file:{rundir} default
DefaultRuntimeDir "{rundir}"
LoadModule mpm_event_module {moddir}/mod_mpm_event.so
LoadModule authz_core_module {moddir}/mod_authz_core.so
LoadModule mime_module {moddir}/mod_mime.so
TypesConfig /etc/mime.types
StartServers 1
GracefulShutdownTimeout 5
DocumentRoot "{www}"
<Directory "{www}">
    Require all granted
</Directory>
{extra}
""".format(rundir=rundir, port=port, user=run_user(), moddir=MODDIR, www=www, extra=extra))
    return conf


def test_commented_defaults_pass_configtest(tmp_path):
    rundir = str(tmp_path)
    os.chmod(rundir, 0o755)
    uncommented = re.sub(r"^(\s*)#(Bilingual)", r"\1\2", read("conf", "bilingual.conf"), flags=re.M)
    (tmp_path / "bilingual.conf").write_text(uncommented)
    conf = write_httpd_conf(rundir, free_port(),
                            "Include %s/bilingual.load\nInclude %s/bilingual.conf"
                            % (rundir, rundir))
    result = subprocess.run([HTTPD, "-f", conf, "-t"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def fetch(port, method, path):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def serve(conf, port):
    proc = subprocess.Popen([HTTPD, "-f", conf, "-DFOREGROUND"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 15
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("apache exited: %s" % proc.stdout.read().decode(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("apache did not start on port %d" % port)


def stop(proc):
    proc.send_signal(signal.SIGWINCH)    # graceful-stop, as bilingual_server.py does
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


REQUESTS = [("GET", "/"), ("GET", "/index.html"), ("GET", "/es/"), ("GET", "/feed.atom"),
            ("GET", "/sitemap.xml"), ("TRACE", "/")]


def test_enabling_the_module_changes_no_site():
    """What a2enmod bilingual does (both snippets included) leaves a static site as it
    was: the same statuses, bodies and headers, TRACE still answered by httpd, nothing
    logged at error level."""
    answers = {}
    for enabled in (False, True):
        # readable by the children's user (pytest's tmp_path is private to root)
        rundir = tempfile.mkdtemp(prefix="bilingual-run-")
        try:
            os.chmod(rundir, 0o755)
            shutil.copy(os.path.join(SRCDIR, "conf", "bilingual.conf"), rundir)
            port = free_port()
            extra = ("Include %s/bilingual.load\nInclude %s/bilingual.conf" % (rundir, rundir)
                     if enabled else "")
            conf = write_httpd_conf(rundir, port, extra)
            proc = serve(conf, port)
            try:
                answers[enabled] = [fetch(port, m, p) for m, p in REQUESTS]
            finally:
                stop(proc)
            with open(os.path.join(rundir, "error.log"), errors="replace") as f:
                log = f.read()
            assert not re.search(r"\[[a-z_0-9]+:(error|crit|alert|emerg)\]|exit signal",
                                 log), log
        finally:
            shutil.rmtree(rundir, ignore_errors=True)
    for (method, path), off, on in zip(REQUESTS, answers[False], answers[True]):
        assert on[0] == off[0], (method, path)
        if method != "TRACE":   # TRACE echoes the request, whose Host names the port
            assert on[2] == off[2], (method, path)
        for header in ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Allow"):
            assert on[1].get(header) == off[1].get(header), (method, path, header)
    statuses = [answer[0] for answer in answers[True]]
    assert statuses[1:] == [200, 404, 404, 404, 200], statuses


# ---------------------------------------------------------------- the manual page

def test_man_page_documents_the_tool():
    page = read("docs", "bilingual-check.1")
    th = re.search(r'^\.TH BILINGUAL-CHECK 1 "[0-9-]+" "mod_bilingual ([^"]+)"', page, re.M)
    assert th and th.group(1) == upstream_version()
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "SEE ALSO"):
        assert re.search(r"^\.SH %s$" % section, page, re.M), section
    assert re.search(r"^bilingual-check \\- ", page, re.M)
    tool = os.path.join(BUILDDIR, "mod_src", "bilingual-check")
    usage = subprocess.run([tool], capture_output=True, text=True, timeout=30)
    assert usage.returncode == 2
    options = re.findall(r"\[(-[-\w]+)", usage.stderr)
    assert {"-q", "-l", "--as-user"} <= set(options), usage.stderr
    options_section = page.split(".SH OPTIONS", 1)[1].split(".SH ", 1)[0]
    for option in options:
        assert re.search(r"^\.(B|BI) %s\b" % re.escape(option.replace("-", "\\-")),
                         options_section, re.M), option


def test_package_sh_is_valid_shell_with_a_usage():
    script = os.path.join(SRCDIR, "scripts", "package.sh")
    assert subprocess.run(["sh", "-n", script], timeout=30).returncode == 0
    result = subprocess.run(["sh", script, "--no-such-option"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2 and "usage:" in result.stderr
