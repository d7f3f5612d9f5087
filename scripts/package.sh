#!/bin/sh
# Builds the Debian package libapache2-mod-bilingual out of tree and checks it.
#
#   sh scripts/package.sh [--out DIR] [--install]
#
# Copies the source (git's tracked and untracked-but-not-ignored files, so a build in
# this folder is not copied) to a temporary folder, runs `dpkg-buildpackage -us -uc
# -b` there, runs lintian on the result and puts the .deb, .changes and .buildinfo
# into DIR (default: build/deb/, which git ignores), with the build log. This folder
# is left as it was. Exits non-zero when the build fails or lintian reports an error.
#
# --install (root only; for a test machine) then installs the .deb with apt-get, runs
# `a2enmod bilingual`, enables the packaged example virtual host (pointed at a copy of
# the sample site), runs bilingual-check on it and `apache2ctl -t` against the
# system's /etc/apache2, and finally disables the site, purges the package and checks
# that every file of the package is gone and /etc/apache2 is as it was before.
#
# Needs, besides scripts/deps.sh: dpkg-dev, debhelper, lintian (apt-get install
# dpkg-dev debhelper lintian). The package's own build dependencies (debian/control)
# are those of scripts/deps.sh; dpkg-buildpackage names any that are missing.
set -eu

PKG=libapache2-mod-bilingual
usage() {
    echo "usage: sh scripts/package.sh [--out DIR] [--install]" >&2
    exit 2
}
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT="$SRC/build/deb"
INSTALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
        --out=*) OUT=${1#--out=}; shift ;;
        --install) INSTALL=1; shift ;;
        -h|--help) usage ;;
        *) usage ;;
    esac
