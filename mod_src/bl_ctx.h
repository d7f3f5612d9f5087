/* bl_ctx.h: one snapshot seen in one language: what every writer reads. */
#ifndef BL_CTX_H
#define BL_CTX_H

#include <apr_pools.h>
#include <libxml/tree.h>

#include "bl_lang.h"
#include "bl_route.h"
#include "bl_site.h"

/** Everything a writer needs to know about one response. Writers read it and note,
 *  through *LM, the newest instant of what the response shows. */
typedef struct bl_ctx_t {
    apr_pool_t *pool; /* for temporary strings of this response */
    const bl_site_t *site;
    const bl_langs_t *langs;
    int lang;         /* index of the response's language in langs */
    const char *base; /* absolute base URL without trailing slash */
    int feed_size;    /* entries per feed page */
    int list_size;    /* entries per page of a list or an archive */
    int page;         /* the page of a list or an archive, 1-based (0: none) */
    apr_time_t *lm;   /* the response's Last-Modified, raised by bl_ctx_note*; may be NULL */
    const char *self; /* the request's path, percent-encoded, or NULL (see bl_req_t) */
} bl_ctx_t;

/** Returns the tag of the context's language ("es"). */
const char *bl_ctx_lang(const bl_ctx_t *ctx);

/** Returns 1 when element NODE is kept in the context's language (SPEC 3); *FALLBACK
 *  names its real language when it stands in for a missing translation. */
int bl_ctx_keep(const bl_ctx_t *ctx, xmlNodePtr node, const char **fallback);

/** Returns the first child of PARENT named NAME kept in the context's language, or
 *  NULL; *FALLBACK as for bl_ctx_keep (FALLBACK may be NULL). */
xmlNodePtr bl_ctx_child(const bl_ctx_t *ctx, xmlNodePtr parent, const char *name,
                        const char **fallback);

/** Returns the language-selected text under NODE with white space folded. */
const char *bl_ctx_text(const bl_ctx_t *ctx, xmlNodePtr node);

/** Returns the UI word KEY in the context's language: site.xml's, else built in, else
 *  the default language's, else English, else KEY itself. */
const char *bl_ctx_word(const bl_ctx_t *ctx, const char *key);

/** Returns site.xml's <string key=KEY> in the context's language exactly, or NULL. */
const char *bl_ctx_site_word(const bl_ctx_t *ctx, const char *key);

/** Returns the UI word KEY as bl_ctx_word finds it, or NULL when there is none. */
const char *bl_ctx_find_word(const bl_ctx_t *ctx, const char *key);

/** Returns 1 when FILE (a page or an item) is written in language LANG of the context's
 *  languages (bl_site_untranslated). */
int bl_ctx_written_in(const bl_ctx_t *ctx, const bl_file_t *file, int lang);

/** Returns the index of TAG among the context's languages (ignoring case), or -1. */
int bl_ctx_lang_index(const bl_ctx_t *ctx, const char *tag);

/** Returns the page or item ROUTE shows in SITE (the home page for BL_R_HOME), or NULL
 *  for other routes and for names SITE does not serve. */
const bl_file_t *bl_ctx_route_file(const bl_site_t *site, const bl_route_t *route);

/** Returns the postal address of ranged ITEM on one line ("115 State St, Montpelier,
 *  VT 05633, US"), or NULL when it has no <address>. */
const char *bl_ctx_address(const bl_ctx_t *ctx, const bl_file_t *item);

/** Returns the Open Graph locale of language LANG ("es_US"): site.xml's word
 *  "og-locale" in that language, else the language with the tag's region ("pt-BR":
 *  pt_BR; "zh-Hant-TW": zh_TW), else the built-in language's, else the language
 *  doubled ("fr": fr_FR; "zh-Hant": zh_ZH). */
const char *bl_ctx_og_locale(const bl_ctx_t *ctx, int lang);

/** Returns the site name in the context's language ("" when site.xml is missing). */
const char *bl_ctx_site_name(const bl_ctx_t *ctx);

/** Returns "SITE · LABEL", or LABEL alone when SITE is empty, from P: the titles of
 *  feeds and calendars. */
const char *bl_ctx_join_title(const char *site, const char *label, apr_pool_t *p);

/** Returns BASE + PATH. */
const char *bl_ctx_abs(const bl_ctx_t *ctx, const char *path);

/** Returns the absolute URL of ROUTE in language LANG (-1: the neutral URL). */
const char *bl_ctx_route_url(const bl_ctx_t *ctx, const bl_route_t *route, int lang);

/** Returns the path of ITEM's page in language LANG ("/es/events/march"). */
const char *bl_ctx_item_path(const bl_ctx_t *ctx, const bl_file_t *item, int lang);

/** Returns the tag: URI of ITEM in the context's language (permanent, from the
 *  authority, the kind and the slug, never from its content). */
const char *bl_ctx_item_tag(const bl_ctx_t *ctx, const bl_file_t *item);

/** Returns the title text of FILE (page or item) in the context's language, its name
 *  when it has none; *FALLBACK as for bl_ctx_keep (may be NULL). */
const char *bl_ctx_title(const bl_ctx_t *ctx, const bl_file_t *file, const char **fallback);

/** Returns the summary text of ITEM, or the start of its body's text (at most
 *  BL_SUMMARY_FROM_BODY bytes and an ellipsis) when it has none. */
const char *bl_ctx_summary(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback);

/** Returns the location text of a ranged item, or NULL. */
const char *bl_ctx_location(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback);

/** Returns the language ITEM's title is written in for the context: its real language
 *  when untranslated, else the context's. */
const char *bl_ctx_item_lang(const bl_ctx_t *ctx, const bl_file_t *item);

/** Returns the title of ITEM as feeds and calendars show it: for a ranged item the date
 *  in words first ("1 de julio de 2015: ..."), the cancellation before that. */
const char *bl_ctx_heading(const bl_ctx_t *ctx, const bl_file_t *item, int dated);

/** Returns "DATE: TITLE" when DATE is not NULL, prefixed with "CANCELLED: " when
 *  CANCELLED (the UI word) is not NULL, from P. */
const char *bl_ctx_join_heading(const char *cancelled, const char *date, const char *title,
                                apr_pool_t *p);

/** Raises the response's Last-Modified to T. */
void bl_ctx_note(const bl_ctx_t *ctx, apr_time_t t);

/** Notes ITEM, shown: the later of its `updated` (when it is not after the snapshot's
 *  instant) and `published`. */
void bl_ctx_note_item(const bl_ctx_t *ctx, const bl_file_t *item);

/** Notes the list of item kind KIND, shown: when its membership last changed. */
void bl_ctx_note_list(const bl_ctx_t *ctx, bl_kind_t kind);

#endif
