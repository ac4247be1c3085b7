/* Ledger: state as of a date, ties, unknown keys, and every class of bad row. */
#include "conflictmap/conflictmap.h"
#include "keyfile.h"
#include "ledger.h"
#include "style.h"
#include "testutil.h"

#include <gdal.h>
#include <gdal_utils.h>
#include <string.h>

static const char header[] = "date,region,controller,status,parties,source,note\n";

static cm_ledger *load_text(const char *body, cm_ctx *ctx, cm_status *st, char **dir_out)
{
    char *dir = scratch_dir();
    char *text = g_strconcat(header, body, NULL);
    char *path = write_file(dir, "control.csv", text);
    cm_ledger *lg = NULL;
    *st = cm_ledger_load(&lg, path, NULL, ctx);
    g_free(text);
    g_free(path);
    *dir_out = dir;
    return lg;
}

static GDate date(const char *s)
{
    GDate d;
    g_date_clear(&d, 1);
    g_date_set_parse(&d, s);
    g_assert_true(g_date_valid(&d));
    return d;
}

static void test_as_of(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_status st;
    char *dir;
    cm_ledger *lg = load_text("2019-03-01,gharyan,GNA,held,,src A,\n"
                              "2019-04-04,gharyan,LNA,held,,src B,\n"
                              "2019-06-26,gharyan,GNA,held,,src C,\n",
                              ctx, &st, &dir);
    g_assert_cmpint(st, ==, CM_OK);
    GDate d = date("2019-02-28");
    g_assert_null(cm_ledger_state(lg, "gharyan", &d));
    d = date("2019-03-01");
    g_assert_cmpstr(cm_ledger_state(lg, "gharyan", &d)->source, ==, "src A");
    d = date("2019-05-01");
    g_assert_cmpstr(cm_ledger_state(lg, "gharyan", &d)->controller, ==, "LNA");
    d = date("2019-07-01");
    g_assert_cmpstr(cm_ledger_state(lg, "gharyan", &d)->controller, ==, "GNA");
    g_assert_null(cm_ledger_state(lg, "nowhere", &d));
    cm_ledger_destroy(lg);
    rm_rf(dir);
    g_free(dir);
    cm_ctx_destroy(ctx);
}

/* A row's region, controller, source and confidence are interned (one copy of each text);
 * its note and parties are its own; every row still answers as it did. */
static void test_interned(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_status st;
    char *dir;
    cm_ledger *lg = load_text("2019-03-01,sirte,GNA,held,,src A,first\n"
                              "2019-03-01,misrata,GNA,held,,src A,second\n"
                              "2019-04-01,sirte,LNA,contested,LNA;GNA,src B,third\n"
                              "2019-04-01,sirte,LNA,held,,src A,fourth\n",
                              ctx, &st, &dir);
    g_assert_cmpint(st, ==, CM_OK);
    const cm_ledger_row *const *r = (const cm_ledger_row *const *)lg->rows->pdata;
    g_assert_cmpuint(lg->rows->len, ==, 4);
    g_assert_true(r[0]->region == r[2]->region && r[0]->region == r[3]->region);
    g_assert_true(r[0]->source == r[1]->source && r[0]->source == r[3]->source);
    g_assert_true(r[0]->controller == r[1]->controller);
    g_assert_false(r[0]->region == r[1]->region);
    g_assert_cmpstr(r[1]->region, ==, "misrata");
    g_assert_cmpstr(r[2]->source, ==, "src B");
    g_assert_cmpstr(r[2]->note, ==, "third");
    g_assert_false(r[2]->note == r[3]->note);
    GDate d = date("2019-04-01");
    g_assert_cmpstr(cm_ledger_state(lg, "sirte", &d)->note, ==, "fourth");
    d = date("2019-03-31");
    g_assert_cmpstr(cm_ledger_state(lg, "sirte", &d)->note, ==, "first");
    g_assert_cmpstr(cm_ledger_state(lg, "misrata", &d)->note, ==, "second");
    cm_ledger_destroy(lg);
    rm_rf(dir);
    g_free(dir);
    cm_ctx_destroy(ctx);
}

