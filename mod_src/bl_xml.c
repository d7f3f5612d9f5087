/* bl_xml.c: libxml2 parsing with every dangerous feature refused.
 *
 * A content file is read whole (at most BL_XML_MAX_SIZE bytes) and parsed from memory
 * with XML_PARSE_NONET and without XML_PARSE_NOENT or XML_PARSE_DTDLOAD. A SAX hook on
 * the internal subset stops the parser at the first DOCTYPE, so no entity can be
 * declared, let alone expanded; libxml2's own messages are kept off stderr and turned
 * into a bl_diag_t with the file's line and column. Trees are only read afterwards,
 * by many threads at once: the helpers here never allocate from libxml2.
 */
#include <stdio.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_strings.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "bl_xml.h"

/* What one parse found: a DOCTYPE's line, and the first error libxml2 raised. */
typedef struct parse_state_t {
    int doctype_line;
    int have_error;
    int line;
    int col;
    char msg[256];
} parse_state_t;

/* Stops the parse at a DOCTYPE and records where it was. */
static void refuse_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state_t *st = ctxt->_private;

    (void)name;
    (void)eid;
    (void)sid;
    if (st->doctype_line == 0) {
        st->doctype_line = xmlSAX2GetLineNumber(ctxt) > 0 ? xmlSAX2GetLineNumber(ctxt) : 1;
    }
    xmlStopParser(ctxt);
}

/* Keeps the first error libxml2 raises (the later ones are mostly its echoes) and
 * keeps all of them off stderr. */
static void quiet_error(void *ctx, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state_t *st = ctxt ? ctxt->_private : NULL;

    if (st == NULL || st->have_error || err == NULL || err->level < XML_ERR_ERROR) {
        return;
    }
    st->have_error = 1;
    st->line = err->line;
    st->col = err->int2;
    apr_cpystrn(st->msg, err->message ? err->message : "not well-formed", sizeof(st->msg));
}

/* Returns the depth of the deepest element under NODE, stopping past LIMIT;
 * *DEEP receives the first node found deeper than LIMIT. */
static int tree_depth(xmlNodePtr node, int depth, int limit, xmlNodePtr *deep)
{
    xmlNodePtr c;
    int max = depth;
    int d;

    if (depth > limit) {
        *deep = node;
        return depth;
    }
    for (c = node->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        d = tree_depth(c, depth + 1, limit, deep);
        if (d > max) {
            max = d;
        }
        if (*deep != NULL) {
            break;
        }
    }
    return max;
}

/* Reads PATH into a buffer from P, refusing files over the size cap. */
static apr_status_t read_whole(const char *path, char **buf, apr_size_t *len, bl_diag_t *diag,
                               apr_pool_t *p)
{
    apr_file_t *f = NULL;
    apr_finfo_t fi;
    apr_status_t rv;
    char err[256];

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    }
    if (rv != APR_SUCCESS) {
        diag->msg = apr_psprintf(p, "cannot read: %s", apr_strerror(rv, err, sizeof(err)));
        goto leave;
    }
    if (fi.filetype != APR_REG || fi.size > BL_XML_MAX_SIZE) {
        diag->msg = fi.filetype != APR_REG
                        ? "not a regular file"
                        : apr_psprintf(p, "file too big (%" APR_OFF_T_FMT " bytes, at most %d)",
                                       fi.size, BL_XML_MAX_SIZE);
        rv = APR_EINVAL;
        goto leave;
    }
    *len = (apr_size_t)fi.size;
    *buf = apr_palloc(p, *len + 1);
    rv = apr_file_read_full(f, *buf, *len, NULL);
    if (rv != APR_SUCCESS && !(rv == APR_EOF && *len == 0)) {
        diag->msg = apr_psprintf(p, "cannot read: %s", apr_strerror(rv, err, sizeof(err)));
        goto leave;
    }
    rv = APR_SUCCESS;
leave:
    if (f != NULL) {
        apr_file_close(f);
    }
    return rv;
}

