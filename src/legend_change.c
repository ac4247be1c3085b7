/* A change map's legend (change.h): its ground gained, newly contested and unchanged, the
 * towns and sites that changed hands, and the summary of areas gained.  legend.c lists the
 * rest and puts the legend together. */
#include "change.h"
#include "ctx.h"
#include "draw.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "words.h"

#include <math.h>
#include <string.h>

/* "12,300": a whole number in groups of three, with the catalogue's separator. */
static char *grouped(const cm_style *s, double v)
{
    char digits[32];
    g_snprintf(digits, sizeof digits, "%.0f", v);
    GString *out = g_string_new(NULL);
    size_t n = strlen(digits);
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            g_string_append(out, cm_word(s, "digit-group"));
        g_string_append_c(out, digits[i]);
    }
    char *local = cm_words_digits(s, out->str);
    g_string_free(out, TRUE);
    return local;
}

/* An area as the legend gives it: three significant figures, at least to the ten km². */
static double round_km2(double km2)
{
    if (km2 <= 0)
        return 0;
    double unit = fmax(10, pow(10, floor(log10(km2)) - 2));
    return round(km2 / unit) * unit;
}

/* `line` with `more` after it, joined by the word `join` ("%s, %s"). */
static void append_listed(const cm_style *s, GString *line, const char *join, const char *more)
{
    if (!line->len) {
        g_string_assign(line, more);
        return;
    }
    char *joined = cm_wordf(s, join, line->str, more, NULL);
    g_string_assign(line, joined);
    g_free(joined);
}

/* "GNA gained 8,950 km², LNA gained none; 120 km² newly contested": each side that gained
 * or lost ground, measured on the ellipsoid (change.c). */
static char *change_summary(const cm_map *map, const cm_change *ch)
{
    const cm_style *s = map->style;
    GString *line = g_string_new(NULL);
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean in_play = FALSE;
        for (int i = 0; i < ch->npieces && !in_play; i++) {
            const cm_change_piece *p = &ch->pieces[i];
            in_play = p->kind != CM_CHANGE_SAME && (!g_strcmp0(p->to.holder, ctl->id) ||
                                                    !g_strcmp0(p->from.holder, ctl->id));
        }
        if (!in_play)
            continue;
        double km2 = round_km2(cm_change_km2(ch, CM_CHANGE_GAINED, ctl->id));
        char *n = grouped(s, km2);
        char *one = km2 > 0 ? cm_wordf(s, "gained-km2", ctl->short_label, n, NULL)
                            : cm_wordf(s, "gained-none", ctl->short_label, NULL);
        append_listed(s, line, "list-comma", one);
        g_free(one);
        g_free(n);
    }
    double contested = round_km2(cm_change_km2(ch, CM_CHANGE_CONTESTED, NULL));
    if (contested > 0) {
        char *n = grouped(s, contested), *one = cm_wordf(s, "contested-km2", n, NULL);
        append_listed(s, line, "list-semicolon", one);
        g_free(one);
        g_free(n);
    }
    return g_string_free(line, line->len == 0);
}

/* Whether a piece of the change lies in a district the frame shows. */
static gboolean piece_shown(const cm_map *map, const cm_change_piece *p)
{
    return map->region_in_frame[p->region];
}

/* The change map's held ground of `kind` (gained, or unchanged), one entry per holder, and
 * gains only claimed, lighter, apart. */
static void add_change_holders(GArray *items, const cm_map *map, const cm_change *ch,
                               cm_change_kind kind)
{
    const cm_style *s = map->style;
    for (int claimed = 0; claimed < (kind == CM_CHANGE_GAINED ? 2 : 1); claimed++)
        for (guint c = 0; c < s->controllers->len; c++) {
            const cm_controller *ctl = s->controllers->pdata[c];
            gboolean shows = FALSE;
            for (int i = 0; i < ch->npieces && !shows; i++) {
                const cm_change_piece *p = &ch->pieces[i];
                shows = piece_shown(map, p) && p->kind == kind && p->to.holder &&
                        p->to.status != CM_CONTESTED && !strcmp(p->to.holder, ctl->id) &&
                        (kind == CM_CHANGE_SAME || (p->to.status == CM_CLAIMED) == claimed);
            }
            const char *word = claimed ? "claimed-by"
                               : kind == CM_CHANGE_GAINED ? "gained-by"
                                                          : "unchanged-held-by";
            if (shows)
                cm_legend_add(items, CM_SWATCH_AREA,
                         cm_change_paint(s, kind, ctl->id, claimed ? CM_CLAIMED : CM_HELD, NULL),
                         cm_wordf(s, word, kind == CM_CHANGE_SAME ? ctl->short_label : ctl->by_label,
                                  NULL)); /* "Inchangé : ANL", "Gagné par l'ANL" */
        }
}

