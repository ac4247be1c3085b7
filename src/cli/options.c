/* The command line's option table: parsing, the per-command check and --help all come from
 * it. */
#include "cli.h"

#include <stddef.h>
#include <string.h>


int cli_exit_code(cm_status st)
{
    switch (st) {
    case CM_OK: return EXIT_OK;
    case CM_EUSAGE: return EXIT_USAGE;
    case CM_EINPUT: return EXIT_DATA;
    case CM_ESTYLE: return EXIT_STYLE;
    case CM_EOUTPUT: return EXIT_OUTPUT;
    default: return EXIT_INTERNAL;
    }
}


void cli_options_clear(options *o)
{
    g_free(o->output), g_free(o->date), g_free(o->control), g_free(o->lang);
    g_free(o->focus);
    g_free(o->key), g_free(o->name), g_free(o->name_ar), g_free(o->layer);
    g_free(o->from), g_free(o->to), g_free(o->step), g_free(o->grid), g_free(o->at), g_free(o->shard);
    g_strfreev(o->styles);
}



const command_spec cli_commands[] = {
    {"render", CMD_RENDER, "[MAPFILE]", "the map on one date"},
    {"series", CMD_SERIES, "[MAPFILE] --from D --to D", "one PDF page, or one file, a date"},
    {"diff", CMD_DIFF, "[MAPFILE] --from D --to D", "what changed hands between the dates"},
    {"check", CMD_CHECK, "[MAPFILE]", "validate everything the map reads"},
    {"info", CMD_INFO, "FILE", "the provenance of a PNG, PDF, SVG, WebP"},
    {"query", CMD_QUERY, "[MAPFILE] --at LON,LAT", "who held a point on the date, as drawn"},
    {"web", CMD_WEB, "[MAPFILE] --from D --to D", "one HTML page with a date slider"},
    {"init", CMD_INIT, "BOUNDARIES --key FIELD", "a new project for your own regions"},
};

typedef enum {
    ARG_FLAG,    /* sets a gboolean */
    ARG_TEXT,    /* a string */
    ARG_PATH,    /* a file name, not converted to UTF-8 */
    ARG_PATHS,   /* file names, repeatable, kept NULL-terminated */
    ARG_NUMBER,  /* a double */
    ARG_INT,     /* an int */
    ARG_IGNORED, /* a flag accepted for old scripts and ignored; kept nowhere */
} arg_kind;

typedef struct {
    const char *name; /* the long name, without its dashes */
    char letter;      /* the short name, or 0 */
    arg_kind kind;
    const char *arg;  /* the argument as --help shows it; NULL for a flag */
    unsigned commands; /* CMD_* bits: the commands that take it */
    size_t field;      /* where it is kept in `options` */
    const char *help;
} option_spec;

#define FIELD(f) offsetof(options, f)