/* Dates are read digit by digit: only real YYYY-MM-DD days pass. */
static void test_dates(void)
{
    GDate d;
    g_assert_true(cm_parse_date("2020-02-29", &d));
    g_assert_cmpint(g_date_get_year(&d), ==, 2020);
    g_assert_cmpint(g_date_get_month(&d), ==, 2);
    g_assert_cmpint(g_date_get_day(&d), ==, 29);
    g_assert_true(cm_parse_date("0001-01-01", &d));
    g_assert_true(cm_parse_date("9999-12-31", &d));
    g_assert_cmpint(g_date_get_year(&d), ==, 9999);
    const char *bad[] = {"2019-02-29", "0000-01-01", "2019-13-01", "2019-00-10", "2019-04-31",
                         "2019-4-01",  "2019-04-1",  "2019/04/01", "2019-04-01x", " 2019-04-01",
                         "20a9-04-01", "",           "2019-04-00"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_false(cm_parse_date(bad[i], &d));
}

/* Rows out of order in the file; two rows on the same date: the later line wins. */
static void test_tie_and_order(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_status st;
    char *dir;
    cm_ledger *lg = load_text("2020-01-06,sirte,LNA,held,,late,\n"
                              "2019-03-01,sirte,GNA,held,,early,\n"
                              "2020-01-06,sirte,GNA,contested,GNA;LNA,same day later line,\n",
                              ctx, &st, &dir);
    g_assert_cmpint(st, ==, CM_OK);
    GDate d = date("2020-01-06");
    const cm_ledger_row *r = cm_ledger_state(lg, "sirte", &d);
    g_assert_cmpstr(r->source, ==, "same day later line");
    g_assert_cmpint(r->status, ==, CM_CONTESTED);
    g_assert_cmpstr(r->parties[0], ==, "GNA");
    g_assert_cmpstr(r->parties[1], ==, "LNA");
    g_assert_null(r->parties[2]);
    g_assert_cmpint(r->line, ==, 4);
    d = date("2020-01-05");
    g_assert_cmpstr(cm_ledger_state(lg, "sirte", &d)->source, ==, "early");
    cm_ledger_destroy(lg);
    rm_rf(dir);
    g_free(dir);
    cm_ctx_destroy(ctx);
}

typedef struct {
    const char *body, *message;
} bad_case;

static void test_bad_rows(void)
{
    static const bad_case cases[] = {
        {"2019-02-30,a,GNA,held,,s,\n", "control.csv:2: date \"2019-02-30\" is not a valid"},
        {"2019-03-01,a,GNA,held,,s,\n19/12/2019,a,GNA,held,,s,\n", "control.csv:3: date \"19/12/2019\""},
        {",a,GNA,held,,s,\n", "control.csv:2: the date is empty"},
        {"2019-03-01,,GNA,held,,s,\n", "control.csv:2: the region is empty"},
        {"2019-03-01,a,GNA,won,,s,\n", "control.csv:2: status \"won\" must be held, contested, besieged, attacked or claimed"},
        {"2019-03-01,a,GNA,held,,,\n", "control.csv:2: every row needs a source"},
        {"2019-03-01,a,GNA,contested,GNA,s,\n", "control.csv:2: a contested row names at least two"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        cm_ctx *ctx = cm_ctx_new();
        cm_status st;
        char *dir;
        cm_ledger *lg = load_text(cases[i].body, ctx, &st, &dir);
        g_assert_null(lg);
        g_assert_cmpint(st, ==, CM_EINPUT);
        if (!strstr(cm_ctx_message(ctx), cases[i].message))
            g_error("case %zu: \"%s\" lacks \"%s\"", i, cm_ctx_message(ctx), cases[i].message);
        rm_rf(dir);
        g_free(dir);
        cm_ctx_destroy(ctx);
    }
}

static void test_missing_column(void)
{
    cm_ctx *ctx = cm_ctx_new();
    char *dir = scratch_dir();
    char *path = write_file(dir, "c.csv", "date,region,controller,status\n2019-01-01,a,GNA,held\n");
    cm_ledger *lg = NULL;
    g_assert_cmpint(cm_ledger_load(&lg, path, NULL, ctx), ==, CM_EINPUT);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "c.csv:1: no \"source\" column"));
    g_free(path);
    rm_rf(dir);
    g_free(dir);
    cm_ctx_destroy(ctx);
}

