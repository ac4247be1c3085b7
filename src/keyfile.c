/* Key-file reading with line numbers, and small value parsers shared by the text formats. */
#include "keyfile.h"

#include "ctx.h"

#include <pango/pango.h>
#include <string.h>

static char *line_key(const char *group, const char *key)
{
    return key ? g_strconcat(group, "\x1f", key, NULL) : g_strdup(group);
}

/* GKeyFile's errors carry no line number.  GKeyFile alone parses; when it refuses a file,
 * the line it stumbled on is the first at which a prefix of the file stops parsing (a prefix
 * that parses is valid up to its end), found by bisection. */
static int failing_line(const char *text, char **lines, int nlines)
{
    int good = 0, bad = nlines; /* the first `good` lines parse; the first `bad` do not */
    while (bad - good > 1) {
        int mid = good + (bad - good) / 2;
        gsize len = (gsize)(lines[mid] - text);
        GKeyFile *k = g_key_file_new();
        gboolean ok = g_key_file_load_from_data(k, text, len, G_KEY_FILE_KEEP_TRANSLATIONS, NULL);
        g_key_file_unref(k);
        if (ok)
            good = mid;
        else
            bad = mid;
    }
    return bad;
}

/* Remembers the line of each group header and key GKeyFile accepted; a group or key given
 * twice (GKeyFile would silently keep the last) is an error naming the second line. */
static cm_status index_lines(cm_keyfile *kf, const char *text, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    char **lines = g_strsplit(text, "\n", -1);
    char *group = NULL;
    for (int i = 0; lines[i] && st == CM_OK; i++) {
        char *l = g_strstrip(lines[i]);
        if (*l == '\0' || *l == '#')
            continue;
        char *eq = strchr(l, '=');
        if (*l == '[') {
            g_free(group);
            group = g_strndup(l + 1, strcspn(l + 1, "]"));
            if (g_hash_table_contains(kf->lines, group))
                st = cm_fail(ctx, CM_ESTYLE, "%s:%d: group [%s] appears twice", kf->path, i + 1, group);
            else
                g_hash_table_insert(kf->lines, g_strdup(group), GINT_TO_POINTER(i + 1));
        } else if (eq && group) {
            char *key = g_strstrip(g_strndup(l, (gsize)(eq - l)));
            char *k = line_key(group, key);
            if (g_hash_table_contains(kf->lines, k))
                st = cm_fail(ctx, CM_ESTYLE, "%s:%d: key \"%s\" repeated in [%s]", kf->path, i + 1,
                             key, group);
            g_hash_table_insert(kf->lines, k, GINT_TO_POINTER(i + 1));
            g_free(key);
        }
    }
    g_free(group);
    g_strfreev(lines);
    return st;
}

cm_status cm_keyfile_read(cm_keyfile **out, const char *path, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    cm_keyfile *kf = NULL;

    *out = NULL;
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: is a directory, not a map or style file", path);
        goto cleanup;
    }
    if (!g_file_get_contents(path, &text, &len, &err)) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: %s", path, err->message);
        goto cleanup;
    }
    if (!g_utf8_validate(text, (gssize)len, NULL) || strlen(text) != len) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: not UTF-8 text", path);
        goto cleanup;
    }
    kf = g_new0(cm_keyfile, 1);
    kf->path = g_strdup(path);
    kf->kf = g_key_file_new();
    g_key_file_set_list_separator(kf->kf, ',');
    kf->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!g_key_file_load_from_data(kf->kf, text, len, G_KEY_FILE_KEEP_TRANSLATIONS, &err)) {
        /* pointers to each line's start, and one past the end, for the bisection */
        GPtrArray *starts = g_ptr_array_new();
        g_ptr_array_add(starts, text);
        for (char *c = text; *c; c++)
            if (*c == '\n')
                g_ptr_array_add(starts, c + 1);
        g_ptr_array_add(starts, text + len);
        int line = failing_line(text, (char **)starts->pdata, (int)starts->len - 1);
        g_ptr_array_free(starts, TRUE);
        st = cm_fail(ctx, CM_ESTYLE, "%s:%d: %s", path, line, err->message);
        goto cleanup;
    }
    if ((st = index_lines(kf, text, ctx)) != CM_OK)
        goto cleanup;
    *out = kf;
    kf = NULL;
cleanup:
    g_clear_error(&err);
    g_free(text);
    cm_keyfile_destroy(kf);
    return st;
}

