/* The output stage: who draws a PNG on which thread, provenance read back, and what a
 * render leaves on disk when it fails, is cut short or writes over a file. */
#include "conflictmap/conflictmap.h"
#include "output.h"
#include "testutil.h"

#include <cairo.h>
#include <pthread.h>
#include <string.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *workdir;

/* Threads in this process now. */
static int count_tasks(void)
{
    GDir *d = g_dir_open("/proc/self/task", 0, NULL);
    g_assert_nonnull(d);
    int n = 0;
    while (g_dir_read_name(d))
        n++;
    g_dir_close(d);
    return n;
}

typedef struct {
    pthread_t caller;
    pthread_mutex_t lock;
    int calls, off_caller, most_tasks;
} draw_record;

static void record_draw(cairo_t *cr, void *data)
{
    draw_record *r = data;
    int tasks = count_tasks();
    pthread_mutex_lock(&r->lock);
    r->calls++;
    r->off_caller += !pthread_equal(pthread_self(), r->caller);
    r->most_tasks = MAX(r->most_tasks, tasks);
    pthread_mutex_unlock(&r->lock);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
    cairo_paint(cr);
}

/* Writes a 1000 x 1000 px PNG through the output stage on `threads`, recording the draws. */
static void draw_on(int threads, draw_record *r)
{
    cm_ctx *ctx = cm_ctx_new();
    char *path = g_build_filename(workdir, "threads.png", NULL);
    cm_output *out = NULL;
    cm_raster raster = {.dpi = 72, .level = 1, .threads = threads};
    *r = (draw_record){.caller = pthread_self()};
    pthread_mutex_init(&r->lock, NULL);
    g_assert_cmpint(cm_output_begin(&out, path, CM_FORMAT_PNG, 1000, 1000, &raster, ctx), ==, CM_OK);
    g_assert_cmpint(cm_output_draw_png(out, record_draw, r, ctx), ==, CM_OK);
    g_assert_cmpint(cm_output_commit(out, ctx), ==, CM_OK);
    pthread_mutex_destroy(&r->lock);
    g_free(path);
    cm_ctx_destroy(ctx);
}

/* One thread (the default) draws once, on the caller's thread, and no thread is started;
 * two draw on another thread as well, which shows the count would see one. */
static void test_png_threads(void)
{
    int before = count_tasks();
    draw_record r;
    draw_on(1, &r);
    g_assert_cmpint(r.calls, ==, 1);
    g_assert_cmpint(r.off_caller, ==, 0);
    g_assert_cmpint(r.most_tasks, ==, before);
    draw_on(2, &r);
    g_assert_cmpint(r.calls, >, 1);
    g_assert_cmpint(r.most_tasks, >, before); /* ThreadSanitizer adds one of its own */
    g_assert_cmpint(count_tasks(), ==, r.most_tasks - 1); /* the one started is joined */
}

static void count_on_observer(cairo_surface_t *observer, cairo_surface_t *target, void *data)
{
    (void)observer, (void)target;
    draw_record *r = data;
    r->calls++;
    r->off_caller += !pthread_equal(pthread_self(), r->caller);
    r->most_tasks = MAX(r->most_tasks, count_tasks());
}

/* Threads in this process once those that are winding down have ended (up to 2 s). */
static int settled_tasks(int hope)
{
    for (int i = 0; i < 200 && count_tasks() > hope; i++)
        g_usleep(10000);
    return count_tasks();
}

/* cm_map_render_cairo draws on the caller's thread and starts none.  Pango's font map starts
 * threads of its own the first time it is used in a process (to initialise fontconfig and
 * sort fonts) and they end by themselves: a first render lets them come and go. */
static void test_cairo_threads(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    int start = count_tasks();
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cairo_surface_t *target = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 300);
    cairo_t *warm = cairo_create(target);
    g_assert_cmpint(cm_map_render_cairo(map, warm, 0, 0, 400, 300, ctx), ==, CM_OK);
    cairo_destroy(warm);
    int before = settled_tasks(start);
    draw_record r = {.caller = pthread_self()};
    cairo_surface_t *obs = cairo_surface_create_observer(target, CAIRO_SURFACE_OBSERVER_NORMAL);
    cairo_surface_observer_add_fill_callback(obs, count_on_observer, &r);
    cairo_surface_observer_add_glyphs_callback(obs, count_on_observer, &r);
    cairo_t *cr = cairo_create(obs);
    g_assert_cmpint(cm_map_render_cairo(map, cr, 0, 0, 400, 300, ctx), ==, CM_OK);
    cairo_destroy(cr);
    g_assert_cmpint(r.calls, >, 100);
    g_assert_cmpint(r.off_caller, ==, 0);
    g_assert_cmpint(r.most_tasks, ==, before);
    cairo_surface_destroy(obs);
    cairo_surface_destroy(target);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The bundled map with another title and its paths made absolute, written to `dir`. */
