/* Words on the page: the style's [words] catalogue and the locale keys (label[ar], title[fr])
 * of the style and the map file, in the style's language.  No word the page shows is a
 * string in C: C names the key, the catalogue says the word. */
#ifndef CM_WORDS_H
#define CM_WORDS_H

#include "conflictmap/status.h"
#include "keyfile.h"
#include "style.h"

#include <glib.h>

struct cm_mapfile;

/* The language the page's words are in: "en", "ar" or "fr" ("en+ar" keeps English words:
 * the names are in both, the furniture in English). */
const char *cm_words_lang(const cm_style *s);

/* The word `key` of [words] in the style's language, else its English, else `key` itself
 * (also with no style: s NULL).
 * A word with no translation is remembered for cm_words_report.  Borrowed for the style's
 * lifetime. */
const char *cm_word(const cm_style *s, const char *key);

/* cm_word with its placeholders filled by the NULL-terminated string arguments: %s and %d
 * take the next argument (numbers are passed formatted), %1$s picks the first, %% is a %.
 * A placeholder with no argument left is dropped, so no catalogue entry can read past the
 * arguments given.  The result is the caller's (g_free). */
char *cm_wordf(const cm_style *s, const char *key, ...) G_GNUC_NULL_TERMINATED;

/* `text` with its ASCII digits in the catalogue's digits ([words] digits = western or
 * arabic-indic, locale keys allowed).  The result is the caller's. */
char *cm_words_digits(const cm_style *s, const char *text);

/* A date in words, "19 December 2019" ([words] date-long, month-1 ... month-12, digits). */
char *cm_format_date_long(const cm_style *s, const GDate *date);
/* The same, short: "19 Dec 2019" ([words] date-short, month-short-1 ... month-short-12). */
char *cm_format_date_short(const cm_style *s, const GDate *date);

/* Warns once about the words used since the last report that had no translation in the
 * style's language (English stood in), and forgets them.  Call once per render. */
void cm_words_report(const cm_style *s, cm_ctx *ctx);

/* Moves the words `from` missed into `to`'s, so that a map and its details warn once. */
void cm_words_merge_missing(const cm_style *to, const cm_style *from);

/* For style.c: reads [words] and every locale key (key[lang]) of the style files, later
 * files winning, and puts the words of the style's language in its fields. */
void cm_words_load(cm_style *s, cm_keyfile *const *kfs, int n);

/* For style.c and map.c: the style's fields with words (controller labels, the legend's
 * title, the unknown and contested labels) again in the style's language, after it changed. */
void cm_words_localise(cm_style *s);

/* For mapfile.c: the locale keys of the map file's texts ([map] title[ar], subtitle[ar],
 * credit[ar]; [detail NAME] title[ar]), kept beside the English. */
void cm_mapfile_words_load(struct cm_mapfile *mf, const cm_keyfile *kf);

/* --focus NAME: the map's title is now [detail NAME]'s, in every language. */
void cm_mapfile_words_focus(struct cm_mapfile *mf, const char *detail);

/* The map file's texts in the language `lang` of cm_words_lang, English where none. */
void cm_mapfile_localise(struct cm_mapfile *mf, const char *lang);

#endif
