/* Latin in Arabic text.  In a right-to-left paragraph the Unicode bidi algorithm orders a
 * Latin run's neutral characters (spaces, commas, digits, parentheses) by what surrounds
 * them: "GeoNames (CC BY 4.0)" ends a line as "GeoNames (CC BY" and starts the next with
 * "(4.0", and "218 News, 20 ..." puts the number on the wrong side.  An isolate (Unicode 6.3,
 * which fribidi follows under Pango 1.44 and later) makes each run a left-to-right unit of its own;
 * no-break spaces keep a short one on one line. */
#include "bidi.h"

#include <string.h>

#define LRI "\u2066"
#define PDI "\u2069"
#define NBSP "\u00a0"
#define SHORT_RUN 24 /* characters: a name, a licence; a longer run (a title) may wrap */

static gboolean latin_letter(gunichar c)
{
    return g_unichar_isalpha(c) && g_unichar_get_script(c) == G_UNICODE_SCRIPT_LATIN;
}

/* What may stand inside a Latin run between its letters: digits, spaces and the ASCII and
 * typographic punctuation of names and titles. */
static gboolean neutral(gunichar c)
{
    return g_unichar_isdigit(c) || c == ' ' || c == 0xa0 ||
           (c < 0x80 && g_unichar_ispunct(c) && c != ';') || c == 0x2018 || c == 0x2019 || c == 0x201c ||
           c == 0x201d || c == 0x2013 || c == 0x2014;
}

static gboolean opens(gunichar c)
{
    return c == '(' || c == '[' || c == 0x201c;
}

static gboolean closes(gunichar c)
{
    return c == ')' || c == ']' || c == 0x201d;
}

char *cm_bidi_isolate_latin(const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 16);
    const char *p = text;
    while (*p) {
        gunichar c = g_utf8_get_char(p);
        if (!latin_letter(c) && !g_unichar_isdigit(c)) {
            const char *n = g_utf8_next_char(p);
            g_string_append_len(out, p, n - p);
            p = n;
            continue;
        }
        /* a run: from a letter or digit over letters and neutrals, to its last letter or
         * the bracket that closes one it opened; only one with a letter is Latin */
        const char *end = NULL, *q = p;
        int depth = 0, chars = 0, n_end = 0;
        gboolean letter = FALSE, clean = FALSE; /* clean: only spaces and numbers since a letter */
        while (*q) {
            gunichar d = g_utf8_get_char(q);
            if (!latin_letter(d) && !neutral(d))
                break;
            depth += opens(d) - closes(d);
            chars++;
            q = g_utf8_next_char(q);
            if (latin_letter(d))
                letter = clean = TRUE;
            else if (d != ' ' && d != '.' && !g_unichar_isdigit(d))
                clean = FALSE;
            /* to its last letter, a number after a name ("Libya 360", not the date after
             * "Al Jazeera, "), or a bracket that closes */
            if (latin_letter(d) || (clean && g_unichar_isdigit(d)) ||
                (closes(d) && depth >= 0 && letter))
                end = q, n_end = chars;
            if (depth < 0)
                break;
        }
        if (!letter || !end) { /* digits only: the Arabic text's own numbers */
            const char *n = g_utf8_next_char(p);
            g_string_append_len(out, p, n - p);
            p = n;
            continue;
        }
        g_string_append(out, LRI);
        for (const char *r = p; r < end; r = g_utf8_next_char(r)) {
            if (*r == ' ' && n_end <= SHORT_RUN)
                g_string_append(out, NBSP);
            else
                g_string_append_len(out, r, g_utf8_next_char(r) - r);
        }
        g_string_append(out, PDI);
        p = end;
    }
    return g_string_free(out, FALSE);
}
