/* Words on the page: the [words] catalogue, its translations and fallbacks, dates in words,
 * and the Arabic and French editions of the bundled map, with no English furniture left. */
#include "conflictmap/status.h"
#include "style.h"
#include "testutil.h"
#include "words.h"

#include <math.h>
#include <string.h>

static const char first_style[] =
    "[controller GNA]\n"
    "fill = #24589e\n"
    "label = Government of National Accord\n"
    "label[ar] = حكومة الوفاق الوطني\n"
    "short = GNA\n"
    "[legend]\n"
    "title = Control\n"
    "title[fr] = Contrôle\n"
    "[words]\n"
    "town-held-by = Town held by %s\n"
    "town-held-by[ar] = بلدة تحت سيطرة %s\n"
    "capital = Capital\n"
    "capital[ar] = عاصمة\n"
    "town = Town\n"
    "changes-from-to = Changes of control, %s to %s\n"
    "changes-from-to[fr] = Du %2$s au %1$s\n"
    "percent = 100%% of %s, %x\n"
    "date-long = %d %s %d\n"
    "date-long[fr] = le %d %s %d\n"
    "month-12 = December\n"
    "month-12[ar] = ديسمبر\n"
    "month-12[fr] = décembre\n"
    "a-word-of-my-own = anything goes here\n";

/* a later file: its keys win, key by key, translations included */
static const char second_style[] =
    "[words]\n"
    "capital[ar] = العاصمة\n";

static cm_style *load(const char *dir, const char *lang, cm_ctx *ctx)
{
    char *a = write_file(dir, "a.ini", first_style), *b = write_file(dir, "b.ini", second_style);
    const char *files[] = {a, b, NULL};
    cm_style *s = NULL;
    g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_OK);
    g_free(s->lang);
    s->lang = g_strdup(lang);
    cm_words_localise(s);
    g_free(a), g_free(b);
    return s;
}

static size_t warnings(cm_ctx *ctx)
{
    size_t n = 0;
    cm_ctx_warnings(ctx, &n);
    return n;
}

static void test_lookup(void)
{
    char *dir = scratch_dir();
    cm_ctx *ctx = cm_ctx_new();
    cm_style *s = load(dir, "en", ctx);
    /* [words] is free-form and key[lang] is a translation: neither is an unknown key */
    g_assert_cmpuint(warnings(ctx), ==, 0);
    g_assert_cmpstr(cm_word(s, "capital"), ==, "Capital");
    g_assert_cmpstr(cm_word(s, "no-such-word"), ==, "no-such-word");
    char *held = cm_wordf(s, "town-held-by", "GNA", NULL);
    g_assert_cmpstr(held, ==, "Town held by GNA");
    g_free(held);
    /* no placeholder reads past the arguments; %% is a percent, %x is not a placeholder */
    char *pc = cm_wordf(s, "percent", NULL);
    g_assert_cmpstr(pc, ==, "100% of , %x");
    g_free(pc);
    g_assert_cmpstr(s->legend_title, ==, "Control");
    cm_style_destroy(s);

    /* Arabic: the later file's translation wins; a word without one is English */
    s = load(dir, "ar", ctx);
    g_assert_cmpstr(cm_word(s, "capital"), ==, "العاصمة");
    held = cm_wordf(s, "town-held-by", "الوفاق", NULL);
    g_assert_cmpstr(held, ==, "بلدة تحت سيطرة الوفاق");
    g_free(held);
    g_assert_cmpstr(cm_word(s, "town"), ==, "Town");
    g_assert_cmpstr(cm_word(s, "town"), ==, "Town");
    g_assert_cmpstr(cm_word(s, "changes-from-to"), ==, "Changes of control, %s to %s");
    g_assert_cmpstr(cm_word(s, "no-such-word"), ==, "no-such-word");
    const cm_controller *gna = cm_style_controller(s, "GNA");
    g_assert_cmpstr(gna->label, ==, "حكومة الوفاق الوطني");
    g_assert_cmpstr(gna->short_label, ==, "GNA"); /* no short[ar]: the English */
    g_assert_cmpstr(s->legend_title, ==, "Control");
    /* the words English stood in for: one warning, naming each once */
    size_t before = warnings(ctx);
    cm_words_report(s, ctx);
    g_assert_cmpuint(warnings(ctx), ==, before + 1);
    const char *const *w = cm_ctx_warnings(ctx, &before);
    const char *last = w[before - 1];
    g_assert_nonnull(strstr(last, "2 words (changes-from-to, town)"));
    cm_words_report(s, ctx); /* reported: forgotten */
    g_assert_cmpuint(warnings(ctx), ==, before);

    /* French, with arguments in another order; en+ar keeps English words */
    g_free(s->lang);
    s->lang = g_strdup("fr");
    cm_words_localise(s);
    char *changes = cm_wordf(s, "changes-from-to", "1 mai", "2 juin", NULL);
    g_assert_cmpstr(changes, ==, "Du 2 juin au 1 mai");
    g_free(changes);
    g_assert_cmpstr(s->legend_title, ==, "Contrôle");
    g_assert_cmpstr(cm_style_controller(s, "GNA")->label, ==, "Government of National Accord");
    g_free(s->lang);
    s->lang = g_strdup("en+ar");
    cm_words_localise(s);
    g_assert_cmpstr(cm_word(s, "capital"), ==, "Capital");
    g_assert_cmpstr(s->legend_title, ==, "Control");
    cm_style_destroy(s);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(dir);
}

