/* Label candidates: towns by rank with their symbols, country, district and sea names, for
 * the label pass (labels.c) to place. */
#include "change.h"
#include "words.h"
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

static int place_priority(const cm_feature *f)
{
    int rank = f->rank > 0 ? f->rank : 3;
    return 100 - 10 * rank;
}

/* How many days before the page's date a change of hands still makes a town news. */
#define NEWS_DAYS 30

/* Whether casefolded `t` names casefolded `n`: the name with no letter or digit either
 * side ("tarhuna" in "gna retakes southern tripoli and tarhuna", "watiya" in "al-watiya"). */
static gboolean names(const char *t, const char *n)
{
    if (!t || !n || !*n)
        return FALSE;
    size_t len = strlen(n);
    gboolean found = FALSE;
    for (const char *at = strstr(t, n); at && !found; at = strstr(at + 1, n)) {
        gunichar before = at > t ? g_utf8_get_char(g_utf8_find_prev_char(t, at)) : ' ';
        gunichar after = at[len] ? g_utf8_get_char(at + len) : ' ';
        found = !g_unichar_isalnum(before) && !g_unichar_isalnum(after);
    }
    return found;
}

static char *folded(const char *s)
{
    return s ? g_utf8_casefold(s, -1) : NULL;
}

/* Whether `text` names the place by any of its three names (casefolded): ignoring case. */
static gboolean names_any(const char *text, char *const n[3])
{
    if (!text)
        return FALSE;
    char *t = g_utf8_casefold(text, -1);
    gboolean named = names(t, n[0]) || names(t, n[1]) || names(t, n[2]);
    g_free(t);
    return named;
}

/* Whether the map's title or an arrow (offensive or withdrawal) in force on `date` names the
 * place: by its English or Arabic name, or by its key with spaces for underscores (each
 * casefolded once: 20,000 places ask). */
static gboolean named_on_page(const cm_map *map, const cm_feature *f, const GDate *date)
{
    char *key = f->key ? g_strdelimit(g_strdup(f->key), "_", ' ') : NULL;
    char *n[3] = {folded(f->name), folded(f->name_ar), folded(key)};
    const char *titles[] = {map->mf->title, map->mf->subtitle};
    gboolean named = FALSE;
    for (size_t t = 0; t < G_N_ELEMENTS(titles) && !named; t++)
        named = names_any(titles[t], n);
    for (int i = 0; map->lines && i < map->lines->layer->n && !named; i++) {
        const cm_timed *a = &map->lines->items[i];
        if (a->kind != CM_LINE_FRONT && cm_timed_active(a, date))
            named = names_any(a->label, n);
    }
    for (int k = 0; k < 3; k++)
        g_free(n[k]);
    g_free(key);
    return named;
}

/* A place of the day: fought over on the page's date (contested, besieged, attacked), taken
 * from another holder in the NEWS_DAYS before it (its row in force began then and the row it
 * replaced names another controller), or named by the title or an arrow in force.  Its name
 * is placed before any other's, whatever its rank, and called out when there is no room
 * beside it. */
gboolean cm_place_of_the_day(const cm_map *map, const cm_control *cs, int i)
{
    const cm_ledger_row *row = cs->towns[i];
    const GDate *date = &cs->spec->date;
    if (row && (row->status == CM_CONTESTED || row->status == CM_BESIEGED ||
                row->status == CM_ATTACKED))
        return TRUE;
    if (row && map->town_keys && map->town_keys[i] &&
        g_date_days_between(&row->date, date) <= NEWS_DAYS) {
        const cm_ledger_row *before = cm_ledger_before(map->ledger, map->town_keys[i], row);
        if (before && g_strcmp0(before->controller, row->controller) != 0)
            return TRUE;
    }
    return named_on_page(map, &map->places.layer->features[i], date);
}

/* Capitals and cities keep their symbol even when their name finds no room; so do towns
 * whose control the ledger records. */
static gboolean always_shown(const cm_feature *f)
{
    return (f->kind && strcmp(f->kind, "capital") == 0) || (f->rank > 0 && f->rank <= 2);
}

static double place_size(const cm_style *s, const cm_feature *f)
{
    if (f->kind && strcmp(f->kind, "capital") == 0)
        return s->capital_size;
    switch (f->rank) {
    case 1:
    case 2: return s->city_size;
    case 3: return s->town_size;
    default: return s->minor_size;
    }
}