/* Every option, sorted: parsing, the per-command check and --help all come from here. */
static const option_spec option_table[] = {
    {"at", 0, ARG_TEXT, "LON,LAT", CMD_QUERY, FIELD(at), "the point asked about, in degrees"},
    {"control", 0, ARG_PATH, "FILE", CMD_LOAD | CMD_QUERY, FIELD(control),
     "use this ledger instead of the map's"},
    {"date", 0, ARG_TEXT, "YYYY-MM-DD", CMD_RENDER | CMD_QUERY, FIELD(date),
     "the date shown (default: the map's)"},
    {"dpi", 0, ARG_NUMBER, "N", CMD_DRAW & ~CMD_WEB, FIELD(dpi), "PNG resolution, 1 to 10000 (default 300)"},
    {"focus", 0, ARG_TEXT, "NAME", CMD_DRAW | CMD_QUERY, FIELD(focus),
     "draw [detail NAME] as the whole page"},
    {"force", 0, ARG_FLAG, NULL, CMD_INIT, FIELD(force), "write into a folder that is not empty"},
    {"fps", 0, ARG_NUMBER, "N", CMD_SERIES, FIELD(fps), ".webp: frames a second (default 2)"},
    {"from", 0, ARG_TEXT, "DATE", CMD_SERIES | CMD_DIFF | CMD_QUERY | CMD_WEB, FIELD(from),
     "the first date (query: the change since)"},
    {"grid", 0, ARG_TEXT, "CxR", CMD_SERIES, FIELD(grid), "C x R small multiples a page"},
    {"help", 'h', ARG_FLAG, NULL, CMD_ALL, FIELD(help), "show this help"},
    {"hold", 0, ARG_NUMBER, "S", CMD_SERIES, FIELD(hold),
     ".webp: hold the last frame S s (default 3)"},
    {"key", 0, ARG_TEXT, "FIELD", CMD_INIT, FIELD(key), "the boundaries' field keying the regions"},
    {"lang", 0, ARG_TEXT, "LANG", CMD_DRAW, FIELD(lang), "en, ar, fr or en+ar (default: the style's)"},
    {"layer", 0, ARG_TEXT, "NAME", CMD_INIT, FIELD(layer), "the boundaries' layer (default: the first)"},
    {"name", 0, ARG_TEXT, "FIELD", CMD_INIT, FIELD(name), "the field of English names (default: key)"},
    {"name-ar", 0, ARG_TEXT, "FIELD", CMD_INIT, FIELD(name_ar), "the field of Arabic names"},
    {"no-cache", 0, ARG_IGNORED, NULL, CMD_LOAD, 0,
     "ignored: nothing is cached any more"},
    {"output", 'o', ARG_PATH, "FILE", CMD_DRAW | CMD_INIT, FIELD(output),
     ".png .pdf .svg .webp .html; init: a folder"},
    {"png-compression", 0, ARG_INT, "N", CMD_DRAW & ~CMD_WEB, FIELD(png_compression),
     "zlib level 0-9 for PNG (default 3)"},
    {"quiet", 'q', ARG_FLAG, NULL, CMD_ALL, FIELD(quiet), "no warnings, no progress"},
    {"shard", 0, ARG_TEXT, "K/N", CMD_SERIES, FIELD(shard),
     "only frames K, K+N, K+2N... (K from 0)"},
    {"step", 0, ARG_TEXT, "Nd|Nw|Nm", CMD_SERIES | CMD_WEB, FIELD(step), "every N days, weeks or months (default 1m)"},
    {"style", 0, ARG_PATHS, "FILE", CMD_LOAD | CMD_QUERY, FIELD(styles),
     "a style on top of the map's (repeatable)"},
    {"to", 0, ARG_TEXT, "DATE", CMD_SERIES | CMD_DIFF | CMD_WEB, FIELD(to),
     "the last date (series: at most " G_STRINGIFY(CM_SERIES_MAX_DATES) " dates)"},
    {"version", 0, ARG_FLAG, NULL, CMD_ALL, FIELD(version), "print the version"},
    {"watch", 0, ARG_FLAG, NULL, CMD_RENDER, FIELD(watch), "render again whenever an input changes"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(option_table) <= 64); /* a bit each in options.given */

gboolean cli_option_given(const options *o, const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(option_table); i++)
        if (!strcmp(option_table[i].name, name))
            return (o->given >> i) & 1;
    g_assert_not_reached();
}

/* --help, from the two tables above: 80 columns, one screen. */
void cli_print_help(FILE *f)
{
    enum { NAME_WIDTH = 21, HELP_WIDTH = 43 }; /* 79 columns with the 8 commands */
    fputs("Usage: conflictmap COMMAND [ARGUMENTS] [OPTIONS]\n\n", f);
    for (size_t i = 0; i < G_N_ELEMENTS(cli_commands); i++)
        fprintf(f, "  %-6s %-26s %s\n", cli_commands[i].name, cli_commands[i].args, cli_commands[i].help);
    fputs("Without MAPFILE, the bundled map of Libya; series -o may be 'f/%Y-%m-%d.png'.\n\n"
          "Options; commands taking them (render series diff check info query web init):\n", f);
    for (size_t i = 0; i < G_N_ELEMENTS(option_table); i++) {
        const option_spec *s = &option_table[i];
        char name[64], takes[G_N_ELEMENTS(cli_commands) + 1] = "";
        g_snprintf(name, sizeof name, "--%s%s%s", s->name, s->arg ? " " : "", s->arg ? s->arg : "");
        for (size_t c = 0; c < G_N_ELEMENTS(cli_commands); c++)
            takes[c] = (s->commands & cli_commands[c].bit) ? cli_commands[c].name[0] : '.';
        /* help longer than its column goes on below, broken between words */
        gboolean first = TRUE;
        for (const char *text = s->help; *text; first = FALSE) {
            int len = (int)strlen(text);
            if (len > HELP_WIDTH)
                for (len = HELP_WIDTH; len > 0 && text[len] != ' '; len--)
                    ;
            if (len == 0)
                len = HELP_WIDTH;
            if (!first)
                fprintf(f, "      %-*s%.*s\n", NAME_WIDTH, "", len, text);
            else if (s->letter)
                fprintf(f, "  -%c, %-*s%-*.*s %s\n", s->letter, NAME_WIDTH, name, HELP_WIDTH, len,
                        text, takes);
            else
                fprintf(f, "      %-*s%-*.*s %s\n", NAME_WIDTH, name, HELP_WIDTH, len, text, takes);
            text += len;
            while (*text == ' ')
                text++;
        }
    }
    fputs("\nExit codes: 0 ok, 2 usage, 3 input data, 4 map or style file, 5 output, 1 other\n", f);
}

