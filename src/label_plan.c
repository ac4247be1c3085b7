/* Placements shared by the bands of one PNG: each band of a page drawn on several threads
 * lays out the same labels, and the first to place them records what it took, which the
 * others replay instead of searching again (with 20,000 places the search was most of a
 * page's time, once per band).  A placement is filed under a digest of everything the
 * search reads (the frame, the boxes blocked, every label's text, anchor, size, priority and
 * kind, the memory and scope), so a sheet's cells and a page's detail frames find their own,
 * and one that differs in anything is placed afresh. */
#include "labels.h"
#include "labels_impl.h"

#include <pthread.h>
#include <string.h>

/* POSIX rather than GLib's futex-based locks, so that ThreadSanitizer sees them (png.c) */
struct cm_label_plans {
    pthread_mutex_t lock;
    pthread_cond_t measured; /* a label's measure was filed */
    GHashTable *by_key; /* digest -> cm_label_plan */
    GHashTable *sizes;  /* measure_key() -> cm_label_size */
};

static void plan_free(gpointer p)
{
    cm_label_plan *plan = p;
    pthread_mutex_destroy(&plan->lock);
    g_array_unref(plan->takes);
    g_free(plan);
}

cm_label_plans *cm_label_plans_new(void)
{
    cm_label_plans *ps = g_new0(cm_label_plans, 1);
    pthread_mutex_init(&ps->lock, NULL);
    ps->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, plan_free);
    ps->sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    pthread_cond_init(&ps->measured, NULL);
    return ps;
}

void cm_label_plans_free(cm_label_plans *ps)
{
    if (!ps)
        return;
    g_hash_table_unref(ps->by_key);
    g_hash_table_unref(ps->sizes);
    pthread_cond_destroy(&ps->measured);
    pthread_mutex_destroy(&ps->lock);
    g_free(ps);
}

void cm_labeler_set_plans(cm_labeler *lab, cm_label_plans *ps)
{
    lab->plans = ps;
}

static void add(GChecksum *c, const void *data, size_t len)
{
    g_checksum_update(c, data, (gssize)len);
}

static void add_str(GChecksum *c, const char *s)
{
    add(c, s ? s : "", s ? strlen(s) + 1 : 1);
    guint8 null = s == NULL;
    add(c, &null, 1);
}

/* What the search reads, digested: labels sorted as they will be placed. */
static char *plan_key(const cm_labeler *lab)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    add(c, &lab->frame, sizeof lab->frame);
    add(c, &lab->memory, sizeof lab->memory);
    add_str(c, lab->scope);
    guint n = lab->blocked->len;
    add(c, &n, sizeof n);
    add(c, lab->blocked->data, sizeof(cm_box) * n);
    n = lab->texts->len;
    add(c, &n, sizeof n);
    add(c, lab->texts->data, sizeof(cm_box) * n);
    n = lab->labels->len;
    add(c, &n, sizeof n);
    for (guint i = 0; i < n; i++) {
        const label *l = lab->labels->pdata[i];
        const cm_label_spec *s = &l->spec;
        add_str(c, l->text);
        add_str(c, l->font);
        double d[] = {s->size, s->letter_spacing, s->x, s->y, s->gap, s->symbol.x0, s->symbol.y0,
                      s->symbol.x1, s->symbol.y1, l->w, l->h, l->h1, l->tw, l->th, l->th1};
        add(c, d, sizeof d);
        int v[] = {s->bold, s->italic, s->kind, s->priority, s->id, s->callout,
                   s->callout_priority, s->marker, s->has_symbol, s->styled_bytes, l->placed,
                   l->order};
        add(c, v, sizeof v);
        /* its editions, which its measure (not yet taken: cm_label_measure) depends on */
        add(c, &l->n_eds, sizeof l->n_eds);
        for (int e = 0; e < l->n_eds; e++) {
            const cm_label_spec *ed = &l->eds[e];
            add_str(c, ed->text);
            add_str(c, ed->font);
            double de[] = {ed->size, ed->letter_spacing};
            int ve[] = {ed->bold, ed->italic, ed->styled_bytes};
            add(c, de, sizeof de);
            add(c, ve, sizeof ve);
        }
    }
    char *key = g_strdup(g_checksum_get_string(c));
    g_checksum_free(c);
    return key;
}

cm_label_plan *cm_label_plan_lock(cm_labeler *lab)
{
    if (!lab->plans)
        return NULL;
    char *key = plan_key(lab);
    pthread_mutex_lock(&lab->plans->lock);
    cm_label_plan *plan = g_hash_table_lookup(lab->plans->by_key, key);
    if (!plan) {
        plan = g_new0(cm_label_plan, 1);
        pthread_mutex_init(&plan->lock, NULL);
        plan->takes = g_array_new(FALSE, FALSE, sizeof(int) * 2);
        g_hash_table_insert(lab->plans->by_key, key, plan);
    } else {
        g_free(key);
    }
    pthread_mutex_unlock(&lab->plans->lock);
    pthread_mutex_lock(&plan->lock); /* a band placing it now finishes first */
    return plan;
}

/* Everything a label's measure depends on: its text and font, and its editions'. */
static void measure_key_of(GString *k, const cm_label_spec *s)
{
    g_string_append_printf(k, "%s|%s|%a|%d%d|%a|%d\n", s->text, s->font ? s->font : "", s->size,
                           s->bold, s->italic, s->letter_spacing, s->styled_bytes);
}

char *cm_label_size_key(const cm_label_spec *spec)
{
    GString *k = g_string_new(NULL);
    measure_key_of(k, spec);
    for (int e = 0; spec->editions && e < spec->n_editions; e++)
        if (spec->editions[e].text)
            measure_key_of(k, &spec->editions[e]);
    return g_string_free(k, FALSE);
}

gboolean cm_label_size_find(cm_label_plans *ps, const char *key, cm_label_size *out)
{
    pthread_mutex_lock(&ps->lock);
    cm_label_size *z = g_hash_table_lookup(ps->sizes, key);
    if (!z) {
        z = g_new0(cm_label_size, 1);
        z->busy = TRUE; /* the caller's to measure */
        g_hash_table_insert(ps->sizes, g_strdup(key), z);
        pthread_mutex_unlock(&ps->lock);
        return FALSE;
    }
    while (z->busy) /* another band measures it now: it never waits for anything */
        pthread_cond_wait(&ps->measured, &ps->lock);
    *out = *z;
    pthread_mutex_unlock(&ps->lock);
    return TRUE;
}

void cm_label_size_file(cm_label_plans *ps, const char *key, const cm_label_size *size)
{
    pthread_mutex_lock(&ps->lock);
    cm_label_size *z = g_hash_table_lookup(ps->sizes, key);
    *z = *size;
    z->busy = FALSE;
    pthread_cond_broadcast(&ps->measured);
    pthread_mutex_unlock(&ps->lock);
}
