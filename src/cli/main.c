/* conflictmap's command line: the only code that knows argv, prints, or exits. */
#include "conflictmap/conflictmap.h"

#include <gio/gio.h>
#include <glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static const char usage_text[] =
    "Usage: conflictmap COMMAND [MAPFILE] [OPTIONS]\n"
    "\n"
    "  render   the map on one date            conflictmap render -o map.pdf --date 2019-12-19\n"
    "  series   one page (or file) per date    conflictmap series --from 2019-04-01 --to 2020-07-01\n"
    "                                            --step 1m -o series.pdf   (or -o 'f/%Y-%m-%d.png')\n"
    "  diff     what changed hands             conflictmap diff --from 2020-04-01 --to 2020-07-01 -o d.png\n"
    "  check    validate all the map's data    conflictmap check\n"
    "  info     provenance of a rendered file  conflictmap info map.png\n"
    "Without MAPFILE, the bundled map of Libya.\n"
    "\n"
    "Options:\n"
    "  --control FILE      use this ledger instead of the map's\n"
    "  --date YYYY-MM-DD   render: the date shown (default: the map's)\n"
    "  --dpi N             PNG resolution (default 300: A4 is 3508 x 2480 px)\n"
    "  --from, --to DATE   series and diff: the first and last dates\n"
    "  --grid CxR          series: C x R small multiples a page\n"
    "  -h, --help          show this help\n"
    "  --lang en|ar|en+ar  label language (default: the style's)\n"
    "  --no-cache          read and project the data afresh; store nothing in the cache\n"
    "  -o, --output FILE   .png, .pdf or .svg (default: MAPNAME.png; series: MAPNAME-series.pdf)\n"
    "  --png-compression N zlib level 0-9 for PNG (default 3; 9 smallest, slowest)\n"
    "  -q, --quiet         no warnings, no progress\n"
    "  --step 1w|2w|1m|Nd  series: the interval between dates (default 1m)\n"
    "  --style FILE        add a style file on top of the map's (repeatable)\n"
    "  --version           print the version\n"
    "  --watch             render: render again whenever an input changes\n"
    "\n"
    "Exit codes: 0 ok, 2 usage, 3 input data, 4 map or style file, 5 output, 1 other.\n"
    "Loaded data is cached in $XDG_CACHE_HOME/conflictmap (CONFLICTMAP_CACHE: another folder,\n"
    "or off), under a hash of every input: change any input and it is read afresh.\n";

typedef struct {
    char *output, *date, *control, *lang, *from, *to, *step, *grid;
    char **styles;
    double dpi;
    int png_compression;
    gboolean quiet, help, watch, no_cache;
} options;

static void options_clear(options *o)
{
    g_free(o->output), g_free(o->date), g_free(o->control), g_free(o->lang);
    g_free(o->from), g_free(o->to), g_free(o->step), g_free(o->grid);
    g_strfreev(o->styles);
}

