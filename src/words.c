/* Words on the page: the [words] catalogue and the locale keys of styles and map files.
 * Every text is kept in one table, "group\x1fkey" for the English and "group\x1fkey[lang]"
 * for a translation, filled file by file so that a later file's key wins, as in the rest of
 * the style cascade. */
#include "words.h"

#include "ctx.h"
#include "bidi.h"
#include "mapfile.h"

#include <stdarg.h>
#include <string.h>

#define WORDS_GROUP "words"

/* The words missing a translation are noted while drawing, which may run on several threads
 * (the bands of a PNG). */
G_LOCK_DEFINE_STATIC(missing);

const char *cm_words_lang(const cm_style *s)
{
    if (s->lang && strcmp(s->lang, "ar") == 0)
        return "ar";
    if (s->lang && strcmp(s->lang, "fr") == 0)
        return "fr";
    return "en";
}

static char *text_key(const char *group, const char *key, const char *lang)
{
    return lang && strcmp(lang, "en") ? g_strdup_printf("%s\x1f%s[%s]", group, key, lang)
                                      : g_strdup_printf("%s\x1f%s", group, key);
}

/* The text of group/key in `lang` (NULL: English) from `table`, or NULL. */
static const char *lookup(GHashTable *table, const char *group, const char *key, const char *lang)
{
    if (!table)
        return NULL;
    char *k = text_key(group, key, lang);
    const char *v = g_hash_table_lookup(table, k);
    g_free(k);
    return v;
}

/* The text in `lang`, else in English, else NULL; *translated says whether `lang` had it. */
static const char *localised(GHashTable *table, const char *group, const char *key,
                             const char *lang, gboolean *translated)
{
    const char *v = strcmp(lang, "en") ? lookup(table, group, key, lang) : NULL;
    if (translated)
        *translated = v != NULL || strcmp(lang, "en") == 0;
    return v ? v : lookup(table, group, key, NULL);
}

const char *cm_word(const cm_style *s, const char *key)
{
    if (!s) /* no style (a fuzz target): the key */
        return key;
    const char *lang = cm_words_lang(s);
    gboolean translated = TRUE;
    const char *v = localised(s->words, WORDS_GROUP, key, lang, &translated);
    if (!translated && v && s->words_missing) {
        G_LOCK(missing);
        g_hash_table_add(s->words_missing, g_strdup(key));
        G_UNLOCK(missing);
    }
    return v ? v : key;
}

/* Fills a catalogue entry's placeholders from args (n of them); see cm_wordf. */
static char *fill(const char *tmpl, const char *const *args, int n)
{
    GString *out = g_string_new(NULL);
    int next = 0;
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            g_string_append_c(out, *p);
            continue;
        }
        if (p[1] == '%') {
            g_string_append_c(out, '%');
            p++;
            continue;
        }
        int index = -1;
        const char *q = p + 1;
        if (g_ascii_isdigit(*q) && q[1] == '$') { /* %1$s: one digit is enough for any word */
            index = *q - '1';
            q += 2;
        }
        if (*q != 's' && *q != 'd') { /* not a placeholder: the % stays */
            g_string_append_c(out, '%');
            continue;
        }
        if (index < 0)
            index = next++;
        if (index >= 0 && index < n && args[index])
            g_string_append(out, args[index]);
        p = q;
    }
    return g_string_free(out, FALSE);
}

char *cm_wordf(const cm_style *s, const char *key, ...)
{
    const char *args[10];
    int n = 0;
    va_list ap;
    va_start(ap, key);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        g_assert(n < (int)G_N_ELEMENTS(args));
        args[n++] = a;
    }
    va_end(ap);
    return fill(cm_word(s, key), args, n);
}

char *cm_words_digits(const cm_style *s, const char *text)
{
    const char *d = s ? localised(s->words, WORDS_GROUP, "digits", cm_words_lang(s), NULL) : NULL;
    if (!d || strcmp(d, "arabic-indic") != 0)
        return g_strdup(text);
    GString *out = g_string_new(NULL);
    for (const char *p = text; *p; p++)
        if (g_ascii_isdigit(*p))
            g_string_append_unichar(out, 0x0660 + (*p - '0')); /* ARABIC-INDIC DIGIT ZERO + n */
        else
            g_string_append_c(out, *p);
    return g_string_free(out, FALSE);
}

