/* The web edition's data: control on each date of the page, as JSON for its script.  Each
 * date stores only the features whose ledger row changed since the date before, so that a
 * year of weeks costs little more than one date; the sources are written once, numbered,
 * and referred to by number.  Paint comes from the one place that turns a row into paint
 * (cm_row_paint), the legend from the renderer's own items (cm_legend_items), the words
 * from the catalogue. */
#include "keyfile.h"
#include "draw.h"
#include "layout.h"
#include "map_impl.h"
#include "page.h"
#include "sources.h"
#include "style.h"
#include "timeline.h"
#include "web.h"
#include "words.h"

#include <string.h>

void cm_web_json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '<': g_string_append(out, "\\u003c"); break; /* no "</script>" inside */
        default:
            if ((unsigned char)*p < 0x20)
                g_string_append_printf(out, "\\u%04x", (unsigned char)*p);
            else
                g_string_append_c(out, *p);
        }
    }
    g_string_append_c(out, '"');
}

/* What the data pass keeps while it writes: the paints and sources numbered so far. */
typedef struct {
    const cm_map *map;
    GPtrArray *paints;  /* cm_paint*, in the order first used */
    GPtrArray *stripes; /* the caller's: cm_paint* of the striped ones, owned by it */
    GPtrArray *sources; /* const cm_source*, in the order first cited */
    GPtrArray *swatches; /* the legend's swatches as SVG (char*), each written once */
} data_state;

/* The index of `p` among the paints, added when new. */
static int paint_index(data_state *d, const cm_paint *p)
{
    for (guint i = 0; i < d->paints->len; i++)
        if (!memcmp(d->paints->pdata[i], p, sizeof *p))
            return (int)i;
    g_ptr_array_add(d->paints, g_memdup2(p, sizeof *p));
    if (p->n > 1)
        g_ptr_array_add(d->stripes, g_memdup2(p, sizeof *p));
    return (int)d->paints->len - 1;
}

/* A paint as the SVG refers to it: a colour, or the stripes' pattern. */
static void paint_css(GString *out, data_state *d, const cm_paint *p)
{
    char c[32];
    if (p->n <= 1) {
        g_string_append(out, cm_web_color(p->colors[0], c));
        return;
    }
    for (guint k = 0; k < d->stripes->len; k++)
        if (!memcmp(d->stripes->pdata[k], p, sizeof *p))
            g_string_append_printf(out, "url(#cm-p%u)", k);
}

static int source_index(data_state *d, const cm_source *src)
{
    for (guint i = 0; i < d->sources->len; i++)
        if (d->sources->pdata[i] == src)
            return (int)i + 1;
    g_ptr_array_add(d->sources, (gpointer)src);
    return (int)d->sources->len;
}

/* The holders' labels of a row: its controller, or the parties of a contested row. */
static char *holder_text(const cm_style *s, const cm_ledger_row *r)
{
    if (r->status != CM_CONTESTED || !r->parties)
        return g_strdup(cm_style_controller(s, r->controller)->label);
    GString *t = g_string_new(NULL);
    for (char **p = r->parties; *p; p++)
        g_string_append_printf(t, "%s%s", p == r->parties ? "" : " / ",
                               cm_style_controller(s, *p)->short_label);
    return g_string_free(t, FALSE);
}

static char *status_text(const cm_style *s, const cm_ledger_row *r)
{
    char key[32];
    g_snprintf(key, sizeof key, "status-%s", cm_status_word(r->status));
    if ((r->status == CM_BESIEGED || r->status == CM_ATTACKED) && r->parties && r->parties[0])
        return cm_wordf(s, "by-whom", cm_word(s, key),
                        cm_style_controller(s, r->parties[0])->short_label, NULL);
    return g_strdup(cm_word(s, key));
}

/* The numbers of the sources a row cites, into `cited` and, unless NULL, `out`. */
static void row_sources(GString *out, data_state *d, const cm_ledger_row *r, GArray *cited)
{
    char **ids = cm_source_ids(r->source);
    int k = 0;
    for (char **id = ids; *id; id++) {
        const cm_source *src = d->map->sources ? cm_sources_get(d->map->sources, *id) : NULL;
        if (!src)
            continue;
        int n = source_index(d, src);
        if (out)
            g_string_append_printf(out, "%s%d", k++ ? "," : "", n);
        g_array_append_val(cited, n);
    }
    g_strfreev(ids);
}

