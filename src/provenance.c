/* Provenance written into each format, and read back.  The reader takes a file someone hands
 * it, so it trusts nothing in it: every length is checked against what was read.  What is
 * written has any password masked (a figure travels further than its database's login). */
#include "provenance.h"

#include "conflictmap/render.h"

#include "ctx.h"
#include "datasource.h"
#include "output.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CM_PROV_PNG, CM_PROV_PDF, CM_PROV_SVG, CM_PROV_WEBP };

/* PNG keywords and our names for them: the registered keywords first, then ours. */
static const char *const png_keys[][2] = {
    {"Title", "title"},         {"Description", "subject"},  {"Software", "creator"},
    {"Creation Time", "created"}, {"Source", "sources"},     {"conflictmap:date", "date"},
    {"conflictmap:keywords", "keywords"}, {"conflictmap:data-sha256", "data-sha256"}};

/* SVG element names, in the order written. */
static const char *const svg_keys[] = {"title",   "subject", "keywords", "creator",
                                       "created", "date",    "sources",  "data-sha256"};

/* The field of `p` named `name` (one of svg_keys), or NULL. */
static const char *field(const cm_provenance *p, const char *name)
{
    const char *const v[] = {p->title,   p->subject, p->keywords, p->creator,
                             p->created, p->date,    p->sources,  p->data_sha256};
    for (size_t i = 0; i < G_N_ELEMENTS(svg_keys); i++)
        if (strcmp(svg_keys[i], name) == 0)
            return v[i];
    return NULL;
}

void cm_provenance_png_text(GPtrArray *keys, GPtrArray *texts, const cm_provenance *p)
{
    for (size_t i = 0; i < G_N_ELEMENTS(png_keys); i++) {
        const char *v = field(p, png_keys[i][1]);
        if (v) {
            g_ptr_array_add(keys, g_strdup(png_keys[i][0]));
            g_ptr_array_add(texts, cm_datasource_mask(v));
        }
    }
}

void cm_provenance_pdf(cairo_surface_t *pdf, const cm_provenance *p)
{
    /* cairo 1.16 writes only the standard keys: the sources go with the subject, the
     * fingerprint with the keywords */
    char *subject = g_strdup_printf("%s%s%s", p->subject ? p->subject : "",
                                    p->subject && p->sources ? ". " : "",
                                    p->sources ? p->sources : "");
    char *keywords = g_strdup_printf("%s%sdata-sha256 %s", p->keywords ? p->keywords : "",
                                     p->keywords ? "; " : "",
                                     p->data_sha256 ? p->data_sha256 : "none");
    const struct { cairo_pdf_metadata_t key; const char *value; } md[] = {
        {CAIRO_PDF_METADATA_TITLE, p->title},         {CAIRO_PDF_METADATA_SUBJECT, subject},
        {CAIRO_PDF_METADATA_KEYWORDS, keywords},      {CAIRO_PDF_METADATA_CREATOR, p->creator},
        {CAIRO_PDF_METADATA_CREATE_DATE, p->created}, {CAIRO_PDF_METADATA_MOD_DATE, p->created}};
    for (size_t i = 0; i < G_N_ELEMENTS(md); i++) {
        if (!md[i].value)
            continue;
        char *v = cm_datasource_mask(md[i].value);
        cairo_pdf_surface_set_metadata(pdf, md[i].key, v);
        g_free(v);
    }
    g_free(subject);
    g_free(keywords);
}

/* The set fields as XML elements <PREFIXname>value</PREFIXname>, one a line. */
static void append_elements(GString *m, const cm_provenance *p, const char *prefix)
{
    for (size_t i = 0; i < G_N_ELEMENTS(svg_keys); i++) {
        const char *v = field(p, svg_keys[i]);
        if (v) {
            char *masked = cm_datasource_mask(v), *esc = g_markup_escape_text(masked, -1);
            g_string_append_printf(m, "<%s%s>%s</%s%s>\n", prefix, svg_keys[i], esc, prefix,
                                   svg_keys[i]);
            g_free(esc);
            g_free(masked);
        }
    }
}

