/* bl_ics.c: the iCalendar (RFC 5545) feed of the visible items of a ranged kind,
 * /xx/events.ics, and the calendar of one of them, /xx/events/SLUG.ics.
 *
 * One VCALENDAR holds a VEVENT for each visible event, upcoming ones first (soonest
 * first), then past ones (latest first), the order of the events list; one event's
 * calendar holds the same VEVENT alone. Every instant
 * is written in UTC, so no VTIMEZONE is needed. The bytes depend on the content only:
 * DTSTAMP is the event's `updated` time, not the time of the request, so the ETag
 * stays the same until an editor changes something; SEQUENCE is derived from
 * `updated` too, so it only grows as editors move `updated` forward. UIDs are built
 * from the tag-URI authority, the kind's root element and the slug, never from the language or the text, so a
 * calendar that subscribed in Spanish recognises the same events in English. Text goes
 * through bl_ics_prop, which escapes TEXT values, drops control characters and folds
 * lines at 75 octets on UTF-8 character boundaries; every line ends in CRLF.
 */
#include <string.h>

#include <apr_strings.h>

#include "bl_ics.h"

/* An event without an end (or with an end not after its start) lasts this long. */
#define ICS_DEFAULT_DURATION apr_time_from_sec(3600)

/* The instant SEQUENCE counts minutes from: 2000-01-01T00:00:00Z. */
#define SEQUENCE_EPOCH (APR_INT64_C(946684800) * APR_USEC_PER_SEC)

/** One physical line being assembled. */
typedef struct ics_line_t {
    bl_out_t *out;
    char buf[BL_ICS_LINE_MAX + 8];
    apr_size_t len;
} ics_line_t;

/** One property of a component; a NULL value leaves the property out. */
typedef struct ics_prop_t {
    const char *name;
    const char *value;
    int escape;
} ics_prop_t;

