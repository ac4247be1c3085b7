/* A page: the map body (areas, symbols, labels, furniture inside the frame) and the title,
 * drawn once per page or, in a series, recorded once and painted again wherever control is
 * the same. */
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "text.h"
#include "timeline.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <math.h>
#include <string.h>


/* Drawing a part of a page through the series' cache: cm_part_begin returns NULL when the part
 * (named by `key`, which says everything it shows) was drawn before, and has been painted;
 * else a context to draw it on, which cm_part_end records and paints.  Without a cache, the
 * part is drawn directly.  A state of control that a series returns to, or a district that
 * keeps its colour from one week to the next, is then one form in the PDF. */
cairo_t *cm_part_begin(cairo_t *cr, const cm_page_cache *cache, const char *key)
{
    if (!cache || !cache->parts)
        return cairo_reference(cr);
    cairo_surface_t *rec = g_hash_table_lookup(cache->parts, key);
    if (rec) {
        cairo_set_source_surface(cr, rec, 0, 0);
        cairo_paint(cr);
        return NULL;
    }
    /* bounded: nested in a page body, unbounded recordings lost whole districts in cairo
     * 1.16's PDF (test /timeline/series-pages-as-alone) */
    rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &cache->page);
    g_hash_table_insert(cache->parts, g_strdup(key), rec);
    return cairo_create(rec);
}

void cm_part_end(cairo_t *cr, cairo_t *part, const cm_page_cache *cache, const char *key)
{
    cairo_destroy(part);
    if (!cache || !cache->parts)
        return;
    cairo_set_source_surface(cr, g_hash_table_lookup(cache->parts, key), 0, 0);
    cairo_paint(cr);
}

cm_page_cache cm_page_cache_new(const cm_map *map)
{
    cm_page_cache c = {0};
    c.labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)cairo_surface_destroy);
    c.bodies = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                     (GDestroyNotify)cairo_surface_destroy);
    c.parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)cairo_surface_destroy);
    cairo_rectangle_t page = {0, 0, map->page_w, map->page_h};
    c.page = page;
    c.base = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
    cairo_t *cr = cairo_create(c.base);
    cairo_rectangle(cr, map->frame[0], map->frame[1], map->frame[2], map->frame[3]);
    cairo_clip(cr);
    cm_draw_base(cr, map);
    cairo_destroy(cr);
    if (map->style->inset && map->inset.layer) {
        /* at the page's origin: painted where the furniture plan puts it */
        cm_box box = {0, 0, map->inset_size[0], map->inset_size[1]};
        c.inset = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
        cr = cairo_create(c.inset);
        cm_draw_inset(cr, map, box);
        cairo_destroy(cr);
    }
    c.ndetails = map->ndetails;
    c.details = g_new0(cm_page_cache, (size_t)map->ndetails + 1);
    for (int i = 0; i < map->ndetails; i++)
        c.details[i] = cm_page_cache_new(map->details[i]);
    return c;
}

void cm_page_cache_clear(cm_page_cache *c)
{
    for (int i = 0; i < c->ndetails; i++) {
        c->details[i].halos = NULL; /* this cache's, not theirs */
        cm_page_cache_clear(&c->details[i]);
    }
    g_free(c->details);
    if (c->base)
        cairo_surface_destroy(c->base);
    if (c->inset)
        cairo_surface_destroy(c->inset);
    if (c->labels)
        g_hash_table_unref(c->labels);
    if (c->bodies)
        g_hash_table_unref(c->bodies);
    if (c->halos)
        g_hash_table_unref(c->halos);
    if (c->parts)
        g_hash_table_unref(c->parts);
}

/* The map inside the frame, under the labels: base, districts, zones, border, graticule,
 * lines. */
void cm_draw_map_area(cairo_t *cr, const cm_map *map, const cm_control *cs,
                      const cm_page_cache *cache)
{
    if (cache && cache->base) {
        cairo_set_source_surface(cr, cache->base, 0, 0);
        cairo_paint(cr);
    } else {
        cm_draw_base(cr, map);
    }
    cm_draw_regions(cr, map, cs, cache);
    cm_draw_zones(cr, map, cs, cache);
    cm_draw_border(cr, map, cache);
    if (map->style->graticule)
        cm_draw_graticule(cr, map);
    cm_draw_lines(cr, map, cs, cache);
}