/* One feature's state: [paint, holder, status, since, confidence, [source numbers]]. */
static void feature_state(GString *out, data_state *d, const cm_ledger_row *r, GArray *cited)
{
    const cm_style *s = d->map->style;
    cm_paint p = cm_row_paint(s, r);
    char key[64];
    char *since = cm_format_date_long(s, &r->date); /* in the page's language */
    char *holder = holder_text(s, r), *status = status_text(s, r);
    g_string_append_printf(out, "[%d,", paint_index(d, &p));
    cm_web_json_string(out, holder);
    g_string_append_c(out, ',');
    cm_web_json_string(out, status);
    g_string_append_c(out, ',');
    cm_web_json_string(out, since);
    g_string_append_c(out, ',');
    g_snprintf(key, sizeof key, "confidence-%s", r->confidence ? r->confidence : "");
    cm_web_json_string(out, r->confidence ? cm_word(s, key) : ""); /* not given: not said */
    g_string_append(out, ",[");
    row_sources(out, d, r, cited);
    g_string_append(out, "]]");
    g_free(holder);
    g_free(status);
    g_free(since);
}

/* Each feature: [element id, name in the page's language, kind]. */
static void features(GString *out, const cm_map *map)
{
    const gboolean ar = strcmp(cm_words_lang(map->style), "ar") == 0;
    const int nr = map->regions.layer->n, np = cm_web_nplaces(map);
    g_string_append(out, "\"features\":[");
    for (int i = 0; i < cm_web_nfeatures(map); i++) {
        const cm_feature *f = i < nr        ? &map->regions.layer->features[i]
                              : i < nr + np ? &map->places.layer->features[i - nr]
                                            : NULL;
        char *id = cm_web_feature_id(map, i);
        g_string_append(out, i ? ",[" : "[");
        cm_web_json_string(out, id);
        g_string_append_c(out, ',');
        if (!f) { /* a zone: its label, or the word for one */
            const char *label = map->zones->items[i - nr - np].label;
            cm_web_json_string(out, label ? label : cm_word(map->style, "web-zone"));
            g_string_append_c(out, ',');
            cm_web_json_string(out, cm_word(map->style, "web-zone"));
            g_string_append_c(out, ']');
            g_free(id);
            continue;
        }
        cm_web_json_string(out, ar && f->name_ar ? f->name_ar : f->name ? f->name : f->key);
        g_string_append_c(out, ',');
        cm_web_json_string(out, cm_word(map->style, i < nr ? "web-region"
                                                           : i - nr >= map->first_site ? "site"
                                                                                      : "town"));
        g_string_append_c(out, ']');
        g_free(id);
    }
    g_string_append(out, "],\n");
}

/* The index of a legend item's swatch among those written, added when new. */
static int swatch_index(data_state *d, const cm_legend_item *it)
{
    GString *paint = g_string_new(NULL), *svg = g_string_new(NULL);
    if (it->kind == CM_SWATCH_AREA) {
        paint_index(d, &it->paint); /* its stripes' pattern defined with the map's */
        paint_css(paint, d, &it->paint);
    }
    cm_web_swatch(svg, d->map->style, it, paint->str);
    g_string_free(paint, TRUE);
    for (guint i = 0; i < d->swatches->len; i++)
        if (!strcmp(d->swatches->pdata[i], svg->str)) {
            g_string_free(svg, TRUE);
            return (int)i;
        }
    g_ptr_array_add(d->swatches, g_string_free(svg, FALSE));
    return (int)d->swatches->len - 1;
}

/* The legend's items on one date, [swatch, text] each: the renderer's items, each swatch
 * drawn as the map draws its kind. */
static void legend(GString *out, data_state *d, const cm_control *cs)
{
    GArray *items = cm_legend_items(d->map, cs);
    g_string_append_c(out, '[');
    for (guint i = 0; i < items->len; i++) {
        const cm_legend_item *it = &g_array_index(items, cm_legend_item, i);
        g_string_append_printf(out, "%s[%d,", i ? "," : "", swatch_index(d, it));
        cm_web_json_string(out, it->text);
        g_string_append_c(out, ']');
    }
    g_string_append_c(out, ']');
    cm_legend_items_free(items);
}

