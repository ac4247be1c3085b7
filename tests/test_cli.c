/* The command line: each class of bad invocation exits with its code and one line on stderr,
 * and writes nothing; the series dates it asks the library for. */
#include "conflictmap/conflictmap.h"
#include "testutil.h"

#include <string.h>

#define BAD CM_SOURCE_DIR "/tests/data/bad/"

/* What a failed run must leave: these files, byte for byte as they were, and nothing else. */
static const char *const outputs[] = {"out.png", "out.pdf", "out.svg", NULL};
static const char old[] = "an older map, which must survive";

/* Runs the command line on `args` (NULL-terminated) in a fresh folder holding only the files
 * in `outputs`, under a timeout so that a run that never ends fails instead of hanging.
 * Returns the exit code; *err receives stderr. */
static int run_in(const char *dir, const char *const *args, char **err)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, "timeout");
    g_ptr_array_add(argv, "-k");
    g_ptr_array_add(argv, "5");
    g_ptr_array_add(argv, "120");
    g_ptr_array_add(argv, CM_CLI);
    for (int i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    int rc = spawn(dir, (const char *const *)argv->pdata, NULL, err);
    g_ptr_array_free(argv, TRUE);
    return rc;
}

/* Asserts that `args` exits with `code`, prints exactly one line "conflictmap: ..." holding
 * `message`, and leaves the folder as it found it. */
static void expect_failure_v(int code, const char *message, const char *const *args)
{
    char *dir = scratch_dir(), *err = NULL;
    for (int i = 0; outputs[i]; i++)
        g_free(write_file(dir, outputs[i], old));
    int rc = run_in(dir, args, &err);
    char *cmd = g_strjoinv(" ", (char **)args);
    const char *nl = strchr(err, '\n');
    if (rc != code || !strstr(err, message) || !g_str_has_prefix(err, "conflictmap: ") || !nl ||
        nl[1] != '\0')
        g_error("conflictmap %s: exit %d (want %d), stderr \"%.2000s\" (want one line with \"%s\")",
                cmd, rc, code, err, message);
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;
    for (const char *name; (name = g_dir_read_name(d)); n++) {
        if (!g_strv_contains(outputs, name))
            g_error("conflictmap %s: wrote %s", cmd, name);
        char *path = g_build_filename(dir, name, NULL), *now = NULL;
        g_assert_true(g_file_get_contents(path, &now, NULL, NULL));
        if (strcmp(now, old) != 0)
            g_error("conflictmap %s: changed %s", cmd, name);
        g_free(now);
        g_free(path);
    }
    g_dir_close(d);
    g_assert_cmpint(n, ==, (int)g_strv_length((char **)outputs));
    g_free(cmd);
    g_free(err);
    rm_rf(dir);
    g_free(dir);
}

/* expect_failure(code, message, arguments..., NULL) */
static void expect_failure(int code, const char *message, ...) G_GNUC_NULL_TERMINATED;
static void expect_failure(int code, const char *message, ...)
{
    GPtrArray *args = g_ptr_array_new();
    va_list ap;
    va_start(ap, message);
    for (const char *a; (a = va_arg(ap, const char *));)
        g_ptr_array_add(args, (gpointer)a);
    va_end(ap);
    g_ptr_array_add(args, NULL);
    expect_failure_v(code, message, (const char *const *)args->pdata);
    g_ptr_array_free(args, TRUE);
}

/* Series dates are parsed as strictly as --date: 2019-4-1 is not a date. */
static void test_series_strict_dates(void)
{
    expect_failure(2, "date \"2019-4-1\" is not a valid YYYY-MM-DD date", "series", "-q", "--from",
                   "2019-4-1", "--to", "2019-05-01", "-o", "out.pdf", NULL);
    expect_failure(2, "date \"2019-05-1\" is not a valid YYYY-MM-DD date", "series", "-q", "--from",
                   "2019-04-01", "--to", "2019-05-1", "-o", "out.pdf", NULL);
    expect_failure(2, "date \"2019-04-01x\" is not a valid YYYY-MM-DD date", "series", "-q",
                   "--from", "2019-04-01x", "--to", "2019-05-01", "-o", "out.pdf", NULL);
    expect_failure(2, "date \"2019-02-29\" is not a valid YYYY-MM-DD date", "series", "-q",
                   "--from", "2019-02-29", "--to", "2019-05-01", "-o", "out.pdf", NULL);
    /* the same parser as --date, which was strict already */
    expect_failure(2, "date \"2019-4-1\" is not a valid YYYY-MM-DD date", "render", "-q", "--date",
                   "2019-4-1", "-o", "out.png", NULL);
}

