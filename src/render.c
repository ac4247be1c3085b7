/* The public entry points of rendering: a file (PNG, PDF, SVG), a caller's cairo context, or
 * a series of dates; and what every output carries, its provenance. */
#include "conflictmap/conflictmap.h"
#include "conflictmap/render.h"

#include "anim.h"
#include "ctx.h"
#include "keyfile.h"
#include "layout.h"
#include "map_impl.h"
#include "mapfile.h"
#include "output.h"
#include "page.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

static cm_page_spec spec_on(const cm_map *map)
{
    cm_page_spec spec = {.date = map->date};
    return spec;
}





static cm_status check_dpi(double dpi, cm_ctx *ctx)
{
    if (!(dpi >= 1 && dpi <= 10000))
        return cm_fail(ctx, CM_EUSAGE, "dpi %g is out of range (1 to 10000)", dpi);
    return CM_OK;
}

/* The file's provenance: title, dates, sources in force, the inputs' fingerprint.  The
 * creation time is SOURCE_DATE_EPOCH when set, else the map's date, so that the same inputs
 * give byte-identical files. */
void cm_series_provenance(const cm_map *map, const cm_page_spec *specs, int n,
                          void (*use)(const cm_provenance *p, void *data), void *data)
{
    char first[11], last[11], created[32];
    cm_format_date(&specs[0].date, first);
    cm_format_date(&specs[n - 1].date, last);
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    gint64 secs = epoch ? g_ascii_strtoll(epoch, &end, 10) : -1;
    if (epoch && end && !*end && secs >= 0) {
        GDateTime *t = g_date_time_new_from_unix_utc(secs);
        char *s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
        g_strlcpy(created, s, sizeof created);
        g_free(s);
        g_date_time_unref(t);
    } else {
        g_snprintf(created, sizeof created, "%sT00:00:00Z", last);
    }
    cm_control cs = cm_control_on(map, &specs[n - 1]);
    char *sources = cm_sources_line(map, &cs, FALSE);
    cm_control_clear(&cs);
    char *date_long = cm_format_date_long(map->style, &specs[n - 1].date);
    const char *title = map->mf->title ? map->mf->title : cm_word(map->style, "untitled");
    char *full_title = n > 1 ? g_strdup_printf("%s, %s to %s", title, first, last)
                             : g_strdup_printf("%s, %s", title, date_long);
    char *keywords = n > 1 ? g_strdup_printf("territorial control; %s; %s", first, last)
                           : g_strdup_printf("territorial control; %s", last);
    char *creator = g_strdup_printf("conflictmap %s", CM_VERSION);
    cm_provenance p = {.title = full_title, .subject = map->mf->subtitle, .keywords = keywords,
                       .creator = creator, .date = n > 1 ? first : last, .created = created,
                       .sources = sources, .data_sha256 = map->data_sha256};
    use(&p, data);
    g_free(creator);
    g_free(keywords);
    g_free(full_title);
    g_free(date_long);
    g_free(sources);
}

static void output_provenance(const cm_provenance *p, void *out)
{
    cm_output_set_provenance(out, p);
}

/* The legend, inset or scale bar over mapped regions: said once for the
 * output, for its first page (a series' legend grows and shrinks; the first page speaks for
 * it), naming the regions. */
static void warn_covered(const cm_map *map, const cm_page_spec *specs, int n, cm_ctx *ctx)
{
    char *covers = n > 0 ? cm_page_furniture_covers(map, &specs[0]) : NULL;
    if (covers)
        cm_warn(ctx, "%s: the legend, inset or scale bar covers part of %s; "
                "set [legend], [inset] or [scale-bar] position in a style, or widen the extent",
                map->mf->path, covers);
    g_free(covers);
}

/* The page's language where the data has none, in one warning a render: events with no
 * text in it, and (French) the names of the layers without a name-fr. */
static void warn_data_lang(const cm_map *map, cm_ctx *ctx)
{
    const char *lang = cm_words_lang(map->style);
    int n = cm_events_untranslated(map->events, lang);
    char *names = strcmp(lang, "fr") == 0 ? cm_places_without_french(map) : NULL;
    if (n == 0 && !names)
        return;
    GString *what = g_string_new(NULL);
    if (names)
        g_string_append_printf(what, "the names of %s", names);
    if (names && n)
        g_string_append(what, " and ");
    if (n)
        g_string_append_printf(what, "%d event%s of %s (no text_%s)", n, n == 1 ? "" : "s",
                               map->events->path, lang);
    cm_warn(ctx, "%s: the data has no \"%s\" for %s: in English on the page", map->mf->path,
            lang, what->str);
    g_string_free(what, TRUE);
    g_free(names);
}