/* Unknown region and controller keys are caught, with the nearest known key suggested. */
static void test_unknown_keys(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_status st;
    char *dir;
    cm_ledger *lg = load_text("2019-03-01,misrata,GNA,held,,s,\n2019-03-01,bengazi,LNA,held,,s,\n",
                              ctx, &st, &dir);
    g_assert_cmpint(st, ==, CM_OK);
    char *style_path = write_file(dir, "s.ini",
                                  "[controller GNA]\nfill = blue\n[controller LNA]\nfill = red\n");
    const char *files[] = {style_path, NULL};
    cm_style *style = NULL;
    g_assert_cmpint(cm_style_load(&style, files, ctx), ==, CM_OK);
    static const char *const ids[] = {"GNA", "LNA", NULL};
    GHashTable *regions = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_add(regions, "misrata");
    g_hash_table_add(regions, "benghazi");
    g_assert_cmpint(cm_ledger_check(lg, regions, ids, NULL, ctx), ==, CM_EINPUT);
    g_assert_cmpstr(strstr(cm_ctx_message(ctx), "control.csv:3:"), ==,
                    "control.csv:3: unknown region \"bengazi\" (did you mean \"benghazi\"?)");
    cm_ledger_destroy(lg);

    cm_ctx_clear(ctx);
    char *path = write_file(dir, "c2.csv", "date,region,controller,status,source\n"
                                           "2019-03-01,misrata,GAN,held,s\n");
    g_assert_cmpint(cm_ledger_load(&lg, path, NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_ledger_check(lg, regions, ids, NULL, ctx), ==, CM_EINPUT);
    g_assert_nonnull(strstr(cm_ctx_message(ctx),
                            "c2.csv:2: unknown controller \"GAN\" (did you mean \"GNA\"?)"));
    cm_ledger_destroy(lg);
    g_hash_table_unref(regions);
    cm_style_destroy(style);
    g_free(style_path);
    g_free(path);
    rm_rf(dir);
    g_free(dir);
    cm_ctx_destroy(ctx);
}

/* The same ledger as a spreadsheet (.ods, .xlsx) reads the same, through OGR.  The README
 * promises both, so a GDAL without either driver fails here: skipped, a build that cannot
 * read them would pass (ctest counts a skip as a pass). */
static void test_spreadsheets(void)
{
    static const char *const formats[][2] = {{"ODS", "control.ods"}, {"XLSX", "control.xlsx"}};
    GDALAllRegister();
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
        if (!GDALGetDriverByName(formats[i][0]))
            g_error("GDAL has no %s driver, and the README says %s ledgers work", formats[i][0],
                    formats[i][1]);
        cm_ctx *ctx = cm_ctx_new();
        cm_status st;
        char *dir;
        cm_ledger *csv = load_text("2019-03-01,jafara,GNA,held,,s1,\n"
                                   "2019-04-06,jafara,LNA,contested,GNA;LNA,s2,\n",
                                   ctx, &st, &dir);
        g_assert_cmpint(st, ==, CM_OK);
        char *src = g_build_filename(dir, "control.csv", NULL);
        char *dst = g_build_filename(dir, formats[i][1], NULL);
        char *argv[] = {"-f", (char *)formats[i][0], NULL};
        GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
        GDALDatasetH in = GDALOpenEx(src, GDAL_OF_VECTOR, NULL, NULL, NULL);
        GDALDatasetH out = GDALVectorTranslate(dst, NULL, 1, &in, o, NULL);
        g_assert_nonnull(out);
        GDALClose(out);
        GDALClose(in);
        GDALVectorTranslateOptionsFree(o);

        cm_ledger *sheet = NULL;
        if (cm_ledger_load(&sheet, dst, NULL, ctx) != CM_OK)
            g_error("%s: %s", formats[i][0], cm_ctx_message(ctx));
        g_assert_cmpuint(sheet->rows->len, ==, 2);
        GDate d = date("2019-05-01");
        const cm_ledger_row *r = cm_ledger_state(sheet, "jafara", &d);
        g_assert_nonnull(r);
        g_assert_cmpint(r->status, ==, CM_CONTESTED);
        g_assert_cmpstr(r->source, ==, "s2");
        g_assert_cmpint(r->line, ==, 3);
        cm_ledger_destroy(sheet);
        cm_ledger_destroy(csv);
        g_free(src);
        g_free(dst);
        rm_rf(dir);
        g_free(dir);
        cm_ctx_destroy(ctx);
    }
}