/* A step is a whole number above zero and d, w or m: a negative, zero or garbage step is a
 * usage error, not thousands of GLib criticals and a 5,000-page PDF. */
static void test_series_bad_step(void)
{
    static const char *const steps[] = {"-1d", "0d", "0", "1", "1x", "1.5m", "", "m", "1m2",
                                        " 1m", "+1m", "99999999999999999999d", "4294967296d"};
    for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
        char *want = g_strdup_printf("step \"%s\" is not a whole number above zero", steps[i]);
        expect_failure(2, want, "series", "-q", "--from", "2019-04-01", "--to", "2019-05-01",
                       "--step", steps[i], "-o", "out.pdf", NULL);
        g_free(want);
    }
    expect_failure(2, "the series starts on 2019-05-01, after it ends on 2019-04-01", "series",
                   "-q", "--from", "2019-05-01", "--to", "2019-04-01", "-o", "out.pdf", NULL);
}

/* An animation's options on a series that is not one are refused, not ignored. */
static void test_series_animation_options(void)
{
    expect_failure(2, "--fps and --hold are for an animation: -o out.pdf is not a .webp", "series",
                   "-q", "--from", "2019-04-01", "--to", "2019-05-01", "--fps", "3", "-o",
                   "out.pdf", NULL);
    expect_failure(2, "--fps and --hold are for an animation: -o f-%Y-%m-%d.png is not a .webp",
                   "series", "-q", "--from", "2019-04-01", "--to", "2019-05-01", "--hold", "2",
                   "-o", "f-%Y-%m-%d.png", NULL);
}

/* --grid with a name pattern is refused (one file of small multiples, or one file a date):
 * before, the grid was dropped and full pages written. */
static void test_series_grid_pattern(void)
{
    expect_failure(2, "f-%Y.png: --grid makes one file of small multiples", "series", "-q",
                   "--from", "2019-04-01", "--to", "2020-04-01", "--step", "3m", "--grid", "2x2",
                   "-o", "f-%Y.png", NULL);
}

/* A series longer than the limit is refused, saying the limit, rather than cut short. */
static void test_series_too_long(void)
{
    expect_failure(2, "a series from 2000-01-01 to 2030-01-01 every 1d has more than 10000 dates, "
                      "the limit", "series", "-q", "--from", "2000-01-01", "--to", "2030-01-01",
                   "--step", "1d", "-o", "out.pdf", NULL);
    expect_failure(2, "more than 10000 dates", "series", "-q", "--from", "0001-01-01", "--to",
                   "9999-12-31", "--step", "1d", "-o", "f-%Y-%m-%d.png", NULL);
}

/* --dpi reaches the library, which takes 1 to 10000, from every command that renders; and
 * --watch gives up when its first render fails for a reason no edit of an input can fix,
 * instead of watching forever. */
static void test_dpi(void)
{
    static const char *const dpis[] = {"0", "-1", "nan", "100000"};
    for (size_t i = 0; i < G_N_ELEMENTS(dpis); i++) {
        char *want = g_strdup_printf("dpi %s is out of range (1 to 10000)", dpis[i]);
        expect_failure(2, want, "render", "-q", "--dpi", dpis[i], "-o", "out.png", NULL);
        expect_failure(2, want, "render", "-q", "--dpi", dpis[i], "-o", "out.pdf", NULL);
        expect_failure(2, want, "series", "-q", "--from", "2019-04-01", "--to", "2019-05-01",
                       "--dpi", dpis[i], "-o", "out.pdf", NULL);
        expect_failure(2, want, "diff", "-q", "--from", "2019-04-01", "--to", "2019-05-01",
                       "--dpi", dpis[i], "-o", "out.png", NULL);
        expect_failure(2, want, "render", "-q", "--watch", "--dpi", dpis[i], "-o", "out.png", NULL);
        g_free(want);
    }
}

