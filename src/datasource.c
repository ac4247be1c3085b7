/* Sources of data: files and OGR connection strings, opened with GDAL's messages captured,
 * named in messages without their credentials, and summed as read.  See datasource.h. */
#include "datasource.h"

#include "ctx.h"
#include "geodata.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <string.h>

static void CPL_STDCALL capture_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    cm_gdal_capture *c = CPLGetErrorHandlerUserData();
    if (c && cls >= CE_Warning) {
        g_string_assign(c->last, msg);
        c->worst = MAX(c->worst, cls);
    }
}

void cm_gdal_capture_begin(cm_gdal_capture *c)
{
    c->last = g_string_new(NULL);
    c->worst = CE_None;
    CPLPushErrorHandlerEx(capture_handler, c);
}

void cm_gdal_capture_end(cm_gdal_capture *c)
{
    CPLPopErrorHandler();
    g_string_free(c->last, TRUE);
    c->last = NULL;
}

void cm_gdal_quiet_begin(void)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
}

void cm_gdal_quiet_end(void)
{
    CPLPopErrorHandler();
}

gboolean cm_datasource_is_file(const char *file)
{
    if (g_str_has_prefix(file, "/vsi"))
        return FALSE;
    size_t n = 0;
    while (g_ascii_isalnum(file[n]) || file[n] == '_')
        n++;
    /* one letter and a colon is a Windows drive, not a driver */
    return !(n >= 2 && file[n] == ':' && g_ascii_isalpha(file[0]));
}

/* The end of a password value starting at v: a quoted value ends at its closing quote
 * (backslash escapes, as libpq reads them), a plain one at a blank or, in a URL, at the
 * next parameter. */
static const char *value_end(const char *v, gboolean url)
{
    /* masked already (a source's name inside a message masked again): keep what follows */
    if (g_str_has_prefix(v, "***") && (!v[3] || strchr(" \t\n:;,)&", v[3])))
        return v + 3;
    if (*v == '\'' || *v == '"') {
        char q = *v++;
        while (*v && *v != q)
            v += v[0] == '\\' && v[1] ? 2 : 1;
        return *v ? v + 1 : v;
    }
    while (*v && !g_ascii_isspace(*v) && !(url && (*v == '&' || *v == '#')))
        v++;
    return v;
}

/* The start of a "password=" or "pwd=" key at p (any case, at the start of the text or
 * after a separator), and its length, or 0. */
static size_t password_key(const char *text, const char *p)
{
    static const char *const keys[] = {"password", "pwd"};
    if (p > text && (g_ascii_isalnum(p[-1]) || p[-1] == '_'))
        return 0;
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        size_t n = strlen(keys[k]);
        const char *e = p + n;
        if (g_ascii_strncasecmp(p, keys[k], n) != 0)
            continue;
        while (*e == ' ')
            e++;
        if (*e == '=') {
            e++;
            while (*e == ' ')
                e++;
            return (size_t)(e - p);
        }
    }
    return 0;
}

/* In ODBC's and Oracle's "user/password@dsn" (p at the '/' after a user name), the
 * password's span: up to the last '@' before a blank or another '/'. */
static gboolean slash_password(const char *text, const char *p, const char **from,
                               const char **to)
{
    if (*p != '/' || p == text || !(g_ascii_isalnum(p[-1]) || p[-1] == '_' || p[-1] == '.' ||
                                    p[-1] == '-'))
        return FALSE;
    const char *end = p + 1 + strcspn(p + 1, "/ \t\n"), *at = NULL;
    for (const char *c = p + 1; c < end; c++)
        if (*c == '@')
            at = c;
    if (!at || at == p + 1)
        return FALSE;
    *from = p + 1;
    *to = at;
    return TRUE;
}

/* In "scheme://user:password@host", the password's span within [p, end of authority). */
static gboolean url_password(const char *p, const char **from, const char **to)
{
    const char *auth_end = p + strcspn(p, "/?# \t\n");
    const char *at = NULL;
    for (const char *c = p; c < auth_end; c++)
        if (*c == '@')
            at = c; /* the last '@': a password may hold one */
    if (!at)
        return FALSE;
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (!colon)
        return FALSE;
    *from = colon + 1;
    *to = at;
    return TRUE;
}