/* The editions a label is laid out for: its box holds the largest, so that every language
 * names the same places in the same spots. */
static const char *const editions[] = {"en", "ar", "en+ar", "fr"};
#define NEDITIONS 4

/* A feature's name in French where the layer has one (its name-fr), else its English. */
static const char *latin_name(const char *lang, const cm_feature *f)
{
    return strcmp(lang, "fr") == 0 && f->name_fr ? f->name_fr : f->name;
}

/* A name in `lang`: Arabic, English (French), or English over Arabic; the other when one is
 * missing. */
static char *label_text(const char *lang, const cm_feature *f)
{
    const char *en = latin_name(lang, f), *ar = f->name_ar;
    if (strcmp(lang, "ar") == 0 && ar)
        return g_strdup(ar);
    if (strcmp(lang, "en+ar") == 0 && ar && en)
        return g_strdup_printf("%s\n%s", en, ar);
    return g_strdup(en ? en : ar);
}

/* A place's label: its name, and in a change map, for a place that changed hands, the day it
 * did (its row in force began): "Sabratha" over "13 Apr 2020". */
static char *place_text(const cm_style *s, const char *lang, const cm_feature *f,
                        const GDate *changed)
{
    char *name = label_text(lang, f);
    if (!name || !changed)
        return name;
    char *when = cm_format_date_short(s, changed);
    char *text = cm_wordf(s, "place-changed-on", name, when, NULL);
    g_free(when);
    g_free(name);
    return text;
}

double cm_place_radius(const cm_map *map, int i, const cm_ledger_row *row)
{
    const cm_style *s = map->style;
    const cm_feature *f = &map->places.layer->features[i];
    if (i >= map->first_site)
        return s->site_size / 2 + CM_SITE_CASING;
    gboolean capital = f->kind && strcmp(f->kind, "capital") == 0;
    double r = capital ? s->star : row ? s->dot * 0.8 + 0.8 : s->dot / 2 + 0.8;
    if (row && row->status == CM_BESIEGED)
        r += 4.5; /* the siege ring */
    else if (row && row->status == CM_ATTACKED)
        r += 4.6; /* the attack mark's wedges */
    return r;
}

/* A site's icon in its holder's colour (halves of a contest's first two parties are not
 * drawn: an icon takes the first), grey without a row. */
static void draw_site(cairo_t *cr, const cm_style *s, const cm_feature *f, double x, double y,
                      const cm_ledger_row *row)
{
    cm_rgba fill = {0.55, 0.55, 0.55, 1};
    if (row)
        fill = cm_style_controller(s, row->status == CM_CONTESTED && row->parties
                                          ? row->parties[0] : row->controller)->fill;
    cm_draw_site(cr, f->kind, x, y, s->site_size, fill, s->place_halo);
}

/* A leader from a point (from `r` out) to a label's box, in `color` over a line of `halo`
 * (none when transparent): a place's callout, an event's number. */