/* The public handles: what another program sees. */
static void test_public_api(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_ledger *lg = NULL;
    g_assert_cmpint(cm_ledger_open(&lg, CM_SOURCE_DIR "/geodata/control.csv", ctx), ==, CM_OK);
    const char *who = NULL, *status = NULL, *source = NULL;
    g_assert_cmpint(cm_ledger_holder(&who, &status, &source, lg, "town:gharyan", "2019-05-01", ctx), ==, 0);
    g_assert_cmpstr(who, ==, "LNA");
    g_assert_cmpstr(status, ==, "held");
    g_assert_cmpstr(source, ==, "reuters-2019-04-04-gharyan;ansamed-2019-04-04-gharyan");
    /* no row yet: not an error, no holder */
    g_assert_cmpint(cm_ledger_holder(&who, &status, NULL, lg, "town:gharyan", "2019-02-01", ctx), ==, CM_OK);
    g_assert_null(who);
    g_assert_null(status);
    g_assert_cmpint(cm_ledger_holder(&who, NULL, NULL, lg, "sirte", "2020-02-30", ctx), ==, CM_EUSAGE);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, "date \"2020-02-30\" is not a valid YYYY-MM-DD date");
    /* the next call that succeeds clears the message: the context reports the last call */
    g_assert_cmpint(cm_ledger_holder(&who, NULL, NULL, lg, "sirte", "2020-02-01", ctx), ==, CM_OK);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, "");
    cm_ledger_close(lg);

    const char *files[] = {CM_SOURCE_DIR "/styles/default.ini", CM_SOURCE_DIR "/styles/print.ini", NULL};
    cm_style *st = NULL;
    g_assert_cmpint(cm_style_open(&st, files, ctx), ==, CM_OK);
    g_assert_cmpint(cm_style_controller_count(st), ==, 3);
    const char *id = NULL, *label = NULL;
    double rgba[4];
    g_assert_cmpint(cm_style_controller_get(&id, &label, rgba, st, 0, ctx), ==, 0);
    g_assert_cmpstr(id, ==, "GNA");
    g_assert_cmpstr(label, ==, "Government of National Accord (GNA)");
    g_assert_cmpfloat_with_epsilon(rgba[0], 0x4d / 255.0, 1e-6); /* print.ini's grey won */
    g_assert_cmpint(cm_style_controller_get(&id, &label, rgba, st, 3, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "out of range"));
    cm_style_close(st);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ledger/as-of/basic", test_as_of);
    g_test_add_func("/ledger/as-of/tie", test_tie_and_order);
    g_test_add_func("/ledger/bad-rows", test_bad_rows);
    g_test_add_func("/ledger/missing-column", test_missing_column);
    g_test_add_func("/ledger/unknown-keys", test_unknown_keys);
    g_test_add_func("/ledger/spreadsheets", test_spreadsheets);
    g_test_add_func("/ledger/public-api", test_public_api);
    g_test_add_func("/ledger/interned", test_interned);
    g_test_add_func("/ledger/dates", test_dates);
    return g_test_run();
}