/* Writes one file holding `n` pages (or sheets of small multiples when grid[0] > 0).  With
 * `memory` (a series of single pages), labels keep their positions from the pages before. */
/* The words this render used without a translation, in one warning for the map and its
 * details. */
static void report_words(const cm_map *map, cm_ctx *ctx)
{
    for (int i = 0; i < map->ndetails; i++)
        cm_words_merge_missing(map->style, map->details[i]->style);
    cm_words_report(map->style, ctx);
}

static cm_status render_pages(cm_map *map, const char *path, const cm_page_spec *specs, int n,
                              const int grid[2], const cm_render_options *opts,
                              cm_label_memory *memory, cm_ctx *ctx)
{
    cm_format fmt;
    cm_output *out = NULL;
    cm_status st;
    double dpi = opts->dpi;
    if ((st = check_dpi(dpi, ctx)) != CM_OK || (st = cm_format_from_path(&fmt, path, ctx)) != CM_OK)
        return st;
    int per_page = grid && grid[0] > 0 ? grid[0] * grid[1] : 1;
    int pages = (n + per_page - 1) / per_page;
    warn_covered(map, specs, n, ctx);
    warn_data_lang(map, ctx);
    if (pages > 1 && fmt != CM_FORMAT_PDF)
        return cm_fail(ctx, CM_EUSAGE,
                       "%s: %d pages need a PDF, or a file name pattern such as frames/%%Y-%%m-%%d.png",
                       path, pages);
    int level = opts->png_compression;
    if (level < -1 || level > 9)
        return cm_fail(ctx, CM_EUSAGE, "PNG compression %d is out of range (0 to 9, or -1 for "
                       "the default)", level);
    if (opts->threads < 0)
        return cm_fail(ctx, CM_EUSAGE, "%d threads: use 1 or more, or 0 for one per core",
                       opts->threads);
    cm_raster raster = {.dpi = dpi, .level = level, .threads = opts->threads};
    if ((st = cm_output_begin(&out, path, fmt, map->page_w, map->page_h, &raster, ctx)) != CM_OK)
        return st;
    cm_series_provenance(map, specs, n, output_provenance, out);
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (fmt == CM_FORMAT_PNG) {
        /* its bands lay out the same labels: the first to place them records where they
         * went, the others take the same (labels.h: cm_label_plans) */
        cm_page_cache labels_only = {.memory = memory, .plans = cm_label_plans_new()};
        cm_sheet sh = {map, specs, 0, n, grid, &labels_only, NULL, FALSE};
        st = cm_output_draw_png(out, cm_draw_sheet, &sh, ctx);
        cm_label_plans_free(labels_only.plans);
        if (st != CM_OK) {
            cm_output_abort(out);
            return st;
        }
        for (int k = 0; k < n && opts->progress; k++)
            opts->progress(k + 1, n, opts->progress_data);
    } else {
        cairo_t *cr = cairo_create(cm_output_surface(out));
        cm_page_cache cache = {0};
        if (n > 1 && fmt == CM_FORMAT_PDF)
            cache = cm_page_cache_new(map);
        if (fmt == CM_FORMAT_PDF)
            cache.halos = cm_halo_cache_new();
        cache.memory = memory;
        gboolean notes = per_page > 1 && fmt == CM_FORMAT_PDF && map->sources;
        for (int first = 0; first < n; first += per_page) {
            cm_sheet sh = {map, specs, first, MIN(per_page, n - first), grid, &cache, NULL,
                           notes};
            if (per_page == 1 && fmt == CM_FORMAT_SVG) {
                cm_page_body *body = NULL;
                cm_draw_page(cr, map, &specs[first], &cache, &body);
                GString *text = g_string_new(NULL);
                cm_page_body_svg_text(body, text);
                cm_output_set_svg_text(out, text->str);
                g_string_free(text, TRUE);
                cm_page_body_free(body);
            } else if (n == 1 && fmt == CM_FORMAT_PDF && map->sources) {
                /* a lone PDF whose notes did not fit under the map gets them on a page of
                 * their own, in full */
                cm_page_body *body = NULL;
                cm_draw_page(cr, map, &specs[first], &cache, &body);
                gboolean complete = body->notes_complete;
                cm_page_body_free(body);
                if (!complete) {
                    cairo_show_page(cr);
                    cm_draw_notes_page(cr, map, &specs[first]);
                }
            } else if (fmt == CM_FORMAT_SVG) { /* a sheet of small multiples */
                sh.svg_text = g_string_new(NULL);
                cm_draw_sheet(cr, &sh);
                cm_output_set_svg_text(out, sh.svg_text->str);
                g_string_free(sh.svg_text, TRUE);
            } else {
                cm_draw_sheet(cr, &sh);
            }
            for (int k = first; k < first + sh.count && opts->progress; k++)
                opts->progress(k + 1, n, opts->progress_data);
            if (first + per_page < n)
                cairo_show_page(cr);
        }
        if (notes) { /* the sheets' sources cut short: in full on pages of their own */
            cairo_show_page(cr);
            cm_draw_notes_page(cr, map, &specs[n - 1]);
        }
        cs = cairo_status(cr);
        cairo_destroy(cr);
        cm_page_cache_clear(&cache);
    }
    report_words(map, ctx);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cm_output_fail(out, cs, ctx);
    return cm_output_commit(out, ctx);
}