static void test_dates(void)
{
    const char *files[] = {CM_SOURCE_DIR "/styles/default.ini", NULL};
    static const struct {
        const char *lang, *want;
    } cases[] = {
        {"en", "19 December 2019"}, {"en+ar", "19 December 2019"},
        {"ar", "19 ديسمبر 2019"},   {"fr", "19 décembre 2019"},
    };
    GDate d;
    g_date_clear(&d, 1);
    g_date_set_dmy(&d, 19, G_DATE_DECEMBER, 2019);
    cm_ctx *ctx = cm_ctx_new();
    cm_style *s = NULL;
    g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_OK);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_free(s->lang);
        s->lang = g_strdup(cases[i].lang);
        char *got = cm_format_date_long(s, &d);
        g_assert_cmpstr(got, ==, cases[i].want);
        g_free(got);
    }
    cm_style_destroy(s);
    /* every month has its word in every language */
    g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_OK);
    const char *langs[] = {"ar", "fr"};
    for (int l = 0; l < 2; l++) {
        g_free(s->lang);
        s->lang = g_strdup(langs[l]);
        for (int m = 1; m <= 12; m++) {
            g_date_set_dmy(&d, 1, (GDateMonth)m, 2020);
            g_free(cm_format_date_long(s, &d));
        }
        size_t before = warnings(ctx);
        cm_words_report(s, ctx);
        g_assert_cmpuint(warnings(ctx), ==, before);
    }
    cm_style_destroy(s);

    /* Arabic-Indic digits where the style says so */
    char *dir = scratch_dir();
    char *digits = write_file(dir, "digits.ini", "[words]\ndigits[ar] = arabic-indic\n");
    const char *with_digits[] = {CM_SOURCE_DIR "/styles/default.ini", digits, NULL};
    g_assert_cmpint(cm_style_load(&s, with_digits, ctx), ==, CM_OK);
    g_date_set_dmy(&d, 19, G_DATE_DECEMBER, 2019);
    g_free(s->lang);
    s->lang = g_strdup("ar");
    char *got = cm_format_date_long(s, &d);
    g_assert_cmpstr(got, ==, "١٩ ديسمبر ٢٠١٩");
    g_free(got);
    g_free(s->lang);
    s->lang = g_strdup("en");
    got = cm_format_date_long(s, &d);
    g_assert_cmpstr(got, ==, "19 December 2019");
    g_free(got);
    cm_style_destroy(s);
    cm_ctx_destroy(ctx);
    g_free(digits);
    rm_rf(dir);
    g_free(dir);
}

/* The first page's text of the bundled map rendered as a PDF in `lang`, without the bidi
 * controls pdftotext puts around runs of another direction; *err gets the warnings. */
static char *page_text(const char *lang, char **err)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "m.pdf", NULL), *out = NULL;
    const char *argv[] = {CM_CLI, "render", "--date", "2019-12-19", "--lang", lang, "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, err), ==, 0);
    const char *t[] = {"pdftotext", "-f", "1", "-l", "1", pdf, "-", NULL};
    g_assert_cmpint(spawn(dir, t, &out, NULL), ==, 0);
    GString *clean = g_string_new(NULL);
    for (const char *p = out; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c != 0x200e && c != 0x200f && !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069))
            g_string_append_unichar(clean, c);
    }
    g_free(out);
    rm_rf(dir);
    g_free(pdf);
    g_free(dir);
    return g_string_free(clean, FALSE);
}

static char *without_spaces(const char *text)
{
    GString *out = g_string_new(NULL);
    for (const char *p = text; *p; p++)
        if (!g_ascii_isspace(*p))
            g_string_append_c(out, *p);
    return g_string_free(out, FALSE);
}

/* `want` is looked for without spaces: pdftotext moves a space at a change of direction
 * ("19 ديسمبر 2019" comes out as " 19ديسمبر 2019"). */