char *cm_datasource_mask(const char *text)
{
    if (!text)
        return NULL;
    GString *out = g_string_sized_new(strlen(text));
    gboolean url = strstr(text, "://") != NULL;
    const char *p = text;
    while (*p) {
        const char *from, *to;
        size_t key = password_key(text, p);
        if (key) {
            g_string_append_len(out, p, (gssize)key);
            g_string_append(out, "***");
            p = value_end(p + key, url);
        } else if ((g_str_has_prefix(p, "//") && url_password(p + 2, &from, &to)) ||
                   slash_password(text, p, &from, &to)) {
            /* "//user:password@" with or without a scheme (GDAL's MySQL messages drop it),
             * and ODBC's and Oracle's "user/password@" */
            g_string_append_len(out, p, from - p);
            g_string_append(out, "***");
            p = to;
        } else {
            g_string_append_c(out, *p++);
        }
    }
    return g_string_free(out, FALSE);
}

char *cm_datasource_name(const char *file, const char *layer)
{
    char *masked = cm_datasource_mask(file);
    if (!layer)
        return masked;
    char *name = g_strdup_printf("%s (layer %s)", masked, layer);
    g_free(masked);
    return name;
}

gboolean cm_datasource_has_lines(GDALDatasetH ds)
{
    static const char *const text[] = {"CSV", "ODS", "XLSX", "XLS"};
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    const char *name = drv ? GDALGetDriverShortName(drv) : "";
    for (size_t i = 0; i < G_N_ELEMENTS(text); i++)
        if (g_ascii_strcasecmp(name, text[i]) == 0)
            return TRUE;
    return FALSE;
}

/* The names of a dataset's layers, ", " between them. */
static char *layer_names(GDALDatasetH ds)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "",
                               OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    return g_string_free(s, FALSE);
}

cm_status cm_datasource_layer(OGRLayerH *out, GDALDatasetH ds, const char *file,
                              const char *layer, cm_status code, cm_ctx *ctx)
{
    int n = GDALDatasetGetLayerCount(ds);
    *out = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    if (*out && (layer || n == 1 || cm_datasource_is_file(file)))
        return CM_OK;
    char *name = cm_datasource_mask(file), *names = layer_names(ds);
    cm_status st = layer ? cm_fail(ctx, code, "%s: no layer \"%s\" (it has: %s)", name, layer,
                                   names)
                         : cm_fail(ctx, code, "%s: has %d layers (%s); name one with "
                                   "\"layer = NAME\"", name, n, names);
    g_free(name);
    g_free(names);
    *out = NULL;
    return st;
}


static gboolean has_suffix_ci(const char *path, const char *suffix)
{
    size_t lp = strlen(path), ls = strlen(suffix);
    return lp >= ls && g_ascii_strcasecmp(path + lp - ls, suffix) == 0;
}

/* A file that is not there, or a folder that is not a dataset, said before GDAL guesses. */
static cm_status check_file(const char *path, cm_status code, cm_ctx *ctx)
{
    if (!cm_datasource_is_file(path))
        return CM_OK;
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return cm_fail(ctx, code, "%s: no such file", path);
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !has_suffix_ci(path, ".gdb"))
        return cm_fail(ctx, code, "%s: is a directory, not a data file", path);
    return CM_OK;
}

cm_status cm_ogr_open(GDALDatasetH *out, const char *path, const char *const *open_options,
                      cm_status code, cm_ctx *ctx)
{
    static gsize registered = 0;
    cm_gdal_capture c;
    cm_status st;
    *out = NULL;
    if (g_once_init_enter(&registered)) {
        GDALAllRegister();
        /* a server that accepts and never answers must not hang a render: bounded waits
         * over HTTP (/vsicurl/, WFS), unless the user set their own */
        if (!CPLGetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", NULL))
            CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "15");
        if (!CPLGetConfigOption("GDAL_HTTP_TIMEOUT", NULL))
            CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "60");
        g_once_init_leave(&registered, 1);
    }
    if ((st = check_file(path, code, ctx)) != CM_OK)
        return st;
    /* and PostgreSQL's (libpq waits for ever by default) */
    char *timed = NULL;
    if (g_str_has_prefix(path, "PG:") && !strstr(path, "connect_timeout"))
        timed = g_strconcat(path, " connect_timeout=15", NULL);
    /* a .csv is read as CSV: GDAL would otherwise pick a driver by content */
    static const char *const csv_only[] = {"CSV", NULL};
    cm_gdal_capture_begin(&c);
    GDALDatasetH ds = GDALOpenEx(timed ? timed : path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                 has_suffix_ci(path, ".csv") ? csv_only : NULL,
                                 (const char *const *)open_options, NULL);
    /* GDAL's message may quote the connection string, password and all */
    char *name = cm_datasource_mask(path), *why = cm_datasource_mask(c.last->str);
    /* one line: libpq's message runs over three */
    g_strdelimit(why, "\n\t", ' ');
    g_strstrip(why);
    if (!ds)
        st = cm_fail(ctx, code, "%s: %s", name, *why ? why : "not a vector format GDAL can read");
    else if (GDALDatasetGetLayerCount(ds) < 1)
        st = cm_fail(ctx, code, "%s: has no layer", name);
    g_free(name);
    g_free(why);
    g_free(timed);
    cm_gdal_capture_end(&c);
    if (st != CM_OK) {
        if (ds)
            GDALClose(ds);
        return st;
    }
    *out = ds;
    return CM_OK;
}

