/* lanyard-entry-field.c — a titled text field whose focus screen readers hear
 *
 * libadwaita 1.2's AdwEntryRow on GTK 4.8 reports no focus over AT-SPI when
 * tabbed into (its text is not its direct child, which is what GTK 4.8 needs
 * to report the focus on the editable): a blind person cannot tell they are
 * in the field. A GtkEntry does report it. This is a title, an entry
 * labelled by it, and a hint line that is also its description; it is a
 * GtkEditable (delegating to the entry), so code written for an entry row
 * reads and sets its text and hears "changed" the same way.
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include "lanyard-a11y.h"
#include "lanyard-entry-field.h"

struct _LanyardEntryField
{
  GtkBox    parent_instance;

  GtkLabel *title_label;
  GtkEntry *entry;
  GtkLabel *hint_label;
  gboolean  finished;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_INPUT_PURPOSE,
  N_PROPS
};

enum {
  ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void editable_iface_init (GtkEditableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardEntryField, lanyard_entry_field, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_EDITABLE, editable_iface_init))

static GtkEditable *
get_delegate (GtkEditable *editable)
{
  return GTK_EDITABLE (LANYARD_ENTRY_FIELD (editable)->entry);
}

static void
editable_iface_init (GtkEditableInterface *iface)
{
  iface->get_delegate = get_delegate;
}

static void
entry_activate_cb (LanyardEntryField *self,
                   GtkEntry          *entry)
{
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static gboolean
lanyard_entry_field_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (LANYARD_ENTRY_FIELD (widget)->entry));
}

static void
lanyard_entry_field_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LanyardEntryField *self = LANYARD_ENTRY_FIELD (object);

  if (gtk_editable_delegate_get_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_text (self->title_label));
      break;

    case PROP_INPUT_PURPOSE:
      g_value_set_enum (value, gtk_entry_get_input_purpose (self->entry));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_entry_field_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LanyardEntryField *self = LANYARD_ENTRY_FIELD (object);

  if (gtk_editable_delegate_set_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_TITLE:
      gtk_label_set_text (self->title_label, g_value_get_string (value));
      break;

    case PROP_INPUT_PURPOSE:
      gtk_entry_set_input_purpose (self->entry, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_entry_field_dispose (GObject *object)
{
  LanyardEntryField *self = LANYARD_ENTRY_FIELD (object);

  if (!self->finished)
    {
      gtk_editable_finish_delegate (GTK_EDITABLE (self));
      self->finished = TRUE;
    }

  G_OBJECT_CLASS (lanyard_entry_field_parent_class)->dispose (object);
}

/* The entry outlives dispose: code that reads the text while a window is
 * torn down (as it could from an entry row) still gets it. */
static void
lanyard_entry_field_finalize (GObject *object)
{
  LanyardEntryField *self = LANYARD_ENTRY_FIELD (object);

  g_clear_object (&self->entry);

  G_OBJECT_CLASS (lanyard_entry_field_parent_class)->finalize (object);
}

static void
lanyard_entry_field_class_init (LanyardEntryFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_entry_field_dispose;
  object_class->finalize = lanyard_entry_field_finalize;
  object_class->get_property = lanyard_entry_field_get_property;
  object_class->set_property = lanyard_entry_field_set_property;

  widget_class->grab_focus = lanyard_entry_field_grab_focus;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_INPUT_PURPOSE] =
    g_param_spec_enum ("input-purpose", NULL, NULL,
                       GTK_TYPE_INPUT_PURPOSE, GTK_INPUT_PURPOSE_FREE_FORM,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_editable_install_properties (object_class, N_PROPS);

  /* Enter in the field. */
  signals[ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lanyard_entry_field_init (LanyardEntryField *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_label_set_wrap (self->title_label, TRUE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->title_label));

  self->entry = g_object_ref_sink (GTK_ENTRY (gtk_entry_new ()));
  gtk_entry_set_activates_default (self->entry, FALSE);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->entry));
  /* The mnemonic widget relation names the entry after the title. */
  gtk_label_set_mnemonic_widget (self->title_label, GTK_WIDGET (self->entry));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);

  self->hint_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->hint_label, 0);
  gtk_label_set_wrap (self->hint_label, TRUE);
  gtk_label_set_wrap_mode (self->hint_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->hint_label));

  gtk_editable_init_delegate (GTK_EDITABLE (self));
}

GtkWidget *
lanyard_entry_field_new (void)
{
  return g_object_new (LANYARD_TYPE_ENTRY_FIELD, NULL);
}

void
lanyard_entry_field_set_hint (LanyardEntryField *self,
                              const char        *hint,
                              gboolean           is_error)
{
  gboolean shown;

  g_return_if_fail (LANYARD_IS_ENTRY_FIELD (self));

  shown = hint != NULL && *hint != '\0';
  gtk_label_set_text (self->hint_label, shown ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), shown);

  if (is_error && shown)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
    }

  /* Read with the field, not only linked to it. */
  lanyard_a11y_set_description (GTK_WIDGET (self->entry), shown ? hint : NULL);
  if (shown)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->hint_label, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               is_error && shown ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

const char *
lanyard_entry_field_get_hint (LanyardEntryField *self)
{
  g_return_val_if_fail (LANYARD_IS_ENTRY_FIELD (self), NULL);

  return gtk_label_get_text (self->hint_label);
}

GtkEntry *
lanyard_entry_field_get_entry (LanyardEntryField *self)
{
  g_return_val_if_fail (LANYARD_IS_ENTRY_FIELD (self), NULL);

  return self->entry;
}
