/* lanyard-entry-field.h — a titled text field whose focus screen readers hear
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_ENTRY_FIELD (lanyard_entry_field_get_type ())

G_DECLARE_FINAL_TYPE (LanyardEntryField, lanyard_entry_field, LANYARD, ENTRY_FIELD, GtkBox)

GtkWidget  *lanyard_entry_field_new      (void);
/* A line under the field: a hint, or (@is_error) what is wrong with the text.
 * It is also the field's accessible description; NULL or "" hides it. */
void        lanyard_entry_field_set_hint (LanyardEntryField *self,
                                          const char        *hint,
                                          gboolean           is_error);
const char *lanyard_entry_field_get_hint (LanyardEntryField *self);
GtkEntry   *lanyard_entry_field_get_entry (LanyardEntryField *self);

G_END_DECLS
