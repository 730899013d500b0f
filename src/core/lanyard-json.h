/* lanyard-json.h — strict JSON parsing for what comes from the network or disk
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lanyard-error.h"

G_BEGIN_DECLS

/* Parses @data (at most @len bytes, -1 = NUL-terminated) that must be exactly
 * one JSON object: no duplicate member names at any depth (json-glib would
 * silently keep the last one — a classic token-confusion trick), nesting at
 * most 32 deep, valid UTF-8, nothing after it. On failure returns NULL with
 * @code in LANYARD_ERROR and a message "<what> is not valid JSON: <why>".
 * The message never quotes the input. */
JsonObject *lanyard_json_parse_object (const char    *data,
                                       gssize         len,
                                       const char    *what,
                                       LanyardError   code,
                                       GError       **error);

/* Compact JSON text for @node that lanyard_json_parse_object () reads back
 * as the same tree (for an object). json-glib 1.6's generator is not used:
 * it writes a double such as 1e22 as "1e+22.0", which no JSON parser takes,
 * so a stored account with such a claim could never be loaded again. */
char       *lanyard_json_to_string    (JsonNode      *node);

/* C0 and C1 controls, DEL, bidi overrides (U+202A–U+202E) and isolates
 * (U+2066–U+2069): what provider text must not carry to a terminal or a
 * label. lanyard_output_json () escapes them; lanyard_clean_text () replaces
 * them. */
gboolean    lanyard_json_is_hostile_char (gunichar     c);

/* Typed member access that never aborts on a wrong type: NULL / FALSE. */
const char *lanyard_json_get_string   (JsonObject    *object,
                                       const char    *member);
gboolean    lanyard_json_get_int      (JsonObject    *object,
                                       const char    *member,
                                       gint64        *out_value);

G_END_DECLS