/* --watch exits with the code of what went wrong: 4 for a map or style file, 3 for data,
 * 2 for usage, as a plain render does. */
static void test_watch_exit_codes(void)
{
    expect_failure(4, "style-out-of-range.ini:3: [border] width = 99 is out of range", "render",
                   "-q", "--watch", "--style", BAD "style-out-of-range.ini", "-o", "out.png", NULL);
    expect_failure(4, "nope.map", "render", "-q", "--watch", "nope.map", "-o", "out.png", NULL);
    expect_failure(3, "ledger-unknown-region.csv:2: unknown region \"nowhere\"", "render", "-q",
                   "--watch", "--control", BAD "ledger-unknown-region.csv", "-o", "out.png", NULL);
    expect_failure(2, "date \"2019-4-1\" is not a valid YYYY-MM-DD date", "render", "-q",
                   "--watch", "--date", "2019-4-1", "-o", "out.png", NULL);
    expect_failure(2, "language \"xx\" must be en, ar, fr or en+ar", "render", "-q", "--watch",
                   "--lang", "xx", "-o", "out.png", NULL);
    /* the same as without --watch */
    expect_failure(4, "style-out-of-range.ini:3: [border] width = 99 is out of range", "render",
                   "-q", "--style", BAD "style-out-of-range.ini", "-o", "out.png", NULL);
    expect_failure(3, "ledger-unknown-region.csv:2: unknown region \"nowhere\"", "render", "-q",
                   "--control", BAD "ledger-unknown-region.csv", "-o", "out.png", NULL);
}

/* An option a command does not take is a usage error naming both, before anything is read
 * or written. */
static void test_option_not_for_command(void)
{
    expect_failure(2, "render does not take --grid", "render", "--grid", "9x9", "-o", "out.png", NULL);
    expect_failure(2, "render does not take --step", "render", "--step", "7q", "-o", "out.png", NULL);
    expect_failure(2, "render does not take --from", "render", "--from", "2019-04-01", "-o",
                   "out.png", NULL);
    expect_failure(2, "render does not take --to", "render", "-q", "--to=2019-04-01", "-o",
                   "out.png", NULL);
    expect_failure(2, "series does not take --date", "series", "--from", "2019-04-01", "--to",
                   "2019-05-01", "--date", "2019-04-01", "-o", "out.pdf", NULL);
    expect_failure(2, "series does not take --watch", "series", "--from", "2019-04-01", "--to",
                   "2019-05-01", "--watch", "-o", "out.pdf", NULL);
    expect_failure(2, "diff does not take --grid", "diff", "--from", "2019-04-01", "--to",
                   "2019-05-01", "--grid", "2x2", "-o", "out.png", NULL);
    expect_failure(2, "diff does not take --step", "diff", "--from", "2019-04-01", "--to",
                   "2019-05-01", "--step", "1m", "-o", "out.png", NULL);
    expect_failure(2, "check does not take --dpi", "check", "--dpi", "5", NULL);
    expect_failure(2, "check does not take -o", "check", "-o", "out.png", NULL);
    expect_failure(2, "check does not take --lang", "check", "--lang", "en", NULL);
    expect_failure(2, "check does not take --watch", "check", "--watch", NULL);
    expect_failure(2, "info does not take --date", "info", "--date", "2019-12-19", "out.png", NULL);
    expect_failure(2, "info does not take --style", "info", "--style", BAD "style-out-of-range.ini",
                   "out.png", NULL);
    expect_failure(2, "info does not take --control", "info", "--control", "x.csv", "out.png", NULL);
}

