/* bl_xml.c: reading and parsing content files with every dangerous feature refused.
 *
 * A content file is opened without blocking (a FIFO cannot stall the loader),
 * optionally without following a symbolic link, checked with fstat to be a regular
 * file of at most BL_MAX_FILE_BYTES, and read whole; the caller compares the fstat
 * result with the version it stat'ed, so a file swapped in between is never parsed.
 * The bytes are parsed with XML_PARSE_NONET and without XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD; a SAX hook on the internal subset stops the parser at the first
 * DOCTYPE, so no entity can be declared, let alone expanded; libxml2's own messages are
 * kept off stderr and turned into a bl_diag_t with the file's line and column.
 * A SAX hook notes where each element's start tag ends (libxml2 2.9's own record_info
 * loses the start of non-empty elements); the '<' before it, and one pass over the
 * bytes, give line and column, kept in the element's _private slot, so every later
 * diagnostic names the element's real position. Trees are only read
 * afterwards, by many threads at once: the helpers here never allocate from libxml2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_portable.h>
#include <apr_strings.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "bl_arena.h"
#include "bl_limits.h"
#include "bl_xml.h"

/* Where one element's start tag ends, noted while parsing. */
typedef struct seen_t {
    xmlNodePtr node;
    apr_size_t end; /* offset of the byte after the start tag's name and attributes */
} seen_t;

/* What one parse found: a DOCTYPE's line, the first error libxml2 raised, and the
 * elements in the order their start tags were read. */
typedef struct parse_state_t {
    int doctype_line;
    int have_error;
    int line;
    int col;
    char msg[256];
    seen_t *seen; /* malloc'ed */
    apr_size_t nseen;
    apr_size_t cap;
    int oom;
    apr_size_t nodes; /* elements, attributes and texts made so far */
    int too_many;     /* stopped past BL_MAX_EXPANDED_NODES nodes */
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

/* Counts N more nodes; past BL_MAX_EXPANDED_NODES (more than any file may expand to)
 * stops the parser where it stands, so no tree grows beyond that; returns 0 then. */
static int count_nodes(xmlParserCtxtPtr ctxt, apr_size_t n)
{
    parse_state_t *st = ctxt->_private;

    st->nodes += n;
    if (st->nodes <= BL_MAX_EXPANDED_NODES || st->too_many) {
        return !st->too_many;
    }
    st->too_many = 1;
    st->line = xmlSAX2GetLineNumber(ctxt);
    st->col = xmlSAX2GetColumnNumber(ctxt);
    xmlStopParser(ctxt);
    return 0;
}

/* Counts a run of text (a text node, or more text for the last one), then adds it as
 * libxml2 would. */
static void count_text(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;

    if (ctxt->node != NULL && ctxt->node->last != NULL && ctxt->node->last->type == XML_TEXT_NODE) {
        xmlSAX2Characters(ctx, ch, len); /* it only grows the last text node */
        return;
    }
    if (count_nodes(ctxt, 1)) {
        xmlSAX2Characters(ctx, ch, len);
    }
}

/* Creates the element as libxml2 would, then notes where its start tag ends (the
 * parser stands at its '>'), from which its '<' is found after the parse. */
static void note_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                       const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                       int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state_t *st = ctxt->_private;
    seen_t *grown;

    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    if (ctxt->node == NULL || st->oom || !count_nodes(ctxt, 1 + (apr_size_t)nb_attributes)) {
        return;
    }
    if (st->nseen == st->cap) {
        grown = realloc(st->seen, sizeof(*grown) * (st->cap ? st->cap * 2 : 64));
        if (grown == NULL) {
            st->oom = 1;
            xmlStopParser(ctxt);
            return;
        }
        st->seen = grown;
        st->cap = st->cap ? st->cap * 2 : 64;
    }
    st->seen[st->nseen].node = ctxt->node;
    st->seen[st->nseen].end =
        (apr_size_t)ctxt->input->consumed + (apr_size_t)(ctxt->input->cur - ctxt->input->base);
    st->nseen++;
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

/* Sets DIAG's message to "cannot read: REASON" for status RV. */
static void read_error(bl_diag_t *diag, apr_status_t rv, apr_pool_t *p)
{
    char err[256];

    diag->msg = apr_psprintf(p, "cannot read: %s",
                             rv == APR_FROM_OS_ERROR(ELOOP) ? "it is a symbolic link"
                                                            : apr_strerror(rv, err, sizeof(err)));
}

/* Opens PATH without blocking and, with NOFOLLOW, without following a link. */
static apr_status_t open_file(apr_file_t **f, const char *path, int nofollow, apr_pool_t *p)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));

    if (fd < 0) {
        return APR_FROM_OS_ERROR(errno);
    }
    return apr_os_file_put(f, &fd, APR_FOPEN_READ, p);
}

/* Opens, fstats and reads PATH into a buffer from P, refusing anything but a regular
 * file of at most BL_MAX_FILE_BYTES. */