/* Each detail's title beside its outline on the main map, before any place's name. */
static void add_detail_names(const cm_map *map, cm_labeler *lab)
{
    const cm_style *s = map->style;
    for (int i = 0; i < map->ndetails; i++) {
        double x, y;
        if (!cm_detail_outline_corner(map, i, &x, &y))
            continue;
        cm_label_spec spec = {.text = map->mf->details[i].title, .font = s->font, .size = 6.5,
                              .bold = TRUE, .color = s->frame_color, .halo = s->place_halo,
                              .halo_width = s->halo_width, .kind = CM_LABEL_POINT, .x = x,
                              .y = y, .gap = 1.5, .priority = 1000};
        cm_labeler_add(lab, &spec);
    }
}

/* The label pass: every candidate queued, placed once, then symbols and labels drawn. */
static void draw_labels(cairo_t *cr, const cm_map *map, const cm_control *cs,
                        const cm_page_cache *cache, cm_page_body *body)
{
    cm_block_lines(body->lab, map, cs);
    cm_add_places(cr, map, cs, body->lab, FALSE, NULL);
    cm_add_area_labels(map, body->lab, &map->neighbours, TRUE);
    cm_add_region_labels(map, body->lab, cs);
    cm_add_sea_label(map, body->lab);
    cm_add_event_labels(map, body->lab, cs);
    add_detail_names(map, body->lab);
    cm_labeler_place(body->lab);
    cm_add_places(cr, map, cs, body->lab, TRUE, body->symbols);
    cm_draw_event_leaders(cr, map, body->lab, cs);
    cm_labeler_draw(body->lab, cr, cache ? cache->labels : NULL, cache ? cache->halos : NULL);
}

/* The events' timeline under the frame, from the ledger's first date to the last date of
 * the ledger or the events. */
static void draw_timeline(cairo_t *cr, const cm_map *map, const cm_control *cs,
                          cm_page_body *body)
{
    const GPtrArray *rows = map->ledger->rows;
    GDate first = ((cm_ledger_row *)rows->pdata[0])->date, last = first;
    for (guint i = 0; i < rows->len; i++) {
        const GDate *d = &((cm_ledger_row *)rows->pdata[i])->date;
        if (g_date_compare(d, &first) < 0)
            first = *d;
        if (g_date_compare(d, &last) > 0)
            last = *d;
    }
    cm_timeline_mark *marks = g_new0(cm_timeline_mark, (size_t)map->events->n + 1);
    int shown = 0, *numbers = cm_event_numbers(map, cs, &shown);
    for (int i = 0; i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        marks[i].date = e->date;
        marks[i].number = numbers[i];
        /* the span is the ledger's (and the map's date): an event far outside it would
         * squeeze the strip to nothing */
        if (g_date_compare(&e->date, &last) > 0 && g_date_days_between(&last, &e->date) <= 366)
            last = e->date;
    }
    g_free(numbers);
    if (g_date_compare(&cs->spec->date, &last) > 0)
        last = cs->spec->date; /* the strip always reaches the map's date */
    cm_layout_timeline(cr, body->lab, map->style, map->frame, map->strip_h, &first, &last,
                       &cs->spec->date, marks, map->events->n);
    g_free(marks);
}

