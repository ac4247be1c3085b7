/* The load cache (cache.h).  An entry is one file, <key in hex>.cmc:
 *   "CMLOAD\r\n", format version, byte-order mark, kind (geography or time), key (32
 *   bytes), payload length, CRC-32 of the payload, payload.
 * The payload is the map's data in a fixed order, numbers in this machine's byte order
 * (the byte-order mark refuses another's).  Any mismatch or damage makes the entry a miss;
 * the caller then loads through GDAL and writes a fresh one. */
#include "cache.h"

#include "map_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <zlib.h>

#define MAGIC "CMLOAD\r\n"
#define FORMAT 3
#define BOM 0x01020304u
#define HEADER (8 + 4 + 4 + 4 + 32 + 8 + 4)
#define KEEP 32 /* entries kept: the most recently used */

char *cm_cache_dir(void)
{
    const char *env = g_getenv("CONFLICTMAP_CACHE");
    if (env && (!g_ascii_strcasecmp(env, "off") || !strcmp(env, "0")))
        return NULL;
    if (env && *env)
        return g_strdup(env);
    return g_build_filename(g_get_user_cache_dir(), "conflictmap", NULL);
}

static char *entry_path(const char *dir, const guint8 key[32])
{
    char hex[2 * 32 + 5];
    for (int i = 0; i < 32; i++)
        g_snprintf(hex + 2 * i, 3, "%02x", key[i]);
    memcpy(hex + 64, ".cmc", 5);
    return g_build_filename(dir, hex, NULL);
}

static guint32 payload_crc(const guint8 *p, size_t len)
{
    uLong crc = crc32(0, NULL, 0);
    for (size_t off = 0; off < len;) {
        uInt n = len - off > (1u << 30) ? 1u << 30 : (uInt)(len - off);
        crc = crc32(crc, p + off, n);
        off += n;
    }
    return (guint32)crc;
}

static gboolean key_unset(const guint8 key[32])
{
    for (int i = 0; i < 32; i++)
        if (key[i])
            return FALSE;
    return TRUE;
}

/* ---- writing ------------------------------------------------------------------------ */

static void put(GByteArray *b, const void *p, size_t n)
{
    g_byte_array_append(b, p, (guint)n);
}

static void put_i32(GByteArray *b, gint32 v) { put(b, &v, sizeof v); }
static void put_i64(GByteArray *b, gint64 v) { put(b, &v, sizeof v); }
static void put_f64(GByteArray *b, double v) { put(b, &v, sizeof v); }

static void put_str(GByteArray *b, const char *s)
{
    gint32 n = s ? (gint32)strlen(s) : -1;
    put_i32(b, n);
    if (s)
        put(b, s, (size_t)n);
}

static void put_strv(GByteArray *b, char **v)
{
    put_i32(b, v ? (gint32)g_strv_length(v) : -1);
    for (char **p = v; p && *p; p++)
        put_str(b, *p);
}

static void put_date(GByteArray *b, const GDate *d)
{
    put_i32(b, g_date_valid(d) ? (gint32)g_date_get_julian(d) : 0);
}

static void put_ring(GByteArray *b, const cm_ring *r)
{
    put_i32(b, r->n);
    put(b, r->xy, sizeof(double) * 2 * (size_t)r->n);
}

static void put_shape(GByteArray *b, const cm_shape *s)
{
    put_i32(b, s->nrings);
    for (int r = 0; r < s->nrings; r++)
        put_ring(b, &s->rings[r]);
}

/* n shapes, or -1 for none */
static void put_shapes(GByteArray *b, const cm_shape *s, int n)
{
    put_i32(b, s ? n : -1);
    for (int i = 0; s && i < n; i++)
        put_shape(b, &s[i]);
}

/* a layer's attributes (its lon/lat geometry is gone once projected), or -1 for none */
static void put_layer(GByteArray *b, const cm_layer *l)
{
    put_i32(b, l ? l->n : -1);
    if (!l)
        return;
    put_str(b, l->path);
    for (int i = 0; i < l->n; i++) {
        const cm_feature *f = &l->features[i];
        put_str(b, f->key);
        put_str(b, f->name);
        put_str(b, f->name_ar);
        put_str(b, f->kind);
        put_i32(b, f->rank);
        put_i64(b, f->fid);
    }
}