apr_status_t bl_xml_read(const char *path, int nofollow, char **buf, apr_size_t *len,
                         apr_finfo_t *fi, bl_diag_t *diag, apr_pool_t *p)
{
    apr_file_t *f = NULL;
    apr_status_t rv;

    memset(diag, 0, sizeof(*diag));
    diag->path = path;
    diag->level = BL_LOG_ERR;
    rv = open_file(&f, path, nofollow, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(fi,
                               APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_CTIME
                                   | APR_FINFO_INODE | APR_FINFO_DEV,
                               f);
    }
    if (rv != APR_SUCCESS) {
        read_error(diag, rv, p);
        goto leave;
    }
    if (fi->filetype != APR_REG || fi->size > BL_MAX_FILE_BYTES) {
        diag->msg = fi->filetype != APR_REG
                        ? "not a regular file"
                        : apr_psprintf(p, "file too big (%" APR_OFF_T_FMT " bytes, at most %d)",
                                       fi->size, BL_MAX_FILE_BYTES);
        rv = APR_EINVAL;
        goto leave;
    }
    *len = (apr_size_t)fi->size;
    *buf = apr_palloc(p, *len + 1);
    rv = *len > 0 ? apr_file_read_full(f, *buf, *len, NULL) : APR_SUCCESS;
    if (rv != APR_SUCCESS) {
        read_error(diag, rv, p);
        goto leave;
    }
    (*buf)[*len] = '\0';
leave:
    if (f != NULL) {
        apr_file_close(f);
    }
    return rv;
}

/* Orders node infos by their offset in the file, for qsort. */
static int by_offset(const void *a, const void *b)
{
    const bl_xml_info_t *x = *(bl_xml_info_t *const *)a;
    const bl_xml_info_t *y = *(bl_xml_info_t *const *)b;

    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Fills line and column of the N infos in ORDER (sorted by offset) in one pass over
 * the LEN bytes at BUF: columns count characters, not bytes. */
static void locate_all(const char *buf, apr_size_t len, bl_xml_info_t **order, apr_size_t n)
{
    apr_size_t at = 0, i;
    int line = 1, col = 1;

    for (i = 0; i < n; i++) {
        for (; at < order[i]->offset && at < len; at++) {
            if (buf[at] == '\n') {
                line++;
                col = 1;
            }
            else if (((unsigned char)buf[at] & 0xc0) != 0x80) {
                col++;
            }
        }
        order[i]->line = line;
        order[i]->col = col;
    }
}

/* Gives every element noted while parsing a bl_xml_info_t in ARENA: its '<' is the last
 * one before the end of its start tag (an attribute value cannot hold a '<'). */
static apr_status_t record_positions(const parse_state_t *st, const char *buf, apr_size_t len,
                                     bl_arena_t *arena)
{
    bl_xml_info_t *infos = bl_arena_alloc(arena, sizeof(*infos) * (st->nseen ? st->nseen : 1));
    bl_xml_info_t **order = malloc(sizeof(*order) * (st->nseen ? st->nseen : 1));
    apr_size_t i, at;

    if (order == NULL || infos == NULL) {
        free(order);
        return APR_ENOMEM;
    }
    for (i = 0; i < st->nseen; i++) {
        at = st->seen[i].end < len ? st->seen[i].end : len;
        while (at > 0 && buf[at] != '<') {
            at--;
        }
        infos[i].offset = at;
        st->seen[i].node->_private = &infos[i];
        order[i] = &infos[i];
    }
    qsort(order, st->nseen, sizeof(*order), by_offset);
    locate_all(buf, len, order, st->nseen);
    free(order);
    return APR_SUCCESS;
}

/* Copies the parse's first error (or the DOCTYPE refusal) into DIAG. */
static void parse_error(xmlParserCtxtPtr ctxt, const parse_state_t *st, bl_diag_t *diag,
                        apr_pool_t *p)
{
    xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
    const char *m;
    apr_size_t n;

    if (st->doctype_line > 0) {
        diag->line = st->doctype_line;
        diag->col = 1;
        diag->msg = "a DOCTYPE is not allowed (content files may not declare entities)";
        return;
    }
    diag->line = st->have_error ? st->line : err ? err->line : 0;
    diag->col = st->have_error ? st->col : err ? err->int2 : 0;
    m = st->have_error ? st->msg : err && err->message ? err->message : "not well-formed";
    n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) {
        n--; /* libxml2 ends its messages with a newline */
    }
    diag->msg = apr_pstrndup(p, m, n);
}

