/* The web edition: one self-contained HTML page, the map as SVG (web_svg.c), the control on
 * each date as changes (web_data.c), the page's own script and style (web/map.js and
 * web/map.css, embedded at build time), a PNG of the last date inside <noscript>.  The page
 * asks for nothing over the network: its Content-Security-Policy forbids every request but
 * data: images and fonts, and its fonts are the style's, subset to the page's characters and
 * embedded (web_fonts.c). */
#include "conflictmap/dates.h"
#include "conflictmap/render.h"

#include "ctx.h"
#include "keyfile.h"
#include "map_impl.h"
#include "output.h"
#include "page.h"
#include "web.h"
#include "words.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

extern const char cm_web_js[], cm_web_css[]; /* generated from web/ (web_assets.c) */

static void html_text(GString *out, const char *text)
{
    char *esc = g_markup_escape_text(text ? text : "", -1);
    g_string_append(out, esc);
    g_free(esc);
}

/* The words the script shows, from the catalogue in the page's language. */
static void script_words(GString *out, const cm_style *s)
{
    static const char *const keys[] = {"web-play", "web-pause", "web-since", "web-status",
                                       "web-confidence", "web-sources", "web-held-by",
                                       "web-date-of", "web-region", "web-nearest"};
    g_string_append(out, ",\n\"words\":{");
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_string_append_printf(out, "%s\"%s\":", i ? "," : "", keys[i] + 4);
        cm_web_json_string(out, cm_word(s, keys[i]));
    }
    g_string_append(out, ",\"none\":");
    cm_web_json_string(out, s->unknown_label);
    g_string_append(out, "}");
}

/* The page on the last date as a PNG at a screen's resolution (72 dpi), base64, for <noscript>;
 * NULL when it could not be made (the page is complete without it). */
static char *fallback_png(const cm_map *map, const GDate *date, cm_ctx *ctx)
{
    char *tmp = NULL, *data = NULL, *b64 = NULL;
    gsize len = 0;
    int fd = g_file_open_tmp("cm-web-XXXXXX.png", &tmp, NULL);
    if (fd < 0)
        return NULL;
    close(fd);
    cm_page_spec spec = {.date = *date};
    cm_raster raster = {.dpi = 72, .level = 9, .threads = 1}; /* 842 px across: a screen */
    cm_output *out = NULL;
    cm_sheet sh = {map, &spec, 0, 1, NULL, NULL, NULL, FALSE};
    /* commit frees the output whether or not it succeeds; a failed draw leaves it to abort */
    if (cm_output_begin(&out, tmp, CM_FORMAT_PNG, map->page_w, map->page_h, &raster, ctx) == CM_OK) {
        if (cm_output_draw_png(out, cm_draw_sheet, &sh, ctx) != CM_OK)
            cm_output_abort(out);
        else if (cm_output_commit(out, ctx) == CM_OK && g_file_get_contents(tmp, &data, &len, NULL))
            b64 = g_base64_encode((const guchar *)data, len);
    }
    g_unlink(tmp);
    g_free(tmp);
    g_free(data);
    return b64;
}

static void page_head(GString *h, const cm_map *map, const char *lang, const char *fonts)
{
    const char *title = map->mf->title ? map->mf->title : cm_word(map->style, "untitled");
    g_string_append_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n"
                           "<meta charset=\"utf-8\">\n"
                           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                           "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                           "img-src data:; font-src data:\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                           "<meta name=\"generator\" content=\"conflictmap %s\">\n<title>",
                           lang, strcmp(lang, "ar") == 0 ? "rtl" : "ltr", CM_VERSION);
    html_text(h, title);
    g_string_append_printf(h, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<main>\n"
                           "<header><h1 id=\"cm-title\">", fonts, cm_web_css);
    html_text(h, title);
    g_string_append(h, "</h1>\n<p id=\"cm-subtitle\" aria-live=\"polite\"></p></header>\n");
}

