/* Control on a page's date: the ledger row in force for every district, town and site, how
 * each is painted, and which sources the page cites (legend.c lists the legend's items).
 * Nothing is drawn here. */
#include "bidi.h"
#include "change.h"
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "timeline.h"

#include <math.h>
#include <string.h>

static const cm_ledger_row **rows_for(const cm_map *map, const cm_layer *layer, gboolean towns,
                                      const GDate *date)
{
    if (!layer)
        return NULL;
    const cm_ledger_row **rows = g_new0(const cm_ledger_row *, (size_t)layer->n);
    for (int i = 0; i < layer->n; i++) {
        const char *key = towns ? map->town_keys[i] : layer->features[i].key;
        rows[i] = key ? cm_ledger_state(map->ledger, key, date) : NULL;
    }
    return rows;
}

cm_control cm_control_on(const cm_map *map, const cm_page_spec *spec)
{
    cm_control cs = {.spec = spec};
    cs.rows = rows_for(map, map->regions.layer, FALSE, &spec->date);
    cs.towns = rows_for(map, map->places.layer, TRUE, &spec->date);
    if (spec->diff) {
        cs.rows_from = rows_for(map, map->regions.layer, FALSE, &spec->from);
        cs.towns_from = rows_for(map, map->places.layer, TRUE, &spec->from);
        cs.change = cm_change_get(map, &spec->from, &spec->date);
    }
    return cs;
}

void cm_control_clear(cm_control *cs)
{
    g_free(cs->rows);
    g_free(cs->towns);
    g_free(cs->rows_from);
    g_free(cs->towns_from);
}

/* A colour halfway to white: claimed, unconfirmed ground. */
cm_rgba cm_lighten(cm_rgba c, double k)
{
    return (cm_rgba){c.r + (1 - c.r) * k, c.g + (1 - c.g) * k, c.b + (1 - c.b) * k, c.a};
}

/* How an area with this control is painted: its holder's colour and pattern; stripes of the
 * parties that contest it; lighter where only claimed; or the no-data fill. */
cm_paint cm_control_paint(const cm_style *s, const char *holder, cm_control_status status,
                              char **parties)
{
    cm_paint p = {.n = 1, .pattern = CM_PATTERN_SOLID};
    if (!holder) {
        p.colors[0] = s->unknown_fill;
    } else if (status == CM_CONTESTED && parties) {
        p.n = 0;
        for (char **id = parties; *id && p.n < 4; id++)
            p.colors[p.n++] = cm_style_controller(s, *id)->fill;
    } else {
        const cm_controller *c = cm_style_controller(s, holder);
        p.colors[0] = status == CM_CLAIMED ? cm_lighten(c->fill, 0.55) : c->fill;
        p.pattern = c->pattern;
        p.pattern_color = c->pattern_color;
    }
    return p;
}

cm_paint cm_row_paint(const cm_style *s, const cm_ledger_row *r)
{
    return r ? cm_control_paint(s, r->controller, cm_row_drawn_status(r), r->parties)
             : cm_control_paint(s, NULL, CM_HELD, NULL);
}

/* Unchanged ground in a change map: its colour most of the way to the style's neutral (the
 * no-data fill: light on a light theme, dark on the dark one, where the labels are made to
 * read), so that what changed stands out and the reader still sees who holds the rest. */
static cm_rgba muted(cm_rgba c, cm_rgba neutral)
{
    const double k = 0.62;
    return (cm_rgba){c.r + (neutral.r - c.r) * k, c.g + (neutral.g - c.g) * k,
                     c.b + (neutral.b - c.b) * k, c.a};
}

cm_paint cm_change_paint(const cm_style *s, int kind, const char *holder,
                         cm_control_status status, char **parties)
{
    if (!holder)
        return cm_control_paint(s, NULL, CM_HELD, NULL);
    /* a gain only claimed is lighter, as on a map of the date; unchanged ground is muted
     * alike whether held or claimed */
    cm_control_status st = status == CM_CONTESTED && parties              ? CM_CONTESTED
                           : status == CM_CLAIMED && kind != CM_CHANGE_SAME ? CM_CLAIMED
                                                                            : CM_HELD;
    cm_paint p = cm_control_paint(s, holder, st, parties);
    if (kind != CM_CHANGE_SAME)
        return p;
    for (int i = 0; i < p.n; i++)
        p.colors[i] = muted(p.colors[i], s->unknown_fill);
    p.pattern_color = muted(p.pattern_color, s->unknown_fill);
    return p;
}

static gint str_ptr_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_source(GPtrArray *list, const char *source)
{
    /* a cell may hold several sources separated by ';' */
    char **parts = g_strsplit(source, ";", -1);
    for (char **p = parts; *p; p++) {
        char *one = g_strstrip(*p);
        if (*one && !g_ptr_array_find_with_equal_func(list, one, g_str_equal, NULL))
            g_ptr_array_add(list, g_strdup(one));
    }
    g_strfreev(parts);
}

/* Earlier publication first; then by id, so the numbering is stable. */
static gint by_published(gconstpointer a, gconstpointer b)
{
    const cm_source *x = *(const cm_source *const *)a, *y = *(const cm_source *const *)b;
    int c = g_date_compare(&x->published, &y->published);
    return c ? c : strcmp(x->id, y->id);
}

/* An Arabic page's lines read from the right: its Latin is isolated (bidi.h). */
static gboolean rtl(const cm_style *s)
{
    return strcmp(s->lang, "ar") == 0;
}