void cm_render_options_init(cm_render_options *opts)
{
    *opts = (cm_render_options){.size = sizeof *opts, .dpi = 300, .png_compression = -1,
                                .threads = 1, .keep_labels = TRUE, .fps = 2, .hold = 3,
                                .width = 0, .quality = -1};
}

cm_status cm_map_render_file(cm_map *map, const char *path, const cm_render_options *opts_in,
                             cm_ctx *ctx)
{
    cm_render_options opts;
    cm_ctx_begin(ctx);
    cm_render_options_init(&opts);
    if (cm_options_read(&opts, sizeof opts, opts_in, "cm_render_options", ctx) != CM_OK)
        return CM_EUSAGE;
    if (cm_anim_path(path))
        return cm_fail(ctx, CM_EUSAGE, "%s: an animation shows a series of dates: use series",
                       path);
    cm_page_spec spec = spec_on(map);
    if (map->has_diff_from) {
        spec.diff = TRUE;
        spec.from = map->diff_from;
    }
    return render_pages(map, path, &spec, 1, NULL, &opts, NULL, ctx);
}

cm_status cm_map_render_cairo(cm_map *map, cairo_t *cr, double x, double y, double width,
                               double height, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (!(width > 0 && height > 0))
        return cm_fail(ctx, CM_EUSAGE, "the rectangle %g x %g is empty", width, height);
    cm_page_spec spec = spec_on(map);
    if (map->has_diff_from) {
        spec.diff = TRUE;
        spec.from = map->diff_from;
    }
    double scale = fmin(width / map->page_w, height / map->page_h);
    cairo_save(cr);
    cairo_translate(cr, x + (width - map->page_w * scale) / 2, y + (height - map->page_h * scale) / 2);
    cairo_scale(cr, scale, scale);
    cairo_rectangle(cr, 0, 0, map->page_w, map->page_h);
    cairo_clip(cr);
    cm_draw_page(cr, map, &spec, NULL, NULL);
    cairo_restore(cr);
    report_words(map, ctx);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return cm_fail(ctx, CM_EOUTPUT, "drawing failed: %s", cairo_status_to_string(cairo_status(cr)));
    return CM_OK;
}

/* Another shard's frame: laid out as render_pages would draw it as a PNG, on a recording
 * that is thrown away, so that `memory` holds where its labels went. */
static void lay_out_only(const cm_map *map, const cm_page_spec *spec, cm_label_memory *memory)
{
    cairo_surface_t *rec = cairo_recording_surface_create(
        CAIRO_CONTENT_COLOR_ALPHA, &(cairo_rectangle_t){0, 0, map->page_w, map->page_h});
    cairo_t *cr = cairo_create(rec);
    cm_page_cache labels_only = {.memory = memory};
    cm_sheet sh = {map, spec, 0, 1, NULL, &labels_only, NULL, FALSE};
    cm_draw_sheet(cr, &sh);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
}

/* The file names a pattern gives the series' dates, checked before anything is written:
 * none empty, no two alike, none a folder, each in a folder that exists.  A series that
 * would fail half-way must not have overwritten its first frames already. */