/* Each command takes every option it should, --no-cache included (accepted and ignored). */
static void test_options_taken(void)
{
    char *dir = scratch_dir(), *err = NULL;
    const char *style = CM_SOURCE_DIR "/styles/print.ini";
    const char *ledger = CM_SOURCE_DIR "/geodata/control.csv";
    const char *render[] = {"render", "-q", "--no-cache", "--dpi", "20", "--date", "2019-06-01",
                            "--lang", "en+ar", "--style", style, "--style", style, "--control",
                            ledger, "--png-compression", "1", "-o", "r.png", NULL};
    const char *series[] = {"series", "-q", "--no-cache", "--dpi", "20", "--from", "2019-04-01",
                            "--to", "2019-05-01", "--step", "2w", "--grid", "2x1", "--lang", "ar",
                            "--style", style, "--control", ledger, "--png-compression", "1",
                            "--output", "s.pdf", NULL};
    const char *diff[] = {"diff", "-q", "--no-cache", "--dpi", "20", "--from", "2019-04-01",
                          "--to", "2020-06-06", "--lang", "en", "--style", style, "--control",
                          ledger, "--png-compression", "1", "-o", "d.png", NULL};
    const char *check[] = {"check", "-q", "--no-cache", "--style", style, "--control", ledger, NULL};
    const char *info[] = {"info", "-q", "r.png", NULL};
    const char *const *runs[] = {render, series, diff, check, info};
    for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
        int rc = run_in(dir, runs[i], &err);
        if (rc != 0 || *err)
            g_error("conflictmap %s: exit %d, stderr \"%s\"", runs[i][0], rc, err);
        g_free(err);
    }
    static const char *const written[] = {"r.png", "s.pdf", "d.png"};
    for (size_t i = 0; i < G_N_ELEMENTS(written); i++) {
        char *p = g_build_filename(dir, written[i], NULL);
        g_assert_true(g_file_test(p, G_FILE_TEST_IS_REGULAR));
        g_free(p);
    }
    rm_rf(dir);
    g_free(dir);
}

/* --help comes from the option table: it fits a screen, lists every option with the
 * commands that take it, says nothing of the load cache that is gone, and agrees with what
 * each command accepts. */
