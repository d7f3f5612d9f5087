/* bl_strings.c: the words the module writes itself, built in for es and en.
 *
 * site.xml may replace any of them with <string key="..." xml:lang="...">; a language
 * without built-in words (any tag but es-* and en-*) uses site.xml's or, failing
 * that, the default language's built-in words, else English.
 */
#include <string.h>
#include <strings.h>

#include "bl_render.h"
#include "bl_xml.h"

static const struct {
    const char *key;
    const char *es;
    const char *en;
} builtin[] = {
    { "language-name", "Español", "English" },
    { "events", "Eventos", "Events" },
    { "press", "Prensa", "Press" },
    { "upcoming", "Próximos eventos", "Upcoming events" },
    { "past", "Eventos pasados", "Past events" },
    { "no-events", "No hay eventos por ahora.", "No events for now." },
    { "no-press", "Todavía no hay comunicados.", "No press releases yet." },
    { "cancelled", "Cancelado", "Cancelled" },
    { "when", "Cuándo", "When" },
    { "where", "Dónde", "Where" },
    { "published", "Publicado", "Published" },
    { "updated", "Actualizado", "Updated" },
    { "feed", "Eventos y comunicados", "Events and press releases" },
    { "not-found", "Página no encontrada", "Page not found" },
    { "not-found-text", "No encontramos esa página.", "We could not find that page." },
    { "add-to-calendar", "Añadir al calendario", "Add to calendar" },
    { "subscribe", "Suscribirse", "Subscribe" },
    { "languages", "Idiomas", "Languages" },
};

/* Returns 1 when TAG is LANG or a subtag of it ("es-MX" for "es"). */
static int family(const char *tag, const char *lang)
{
    apr_size_t n = strlen(lang);

    return strncasecmp(tag, lang, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

/* Returns the built-in word KEY for TAG, or NULL when TAG has no table. */
static const char *builtin_word(const char *key, const char *tag)
{
    apr_size_t i;

    for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
        if (strcmp(builtin[i].key, key) != 0) {
            continue;
        }
        if (family(tag, "es")) {
            return builtin[i].es;
        }
        if (family(tag, "en")) {
            return builtin[i].en;
        }
        return NULL;
    }
    return NULL;
}

/* Finds site.xml's <string key=KEY> in LANG (exact tag, ignoring case). */
static const char *site_word(const bl_ctx_t *ctx, const char *key, const char *lang)
{
    xmlNodePtr c;
    const char *k, *l;

    if (ctx->site->info.root == NULL) {
        return NULL;
    }
    for (c = ctx->site->info.root->children; c != NULL; c = c->next) {
        if (!bl_xml_is(c, "string")) {
            continue;
        }
        k = bl_xml_attr(c, "key", ctx->pool);
        l = bl_xml_lang(c);
        if (k != NULL && strcmp(k, key) == 0 && (l == NULL || strcasecmp(l, lang) == 0)) {
            return bl_xml_text(c, ctx->pool);
        }
    }
    return NULL;
}

/* Tries site.xml then the tables, in the page's language, then the default's. */
const char *bl_ctx_string(const bl_ctx_t *ctx, const char *key)
{
    const char *lang = ctx->langs->tag[ctx->lang];
    const char *w;

    w = site_word(ctx, key, lang);
    if (w == NULL) {
        w = builtin_word(key, lang);
    }
    if (w == NULL) {
        w = site_word(ctx, key, ctx->langs->tag[0]);
    }
    if (w == NULL) {
        w = builtin_word(key, ctx->langs->tag[0]);
    }
    if (w == NULL) {
        w = builtin_word(key, "en");
    }
    return w ? w : key;
}