/* The change map's contested ground of `kind` (newly contested, or unchanged), one entry per
 * set of parties. */
static void add_change_contests(GArray *items, const cm_map *map, const cm_control *cs,
                                cm_change_kind kind)
{
    const cm_style *s = map->style;
    const cm_change *ch = cs->change;
    char *since = cm_format_date_long(s, &cs->spec->from);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < ch->npieces; i++) {
        const cm_change_piece *p = &ch->pieces[i];
        if (!piece_shown(map, p) || p->kind != kind || p->to.status != CM_CONTESTED ||
            !p->to.parties)
            continue;
        char *set = cm_party_set(p->to.parties);
        if (g_hash_table_contains(seen, set)) {
            g_free(set);
            continue;
        }
        g_hash_table_add(seen, set);
        char *names = cm_party_names(s, p->to.parties);
        cm_legend_add(items, CM_SWATCH_AREA,
                 cm_change_paint(s, kind, p->to.holder, CM_CONTESTED, p->to.parties),
                 kind == CM_CHANGE_CONTESTED
                     ? cm_wordf(s, "contested-since", s->contested_label, since, names, NULL)
                     : cm_wordf(s, "unchanged-contested", s->contested_label, names, NULL));
        g_free(names);
    }
    g_hash_table_unref(seen);
    g_free(since);
}

/* A change map's ground: gains by side, new contests, the unchanged ground by holder (muted)
 * and by contest, no data, then the summary of areas (on the main map only: a detail's frame
 * cuts its ground). */
void cm_legend_change_items(GArray *items, const cm_map *map, const cm_control *cs)
{
    const cm_style *s = map->style;
    const cm_change *ch = cs->change;
    add_change_holders(items, map, ch, CM_CHANGE_GAINED);
    add_change_contests(items, map, cs, CM_CHANGE_CONTESTED);
    add_change_holders(items, map, ch, CM_CHANGE_SAME);
    add_change_contests(items, map, cs, CM_CHANGE_SAME);
    gboolean none = FALSE;
    for (int i = 0; i < ch->npieces; i++)
        none |= piece_shown(map, &ch->pieces[i]) && !ch->pieces[i].to.holder;
    if (none)
        cm_legend_add(items, CM_SWATCH_AREA, cm_control_paint(s, NULL, CM_HELD, NULL),
                 g_strdup(s->unknown_label));
    char *summary = map->part ? NULL : change_summary(map, ch);
    if (summary)
        cm_legend_add(items, CM_SWATCH_NOTE, (cm_paint){.n = 0}, summary);
}

/* A change map's towns and sites that changed hands: ringed, in the colour of who took them,
 * one entry per taker. */
void cm_legend_changed_places(GArray *items, const cm_map *map, const cm_control *cs)
{
    const cm_style *s = map->style;
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean shows = FALSE;
        for (int i = 0; i < map->places.layer->n && !shows; i++) {
            const cm_ledger_row *to = NULL;
            shows = cm_place_in_frame(map, i) &&
                    cm_place_changed_hands(map, cs->towns_from, cs->rows_from, cs->towns, i, NULL,
                                           &to) &&
                    !strcmp(to->controller, ctl->id);
        }
        if (shows)
            cm_legend_add(items, CM_SWATCH_RING, (cm_paint){.colors = {ctl->fill}, .n = 1},
                     cm_wordf(s, "place-taken-by", ctl->by_label, NULL));
    }
}