/* A date in the catalogue's words: `pattern` (date-long, date-short) with the day, the month
 * named by `month` + its number, and the year, in the catalogue's digits. */
static char *format_date(const cm_style *s, const GDate *date, const char *pattern,
                         const char *month)
{
    char month_key[24], day[8], year[8];
    g_snprintf(month_key, sizeof month_key, "%s%d", month, g_date_get_month(date));
    g_snprintf(day, sizeof day, "%d", g_date_get_day(date));
    g_snprintf(year, sizeof year, "%d", g_date_get_year(date));
    char *words = cm_wordf(s, pattern, day, cm_word(s, month_key), year, NULL);
    char *out = cm_words_digits(s, words);
    g_free(words);
    return out;
}

char *cm_format_date_long(const cm_style *s, const GDate *date)
{
    return format_date(s, date, "date-long", "month-");
}

char *cm_format_date_short(const cm_style *s, const GDate *date)
{
    return format_date(s, date, "date-short", "month-short-");
}

void cm_words_merge_missing(const cm_style *to, const cm_style *from)
{
    if (!to->words_missing || !from->words_missing || to == from)
        return;
    G_LOCK(missing);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, from->words_missing);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(to->words_missing, g_strdup(key));
    g_hash_table_remove_all(from->words_missing);
    G_UNLOCK(missing);
}

void cm_words_report(const cm_style *s, cm_ctx *ctx)
{
    G_LOCK(missing);
    if (!s->words_missing || g_hash_table_size(s->words_missing) == 0) {
        G_UNLOCK(missing);
        return;
    }
    GList *keys = g_list_sort(g_hash_table_get_keys(s->words_missing), (GCompareFunc)strcmp);
    GString *list = g_string_new(NULL);
    for (GList *k = keys; k; k = k->next)
        g_string_append_printf(list, "%s%s", k == keys ? "" : ", ", (const char *)k->data);
    cm_warn(ctx, "the style's [words] have no \"%s\" for %u word%s (%s): in English on the page",
            cm_words_lang(s), g_hash_table_size(s->words_missing),
            g_hash_table_size(s->words_missing) == 1 ? "" : "s", list->str);
    g_string_free(list, TRUE);
    g_list_free(keys);
    g_hash_table_remove_all(s->words_missing);
    G_UNLOCK(missing);
}

/* Puts every key of `group` in `kf` that is a word (all of [words]) or a translation
 * (key[lang]) in the table, over what an earlier file put there. */
static void take_group(GHashTable *table, const cm_keyfile *kf, const char *group, gboolean all)
{
    char **keys = g_key_file_get_keys(kf->kf, group, NULL, NULL);
    for (char **k = keys; k && *k; k++) {
        if (!all && !strchr(*k, '['))
            continue;
        char *v = g_key_file_get_string(kf->kf, group, *k, NULL);
        if (v && *g_strstrip(v))
            g_hash_table_insert(table, g_strdup_printf("%s\x1f%s", group, *k), v);
        else
            g_free(v);
    }
    g_strfreev(keys);
}

static void put_english(GHashTable *table, const char *group, const char *key, const char *v)
{
    if (v)
        g_hash_table_insert(table, g_strdup_printf("%s\x1f%s", group, key), g_strdup(v));
}

void cm_words_load(cm_style *s, cm_keyfile *const *kfs, int n)
{
    s->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->words_missing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int f = 0; f < n; f++) {
        char **groups = g_key_file_get_groups(kfs[f]->kf, NULL);
        for (char **g = groups; *g; g++)
            take_group(s->words, kfs[f], *g, strcmp(*g, WORDS_GROUP) == 0);
        g_strfreev(groups);
    }
    /* the English of the localised fields, as the cascade resolved them */
    put_english(s->words, "legend", "title", s->legend_title);
    put_english(s->words, "unknown", "label", s->unknown_label);
    put_english(s->words, "contested", "label", s->contested_label);
    for (guint i = 0; i < s->controllers->len; i++) {
        const cm_controller *c = s->controllers->pdata[i];
        char *group = g_strconcat("controller ", c->id, NULL);
        put_english(s->words, group, "label", c->label);
        put_english(s->words, group, "short", c->short_label);
        g_free(group);
    }
    cm_words_localise(s);
}