char *cm_provenance_svg(const cm_provenance *p)
{
    GString *m = g_string_new("<metadata>\n<conflictmap xmlns=\"https://conflictmap.invalid/ns/1\">\n");
    append_elements(m, p, "");
    g_string_append(m, "</conflictmap>\n</metadata>\n");
    return g_string_free(m, FALSE);
}

char *cm_provenance_xmp(const cm_provenance *p)
{
    GString *m = g_string_new(
        "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:cm=\"https://conflictmap.invalid/ns/1\">\n");
    append_elements(m, p, "cm:");
    g_string_append(m, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
    return g_string_free(m, FALSE);
}

/* ---- reading ------------------------------------------------------------------------ */

/* Adds a name and a value, the value made valid UTF-8 (a damaged file must not hand the
 * caller bytes it cannot print). */
static void add(GPtrArray *names, GPtrArray *values, const char *name, const char *v, gsize len)
{
    g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_add(values, g_utf8_make_valid(v, (gssize)len));
}

/* A PNG text chunk's data: tEXt (keyword, NUL, Latin-1) or iTXt (keyword, NUL, compression
 * flag and method, language, NUL, translated keyword, NUL, UTF-8).  Compressed iTXt is not
 * ours and is skipped. */
static void png_text_chunk(const char *d, gsize n, gboolean itxt, GPtrArray *names,
                           GPtrArray *values)
{
    gsize klen = strnlen(d, n);
    if (klen == n)
        return;
    const char *name = NULL;
    for (size_t k = 0; k < G_N_ELEMENTS(png_keys) && !name; k++)
        if (strlen(png_keys[k][0]) == klen && memcmp(d, png_keys[k][0], klen) == 0)
            name = png_keys[k][1];
    if (!name)
        return;
    const char *t = d + klen + 1, *end = d + n;
    if (!itxt) {
        char *utf8 = g_convert(t, end - t, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
        if (utf8)
            add(names, values, name, utf8, strlen(utf8));
        g_free(utf8);
        return;
    }
    if (end - t < 2 || t[0] != 0)
        return;
    t += 2;
    for (int skip = 0; skip < 2; skip++) { /* language tag, translated keyword */
        const char *nul = memchr(t, 0, (size_t)(end - t));
        if (!nul)
            return;
        t = nul + 1;
    }
    add(names, values, name, t, (gsize)(end - t));
}

/* A PDF string at p: literal, (with \ escapes), or hex, <FEFF...> UTF-16BE after a byte-order
 * mark, as cairo writes text that is not ASCII.  Newly allocated UTF-8, or NULL. */
static char *pdf_string(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    if (p < end && *p == '(') {
        GString *v = g_string_new(NULL);
        for (p++; p < end && *p != ')'; p++) {
            if (*p == '\\' && p + 1 < end)
                p++;
            g_string_append_c(v, *p);
        }
        return g_string_free(v, FALSE);
    }
    if (end - p < 5 || g_ascii_strncasecmp(p, "<FEFF", 5) != 0)
        return NULL;
    GArray *u = g_array_new(FALSE, FALSE, sizeof(gunichar2));
    for (p += 5; end - p >= 4 && g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1]) &&
                 g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3]);
         p += 4) {
        gunichar2 c = (gunichar2)(g_ascii_xdigit_value(p[0]) << 12 | g_ascii_xdigit_value(p[1]) << 8 |
                                  g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]));
        g_array_append_val(u, c);
    }
    char *s = g_utf16_to_utf8((const gunichar2 *)(void *)u->data, u->len, NULL, NULL, NULL);
    g_array_free(u, TRUE);
    return s;
}

