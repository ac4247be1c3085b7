/* Where labels went on the frames before (labels.h: cm_label_memory).  One frame at a time, a
 * labeler reads and writes the store under its lock.  A series drawn on several threads gives
 * each frame a handle of its own (cm_label_memory_frame), and a frame's labeler of a scope
 * waits until every earlier frame has placed that scope or finished: a scope's positions are
 * read and written under its own name only (label_place.c: memory_key), so each scope sees
 * the store as the frames one after another would have left it, and the frames come out as
 * drawn in order. */
#include "labels.h"
#include "labels_impl.h"

#include <pthread.h>

/* POSIX rather than GLib's futex-based locks, so that ThreadSanitizer sees them (png.c) */
typedef struct cm_label_store {
    pthread_mutex_t lock;
    pthread_cond_t turn;     /* a frame placed a scope or finished */
    GHashTable *at; /* memory_key() -> candidate index */
    int refs;
    /* in turns (cm_label_memory_in_turns): */
    int nframes;
    gboolean *finished; /* frame -> done */
    int low;            /* the first frame not finished */
    GHashTable *placed; /* "frame|scope" of the frames from `low` that placed the scope */
} cm_label_store;

cm_label_memory *cm_label_memory_new(void)
{
    cm_label_store *s = g_new0(cm_label_store, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->turn, NULL);
    s->at = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->placed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->refs = 1;
    cm_label_memory *m = g_new0(cm_label_memory, 1);
    m->store = s;
    m->frame = -1;
    return m;
}

static void store_unref(cm_label_store *s)
{
    pthread_mutex_lock(&s->lock);
    gboolean last = --s->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (!last)
        return;
    g_hash_table_unref(s->at);
    g_hash_table_unref(s->placed);
    g_free(s->finished);
    pthread_cond_destroy(&s->turn);
    pthread_mutex_destroy(&s->lock);
    g_free(s);
}

void cm_label_memory_free(cm_label_memory *m)
{
    if (!m)
        return;
    store_unref(m->store);
    g_free(m);
}

void cm_label_memory_in_turns(cm_label_memory *m, int nframes)
{
    cm_label_store *s = m->store;
    pthread_mutex_lock(&s->lock);
    g_free(s->finished);
    s->finished = g_new0(gboolean, (size_t)MAX(nframes, 1));
    s->nframes = nframes;
    s->low = 0;
    g_hash_table_remove_all(s->placed);
    pthread_mutex_unlock(&s->lock);
}

cm_label_memory *cm_label_memory_frame(cm_label_memory *m, int frame)
{
    cm_label_store *s = m->store;
    g_assert(s->finished && frame >= 0 && frame < s->nframes);
    pthread_mutex_lock(&s->lock);
    s->refs++;
    pthread_mutex_unlock(&s->lock);
    cm_label_memory *h = g_new0(cm_label_memory, 1);
    h->store = s;
    h->frame = frame;
    return h;
}

static char *placed_key(int frame, const char *scope)
{
    return g_strdup_printf("%d|%s", frame, scope ? scope : "");
}

void cm_label_memory_frame_done(cm_label_memory *h)
{
    cm_label_store *s = h->store;
    pthread_mutex_lock(&s->lock);
    s->finished[h->frame] = TRUE;
    while (s->low < s->nframes && s->finished[s->low])
        s->low++;
    pthread_cond_broadcast(&s->turn);
    pthread_mutex_unlock(&s->lock);
    cm_label_memory_free(h);
}

/* With the lock held: whether every frame before h's has placed `scope` or finished. */
static gboolean my_turn(const cm_label_memory *h, const char *scope)
{
    const cm_label_store *s = h->store;
    for (int g = s->low; g < h->frame; g++) {
        if (s->finished[g])
            continue;
        char *k = placed_key(g, scope);
        gboolean placed = g_hash_table_contains(s->placed, k);
        g_free(k);
        if (!placed)
            return FALSE;
    }
    return TRUE;
}

void cm_label_memory_enter(cm_label_memory *m, const char *scope)
{
    pthread_mutex_lock(&m->store->lock);
    while (m->frame >= 0 && !my_turn(m, scope))
        pthread_cond_wait(&m->store->turn, &m->store->lock);
}

void cm_label_memory_leave(cm_label_memory *m, const char *scope)
{
    if (m->frame >= 0) {
        g_hash_table_add(m->store->placed, placed_key(m->frame, scope));
        pthread_cond_broadcast(&m->store->turn);
    }
    pthread_mutex_unlock(&m->store->lock);
}

gboolean cm_label_memory_lookup(const cm_label_memory *m, const char *key, int *candidate)
{
    gpointer v = NULL;
    gboolean known = g_hash_table_lookup_extended(m->store->at, key, NULL, &v);
    if (known)
        *candidate = GPOINTER_TO_INT(v);
    return known;
}

void cm_label_memory_record(cm_label_memory *m, char *key, int candidate)
{
    g_hash_table_insert(m->store->at, key, GINT_TO_POINTER(candidate));
}
