/* lanyard-claim-row.h — one ID token claim: name, value, what it means
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_CLAIM_ROW (lanyard_claim_row_get_type ())
G_DECLARE_FINAL_TYPE (LanyardClaimRow, lanyard_claim_row, LANYARD, CLAIM_ROW, GtkListBoxRow)

GtkWidget  *lanyard_claim_row_new       (const char *name,
                                         JsonNode   *value);
const char *lanyard_claim_row_get_name  (LanyardClaimRow *self);
const char *lanyard_claim_row_get_value (LanyardClaimRow *self);

/* The text shown for a claim value: strings as they are, lists joined,
 * timestamps as local dates with the number kept. */
char       *lanyard_claim_format_value  (const char *name,
                                         JsonNode   *value);

G_END_DECLS