static void draw_leader(cairo_t *cr, double x, double y, double r, const cm_box *b,
                        cm_rgba color, cm_rgba halo)
{
    double e[4];
    cm_leader_ends(e, x, y, r, b);
    for (int pass = halo.a > 0 ? 0 : 1; pass < 2; pass++) {
        cairo_new_path(cr);
        cairo_move_to(cr, e[0], e[1]);
        cairo_line_to(cr, e[2], e[3]);
        cm_draw_set_color(cr, pass == 0 ? halo : color);
        cairo_set_line_width(cr, pass == 0 ? 1.8 : 0.6);
        cairo_set_line_cap(cr, halo.a > 0 ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
        cairo_stroke(cr);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
}

/* First pass (draw FALSE): queue labels and block always-shown symbols.  Second pass, after
 * placement: draw the symbols of places that are shown, recording their boxes in `drawn`. */
void cm_add_places(cairo_t *cr, const cm_map *map, const cm_control *cs, cm_labeler *lab,
                       gboolean draw, GArray *drawn)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->places.layer;
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        const cm_feature *f = &l->features[i];
        const cm_shape *sh = &map->places.page[i];
        if (sh->nrings == 0 || !cm_place_on_map(map, i))
            continue;
        double x = sh->rings[0].xy[0], y = sh->rings[0].xy[1];
        if (x < map->frame[0] || y < map->frame[1] || x > map->frame[0] + map->frame[2] ||
            y > map->frame[1] + map->frame[3])
            continue;
        gboolean capital = f->kind && strcmp(f->kind, "capital") == 0;
        const cm_ledger_row *row = cs->towns[i];
        /* a change map colours and rings what changed hands, and only that */
        gboolean changed = cs->spec->diff &&
                           cm_place_changed_hands(map, cs->towns_from, cs->rows_from, cs->towns,
                                                  i, NULL, NULL);
        gboolean neutral = cs->spec->diff && !changed;
        gboolean shown = always_shown(f) || (row && !neutral);
        double r = cm_place_radius(map, i, neutral ? NULL : row) + (changed ? CM_RING_PT : 0);
        if (draw) {
            /* a town is shown only with its name: an unnamed dot says nothing */
            if (!shown && !cm_labeler_is_placed(lab, i + 1))
                continue;
            if (drawn) {
                cm_box b = {x - r, y - r, x + r, y + r};
                g_array_append_val(drawn, b);
            }
            if (changed)
                cm_draw_changed_ring(cr, x, y, r - CM_RING_PT, s->place_color, s->place_halo);
            if (i >= map->first_site)
                draw_site(cr, s, f, x, y, neutral ? NULL : row);
            else
                cm_draw_town(cr, s, capital, x, y, row, neutral);
            cm_box b;
            if (cm_labeler_is_callout(lab, i + 1) && cm_labeler_box(&b, lab, i + 1))
                draw_leader(cr, x, y, r + 0.5, &b, s->place_color, s->place_halo);
            continue;
        }
        cm_box symbol = {x - r, y - r, x + r, y + r};
        if (shown)
            cm_labeler_block(lab, symbol);
        char *text = place_text(s, s->lang, f, changed ? &row->date : NULL);
        if (!text)
            continue;
        double size = place_size(s, f);
        gboolean day = changed || (!cs->spec->diff && cm_place_of_the_day(map, cs, i));
        int priority = place_priority(f) + (capital ? 20 : 0) + (row ? 5 : 0) + (changed ? 50 : 0);
        cm_label_spec spec = {
            .text = text, .font = s->font, .size = size, .bold = capital || f->rank <= 2,
            .color = s->place_color, .halo = s->place_halo, .halo_width = s->halo_width,
            .kind = CM_LABEL_POINT, .x = x, .y = y, .gap = r + 1.5,
            .priority = priority + (day ? 100 : 0), .id = i + 1, .callout = day || capital,
            .callout_priority = priority, .has_symbol = !shown, .symbol = symbol};
        cm_label_spec other[NEDITIONS];
        char *texts[NEDITIONS];
        for (int e = 0; e < NEDITIONS; e++) {
            texts[e] = place_text(s, editions[e], f, changed ? &row->date : NULL);
            other[e] = spec;
            other[e].text = texts[e];
        }
        spec.editions = other, spec.n_editions = NEDITIONS;
        cm_labeler_add(lab, &spec);
        for (int e = 0; e < NEDITIONS; e++)
            g_free(texts[e]);
        g_free(text);
    }
}

/* An area's name in `lang` as it is set: a country's in spaced capitals, a district's in
 * spaced italics, Arabic upright and unspaced (spacing would break its joins; no capitals
 * set the classes apart: the style's size and colour do); with both languages, English
 * over Arabic, each set as alone.  Returns the text (g_free) and fills the spec's look. */
static char *area_text(cm_label_spec *spec, const char *lang, const cm_feature *f,
                       gboolean countries)
{
    const char *en = latin_name(lang, f), *ar = f->name_ar;
    gboolean has_ar = ar != NULL, both = has_ar && !strcmp(lang, "en+ar");
    gboolean arabic = has_ar && !strcmp(lang, "ar");
    spec->italic = !countries && !arabic;
    spec->letter_spacing = arabic ? 0 : countries ? 2.0 : 0.4;
    spec->styled_bytes = 0;
    if (arabic)
        return g_strdup(ar);
    char *latin = countries ? g_utf8_strup(en, -1) : g_strdup(en);
    if (!both)
        return latin;
    spec->styled_bytes = (int)strlen(latin);
    char *text = g_strdup_printf("%s\n%s", latin, ar);
    g_free(latin);
    return text;
}