static void expect_words(const char *lang, const char *text, const char *const *want,
                         const char *const *not_want)
{
    char *flat = without_spaces(text);
    for (; *want; want++) {
        char *w = without_spaces(*want);
        if (!strstr(flat, w))
            g_error("--lang %s: the page lacks \"%s\":\n%s", lang, *want, text);
        g_free(w);
    }
    g_free(flat);
    for (; not_want && *not_want; not_want++)
        if (strstr(text, *not_want))
            g_error("--lang %s: the page still says \"%s\":\n%s", lang, *not_want, text);
}

static void test_arabic_page(void)
{
    char *err = NULL, *text = page_text("ar", &err);
    static const char *const want[] = {
        "ليبيا", "من يسيطر",       /* the title (pdftotext spells some letters' forms apart) */
        "حكومة الوفاق الوطني",      /* a legend entry: [controller GNA] label[ar] */
        "بلدة تحت سيطرة الوفاق",    /* a catalogue entry with the side's short[ar] */
        "19 ديسمبر 2019",           /* the date */
        "كم",                       /* the scale bar */
        "مصادر السيطرة",            /* the footer */
        "من فاغنر يدعمون الجيش الوطني", /* the events: their text_ar */
        "حكومة الوفاق تصادق",
        NULL};
    static const char *const english[] = {"as of", "As of", "Sources of control", "Capital",
                                          " km", "Town held", "Control\n", "December",
                                          "Libya: who", "Around a town", "Apr 2019",
                                          "reported", "Wagner fighters", "cabinet approves",
                                          "Garabulli", NULL};
    expect_words("ar", text, want, english);
    g_assert_null(strstr(err, "[words] have no"));
    g_assert_null(strstr(err, "the data has no"));
    g_free(text);
    g_free(err);
}

static void test_french_page(void)
{
    char *err = NULL, *text = page_text("fr", &err);
    static const char *const want[] = {"Libye : qui contrôle quoi", "Contrôle territorial",
                                       "au 19 décembre 2019", "Gouvernement d'union nationale",
                                       "Ville tenue par le GNA", "Ville tenue par l’ANL",
                                       "Ville tenue par des forces locales", /* `by[fr]` */
                                       "Sources du contrôle", "avr. 2019",
                                       "Mer Méditerranée", "combattants russes de Wagner",
                                       "TUNISIE", "TCHAD", /* the neighbours' name-fr */ NULL};
    static const char *const english[] = {"as of", "Sources of control", "Capital\n",
                                          "Town held", "December", "Wagner fighters",
                                          "Mediterranean", "tenue par forces", "TUNISIA",
                                          "\nCHAD", NULL};
    expect_words("fr", text, want, english);
    g_assert_null(strstr(err, "[words] have no"));
    /* the districts, towns and sites have no French names (the countries have): English,
     * said once, naming them */
    const char *names = strstr(err, "the data has no \"fr\" for the names of districts, towns, sites:");
    g_assert_nonnull(names);
    g_assert_null(strstr(names + 1, "the data has no"));
    g_free(text);
    g_free(err);
}

/* Whether `text` holds a presentation form (a ligature's or a contextual form's code point,
 * U+FB00-FB06, U+FB50-FDFF, U+FE70-FEFF) or U+FFFD: what an extractor gives for a glyph the
 * PDF names by its shape, or by nothing. */
static gunichar shape_code(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c >= 0xfb00 && c <= 0xfb06) || (c >= 0xfb50 && c <= 0xfdff) ||
            (c >= 0xfe70 && c <= 0xfeff) || c == 0xfffd)
            return c;
    }
    return 0;
}

/* The Arabic PDF's text through three extractors -- poppler (which reads cairo's ActualText
 * spans), mutool and pdfminer (which read the fonts' ToUnicode maps) -- has each ligature's
 * letters, in reading order: lam-alef in "الأبيض" and "الأصابعة", lam-alef maksura in
 * "على" (the Noto fonts map these glyphs to presentation forms, which cairo writes as the
 * glyph's name). */