/* The ids of the lines and events shown on `date`, as a JSON array. */
static GString *marks_on(const cm_map *map, const GDate *date)
{
    GString *out = g_string_new("[");
    gboolean first = TRUE;
    for (int i = 0; map->lines && i < map->lines->layer->n; i++)
        if (map->lines_page[i].nrings && cm_timed_active(&map->lines->items[i], date)) {
            g_string_append_printf(out, "%s\"line-%ld\"", first ? "" : ",", map->lines->items[i].fid);
            first = FALSE;
        }
    for (int i = 0; map->events && i < map->events->n; i++)
        if (map->events->items[i].has_point && cm_event_shown(&map->events->items[i], date)) {
            g_string_append_printf(out, "%s\"event-%d\"", first ? "" : ",", i);
            first = FALSE;
        }
    g_string_append_c(out, ']');
    return out;
}

/* Each event: [text in the page's language, its date, [source numbers]]. */
static void events_data(GString *out, data_state *d)
{
    const cm_map *map = d->map;
    const gboolean ar = strcmp(cm_words_lang(map->style), "ar") == 0;
    g_string_append(out, "\"events\":[");
    for (int i = 0; map->events && i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        char *day = cm_format_date_long(map->style, &e->date);
        g_string_append(out, i ? ",[" : "[");
        cm_web_json_string(out, ar && e->text_ar ? e->text_ar : e->text);
        g_string_append_c(out, ',');
        cm_web_json_string(out, day);
        g_free(day);
        g_string_append(out, ",[");
        char **ids = cm_source_ids(e->sources);
        int k = 0;
        for (char **id = ids; *id; id++) {
            const cm_source *src = map->sources ? cm_sources_get(map->sources, *id) : NULL;
            if (src)
                g_string_append_printf(out, "%s%d", k++ ? "," : "", source_index(d, src));
        }
        g_strfreev(ids);
        g_string_append(out, "]]");
    }
    g_string_append(out, "],\n");
}

static gint int_cmp(gconstpointer a, gconstpointer b)
{
    return *(const int *)a - *(const int *)b;
}