/* The paint's lightness (the mean of its colours' relative luminance, 0 black to 1 white). */
static double paint_luminance(const cm_paint *p)
{
    double sum = 0;
    for (int i = 0; i < p->n; i++)
        sum += 0.2126 * p->colors[i].r + 0.7152 * p->colors[i].g + 0.0722 * p->colors[i].b;
    return p->n ? sum / p->n : 1;
}

/* Labels in `on` colours: the style's, or light text on a dark halo where the fill under
 * district i's name is dark and the style's text is dark (and the other way round), in a
 * change map, whose full-colour gains sit among muted ground. */
static void area_colours(const cm_map *map, const cm_control *cs, int i, cm_rgba *text,
                         cm_rgba *halo)
{
    const cm_style *s = map->style;
    *text = s->rg_label, *halo = s->rg_label_halo;
    if (!cs || !cs->spec->diff || !cs->change)
        return;
    const placed_layer *pl = &map->regions;
    const cm_change_piece *p = cm_change_at(cs->change, pl->anchor[2 * i], pl->anchor[2 * i + 1]);
    if (!p)
        return;
    cm_paint paint = cm_change_paint(s, p->kind, p->to.holder, p->to.status, p->to.parties);
    double under = paint_luminance(&paint);
    cm_paint tp = {.colors = {s->rg_label}, .n = 1};
    double ink = paint_luminance(&tp);
    if (fabs(ink - under) >= 0.3)
        return;
    gboolean dark = under < 0.5;
    *text = dark ? (cm_rgba){0.97, 0.97, 0.97, 1} : (cm_rgba){0.12, 0.12, 0.12, 1};
    *halo = dark ? (cm_rgba){0, 0, 0, 0.55} : (cm_rgba){1, 1, 1, 0.75};
}

static void add_area_labels(const cm_map *map, cm_labeler *lab, const placed_layer *pl,
                            gboolean countries, const cm_control *cs)
{
    const cm_style *s = map->style;
    if (!pl->layer)
        return;
    for (int i = 0; i < pl->layer->n; i++) {
        const cm_feature *f = &pl->layer->features[i];
        if (!f->name || !pl->has_anchor[i])
            continue;
        cm_rgba ink = s->nb_label, halo = s->nb_fill;
        if (!countries)
            area_colours(map, cs, i, &ink, &halo);
        cm_label_spec spec = {
            .font = s->font, .size = countries ? s->nb_label_size : s->rg_label_size,
            .color = ink, .halo = halo,
            .halo_width = countries ? 0 : 1.2, .kind = CM_LABEL_AREA,
            .x = pl->anchor[2 * i], .y = pl->anchor[2 * i + 1], .priority = countries ? 8 : 5};
        cm_label_spec other[NEDITIONS];
        char *texts[NEDITIONS];
        for (int e = 0; e < NEDITIONS; e++) {
            other[e] = spec;
            texts[e] = area_text(&other[e], editions[e], f, countries);
            other[e].text = texts[e];
        }
        char *text = area_text(&spec, s->lang, f, countries);
        spec.text = text;
        spec.editions = other, spec.n_editions = NEDITIONS;
        cm_labeler_add(lab, &spec);
        for (int e = 0; e < NEDITIONS; e++)
            g_free(texts[e]);
        g_free(text);
    }
}

void cm_add_area_labels(const cm_map *map, cm_labeler *lab, const placed_layer *pl,
                        gboolean countries)
{
    add_area_labels(map, lab, pl, countries, NULL);
}

void cm_add_region_labels(const cm_map *map, cm_labeler *lab, const cm_control *cs)
{
    add_area_labels(map, lab, &map->regions, FALSE, cs);
}

/* A sea's name in `lang`: English (or French) in spaced italics, Arabic upright and
 * unspaced; with both languages, English over Arabic, each set as alone.  Returns the text
 * (g_free) and fills the spec's look. */