void cm_keyfile_destroy(cm_keyfile *kf)
{
    if (!kf)
        return;
    g_free(kf->path);
    g_key_file_unref(kf->kf);
    g_hash_table_unref(kf->lines);
    g_free(kf);
}

int cm_keyfile_line(const cm_keyfile *kf, const char *group, const char *key)
{
    char *k = line_key(group, key);
    int line = GPOINTER_TO_INT(g_hash_table_lookup(kf->lines, k));
    g_free(k);
    return line;
}

/* Optimal string alignment distance, case-insensitive: a swapped pair of letters ("GAN" for
 * "GNA") counts as one edit, as a typist would count it. */
static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), w = lb + 1;
    unsigned *d = g_new(unsigned, (la + 1) * w);
    for (size_t i = 0; i <= la; i++)
        d[i * w] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            char ca = g_ascii_tolower(a[i - 1]), cb = g_ascii_tolower(b[j - 1]);
            unsigned v = MIN(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);
            v = MIN(v, d[(i - 1) * w + j - 1] + (ca == cb ? 0 : 1));
            if (i > 1 && j > 1 && ca == g_ascii_tolower(b[j - 2]) && g_ascii_tolower(a[i - 2]) == cb)
                v = MIN(v, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = v;
        }
    unsigned r = d[la * w + lb];
    g_free(d);
    return r;
}

const char *cm_nearest_word(const char *word, const char *const *words)
{
    const char *best = NULL;
    unsigned best_d = G_MAXUINT;
    for (size_t i = 0; words[i]; i++) {
        unsigned d = edit_distance(word, words[i]);
        if (d < best_d) {
            best_d = d;
            best = words[i];
        }
    }
    size_t len = MAX(strlen(word), 3);
    return best && best_d * 3 <= len ? best : NULL;
}

void cm_keyfile_warn_unknown(const cm_keyfile *kf, const char *group, const char *const *known,
                             cm_ctx *ctx)
{
    gsize n = 0;
    char **keys = g_key_file_get_keys(kf->kf, group, &n, NULL);
    for (gsize i = 0; i < n; i++) {
        /* a translation, title[ar], is known when its key is (words.c reads it) */
        const char *bracket = strchr(keys[i], '[');
        char *base = bracket && g_str_has_suffix(keys[i], "]") ? g_strndup(keys[i], bracket - keys[i])
                                                              : NULL;
        gboolean known_base = base && g_strv_contains(known, base);
        g_free(base);
        if (known_base || g_strv_contains(known, keys[i]))
            continue;
        const char *near = cm_nearest_word(keys[i], known);
        int line = cm_keyfile_line(kf, group, keys[i]);
        if (near)
            cm_warn(ctx, "%s:%d: unknown key \"%s\" in [%s] (did you mean \"%s\"?)", kf->path, line,
                    keys[i], group, near);
        else
            cm_warn(ctx, "%s:%d: unknown key \"%s\" in [%s], ignored", kf->path, line, keys[i], group);
    }
    g_strfreev(keys);
}

gboolean cm_parse_color(const char *text, double rgba[4])
{
    PangoColor c;
    guint16 alpha = 0xffff;
    if (!text || !*text)
        return FALSE;
    if (!pango_color_parse_with_alpha(&c, &alpha, text))
        return FALSE;
    rgba[0] = c.red / 65535.0;
    rgba[1] = c.green / 65535.0;
    rgba[2] = c.blue / 65535.0;
    rgba[3] = alpha / 65535.0;
    return TRUE;
}

void cm_format_date(const GDate *d, char buf[11])
{
    g_snprintf(buf, 11, "%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d), g_date_get_day(d));
}

gboolean cm_parse_date(const char *text, GDate *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return FALSE;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !g_ascii_isdigit(text[i]))
            return FALSE;
    /* the digits, checked above, read directly: sscanf was 4% of a million-row ledger */
#define DIGIT(i) ((unsigned)(text[i] - '0'))
    unsigned y = DIGIT(0) * 1000 + DIGIT(1) * 100 + DIGIT(2) * 10 + DIGIT(3);
    unsigned m = DIGIT(5) * 10 + DIGIT(6), d = DIGIT(8) * 10 + DIGIT(9);
#undef DIGIT
    if (y < 1 || y > 9999 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
        return FALSE;
    g_date_clear(out, 1);
    g_date_set_dmy(out, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
    return TRUE;
}