static void test_help(void)
{
    static const char *const want[] = {"at", "control", "date", "dpi", "force", "from", "grid", "help",
                                       "key", "lang", "layer", "name", "name-ar", "no-cache",
                                       "output", "png-compression", "quiet", "step", "style", "to",
                                       "version", "watch"};
    static const char *const commands[] = {"render", "series", "diff", "check", "info", "query",
                                           "web", "init"};
    char *dir = scratch_dir(), *text = NULL, *again = NULL;
    const char *help[] = {"timeout", "60", CM_CLI, "--help", NULL};
    const char *render_help[] = {"timeout", "60", CM_CLI, "render", "-h", NULL};
    g_assert_cmpint(spawn(dir, help, &text, NULL), ==, 0);
    g_assert_cmpint(spawn(dir, render_help, &again, NULL), ==, 0);
    g_assert_cmpstr(text, ==, again);
    char **lines = g_strsplit(text, "\n", -1);
    /* a tall terminal's screen (44 lines): init's five options, the animation's two and the
     * web command took the room of 40 */
    g_assert_cmpuint(g_strv_length(lines), <=, 44);
    GRegex *re = g_regex_new("^  (?:-[a-z], |    )--([a-z-]+)( \\S+)?  .*\\s([rsdciqwi.]{8})$", 0, 0, NULL);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *last = NULL; /* owned by seen */
    for (int i = 0; lines[i]; i++) {
        if (strlen(lines[i]) > 79)
            g_error("--help line %d is %zu columns: %s", i + 1, strlen(lines[i]), lines[i]);
        if (strstr(lines[i], "cache") && !strstr(lines[i], "--no-cache"))
            g_error("--help mentions a cache: %s", lines[i]);
        GMatchInfo *m = NULL;
        if (g_regex_match(re, lines[i], 0, &m)) {
            char *name = g_match_info_fetch(m, 1), *arg = g_match_info_fetch(m, 2);
            char *takes = g_match_info_fetch(m, 3);
            if (!strcmp(name, "no-cache") && !strstr(lines[i], "ignored"))
                g_error("--help does not say --no-cache is ignored: %s", lines[i]);
            /* every command not in the column refuses the option */
            for (size_t c = 0; c < G_N_ELEMENTS(commands); c++) {
                if (takes[c] == commands[c][0])
                    continue;
                g_assert_cmpint(takes[c], ==, '.');
                char *opt = g_strconcat("--", name, NULL);
                char *message = g_strdup_printf("%s does not take %s", commands[c], opt);
                const char *args[] = {commands[c], opt, *arg ? "1" : NULL, NULL};
                expect_failure_v(2, message, args);
                g_free(message);
                g_free(opt);
            }
            /* one sorted table */
            if (last && strcmp(last, name) >= 0)
                g_error("--help lists --%s after --%s", name, last);
            last = name;
            g_hash_table_add(seen, name);
            g_free(arg);
            g_free(takes);
        }
        g_match_info_free(m);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        if (!g_hash_table_contains(seen, want[i]))
            g_error("--help has no line for --%s:\n%s", want[i], text);
    g_assert_null(strstr(text, "CONFLICTMAP_CACHE"));
    g_hash_table_unref(seen);
    g_regex_unref(re);
    g_strfreev(lines);
    g_free(text);
    g_free(again);
    rm_rf(dir);
    g_free(dir);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The bash completion offers each command the options --help says it takes (all but
 * --no-cache, which is ignored). */
static void test_completion(void)
{
    static const char *const commands[] = {"render", "series", "diff", "check", "info", "query",
                                           "web", "init"};
    char *help = NULL;
    const char *argv[] = {"timeout", "60", CM_CLI, "--help", NULL};
    g_assert_cmpint(spawn(NULL, argv, &help, NULL), ==, 0);
    GRegex *re = g_regex_new("^  (?:-[a-z], |    )--([a-z-]+).*\\s([rsdciqwi.]{8})$", G_REGEX_MULTILINE,
                             0, NULL);
    for (size_t c = 0; c < G_N_ELEMENTS(commands); c++) {
        GPtrArray *want = g_ptr_array_new_with_free_func(g_free);
        GMatchInfo *m = NULL;
        for (g_regex_match(re, help, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
            char *name = g_match_info_fetch(m, 1), *takes = g_match_info_fetch(m, 2);
            if (takes[c] != '.' && strcmp(name, "no-cache") != 0)
                g_ptr_array_add(want, g_strconcat("--", name, NULL));
            g_free(name);
            g_free(takes);
        }
        g_match_info_free(m);
        g_ptr_array_sort(want, compare_strings);
        char *script = g_strdup_printf(
            "source %s/scripts/conflictmap.bash-completion; COMP_WORDS=(conflictmap %s --); "
            "COMP_CWORD=2; _conflictmap; printf '%%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort",
            CM_SOURCE_DIR, commands[c]);
        const char *bash[] = {"bash", "--norc", "-c", script, NULL};
        char *got = NULL;
        g_assert_cmpint(spawn(NULL, bash, &got, NULL), ==, 0);
        g_ptr_array_add(want, NULL);
        char *joined = g_strjoinv("\n", (char **)want->pdata);
        char *expected = g_strconcat(joined, "\n", NULL);
        if (strcmp(got, expected) != 0)
            g_error("completion of \"%s --\": \n%s(want)\n%s", commands[c], got, expected);
        g_free(expected);
        g_free(joined);
        g_free(got);
        g_free(script);
        g_ptr_array_free(want, TRUE);
    }
    g_regex_unref(re);
    g_free(help);
}

/* The library's series dates, as any caller gets them. */
static void expect_dates(const char *from, const char *to, const char *step, const char *want)
{
    cm_ctx *ctx = cm_ctx_new();
    char **dates = NULL;
    int n = -1;
    g_assert_cmpint(cm_series_dates(&dates, &n, from, to, step, ctx), ==, CM_OK);
    char *got = g_strjoinv(" ", dates);
    g_assert_cmpstr(got, ==, want);
    g_assert_cmpint(n, ==, (int)g_strv_length(dates));
    g_free(got);
    cm_strv_free(dates);
    cm_ctx_destroy(ctx);
}

static void expect_no_dates(const char *from, const char *to, const char *step, const char *want)
{
    cm_ctx *ctx = cm_ctx_new();
    char **dates = (char **)"not touched";
    int n = -1;
    g_assert_cmpint(cm_series_dates(&dates, &n, from, to, step, ctx), ==, CM_EUSAGE);
    g_assert_null(dates);
    g_assert_cmpint(n, ==, 0);
    if (!strstr(cm_ctx_message(ctx), want))
        g_error("%s %s %s: \"%s\" (want \"%s\")", from, to, step, cm_ctx_message(ctx), want);
    cm_ctx_destroy(ctx);
}

static void test_dates_series(void)
{
    /* months count from the first date: the 31st where the month has one */
    expect_dates("2019-01-31", "2019-05-01", "1m", "2019-01-31 2019-02-28 2019-03-31 2019-04-30");
    expect_dates("2020-01-31", "2020-03-30", "1m", "2020-01-31 2020-02-29");
    expect_dates("2019-04-01", "2020-04-01", "6m", "2019-04-01 2019-10-01 2020-04-01");
    expect_dates("2019-04-01", "2019-04-29", "2w", "2019-04-01 2019-04-15 2019-04-29");
    expect_dates("2019-04-01", "2019-04-28", "2w", "2019-04-01 2019-04-15");
    expect_dates("2019-12-30", "2020-01-02", "1d", "2019-12-30 2019-12-31 2020-01-01 2020-01-02");
    expect_dates("2019-04-01", "2019-04-01", "1m", "2019-04-01");
    /* a step longer than the series, however long, gives its first date */
    expect_dates("0001-01-01", "9999-12-31", "4294967295d", "0001-01-01");
    expect_dates("0001-01-01", "9999-12-31", "4294967295m", "0001-01-01");
    expect_dates("9999-12-01", "9999-12-31", "1m", "9999-12-01");
    expect_no_dates("2019-4-1", "2019-05-01", "1m", "date \"2019-4-1\" is not a valid YYYY-MM-DD");
    expect_no_dates("2019-04-01", "2019-13-01", "1m", "date \"2019-13-01\" is not a valid");
    expect_no_dates("2019-04-01", "2019-05-01", "-1d", "step \"-1d\" is not a whole number");
    expect_no_dates("2019-04-02", "2019-04-01", "1d", "starts on 2019-04-02, after it ends on");
}

/* Exactly CM_SERIES_MAX_DATES dates is a series; one more is refused. */
static void test_dates_limit(void)
{
    GDate d;
    char last[11], over[11];
    g_date_clear(&d, 1);
    g_date_set_dmy(&d, 1, 1, 2000);
    g_date_add_days(&d, CM_SERIES_MAX_DATES - 1);
    g_date_strftime(last, sizeof last, "%Y-%m-%d", &d);
    g_date_add_days(&d, 1);
    g_date_strftime(over, sizeof over, "%Y-%m-%d", &d);
    cm_ctx *ctx = cm_ctx_new();
    char **dates = NULL;
    int n = 0;
    g_assert_cmpint(cm_series_dates(&dates, &n, "2000-01-01", last, "1d", ctx), ==, CM_OK);
    g_assert_cmpint(n, ==, CM_SERIES_MAX_DATES);
    g_assert_cmpstr(dates[n - 1], ==, last);
    g_assert_null(dates[n]);
    cm_strv_free(dates);
    cm_ctx_destroy(ctx);
    expect_no_dates("2000-01-01", over, "1d", "more than " G_STRINGIFY(CM_SERIES_MAX_DATES) " dates");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cli/series/strict-dates", test_series_strict_dates);
    g_test_add_func("/cli/series/bad-step", test_series_bad_step);
    g_test_add_func("/cli/series/grid-pattern", test_series_grid_pattern);
    g_test_add_func("/cli/series/too-long", test_series_too_long);
    g_test_add_func("/cli/series/animation-options", test_series_animation_options);
    g_test_add_func("/cli/dpi", test_dpi);
    g_test_add_func("/cli/watch/exit-codes", test_watch_exit_codes);
    g_test_add_func("/cli/options/not-for-command", test_option_not_for_command);
    g_test_add_func("/cli/options/taken", test_options_taken);
    g_test_add_func("/cli/help", test_help);
    g_test_add_func("/cli/completion", test_completion);
    g_test_add_func("/dates/series", test_dates_series);
    g_test_add_func("/dates/limit", test_dates_limit);
    return g_test_run();
}
