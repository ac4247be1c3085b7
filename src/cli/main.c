/* conflictmap's command line: the only code that knows argv, prints, or exits. */
#include "conflictmap/conflictmap.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

/* Exit codes: one per class of failure, so scripts can tell them apart. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,
    EXIT_USAGE = 2,
    EXIT_DATA = 3,
    EXIT_STYLE = 4,
    EXIT_OUTPUT = 5,
};

static int exit_code(cm_status st)
{
    switch (st) {
    case CM_OK: return EXIT_OK;
    case CM_EUSAGE: return EXIT_USAGE;
    case CM_EINPUT: return EXIT_DATA;
    case CM_ESTYLE: return EXIT_STYLE;
    case CM_EOUTPUT: return EXIT_OUTPUT;
    default: return EXIT_INTERNAL;
    }
}

static void print_warnings(const cm_ctx *ctx, gboolean quiet)
{
    size_t n = 0;
    const char *const *w = cm_ctx_warnings(ctx, &n);
    for (size_t i = 0; i < n && !quiet; i++)
        fprintf(stderr, "conflictmap: warning: %s\n", w[i]);
}

static const char usage_text[] =
    "Usage: conflictmap render [MAPFILE] [OPTIONS]\n"
    "\n"
    "Renders a territorial-control map.  Without MAPFILE, the bundled map of Libya.\n"
    "\n"
    "Options:\n"
    "  --control FILE    use this ledger instead of the map's\n"
    "  --date YYYY-MM-DD show control on this date (default: the map's date)\n"
    "  --dpi N           PNG resolution (default 300: A4 is 3508 x 2480 px)\n"
    "  -h, --help        show this help\n"
    "  --lang en|ar|en+ar  label language (default: the style's)\n"
    "  -o, --output FILE output file; .png, .pdf or .svg (default: MAPNAME.png)\n"
    "  -q, --quiet       do not print warnings\n"
    "  --style FILE      add a style file on top of the map's (repeatable)\n"
    "  --version         print the version\n"
    "\n"
    "Exit codes: 0 ok, 2 usage, 3 input data, 4 map or style file, 5 output, 1 other.\n";

static int cmd_render(int argc, char **argv)
{
    char *output = NULL, *date = NULL, *control = NULL, *lang = NULL;
    char **styles = NULL;
    double dpi = 300;
    gboolean quiet = FALSE, help = FALSE;
    int rc = EXIT_OK;
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    GError *err = NULL;
    char *default_out = NULL;

    /* one sorted table */
    GOptionEntry entries[] = {
        {"control", 0, 0, G_OPTION_ARG_FILENAME, &control, NULL, NULL},
        {"date", 0, 0, G_OPTION_ARG_STRING, &date, NULL, NULL},
        {"dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, NULL, NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &lang, NULL, NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, NULL, NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, NULL, NULL},
        {"style", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &styles, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *oc = g_option_context_new(NULL);
    g_option_context_set_help_enabled(oc, FALSE);
    g_option_context_add_main_entries(oc, entries, NULL);
    if (!g_option_context_parse(oc, &argc, &argv, &err)) {
        fprintf(stderr, "conflictmap: %s\n(see conflictmap render --help)\n", err->message);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (help) {
        fputs(usage_text, stdout);
        goto cleanup;
    }
    if (argc > 2) {
        fprintf(stderr, "conflictmap: render takes one map file, got %d arguments\n", argc - 1);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    const char *mapfile = argc == 2 ? argv[1] : cm_default_map_path();
    if (!output) {
        char *base = g_path_get_basename(mapfile);
        char *dot = strrchr(base, '.');
        if (dot)
            *dot = '\0';
        default_out = g_strconcat(base, ".png", NULL);
        g_free(base);
    }
    cm_map_options mo = {(const char *const *)styles, control};
    cm_status st = cm_map_load(&map, mapfile, &mo, ctx);
    if (st == CM_OK && date)
        st = cm_map_set_date(map, date, ctx);
    if (st == CM_OK && lang)
        st = cm_map_set_lang(map, lang, ctx);
    cm_render_options ro = {dpi};
    if (st == CM_OK)
        st = cm_map_render_file(map, output ? output : default_out, &ro, ctx);
    print_warnings(ctx, quiet);
    if (st != CM_OK) {
        fprintf(stderr, "conflictmap: %s\n", cm_ctx_message(ctx));
        rc = exit_code(st);
    }
cleanup:
    g_clear_error(&err);
    g_option_context_free(oc);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(output);
    g_free(date);
    g_free(lang);
    g_free(control);
    g_free(default_out);
    g_strfreev(styles);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("conflictmap %s\n", CONFLICTMAP_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    fprintf(stderr, "conflictmap: unknown command \"%s\" (try conflictmap --help)\n", argv[1]);
    return EXIT_USAGE;
}
