/* The command line's shared parts: exit codes, the commands, the parsed options. */
#ifndef CM_CLI_H
#define CM_CLI_H

#include "conflictmap/conflictmap.h"

#include <glib.h>
#include <stdio.h>

/* Exit codes: one per class of failure, so scripts can tell them apart. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,
    EXIT_USAGE = 2,
    EXIT_DATA = 3,
    EXIT_STYLE = 4,
    EXIT_OUTPUT = 5,
};

/* The exit code of a library status. */
int cli_exit_code(cm_status st);

/* What the options say, as parsed; every field starts as its default. */
typedef struct {
    char *output, *date, *control, *lang, *from, *to, *step, *grid, *at, *focus;
    char *key, *name, *name_ar, *layer; /* init's fields and layer */
    char **styles; /* NULL-terminated, or NULL */
    double dpi, fps, hold;
    int png_compression;
    char *shard; /* series --shard K/N */
    gboolean quiet, help, version, watch, force;
    guint64 given; /* which options the command line gave: a bit each, in the table's order */
} options;
void cli_options_clear(options *o);
/* Whether the command line gave option `name` (as the table spells it), rather than its
 * default. */
gboolean cli_option_given(const options *o, const char *name);

/* The commands, in the order --help lists them; each has a bit for the option table. */
enum {
    CMD_RENDER = 1 << 0,
    CMD_SERIES = 1 << 1,
    CMD_DIFF = 1 << 2,
    CMD_CHECK = 1 << 3,
    CMD_INFO = 1 << 4,
    CMD_QUERY = 1 << 5,
    CMD_INIT = 1 << 6,
    CMD_WEB = 1 << 7,
};
enum {
    CMD_DRAW = CMD_RENDER | CMD_SERIES | CMD_DIFF | CMD_WEB, /* the commands that write a map */
    CMD_LOAD = CMD_DRAW | CMD_CHECK,               /* the commands that read the map's data */
    CMD_ALL = CMD_LOAD | CMD_INFO | CMD_QUERY | CMD_INIT,
};

typedef struct {
    const char *name;
    unsigned bit;
    const char *args; /* the arguments --help shows after the name */
    const char *help;
} command_spec;

/* The commands, in the order --help lists them. */
extern const command_spec cli_commands[8];

/* --help, from the option table. */
void cli_print_help(FILE *f);

/* Parses the options of `command` (NULL: before one is known) from argv, leaving the
 * positionals; an option the command does not take, or a bad value, is a one-line message
 * on stderr and FALSE. */
gboolean cli_parse_options(int *argc, char ***argv, const command_spec *command, options *o);

#endif
