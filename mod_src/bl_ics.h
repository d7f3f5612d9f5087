/* bl_ics.h: the iCalendar writer (RFC 5545): content lines escaped and folded. */
#ifndef BL_ICS_H
#define BL_ICS_H

#include "bl_ctx.h"
#include "bl_out.h"

/** Longest physical line in octets, CRLF excluded (RFC 5545 3.1). */
#define BL_ICS_LINE_MAX 75

/** Writes the content line NAME ":" VALUE and CRLF into OUT. NAME (with any
 *  ";PARAM=..." already in it) is written as is; VALUE is escaped as TEXT when ESCAPE
 *  is set (backslash, ';' and ',' get a backslash, a newline becomes "\n") and written
 *  raw otherwise (DATE-TIME, URI). Either way CR and other control characters but TAB
 *  are dropped (a LF too when ESCAPE is unset), and the line is folded before any
 *  octet that would make it longer than BL_ICS_LINE_MAX, with CRLF and one space, never
 *  inside a UTF-8 sequence or an escape pair. */
void bl_ics_prop(bl_out_t *out, const char *name, const char *value, int escape);

/** Returns the UID of the item SLUG of the kind whose root element is ROOT under the
 *  tag-URI AUTHORITY ("example.org,2015", "event" -> "event-SLUG@example.org"; for a
 *  mailbox authority "ann@example.org,2015", the domain after the '@'; a NULL
 *  AUTHORITY is BL_NO_AUTHORITY), from P. */
const char *bl_ics_uid(const char *authority, const char *root, const char *slug, apr_pool_t *p);

/** Returns the SEQUENCE of an item last updated at UPDATED: the minutes from
 *  2000-01-01T00:00:00Z to it (0 before that, at most 2^31-1), so it grows whenever
 *  an editor moves `updated` forward, in every process and on every server. */
long bl_ics_sequence(apr_time_t updated);

/** Writes the calendar of the visible items of ranged kind ITEM into OUT: upcoming
 *  first, then past. Returns the buffer's status. */
apr_status_t bl_ics_write(const bl_ctx_t *ctx, int item, bl_out_t *out);

/** Writes the calendar of the one ranged item EV into OUT: the VEVENT the kind's
 *  calendar has for it (same UID), for "Add to calendar". Returns the buffer's status. */
apr_status_t bl_ics_write_item(const bl_ctx_t *ctx, const bl_file_t *ev, bl_out_t *out);

#endif