/* The ids joined as the sources line lists them, each Latin one isolated on an Arabic page. */
static char *joined_ids(const cm_style *s, GPtrArray *list)
{
    GString *j = g_string_new(NULL);
    for (guint i = 0; i < list->len; i++) {
        char *one = rtl(s) ? cm_bidi_isolate_latin(list->pdata[i]) : g_strdup(list->pdata[i]);
        g_string_append_printf(j, "%s%s", i ? "; " : "", one);
        g_free(one);
    }
    return g_string_free(j, FALSE);
}

/* The cited sources of the table, oldest first (the notes' order). */
static GPtrArray *cited_sources(const cm_sources *table, GPtrArray *ids)
{
    GPtrArray *cited = g_ptr_array_new();
    for (guint i = 0; i < ids->len; i++) {
        const cm_source *src = cm_sources_get(table, ids->pdata[i]);
        if (src) /* check made sure there are no others */
            g_ptr_array_add(cited, (gpointer)src);
    }
    g_ptr_array_sort(cited, by_published);
    return cited;
}

/* "Sources of control: [1] Reuters, “…”, 4 Apr 2019; [2] …": the cited sources as numbered
 * notes, oldest first, those published after the map's date marked "reported DATE". */
static char *numbered_notes(const cm_style *s, const cm_sources *table, GPtrArray *ids,
                            const GDate *date, gboolean brief)
{
    GPtrArray *cited = cited_sources(table, ids);
    GString *notes = g_string_new(NULL);
    for (guint i = 0; i < cited->len; i++) {
        char *note = cm_source_note(s, cited->pdata[i], date, !brief);
        if (rtl(s)) { /* "Al Jazeera" and "218 News" whole, in order, before their dates */
            char *iso = cm_bidi_isolate_latin(note);
            g_free(note);
            note = iso;
        }
        g_string_append_printf(notes, "%s[%u] %s", i ? "; " : "", i + 1, note);
        g_free(note);
    }
    g_ptr_array_free(cited, TRUE);
    char *line = cm_wordf(s, "sources-line", notes->str, NULL);
    g_string_free(notes, TRUE);
    return line;
}

/* The ids cited by what is in force on the page's date. */
static GPtrArray *cited_ids(const cm_map *map, const cm_control *cs)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < map->regions.layer->n; i++)
        if (cs->rows[i])
            add_source(list, cs->rows[i]->source);
    for (int i = 0; map->places.layer && i < map->places.layer->n; i++)
        if (cs->towns[i])
            add_source(list, cs->towns[i]->source);
    const cm_timeline *tls[] = {map->zones, map->lines};
    for (int k = 0; k < 2; k++)
        for (int i = 0; tls[k] && !cs->spec->diff && i < tls[k]->layer->n; i++)
            if (cm_timed_active(&tls[k]->items[i], &cs->spec->date))
                add_source(list, tls[k]->items[i].source);
    for (int i = 0; map->events && !cs->spec->diff && i < map->events->n; i++)
        if (cm_event_shown(&map->events->items[i], &cs->spec->date))
            add_source(list, map->events->items[i].sources);
    return list;
}

char **cm_sources_notes(const cm_map *map, const cm_control *cs)
{
    if (!map->sources)
        return NULL;
    GPtrArray *ids = cited_ids(map, cs), *cited = cited_sources(map->sources, ids);
    GPtrArray *notes = g_ptr_array_new();
    for (guint i = 0; i < cited->len; i++) {
        const cm_source *src = cited->pdata[i];
        char *note = cm_source_note(map->style, src, &cs->spec->date, TRUE);
        g_ptr_array_add(notes, g_strdup_printf("[%u] %s.%s%s", i + 1, note, src->url ? " " : "",
                                               src->url ? src->url : ""));
        g_free(note);
    }
    g_ptr_array_add(notes, NULL);
    g_ptr_array_free(cited, TRUE);
    g_ptr_array_free(ids, TRUE);
    return (char **)g_ptr_array_free(notes, FALSE);
}

/* "Sources of control: A; B." — the distinct sources of the rows, zones and lines in force,
 * sorted. */
char *cm_sources_line(const cm_map *map, const cm_control *cs, gboolean brief)
{
    GPtrArray *list = cited_ids(map, cs);
    if (list->len == 0) {
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    if (map->sources) {
        char *notes = numbered_notes(map->style, map->sources, list, &cs->spec->date, brief);
        g_ptr_array_free(list, TRUE);
        return notes;
    }
    g_ptr_array_sort(list, str_ptr_cmp);
    char *joined = joined_ids(map->style, list);
    char *line = cm_wordf(map->style, "sources-line", joined, NULL);
    g_free(joined);
    g_ptr_array_free(list, TRUE);
    return line;
}

char *cm_sources_line_of(const cm_map *map, const cm_control *cs, int n, gboolean brief)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    for (int k = 0; k < n; k++) {
        GPtrArray *one = cited_ids(map, &cs[k]);
        for (guint i = 0; i < one->len; i++)
            add_source(list, one->pdata[i]);
        g_ptr_array_free(one, TRUE);
    }
    char *line = NULL;
    if (list->len > 0 && map->sources) {
        line = numbered_notes(map->style, map->sources, list, &cs[n - 1].spec->date, brief);
    } else if (list->len > 0) {
        g_ptr_array_sort(list, str_ptr_cmp);
        char *joined = joined_ids(map->style, list);
        line = cm_wordf(map->style, "sources-line", joined, NULL);
        g_free(joined);
    }
    g_ptr_array_free(list, TRUE);
    return line;
}