static void put_placed(GByteArray *b, const placed_layer *pl)
{
    put_layer(b, pl->layer);
    if (!pl->layer)
        return;
    put_shapes(b, pl->page, pl->layer->n);
    put_i32(b, pl->anchor != NULL);
    for (int i = 0; pl->anchor && i < pl->layer->n; i++) {
        put_f64(b, pl->anchor[2 * i]);
        put_f64(b, pl->anchor[2 * i + 1]);
        put_i32(b, pl->has_anchor[i]);
    }
}

static void put_timeline(GByteArray *b, const cm_timeline *tl, const cm_shape *page)
{
    put_i32(b, tl != NULL);
    if (!tl)
        return;
    put_str(b, tl->path);
    put_i32(b, tl->lines);
    put_layer(b, tl->layer);
    for (int i = 0; i < tl->layer->n; i++) {
        const cm_timed *t = &tl->items[i];
        put_str(b, t->actor);
        put_i32(b, t->status);
        put_strv(b, t->parties);
        put_i32(b, t->kind);
        put_date(b, &t->from);
        put_date(b, &t->until);
        put_str(b, t->source);
        put_str(b, t->label);
        put_i64(b, t->fid);
    }
    put_shapes(b, page, tl->layer->n);
}

static void put_ledger(GByteArray *b, const cm_ledger *lg)
{
    put_str(b, lg->path);
    put_i32(b, (gint32)lg->rows->len);
    for (guint i = 0; i < lg->rows->len; i++) {
        const cm_ledger_row *r = lg->rows->pdata[i];
        put_date(b, &r->date);
        put_str(b, r->region);
        put_str(b, r->controller);
        put_i32(b, r->status);
        put_strv(b, r->parties);
        put_str(b, r->confidence);
        put_str(b, r->source);
        put_str(b, r->note);
        put_i32(b, r->line);
    }
}

/* Keeps the KEEP most recently used entries. */
static gint mtime_cmp(gconstpointer a, gconstpointer b)
{
    gint64 x = *(const gint64 *)((const char *const *)a)[0], y = *(const gint64 *)((const char *const *)b)[0];
    return (x < y) - (x > y); /* newest first */
}

static void prune(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    GPtrArray *entries = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_suffix(name, ".cmc"))
            continue;
        char *path = g_build_filename(dir, name, NULL);
        GStatBuf sb;
        if (g_stat(path, &sb) == 0) {
            /* one block: the mtime, then the path */
            char *e = g_malloc(sizeof(gint64) + strlen(path) + 1);
            gint64 t = (gint64)sb.st_mtime;
            memcpy(e, &t, sizeof t);
            strcpy(e + sizeof t, path);
            g_ptr_array_add(entries, e);
        }
        g_free(path);
    }
    g_dir_close(d);
    if (entries->len > KEEP) {
        g_ptr_array_sort(entries, mtime_cmp);
        for (guint i = KEEP; i < entries->len; i++)
            g_unlink((char *)entries->pdata[i] + sizeof(gint64));
    }
    g_ptr_array_unref(entries);
}

/* Writes `b` (HEADER bytes left for the header, then the payload) as the entry for `key`:
 * to a temporary file, renamed into place. */
