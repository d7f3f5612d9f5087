/* bl_xml.h: safe reading and parsing of content files, and read-only tree helpers. */
#ifndef BL_XML_H
#define BL_XML_H

#include <apr_file_info.h>
#include <apr_pools.h>
#include <libxml/tree.h>

#include "bl_arena.h"
#include "bl_log.h"

/** What the xml layer keeps for each element of a parsed tree (in node->_private):
 *  where its start tag begins, and one pointer for the layers above. */
typedef struct bl_xml_info_t {
    apr_size_t offset; /* byte offset of its '<' in the file */
    int line;          /* 1-based line of its '<' */
    int col;           /* 1-based column of its '<', in characters */
    const void *ext;   /* free for the model (language groups) */
} bl_xml_info_t;

/** Reads the regular file at PATH whole into *BUF (NUL-terminated, from P) and its
 *  length into *LEN, refusing files over BL_MAX_FILE_BYTES. With NOFOLLOW a symbolic
 *  link is refused, not followed. *FI receives the opened file's own status (fstat),
 *  so the caller can check it is the version it stat'ed. On failure DIAG says why
 *  (its path is PATH) and the return value is the I/O error or APR_EINVAL. */
apr_status_t bl_xml_read(const char *path, int nofollow, char **buf, apr_size_t *len,
                         apr_finfo_t *fi, bl_diag_t *diag, apr_pool_t *p);

/** Parses the LEN bytes at BUF (the file PATH) refusing DOCTYPEs, entities, network
 *  access and nesting over BL_MAX_XML_DEPTH. On success *PDOC is a document the caller
 *  frees with xmlFreeDoc; every element's bl_xml_info_t lives in ARENA.
 *  On failure *PDOC is NULL, DIAG says where and why (strings from P) and the return
 *  value is APR_EINVAL or APR_ENOMEM. */
apr_status_t bl_xml_parse(const char *path, const char *buf, apr_size_t len, bl_arena_t *arena,
                          xmlDocPtr *pdoc, bl_diag_t *diag, apr_pool_t *p);

/** Returns the information bl_xml_parse recorded for element NODE, or NULL (a tree
 *  not made by bl_xml_parse, or a node that is no element). */
bl_xml_info_t *bl_xml_info(xmlNodePtr node);

/** Sets *LINE and *COL to where NODE starts: its start tag's '<' for an element parsed
 *  by bl_xml_parse, else its line and column 1 (0 and 0 when unknown). */
void bl_xml_pos(xmlNodePtr node, int *line, int *col);

/** Sets *LINE and *COL to where attribute ATTR of element NODE starts, found in the
 *  LEN bytes at BUF the tree was parsed from; NODE's own position when it is not
 *  there. */
void bl_xml_attr_pos(const char *buf, apr_size_t len, xmlNodePtr node, const char *attr, int *line,
                     int *col);

/** Returns the value of attribute NAME (no namespace) of NODE, or NULL;
 *  the string lives in the tree (or in P when it had to be joined). */
const char *bl_xml_attr(xmlNodePtr node, const char *name, apr_pool_t *p);

/** Returns the xml:lang of NODE itself (not inherited), or NULL. */
const char *bl_xml_lang(xmlNodePtr node);

/** Returns 1 when NODE is an element named NAME in no namespace. */
int bl_xml_is(xmlNodePtr node, const char *name);

/** Returns 1 when elements A and B have the same name and namespace. */
int bl_xml_same_name(xmlNodePtr a, xmlNodePtr b);

/** Returns the concatenated text of NODE and its descendants, from P,
 *  with runs of white space folded to one space and the ends trimmed. */
const char *bl_xml_text(xmlNodePtr node, apr_pool_t *p);

#endif
