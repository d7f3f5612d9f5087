/* bl_ics.c: the iCalendar (RFC 5545) feed of the visible events, /xx/events.ics.
 *
 * One VCALENDAR holds a VEVENT for each visible event, upcoming ones first (soonest
 * first), then past ones (latest first), the order of the events list. Every instant
 * is written in UTC, so no VTIMEZONE is needed. The bytes depend on the content only:
 * DTSTAMP is the event's `updated` time, not the time of the request, so the ETag
 * stays the same until an editor changes something. UIDs are built from the tag-URI
 * authority and the slug, never from the language or the text, so a calendar that
 * subscribed in Spanish recognises the same events in English. Text goes through
 * bl_ics_prop, which escapes TEXT values, drops control characters and folds lines
 * at 75 octets on UTF-8 character boundaries; every line ends in CRLF.
 */
#include <string.h>

#include <apr_strings.h>

#include "bl_atom.h"
#include "bl_ics.h"
#include "bl_lang.h"
#include "bl_render.h"

/* An event without an end (or with an end not after its start) lasts this long. */
#define ICS_DEFAULT_DURATION apr_time_from_sec(3600)

/** One physical line being assembled. */
typedef struct ics_line_t {
    apr_bucket_brigade *bb;
    char buf[BL_ICS_LINE_MAX + 8];
    apr_size_t len;
    apr_status_t rv;
} ics_line_t;

/** One property of a component; a NULL value leaves the property out. */
typedef struct ics_prop_t {
    const char *name;
    const char *value;
    int escape;
} ics_prop_t;

/* Writes the physical line in LN followed by CRLF and empties it; keeps the first
 * error in LN->rv. */
static void line_end(ics_line_t *ln)
{
    if (ln->rv == APR_SUCCESS) {
        ln->rv = apr_brigade_write(ln->bb, NULL, NULL, ln->buf, ln->len);
    }
    if (ln->rv == APR_SUCCESS) {
        ln->rv = apr_brigade_write(ln->bb, NULL, NULL, "\r\n", 2);
    }
    ln->len = 0;
}

/* Appends the N octets at S (one character or escape pair, N <= 4) to LN, folding
 * first when they would not fit in BL_ICS_LINE_MAX octets. */
static void line_add(ics_line_t *ln, const char *s, apr_size_t n)
{
    if (ln->len + n > BL_ICS_LINE_MAX) {
        line_end(ln);
        ln->buf[0] = ' ';
        ln->len = 1;
    }
    memcpy(ln->buf + ln->len, s, n);
    ln->len += n;
}

/* Returns the length of the UTF-8 sequence at S (1 to 4: a lead byte and as many
 * continuation bytes as it announces), or 0 when S starts with a stray byte. */
static apr_size_t utf8_len(const unsigned char *s)
{
    apr_size_t n, i;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] < 0xC2 || s[0] > 0xF4) {
        return 0;
    }
    n = s[0] < 0xE0 ? 2 : (s[0] < 0xF0 ? 3 : 4);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Appends VALUE to LN, escaped as TEXT when ESCAPE is set, without control
 * characters but TAB (and LF when escaped, which becomes "\n"). */
static void line_value(ics_line_t *ln, const char *value, int escape)
{
    const unsigned char *s = (const unsigned char *)value;
    char pair[2] = { '\\', 0 };
    apr_size_t n;

    while (*s != '\0' && ln->rv == APR_SUCCESS) {
        n = 1;
        if (escape && *s == '\n') {
            line_add(ln, "\\n", 2);
        }
        else if (escape && (*s == '\\' || *s == ';' || *s == ',')) {
            pair[1] = (char)*s;
            line_add(ln, pair, 2);
        }
        else if ((*s < 0x20 && *s != '\t') || *s == 0x7F) {
            /* dropped: CR, a raw LF, and every other control character */
        }
        else {
            n = utf8_len(s);
            if (n == 0) {
                n = 1; /* a stray byte of broken UTF-8: dropped */
            }
            else {
                line_add(ln, (const char *)s, n);
            }
        }
        s += n;
    }
}

/* Writes NAME:VALUE as one folded content line. */
apr_status_t bl_ics_prop(apr_bucket_brigade *bb, const char *name, const char *value, int escape)
{
    ics_line_t ln;
    const char *c;

    ln.bb = bb;
    ln.len = 0;
    ln.rv = APR_SUCCESS;
    for (c = name; *c != '\0'; c++) {
        line_add(&ln, c, 1);
    }
    line_add(&ln, ":", 1);
    line_value(&ln, value, escape);
    line_end(&ln);
    return ln.rv;
}

/* Takes the authority's name part, and of a mailbox only the domain. */
const char *bl_ics_uid(const char *authority, const char *slug, apr_pool_t *p)
{
    const char *comma, *at, *domain;

    if (authority == NULL || *authority == '\0') {
        authority = BL_ATOM_NO_AUTHORITY;
    }
    comma = strchr(authority, ',');
    domain = comma ? apr_pstrmemdup(p, authority, (apr_size_t)(comma - authority)) : authority;
    at = strrchr(domain, '@');
    if (at != NULL) {
        domain = at + 1;
    }
    return apr_pstrcat(p, "event-", slug, "@", domain, NULL);
}