static void write_entry(GByteArray *b, const char *dir, const guint8 key[32], guint32 kind)
{
    guint64 len = b->len - HEADER;
    guint32 version = FORMAT, bom = BOM;
    guint32 crc = payload_crc(b->data + HEADER, (size_t)len);
    guint8 *h = b->data;
    memcpy(h, MAGIC, 8);
    memcpy(h + 8, &version, 4);
    memcpy(h + 12, &bom, 4);
    memcpy(h + 16, &kind, 4);
    memcpy(h + 20, key, 32);
    memcpy(h + 52, &len, 8);
    memcpy(h + 60, &crc, 4);

    char *final = entry_path(dir, key);
    char *tmp = g_strconcat(final, ".XXXXXX", NULL);
    int fd = g_mkstemp_full(tmp, O_WRONLY, 0600);
    gboolean ok = fd >= 0;
    for (size_t off = 0; ok && off < b->len;) {
        ssize_t n = write(fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += ok ? (size_t)n : 0;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = FALSE;
    if (ok && g_rename(tmp, final) == 0)
        prune(dir);
    else if (fd >= 0)
        g_unlink(tmp);
    g_free(tmp);
    g_free(final);
}

static GByteArray *entry_new(void)
{
    GByteArray *b = g_byte_array_sized_new(1 << 16);
    guint8 head[HEADER] = {0};
    put(b, head, HEADER); /* filled in by write_entry */
    return b;
}

void cm_cache_store(const cm_map *map, const char *dir, cm_cache_kind kind, const guint8 key[32])
{
    if (key_unset(key) || g_mkdir_with_parents(dir, 0700) != 0)
        return;
    GByteArray *b = entry_new();
    if (kind == CM_CACHE_GEO) {
        put_placed(b, &map->regions);
        put_placed(b, &map->neighbours);
        put_placed(b, &map->border);
        put_placed(b, &map->places);
        put_placed(b, &map->inset);
        put_shapes(b, map->inset_border, map->border.layer ? map->border.layer->n : 0);
        put_f64(b, map->inset_size[0]);
        put_f64(b, map->inset_size[1]);
        put_f64(b, map->simplify_m);
        put_f64(b, map->metres_per_pt);
        put_f64(b, map->north);
        put_i32(b, map->has_sea_label);
        put_f64(b, map->sea_xy[0]);
        put_f64(b, map->sea_xy[1]);
        put_ring(b, &map->inset_trace);
        put_shape(b, &map->graticule);
        put_strv(b, map->geo_warnings);
    } else {
        put_ledger(b, map->ledger);
        put_timeline(b, map->zones, map->zones_page);
        put_i32(b, map->zones_on_land);
        put_timeline(b, map->lines, map->lines_page);
        put_strv(b, map->time_warnings);
    }
    write_entry(b, dir, key, kind);
    g_byte_array_unref(b);
}

/* ---- reading ------------------------------------------------------------------------ */

typedef struct {
    const guint8 *p, *end;
    gboolean bad;
} reader;

static gboolean get(reader *r, void *out, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = TRUE;
        memset(out, 0, n);
        return FALSE;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return TRUE;
}

static gint32 get_i32(reader *r) { gint32 v; get(r, &v, sizeof v); return v; }
static gint64 get_i64(reader *r) { gint64 v; get(r, &v, sizeof v); return v; }
static double get_f64(reader *r) { double v; get(r, &v, sizeof v); return v; }

/* an enumeration's value, clamped to its range */
static int get_enum(reader *r, int lo, int hi)
{
    gint32 v = get_i32(r);
    return CLAMP(v, lo, hi);
}

/* A count of items at least `least` bytes each: -1 (none) when `none_ok`, else 0..what the
 * remaining bytes can hold; anything else marks the entry bad. */
static gint32 get_count(reader *r, size_t least, gboolean none_ok)
{
    gint32 n = get_i32(r);
    if (r->bad || (n == -1 && none_ok))
        return r->bad ? 0 : -1;
    if (n < 0 || (size_t)n > (size_t)(r->end - r->p) / MAX(least, 1)) {
        r->bad = TRUE;
        return 0;
    }
    return n;
}

static char *get_str(reader *r)
{
    gint32 n = get_count(r, 1, TRUE);
    if (n < 0)
        return NULL;
    char *s = g_malloc((size_t)n + 1);
    get(r, s, (size_t)n);
    s[n] = '\0';
    return s;
}

static char **get_strv(reader *r)
{
    gint32 n = get_count(r, 4, TRUE);
    if (n < 0)
        return NULL;
    char **v = g_new0(char *, (size_t)n + 1);
    for (gint32 i = 0; i < n; i++)
        v[i] = get_str(r);
    return v;
}

static void get_date(reader *r, GDate *d)
{
    gint32 j = get_i32(r);
    g_date_clear(d, 1);
    if (j > 0 && g_date_valid_julian((guint32)j))
        g_date_set_julian(d, (guint32)j);
}

static void get_ring(reader *r, cm_ring *ring)
{
    ring->n = get_count(r, 2 * sizeof(double), FALSE);
    ring->xy = g_new(double, 2 * (size_t)ring->n + 1);
    get(r, ring->xy, sizeof(double) * 2 * (size_t)ring->n);
}

static void get_shape(reader *r, cm_shape *s)
{
    s->nrings = get_count(r, 4, FALSE);
    s->rings = g_new0(cm_ring, (size_t)s->nrings);
    for (int i = 0; i < s->nrings; i++)
        get_ring(r, &s->rings[i]);
}

/* `n` shapes (the caller knows how many), or NULL when none were stored */
static cm_shape *get_shapes(reader *r, int n)
{
    gint32 stored = get_count(r, 4, TRUE);
    if (stored < 0)
        return NULL;
    if (stored != n)
        r->bad = TRUE;
    cm_shape *s = g_new0(cm_shape, (size_t)n);
    for (int i = 0; i < n && !r->bad; i++)
        get_shape(r, &s[i]);
    return s;
}

static cm_layer *get_layer(reader *r)
{
    gint32 n = get_count(r, 4 * 4 + 4 + 8, TRUE);
    if (n < 0)
        return NULL;
    cm_layer *l = g_new0(cm_layer, 1);
    l->path = get_str(r);
    l->features = g_new0(cm_feature, (size_t)n);
    l->n = n;
    for (int i = 0; i < n; i++) {
        cm_feature *f = &l->features[i];
        f->key = get_str(r);
        f->name = get_str(r);
        f->name_ar = get_str(r);
        f->kind = get_str(r);
        f->rank = get_i32(r);
        f->fid = (long)get_i64(r);
    }
    return l;
}

static void get_placed(reader *r, placed_layer *pl)
{
    pl->layer = get_layer(r);
    if (!pl->layer)
        return;
    int n = pl->layer->n;
    pl->page = get_shapes(r, n);
    if (!pl->page)
        r->bad = TRUE;
    if (get_i32(r)) {
        pl->anchor = g_new0(double, 2 * (size_t)n);
        pl->has_anchor = g_new0(gboolean, (size_t)n);
        for (int i = 0; i < n; i++) {
            pl->anchor[2 * i] = get_f64(r);
            pl->anchor[2 * i + 1] = get_f64(r);
            pl->has_anchor[i] = get_i32(r);
        }
    }
}

static cm_timeline *get_timeline(reader *r, cm_shape **page)
{
    if (!get_i32(r))
        return NULL;
    cm_timeline *tl = g_new0(cm_timeline, 1);
    tl->path = get_str(r);
    tl->lines = get_i32(r);
    tl->layer = get_layer(r);
    if (!tl->layer) {
        r->bad = TRUE;
        cm_timeline_destroy(tl);
        return NULL;
    }
    tl->items = g_new0(cm_timed, (size_t)tl->layer->n);
    for (int i = 0; i < tl->layer->n; i++) {
        cm_timed *t = &tl->items[i];
        t->actor = get_str(r);
        t->status = (cm_control_status)get_enum(r, CM_HELD, CM_CLAIMED);
        t->parties = get_strv(r);
        t->kind = (cm_line_kind)get_enum(r, CM_LINE_FRONT, CM_LINE_WITHDRAWAL);
        get_date(r, &t->from);
        get_date(r, &t->until);
        t->source = get_str(r);
        t->label = get_str(r);
        t->fid = (long)get_i64(r);
        if (!t->actor || !g_date_valid(&t->from))
            r->bad = TRUE;
    }
    *page = get_shapes(r, tl->layer->n);
    if (!*page)
        r->bad = TRUE;
    return tl;
}

static cm_ledger *get_ledger(reader *r)
{
    char *path = get_str(r);
    cm_ledger *lg = cm_ledger_new(path);
    g_free(path);
    gint32 n = get_count(r, 4 * 9, FALSE);
    for (gint32 i = 0; i < n && !r->bad; i++) {
        cm_ledger_row *row = g_new0(cm_ledger_row, 1);
        get_date(r, &row->date);
        row->region = get_str(r);
        row->controller = get_str(r);
        row->status = (cm_control_status)get_enum(r, CM_HELD, CM_CLAIMED);
        row->parties = get_strv(r);
        row->confidence = get_str(r);
        row->source = get_str(r);
        row->note = get_str(r);
        row->line = get_i32(r);
        if (!row->region || !row->controller || !g_date_valid(&row->date)) {
            r->bad = TRUE;
            cm_ledger_row_free(row);
            break;
        }
        cm_ledger_add(lg, row);
    }
    cm_ledger_sort(lg);
    return lg;
}

/* The entry for `key` of this kind, mapped and checked; NULL when there is none or it is
 * damaged or from another version.  *payload and *len describe its payload. */
static GMappedFile *open_entry(const char *dir, const guint8 key[32], guint32 kind,
                               const guint8 **payload, size_t *len)
{
    if (key_unset(key))
        return NULL;
    char *path = entry_path(dir, key);
    GMappedFile *file = g_mapped_file_new(path, FALSE, NULL);
    const guint8 *d = file ? (const guint8 *)g_mapped_file_get_contents(file) : NULL;
    size_t size = file ? g_mapped_file_get_length(file) : 0;
    guint32 version = 0, bom = 0, k = 0, crc = 0;
    guint64 n = 0;
    if (d && size >= HEADER) {
        memcpy(&version, d + 8, 4);
        memcpy(&bom, d + 12, 4);
        memcpy(&k, d + 16, 4);
        memcpy(&n, d + 52, 8);
        memcpy(&crc, d + 60, 4);
    }
    if (!d || size < HEADER || memcmp(d, MAGIC, 8) || version != FORMAT || bom != BOM ||
        k != kind || memcmp(d + 20, key, 32) || n != size - HEADER ||
        payload_crc(d + HEADER, (size_t)n) != crc) {
        if (file)
            g_mapped_file_unref(file);
        g_free(path);
        return NULL;
    }
    utime(path, NULL); /* most recently used: what pruning keeps */
    g_free(path);
    *payload = d + HEADER;
    *len = (size_t)n;
    return file;
}

gboolean cm_cache_restore(cm_map *map, const char *dir, cm_cache_kind kind, const guint8 key[32])
{
    const guint8 *d = NULL;
    size_t len = 0;
    GMappedFile *file = open_entry(dir, key, kind, &d, &len);
    if (!file)
        return FALSE;
    reader r = {d, d + len, FALSE};
    cm_map *t = g_new0(cm_map, 1); /* filled here, moved into map when all is well */
    gboolean ok;
    if (kind == CM_CACHE_GEO) {
        get_placed(&r, &t->regions);
        get_placed(&r, &t->neighbours);
        get_placed(&r, &t->border);
        get_placed(&r, &t->places);
        get_placed(&r, &t->inset);
        t->inset_border = get_shapes(&r, t->border.layer ? t->border.layer->n : 0);
        t->inset_size[0] = get_f64(&r);
        t->inset_size[1] = get_f64(&r);
        t->simplify_m = get_f64(&r);
        t->metres_per_pt = get_f64(&r);
        t->north = get_f64(&r);
        t->has_sea_label = get_i32(&r);
        t->sea_xy[0] = get_f64(&r);
        t->sea_xy[1] = get_f64(&r);
        get_ring(&r, &t->inset_trace);
        get_shape(&r, &t->graticule);
        t->geo_warnings = get_strv(&r);
        ok = !r.bad && r.p == r.end && t->regions.layer && t->regions.anchor;
        if (ok) {
            map->regions = t->regions, map->neighbours = t->neighbours, map->border = t->border;
            map->places = t->places, map->inset = t->inset;
            map->inset_border = t->inset_border;
            map->inset_size[0] = t->inset_size[0], map->inset_size[1] = t->inset_size[1];
            map->simplify_m = t->simplify_m;
            map->metres_per_pt = t->metres_per_pt;
            map->north = t->north;
            map->has_sea_label = t->has_sea_label;
            map->sea_xy[0] = t->sea_xy[0], map->sea_xy[1] = t->sea_xy[1];
            map->inset_trace = t->inset_trace;
            map->graticule = t->graticule;
            map->geo_warnings = t->geo_warnings;
        }
    } else {
        t->ledger = get_ledger(&r);
        t->zones = get_timeline(&r, &t->zones_page);
        t->zones_on_land = get_i32(&r);
        t->lines = get_timeline(&r, &t->lines_page);
        t->time_warnings = get_strv(&r);
        ok = !r.bad && r.p == r.end && t->ledger;
        if (ok) {
            map->ledger = t->ledger;
            map->zones = t->zones, map->zones_page = t->zones_page;
            map->zones_on_land = t->zones_on_land;
            map->lines = t->lines, map->lines_page = t->lines_page;
            map->time_warnings = t->time_warnings;
        }
    }
    g_mapped_file_unref(file);
    if (ok)
        g_free(t);
    else
        cm_map_destroy(t);
    return ok;
}