static char *sea_text(cm_label_spec *spec, const char *lang, const cm_map_label *l)
{
    gboolean arabic = l->text_ar && !strcmp(lang, "ar");
    gboolean both = l->text_ar && !strcmp(lang, "en+ar");
    const char *latin = !strcmp(lang, "fr") && l->text_fr ? l->text_fr : l->text;
    spec->italic = !arabic;
    spec->letter_spacing = arabic ? 0 : 1.5;
    spec->styled_bytes = both ? (int)strlen(latin) : 0;
    if (arabic)
        return g_strdup(l->text_ar);
    if (both)
        spec->size *= 0.8;
    return both ? g_strdup_printf("%s\n%s", latin, l->text_ar) : g_strdup(latin);
}

/* The seas' and other names the map file sets, where it puts them, in the page's language
 * when the file gives it: in a box that holds every edition's (French too), so that the
 * language moves no other name. */
void cm_add_sea_label(const cm_map *map, cm_labeler *lab)
{
    const cm_style *s = map->style;
    for (int i = 0; i < map->mf->nlabels; i++) {
        const cm_map_label *l = &map->mf->labels[i];
        if (isnan(map->label_xy[2 * i]))
            continue;
        cm_label_spec spec = {.font = s->font, .size = s->nb_label_size * 1.1,
                              .color = s->sea_label, .kind = CM_LABEL_AREA,
                              .x = map->label_xy[2 * i], .y = map->label_xy[2 * i + 1],
                              .priority = 9};
        cm_label_spec other[NEDITIONS];
        char *texts[NEDITIONS];
        for (int e = 0; e < NEDITIONS; e++) {
            other[e] = spec;
            texts[e] = sea_text(&other[e], editions[e], l);
            other[e].text = texts[e];
        }
        char *text = sea_text(&spec, s->lang, l);
        spec.text = text;
        spec.editions = other, spec.n_editions = NEDITIONS;
        cm_labeler_add(lab, &spec);
        for (int e = 0; e < NEDITIONS; e++)
            g_free(texts[e]);
        g_free(text);
    }
}

void cm_add_event_labels(const cm_map *map, cm_labeler *lab, const cm_control *cs)
{
    const cm_style *s = map->style;
    int shown = 0, *numbers = cm_event_numbers(map, cs, &shown);
    for (int i = 0; map->events && i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        if (!numbers[i] || !e->has_point)
            continue;
        char text[16];
        g_snprintf(text, sizeof text, "(%d)", numbers[i]);
        cm_label_spec spec = {.text = text, .font = s->font, .size = s->town_size, .bold = TRUE,
                              .color = s->event_color, .halo = s->place_halo,
                              .halo_width = s->halo_width, .kind = CM_LABEL_POINT, .x = e->x,
                              .y = e->y, .gap = s->star + 7, .priority = 85, .marker = TRUE,
                              .id = CM_EVENT_LABEL_ID + i};
        cm_labeler_add(lab, &spec);
    }
    g_free(numbers);
}

void cm_draw_event_leaders(cairo_t *cr, const cm_map *map, const cm_labeler *lab,
                           const cm_control *cs)
{
    for (int i = 0; map->events && !cs->spec->diff && i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        cm_box b;
        if (!e->has_point || !cm_event_shown(e, &cs->spec->date) ||
            !cm_labeler_box(&b, lab, CM_EVENT_LABEL_ID + i))
            continue;
        /* from the place to the nearest point of the number's box, stopping short of both */
        double tx = CLAMP(e->x, b.x0, b.x1), ty = CLAMP(e->y, b.y0, b.y1);
        if (hypot(tx - e->x, ty - e->y) < 4)
            continue;
        cm_rgba none = {0, 0, 0, 0};
        draw_leader(cr, e->x, e->y, 1.5, &b, map->style->event_color, none);
    }
}

char *cm_places_without_french(const cm_map *map)
{
    const placed_layer *layers[] = {&map->regions, &map->places, &map->places, &map->neighbours};
    const char *what[] = {"districts", "towns", "sites", "countries"};
    GString *out = g_string_new(NULL);
    for (size_t k = 0; k < G_N_ELEMENTS(layers); k++) {
        const cm_layer *l = layers[k]->layer;
        int from = k == 2 ? map->first_site : 0, to = l ? (k == 1 ? map->first_site : l->n) : 0;
        gboolean missing = FALSE;
        for (int i = from; i < to && !missing; i++)
            missing = l->features[i].name && !l->features[i].name_fr;
        if (missing)
            g_string_append_printf(out, "%s%s", out->len ? ", " : "", what[k]);
    }
    return g_string_free(out, out->len == 0);
}