static void zoom_button(GString *h, const char *id, const char *text, const char *label,
                        const char *zoom)
{
    g_string_append_printf(h, "<button id=\"%s\" type=\"button\" class=\"cm-zb\"", id);
    if (label) {
        g_string_append(h, " aria-label=\"");
        html_text(h, label);
        g_string_append(h, "\"");
    }
    if (zoom)
        g_string_append_printf(h, " data-zoom=\"%s\"", zoom);
    g_string_append_c(h, '>');
    html_text(h, text);
    g_string_append(h, "</button>");
}

/* Zoom in, out, back to the whole map, and to each detail frame's extent (the script changes
 * the map's viewBox: the labels, being text, grow with it). */
static void zoom_controls(GString *h, const cm_map *map)
{
    const cm_style *s = map->style;
    g_string_append(h, "<div class=\"cm-zoom\" role=\"group\" aria-label=\"");
    html_text(h, cm_word(s, "web-zoom"));
    g_string_append(h, "\">");
    zoom_button(h, "cm-zoom-in", "+", cm_word(s, "web-zoom-in"), NULL);
    zoom_button(h, "cm-zoom-out", "\u2212", cm_word(s, "web-zoom-out"), NULL);
    zoom_button(h, "cm-zoom-reset", cm_word(s, "web-zoom-reset"), NULL, NULL);
    for (int i = 0; i < map->ndetails && i < map->mf->ndetails; i++) {
        double box[4];
        if (!cm_web_detail_box(map, i, box))
            continue;
        char *id = g_strdup_printf("cm-zoom-detail-%d", i);
        char *zoom = g_strdup_printf("%.1f %.1f %.1f %.1f", box[0], box[1], box[2], box[3]);
        char *label = cm_wordf(s, "web-zoom-to", map->mf->details[i].title, NULL);
        zoom_button(h, id, map->mf->details[i].title, label, zoom);
        g_free(id), g_free(zoom), g_free(label);
    }
    g_string_append(h, "</div>\n");
}

/* The controls, the map, the tooltip, the legend and the notes; the script fills them. */
static void page_body(GString *h, const cm_map *map, const GString *svg, int n, const char *png)
{
    const cm_style *s = map->style;
    /* hidden until the script runs: without it, only the <noscript> picture shows */
    g_string_append(h, "<div id=\"cm-live\" hidden>\n<a id=\"cm-skip\" class=\"cm-skip\" "
                       "href=\"#cm-legend-title\">");
    html_text(h, cm_word(s, "web-skip"));
    g_string_append(h, "</a>\n<div class=\"cm-controls\">\n<button id=\"cm-play\" type=\"button\" "
                       "aria-pressed=\"false\">");
    html_text(h, cm_word(s, "web-play"));
    g_string_append(h, "</button>\n<label for=\"cm-slider\" class=\"cm-label\">");
    html_text(h, cm_word(s, "web-date"));
    g_string_append_printf(h, "</label>\n<input id=\"cm-slider\" type=\"range\" min=\"0\" "
                           "max=\"%d\" step=\"1\" value=\"%d\">\n<output id=\"cm-date\" "
                           "for=\"cm-slider\"></output>\n</div>\n", n - 1, n - 1);
    g_string_append(h, "<p class=\"cm-help\">");
    html_text(h, cm_word(s, "web-help"));
    g_string_append(h, "</p>\n<p id=\"cm-notice\" class=\"cm-notice\" role=\"status\" hidden></p>\n");
    zoom_controls(h, map);
    g_string_append(h, "<figure class=\"cm-figure\">\n");
    g_string_append(h, svg->str);
    g_string_append(h, "<div id=\"cm-tip\" role=\"status\" hidden></div>\n</figure>\n");
    g_string_append(h, "<section class=\"cm-legend\" aria-labelledby=\"cm-legend-title\">"
                       "<h2 id=\"cm-legend-title\" tabindex=\"-1\">");
    html_text(h, s->legend_title ? s->legend_title : cm_word(s, "web-legend"));
    g_string_append(h, "</h2>\n<ul id=\"cm-legend\"></ul></section>\n"
                       "<section class=\"cm-notes\" aria-labelledby=\"cm-notes-title\">"
                       "<h2 id=\"cm-notes-title\">");
    html_text(h, cm_word(s, "web-sources"));
    g_string_append(h, "</h2>\n<ol id=\"cm-notes\"></ol></section>\n</div>\n<noscript><p>");
    html_text(h, cm_word(s, "web-noscript"));
    g_string_append(h, "</p>");
    if (png) {
        g_string_append(h, "<img class=\"cm-fallback\" alt=\"");
        html_text(h, map->mf->title ? map->mf->title : cm_word(s, "untitled"));
        g_string_append_printf(h, "\" src=\"data:image/png;base64,%s\">", png);
    }
    g_string_append(h, "</noscript>\n</main>\n");
}

