/* lanyard-signed-out-page.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"
#include "lanyard-signed-out-page.h"

struct _LanyardSignedOutPage
{
  AdwBin         parent_instance;

  AdwStatusPage *status_page;
  GtkButton     *sign_in_button;
  GtkButton     *device_button;
  GtkWidget     *sign_up_button;
  GtkWidget     *keyring_box;

  char          *provider;
};

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_SIGN_UP_OFFERED,
  PROP_KEYRING_LOCKED,
  PROP_DEVICE_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardSignedOutPage, lanyard_signed_out_page, ADW_TYPE_BIN)

static void
update_description (LanyardSignedOutPage *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  /* The status page description is Pango markup. */
  if (self->provider != NULL && *self->provider != '\0')
    {
      escaped = g_markup_escape_text (self->provider, -1);
      /* Translators: %s is a host name such as contoso.ciamlogin.com */
      description = g_strdup_printf (_("Sign in at %s in your web browser. "
                                       "Lanyard never sees your password."),
                                     escaped);
    }
  else
    description = g_strdup (_("Sign in with your web browser. Lanyard never sees your password."));

  adw_status_page_set_description (self->status_page, description);
}

static void
lanyard_signed_out_page_map (GtkWidget *widget)
{
  LanyardSignedOutPage *self = LANYARD_SIGNED_OUT_PAGE (widget);

  GTK_WIDGET_CLASS (lanyard_signed_out_page_parent_class)->map (widget);

  /* Enter signs in right away. */
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

static void
lanyard_signed_out_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LanyardSignedOutPage *self = LANYARD_SIGNED_OUT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;

    case PROP_SIGN_UP_OFFERED:
      g_value_set_boolean (value, gtk_widget_get_visible (self->sign_up_button));
      break;

    case PROP_KEYRING_LOCKED:
      g_value_set_boolean (value, gtk_widget_get_visible (self->keyring_box));
      break;

    case PROP_DEVICE_SIGN_IN:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (self->device_button)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_signed_out_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LanyardSignedOutPage *self = LANYARD_SIGNED_OUT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      lanyard_signed_out_page_set_provider (self, g_value_get_string (value));
      break;

    case PROP_SIGN_UP_OFFERED:
      gtk_widget_set_visible (self->sign_up_button, g_value_get_boolean (value));
      break;

    case PROP_KEYRING_LOCKED:
      gtk_widget_set_visible (self->keyring_box, g_value_get_boolean (value));
      break;

    case PROP_DEVICE_SIGN_IN:
      gtk_widget_set_visible (GTK_WIDGET (self->device_button), g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_signed_out_page_dispose (GObject *object)
{
  /* status_page is the bin's own child: let AdwBin let go of it first, or
   * both AdwBin and the template would unparent it. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_SIGNED_OUT_PAGE);

  G_OBJECT_CLASS (lanyard_signed_out_page_parent_class)->dispose (object);
}

static void
lanyard_signed_out_page_finalize (GObject *object)
{
  LanyardSignedOutPage *self = (LanyardSignedOutPage *)object;

  g_clear_pointer (&self->provider, g_free);

  G_OBJECT_CLASS (lanyard_signed_out_page_parent_class)->finalize (object);
}

static void
lanyard_signed_out_page_class_init (LanyardSignedOutPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_signed_out_page_dispose;
  object_class->finalize = lanyard_signed_out_page_finalize;
  object_class->get_property = lanyard_signed_out_page_get_property;
  object_class->set_property = lanyard_signed_out_page_set_property;

  widget_class->map = lanyard_signed_out_page_map;

  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Create Account only where the provider supports it. */
  properties[PROP_SIGN_UP_OFFERED] =
    g_param_spec_boolean ("sign-up-offered", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /* Said in the page, not only in a toast that goes away. */
  properties[PROP_KEYRING_LOCKED] =
    g_param_spec_boolean ("keyring-locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /* Offered only where the provider has a device authorization endpoint
   * (and nothing runs). */
  properties[PROP_DEVICE_SIGN_IN] =
    g_param_spec_boolean ("device-sign-in", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-signed-out-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardSignedOutPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardSignedOutPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardSignedOutPage, device_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardSignedOutPage, sign_up_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardSignedOutPage, keyring_box);
}

static void
lanyard_signed_out_page_init (LanyardSignedOutPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lanyard_a11y_fix_mnemonics (GTK_WIDGET (self));
  lanyard_a11y_describe_from (GTK_WIDGET (self->status_page), "description");
  /* Also once Sign In is enabled, if it was not when the page appeared. */
  lanyard_a11y_focus_on_map (GTK_WIDGET (self), GTK_WIDGET (self->sign_in_button));
  update_description (self);
}

void
lanyard_signed_out_page_set_provider (LanyardSignedOutPage *self,
                                      const char           *provider)
{
  g_return_if_fail (LANYARD_IS_SIGNED_OUT_PAGE (self));

  if (g_strcmp0 (self->provider, provider) == 0)
    return;

  g_free (self->provider);
  self->provider = g_strdup (provider);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}