/* Writes the physical line in LN followed by CRLF and empties it. */
static void line_end(ics_line_t *ln)
{
    bl_out_write(ln->out, ln->buf, ln->len);
    bl_out_write(ln->out, "\r\n", 2);
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

    while (*s != '\0') {
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
void bl_ics_prop(bl_out_t *out, const char *name, const char *value, int escape)
{
    ics_line_t ln;
    const char *c;

    ln.out = out;
    ln.len = 0;
    for (c = name; *c != '\0'; c++) {
        line_add(&ln, c, 1);
    }
    line_add(&ln, ":", 1);
    line_value(&ln, value, escape);
    line_end(&ln);
}

/* Takes the authority's name part, and of a mailbox only the domain. */
const char *bl_ics_uid(const char *authority, const char *root, const char *slug, apr_pool_t *p)
{
    const char *comma, *at, *domain;

    if (authority == NULL || *authority == '\0') {
        authority = BL_NO_AUTHORITY;
    }
    comma = strchr(authority, ',');
    domain = comma ? apr_pstrmemdup(p, authority, (apr_size_t)(comma - authority)) : authority;
    at = strrchr(domain, '@');
    if (at != NULL) {
        domain = at + 1;
    }
    return apr_pstrcat(p, root, "-", slug, "@", domain, NULL);
}

/* Counts minutes from the epoch of SEQUENCE, clamped to what a 32-bit INTEGER holds. */
long bl_ics_sequence(apr_time_t updated)
{
    apr_int64_t m = (updated - SEQUENCE_EPOCH) / (60 * APR_USEC_PER_SEC);

    if (m < 0) {
        return 0;
    }
    return m > APR_INT64_C(2147483647) ? 2147483647L : (long)m;
}

/* Writes the N properties of PROPS that have a value. */
static void write_props(bl_out_t *out, const ics_prop_t *props, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (props[i].value != NULL) {
            bl_ics_prop(out, props[i].name, props[i].value, props[i].escape);
        }
    }
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
    const char *summary = bl_ctx_summary(ctx, ev, fallback);

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

/* Returns the real language of EV's title when it is untranslated, else NULL. */
static const char *title_fallback(const bl_ctx_t *ctx, const bl_file_t *ev)
{
    const char *fb = NULL;

    bl_ctx_title(ctx, ev, &fb);
    return fb;
}

/* Returns the LOCATION: the place's name, then its postal address when the event
 * gives one (calendar apps look it up on a map), or NULL. */
static const char *place(const bl_ctx_t *ctx, const char *where, const char *address)
{
    if (address == NULL) {
        return where;
    }
    return where ? apr_pstrcat(ctx->pool, where, ", ", address, NULL) : address;
}

/* Writes the VEVENT of EV in the context's language. */
static void write_event(const bl_ctx_t *ctx, bl_out_t *out, const bl_file_t *ev)
{
    apr_pool_t *p = ctx->pool;
    const bl_item_t *it = &ev->item;
    const char *url = bl_ctx_abs(ctx, bl_ctx_item_path(ctx, ev, ctx->lang));
    const char *l_fb = NULL, *d_fb = NULL;
    const char *where = bl_ctx_location(ctx, ev, &l_fb);
    const char *address = bl_ctx_address(ctx, ev);
    const char *desc = event_description(ctx, ev, url, &d_fb);
    const ics_prop_t props[] = { { "BEGIN", "VEVENT", 0 },
                                 { "UID", bl_ics_uid(ctx->site->info.authority, bl_kind(ev->kind)->root, ev->name, p), 1 },
                                 { "DTSTAMP", bl_time_ical(it->updated.t, p), 0 },
                                 { "DTSTART", bl_time_ical(it->start.t, p), 0 },
                                 { "DTEND", bl_time_ical(event_end(it), p), 0 },
                                 { "SEQUENCE", apr_ltoa(p, bl_ics_sequence(it->updated.t)), 0 },
                                 { lang_param(ctx, "SUMMARY", title_fallback(ctx, ev)),
                                   bl_ctx_heading(ctx, ev, 0), 1 },
                                 { lang_param(ctx, "LOCATION", l_fb), place(ctx, where, address), 1 },
                                 { lang_param(ctx, "DESCRIPTION", d_fb), desc, 1 },
                                 { "URL", url, 0 },
                                 { "STATUS", it->cancelled ? "CANCELLED" : "CONFIRMED", 0 },
                                 { "LAST-MODIFIED", bl_time_ical(it->updated.t, p), 0 },
                                 { "END", "VEVENT", 0 } };

    write_props(out, props, (int)(sizeof(props) / sizeof(props[0])));
}

/* Writes a VEVENT for each of the N items at FROM, each from a scratch pool cleared
 * after it, and notes it for Last-Modified. */
static void write_events(const bl_ctx_t *ctx, bl_out_t *out, bl_file_t *const *from, int n)
{
    bl_ctx_t ec = *ctx;
    int i;

    apr_pool_create(&ec.pool, ctx->pool);
    for (i = 0; i < n && bl_out_status(out) == APR_SUCCESS; i++) {
        bl_ctx_note_item(ctx, from[i]);
        write_event(&ec, out, from[i]);
        apr_pool_clear(ec.pool);
    }
    apr_pool_destroy(ec.pool);
}

/* Writes BEGIN:VCALENDAR and the calendar's properties; NAME, when set, names it for
 * clients that make a calendar of a subscription. */
static void write_calendar_head(bl_out_t *out, const char *name)
{
    const ics_prop_t head[] = { { "BEGIN", "VCALENDAR", 0 },
                                { "VERSION", "2.0", 0 },
                                { "PRODID", "-//mod_bilingual//campaign events//EN", 0 },
                                { "CALSCALE", "GREGORIAN", 0 },
                                { "METHOD", "PUBLISH", 0 },
                                { "X-WR-CALNAME", name, 1 } };

    write_props(out, head, (int)(sizeof(head) / sizeof(head[0])));
}

/* Writes the calendar: its properties, then the list's items in order. */
apr_status_t bl_ics_write(const bl_ctx_t *ctx, int item, bl_out_t *out)
{
    const bl_list_t *l = bl_site_list(ctx->site, item);

    write_calendar_head(out, bl_ctx_join_title(bl_ctx_site_name(ctx), bl_ctx_word(ctx, bl_kind(item)->label),
                                      ctx->pool));
    bl_ctx_note_list(ctx, item);
    write_events(ctx, out, (bl_file_t *const *)l->order->elts, l->order->nelts);
    bl_ics_prop(out, "END", "VCALENDAR", 0);
    return bl_out_status(out);
}

/* Writes a calendar of one VEVENT, the same as in the kind's calendar; no calendar
 * name, so "Add to calendar" adds the event to the visitor's own calendar rather than
 * making a new one. */
apr_status_t bl_ics_write_item(const bl_ctx_t *ctx, const bl_file_t *ev, bl_out_t *out)
{
    write_calendar_head(out, NULL);
    write_events(ctx, out, (bl_file_t *const *)&ev, 1);
    bl_ics_prop(out, "END", "VCALENDAR", 0);
    return bl_out_status(out);
}