/* Parses BUF with a fresh context whose DOCTYPE hook refuses any DTD. */
static apr_status_t parse_buffer(const char *path, const char *buf, apr_size_t len, xmlDocPtr *pdoc,
                                 bl_diag_t *diag, apr_pool_t *p)
{
    xmlParserCtxtPtr ctxt;
    xmlErrorPtr err;
    parse_state_t st;
    apr_status_t rv = APR_SUCCESS;

    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        diag->msg = "out of memory";
        return APR_ENOMEM;
    }
    memset(&st, 0, sizeof(st));
    ctxt->_private = &st;
    ctxt->sax->internalSubset = refuse_subset;
    ctxt->sax->serror = quiet_error;
    *pdoc = xmlCtxtReadMemory(ctxt, buf, (int)len, path, "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR
                                  | XML_PARSE_NOWARNING);
    err = xmlCtxtGetLastError(ctxt);
    if (st.doctype_line > 0) {
        diag->line = st.doctype_line;
        diag->col = 1;
        diag->msg = "a DOCTYPE is not allowed (content files may not declare entities)";
        rv = APR_EINVAL;
    }
    else if (st.have_error) {
        diag->line = st.line;
        diag->col = st.col;
        diag->msg = apr_pstrdup(p, st.msg);
        rv = APR_EINVAL;
    }
    else if (*pdoc == NULL || !ctxt->wellFormed || (err != NULL && err->level >= XML_ERR_ERROR)) {
        diag->line = err ? err->line : 0;
        diag->col = err ? err->int2 : 0;
        diag->msg = err && err->message ? apr_pstrdup(p, err->message) : "not well-formed";
        rv = APR_EINVAL;
    }
    if (rv != APR_SUCCESS && *pdoc != NULL) {
        xmlFreeDoc(*pdoc);
        *pdoc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return rv;
}

/* Strips the trailing newline libxml2 puts on its messages. */
static void trim_msg(bl_diag_t *diag, apr_pool_t *p)
{
    char *m = apr_pstrdup(p, diag->msg);
    apr_size_t n = strlen(m);

    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) {
        m[--n] = '\0';
    }
    diag->msg = m;
}

/* Reads, parses and checks the depth of one content file. */
apr_status_t bl_xml_parse_file(const char *path, xmlDocPtr *pdoc, bl_diag_t *diag, apr_pool_t *p)
{
    char *buf = NULL;
    apr_size_t len = 0;
    xmlNodePtr deep = NULL;
    apr_status_t rv;

    *pdoc = NULL;
    memset(diag, 0, sizeof(*diag));
    diag->path = path;
    diag->level = BL_LOG_ERR;
    rv = read_whole(path, &buf, &len, diag, p);
    if (rv != APR_SUCCESS) {
        goto leave;
    }
    if (len == 0) {
        diag->line = 1;
        diag->col = 1;
        diag->msg = "the file is empty";
        rv = APR_EINVAL;
        goto leave;
    }
    rv = parse_buffer(path, buf, len, pdoc, diag, p);
    if (rv != APR_SUCCESS) {
        goto leave;
    }
    tree_depth(xmlDocGetRootElement(*pdoc), 1, BL_XML_MAX_DEPTH, &deep);
    if (deep != NULL) {
        diag->line = bl_xml_line(deep);
        diag->col = 1;
        diag->msg = apr_psprintf(p, "elements nested deeper than %d levels", BL_XML_MAX_DEPTH);
        xmlFreeDoc(*pdoc);
        *pdoc = NULL;
        rv = APR_EINVAL;
    }
leave:
    if (rv != APR_SUCCESS) {
        trim_msg(diag, p);
    }
    return rv;
}

