/* lanyard-device-page.c — sign-in on another device: QR code, user code, countdown
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-device-page.h"
#include "lanyard-qr-paintable.h"

struct _LanyardDevicePage
{
  AdwBin             parent_instance;

  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkImage          *qr_image;
  GtkLabel          *uri_label;
  GtkLabel          *code_label;
  GtkButton         *copy_button;
  GtkLabel          *countdown_label;
  GtkButton         *new_code_button;

  LanyardDeviceCode *code;
  guint              countdown_id;
};

enum {
  PROP_0,
  PROP_CODE,
  PROP_EXPIRED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardDevicePage, lanyard_device_page, ADW_TYPE_BIN)

static void
set_visible_page (LanyardDevicePage *self,
                  const char        *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  /* Page names only, never the code: tests follow the page this way. */
  g_debug ("Device page: %s", name);
}

static gboolean
update_countdown (gpointer user_data)
{
  LanyardDevicePage *self = user_data;
  gint64 left = lanyard_device_code_get_expires_at (self->code) - g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  left = MAX (left, 0);
  /* Translators: the time left before the code expires, as minutes:seconds */
  text = g_strdup_printf (_("The code expires in %d:%02d"), (int) (left / 60), (int) (left % 60));
  gtk_label_set_label (self->countdown_label, text);

  if (left == 0)
    {
      /* The flow ends by itself at the same moment and says so. */
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
stop_countdown (LanyardDevicePage *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

void
lanyard_device_page_set_code (LanyardDevicePage *self,
                              LanyardDeviceCode *code)
{
  g_autoptr(LanyardQrPaintable) qr = NULL;

  g_return_if_fail (LANYARD_IS_DEVICE_PAGE (self));
  g_return_if_fail (code == NULL || LANYARD_IS_DEVICE_CODE (code));

  /* Kept on the expired page until a new code replaces it. */
  if (code == self->code)
    return;

  stop_countdown (self);
  g_set_object (&self->code, code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);

  if (code == NULL)
    {
      gtk_image_clear (self->qr_image);
      set_visible_page (self, "loading");
      return;
    }

  qr = lanyard_qr_paintable_new (lanyard_device_code_get_qr_uri (code));
  gtk_image_set_from_paintable (self->qr_image, GDK_PAINTABLE (qr));
  gtk_widget_set_visible (GTK_WIDGET (self->qr_image), qr != NULL);

  gtk_label_set_label (self->uri_label, lanyard_device_code_get_verification_uri (code));
  gtk_label_set_label (self->code_label, lanyard_device_code_get_user_code (code));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "s",
                                    lanyard_device_code_get_user_code (code));

  update_countdown (self);
  self->countdown_id = g_timeout_add_seconds (1, update_countdown, self);

  set_visible_page (self, "code");
}

LanyardDeviceCode *
lanyard_device_page_get_code (LanyardDevicePage *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_PAGE (self), NULL);
  return self->code;
}

void
lanyard_device_page_set_expired (LanyardDevicePage *self,
                                 gboolean           expired)
{
  g_return_if_fail (LANYARD_IS_DEVICE_PAGE (self));

  /* Not expired any more: a new code is on its way (set_code shows it). */
  if (!expired)
    return;

  stop_countdown (self);
  set_visible_page (self, "expired");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_code_button));
}

static void
lanyard_device_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LanyardDevicePage *self = LANYARD_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_object (value, self->code);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Written by the window's bindings to the session. */
static void
lanyard_device_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LanyardDevicePage *self = LANYARD_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      lanyard_device_page_set_code (self, g_value_get_object (value));
      break;

    case PROP_EXPIRED:
      lanyard_device_page_set_expired (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_device_page_dispose (GObject *object)
{
  LanyardDevicePage *self = LANYARD_DEVICE_PAGE (object);

  stop_countdown (self);
  g_clear_object (&self->code);

  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_DEVICE_PAGE);

  G_OBJECT_CLASS (lanyard_device_page_parent_class)->dispose (object);
}

static void
lanyard_device_page_class_init (LanyardDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_device_page_dispose;
  object_class->get_property = lanyard_device_page_get_property;
  object_class->set_property = lanyard_device_page_set_property;

  /* The code to show; NULL while it is asked for. */
  properties[PROP_CODE] =
    g_param_spec_object ("code", NULL, NULL,
                         LANYARD_TYPE_DEVICE_CODE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* It ran out: offer a new one. */
  properties[PROP_EXPIRED] =
    g_param_spec_boolean ("expired", NULL, NULL,
                          FALSE,
                          (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, stack);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, qr_image);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, uri_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardDevicePage, new_code_button);
}

static void
lanyard_device_page_init (LanyardDevicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_visible_page (self, "loading");
}