static void test_arabic_extractors(void)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "m.pdf", NULL);
    const char *argv[] = {CM_CLI, "render", "--date", "2019-12-19", "--lang", "ar", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
    const char *const tools[][8] = {{"pdftotext", "-f", "1", "-l", "1", pdf, "-", NULL},
                                    {"mutool", "draw", "-q", "-F", "txt", pdf, "1", NULL},
                                    {"pdf2txt", "--page-numbers", "1", "--", pdf, NULL}};
    static const char *const want[] = {"البحر الأبيض المتوسط", "على ماذا", "الأصابعة", NULL};
    for (size_t t = 0; t < G_N_ELEMENTS(tools); t++) {
        char *out = NULL;
        g_assert_cmpint(spawn(dir, tools[t], &out, NULL), ==, 0);
        gunichar c = shape_code(out);
        if (c)
            g_error("%s gives U+%04X for a glyph:\n%s", tools[t][0], c, out);
        for (const char *const *w = want; *w; w++)
            if (!strstr(out, *w))
                g_error("%s lacks \"%s\":\n%s", tools[t][0], *w, out);
        g_free(out);
    }
    rm_rf(dir);
    g_free(pdf);
    g_free(dir);
}

typedef struct {
    double x, y;
    char *text;
} word_box;

static gint by_line_then_x(gconstpointer a, gconstpointer b)
{
    const word_box *p = a, *q = b;
    if (fabs(p->y - q->y) > 1)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* The Arabic page's lines as they stand on the page, from left to right: the words of
 * `pdftotext -bbox`, by line and x, without spaces (and no-break spaces), a line a row.
 * Nothing here depends on how an extractor orders mixed-direction text. */
static char *visual_lines(const char *lang)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "m.pdf", NULL), *html = NULL;
    const char *argv[] = {CM_CLI, "render", "--date", "2019-12-19", "--lang", lang, "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
    const char *t[] = {"pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-", NULL};
    g_assert_cmpint(spawn(dir, t, &html, NULL), ==, 0);
    GRegex *re = g_regex_new("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\"[^>]*>([^<]*)</word>", 0, 0,
                             NULL);
    GMatchInfo *mi = NULL;
    GArray *words = g_array_new(FALSE, FALSE, sizeof(word_box));
    for (g_regex_match(re, html, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
        char *x = g_match_info_fetch(mi, 1), *y = g_match_info_fetch(mi, 2);
        word_box w = {g_ascii_strtod(x, NULL), g_ascii_strtod(y, NULL), g_match_info_fetch(mi, 3)};
        g_array_append_val(words, w);
        g_free(x);
        g_free(y);
    }
    g_match_info_free(mi);
    g_regex_unref(re);
    g_array_sort(words, by_line_then_x);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < words->len; i++) {
        word_box *w = &g_array_index(words, word_box, i);
        if (i && fabs(w->y - g_array_index(words, word_box, i - 1).y) > 1)
            g_string_append_c(out, '\n');
        for (const char *p = w->text; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (c != ' ' && c != 0xa0 && !(c >= 0x2066 && c <= 0x2069))
                g_string_append_unichar(out, c);
        }
        g_free(w->text);
    }
    g_array_free(words, TRUE);
    g_free(html);
    rm_rf(dir);
    g_free(pdf);
    g_free(dir);
    return g_string_free(out, FALSE);
}

/* The Arabic footer's Latin reads whole and in order in its right-to-left lines: the credit's
 * "GeoNames (CC BY 4.0)" on one line, left to right; a source entry, read from the right,
 * as its number, its outlet and its day ("[1] Al Jazeera, 11 ..."): from the left, the day,
 * the comma, the outlet and the number (whose brackets pdftotext gives as the characters,
 * "]1[", not as the mirrored glyphs drawn); an outlet with a number ("218 News", "Libya 360")
 * in its own order. */
static void test_arabic_mixed_direction(void)
{
    char *lines = visual_lines("ar");
    static const char *const want[] = {"GeoNames(CCBY4.0)", "11,AlJazeera]1[", "20,218News]16[",
                                       "23,Libya360]31[", NULL};
    for (const char *const *w = want; *w; w++)
        if (!strstr(lines, *w))
            g_error("the Arabic page has no \"%s\" on a line, left to right:\n%s", *w, lines);
    g_free(lines);
}

/* English stays as it was: the catalogue's English is the words C used to hold. */
static void test_english_page(void)
{
    char *err = NULL, *text = page_text("en", &err);
    static const char *const want[] = {"Libya: who controls what",
                                       "Territorial control by district, town and site, as of 19 "
                                       "December 2019",
                                       "Town held by GNA", "Capital", "km", "Sources of control: ",
                                       NULL};
    expect_words("en", text, want, NULL);
    g_free(text);
    g_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/words/lookup", test_lookup);
    g_test_add_func("/words/dates", test_dates);
    g_test_add_func("/words/page/ar", test_arabic_page);
    g_test_add_func("/words/page/ar/extractors", test_arabic_extractors);
    g_test_add_func("/words/page/ar/mixed-direction", test_arabic_mixed_direction);
    g_test_add_func("/words/page/fr", test_french_page);
    g_test_add_func("/words/page/en", test_english_page);
    return g_test_run();
}
