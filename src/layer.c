/* Freeing plain vector data. */
#include "layer.h"

void cm_shape_clear(cm_shape *s)
{
    for (int r = 0; r < s->nrings; r++)
        g_free(s->rings[r].xy);
    g_free(s->rings);
    s->rings = NULL;
    s->nrings = 0;
}

void cm_feature_clear(cm_feature *f)
{
    cm_shape_clear(&f->shape);
    g_free(f->key);
    g_free(f->name);
    g_free(f->name_ar);
    g_free(f->kind);
}

void cm_layer_destroy(cm_layer *layer)
{
    if (!layer)
        return;
    for (int i = 0; i < layer->n; i++)
        cm_feature_clear(&layer->features[i]);
    g_free(layer->features);
    if (layer->srs && layer->srs_free)
        layer->srs_free(layer->srs);
    g_free(layer->path);
    g_free(layer);
}

void cm_shapes_free(cm_shape *shapes, int n)
{
    if (!shapes)
        return;
    for (int i = 0; i < n; i++)
        cm_shape_clear(&shapes[i]);
    g_free(shapes);
}