static char *map_titled(const char *dir, const char *title)
{
    char *src = NULL;
    g_assert_true(g_file_get_contents(cm_default_map_path(), &src, NULL, NULL));
    char *geodata = g_path_get_dirname(cm_default_map_path());
    GString *out = g_string_new(NULL);
    char **lines = g_strsplit(src, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "title = "))
            g_string_append_printf(out, "title = %s\n", title);
        else if (g_str_has_prefix(*l, "file = ") || g_str_has_prefix(*l, "styles = ")) {
            /* styles is a list: each of its paths */
            char **paths = g_strsplit(strchr(*l, '=') + 2, ", ", -1);
            g_string_append_printf(out, "%.*s", (int)(strchr(*l, '=') - *l + 2), *l);
            for (char **p = paths; *p; p++)
                g_string_append_printf(out, "%s%s/%s", p == paths ? "" : ", ", geodata, *p);
            g_string_append_c(out, '\n');
            g_strfreev(paths);
        }
        else
            g_string_append_printf(out, "%s\n", *l);
    }
    char *path = write_file(dir, "titled.map", out->str);
    g_strfreev(lines);
    g_string_free(out, TRUE);
    g_free(geodata);
    g_free(src);
    return path;
}

/* A title in Arabic comes back from `conflictmap info` as written, from PNG (UTF-8 iTXt),
 * PDF (UTF-16 in the document information) and SVG. */
static void test_info_arabic(void)
{
    static const char title[] = "ليبيا: من يسيطر على ماذا";
    char *dir = scratch_dir();
    char *map = map_titled(dir, title);
    static const char *const ext[] = {"png", "pdf", "svg"};
    for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
        char *file = g_strdup_printf("%s/titled.%s", dir, ext[i]);
        const char *render[] = {CM_CLI, "render", "-q", "--dpi", "30", map, "-o", file, NULL};
        char *err = NULL, *out = NULL;
        if (spawn(NULL, render, NULL, &err) != 0)
            g_error("render %s: %s", ext[i], err);
        const char *info[] = {CM_CLI, "info", file, NULL};
        g_assert_cmpint(spawn(NULL, info, &out, NULL), ==, 0);
        char *want = g_strdup_printf("title        %s, ", title);
        if (!strstr(out, want))
            g_error("%s: info printed\n%s", ext[i], out);
        g_free(want);
        g_free(out);
        g_free(err);
        g_free(file);
    }
    g_free(map);
    rm_rf(dir);
    g_free(dir);
}

static void paint_grey(cairo_t *cr, void *data)
{
    (void)data;
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_paint(cr);
}

/* Writes a small PNG to `path` through the output stage; returns its status. */
static cm_status write_small_png(const char *path, cm_ctx *ctx)
{
    cm_output *out = NULL;
    cm_raster raster = {.dpi = 72, .level = 1, .threads = 1};
    cm_status st = cm_output_begin(&out, path, CM_FORMAT_PNG, 50, 40, &raster, ctx);
    if (st == CM_OK && (st = cm_output_draw_png(out, paint_grey, NULL, ctx)) != CM_OK)
        cm_output_abort(out);
    else if (st == CM_OK)
        st = cm_output_commit(out, ctx);
    return st;
}

static unsigned mode_of(const char *path)
{
    struct stat sb;
    g_assert_cmpint(g_stat(path, &sb), ==, 0);
    return sb.st_mode & 07777;
}

/* Writing over a file keeps its permission bits (a private map stays private); a new file
 * gets 0666 less the umask, as any program's would. */