static cm_status series_names(char ***out, const char *pattern, const cm_page_spec *specs, int n,
                              cm_ctx *ctx)
{
    cm_status st = CM_OK;
    char **names = g_new0(char *, (size_t)n + 1);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = 0; i < n && st == CM_OK; i++) {
        char name[4096];
        if (g_date_strftime(name, sizeof name, pattern, &specs[i].date) == 0) {
            st = cm_fail(ctx, CM_EUSAGE, "%s: the file name pattern gives an empty name", pattern);
            break;
        }
        names[i] = g_strdup(name);
        char *dir = g_path_get_dirname(name), date[11];
        cm_format_date(&specs[i].date, date);
        const char *other = g_hash_table_lookup(seen, name);
        if (other)
            st = cm_fail(ctx, CM_EUSAGE, "%s: the pattern gives two dates the same file name %s "
                         "(%s and %s); nothing was written", pattern, name, other, date);
        else if (g_file_test(name, G_FILE_TEST_IS_DIR))
            st = cm_fail(ctx, CM_EOUTPUT, "%s: is a folder; nothing was written", name);
        else if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
            st = cm_fail(ctx, CM_EOUTPUT, "%s: no folder %s; nothing was written", name, dir);
        g_free(dir);
        if (!other)
            g_hash_table_insert(seen, names[i], g_strdup(date));
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_free(v);
    g_hash_table_unref(seen);
    if (st != CM_OK)
        g_clear_pointer(&names, g_strfreev);
    *out = names;
    return st;
}

/* A series to one file a date on several threads, a frame a thread (no bands: a frame drawn
 * whole on one thread wastes no work redrawing the page for each band).  Labels kept from
 * frame to frame are placed in frame order, scope by scope (label_memory.c), so every file is
 * the one the frames drawn one after another would write.  Each frame reports into a context
 * of its own; the caller's thread passes their warnings on, and counts progress, in frame
 * order; the first frame to fail stops the series there (frames after it may be written
 * already, each whole, as a frame never is half-written). */
typedef struct {
    cm_map *map;
    char **names;
    const cm_page_spec *specs;
    int n, shard, shards;
    const cm_render_options *opts;
    cm_label_memory *memory;
    pthread_mutex_t lock;
    pthread_cond_t done_one;
    int next;
    gboolean stop;
    cm_status *status;
    cm_ctx **ctxs;
    gboolean *done;
} series_job;

static void *series_worker(void *data)
{
    series_job *j = data;
    pthread_mutex_lock(&j->lock);
    while (!j->stop && j->next < j->n) {
        int i = j->next++;
        pthread_mutex_unlock(&j->lock);
        cm_label_memory *m = j->memory ? cm_label_memory_frame(j->memory, i) : NULL;
        cm_ctx *c = cm_ctx_new();
        cm_status st = CM_OK;
        if (i % j->shards != j->shard) {
            if (m)
                lay_out_only(j->map, &j->specs[i], m);
        } else {
            cm_render_options one = *j->opts;
            one.progress = NULL;
            one.threads = 1;
            st = render_pages(j->map, j->names[i], &j->specs[i], 1, NULL, &one, m, c);
        }
        if (m)
            cm_label_memory_frame_done(m);
        pthread_mutex_lock(&j->lock);
        j->status[i] = st, j->ctxs[i] = c, j->done[i] = TRUE;
        j->stop = j->stop || st != CM_OK;
        pthread_cond_broadcast(&j->done_one);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static cm_status series_threads(series_job *j, int nthreads, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    j->status = g_new0(cm_status, (size_t)j->n);
    j->ctxs = g_new0(cm_ctx *, (size_t)j->n);
    j->done = g_new0(gboolean, (size_t)j->n);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->done_one, NULL);
    if (j->memory)
        cm_label_memory_in_turns(j->memory, j->n);
    pthread_t *threads = g_new0(pthread_t, (size_t)nthreads);
    int started = 0;
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&threads[started], NULL, series_worker, j) == 0)
            started++;
    if (!started) /* no thread to be had: the caller's draws them all */
        series_worker(j);
    int mine = (j->n - j->shard + j->shards - 1) / j->shards, reported = 0;
    for (int i = 0; i < j->n && st == CM_OK; i++) {
        pthread_mutex_lock(&j->lock);
        while (!j->done[i] && !(j->stop && i >= j->next))
            pthread_cond_wait(&j->done_one, &j->lock);
        gboolean done = j->done[i];
        pthread_mutex_unlock(&j->lock);
        if (!done)
            break;
        size_t nw = 0;
        const char *const *w = cm_ctx_warnings(j->ctxs[i], &nw);
        for (size_t k = 0; k < nw; k++)
            cm_warn(ctx, "%s", w[k]);
        if (j->status[i] != CM_OK)
            st = cm_fail(ctx, j->status[i], "%s", cm_ctx_message(j->ctxs[i]));
        else if (i % j->shards == j->shard && j->opts->progress)
            j->opts->progress(++reported, mine, j->opts->progress_data);
    }
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    for (int i = 0; i < j->n; i++)
        cm_ctx_destroy(j->ctxs[i]);
    g_free(threads);
    g_free(j->status), g_free(j->ctxs), g_free(j->done);
    pthread_cond_destroy(&j->done_one);
    pthread_mutex_destroy(&j->lock);
    return st;
}