/* Parses the options (one sorted table for every command); argv keeps the positionals. */
static gboolean parse_options(int *argc, char ***argv, options *o)
{
    GOptionEntry entries[] = {
        {"control", 0, 0, G_OPTION_ARG_FILENAME, &o->control, NULL, NULL},
        {"date", 0, 0, G_OPTION_ARG_STRING, &o->date, NULL, NULL},
        {"dpi", 0, 0, G_OPTION_ARG_DOUBLE, &o->dpi, NULL, NULL},
        {"from", 0, 0, G_OPTION_ARG_STRING, &o->from, NULL, NULL},
        {"grid", 0, 0, G_OPTION_ARG_STRING, &o->grid, NULL, NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &o->help, NULL, NULL},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &o->lang, NULL, NULL},
        {"no-cache", 0, 0, G_OPTION_ARG_NONE, &o->no_cache, NULL, NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, NULL, NULL},
        {"png-compression", 0, 0, G_OPTION_ARG_INT, &o->png_compression, NULL, NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, NULL, NULL},
        {"step", 0, 0, G_OPTION_ARG_STRING, &o->step, NULL, NULL},
        {"style", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->styles, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &o->to, NULL, NULL},
        {"watch", 0, 0, G_OPTION_ARG_NONE, &o->watch, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GError *err = NULL;
    GOptionContext *oc = g_option_context_new(NULL);
    g_option_context_set_help_enabled(oc, FALSE);
    g_option_context_add_main_entries(oc, entries, NULL);
    gboolean ok = g_option_context_parse(oc, argc, argv, &err);
    if (!ok)
        fprintf(stderr, "conflictmap: %s (see conflictmap --help)\n", err->message);
    g_clear_error(&err);
    g_option_context_free(oc);
    return ok;
}

static void print_messages(const cm_ctx *ctx, cm_status st, gboolean quiet)
{
    size_t n = 0;
    const char *const *w = cm_ctx_warnings(ctx, &n);
    for (size_t i = 0; i < n && !quiet; i++)
        fprintf(stderr, "conflictmap: warning: %s\n", w[i]);
    if (st != CM_OK)
        fprintf(stderr, "conflictmap: %s\n", cm_ctx_message(ctx));
}

static void progress(int done, int total, void *data)
{
    (void)data;
    fprintf(stderr, "\rconflictmap: page %d of %d", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Dates from `from` to `to` inclusive, every `step`: 1w, 2w, 1m, 3m, 10d... */
static char **series_dates(const char *from, const char *to, const char *step, int *n)
{
    GDate a, b;
    unsigned count = 0;
    char unit = 0, tail = 0;
    if (!from || !to) {
        fprintf(stderr, "conflictmap: series needs --from and --to\n");
        return NULL;
    }
    if (sscanf(step ? step : "1m", "%u%c%c", &count, &unit, &tail) != 2 ||
        count == 0 || (unit != 'd' && unit != 'w' && unit != 'm')) {
        fprintf(stderr, "conflictmap: --step \"%s\" must be a number and d, w or m, such as 1w or 1m\n",
                step);
        return NULL;
    }
    g_date_clear(&a, 1);
    g_date_clear(&b, 1);
    int ya, ma, da, yb, mb, db;
    if (sscanf(from, "%d-%d-%d", &ya, &ma, &da) != 3 || sscanf(to, "%d-%d-%d", &yb, &mb, &db) != 3 ||
        !g_date_valid_dmy((GDateDay)da, (GDateMonth)ma, (GDateYear)ya) ||
        !g_date_valid_dmy((GDateDay)db, (GDateMonth)mb, (GDateYear)yb)) {
        fprintf(stderr, "conflictmap: --from and --to must be YYYY-MM-DD dates\n");
        return NULL;
    }
    g_date_set_dmy(&a, (GDateDay)da, (GDateMonth)ma, (GDateYear)ya);
    g_date_set_dmy(&b, (GDateDay)db, (GDateMonth)mb, (GDateYear)yb);
    if (g_date_compare(&a, &b) > 0) {
        fprintf(stderr, "conflictmap: --from %s is after --to %s\n", from, to);
        return NULL;
    }
    GPtrArray *dates = g_ptr_array_new();
    for (GDate d = a; g_date_compare(&d, &b) <= 0 && dates->len < 5000;) {
        g_ptr_array_add(dates, g_strdup_printf("%04d-%02d-%02d", g_date_get_year(&d),
                                               g_date_get_month(&d), g_date_get_day(&d)));
        /* months from the first date, so 31 January steps to the end of February */
        if (unit == 'm') {
            d = a;
            g_date_add_months(&d, count * dates->len);
        } else {
            g_date_add_days(&d, count * (unit == 'w' ? 7 : 1));
        }
    }
    *n = (int)dates->len;
    g_ptr_array_add(dates, NULL);
    return (char **)g_ptr_array_free(dates, FALSE);
}

static char *default_output(const char *mapfile, const char *suffix)
{
    char *base = g_path_get_basename(mapfile);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    char *out = g_strconcat(base, suffix, NULL);
    g_free(base);
    return out;
}

/* --watch: render once, then again whenever a file the map reads changes. */
typedef struct {
    const char *mapfile, *output;
    const options *o;
    guint pending;
    GPtrArray *monitors;
} watcher;

static int render_once(const char *mapfile, const char *output, const options *o);

static gboolean rerender(gpointer data)
{
    watcher *w = data;
    w->pending = 0;
    if (render_once(w->mapfile, w->output, w->o) == EXIT_OK && !w->o->quiet)
        fprintf(stderr, "conflictmap: wrote %s\n", w->output);
    return G_SOURCE_REMOVE;
}

static void on_change(GFileMonitor *m, GFile *f, GFile *other, GFileMonitorEvent ev, gpointer data)
{
    (void)m, (void)f, (void)other;
    watcher *w = data;
    if (ev != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && ev != G_FILE_MONITOR_EVENT_CREATED &&
        ev != G_FILE_MONITOR_EVENT_MOVED_IN && ev != G_FILE_MONITOR_EVENT_RENAMED)
        return;
    /* editors write in bursts: wait for quiet before rendering */
    if (w->pending)
        g_source_remove(w->pending);
    w->pending = g_timeout_add(250, rerender, w);
}

static int render_once(const char *mapfile, const char *output, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    cm_map_options_init(&mo);
    mo.styles = (const char *const *)o->styles;
    mo.control = o->control;
    cm_status st = cm_map_load(&map, mapfile, &mo, ctx);
    if (st == CM_OK && o->date)
        st = cm_map_set_date(map, o->date, ctx);
    if (st == CM_OK && o->lang)
        st = cm_map_set_lang(map, o->lang, ctx);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = o->dpi;
    ro.png_compression = o->png_compression;
    ro.threads = 0; /* the command line uses every core */
    if (st == CM_OK)
        st = cm_map_render_file(map, output, &ro, ctx);
    print_messages(ctx, st, o->quiet);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    return exit_code(st);
}

static int watch(const char *mapfile, const char *output, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    cm_map_options_init(&mo);
    mo.styles = (const char *const *)o->styles;
    mo.control = o->control;
    if (cm_map_load(&map, mapfile, &mo, ctx) != CM_OK) {
        print_messages(ctx, CM_EINPUT, o->quiet);
        cm_ctx_destroy(ctx);
        return EXIT_DATA;
    }
    watcher w = {mapfile, output, o, 0, g_ptr_array_new_with_free_func(g_object_unref)};
    for (const char *const *p = cm_map_input_files(map); *p; p++) {
        GFile *f = g_file_new_for_path(*p);
        GFileMonitor *m = g_file_monitor_file(f, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
        g_object_unref(f);
        if (!m)
            continue;
        g_signal_connect(m, "changed", G_CALLBACK(on_change), &w);
        g_ptr_array_add(w.monitors, m);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    rerender(&w);
    if (!o->quiet)
        fprintf(stderr, "conflictmap: watching %u files; Ctrl-C to stop\n", w.monitors->len);
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    g_main_loop_run(loop);
    g_main_loop_unref(loop);
    g_ptr_array_unref(w.monitors);
    return EXIT_OK;
}

static int run(const char *command, int argc, char **argv)
{
    options o = {.dpi = 300, .png_compression = -1};
    int rc = EXIT_OK;
    char *out = NULL;
    char **dates = NULL;
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_status st = CM_OK;

    if (!parse_options(&argc, &argv, &o)) {
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (o.help) {
        fputs(usage_text, stdout);
        goto cleanup;
    }
    if (o.png_compression < -1 || o.png_compression > 9) {
        fprintf(stderr, "conflictmap: --png-compression %d must be 0 to 9\n", o.png_compression);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (argc > 2) {
        fprintf(stderr, "conflictmap: %s takes one map file, got %d arguments\n", command, argc - 1);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    const char *mapfile = argc == 2 ? argv[1] : cm_default_map_path();
    cm_map_options mo;
    cm_map_options_init(&mo);
    mo.styles = (const char *const *)o.styles;
    mo.control = o.control;

    if (strcmp(command, "info") == 0) {
        char **names = NULL, **values = NULL;
        if (argc != 2) {
            fprintf(stderr, "conflictmap: info takes one PNG, PDF or SVG file\n");
            rc = EXIT_USAGE;
            goto cleanup;
        }
        st = cm_read_provenance(&names, &values, argv[1], ctx);
        for (size_t i = 0; names && names[i]; i++)
            printf("%-12s %s\n", names[i], values[i]);
        cm_strv_free(names);
        cm_strv_free(values);
        goto report;
    }
    if (strcmp(command, "check") == 0) {
        st = cm_map_check(mapfile, &mo, ctx);
        size_t n = 0, nw = 0;
        const char *const *p = cm_ctx_problems(ctx, &n);
        const char *const *w = cm_ctx_warnings(ctx, &nw);
        for (size_t i = 0; i < n; i++)
            printf("%s\n", p[i]);
        for (size_t i = 0; i < nw; i++)
            printf("warning: %s\n", w[i]);
        if (st == CM_OK)
            printf("%s: ok\n", mapfile);
        rc = exit_code(st);
        goto cleanup;
    }

    out = g_strdup(o.output);
    if (strcmp(command, "render") == 0) {
        if (!out)
            out = default_output(mapfile, ".png");
        rc = o.watch ? watch(mapfile, out, &o) : render_once(mapfile, out, &o);
        goto cleanup;
    }

    if ((st = cm_map_load(&map, mapfile, &mo, ctx)) != CM_OK)
        goto report;
    if (o.lang && (st = cm_map_set_lang(map, o.lang, ctx)) != CM_OK)
        goto report;
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = o.dpi;
    ro.png_compression = o.png_compression;
    ro.threads = 0; /* the command line uses every core */
    if (!o.quiet && isatty(STDERR_FILENO))
        ro.progress = progress;
    if (strcmp(command, "diff") == 0) {
        if (!o.from || !o.to) {
            fprintf(stderr, "conflictmap: diff needs --from and --to\n");
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (!out)
            out = default_output(mapfile, "-diff.png");
        if ((st = cm_map_set_date(map, o.to, ctx)) == CM_OK &&
            (st = cm_map_set_diff_from(map, o.from, ctx)) == CM_OK)
            st = cm_map_render_file(map, out, &ro, ctx);
    } else {
        int n = 0, grid[2] = {0, 0};
        if (!(dates = series_dates(o.from, o.to, o.step, &n))) {
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (o.grid && (sscanf(o.grid, "%dx%d", &grid[0], &grid[1]) != 2 || grid[0] < 1 ||
                       grid[1] < 1 || grid[0] * grid[1] > 64)) {
            fprintf(stderr, "conflictmap: --grid \"%s\" must be COLUMNSxROWS, such as 2x3\n", o.grid);
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (!out)
            out = default_output(mapfile, "-series.pdf");
        st = cm_map_render_series(map, out, (const char *const *)dates, n, grid, &ro, ctx);
    }
report:
    print_messages(ctx, st, o.quiet);
    rc = exit_code(st);
cleanup:
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_strfreev(dates);
    g_free(out);
    options_clear(&o);
    return rc;
}

/* Ends the process as the signal would have, less the library's temporary files.  The
 * handler was reset to the default on entry (SA_RESETHAND) and the signal is blocked while
 * it runs, so the raise takes effect, and kills, when it returns. */
static void on_fatal_signal(int sig)
{
    cm_output_remove_temp_files();
    raise(sig);
}

/* Interrupt, terminate and hang-up remove the temporary files of a render in progress (but
 * a signal the caller ignores, such as SIGHUP under nohup, stays ignored).  SIGXFSZ is
 * ignored, so that a write over the file-size limit fails with EFBIG and is reported like a
 * full disk instead of killing the process. */
static void setup_signals(void)
{
    static const int fatal[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa = {.sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++) {
        struct sigaction old;
        if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(fatal[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

int main(int argc, char **argv)
{
    static const char *const commands[] = {"render", "series", "diff", "check", "info"};
    setlocale(LC_ALL, "");
    setup_signals();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("conflictmap %s\n", CONFLICTMAP_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(argv[1], commands[i]) == 0)
            return run(commands[i], argc - 1, argv + 1);
    fprintf(stderr, "conflictmap: unknown command \"%s\" (try conflictmap --help)\n", argv[1]);
    return EXIT_USAGE;
}