static void test_mode(void)
{
    char *dir = scratch_dir();
    char *path = write_file(dir, "private.png", "old");
    cm_ctx *ctx = cm_ctx_new();
    static const unsigned modes[] = {0600, 0640, 0755};
    for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
        g_assert_cmpint(g_chmod(path, (int)modes[i]), ==, 0);
        g_assert_cmpint(write_small_png(path, ctx), ==, CM_OK);
        g_assert_cmpuint(mode_of(path), ==, modes[i]);
    }
    static const unsigned masks[] = {022, 077, 002};
    for (size_t i = 0; i < G_N_ELEMENTS(masks); i++) {
        char *fresh = g_strdup_printf("%s/new-%zu.png", dir, i);
        mode_t old = umask(masks[i]);
        cm_status st = write_small_png(fresh, ctx);
        umask(old);
        g_assert_cmpint(st, ==, CM_OK);
        g_assert_cmpuint(mode_of(fresh), ==, 0666 & ~masks[i]);
        g_free(fresh);
    }
    cm_ctx_destroy(ctx);
    g_free(path);
    rm_rf(dir);
    g_free(dir);
}

/* The first temporary file (".NAME.XXXXXX") in dir, or NULL. */
static char *temp_file_in(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    char *found = NULL;
    while (d && !found && (name = g_dir_read_name(d)))
        if (name[0] == '.')
            found = g_strdup(name);
    if (d)
        g_dir_close(d);
    return found;
}

/* Starts argv, waits until a temporary file shows in dir (a render is under way), sends
 * `sig` and reaps the child: FALSE if it ended before a temporary file showed. */
static gboolean interrupt(const char *const *argv, const char *dir, int sig, int *status)
{
    GPid pid = 0;
    GError *e = NULL;
    if (!g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, &pid, &e))
        g_error("%s: %s", argv[0], e->message);
    char *tmp = NULL;
    gboolean ended = FALSE;
    while (!(tmp = temp_file_in(dir)) && !ended) {
        ended = waitpid(pid, status, WNOHANG) == pid;
        g_usleep(500);
    }
    g_free(tmp);
    if (ended)
        return FALSE;
    kill(pid, sig);
    g_assert_cmpint(waitpid(pid, status, 0), ==, pid);
    g_spawn_close_pid(pid);
    return TRUE;
}

/* SIGINT, SIGTERM or SIGHUP while a render or a series writes: the process dies of the
 * signal, as the shell expects, and no temporary file is left behind. */
static void test_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++)
        for (int series = 0; series < 2; series++) {
            char *dir = scratch_dir();
            char *out = g_strdup_printf("%s/%s", dir, series ? "%Y-%m-%d.png" : "map.png");
            const char *render[] = {CM_CLI, "render", "-q", "--dpi", "600", "-o", out, NULL};
            const char *run[] = {CM_CLI,      "series",     "-q",   "--dpi", "300",
                                 "--from",    "2019-04-01", "--to", "2020-04-01", "--step",
                                 "1m",        "-o",         out,    NULL};
            int status = 0, tries = 0;
            while (!interrupt(series ? run : render, dir, sigs[i], &status) && ++tries < 5)
                ; /* done before a temporary file showed: try again */
            g_assert_cmpint(tries, <, 5);
            char *left = temp_file_in(dir);
            if (left)
                g_error("signal %d, %s: %s left behind", sigs[i], series ? "series" : "render", left);
            g_assert_true(WIFSIGNALED(status));
            g_assert_cmpint(WTERMSIG(status), ==, sigs[i]);
            g_free(out);
            rm_rf(dir);
            g_free(dir);
        }
}

/* A file name of 251 bytes, legal on every usual file system (up to 255), is written: the
 * temporary file's name must not be the one over the limit. */
