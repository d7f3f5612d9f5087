/* bilingual_check.c: `bilingual-check DIR`, the content checker editors and deploys run.
 *
 * It loads the folder with the same core as the module (bl_site_load), with warnings
 * on, and prints every diagnostic as `path:line:col: error|warning: message`, then a
 * summary line. Exit status: 0 without errors, 1 with errors, 2 when it cannot run.
 * Options: -l "es en" names the languages whose translations are checked (default
 * "es en"); -q prints errors only.
 */
#include <stdio.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_content.h"
#include "bl_lang.h"

/* Counts and prints one diagnostic. */
static void print_diag(void *baton, const bl_diag_t *d)
{
    int *warnings = baton;
    int err = d->level == BL_LOG_ERR;

    if (!err) {
        (*warnings)++;
    }
    printf("%s:%d:%d: %s: %s\n", d->path, d->line, d->col, err ? "error" : "warning", d->msg);
}

/* Splits the -l argument into LANGS; returns 0 on a bad tag. */
static int parse_langs(char *arg, bl_langs_t *langs)
{
    char *tok, *state = NULL;

    langs->n = 0;
    for (tok = apr_strtok(arg, " ,", &state); tok; tok = apr_strtok(NULL, " ,", &state)) {
        if (langs->n == BL_MAX_LANGS) {
            fprintf(stderr, "bilingual-check: at most %d languages\n", BL_MAX_LANGS);
            return 0;
        }
        if (!bl_lang_tag_valid(tok)) {
            fprintf(stderr, "bilingual-check: '%s' is not a BCP 47 language tag\n", tok);
            return 0;
        }
        langs->tag[langs->n++] = tok;
    }
    if (langs->n == 0) {
        fprintf(stderr, "bilingual-check: -l needs at least one language tag\n");
    }
    return langs->n > 0;
}

/* Prints the usage line and returns the exit status for a usage error. */
static int usage(void)
{
    fprintf(stderr, "usage: bilingual-check [-q] [-l \"es en\"] CONTENT-DIR\n");
    return 2;
}

/* Parses the options, loads the folder once, reports. */
int main(int argc, char **argv)
{
    bl_langs_t langs = bl_lang_defaults;
    bl_sink_t sink;
    bl_site_t *site = NULL;
    int warnings = 0, changed = 0, quiet = 0, i;
    const char *dir = NULL;
    apr_status_t rv;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    xmlInitParser();
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        }
        else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc) {
            if (!parse_langs(argv[++i], &langs)) {
                return 2;
            }
        }
        else if (argv[i][0] == '-' || dir != NULL) {
            return usage();
        }
        else {
            dir = argv[i];
        }
    }
    if (dir == NULL) {
        return usage();
    }
    memset(&sink, 0, sizeof(sink));
    sink.cb = print_diag;
    sink.baton = &warnings;
    sink.warnings = !quiet;
    sink.langs = &langs;
    rv = bl_site_load(&site, &changed, dir, NULL, apr_time_now(), &sink);
    if (rv != APR_SUCCESS) {
        fprintf(stderr, "bilingual-check: %s: not a readable folder\n", dir);
        return 2;
    }
    printf("%s: %d error%s, %d warning%s; %u pages, %u events, %u press releases\n", dir,
           sink.errors, sink.errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
           bl_site_count(site, BL_KIND_PAGE), bl_site_count(site, BL_KIND_EVENT),
           bl_site_count(site, BL_KIND_PRESS));
    bl_site_unref(site);
    apr_terminate();
    return sink.errors > 0 ? 1 : 0;
}
