/* lanyard-setup-page.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"
#include "lanyard-entry-field.h"
#include "lanyard-setup-page.h"
#include "lanyard-text.h"

/* The demo provider's client (tests/idp/idp.mjs) unless told otherwise. */
#define DEMO_CLIENT_ID "dev.lanyard.Lanyard.Test"

struct _LanyardSetupPage
{
  AdwBin       parent_instance;

  LanyardEntryField *authority_row;
  LanyardEntryField *client_id_row;
  GtkButton   *continue_button;
  GtkButton   *demo_button;
};

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum {
  SUBMITTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LanyardSetupPage, lanyard_setup_page, ADW_TYPE_BIN)

static void
validate (LanyardSetupPage *self)
{
  g_autofree char *normalized = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *id_problem = NULL;
  const char *authority = gtk_editable_get_text (GTK_EDITABLE (self->authority_row));
  const char *client_id = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
  gboolean authority_ok;
  gboolean client_id_ok;

  authority_ok = lanyard_check_authority (authority, &normalized, &problem);
  if (*authority == '\0')
    lanyard_entry_field_set_hint (self->authority_row,
                                  _("For Microsoft Entra External ID, your tenant’s subdomain: "
                                    "“contoso” for contoso.ciamlogin.com. For other providers, "
                                    "the issuer URL."),
                                  FALSE);
  else if (authority_ok)
    {
      /* Translators: %s is a URL such as https://contoso.ciamlogin.com/contoso.onmicrosoft.com/ */
      g_autofree char *hint = g_strdup_printf (_("Signs in at %s"), normalized);
      lanyard_entry_field_set_hint (self->authority_row, hint, FALSE);
    }
  else
    lanyard_entry_field_set_hint (self->authority_row, problem, problem != NULL);

  client_id_ok = lanyard_check_client_id (client_id, &id_problem);
  if (*client_id == '\0')
    lanyard_entry_field_set_hint (self->client_id_row,
                                  _("Shown on the application’s overview page where you "
                                    "registered it, such as the Microsoft Entra admin center."),
                                  FALSE);
  else
    lanyard_entry_field_set_hint (self->client_id_row, id_problem, id_problem != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), authority_ok && client_id_ok);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
row_changed_cb (LanyardSetupPage *self,
                GtkEditable      *editable)
{
  /* Being torn down, a field's text is cleared too: nothing to check then. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) ||
      self->authority_row == NULL || self->client_id_row == NULL)
    return;

  validate (self);
}

static void
submit (LanyardSetupPage *self)
{
  if (lanyard_setup_page_get_valid (self))
    g_signal_emit (self, signals[SUBMITTED], 0);
}

static void
entry_activated_cb (LanyardSetupPage  *self,
                    LanyardEntryField *row)
{
  if (row == self->authority_row &&
      *gtk_editable_get_text (GTK_EDITABLE (self->client_id_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->client_id_row));
  else
    submit (self);
}

static void
continue_clicked_cb (LanyardSetupPage *self,
                     GtkButton        *button)
{
  submit (self);
}

static void
demo_clicked_cb (LanyardSetupPage *self,
                 GtkButton        *button)
{
  const char *authority = g_getenv ("LANYARD_DEMO_AUTHORITY");
  const char *client_id = g_getenv ("LANYARD_DEMO_CLIENT_ID");

  if (client_id == NULL || *client_id == '\0')
    client_id = DEMO_CLIENT_ID;

  lanyard_setup_page_set_values (self, authority, client_id);
  submit (self);
}

static void
lanyard_setup_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LanyardSetupPage *self = LANYARD_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, lanyard_setup_page_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_setup_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_SETUP_PAGE);

  G_OBJECT_CLASS (lanyard_setup_page_parent_class)->dispose (object);
}

static void
lanyard_setup_page_class_init (LanyardSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_setup_page_dispose;
  object_class->get_property = lanyard_setup_page_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SUBMITTED] =
    g_signal_new ("submitted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (LANYARD_TYPE_ENTRY_FIELD);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardSetupPage, authority_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardSetupPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardSetupPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardSetupPage, demo_button);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, demo_clicked_cb);
}

static void
lanyard_setup_page_init (LanyardSetupPage *self)
{
  const char *demo;

  gtk_widget_init_template (GTK_WIDGET (self));
  lanyard_a11y_fix_mnemonics (GTK_WIDGET (self));

  /* The demo command (build-aux/run-demo.sh) exports where its provider runs. */
  demo = g_getenv ("LANYARD_DEMO_AUTHORITY");
  gtk_widget_set_visible (GTK_WIDGET (self->demo_button), demo != NULL && *demo != '\0');

  validate (self);
}

const char *
lanyard_setup_page_get_authority (LanyardSetupPage *self)
{
  g_return_val_if_fail (LANYARD_IS_SETUP_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->authority_row));
}

const char *
lanyard_setup_page_get_client_id (LanyardSetupPage *self)
{
  g_return_val_if_fail (LANYARD_IS_SETUP_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
}

void
lanyard_setup_page_set_values (LanyardSetupPage *self,
                               const char       *authority,
                               const char       *client_id)
{
  g_return_if_fail (LANYARD_IS_SETUP_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->authority_row), authority ? authority : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id ? client_id : "");
  validate (self);
}

gboolean
lanyard_setup_page_get_valid (LanyardSetupPage *self)
{
  g_return_val_if_fail (LANYARD_IS_SETUP_PAGE (self), FALSE);

  return lanyard_check_authority (lanyard_setup_page_get_authority (self), NULL, NULL) &&
         lanyard_check_client_id (lanyard_setup_page_get_client_id (self), NULL);
}

void
lanyard_setup_page_focus (LanyardSetupPage *self)
{
  g_return_if_fail (LANYARD_IS_SETUP_PAGE (self));

  if (*lanyard_setup_page_get_authority (self) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->authority_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->client_id_row));
}
