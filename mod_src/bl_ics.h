/* bl_ics.h: iCalendar (RFC 5545) content lines, escaped and folded. */
#ifndef BL_ICS_H
#define BL_ICS_H

#include <apr_buckets.h>

/** Longest physical line in octets, CRLF excluded (RFC 5545 3.1). */
#define BL_ICS_LINE_MAX 75

/** Writes the content line NAME ":" VALUE and CRLF into BB. NAME (with any
 *  ";PARAM=..." already in it) is written as is; VALUE is escaped as TEXT when ESCAPE
 *  is set (backslash, ';' and ',' get a backslash, a newline becomes "\n") and written
 *  raw otherwise (DATE-TIME, URI). Either way CR and other control characters but TAB
 *  are dropped (a LF too when ESCAPE is unset), and the line is folded before any
 *  octet that would make it longer than BL_ICS_LINE_MAX, with CRLF and one space, never
 *  inside a UTF-8 sequence or an escape pair. Returns the brigade's status. */
apr_status_t bl_ics_prop(apr_bucket_brigade *bb, const char *name, const char *value, int escape);

/** Returns the UID of the event SLUG under the tag-URI AUTHORITY
 *  ("example.org,2015" -> "event-SLUG@example.org"; for a mailbox authority
 *  "ann@example.org,2015", the domain after the '@'; a NULL AUTHORITY is
 *  BL_ATOM_NO_AUTHORITY), from P. */
const char *bl_ics_uid(const char *authority, const char *slug, apr_pool_t *p);

#endif