/* A detail frame's: its scale bar, its outline and its heading above the map. */
static void draw_part_furniture(cairo_t *cr, const cm_map *map, const cm_furniture_plan *fp,
                                cm_page_body *body)
{
    const cm_style *s = map->style;
    const double *fr = map->frame;
    cm_box sb = fp->scalebar;
    if (fp->has_scale)
        cm_layout_scalebar(cr, body->lab, s, map->metres_per_pt, fp->scale_target, fp->sx, fp->sy, &sb,
                           TRUE);
    cairo_new_path(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    cm_layout_heading(cr, body->lab, s, 0, 0, map->page_w, CM_DETAIL_HEADING, map->mf->title);
}

/* Legend, scale bar, north arrow, inset, the frame's outline, logo and footer. */
static void draw_furniture(cairo_t *cr, const cm_map *map, const cm_control *cs,
                           const cm_page_cache *cache, const cm_furniture_plan *fp,
                           cm_page_body *body)
{
    const cm_style *s = map->style;
    const double *fr = map->frame;
    if (map->part) {
        draw_part_furniture(cr, map, fp, body);
        return;
    }
    cm_style legend_style = *s;
    legend_style.legend_size = fp->legend_size > 0 ? fp->legend_size : s->legend_size;
    cm_layout_legend_draw(cr, body->lab, &legend_style, fp->legend_title,
                          (cm_legend_item *)body->items->data, (int)body->items->len, fp->lx, fp->ly);
    cm_box sb = fp->scalebar, na = fp->north;
    if (fp->has_scale)
        cm_layout_scalebar(cr, body->lab, s, map->metres_per_pt, fp->scale_target, fp->sx, fp->sy, &sb,
                           TRUE);
    if (s->north_arrow)
        cm_layout_north_arrow(cr, body->lab, s, fp->nx, fp->ny, map->north, &na, TRUE);
    if (fp->has_inset && cache && cache->inset) {
        cairo_set_source_surface(cr, cache->inset, fp->inset.x0, fp->inset.y0);
        cairo_paint(cr);
    } else if (fp->has_inset) {
        cm_draw_inset(cr, map, fp->inset);
    }
    cairo_new_path(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    if (s->logo)
        cm_draw_logo(cr, map);
    char *full = cm_sources_line(map, cs, FALSE);
    char *brief = map->sources ? cm_sources_line(map, cs, TRUE) : NULL;
    if (map->events && map->strip_h > 0)
        draw_timeline(cr, map, cs, body);
    cm_footer footer = {.sources = full, .brief = brief, .credit = map->mf->credit,
                        .below = map->strip_h,
                        .elsewhere = cm_word(s, "sources-elsewhere")};
    body->notes_complete = cm_layout_footer(cr, body->lab, s, fr, &footer);
    g_free(full);
    g_free(brief);
}

void cm_page_body_free(cm_page_body *body)
{
    if (!body)
        return;
    cm_labeler_destroy(body->lab);
    for (int i = 0; body->detail_bodies && body->detail_bodies[i]; i++)
        cm_page_body_free(body->detail_bodies[i]);
    g_free(body->detail_bodies);
    g_free(body->details);
    g_array_free(body->furniture, TRUE);
    g_array_free(body->symbols, TRUE);
    cm_legend_items_free(body->items);
    g_free(body);
}

static cm_page_body *draw_body(cairo_t *cr, const cm_map *map, const cm_page_spec *spec,
                               const cm_control *cs, const cm_page_cache *cache);

/* Detail frame i in its box: its own page body, on the same date, through its own part of
 * the series' cache.  Returns the detail's layout. */
static cm_page_body *draw_detail(cairo_t *cr, const cm_map *map, int i, const cm_page_spec *spec,
                                 const cm_box *box, const cm_page_cache *cache)
{
    const cm_map *d = map->details[i];
    cm_page_cache local = {0};
    cm_page_cache *dc = cache && cache->details ? &cache->details[i] : &local;
    dc->halos = cache ? cache->halos : NULL;
    dc->memory = cache ? cache->memory : NULL;
    dc->plans = cache ? cache->plans : NULL;
    cm_control cs = cm_control_on(d, spec);
    cairo_save(cr);
    cairo_translate(cr, box->x0, box->y0);
    cairo_rectangle(cr, 0, 0, d->page_w, d->page_h);
    cairo_clip(cr);
    cm_page_body *body = draw_body(cr, d, spec, &cs, dc);
    cairo_restore(cr);
    cm_control_clear(&cs);
    return body;
}

void cm_page_body_svg_text(const cm_page_body *body, GString *svg)
{
    cm_labeler_svg_text(body->lab, svg);
    for (int i = 0; body->detail_bodies && body->detail_bodies[i]; i++) {
        g_string_append_printf(svg, "<g transform=\"translate(%.2f %.2f)\">\n",
                               body->details[i].x0, body->details[i].y0);
        cm_page_body_svg_text(body->detail_bodies[i], svg);
        g_string_append(svg, "</g>\n");
    }
}

/* Everything on a page but its title: what control on the page's date decides.  Returns the
 * body's layout, owned by the caller. */
static cm_page_body *draw_body(cairo_t *cr, const cm_map *map, const cm_page_spec *spec,
                               const cm_control *cs, const cm_page_cache *cache)
{
    const double *fr = map->frame;
    cm_page_body *body = g_new0(cm_page_body, 1);
    body->lab = cm_labeler_new(cr, (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]});
    /* a series' labels stay put, a detail's under its own name */
    cm_labeler_set_memory(body->lab, cache ? cache->memory : NULL, map->part ? map->mf->title : NULL);
    cm_labeler_set_plans(body->lab, cache ? cache->plans : NULL); /* a PNG's bands place once */
    body->furniture = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->symbols = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->items = cache && cache->legend ? cm_legend_items_fixed(map, cs, cache->legend)
                                         : cm_legend_items(map, cs);
    body->details = g_new0(cm_box, (size_t)map->ndetails + 1);
    body->detail_bodies = g_new0(cm_page_body *, (size_t)map->ndetails + 1);

    cm_draw_set_color(cr, map->style->page_bg);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cairo_clip(cr);
    cm_draw_map_area(cr, map, cs, cache);
    cm_furniture_plan fp = {0};
    cm_plan_furniture(&fp, cr, map, spec, body);
    for (int i = 0; i < map->ndetails; i++)
        cm_draw_detail_outline(cr, map, i);
    draw_labels(cr, map, cs, cache, body);
    for (int i = 0; i < map->ndetails; i++)
        body->detail_bodies[i] = draw_detail(cr, map, i, spec, &body->details[i], cache);
    cairo_restore(cr);
    draw_furniture(cr, map, cs, cache, &fp, body);
    return body;
}

char *cm_page_furniture_covers(const cm_map *map, const cm_page_spec *spec)
{
    const double *fr = map->frame;
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_control cs = cm_control_on(map, spec);
    cm_page_body *body = g_new0(cm_page_body, 1);
    body->lab = cm_labeler_new(cr, (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]});
    body->furniture = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->symbols = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->items = cm_legend_items(map, &cs);
    body->details = g_new0(cm_box, (size_t)map->ndetails + 1);
    cm_furniture_plan fp = {0};
    cm_plan_furniture(&fp, cr, map, spec, body);
    char *covers = cm_furniture_covers(map, body);
    cm_page_body_free(body);
    cm_control_clear(&cs);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    return covers;
}

