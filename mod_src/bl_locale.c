/* bl_locale.c: one row per built-in language: its words, names and date patterns.
 *
 * A language is found by family ("es-MX" uses the "es" row). Date patterns are tiny
 * format strings read here, not by the C library, so no system locale is needed:
 * %d day, %D day in two digits, %m month in two digits, %B month name, %Y year,
 * %G year in four digits, %A weekday name, %H hour (0-23), %K hour in two digits,
 * %I hour (1-12), %M minutes in two digits, %p AM or PM. A language without a row
 * writes ISO 8601 dates and a 24-hour clock. Adding a built-in language is adding a
 * row to `locales`.
 */
#include <string.h>

#include <apr_strings.h>

#include "bl_lang.h"
#include "bl_locale.h"

/** One UI word. */
typedef struct word_t {
    const char *key;
    const char *text;
} word_t;

/** One built-in language. */
typedef struct lang_row_t {
    const char *family;
    const word_t *words; /* ends with a NULL key */
    const char *months[12];
    const char *weekdays[7];
    const char *date;         /* the date pattern */
    const char *weekday_date; /* the date pattern with the weekday */
    const char *clock;        /* the time-of-day pattern */
} lang_row_t;

static const word_t words_es[] = {
    { "language-name", "Español" },
    { "events", "Eventos" },
    { "press", "Prensa" },
    { "upcoming", "Próximos eventos" },
    { "past", "Eventos pasados" },
    { "no-events", "No hay eventos por ahora." },
    { "no-press", "Todavía no hay comunicados." },
    { "cancelled", "Cancelado" },
    { "when", "Cuándo" },
    { "where", "Dónde" },
    { "published", "Publicado" },
    { "updated", "Actualizado" },
    { "feed", "Eventos y comunicados" },
    { "not-found", "Página no encontrada" },
    { "not-found-text", "No encontramos esa página." },
    { "add-to-calendar", "Añadir al calendario" },
    { "subscribe", "Suscribirse" },
    { "languages", "Idiomas" },
    { "events-about", "Los próximos eventos de la campaña y los pasados, con fecha, hora y lugar." },
    { "press-about", "Los comunicados de prensa de la campaña, del más reciente al más antiguo." },
    { "archive", "Archivo" },
    { "page", "Página" },
    { "of", "de" },
    { "pages", "Páginas" },
    { "previous-page", "Página anterior" },
    { "next-page", "Página siguiente" },
    { "subscribe-calendar", "Suscribirse a todos los eventos" },
    { "only-in", "Solo disponible en" },
    { "only-in-es", "Solo disponible en español" },
    { "only-in-en", "Solo disponible en inglés" },
    { "og-locale", "es_ES" },
    { NULL, NULL },
};

static const word_t words_en[] = {
    { "language-name", "English" },
    { "events", "Events" },
    { "press", "Press" },
    { "upcoming", "Upcoming events" },
    { "past", "Past events" },
    { "no-events", "No events for now." },
    { "no-press", "No press releases yet." },
    { "cancelled", "Cancelled" },
    { "when", "When" },
    { "where", "Where" },
    { "published", "Published" },
    { "updated", "Updated" },
    { "feed", "Events and press releases" },
    { "not-found", "Page not found" },
    { "not-found-text", "We could not find that page." },
    { "add-to-calendar", "Add to calendar" },
    { "subscribe", "Subscribe" },
    { "languages", "Languages" },
    { "events-about", "The campaign's upcoming and past events, with date, time and place." },
    { "press-about", "The campaign's press releases, newest first." },
    { "archive", "Archive" },
    { "page", "Page" },
    { "of", "of" },
    { "pages", "Pages" },
    { "previous-page", "Previous page" },
    { "next-page", "Next page" },
    { "subscribe-calendar", "Subscribe to all events" },
    { "only-in", "Only available in" },
    { "only-in-es", "Only available in Spanish" },
    { "only-in-en", "Only available in English" },
    { "og-locale", "en_US" },
    { NULL, NULL },
};

