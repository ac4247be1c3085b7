/* An example of conflictmap as a library: a two-page A4 PDF report, a page of text and then
 * the map of Libya placed in a frame with a caption.
 *
 *   cc report.c $(pkg-config --cflags --libs conflictmap pangocairo) -o report
 *   ./report report.pdf [YYYY-MM-DD]
 */
#include <conflictmap/conflictmap.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 56.7 /* 20 mm */

static void text(cairo_t *cr, const char *markup, double y, double size, double *height)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Sans");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_width(l, (int)((A4_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    pango_layout_set_markup(l, markup, -1);
    cairo_move_to(cr, MARGIN, y);
    pango_cairo_show_layout(cr, l);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    *height = (double)h / PANGO_SCALE;
    pango_font_description_free(fd);
    g_object_unref(l);
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : "report.pdf";
    const char *date = argc > 2 ? argv[2] : "2019-12-19";
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    int rc = 1;
    if (cm_map_load(&map, cm_default_map_path(), NULL, ctx) != CM_OK ||
        cm_map_set_date(map, date, ctx) != CM_OK) {
        fprintf(stderr, "report: %s\n", cm_ctx_message(ctx));
        goto done;
    }
    cairo_surface_t *pdf = cairo_pdf_surface_create(out, A4_W, A4_H);
    cairo_t *cr = cairo_create(pdf);

    /* page 1: text */
    double y = MARGIN, h;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text(cr, "<b>Libya: the front in December 2019</b>", y, 20, &h);
    y += h + 14;
    text(cr,
         "On 19 December 2019 the cabinet of the Government of National Accord approved the "
         "security memorandum it had signed with Turkey on 27 November. Forces of the Libyan "
         "National Army, which had launched its offensive on Tripoli in April, held the east "
         "and most of the south and besieged the capital's southern suburbs.\n\n"
         "The map on the next page shows control by district on that date, drawn by "
         "conflictmap from a ledger in which every row names its source.",
         y, 11, &h);
    cairo_show_page(cr);

    /* page 2: the map in a frame, with a caption */
    double fx = MARGIN, fy = MARGIN + 40, fw = A4_W - 2 * MARGIN, fh = fw * 0.72;
    text(cr, "<b>Figure 1.</b> Territorial control", MARGIN, 13, &h);
    cairo_rectangle(cr, fx - 4, fy - 4, fw + 8, fh + 8);
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_stroke(cr);
    if (cm_map_render_cairo(map, cr, fx, fy, fw, fh, ctx) != CM_OK) {
        fprintf(stderr, "report: %s\n", cm_ctx_message(ctx));
        cairo_destroy(cr);
        cairo_surface_destroy(pdf);
        goto done;
    }
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    char caption[256];
    snprintf(caption, sizeof caption,
             "<i>Control of Libya's districts on %s. Sources as listed on the map; "
             "boundaries from Natural Earth.</i>", date);
    text(cr, caption, fy + fh + 12, 9, &h);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    rc = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS ? 0 : 1;
    if (rc)
        fprintf(stderr, "report: %s: %s\n", out, cairo_status_to_string(cairo_surface_status(pdf)));
    cairo_surface_destroy(pdf);
done:
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    return rc;
}
