/* lanyard-claim-row.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard.h"
#include "lanyard-a11y.h"
#include "lanyard-claim-row.h"
#include "lanyard-claims-descriptions.h"
#include "lanyard-text.h"

struct _LanyardClaimRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *name_label;
  GtkLabel      *value_label;
  GtkLabel      *description_label;
  GtkButton     *copy_button;

  char          *name;
  char          *value;
  char          *copy_value;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  PROP_COPY_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardClaimRow, lanyard_claim_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_scalar (JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      /* JSON's own words: the claim's value, not prose. */
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return g_strdup ("");
    }
}

char *
lanyard_claim_format_value (const char *name,
                            JsonNode   *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("null");

  if (JSON_NODE_HOLDS_VALUE (value))
    {
      if (lanyard_claim_is_timestamp (name) &&
          json_node_get_value_type (value) == G_TYPE_INT64)
        {
          gint64 when = json_node_get_int (value);
          g_autofree char *date = lanyard_format_timestamp (when);
          g_autofree char *relative = lanyard_format_relative_time (when, g_get_real_time () / G_USEC_PER_SEC);

          /* The seconds since 1970 are what Copy gives (see "copy-value"):
           * read aloud they are only a long number. */
          /* Translators: "<date> (<relative time>)" */
          return g_strdup_printf (_("%s (%s)"), date, relative);
        }

      return format_scalar (value);
    }

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      g_autoptr(GString) str = g_string_new (NULL);
      guint len = json_array_get_length (array);

      for (guint i = 0; i < len; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *text = NULL;

          if (!JSON_NODE_HOLDS_VALUE (element))
            return lanyard_output_json (value, FALSE);

          text = format_scalar (element);
          if (i > 0)
            g_string_append (str, ", ");
          g_string_append (str, text);
        }

      return g_string_free (g_steal_pointer (&str), FALSE);
    }

  return lanyard_output_json (value, FALSE);
}

static void
update_accessible (LanyardClaimRow *self)
{
  const char *description = gtk_label_get_text (self->description_label);
  g_autofree char *label = NULL;
  g_autofree char *copy_label = NULL;
  g_autofree char *copy_tooltip = NULL;
  g_autofree char *copy_description = NULL;

  /* Translators: read by screen readers: "<claim>: <value>. <explanation>" */
  label = g_strdup_printf (_("%s: %s. %s"),
                           self->name ? self->name : "",
                           self->value ? self->value : "",
                           description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  /* The copy button is the claim's one keyboard stop: named after the claim
   * (nine "Copy Value" buttons are nine times the same words), with what the
   * claim says as its description, read after the name. The tooltip would
   * be the description otherwise: set it first. */
  /* Translators: a tooltip; %s is a claim such as “email” */
  copy_tooltip = g_strdup_printf (_("Copy the value of “%s”"), self->name ? self->name : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), copy_tooltip);
  /* Translators: a button's name for screen readers; %s is a claim such as “email” */
  copy_label = g_strdup_printf (_("Copy %s"), self->name ? self->name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label,
                                  -1);
  /* Translators: read after “Copy <claim>”: "<value>. <explanation>" */
  copy_description = g_strdup_printf (_("%s. %s"), self->value ? self->value : "", description);
  lanyard_a11y_set_description (GTK_WIDGET (self->copy_button), copy_description);
}

static void
lanyard_claim_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LanyardClaimRow *self = LANYARD_CLAIM_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_COPY_VALUE:
      g_value_set_string (value, self->copy_value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_claim_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LanyardClaimRow *self = LANYARD_CLAIM_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;

    case PROP_VALUE:
      g_free (self->value);
      self->value = g_value_dup_string (value);
      break;

    case PROP_COPY_VALUE:
      g_free (self->copy_value);
      self->copy_value = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_claim_row_constructed (GObject *object)
{
  LanyardClaimRow *self = (LanyardClaimRow *)object;
  const char *description;

  G_OBJECT_CLASS (lanyard_claim_row_parent_class)->constructed (object);

  description = lanyard_claim_get_description (self->name);
  if (description == NULL)
    description = _("Specific to this provider or application");

  gtk_label_set_text (self->name_label, self->name);
  gtk_label_set_text (self->value_label, self->value);
  gtk_label_set_text (self->description_label, description);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "s",
                                    self->copy_value ? self->copy_value
                                                     : self->value ? self->value : "");

  update_accessible (self);
}

static void
lanyard_claim_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_CLAIM_ROW);

  G_OBJECT_CLASS (lanyard_claim_row_parent_class)->dispose (object);
}

static void
lanyard_claim_row_finalize (GObject *object)
{
  LanyardClaimRow *self = (LanyardClaimRow *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->copy_value, g_free);

  G_OBJECT_CLASS (lanyard_claim_row_parent_class)->finalize (object);
}

static void
lanyard_claim_row_class_init (LanyardClaimRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lanyard_claim_row_constructed;
  object_class->dispose = lanyard_claim_row_dispose;
  object_class->finalize = lanyard_claim_row_finalize;
  object_class->get_property = lanyard_claim_row_get_property;
  object_class->set_property = lanyard_claim_row_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* What Copy puts on the clipboard: the claim as sent (a timestamp's
   * seconds), where "value" is for reading. NULL: the value. */
  properties[PROP_COPY_VALUE] =
    g_param_spec_string ("copy-value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-claim-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardClaimRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardClaimRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardClaimRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardClaimRow, copy_button);
}

static void
lanyard_claim_row_init (LanyardClaimRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a keyboard stop: Copy is, and says the value. (A selectable label
   * cannot just be made unfocusable: GTK 4.8's label then swallows Tab.) */
  gtk_label_set_selectable (self->value_label, FALSE);
}

GtkWidget *
lanyard_claim_row_new (const char *name,
                       JsonNode   *value)
{
  g_autofree char *text = NULL;
  g_autofree char *clean_name = NULL;
  g_autofree char *clean_text = NULL;
  g_autofree char *raw = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* The provider wrote both: no control character or bidi override may
   * reorder or hide what the row says (nor reach the clipboard). */
  text = lanyard_claim_format_value (name, value);
  clean_name = lanyard_clean_text (name);
  clean_text = lanyard_clean_text (text);
  /* A timestamp's seconds are digits only: nothing to clean. */
  if (lanyard_claim_is_timestamp (name) && value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_INT64)
    raw = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

  return g_object_new (LANYARD_TYPE_CLAIM_ROW,
                       "name", clean_name,
                       "value", clean_text,
                       "copy-value", raw,
                       NULL);
}

const char *
lanyard_claim_row_get_name (LanyardClaimRow *self)
{
  g_return_val_if_fail (LANYARD_IS_CLAIM_ROW (self), NULL);

  return self->name;
}

const char *
lanyard_claim_row_get_value (LanyardClaimRow *self)
{
  g_return_val_if_fail (LANYARD_IS_CLAIM_ROW (self), NULL);

  return self->value;
}