/* Runs libxml2 over the bytes with the DOCTYPE hook and position recording. */
static apr_status_t parse_buffer(const char *buf, apr_size_t len, bl_arena_t *arena,
                                 xmlDocPtr *pdoc, bl_diag_t *diag, apr_pool_t *p)
{
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
    parse_state_t st;
    apr_status_t rv = APR_SUCCESS;

    if (ctxt == NULL) {
        diag->msg = "out of memory";
        return APR_ENOMEM;
    }
    memset(&st, 0, sizeof(st));
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR
                                | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
    ctxt->_private = &st;
    ctxt->sax->internalSubset = refuse_subset;
    ctxt->sax->serror = quiet_error;
    ctxt->sax->startElementNs = note_start;
    ctxt->sax->characters = count_text;
    if (ctxt->sax->ignorableWhitespace == xmlSAX2Characters) {
        ctxt->sax->ignorableWhitespace = count_text;
    }
    xmlParseDocument(ctxt);
    *pdoc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (st.oom) {
        diag->msg = "out of memory";
        rv = APR_ENOMEM;
    }
    else if (st.too_many) {
        diag->line = st.line;
        diag->col = st.col;
        diag->msg = apr_psprintf(p, "more than %d elements, attributes and texts: no page may "
                                    "expand to that many (the budget; split the file)",
                                 BL_MAX_EXPANDED_NODES);
        rv = APR_EINVAL;
    }
    else if (st.doctype_line > 0 || st.have_error || *pdoc == NULL || !ctxt->wellFormed) {
        parse_error(ctxt, &st, diag, p);
        rv = APR_EINVAL;
    }
    else {
        rv = record_positions(&st, buf, len, arena);
        diag->msg = rv == APR_SUCCESS ? NULL : "out of memory";
    }
    free(st.seen);
    if (rv != APR_SUCCESS && *pdoc != NULL) {
        xmlFreeDoc(*pdoc);
        *pdoc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return rv;
}

/* Parses, then checks the depth of the tree. */
apr_status_t bl_xml_parse(const char *path, const char *buf, apr_size_t len, bl_arena_t *arena,
                          xmlDocPtr *pdoc, bl_diag_t *diag, apr_pool_t *p)
{
    xmlNodePtr deep = NULL;
    apr_status_t rv;

    *pdoc = NULL;
    memset(diag, 0, sizeof(*diag));
    diag->path = path;
    diag->level = BL_LOG_ERR;
    if (len == 0) {
        diag->line = 1;
        diag->col = 1;
        diag->msg = "the file is empty";
        return APR_EINVAL;
    }
    rv = parse_buffer(buf, len, arena, pdoc, diag, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    tree_depth(xmlDocGetRootElement(*pdoc), 1, BL_MAX_XML_DEPTH, &deep);
    if (deep != NULL) {
        bl_xml_pos(deep, &diag->line, &diag->col);
        diag->msg = apr_psprintf(p, "elements nested deeper than %d levels", BL_MAX_XML_DEPTH);
        xmlFreeDoc(*pdoc);
        *pdoc = NULL;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* Reads the _private slot of an element. */
bl_xml_info_t *bl_xml_info(xmlNodePtr node)
{
    return node != NULL && node->type == XML_ELEMENT_NODE ? node->_private : NULL;
}

/* Prefers the recorded position, else libxml2's line. */
void bl_xml_pos(xmlNodePtr node, int *line, int *col)
{
    const bl_xml_info_t *info = bl_xml_info(node);

    if (info != NULL) {
        *line = info->line;
        *col = info->col;
        return;
    }
    *line = node ? (int)xmlGetLineNo(node) : 0;
    *col = *line > 0 ? 1 : 0;
}

/* Returns the offset of attribute ATTR in the start tag beginning at FROM (a '<'),
 * or 0 when the tag ends first: quoted values are skipped, a name must stand after
 * white space and before '=' (white space allowed around it). */
static apr_size_t find_attr(const char *buf, apr_size_t len, apr_size_t from, const char *attr)
{
    apr_size_t n = strlen(attr), i, j;
    char quote = 0;

    for (i = from + 1; i < len; i++) {
        if (quote) {
            quote = buf[i] == quote ? 0 : quote;
            continue;
        }
        if (buf[i] == '"' || buf[i] == '\'') {
            quote = buf[i];
        }
        else if (buf[i] == '>') {
            return 0;
        }
        else if ((buf[i - 1] == ' ' || buf[i - 1] == '\t' || buf[i - 1] == '\n'
                  || buf[i - 1] == '\r')
                 && i + n < len && strncmp(buf + i, attr, n) == 0) {
            for (j = i + n; j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n'); j++) {
            }
            if (j < len && buf[j] == '=') {
                return i;
            }
        }
    }
    return 0;
}

/* Searches the start tag, then counts lines and characters from its '<'. */
void bl_xml_attr_pos(const char *buf, apr_size_t len, xmlNodePtr node, const char *attr, int *line,
                     int *col)
{
    const bl_xml_info_t *info = bl_xml_info(node);
    apr_size_t at, i;

    bl_xml_pos(node, line, col);
    if (info == NULL || buf == NULL || info->offset >= len) {
        return;
    }
    at = find_attr(buf, len, info->offset, attr);
    if (at == 0) {
        return;
    }
    for (i = info->offset; i < at; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        }
        else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

/* Compares names and namespaces. */
int bl_xml_same_name(xmlNodePtr a, xmlNodePtr b)
{
    if (strcmp((const char *)a->name, (const char *)b->name) != 0) {
        return 0;
    }
    if (a->ns == NULL || b->ns == NULL) {
        return a->ns == b->ns;
    }
    return strcmp((const char *)a->ns->href, (const char *)b->ns->href) == 0;
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