done
if [ "$INSTALL" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
    echo "package: --install installs a package and edits /etc/apache2: run it as root" >&2
    exit 2
fi

missing=""
for tool in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian dh_apache2:apache2-dev; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
    echo "package: missing tools; install them with: apt-get install$missing" >&2
    exit 1
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bl-package.XXXXXX")
SITE=""
cleanup() {
    rm -rf "$TMP"
    [ -z "$SITE" ] || rm -rf "$SITE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the source, copied -------------------------------------------------------------
VERSION=$(cd "$SRC" && dpkg-parsechangelog -S Version)
SOURCE=$(cd "$SRC" && dpkg-parsechangelog -S Source)
UPSTREAM=${VERSION%-*}
BUILD="$TMP/$SOURCE-$UPSTREAM"
mkdir -p "$BUILD"
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # tracked files (as they are now, edits included) and new files git does not ignore
    (cd "$SRC" && git ls-files -z -c -o --exclude-standard \
        | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$BUILD"
else
    (cd "$SRC" && tar --exclude=./build --exclude=node_modules -cf - .) | tar -xf - -C "$BUILD"
    if [ -f "$BUILD/Makefile" ]; then
        make -C "$BUILD" distclean >/dev/null 2>&1 || true
    fi
fi
echo "package: building $PKG $VERSION in $BUILD"

# ---- the build ----------------------------------------------------------------------
LOG="$OUT/build.log"
rm -f "$OUT/${PKG}_"* "$OUT/${PKG}-dbgsym_"* "$OUT/${SOURCE}_"*
# nocheck: the test suite needs Apache instances and Node.js clients (debian/rules)
opts="nocheck parallel=$(nproc)"
[ -z "${DEB_BUILD_OPTIONS:-}" ] || opts="$DEB_BUILD_OPTIONS $opts"
if ! (cd "$BUILD" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b) >"$LOG" 2>&1; then
    tail -n 40 "$LOG"
    echo "package: dpkg-buildpackage failed; the whole log is $LOG" >&2
    exit 1
fi
for f in "$TMP"/*.deb "$TMP"/*.changes "$TMP"/*.buildinfo; do
    if [ -e "$f" ]; then cp "$f" "$OUT/"; fi
done
CHANGES=$(ls "$OUT"/"${SOURCE}_${VERSION}"_*.changes)
DEB=$(ls "$OUT"/"${PKG}_${VERSION}"_*.deb)
echo "package: built $DEB"
dpkg-deb -c "$DEB" | awk '{print "  " $1 " " $6}' | tee "$TMP/contents"
for f in etc/apache2/mods-available/bilingual.load etc/apache2/mods-available/bilingual.conf \
         usr/lib/apache2/modules/mod_bilingual.so usr/bin/bilingual-check \
         usr/share/man/man1/bilingual-check.1.gz usr/share/doc/$PKG/copyright \
         usr/share/doc/$PKG/examples/example-vhost.conf; do
    grep -q " \./$f\$" "$TMP/contents" || { echo "package: $f is not in the package" >&2; exit 1; }
done

# ---- lintian ------------------------------------------------------------------------
echo "package: lintian $CHANGES"
set +e
lintian --display-info --fail-on error "$CHANGES"
lrc=$?
set -e
if [ "$lrc" -ne 0 ]; then
    echo "package: lintian reported errors (exit $lrc)" >&2
    exit 1
fi
echo "package: lintian: no errors"

if [ "$INSTALL" -eq 0 ]; then
    echo "package: $DEB"
    exit 0
fi

# ---- --install: install, enable, configtest, purge, against the system Apache --------
fail() {
    echo "package: --install: $*" >&2
    exit 1
}
# Refuse where the package (or a `make install`) is already there: the purge at the end
# would remove it.
pkg_status() {
    dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true
}
case "$(pkg_status)" in
    ""|not-installed) ;;
    *) fail "$PKG is on this machine ($(pkg_status)); purge it first (apt-get purge $PKG)" ;;
esac
for f in /usr/lib/apache2/modules/mod_bilingual.so /etc/apache2/mods-available/bilingual.load \
         /etc/apache2/mods-available/bilingual.conf /etc/apache2/sites-available/bilingual-example.conf; do
    [ ! -e "$f" ] || fail "$f exists already (make install?); it would be overwritten"
done
command -v apache2ctl >/dev/null 2>&1 || fail "no apache2ctl: install apache2"
apache2ctl -t >/dev/null 2>&1 || fail "apache2ctl -t fails before anything is installed"
snapshot() {
    # every folder, file and link of /etc/apache2 and of a2enmod's state, with contents
    find /etc/apache2 /var/lib/apache2 2>/dev/null | LC_ALL=C sort | while read -r f; do
        if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
        elif [ -d "$f" ]; then echo "$f/"
        else echo "$f $(md5sum <"$f")"; fi
    done
}
# a2enmod and a2ensite leave empty state folders (/var/lib/apache2/*/enabled_by_admin)
rmdir_new() {
    find /var/lib/apache2 -mindepth 1 -depth -type d -empty | while read -r d; do
        grep -qxF "$d/" "$TMP/before" || rmdir "$d"
    done
}
APT="apt-get -y -q -o DPkg::Lock::Timeout=300"
export DEBIAN_FRONTEND=noninteractive
snapshot >"$TMP/before"

# On any failure from here on, leave the machine as it was found.
installed=0
restore() {
    rc=$?
    if [ "$installed" -eq 1 ]; then
        echo "package: --install: cleaning up after a failure" >&2
        a2dissite -q -p bilingual-example >/dev/null 2>&1 || true
        rm -f /etc/apache2/sites-available/bilingual-example.conf
        $APT purge "$PKG" >/dev/null 2>&1 || true
        rmdir_new
    fi
    cleanup
    exit $rc
}
trap restore EXIT

echo "package: --install: apt-get install $DEB"
installed=1
$APT install --no-install-recommends "$DEB"
dpkg -L "$PKG" | LC_ALL=C sort >"$TMP/files"

echo "package: --install: a2enmod bilingual"
a2enmod bilingual
[ -L /etc/apache2/mods-enabled/bilingual.load ] || fail "mods-enabled/bilingual.load missing"
apache2ctl -t || fail "apache2ctl -t fails with only the module enabled"
apache2ctl -M 2>/dev/null | grep -q 'bilingual_module' || fail "bilingual_module is not loaded"

# the packaged example virtual host, pointed at a copy of the sample site (a machine
# whose dpkg excludes /usr/share/doc gets the same file from the source)
EXAMPLE=/usr/share/doc/$PKG/examples/example-vhost.conf
[ -f "$EXAMPLE" ] || EXAMPLE="$BUILD/conf/example-vhost.conf"
SITE=$(mktemp -d /tmp/bl-package-site.XXXXXX)
chmod 755 "$SITE"
cp -R "$BUILD/htdocs" "$SITE/htdocs"
chmod -R a+rX "$SITE"
sed "s|/srv/campaign/htdocs|$SITE/htdocs|g" "$EXAMPLE" >/etc/apache2/sites-available/bilingual-example.conf
a2ensite bilingual-example
echo "package: --install: bilingual-check -q $SITE/htdocs/content"
bilingual-check -q "$SITE/htdocs/content" || fail "bilingual-check found errors in the sample site"
echo "package: --install: apache2ctl -t"
apache2ctl -t || fail "apache2ctl -t fails with the example virtual host"

echo "package: --install: a2dissite bilingual-example; apt-get purge $PKG"
a2dissite -p bilingual-example
rm -f /etc/apache2/sites-available/bilingual-example.conf
$APT purge "$PKG"
installed=0
rmdir_new

left=""
while read -r f; do
    case "$f" in
        /.|/etc|/etc/apache2|/etc/apache2/mods-available|/usr|/usr/bin|/usr/lib|/usr/lib/apache2 \
        |/usr/lib/apache2/modules|/usr/share|/usr/share/doc|/usr/share/man|/usr/share/man/man1)
            continue ;; # shared with other packages
    esac
    [ ! -e "$f" ] && [ ! -L "$f" ] || left="$left $f"
done <"$TMP/files"
for f in /etc/apache2/mods-enabled/bilingual.load /etc/apache2/mods-enabled/bilingual.conf \
         /var/lib/apache2/module/enabled_by_maint/bilingual \
         /var/lib/apache2/module/enabled_by_admin/bilingual \
         /var/lib/apache2/module/disabled_by_admin/bilingual; do
    [ ! -e "$f" ] && [ ! -L "$f" ] || left="$left $f"
done
[ -z "$left" ] || fail "left after the purge:$left"
case "$(pkg_status)" in
    ""|not-installed) ;;
    *) fail "dpkg still has $PKG after the purge ($(pkg_status))" ;;
esac
snapshot >"$TMP/after"
if ! diff -u "$TMP/before" "$TMP/after"; then
    fail "/etc/apache2 or /var/lib/apache2 differ from before the install (diff above)"
fi
apache2ctl -t >/dev/null 2>&1 || fail "apache2ctl -t fails after the purge"
echo "package: --install: installed, enabled, configtest passed, purged: every file is gone"
echo "package: $DEB"
