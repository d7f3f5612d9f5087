"""The house rules of mod_src/ (docs/architecture.md, STYLE.md), read from the code.

Each file belongs to a layer; a file may include the headers of its own layer and of
the layers below, never of a layer above, and the include graph between modules has no
circle. Writers do not include each other (one writer per format). Every core .c has a
header of its own that declares its functions and nothing else, and every function a
core .c does not declare in its header is static. No test here starts Apache.
"""
import os
import re

import pytest

from bilingual_server import SRCDIR

MOD_SRC = os.path.join(SRCDIR, "mod_src")

# The layers, lowest first; a module is a file name without its extension.
LAYERS = [
    ("base", {"bl_limits", "bl_log", "bl_out", "bl_arena", "bl_name", "bl_time", "bl_lang"}),
    ("xml", {"bl_xml"}),
    ("model", {"bl_kind", "bl_locale", "bl_select", "bl_site", "bl_validate", "bl_items",
               "bl_content", "bl_route", "bl_store"}),
    ("view", {"bl_ctx", "bl_markup"}),
    ("writers", {"bl_html", "bl_atom", "bl_ics", "bl_sitemap"}),
    ("respond", {"bl_encode", "bl_cache", "bl_respond"}),
    ("glue", {"mod_bilingual", "mod_bilingual_config", "mod_bilingual_load",
              "mod_bilingual_status", "mod_bilingual_private", "bilingual_check"}),
]
LAYER_OF = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods}
WRITERS = LAYERS[4][1]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)
HTTPD_HEADER = re.compile(r'^\s*#\s*include\s+<(httpd|http_\w+|ap_\w+|mod_\w+|util_\w+)\.h>', re.M)


def sources():
    return sorted(f for f in os.listdir(MOD_SRC) if f.endswith((".c", ".h")))


def module(name):
    return os.path.splitext(name)[0]


def read(name):
    with open(os.path.join(MOD_SRC, name), encoding="utf-8") as f:
        return f.read()


def graph():
    """module -> set of modules whose headers it includes (its .c and .h together)."""
    edges = {}
    for name in sources():
        for inc in INCLUDE.findall(read(name)):
            if inc != module(name):
                edges.setdefault(module(name), set()).add(inc)
    return edges


def test_every_file_has_a_layer():
    unknown = sorted({module(f) for f in sources()} - set(LAYER_OF))
    assert not unknown, "files without a layer in docs/architecture.md: %s" % unknown


def test_no_file_includes_a_higher_layer():
    upward = [(m, inc) for m, incs in graph().items() for inc in incs
              if inc in LAYER_OF and LAYER_OF[inc] > LAYER_OF[m]]
    assert not upward, "upward includes: %s" % upward


def test_writers_do_not_include_each_other():
    crossed = [(m, inc) for m, incs in graph().items() if m in WRITERS
               for inc in incs if inc in WRITERS]
    assert not crossed, crossed


def test_include_graph_has_no_circle():
    edges = graph()
    state = {}

    def visit(m, path):
        state[m] = 1
        for n in sorted(edges.get(m, ())):
            if state.get(n) == 1:
                pytest.fail("include circle: %s" % " -> ".join(path + [m, n]))
            if n not in state:
                visit(n, path + [m])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [])


def test_only_the_glue_includes_httpd_headers():
    core = [f for f in sources() if LAYER_OF.get(module(f), 6) < 6]
    leaks = [f for f in core if HTTPD_HEADER.search(read(f))]
    assert not leaks, leaks


DECL = re.compile(r"^(?!static|typedef)[A-Za-z_][\w \*]*?\b(bl_\w+)\s*\(", re.M)
DEF = re.compile(r"^(static\s+)?[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;]*?\)\s*\{", re.M)


@pytest.mark.parametrize("c_file", [f for f in sources()
                                    if f.startswith("bl_") and f.endswith(".c")])
def test_one_header_per_file_declares_its_functions(c_file):
    """bl_x.h declares exactly the non-static functions bl_x.c defines."""
    header = c_file[:-2] + ".h"
    assert os.path.exists(os.path.join(MOD_SRC, header)), "%s has no header" % c_file
    declared = set(DECL.findall(read(header)))
    defined = {name for static, name in DEF.findall(read(c_file)) if not static}
    assert declared - defined == set(), "declared in %s, defined elsewhere" % header
    assert defined - declared == set(), "%s exports functions its header does not declare" % c_file


STATIC_FN = re.compile(r"^static\s[^;=(]*?\b(\w+)\s*\(", re.M)


def test_static_functions_have_distinct_names():
    """Two files' static functions never share a name: a reader who greps a name finds
    one meaning."""
    where = {}
    for name in sources():
        if name.endswith(".c"):
            for fn in set(STATIC_FN.findall(read(name))):
                where.setdefault(fn, []).append(name)
    shared = {fn: files for fn, files in where.items() if len(files) > 1}
    assert not shared, shared