static void set_field(char **field, GHashTable *table, const char *group, const char *key,
                      const char *lang)
{
    const char *v = localised(table, group, key, lang, NULL);
    if (v && (!*field || strcmp(*field, v) != 0)) {
        g_free(*field);
        *field = g_strdup(v);
    }
}

void cm_words_localise(cm_style *s)
{
    const char *lang = cm_words_lang(s);
    set_field(&s->legend_title, s->words, "legend", "title", lang);
    set_field(&s->unknown_label, s->words, "unknown", "label", lang);
    set_field(&s->contested_label, s->words, "contested", "label", lang);
    for (guint i = 0; i < s->controllers->len; i++) {
        cm_controller *c = s->controllers->pdata[i];
        char *group = g_strconcat("controller ", c->id, NULL);
        set_field(&c->label, s->words, group, "label", lang);
        set_field(&c->short_label, s->words, group, "short", lang);
        /* no `by` in this language: the short name, in this language, not English's `by` */
        const char *by = strcmp(lang, "en") ? lookup(s->words, group, "by", lang) : c->by_en;
        char *was = c->by_label;
        c->by_label = g_strdup(by ? by : c->short_label);
        g_free(was);
        g_free(group);
    }
}

void cm_mapfile_words_load(cm_mapfile *mf, const cm_keyfile *kf)
{
    mf->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    take_group(mf->words, kf, "map", FALSE);
    put_english(mf->words, "map", "title", mf->title);
    put_english(mf->words, "map", "subtitle", mf->subtitle);
    put_english(mf->words, "map", "credit", mf->credit);
    for (int i = 0; i < mf->ndetails; i++) {
        char *group = g_strconcat("detail ", mf->details[i].name, NULL);
        take_group(mf->words, kf, group, FALSE);
        put_english(mf->words, group, "title", mf->details[i].title);
        g_free(group);
    }
}

void cm_mapfile_localise(cm_mapfile *mf, const char *lang)
{
    if (!mf->words)
        return;
    set_field(&mf->title, mf->words, "map", "title", lang);
    set_field(&mf->subtitle, mf->words, "map", "subtitle", lang);
    set_field(&mf->credit, mf->words, "map", "credit", lang);
    if (mf->credit && strcmp(lang, "ar") == 0) {
        /* "Natural Earth", "GeoNames (CC BY 4.0)" whole and in order in the Arabic credit */
        char *iso = cm_bidi_isolate_latin(mf->credit);
        g_free(mf->credit);
        mf->credit = iso;
    }
    for (int i = 0; i < mf->ndetails; i++) {
        char *group = g_strconcat("detail ", mf->details[i].name, NULL);
        set_field(&mf->details[i].title, mf->words, group, "title", lang);
        g_free(group);
    }
}

void cm_mapfile_words_focus(cm_mapfile *mf, const char *detail)
{
    if (!mf->words)
        return;
    char *prefix = g_strdup_printf("detail %s\x1ftitle", detail);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, mf->words);
    while (g_hash_table_iter_next(&it, &key, NULL))
        if (g_str_has_prefix(key, "map\x1ftitle"))
            g_hash_table_iter_remove(&it);
    GPtrArray *titles = g_ptr_array_new();
    g_hash_table_iter_init(&it, mf->words);
    while (g_hash_table_iter_next(&it, &key, &value))
        if (g_str_has_prefix(key, prefix))
            g_ptr_array_add(titles, key);
    for (guint i = 0; i < titles->len; i++) {
        const char *k = titles->pdata[i];
        g_hash_table_insert(mf->words, g_strconcat("map\x1ftitle", k + strlen(prefix), NULL),
                            g_strdup(g_hash_table_lookup(mf->words, k)));
    }
    g_ptr_array_free(titles, TRUE);
    g_free(prefix);
}