cm_status cm_map_render_web(cm_map *map, const char *path, const char *const *dates, int n,
                            const cm_render_options *opts_in, cm_ctx *ctx)
{
    cm_render_options opts;
    cm_ctx_begin(ctx);
    cm_render_options_init(&opts);
    if (cm_options_read(&opts, sizeof opts, opts_in, "cm_render_options", ctx) != CM_OK)
        return CM_EUSAGE;
    const char *dot = strrchr(path, '.');
    if (!dot || (g_ascii_strcasecmp(dot, ".html") && g_ascii_strcasecmp(dot, ".htm")))
        return cm_fail(ctx, CM_EUSAGE, "%s: a web page is written to a .html file", path);
    if (n < 1 || n > CM_SERIES_MAX_DATES)
        return cm_fail(ctx, CM_EUSAGE, "a web page needs 1 to %d dates, not %d",
                       CM_SERIES_MAX_DATES, n);
    GDate *days = g_new0(GDate, (size_t)n);
    for (int i = 0; i < n; i++)
        if (!cm_parse_date(dates[i], &days[i])) {
            g_free(days);
            return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", dates[i]);
        }
    const char *lang = cm_words_lang(map->style);
    lang = strcmp(lang, "en+ar") == 0 ? "en" : lang;
    /* the labels as the renderer places them on the last date: a page drawn and dropped */
    cm_page_spec last = {.date = days[n - 1]};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_page_body *body = NULL;
    cm_draw_page(cr, map, &last, NULL, &body);
    GPtrArray *stripes = g_ptr_array_new_with_free_func(g_free);
    GString *json = g_string_new(NULL), *svg = g_string_new(NULL), *h = g_string_new(NULL);
    cm_web_data(json, map, days, n, stripes);
    g_string_truncate(json, json->len - 1); /* the closing brace: the words follow */
    script_words(json, map->style);
    g_string_append(json, "}");
    cm_web_svg(svg, map, body, stripes);
    char *png = fallback_png(map, &days[n - 1], ctx);
    GString *body_html = g_string_new(NULL), *fonts = g_string_new(NULL);
    page_body(body_html, map, svg, n, png);
    /* the fonts hold what the page can show: its markup, the data's words and the title
     * (the data's \u escapes are only for '<' and controls, which need no glyph) */
    char *chars = g_strconcat(body_html->str, json->str, map->mf->title ? map->mf->title : "",
                              cm_word(map->style, "untitled"), "0123456789-: ", NULL);
    cm_web_fonts_css(fonts, map->style->font, chars);
    g_free(chars);
    page_head(h, map, lang, fonts->str);
    g_string_append(h, body_html->str);
    g_string_append_printf(h, "<script type=\"application/json\" id=\"cm-data\">%s</script>\n"
                           "<script>\n%s</script>\n</body>\n</html>\n", json->str, cm_web_js);
    g_string_free(body_html, TRUE), g_string_free(fonts, TRUE);
    cm_page_body_free(body);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    cm_words_report(map->style, ctx);
    cm_file *f = NULL;
    cm_status st = cm_file_open(&f, path, ctx);
    if (st == CM_OK) {
        cm_file_write(f, (const unsigned char *)h->str, (unsigned)h->len);
        st = cm_file_commit(f, ctx);
    }
    g_free(png);
    g_free(days);
    g_ptr_array_unref(stripes);
    g_string_free(json, TRUE), g_string_free(svg, TRUE), g_string_free(h, TRUE);
    return st;
}
