/* conflictmap's command line: the only code that knows argv, prints, or exits. */
#include "cli.h"

#include <gio/gio.h>
#include <glib.h>
#include <locale.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static void map_options_from(cm_map_options *mo, const options *o)
{
    cm_map_options_init(mo);
    mo->styles = (const char *const *)o->styles;
    mo->control = o->control;
    mo->focus = o->focus;
}

static void render_options_from(cm_render_options *ro, const options *o)
{
    cm_render_options_init(ro);
    ro->dpi = o->dpi;
    ro->png_compression = o->png_compression;
    ro->threads = 0; /* the command line uses every core */
    /* an animation's options keep the library's defaults unless given */
    if (cli_option_given(o, "fps"))
        ro->fps = o->fps;
    if (cli_option_given(o, "hold"))
        ro->hold = o->hold;
    /* an animation is for a screen: 1600 pixels wide unless --dpi says otherwise (at 96 dpi,
     * 1123 px on A4, district names were 7 px tall and sources 6 px; 1600 px, 137 dpi, makes
     * them 10 and 8.5 px, for 55% more bytes and 38% more time: 16 monthly frames 809 KB in
     * 9.6 s against 523 KB in 6.9 s, measured) */
    const char *dot = o->output ? strrchr(o->output, '.') : NULL;
    if (dot && !g_ascii_strcasecmp(dot, ".webp") && !cli_option_given(o, "dpi"))
        ro->width = 1600;
    if (!o->quiet && isatty(STDERR_FILENO))
        ro->progress = progress;
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
    map_options_from(&mo, o);
    cm_status st = cm_map_load(&map, mapfile, &mo, ctx);
    if (st == CM_OK && o->date)
        st = cm_map_set_date(map, o->date, ctx);
    if (st == CM_OK && o->lang)
        st = cm_map_set_lang(map, o->lang, ctx);
    cm_render_options ro;
    render_options_from(&ro, o);
    if (st == CM_OK)
        st = cm_map_render_file(map, output, &ro, ctx);
    print_messages(ctx, st, o->quiet);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

static int watch(const char *mapfile, const char *output, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    map_options_from(&mo, o);
    cm_status st = cm_map_load(&map, mapfile, &mo, ctx);
    if (st != CM_OK) {
        print_messages(ctx, st, o->quiet);
        cm_ctx_destroy(ctx);
        return cli_exit_code(st);
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
    /* A first render that fails (a bad --date, --lang or --dpi, an unwritable output) fails
     * every time: no edit of an input can fix it, so stop rather than watch. */
    int rc = render_once(mapfile, output, o);
    if (rc != EXIT_OK) {
        g_ptr_array_unref(w.monitors);
        return rc;
    }
    if (!o->quiet)
        fprintf(stderr, "conflictmap: wrote %s\nconflictmap: watching %u files; Ctrl-C to stop\n",
                output, w.monitors->len);
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    g_main_loop_run(loop);
    g_main_loop_unref(loop);
    g_ptr_array_unref(w.monitors);
    return EXIT_OK;
}

static int cmd_info(const char *file, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    char **names = NULL, **values = NULL;
    cm_status st = cm_read_provenance(&names, &values, file, ctx);
    for (size_t i = 0; names && names[i]; i++)
        printf("%-12s %s\n", names[i], values[i]);
    cm_strv_free(names);
    cm_strv_free(values);
    print_messages(ctx, st, o->quiet);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

static int cmd_check(const char *mapfile, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map_options mo;
    map_options_from(&mo, o);
    cm_status st = cm_map_check(mapfile, &mo, ctx);
    size_t n = 0, nw = 0;
    const char *const *p = cm_ctx_problems(ctx, &n);
    const char *const *w = cm_ctx_warnings(ctx, &nw);
    for (size_t i = 0; i < n; i++)
        printf("%s\n", p[i]);
    for (size_t i = 0; i < nw && !o->quiet; i++)
        printf("warning: %s\n", w[i]);
    if (st == CM_OK)
        printf("%s: ok\n", mapfile);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

/* "LON,LAT" in degrees, two numbers and nothing else; whether they project is the
 * library's to say. */
static gboolean parse_at(const char *text, double *lon, double *lat)
{
    char *end = NULL;
    *lon = g_ascii_strtod(text, &end);
    if (end == text || *end != ',')
        return FALSE;
    const char *second = end + 1;
    *lat = g_ascii_strtod(second, &end);
    return end != second && *end == '\0';
}

/* What decided a query's answer: "zone:FID", "town:KEY", "site:KEY" or "region:KEY". */
static char *decided_by(cm_query_by by, long zone, const char *key)
{
    return by == CM_QUERY_ZONE   ? g_strdup_printf("zone:%ld", zone)
           : by == CM_QUERY_TOWN ? g_strconcat("town:", key, NULL)
           : by == CM_QUERY_SITE ? g_strconcat("site:", key, NULL)
                                 : g_strconcat("region:", key, NULL);
}

/* query --from: the change map's answer, "gained GNA LNA town:sabratha" (what it shows,
 * the holder on the date and before, what decided it).  Takes the map and the context. */
static int query_change(cm_map *map, double lon, double lat, const options *o, cm_ctx *ctx)
{
    cm_change_result r;
    cm_status st = cm_map_set_diff_from(map, o->from, ctx);
    if (st == CM_OK)
        st = cm_map_query_change(&r, map, lon, lat, ctx);
    if (st == CM_OK) {
        char *by = decided_by(r.by, r.zone, r.key);
        printf("%s\t%s\t%s\t%s\n", r.change, r.holder ? r.holder : "none",
               r.before ? r.before : "none", by);
        g_free(by);
    }
    print_messages(ctx, st, o->quiet);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

/* query: one tab-separated line, holder, status, what decided it, source, from the
 * geometry the map draws.  A bad --at is found before the data is read. */
static int cmd_query(const char *mapfile, const options *o)
{
    double lon = 0, lat = 0;
    if (!o->at) {
        fprintf(stderr, "conflictmap: query needs --at LON,LAT\n");
        return EXIT_USAGE;
    }
    if (!parse_at(o->at, &lon, &lat)) {
        fprintf(stderr, "conflictmap: --at \"%s\" must be LON,LAT in degrees, such as "
                        "13.19,32.89\n", o->at);
        return EXIT_USAGE;
    }
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    map_options_from(&mo, o);
    cm_query_result r;
    cm_status st = cm_map_load(&map, mapfile, &mo, ctx);
    if (st == CM_OK && o->date)
        st = cm_map_set_date(map, o->date, ctx);
    if (st == CM_OK && o->from)
        return query_change(map, lon, lat, o, ctx);
    if (st == CM_OK)
        st = cm_map_query(&r, map, lon, lat, ctx);
    if (st == CM_OK) {
        char *by = decided_by(r.by, r.zone, r.key);
        printf("%s\t%s\t%s\t%s\n", r.holder ? r.holder : "none", r.status ? r.status : "none",
               by, r.source ? r.source : "");
        g_free(by);
    }
    print_messages(ctx, st, o->quiet);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

/* init: a new project from a boundaries layer; says where it is and how to draw it. */
static int cmd_init(const char *boundaries, const options *o)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_init_options io;
    cm_init_options_init(&io);
    io.boundaries = boundaries;
    io.key = o->key, io.name = o->name, io.name_ar = o->name_ar, io.layer = o->layer;
    io.dir = o->output;
    io.force = o->force;
    char *map = NULL;
    cm_status st = cm_init_project(&map, &io, ctx);
    if (st == CM_OK && !o->quiet)
        fprintf(stderr, "conflictmap: wrote %s; draw it with: conflictmap render %s\n", map, map);
    print_messages(ctx, st, o->quiet);
    g_free(map);
    cm_ctx_destroy(ctx);
    return cli_exit_code(st);
}

/* series, web and diff: every usage error is found before the data is read. */
static int cmd_series_or_diff(const command_spec *command, const char *mapfile, const options *o)
{
    const gboolean series = command->bit == CMD_SERIES, web = command->bit == CMD_WEB;
    int rc = EXIT_OK, n = 0, grid[2] = {0, 0}, shard[2] = {0, 1};
    char **dates = NULL, *out = NULL, tail = 0;
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_status st = CM_OK;
    if (!o->from || !o->to) {
        fprintf(stderr, "conflictmap: %s needs --from and --to\n", command->name);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    /* a diff's two dates go through the same strict parser: one step spanning them both */
    if ((st = cm_series_dates(&dates, &n, o->from, o->to,
                              series || web ? (o->step ? o->step : "1m") : "10000000d",
                              ctx)) != CM_OK)
        goto report;
    if (!series && !web && strcmp(o->from, o->to) == 0) {
        fprintf(stderr, "conflictmap: diff --from %s must be before --to %s\n", o->from, o->to);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (o->grid && (sscanf(o->grid, "%dx%d%c", &grid[0], &grid[1], &tail) != 2 || grid[0] < 1 ||
                    grid[1] < 1 || grid[0] > 64 || grid[1] > 64 || grid[0] * grid[1] > 64)) {
        fprintf(stderr, "conflictmap: --grid \"%s\" must be COLUMNSxROWS, at most 64 maps, such "
                        "as 2x3\n", o->grid);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (o->shard && (sscanf(o->shard, "%d/%d%c", &shard[0], &shard[1], &tail) != 2 ||
                     shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1])) {
        fprintf(stderr, "conflictmap: --shard \"%s\" must be K/N with 0 <= K < N, such as 0/3\n",
                o->shard);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    out = o->output ? g_strdup(o->output)
                    : default_output(mapfile, web      ? ".html"
                                              : series ? "-series.pdf"
                                                       : "-diff.png");
    if (shard[1] > 1 && !strchr(out, '%')) {
        fprintf(stderr, "conflictmap: --shard writes one file a date: -o needs a file name "
                        "pattern such as frames/%%Y-%%m-%%d.png\n");
        rc = EXIT_USAGE;
        goto cleanup;
    }
    const char *dot = strrchr(out, '.');
    if ((cli_option_given(o, "fps") || cli_option_given(o, "hold")) &&
        !(dot && !g_ascii_strcasecmp(dot, ".webp"))) {
        fprintf(stderr, "conflictmap: --fps and --hold are for an animation: -o %s is not a "
                        ".webp\n", out);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    cm_map_options mo;
    map_options_from(&mo, o);
    if ((st = cm_map_load(&map, mapfile, &mo, ctx)) != CM_OK)
        goto report;
    if (o->lang && (st = cm_map_set_lang(map, o->lang, ctx)) != CM_OK)
        goto report;
    cm_render_options ro;
    render_options_from(&ro, o);
    ro.shard_index = shard[0], ro.shard_count = shard[1];
    if (web)
        st = cm_map_render_web(map, out, (const char *const *)dates, n, &ro, ctx);
    else if (series)
        st = cm_map_render_series(map, out, (const char *const *)dates, n, grid, &ro, ctx);
    else if ((st = cm_map_set_date(map, o->to, ctx)) == CM_OK &&
             (st = cm_map_set_diff_from(map, o->from, ctx)) == CM_OK)
        st = cm_map_render_file(map, out, &ro, ctx);
report:
    print_messages(ctx, st, o->quiet);
    rc = cli_exit_code(st);
cleanup:
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    cm_strv_free(dates);
    g_free(out);
    return rc;
}

static int run(const command_spec *command, int argc, char **argv)
{
    options o = {.dpi = 300, .png_compression = -1};
    int rc = EXIT_USAGE;
    if (!cli_parse_options(&argc, &argv, command, &o))
        goto cleanup;
    if (o.help || o.version) {
        if (o.help)
            cli_print_help(stdout);
        else
            printf("conflictmap %s\n", CONFLICTMAP_VERSION);
        rc = EXIT_OK;
        goto cleanup;
    }
    if (o.png_compression < -1 || o.png_compression > 9) {
        fprintf(stderr, "conflictmap: --png-compression %d must be 0 to 9\n", o.png_compression);
        goto cleanup;
    }
    if (command->bit == CMD_INIT) {
        if (argc != 2 || !o.key)
            fprintf(stderr, "conflictmap: init takes one boundaries file and --key FIELD, such "
                            "as: conflictmap init regions.shp --key id\n");
        else
            rc = cmd_init(argv[1], &o);
        goto cleanup;
    }
    if (argc > 2) {
        fprintf(stderr, "conflictmap: %s takes one %s, got %d arguments\n", command->name,
                command->bit == CMD_INFO ? "file" : "map file", argc - 1);
        goto cleanup;
    }
    const char *mapfile = argc == 2 ? argv[1] : cm_default_map_path();
    char *out = NULL;
    switch (command->bit) {
    case CMD_INFO:
        if (argc != 2) {
            fprintf(stderr, "conflictmap: info takes one PNG, PDF or SVG file\n");
            goto cleanup;
        }
        rc = cmd_info(argv[1], &o);
        break;
    case CMD_CHECK:
        rc = cmd_check(mapfile, &o);
        break;
    case CMD_QUERY:
        rc = cmd_query(mapfile, &o);
        break;
    case CMD_RENDER:
        out = o.output ? g_strdup(o.output) : default_output(mapfile, ".png");
        rc = o.watch ? watch(mapfile, out, &o) : render_once(mapfile, out, &o);
        g_free(out);
        break;
    default:
        rc = cmd_series_or_diff(command, mapfile, &o);
        break;
    }
cleanup:
    cli_options_clear(&o);
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
    setlocale(LC_ALL, "");
    setup_signals();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("conflictmap %s\n", CONFLICTMAP_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cli_commands); i++)
        if (strcmp(argv[1], cli_commands[i].name) == 0)
            return run(&cli_commands[i], argc - 1, argv + 1);
    fprintf(stderr, "conflictmap: unknown command \"%s\" (try conflictmap --help)\n", argv[1]);
    return EXIT_USAGE;
}