cm_status cm_ogr_open_table(GDALDatasetH *out, const char *path, cm_ctx *ctx)
{
    /* a spreadsheet whose rows are all text has no header GDAL can detect: say there is one
     * (GDAL 3.6 takes this as a configuration option, for this thread only here) */
    char *old_xlsx = g_strdup(CPLGetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL));
    char *old_ods = g_strdup(CPLGetThreadLocalConfigOption("OGR_ODS_HEADERS", NULL));
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
    cm_status st = cm_ogr_open(out, path, NULL, CM_EINPUT, ctx);
    /* the drivers read a sheet, and decide on its header, when it is first used: use each
     * while the option holds */
    for (int i = 0; st == CM_OK && i < GDALDatasetGetLayerCount(*out); i++)
        OGR_L_GetLayerDefn(GDALDatasetGetLayer(*out, i));
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", old_xlsx);
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", old_ods);
    g_free(old_xlsx);
    g_free(old_ods);
    CPLErrorReset();
    return st;
}

cm_status cm_ogr_read_stopped(const char *path, int line, cm_ctx *ctx)
{
    if (CPLGetLastErrorType() < CE_Failure)
        return CM_OK;
    char *raw = g_strndup(CPLGetLastErrorMsg(), 200), *msg = cm_datasource_mask(raw);
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s:%d: reading stopped here, the rest unread: %s",
                           path, line, msg);
    g_free(raw);
    g_free(msg);
    CPLErrorReset();
    return st;
}

/* A length, then the bytes: no two different sequences of parts sum alike. */
static void add_part(GChecksum *sum, const void *data, gsize n)
{
    guint64 len = n;
    g_checksum_update(sum, (const guchar *)&len, sizeof len);
    if (n)
        g_checksum_update(sum, data, n);
}

GChecksum *cm_datasource_digest_new(const char *file, OGRLayerH lyr)
{
    /* a file's bytes are hashed whole (load.c); a VRT's bytes say nothing of the data it
     * points at, a database's or another file's, so what is read from it is */
    if (cm_datasource_is_file(file) && !has_suffix_ci(file, ".vrt"))
        return NULL;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    const char *name = OGR_L_GetName(lyr);
    add_part(sum, name, strlen(name));
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        const char *field = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        add_part(sum, field, strlen(field));
    }
    return sum;
}

void cm_datasource_digest_feature(GChecksum *sum, OGRFeatureH f)
{
    if (!sum)
        return;
    gint64 fid = OGR_F_GetFID(f);
    g_checksum_update(sum, (const guchar *)&fid, sizeof fid);
    for (int i = 0; i < OGR_F_GetFieldCount(f); i++) {
        guchar state = OGR_F_IsFieldSetAndNotNull(f, i) ? 2 : OGR_F_IsFieldNull(f, i) ? 1 : 0;
        g_checksum_update(sum, &state, 1);
        if (state == 2) {
            const char *v = OGR_F_GetFieldAsString(f, i);
            add_part(sum, v, strlen(v));
        }
    }
    for (int i = 0; i < OGR_F_GetGeomFieldCount(f); i++) {
        OGRGeometryH g = OGR_F_GetGeomFieldRef(f, i);
        int n = g ? OGR_G_WkbSize(g) : 0;
        guchar *wkb = n > 0 ? g_malloc((gsize)n) : NULL;
        if (wkb && OGR_G_ExportToIsoWkb(g, wkbNDR, wkb) != OGRERR_NONE)
            n = 0;
        add_part(sum, wkb, (gsize)MAX(n, 0));
        g_free(wkb);
    }
}

void cm_datasource_digest_end(GChecksum *sum, char out[65])
{
    out[0] = '\0';
    if (!sum)
        return;
    g_strlcpy(out, g_checksum_get_string(sum), 65);
    g_checksum_free(sum);
}