static void test_long_name(void)
{
    char *dir = scratch_dir();
    char *name = g_strnfill(247, 'm');
    char *path = g_strdup_printf("%s/%s.png", dir, name);
    cm_ctx *ctx = cm_ctx_new();
    if (write_small_png(path, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
    g_assert_null(temp_file_in(dir));
    cm_ctx_destroy(ctx);
    g_free(path);
    g_free(name);
    rm_rf(dir);
    g_free(dir);
}

/* In the child: ten seconds of CPU at most, so a reader that never stops fails the test
 * instead of hanging it. */
static void limit_cpu(gpointer data)
{
    (void)data;
    struct rlimit rl = {10, 10};
    setrlimit(RLIMIT_CPU, &rl);
}

/* Runs `conflictmap info path`: the exit code, stderr into *err. */
static int info(const char *path, char **err)
{
    const char *argv[] = {CM_CLI, "info", path, NULL};
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, limit_cpu, NULL,
                      NULL, err, &status, &e))
        g_error("%s", e->message);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Bytes this process has read so far (read, pread and the like). */
static guint64 bytes_read(void)
{
    char *io = NULL;
    g_assert_true(g_file_get_contents("/proc/self/io", &io, NULL, NULL));
    guint64 n = g_ascii_strtoull(strstr(io, "rchar: ") + 7, NULL, 10);
    g_free(io);
    return n;
}

/* info reads only what it needs: a device is refused, and a 2 GB PDF (sparse: its first and
 * last bytes a real PDF's, a hole between) is read at its ends only. */
static void test_info_bounded(void)
{
    char *err = NULL;
    g_assert_cmpint(info("/dev/zero", &err), ==, 3);
    g_assert_nonnull(strstr(err, "/dev/zero: not a regular file"));
    g_free(err);

    char *dir = scratch_dir();
    char *small = g_build_filename(dir, "small.pdf", NULL);
    const char *render[] = {CM_CLI, "render", "-q", "-o", small, NULL};
    g_assert_cmpint(spawn(NULL, render, NULL, NULL), ==, 0);
    char *pdf = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(small, &pdf, &len, NULL));
    char *big = g_build_filename(dir, "big.pdf", NULL);
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const goffset size = (goffset)2 << 30;
    g_assert_cmpint(pwrite(fd, pdf, len, 0), ==, (gssize)len);
    g_assert_cmpint(pwrite(fd, pdf, len, size - (goffset)len), ==, (gssize)len);
    close(fd);
    cm_ctx *ctx = cm_ctx_new();
    char **names = NULL, **values = NULL;
    guint64 before = bytes_read();
    g_assert_cmpint(cm_read_provenance(&names, &values, big, ctx), ==, CM_OK);
    guint64 read = bytes_read() - before;
    g_test_message("read %" G_GUINT64_FORMAT " bytes of a %" G_GOFFSET_FORMAT "-byte PDF", read, size);
    g_assert_cmpuint(read, <, 16 << 20);
    g_assert_cmpstr(names[0], ==, "title");
    cm_strv_free(names);
    cm_strv_free(values);
    cm_ctx_destroy(ctx);
    g_free(big);
    g_free(pdf);
    g_free(small);
    rm_rf(dir);
    g_free(dir);
}

/* A PNG cut before its IEND chunk, an SVG before </svg> and a PDF before its %%EOF are
 * refused (exit 3) rather than vouched for. */
static void test_info_truncated(void)
{
    char *dir = scratch_dir();
    static const char *const ext[][2] = {{"png", "no IEND chunk"}, {"svg", "no </svg>"},
                                         {"pdf", "no %%EOF"}};
    for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
        char *whole = g_strdup_printf("%s/whole.%s", dir, ext[i][0]);
        char *cut = g_strdup_printf("%s/cut.%s", dir, ext[i][0]);
        const char *render[] = {CM_CLI, "render", "-q", "--dpi", "30", "-o", whole, NULL};
        g_assert_cmpint(spawn(NULL, render, NULL, NULL), ==, 0);
        char *data = NULL, *err = NULL;
        gsize len = 0;
        g_assert_true(g_file_get_contents(whole, &data, &len, NULL));
        g_assert_cmpint(info(whole, NULL), ==, 0);
        g_assert_true(g_file_set_contents(cut, data, (gssize)(len * 9 / 10), NULL));
        int rc = info(cut, &err);
        char *want = g_strdup_printf("%s: truncated (%s at the end)", cut, ext[i][1]);
        if (rc != 3 || !strstr(err, want))
            g_error("%s: exit %d, stderr \"%s\" (want \"%s\")", cut, rc, err, want);
        g_free(want);
        g_free(err);
        g_free(data);
        g_free(cut);
        g_free(whole);
    }
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    workdir = scratch_dir();
    g_test_add_func("/output/png/threads", test_png_threads);
    g_test_add_func("/output/cairo/threads", test_cairo_threads);
    g_test_add_func("/output/info/arabic", test_info_arabic);
    g_test_add_func("/output/info/bounded", test_info_bounded);
    g_test_add_func("/output/info/truncated", test_info_truncated);
    g_test_add_func("/output/file/mode", test_mode);
    g_test_add_func("/output/file/signals", test_signals);
    g_test_add_func("/output/file/long-name", test_long_name);
    int rc = g_test_run();
    rm_rf(workdir);
    g_free(workdir);
    return rc;
}