void cm_web_data(GString *json, const cm_map *map, const GDate *dates, int n, GPtrArray *stripes)
{
    const cm_style *s = map->style;
    const int nr = map->regions.layer->n, np = cm_web_nplaces(map), nf = cm_web_nfeatures(map);
    /* a zone in force reads as a ledger row: its controller, status, parties, first day and
     * sources (no confidence); one row per zone, so that "unchanged" is the same pointer */
    const int nz = nf - nr - np;
    cm_ledger_row *zone_rows = g_new0(cm_ledger_row, (size_t)nz + 1);
    for (int z = 0; z < nz; z++) {
        const cm_timed *t = &map->zones->items[z];
        zone_rows[z] = (cm_ledger_row){.date = t->from, .controller = t->actor,
                                       .status = t->status, .parties = t->parties,
                                       .source = t->source};
    }
    data_state d = {map, g_ptr_array_new_with_free_func(g_free), stripes, g_ptr_array_new(),
                    g_ptr_array_new_with_free_func(g_free)};
    GString *changes = g_string_new("\"changes\":["), *legends = g_string_new("\"legend\":[");
    GString *notes = g_string_new("\"notes\":["), *titles = g_string_new("\"titles\":[");
    GString *iso = g_string_new("\"dates\":["), *longs = g_string_new("\"long\":["), *last_legend = g_string_new(NULL);
    GString *marks = g_string_new("\"marks\":["), *last_marks = g_string_new(NULL);
    const cm_ledger_row **before = g_new0(const cm_ledger_row *, (size_t)nf);
    for (int k = 0; k < n; k++) {
        cm_page_spec spec = {.date = dates[k]};
        cm_control cs = cm_control_on(map, &spec);
        char day[11];
        cm_format_date(&dates[k], day);
        g_string_append(iso, k ? "," : "");
        cm_web_json_string(iso, day);
        char *long_date = cm_format_date_long(s, &dates[k]);
        g_string_append(longs, k ? "," : "");
        cm_web_json_string(longs, long_date);
        char *title = map->mf->subtitle ? cm_wordf(s, "subtitle-as-of", map->mf->subtitle, long_date, NULL)
                                        : cm_wordf(s, "as-of", long_date, NULL);
        g_string_append(titles, k ? "," : "");
        cm_web_json_string(titles, title);
        g_free(title);
        g_free(long_date);
        /* the features whose row changed, and every source in force */
        GArray *cited = g_array_new(FALSE, FALSE, sizeof(int));
        g_string_append(changes, k ? ",\n{" : "\n{");
        int written = 0;
        for (int f = 0; f < nf; f++) {
            const cm_ledger_row *r =
                f < nr        ? cs.rows[f]
                : f < nr + np ? cs.towns[f - nr]
                : cm_timed_active(&map->zones->items[f - nr - np], &dates[k]) ? &zone_rows[f - nr - np]
                                                                             : NULL;
            if (k > 0 && r == before[f]) {
                if (r)
                    row_sources(NULL, &d, r, cited);
                continue;
            }
            g_string_append_printf(changes, "%s\"%d\":", written++ ? "," : "", f);
            if (r)
                feature_state(changes, &d, r, cited);
            else
                g_string_append(changes, "null");
            before[f] = r;
        }
        g_string_append_c(changes, '}');
        g_array_sort(cited, int_cmp);
        g_string_append(notes, k ? ",[" : "[");
        for (guint i = 0; i < cited->len; i++)
            if (i == 0 || g_array_index(cited, int, i) != g_array_index(cited, int, i - 1))
                g_string_append_printf(notes, "%s%d", i ? "," : "", g_array_index(cited, int, i));
        g_string_append_c(notes, ']');
        g_array_free(cited, TRUE);
        GString *one = g_string_new(NULL);
        legend(one, &d, &cs);
        g_string_append(legends, k ? "," : "");
        g_string_append(legends, k && !strcmp(one->str, last_legend->str) ? "0" : one->str);
        g_string_assign(last_legend, one->str);
        g_string_free(one, TRUE);
        one = marks_on(map, &dates[k]);
        g_string_append(marks, k ? "," : "");
        g_string_append(marks, k && !strcmp(one->str, last_marks->str) ? "0" : one->str);
        g_string_assign(last_marks, one->str);
        g_string_free(one, TRUE);
        cm_control_clear(&cs);
    }
    g_string_append_printf(json, "{%s],\n%s],\n%s],\n", iso->str, longs->str, titles->str);
    events_data(json, &d); /* before the sources: it numbers those it cites */
    features(json, map);
    g_string_append(json, "\"paints\":[");
    for (guint i = 0; i < d.paints->len; i++) {
        g_string_append(json, i ? ",\"" : "\"");
        paint_css(json, &d, d.paints->pdata[i]);
        g_string_append_c(json, '"');
    }
    g_string_append(json, "],\n\"swatches\":[");
    for (guint i = 0; i < d.swatches->len; i++) {
        g_string_append(json, i ? ",\n" : "\n");
        cm_web_json_string(json, d.swatches->pdata[i]);
    }
    g_string_append(json, "],\n\"sources\":[");
    for (guint i = 0; i < d.sources->len; i++) {
        const cm_source *src = d.sources->pdata[i];
        char pub[11];
        cm_format_date(&src->published, pub);
        g_string_append(json, i ? ",\n[" : "\n[");
        cm_web_json_string(json, src->title ? src->title : src->outlet);
        g_string_append_c(json, ',');
        cm_web_json_string(json, src->outlet);
        g_string_append_c(json, ',');
        cm_web_json_string(json, pub);
        g_string_append_c(json, ',');
        cm_web_json_string(json, src->url);
        g_string_append_c(json, ']');
    }
    g_string_append_printf(json, "],\n%s],\n%s],\n%s],\n%s]}", changes->str, legends->str,
                           notes->str, marks->str);
    g_string_free(marks, TRUE), g_string_free(last_marks, TRUE);
    g_free(before);
    g_free(zone_rows);
    g_string_free(changes, TRUE), g_string_free(legends, TRUE), g_string_free(notes, TRUE);
    g_string_free(titles, TRUE), g_string_free(iso, TRUE), g_string_free(last_legend, TRUE);
    g_string_free(longs, TRUE);
    g_ptr_array_unref(d.paints);
    g_ptr_array_unref(d.sources);
    g_ptr_array_unref(d.swatches);
}