void cm_draw_title(cairo_t *cr, const cm_map *map, const cm_page_spec *spec, cm_box ink[2])
{
    const double *fr = map->frame;
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]});
    const cm_style *s = map->style;
    char *date_long = cm_format_date_long(s, &spec->date);
    const char *name = map->mf->title ? map->mf->title : cm_word(s, "untitled");
    char *subtitle, *title = NULL;
    if (spec->diff) {
        /* a change map's title names its two dates; the map's own title goes under it */
        char *from_long = cm_format_date_long(s, &spec->from);
        title = cm_wordf(s, "changes-from-to", from_long, date_long, NULL);
        subtitle = cm_wordf(s, "changes-subtitle", name, NULL);
        g_free(from_long);
    } else {
        subtitle = map->mf->subtitle ? cm_wordf(s, "subtitle-as-of", map->mf->subtitle, date_long, NULL)
                                     : cm_wordf(s, "as-of", date_long, NULL);
    }
    cm_layout_title(cr, lab, s, fr, title ? title : name, subtitle, ink);
    g_free(title);
    g_free(subtitle);
    g_free(date_long);
    cm_labeler_destroy(lab);
}

/* What a page's body depends on: the row in force for every region and town (and on the
 * earlier date of a change map), which zones and lines are in force, and the source notes.  Rows are compared
 * by identity: they belong to the ledger, which outlives the series. */
static GBytes *body_key(const cm_map *map, const cm_control *cs)
{
    GByteArray *k = g_byte_array_new();
    int nr = map->regions.layer ? map->regions.layer->n : 0;
    int np = map->places.layer ? map->places.layer->n : 0;
    const cm_ledger_row **lists[] = {cs->rows, cs->towns, cs->rows_from, cs->towns_from};
    int lens[] = {nr, np, nr, np};
    guint8 diff = (guint8)cs->spec->diff;
    g_byte_array_append(k, &diff, 1);
    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
        if (lists[i])
            g_byte_array_append(k, (const guint8 *)lists[i], (guint)(sizeof(void *) * (size_t)lens[i]));
    cm_timeline *tls[] = {map->zones, map->lines};
    for (size_t t = 0; t < G_N_ELEMENTS(tls); t++)
        for (int i = 0; tls[t] && i < tls[t]->layer->n; i++) {
            guint8 on = (guint8)(cm_timed_active(&tls[t]->items[i], &cs->spec->date) |
                                 (cs->spec->diff && cm_timed_active(&tls[t]->items[i], &cs->spec->from)) << 1);
            g_byte_array_append(k, &on, 1);
        }
    for (int i = 0; map->events && i < map->events->n; i++) {
        guint8 on = (guint8)cm_event_shown(&map->events->items[i], &cs->spec->date);
        g_byte_array_append(k, &on, 1);
    }
    /* a town that changed hands in the last 30 days is named first: the date decides that
     * too, not only the rows in force */
    for (int i = 0; i < np; i++) {
        guint8 day = (guint8)cm_place_of_the_day(map, cs, i);
        g_byte_array_append(k, &day, 1);
    }
    /* the notes say which sources were published after the page's date ("reported ..."):
     * two dates of the same control may still differ in that */
    char *notes = map->sources ? cm_sources_line(map, cs, FALSE) : NULL;
    if (notes)
        g_byte_array_append(k, (const guint8 *)notes, (guint)strlen(notes) + 1);
    g_free(notes);
    return g_byte_array_free_to_bytes(k);
}