static const lang_row_t locales[] = {
    { "es",
      words_es,
      { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre" },
      { "domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado" },
      "%d de %B de %Y",
      "%A, %d de %B de %Y",
      "%H:%M" },
    { "en",
      words_en,
      { "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December" },
      { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" },
      "%B %d, %Y",
      "%A, %B %d, %Y",
      "%I:%M %p" },
};

/* The patterns of a language without a row. */
static const lang_row_t iso = { "", NULL, { NULL }, { NULL }, "%G-%m-%D", "%G-%m-%D", "%K:%M" };

/* Returns the row of TAG's family, or NULL. */
static const lang_row_t *find(const char *tag)
{
    apr_size_t i;

    for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
        if (bl_lang_in_family(tag, locales[i].family)) {
            return &locales[i];
        }
    }
    return NULL;
}

/* Looks KEY up in the row of TAG's family. */
const char *bl_locale_word(const char *tag, const char *key)
{
    const lang_row_t *l = find(tag);
    const word_t *w;

    for (w = l ? l->words : NULL; w != NULL && w->key != NULL; w++) {
        if (strcmp(w->key, key) == 0) {
            return w->text;
        }
    }
    return NULL;
}

/* Returns the text of pattern field C for the fields XT in language L, from P. */
static const char *field(char c, const apr_time_exp_t *xt, const lang_row_t *l, apr_pool_t *p)
{
    int h12 = xt->tm_hour % 12 == 0 ? 12 : xt->tm_hour % 12;

    switch (c) {
    case 'd': return apr_itoa(p, xt->tm_mday);
    case 'D': return apr_psprintf(p, "%02d", xt->tm_mday);
    case 'm': return apr_psprintf(p, "%02d", xt->tm_mon + 1);
    case 'B': return l->months[xt->tm_mon];
    case 'Y': return apr_itoa(p, xt->tm_year + 1900);
    case 'G': return apr_psprintf(p, "%04d", xt->tm_year + 1900);
    case 'A': return l->weekdays[xt->tm_wday];
    case 'H': return apr_itoa(p, xt->tm_hour);
    case 'K': return apr_psprintf(p, "%02d", xt->tm_hour);
    case 'I': return apr_itoa(p, h12);
    case 'M': return apr_psprintf(p, "%02d", xt->tm_min);
    case 'p': return xt->tm_hour < 12 ? "AM" : "PM";
    default: return "";
    }
}

/* Expands PATTERN for T in language L (a row, or iso), from P. */
static const char *expand(const char *pattern, const bl_time_t *t, const lang_row_t *l,
                          apr_pool_t *p)
{
    apr_time_exp_t xt;
    const char *out = "";
    const char *s = pattern, *pct;

    bl_time_local(t, &xt);
    while ((pct = strchr(s, '%')) != NULL && pct[1] != '\0') {
        out = apr_pstrcat(p, out, apr_pstrndup(p, s, (apr_size_t)(pct - s)),
                          field(pct[1], &xt, l, p), NULL);
        s = pct + 2;
    }
    return apr_pstrcat(p, out, s, NULL);
}

/* Picks the row (or iso) and its date pattern. */
const char *bl_locale_date(const bl_time_t *t, const char *tag, int weekday, apr_pool_t *p)
{
    const lang_row_t *l = find(tag);

    l = l ? l : &iso;
    return expand(weekday ? l->weekday_date : l->date, t, l, p);
}

/* Picks the row (or iso) and its clock pattern. */
const char *bl_locale_clock(const bl_time_t *t, const char *tag, apr_pool_t *p)
{
    const lang_row_t *l = find(tag);

    l = l ? l : &iso;
    return expand(l->clock, t, l, p);
}

/* Joins the date and the clock with ", ". */
const char *bl_locale_datetime(const bl_time_t *t, const char *tag, int weekday, apr_pool_t *p)
{
    return apr_pstrcat(p, bl_locale_date(t, tag, weekday, p), ", ", bl_locale_clock(t, tag, p),
                       NULL);
}

/* Writes one date and a clock range for a same-day span, two full dates otherwise. */
const char *bl_locale_span(const bl_time_t *start, const bl_time_t *end, const char *tag,
                           apr_pool_t *p)
{
    apr_time_exp_t a, b;
    bl_time_t end_here;

    if (end == NULL) {
        return bl_locale_datetime(start, tag, 1, p);
    }
    end_here.t = end->t;
    end_here.offset = start->offset;
    bl_time_local(start, &a);
    bl_time_local(&end_here, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) {
        return apr_pstrcat(p, bl_locale_datetime(start, tag, 1, p), "\xe2\x80\x93",
                           bl_locale_clock(&end_here, tag, p), NULL);
    }
    return apr_pstrcat(p, bl_locale_datetime(start, tag, 1, p), " \xe2\x80\x93 ",
                       bl_locale_datetime(end, tag, 1, p), NULL);
}