cm_status cm_map_render_series(cm_map *map, const char *path, const char *const *dates, int n,
                               const int grid[2], const cm_render_options *opts_in, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_render_options o;
    cm_ctx_begin(ctx);
    cm_render_options_init(&o);
    if (cm_options_read(&o, sizeof o, opts_in, "cm_render_options", ctx) != CM_OK)
        return CM_EUSAGE;
    const cm_render_options *opts = &o;
    if (n < 1)
        return cm_fail(ctx, CM_EUSAGE, "a series needs at least one date");
    if (n > CM_SERIES_MAX_DATES)
        return cm_fail(ctx, CM_EUSAGE, "a series of %d dates is more than %d, the limit", n,
                       CM_SERIES_MAX_DATES);
    cm_page_spec *specs = g_new0(cm_page_spec, (size_t)n);
    for (int i = 0; i < n && st == CM_OK; i++) {
        if (!cm_parse_date(dates[i], &specs[i].date))
            st = cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", dates[i]);
    }
    /* labels stay put from frame to frame; not across the cells of a sheet, where each band
     * of a PNG would find the later cells' positions */
    cm_label_memory *memory = (grid && grid[0] > 0) || !opts->keep_labels ? NULL
                                                                          : cm_label_memory_new();
    int shards = MAX(opts->shard_count, 1), shard = opts->shard_index;
    if (st == CM_OK && (shard < 0 || shard >= shards))
        st = cm_fail(ctx, CM_EUSAGE, "shard %d of %d: the shard must be 0 to %d", shard, shards,
                     shards - 1);
    if (st == CM_OK && grid && grid[0] > 0 && strchr(path, '%'))
        /* one file a date has no room for small multiples: refused, not ignored */
        st = cm_fail(ctx, CM_EUSAGE, "%s: --grid makes one file of small multiples; a name "
                     "pattern with %% writes one file a date: give one or the other", path);
    if (st == CM_OK && shards > 1 && !strchr(path, '%'))
        st = cm_fail(ctx, CM_EUSAGE, "%s: a shard writes one file a date: give a file name "
                     "pattern such as frames/%%Y-%%m-%%d.png", path);
    if (st == CM_OK && cm_anim_path(path)) {
        /* one animated file, one frame a date */
        if (grid && grid[0] > 0)
            st = cm_fail(ctx, CM_EUSAGE, "%s: an animation cannot hold small multiples", path);
        else
            st = cm_anim_write(map, path, specs, n, opts, memory, ctx);
        if (st == CM_OK)
            report_words(map, ctx);
    } else if (st == CM_OK && strchr(path, '%')) {
        /* one file per date, named by strftime on the pattern; every name checked first */
        char **names = NULL;
        int mine = (n - shard + shards - 1) / shards, done = 0;
        int nthreads = opts->threads > 0 ? opts->threads : (int)g_get_num_processors();
        nthreads = MIN(nthreads, n);
        if (st == CM_OK && opts->threads < 0)
            st = cm_fail(ctx, CM_EUSAGE, "%d threads: use 1 or more, or 0 for one per core",
                         opts->threads);
        if (st == CM_OK && (st = series_names(&names, path, specs, n, ctx)) == CM_OK &&
            nthreads > 1) {
            series_job j = {.map = map, .names = names, .specs = specs, .n = n, .shard = shard,
                            .shards = shards, .opts = opts, .memory = memory};
            st = series_threads(&j, nthreads, ctx);
        } else if (st == CM_OK) {
            for (int i = 0; i < n && st == CM_OK; i++) {
                if (i % shards != shard) {
                    if (memory)
                        lay_out_only(map, &specs[i], memory);
                    continue;
                }
                cm_render_options one = *opts;
                one.progress = NULL;
                st = render_pages(map, names[i], &specs[i], 1, NULL, &one, memory, ctx);
                if (st == CM_OK && opts->progress)
                    opts->progress(++done, mine, opts->progress_data);
            }
        }
        g_strfreev(names);
    } else if (st == CM_OK) {
        st = render_pages(map, path, specs, n, grid, opts, memory, ctx);
    }
    cm_label_memory_free(memory);
    g_free(specs);
    return st;
}