typedef struct {
    options *o;
    const command_spec *command;
} parse_state;

/* Every option goes through here: it must be one the command takes, and its value must
 * parse; the value is then kept where the table says. */
static gboolean take_option(const char *given, const char *value, gpointer data, GError **error)
{
    parse_state *ps = data;
    const option_spec *s = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(option_table) && !s; i++)
        if (given[1] == '-' ? !strcmp(given + 2, option_table[i].name)
                            : given[1] == option_table[i].letter)
            s = &option_table[i];
    g_assert(s); /* GOption passes only the names it was given */
    ps->o->given |= (guint64)1 << (s - option_table);
    if (!(s->commands & ps->command->bit)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s does not take %s",
                    ps->command->name, given);
        return FALSE;
    }
    void *field = (char *)ps->o + s->field;
    char *end = NULL;
    gint64 n = 0;
    switch (s->kind) {
    case ARG_IGNORED:
        break;
    case ARG_FLAG:
        *(gboolean *)field = TRUE;
        break;
    case ARG_TEXT:
    case ARG_PATH:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        break;
    case ARG_PATHS: {
        char **v = *(char ***)field;
        guint k = v ? g_strv_length(v) : 0;
        v = g_renew(char *, v, k + 2);
        v[k] = g_strdup(value);
        v[k + 1] = NULL;
        *(char ***)field = v;
        break;
    }
    case ARG_NUMBER:
        /* any number, NaN included, goes to the library, which says what it accepts */
        *(double *)field = g_ascii_strtod(value, &end);
        if (end == value || *end) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s \"%s\" is not a number",
                        given, value);
            return FALSE;
        }
        break;
    case ARG_INT:
        if (!g_ascii_string_to_signed(value, 10, G_MININT, G_MAXINT, &n, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "%s \"%s\" is not a whole number", given, value);
            return FALSE;
        }
        *(int *)field = (int)n;
        break;
    }
    return TRUE;
}

/* Parses the options of `command` into *o; argv keeps the positionals.  Prints the error. */
gboolean cli_parse_options(int *argc, char ***argv, const command_spec *command, options *o)
{
    GOptionEntry entries[G_N_ELEMENTS(option_table) + 1];
    memset(entries, 0, sizeof entries);
    for (size_t i = 0; i < G_N_ELEMENTS(option_table); i++) {
        const option_spec *s = &option_table[i];
        int flags = s->kind == ARG_FLAG || s->kind == ARG_IGNORED ? G_OPTION_FLAG_NO_ARG
                    : s->kind == ARG_PATH || s->kind == ARG_PATHS ? G_OPTION_FLAG_FILENAME
                                                                  : G_OPTION_FLAG_NONE;
        entries[i] = (GOptionEntry){s->name, s->letter, flags, G_OPTION_ARG_CALLBACK,
                                    (gpointer)take_option, NULL, NULL};
    }
    parse_state ps = {o, command};
    GError *err = NULL;
    GOptionContext *oc = g_option_context_new(NULL);
    GOptionGroup *group = g_option_group_new(NULL, NULL, NULL, &ps, NULL);
    g_option_group_add_entries(group, entries);
    g_option_context_set_main_group(oc, group);
    g_option_context_set_help_enabled(oc, FALSE);
    gboolean ok = g_option_context_parse(oc, argc, argv, &err);
    if (!ok)
        fprintf(stderr, "conflictmap: %s (see conflictmap --help)\n", err->message);
    g_clear_error(&err);
    g_option_context_free(oc);
    return ok;
}