/* PDF: cairo writes the document information dictionary uncompressed. */
static void read_pdf_info(const char *d, gsize len, GPtrArray *names, GPtrArray *values)
{
    static const char *const keys[][2] = {{"/Title", "title"},       {"/Subject", "subject"},
                                          {"/Keywords", "keywords"}, {"/Creator", "creator"},
                                          {"/CreationDate", "created"}};
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        const char *p = cm_find_last(d, len, keys[k][0]);
        char *v = p ? pdf_string(p + strlen(keys[k][0]), d + len) : NULL;
        if (!v)
            continue;
        const char *hash = k == 2 ? strstr(v, "data-sha256 ") : NULL;
        if (hash) {
            const char *kw_end = hash;
            if (kw_end - v >= 2 && kw_end[-2] == ';')
                kw_end -= 2; /* the "; " cm_provenance_pdf put before it */
            add(names, values, keys[k][1], v, (gsize)(kw_end - v));
            const char *h = hash + strlen("data-sha256 ");
            add(names, values, "data-sha256", h, strlen(h));
        } else {
            add(names, values, keys[k][1], v, strlen(v));
        }
        g_free(v);
    }
}

/* Undoes g_markup_escape_text. */
static char *unescape_xml(const char *a, gsize len)
{
    static const char *const ent[][2] = {{"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
                                         {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}};
    GString *v = g_string_new(NULL);
    for (gsize i = 0; i < len; i++) {
        gboolean done = FALSE;
        for (size_t e = 0; e < G_N_ELEMENTS(ent) && !done; e++) {
            gsize n = strlen(ent[e][0]);
            if (len - i >= n && memcmp(a + i, ent[e][0], n) == 0) {
                g_string_append(v, ent[e][1]);
                i += n - 1;
                done = TRUE;
            }
        }
        if (!done)
            g_string_append_c(v, a[i]);
    }
    return g_string_free(v, FALSE);
}

/* SVG: the children of our element in <metadata>; XMP (`prefix` "cm:"): the cm:NAME
 * properties in rdf:Description. */
static void read_elements(const char *d, gsize len, const char *container, const char *prefix,
                          GPtrArray *names, GPtrArray *values)
{
    char *from = g_strdup_printf("<%s", container), *to = g_strdup_printf("</%s>", container);
    const char *start = g_strstr_len(d, (gssize)len, from);
    const char *end = start ? g_strstr_len(start, (gssize)(len - (gsize)(start - d)), to) : NULL;
    g_free(from);
    g_free(to);
    if (!end)
        return;
    for (size_t k = 0; k < G_N_ELEMENTS(svg_keys); k++) {
        char *open = g_strdup_printf("<%s%s>", prefix, svg_keys[k]),
             *close = g_strdup_printf("</%s%s>", prefix, svg_keys[k]);
        const char *a = g_strstr_len(start, end - start, open);
        const char *b = a ? g_strstr_len(a, end - a, close) : NULL;
        if (a && b) {
            a += strlen(open);
            char *v = unescape_xml(a, (gsize)(b - a));
            add(names, values, svg_keys[k], v, strlen(v));
            g_free(v);
        }
        g_free(open);
        g_free(close);
    }
}

void cm_strv_free(char **strv)
{
    g_strfreev(strv);
}

/* What the reader reads of a file: its first and last few MiB at most, wherever the format
 * keeps what is looked for (PNG and SVG: before the image; PDF: cairo writes the document
 * information last), so a huge or endless file costs no more than a small one. */
#define HEAD_MAX ((gsize)4 << 20)
#define TAIL_MAX ((gsize)4 << 20)
#define PNG_TEXT_MAX ((guint32)1 << 20) /* one text chunk; a larger one is not ours */

typedef struct {
    int fd;
    gint64 size;
    const char *path;
    cm_ctx *ctx;
} input;

/* Reads len bytes at off into buf; fails with CM_EINPUT (a read error, or the file ended). */
static cm_status read_at(const input *in, void *buf, gsize len, gint64 off)
{
    for (gsize done = 0; done < len;) {
        ssize_t n = pread(in->fd, (char *)buf + done, len - done, (off_t)(off + (gint64)done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cm_fail(in->ctx, CM_EINPUT, "%s: %s", in->path,
                           n < 0 ? g_strerror(errno) : "shorter than it was a moment ago");
        done += (gsize)n;
    }
    return CM_OK;
}

/* A new buffer of the len bytes at off (NUL-terminated, for the string searches). */
static char *read_new(const input *in, gsize len, gint64 off, cm_status *st)
{
    char *buf = g_malloc(len + 1);
    buf[len] = 0;
    if ((*st = read_at(in, buf, len, off)) != CM_OK)
        g_clear_pointer(&buf, g_free);
    return buf;
}

static cm_status truncated(const input *in, const char *what)
{
    return cm_fail(in->ctx, CM_EINPUT, "%s: truncated (no %s at the end)", in->path, what);
}

/* PNG: the text chunks before the image data, chunk header by chunk header; then the end,
 * which must be an IEND chunk. */
static cm_status read_png(const input *in, GPtrArray *names, GPtrArray *values)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    unsigned char tail[12];
    cm_status st = CM_OK;
    if (in->size < 8 + 2 * 12 || (st = read_at(in, tail, 12, in->size - 12)) != CM_OK ||
        memcmp(tail, iend, 12) != 0)
        return st != CM_OK ? st : truncated(in, "IEND chunk");
    gint64 off = 8;
    for (int chunks = 0; chunks < 4096 && off + 12 <= in->size; chunks++) {
        unsigned char h[8];
        if ((st = read_at(in, h, 8, off)) != CM_OK)
            return st;
        guint32 n = (guint32)h[0] << 24 | (guint32)h[1] << 16 | (guint32)h[2] << 8 | h[3];
        if (n > in->size - off - 12 || !memcmp(h + 4, "IDAT", 4) || !memcmp(h + 4, "IEND", 4))
            break;
        gboolean itxt = memcmp(h + 4, "iTXt", 4) == 0;
        if ((itxt || memcmp(h + 4, "tEXt", 4) == 0) && n <= PNG_TEXT_MAX) {
            char *d = read_new(in, n, off + 8, &st);
            if (d)
                png_text_chunk(d, n, itxt, names, values);
            g_free(d);
            if (st != CM_OK)
                return st;
        }
        off += 12 + (gint64)n;
    }
    return CM_OK;
}

/* Whether the last bytes of `d` (ignoring trailing white space) are `end`. */
static gboolean ends_with(const char *d, gsize len, const char *end)
{
    while (len > 0 && g_ascii_isspace(d[len - 1]))
        len--;
    gsize n = strlen(end);
    return len >= n && memcmp(d + len - n, end, n) == 0;
}

/* PDF and SVG: the first HEAD_MAX bytes and, if the file is longer, the last TAIL_MAX. */
static cm_status read_pdf_svg(const input *in, gboolean pdf, GPtrArray *names, GPtrArray *values)
{
    cm_status st = CM_OK;
    gsize head_len = (gsize)MIN((gint64)HEAD_MAX, in->size);
    gsize tail_len = in->size > (gint64)HEAD_MAX ? (gsize)MIN((gint64)TAIL_MAX, in->size - (gint64)HEAD_MAX) : 0;
    char *head = read_new(in, head_len, 0, &st);
    char *tail = head && tail_len ? read_new(in, tail_len, in->size - (gint64)tail_len, &st) : NULL;
    const char *end = tail ? tail : head;
    gsize end_len = tail ? tail_len : head_len;
    if (st != CM_OK)
        goto cleanup;
    if (!ends_with(end, end_len, pdf ? "%%EOF" : "</svg>")) {
        st = truncated(in, pdf ? "%%EOF" : "</svg>");
        goto cleanup;
    }
    if (pdf && tail)
        read_pdf_info(tail, tail_len, names, values);
    if (pdf && names->len == 0)
        read_pdf_info(head, head_len, names, values);
    if (!pdf)
        read_elements(head, head_len, "metadata", "", names, values);
cleanup:
    g_free(head);
    g_free(tail);
    return st;
}

/* WebP: the RIFF chunks, header by header, to the XMP chunk (after the frames); the RIFF
 * size must be the file's. */
static cm_status read_webp(const input *in, GPtrArray *names, GPtrArray *values)
{
    unsigned char h[12];
    cm_status st = read_at(in, h, 12, 0);
    if (st != CM_OK)
        return st;
    guint32 riff = (guint32)h[4] | (guint32)h[5] << 8 | (guint32)h[6] << 16 | (guint32)h[7] << 24;
    if ((gint64)riff + 8 > in->size)
        return truncated(in, "last RIFF chunk");
    gint64 off = 12, stop = (gint64)riff + 8;
    for (int chunks = 0; chunks < 1 << 20 && off + 8 <= stop; chunks++) {
        if ((st = read_at(in, h, 8, off)) != CM_OK)
            return st;
        guint32 n = (guint32)h[4] | (guint32)h[5] << 8 | (guint32)h[6] << 16 | (guint32)h[7] << 24;
        if (n > stop - off - 8)
            return truncated(in, "last RIFF chunk");
        if (!memcmp(h, "XMP ", 4) && n <= PNG_TEXT_MAX) {
            char *d = read_new(in, n, off + 8, &st);
            if (d)
                read_elements(d, n, "rdf:Description", "cm:", names, values);
            g_free(d);
            return st;
        }
        off += 8 + (gint64)n + (n & 1);
    }
    return CM_OK;
}

/* Which of our formats the file's first bytes say it is: PNG, PDF, SVG or none (-1). */
static int sniff(const char *d, gsize len)
{
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return CM_PROV_PNG;
    if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
        return CM_PROV_PDF;
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return CM_PROV_WEBP;
    if (g_strstr_len(d, (gssize)len, "<svg"))
        return CM_PROV_SVG;
    return -1;
}

/* Opens `path` for reading, refusing anything but a regular file (a device or a pipe would
 * never end; O_NONBLOCK keeps a FIFO from blocking the open itself). */
static cm_status open_input(input *in, const char *path, cm_ctx *ctx)
{
    *in = (input){.fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), .path = path, .ctx = ctx};
    struct stat sb;
    if (in->fd < 0 || fstat(in->fd, &sb) != 0)
        return cm_fail(ctx, CM_EINPUT, "%s: %s", path, g_strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return cm_fail(ctx, CM_EINPUT, "%s: not a regular file", path);
    in->size = (gint64)sb.st_size;
    return CM_OK;
}

cm_status cm_read_provenance(char ***names_out, char ***values_out, const char *path, cm_ctx *ctx)
{
    *names_out = *values_out = NULL;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
    input in;
    char first[4096];
    cm_status st = open_input(&in, path, ctx);
    gsize n = (gsize)MIN((gint64)sizeof first, in.size);
    if (st != CM_OK || (st = read_at(&in, first, n, 0)) != CM_OK)
        goto cleanup;
    switch (sniff(first, n)) {
    case CM_PROV_PNG: st = read_png(&in, names, values); break;
    case CM_PROV_PDF: st = read_pdf_svg(&in, TRUE, names, values); break;
    case CM_PROV_SVG: st = read_pdf_svg(&in, FALSE, names, values); break;
    case CM_PROV_WEBP: st = read_webp(&in, names, values); break;
    default: break;
    }
    if (st == CM_OK && names->len == 0)
        st = cm_fail(ctx, CM_EINPUT, "%s: no conflictmap provenance (not a PNG, PDF, SVG or WebP it wrote)",
                     path);
    if (st != CM_OK)
        goto cleanup;
    g_ptr_array_add(names, NULL);
    g_ptr_array_add(values, NULL);
    g_ptr_array_set_free_func(names, NULL);
    g_ptr_array_set_free_func(values, NULL);
    *names_out = (char **)g_ptr_array_free(names, FALSE);
    *values_out = (char **)g_ptr_array_free(values, FALSE);
    names = values = NULL;
cleanup:
    if (in.fd >= 0)
        close(in.fd);
    if (names)
        g_ptr_array_unref(names);
    if (values)
        g_ptr_array_unref(values);
    return st;
}
