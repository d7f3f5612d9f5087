/* bl_limits.h: every limit of mod_bilingual, named once, each with a test.
 *
 * Cost must grow with the output, never with what a client or a typo can multiply:
 * each number below caps one thing an editor, a visitor or an attacker controls.
 * docs/security.md lists them with the test that proves each.
 */
#ifndef BL_LIMITS_H
#define BL_LIMITS_H

/** Longest page, fragment or item name, in bytes. */
#define BL_MAX_NAME 100

/** Largest content file read, in bytes. */
#define BL_MAX_FILE_BYTES (4 * 1024 * 1024)

/** Deepest element nesting in a content file. */
#define BL_MAX_XML_DEPTH 64

/** Deepest nesting of <include> while writing (a cycle is refused at load time). */
#define BL_MAX_INCLUDE_DEPTH 16

/** Largest expanded size of a page, fragment, layout or item (includes multiplied
 *  out, every language counted), in bytes of markup and text; refused at load time. */
#define BL_MAX_EXPANDED_BYTES (1024 * 1024)

/** Most elements, attributes and text nodes in the expansion of one file; refused at
 *  load time (the parser stops at the node past it, so no tree grows bigger). */
#define BL_MAX_EXPANDED_NODES 100000

/** Largest single response a writer may produce, in bytes: a backstop behind the
 *  load-time budget (feeds and the sitemap grow with the number of items). */
#define BL_MAX_RESPONSE_BYTES (64 * 1024 * 1024)

/** Bytes of rendered responses kept per content folder and process; least recently
 *  used entries are evicted past it. */
#define BL_CACHE_MAX_BYTES (64 * 1024 * 1024)

/** Longest text of a <list> entry's summary taken from an item's body, in bytes. */
#define BL_SUMMARY_FROM_BODY 200

/** Most entries of a <list count="N"/>. */
#define BL_MAX_LIST_COUNT 1000

/** A <list> without count: the first BL_DEFAULT_LIST_SIZE (or BilingualListSize)
 *  visible items of its kind, then a link to the list page. */
#define BL_LIST_ALL (-1)

/** Entries per page of the events and press lists and of their year archives, unless
 *  BilingualListSize says otherwise. */
#define BL_DEFAULT_LIST_SIZE 20

/** Most entries per page of a list (BilingualListSize). */
#define BL_MAX_LIST_SIZE 200

/** Most entries of an Atom feed page (BilingualFeedSize). */
#define BL_MAX_FEED_SIZE 1000

/** Largest width or height of an <image>, in pixels. */
#define BL_MAX_IMAGE_SIDE 20000

/** Highest ?page=N accepted; anything above is a 404 without any arithmetic. */
#define BL_MAX_PAGE_NUMBER 1000000

/** Longest request path the router looks at, in bytes. */
#define BL_MAX_PATH 8192

/** Most configured languages. */
#define BL_MAX_LANGS 16

/** Longest language tag, in bytes. */
#define BL_MAX_TAG 35

#endif