void cm_draw_page(cairo_t *cr, const cm_map *map, const cm_page_spec *spec,
                  const cm_page_cache *cache, cm_page_body **keep)
{
    cm_control cs = cm_control_on(map, spec);
    /* in a series, pages whose control is the same share one recording of their body: a
     * weekly series mostly repeats itself between changes, and in a PDF the repeat is one
     * form object painted again, not the page drawn, formatted and compressed anew */
    if (cache && cache->bodies && !keep) {
        GBytes *key = body_key(map, &cs);
        cairo_surface_t *rec = g_hash_table_lookup(cache->bodies, key);
        if (!rec) {
            cairo_rectangle_t page = {0, 0, map->page_w, map->page_h};
            rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
            cairo_t *rc = cairo_create(rec);
            cm_page_body_free(draw_body(rc, map, spec, &cs, cache));
            cairo_destroy(rc);
            g_hash_table_insert(cache->bodies, g_bytes_ref(key), rec);
        }
        g_bytes_unref(key);
        cairo_set_source_surface(cr, rec, 0, 0);
        cairo_paint(cr);
    } else {
        cm_page_body *body = draw_body(cr, map, spec, &cs, cache);
        if (keep)
            *keep = body;
        else
            cm_page_body_free(body);
    }
    cm_draw_title(cr, map, spec, NULL);
    cm_control_clear(&cs);
}

void cm_draw_notes_page(cairo_t *cr, const cm_map *map, const cm_page_spec *spec)
{
    const cm_style *s = map->style;
    cm_control cs = cm_control_on(map, spec);
    char **notes = cm_sources_notes(map, &cs);
    const double m = s->margin_mm * MM, gap = 18, size = 7.5;
    double colw = (map->page_w - 2 * m - gap) / 2, x = m, y0 = m, y, bottom = map->page_h - m;
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, 0, map->page_w, map->page_h});
    cm_draw_set_color(cr, s->page_bg);
    cairo_paint(cr);
    char *date = cm_format_date_long(s, &spec->date);
    char *head = cm_wordf(s, "notes-heading", map->mf->title ? map->mf->title : cm_word(s, "untitled"),
                          date, NULL);
    PangoLayout *h = cm_labeler_layout(lab, head, s->font, s->subtitle_size, TRUE, FALSE);
    cairo_move_to(cr, m, y0);
    cm_draw_set_color(cr, s->title_color);
    cm_text_show(cr, h);
    PangoRectangle r;
    pango_layout_get_extents(h, NULL, &r);
    y0 += (double)r.height / PANGO_SCALE + 8;
    y = y0;
    for (char **n = notes; n && *n; n++) {
        PangoLayout *l = cm_labeler_layout(lab, *n, s->font, size, FALSE, FALSE);
        pango_layout_set_width(l, (int)(colw * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR); /* addresses have no spaces */
        pango_layout_get_extents(l, NULL, &r);
        double lh = (double)r.height / PANGO_SCALE;
        if (y + lh > bottom && x == m) { /* the second column */
            x += colw + gap, y = y0;
        } else if (y + lh > bottom) { /* a page more, for the rest */
            cairo_show_page(cr);
            cm_draw_set_color(cr, s->page_bg);
            cairo_paint(cr);
            cm_draw_set_color(cr, s->title_color);
            x = m, y = y0 = m;
        }
        cairo_move_to(cr, x, y);
        cm_text_show(cr, l);
        y += lh + 3;
        g_object_unref(l);
    }
    g_object_unref(h);
    g_free(head);
    g_free(date);
    g_strfreev(notes);
    cm_labeler_destroy(lab);
    cm_control_clear(&cs);
}