/* Walks the attribute list; an attribute with one text child is returned in place. */
const char *bl_xml_attr(xmlNodePtr node, const char *name, apr_pool_t *p)
{
    xmlAttrPtr a;
    xmlNodePtr c;
    const char *v = "";

    for (a = node->properties; a != NULL; a = a->next) {
        if (a->ns != NULL || strcmp((const char *)a->name, name) != 0) {
            continue;
        }
        c = a->children;
        if (c == NULL) {
            return "";
        }
        if (c->next == NULL && c->type == XML_TEXT_NODE) {
            return (const char *)c->content;
        }
        for (; c != NULL; c = c->next) {
            if (c->content != NULL) {
                v = apr_pstrcat(p, v, (const char *)c->content, NULL);
            }
        }
        return v;
    }
    return NULL;
}

/* Looks for an attribute "lang" in the XML namespace. */
const char *bl_xml_lang(xmlNodePtr node)
{
    xmlAttrPtr a;

    if (node->type != XML_ELEMENT_NODE) {
        return NULL;
    }
    for (a = node->properties; a != NULL; a = a->next) {
        if (a->ns != NULL && a->ns->href != NULL
            && strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) == 0
            && strcmp((const char *)a->name, "lang") == 0 && a->children != NULL) {
            return (const char *)a->children->content;
        }
    }
    return NULL;
}

/* Compares the element's local name; elements in a namespace never match. */
int bl_xml_is(xmlNodePtr node, const char *name)
{
    return node != NULL && node->type == XML_ELEMENT_NODE && node->ns == NULL
           && strcmp((const char *)node->name, name) == 0;
}

/* Appends the text under NODE to BUF, folding white space; *SPACE says whether a
 * space is pending. */
static void collect_text(xmlNodePtr node, char *buf, apr_size_t *len, apr_size_t cap, int *space)
{
    xmlNodePtr c;
    const unsigned char *s;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            collect_text(c, buf, len, cap, space);
            continue;
        }
        if (c->type != XML_TEXT_NODE || c->content == NULL) {
            continue;
        }
        for (s = c->content; *s && *len + 2 < cap; s++) {
            if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
                *space = *len > 0;
                continue;
            }
            if (*space) {
                buf[(*len)++] = ' ';
                *space = 0;
            }
            buf[(*len)++] = (char)*s;
        }
    }
}

/* Returns the number of bytes of text under NODE. */
static apr_size_t text_size(xmlNodePtr node)
{
    apr_size_t n = 0;
    xmlNodePtr c;

    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            n += text_size(c);
        }
        else if (c->type == XML_TEXT_NODE && c->content != NULL) {
            n += strlen((const char *)c->content);
        }
    }
    return n;
}

/* Sizes the buffer from the content, then collects into it. */
const char *bl_xml_text(xmlNodePtr node, apr_pool_t *p)
{
    apr_size_t cap = text_size(node) + 2;
    apr_size_t len = 0;
    int space = 0;
    char *buf;

    buf = apr_palloc(p, cap);
    collect_text(node, buf, &len, cap, &space);
    buf[len] = '\0';
    return buf;
}

/* libxml2 stores lines in the node; 65535 means "at least". */
int bl_xml_line(xmlNodePtr node)
{
    return node ? (int)xmlGetLineNo(node) : 0;
}

/* Returns the number of UTF-8 characters in the LEN bytes at S. */
static int utf8_chars(const char *s, apr_size_t len)
{
    apr_size_t i;
    int n = 0;

    for (i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    }
    return n;
}

/* Reads the file line by line from the start, up to 64 lines past *LINE. */
void bl_xml_locate(const char *path, const char *needle, int *line, int *col)
{
    FILE *f = fopen(path, "r");
    char buf[4096];
    const char *hit;
    int n = 0;

    *col = 1;
    if (f == NULL || *line <= 0) {
        goto leave;
    }
    while (fgets(buf, sizeof(buf), f) != NULL && n < *line + 64) {
        n++;
        if (n < *line) {
            continue;
        }
        hit = strstr(buf, needle);
        if (hit != NULL) {
            *line = n;
            *col = utf8_chars(buf, (apr_size_t)(hit - buf)) + 1;
            break;
        }
    }
leave:
    if (f != NULL) {
        fclose(f);
    }
}
