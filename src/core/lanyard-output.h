/* lanyard-output.h — provider text and JSON made safe to print or show
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Claims, usernames, discovery values and provider error messages are
 * written by the provider: a name such as "u\e[1Aser" or one with a
 * right-to-left override could rewrite a terminal line or reorder a label.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @text (nullable) with every C0 and C1 control character, DEL, bidi
 * override (U+202A–U+202E) and bidi isolate (U+2066–U+2069) replaced by
 * U+FFFD, tab, newline and carriage return by a space, and invalid UTF-8
 * made valid. NULL for NULL. */
char *lanyard_clean_text  (const char *text);

/* JSON text for @node, indented by two spaces when @pretty. Strings are
 * escaped so that the text can go to a terminal as is (the characters
 * lanyard_clean_text () replaces are written as \u escapes, read back as
 * the same string), and numbers are written as JSON (json-glib writes
 * 1e22 as "1e+22.0"). The same writer stores accounts. */
char *lanyard_output_json (JsonNode   *node,
                           gboolean    pretty);

G_END_DECLS