/* Writes the N properties of PROPS that have a value, stopping at the first error. */
static apr_status_t write_props(const ics_prop_t *props, int n, apr_bucket_brigade *bb)
{
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < n && rv == APR_SUCCESS; i++) {
        if (props[i].value != NULL) {
            rv = bl_ics_prop(bb, props[i].name, props[i].value, props[i].escape);
        }
    }
    return rv;
}

/* Returns NAME with a LANGUAGE parameter naming FALLBACK, the text's real language
 * when it is not the calendar's, else NAME itself. */
static const char *lang_param(const bl_ctx_t *ctx, const char *name, const char *fallback)
{
    if (fallback == NULL || !bl_lang_tag_valid(fallback)) {
        return name;
    }
    return apr_pstrcat(ctx->pool, name, ";LANGUAGE=", fallback, NULL);
}

/* Returns the DESCRIPTION of EV: its summary, a blank line and URL; the summary's
 * real language goes to *FALLBACK. */
static const char *event_description(const bl_ctx_t *ctx, const bl_file_t *ev, const char *url,
                                     const char **fallback)
{
    const char *summary = bl_item_summary(ctx, ev, fallback);

    if (summary == NULL || *summary == '\0') {
        *fallback = NULL;
        return url;
    }
    return apr_pstrcat(ctx->pool, summary, "\n\n", url, NULL);
}

/* Returns the end of EV as iCalendar needs it: after the start, an hour after it
 * when the event has no end (or an end equal to its start). */
static apr_time_t event_end(const bl_item_t *it)
{
    if (it->has_end && it->end.t > it->start.t) {
        return it->end.t;
    }
    return it->start.t + ICS_DEFAULT_DURATION;
}

/* Writes the VEVENT of EV in the context's language; returns the brigade's status. */
static apr_status_t write_event(const bl_ctx_t *ctx, const bl_file_t *ev, apr_bucket_brigade *bb)
{
    apr_pool_t *p = ctx->pool;
    const bl_item_t *it = &ev->item;
    const char *url = bl_ctx_abs(ctx, bl_item_path(ctx, ev, ctx->lang));
    const char *t_fb = NULL, *l_fb = NULL, *d_fb = NULL;
    const char *title = bl_item_title(ctx, ev, &t_fb);
    const char *where = bl_item_location(ctx, ev, &l_fb);
    const char *desc = event_description(ctx, ev, url, &d_fb);
    const ics_prop_t props[] = { { "BEGIN", "VEVENT", 0 },
                                 { "UID", bl_ics_uid(ctx->site->info.authority, ev->name, p), 1 },
                                 { "DTSTAMP", bl_time_ical(it->updated.t, p), 0 },
                                 { "DTSTART", bl_time_ical(it->start.t, p), 0 },
                                 { "DTEND", bl_time_ical(event_end(it), p), 0 },
                                 { lang_param(ctx, "SUMMARY", t_fb),
                                   bl_atom_item_title(
                                       it->cancelled ? bl_ctx_string(ctx, "cancelled") : NULL, NULL,
                                       title, p),
                                   1 },
                                 { lang_param(ctx, "LOCATION", l_fb), where, 1 },
                                 { lang_param(ctx, "DESCRIPTION", d_fb), desc, 1 },
                                 { "URL", url, 0 },
                                 { "STATUS", it->cancelled ? "CANCELLED" : "CONFIRMED", 0 },
                                 { "LAST-MODIFIED", bl_time_ical(it->updated.t, p), 0 },
                                 { "END", "VEVENT", 0 } };

    return write_props(props, (int)(sizeof(props) / sizeof(props[0])), bb);
}

/* Writes a VEVENT for each event in EVENTS (may be NULL); returns the first error. */
static apr_status_t write_events(const bl_ctx_t *ctx, const apr_array_header_t *events,
                                 apr_bucket_brigade *bb)
{
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; events != NULL && i < events->nelts && rv == APR_SUCCESS; i++) {
        rv = write_event(ctx, APR_ARRAY_IDX(events, i, const bl_file_t *), bb);
    }
    return rv;
}

/* Writes the calendar: its properties, the upcoming events, then the past ones. */
apr_status_t bl_ics_write(const bl_ctx_t *ctx, apr_bucket_brigade *bb)
{
    const ics_prop_t head[] = {
        { "BEGIN", "VCALENDAR", 0 },
        { "VERSION", "2.0", 0 },
        { "PRODID", "-//mod_bilingual//campaign events//EN", 0 },
        { "CALSCALE", "GREGORIAN", 0 },
        { "METHOD", "PUBLISH", 0 },
        { "X-WR-CALNAME",
          bl_atom_feed_title(bl_ctx_site_name(ctx), bl_ctx_string(ctx, "events"), ctx->pool), 1 }
    };
    apr_status_t rv;

    rv = write_props(head, (int)(sizeof(head) / sizeof(head[0])), bb);
    if (rv == APR_SUCCESS) {
        rv = write_events(ctx, ctx->site->upcoming, bb);
    }
    if (rv == APR_SUCCESS) {
        rv = write_events(ctx, ctx->site->past, bb);
    }
    if (rv == APR_SUCCESS) {
        rv = bl_ics_prop(bb, "END", "VCALENDAR", 0);
    }
    return rv;
}
