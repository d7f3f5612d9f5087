#!/bin/sh
# Configures (once) and builds mod_bilingual in the source tree.
set -eu
cd "$(dirname "$0")/.."
{ [ -x configure ] && [ -f build-aux/install-sh ]; } || autoreconf -fi
[ -f Makefile ] || ./configure ${CONFIGURE_FLAGS:-}
make -j2
