/* bilingual_check.c: `bilingual-check DIR`, the content checker editors and deploys run.
 *
 * It loads the folder with the same core as the module (bl_site_load), with warnings
 * on, and prints every diagnostic as `path:line:col: error|warning: message`, then a
 * summary line. Exit status: 0 without errors, 1 with errors, 2 when it cannot run.
 * Options: -l "es en" names the languages whose translations are checked (default
 * "es en"); -q prints errors only (the summary still counts the warnings); --as-user
 * USER reads the folder as USER, so a file the server could not read is reported as
 * the server would report it. Run as root without --as-user, it reads as the Apache
 * user of Debian's /etc/apache2/envvars (APACHE_RUN_USER, else www-data).
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <libxml/parser.h>

#include "bl_content.h"
#include "bl_lang.h"

#define ENVVARS "/etc/apache2/envvars"

/* Prints one diagnostic. */
static void print_diag(void *baton, const bl_diag_t *d)
{
    (void)baton;
    printf("%s:%d:%d: %s: %s\n", d->path, d->line, d->col,
           d->level == BL_LOG_ERR ? "error" : "warning", d->msg);
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

/* Returns the Apache user named by APACHE_RUN_USER in Debian's envvars, else
 * "www-data", in BUF. */
static const char *apache_user(char *buf, apr_size_t size)
{
    FILE *f = fopen(ENVVARS, "r");
    char line[256], *v, *end;

    apr_cpystrn(buf, "www-data", size);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        v = strstr(line, "APACHE_RUN_USER=");
        if (v == NULL || strchr(line, '#') != NULL) {
            continue;
        }
        v += strlen("APACHE_RUN_USER=");
        v += *v == '"' || *v == '\'';
        end = v + strcspn(v, "\"' \t\r\n$");
        if (end > v && *end != '$') {
            apr_cpystrn(buf, v,
                        (apr_size_t)(end - v) + 1 < size ? (apr_size_t)(end - v) + 1 : size);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return buf;
}

/* Takes the identity of USER (its groups too) for good; returns 0 when it cannot. */
static int become(const char *user)
{
    struct passwd *pw = getpwnam(user);

    if (pw == NULL) {
        fprintf(stderr, "bilingual-check: no user '%s'\n", user);
        return 0;
    }
    if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0
        || setuid(pw->pw_uid) != 0) {
        fprintf(stderr,
                "bilingual-check: cannot become '%s' (run as root to check as another "
                "user)\n",
                user);
        return 0;
    }
    fprintf(stderr, "bilingual-check: reading as %s, as the server does\n", user);
    return 1;
}

/* Prints the usage line and returns the exit status for a usage error. */
static int usage(void)
{
    fprintf(stderr, "usage: bilingual-check [-q] [-l \"es en\"] [--as-user USER] CONTENT-DIR\n");
    return 2;
}

/** The command line, parsed. */
typedef struct args_t {
    bl_langs_t langs;
    int quiet;
    const char *user; /* NULL: the default */
    const char *dir;
} args_t;

/* Parses ARGV into A; returns 0 on a usage error (reported). */
static int parse_args(int argc, char **argv, args_t *a)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) {
            a->quiet = 1;
        }
        else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc) {
            if (!parse_langs(argv[++i], &a->langs)) {
                return 0;
            }
        }
        else if (strcmp(argv[i], "--as-user") == 0 && i + 1 < argc) {
            a->user = argv[++i];
        }
        else if (argv[i][0] == '-' || a->dir != NULL) {
            return usage() == 0;
        }
        else {
            a->dir = argv[i];
        }
    }
    return a->dir != NULL || usage() == 0;
}

/* Parses the options, takes the server's identity, loads the folder once, reports. */
int main(int argc, char **argv)
{
    args_t a;
    bl_sink_t sink;
    bl_site_t *site = NULL;
    char user[64];
    int changed = 0;
    apr_status_t rv;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    xmlInitParser();
    memset(&a, 0, sizeof(a));
    a.langs = bl_lang_defaults;
    if (!parse_args(argc, argv, &a)) {
        return 2;
    }
    if ((a.user != NULL || getuid() == 0)
        && !become(a.user ? a.user : apache_user(user, sizeof(user)))) {
        return 2;
    }
    memset(&sink, 0, sizeof(sink));
    sink.cb = print_diag;
    sink.warnings = !a.quiet;
    sink.langs = &a.langs;
    rv = bl_site_load(&site, &changed, a.dir, NULL, apr_time_now(), &sink);
    if (rv != APR_SUCCESS) {
        fprintf(stderr, "bilingual-check: %s: not a readable folder\n", a.dir);
        return 2;
    }
    printf("%s: %d error%s, %d warning%s; %u pages, %u events, %u press releases\n", a.dir,
           sink.errors, sink.errors == 1 ? "" : "s", sink.warned, sink.warned == 1 ? "" : "s",
           bl_site_count(site, BL_KIND_PAGE), bl_site_count(site, BL_KIND_EVENT),
           bl_site_count(site, BL_KIND_PRESS));
    bl_site_unref(site);
    apr_terminate();
    return sink.errors > 0 ? 1 : 0;
}
