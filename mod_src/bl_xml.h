/* bl_xml.h: safe parsing of content files and read-only helpers on their trees. */
#ifndef BL_XML_H
#define BL_XML_H

#include <apr_pools.h>
#include <libxml/tree.h>

#include "bl_log.h"

#define BL_XML_MAX_SIZE (4 * 1024 * 1024)
#define BL_XML_MAX_DEPTH 64

/** Parses the file at PATH refusing DOCTYPEs, entities, network access, files over
 *  BL_XML_MAX_SIZE and nesting over BL_XML_MAX_DEPTH. On success *PDOC is a document
 *  the caller frees with xmlFreeDoc; on failure *PDOC is NULL, DIAG says where and
 *  why (strings from P) and the return value is APR_EINVAL or the I/O error. */
apr_status_t bl_xml_parse_file(const char *path, xmlDocPtr *pdoc, bl_diag_t *diag, apr_pool_t *p);

/** Returns the value of attribute NAME (no namespace) of NODE, or NULL;
 *  the string lives in the tree (or in P when it had to be joined). */
const char *bl_xml_attr(xmlNodePtr node, const char *name, apr_pool_t *p);

/** Returns the xml:lang of NODE itself (not inherited), or NULL. */
const char *bl_xml_lang(xmlNodePtr node);

/** Returns 1 when NODE is an element named NAME in no namespace. */
int bl_xml_is(xmlNodePtr node, const char *name);

/** Returns the concatenated text of NODE and its descendants, from P,
 *  with runs of white space folded to one space and the ends trimmed. */
const char *bl_xml_text(xmlNodePtr node, apr_pool_t *p);

/** Finds the first NEEDLE in the file at PATH at or after line *LINE (within 64
 *  lines) and sets *LINE and *COL (1-based, in characters) to where it starts;
 *  leaves *LINE alone and sets *COL to 1 when it is not there. For diagnostics only:
 *  libxml2 keeps a line per node but no column. */
void bl_xml_locate(const char *path, const char *needle, int *line, int *col);

/** Returns the line of NODE (1-based), or 0. */
int bl_xml_line(xmlNodePtr node);

#endif
