/* The floor for PNG cases: fill an A4 300 dpi cairo surface and write it with cairo's own PNG
 * writer.  Every PNG case of the benchmark is reported as a ratio to this. */
#include <cairo.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : "floor.png";
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 3508, 2480);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.86, 0.91, 0.95);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, out);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "floor: %s\n", cairo_status_to_string(st));
        return 1;
    }
    return 0;
}
