/* lanyard-window.c — the view of a LanyardSession
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything the window shows follows the session's properties; everything
 * the person does goes to the session through app.* actions. What stays
 * here is view state: the page transitions, toasts, the window size.
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"
#include "lanyard-account-menu.h"
#include "lanyard-account-page.h"
#include "lanyard-setup-page.h"
#include "lanyard-signed-out-page.h"
#include "lanyard-waiting-page.h"
#include "lanyard-device-page.h"
#include "lanyard-toast.h"
#include "lanyard-window.h"

struct _LanyardWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkSpinner           *busy_spinner;
  GtkStack             *stack;
  LanyardSetupPage     *setup_page;
  LanyardSignedOutPage *signed_out_page;
  LanyardWaitingPage   *waiting_page;
  LanyardDevicePage    *device_page;
  LanyardAccountPage   *account_page;

  LanyardSession       *session;
  LanyardSessionState   state;
  /* The toast about the keyring, until it is dismissed or stale. */
  AdwToast             *keyring_toast;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardWindow, lanyard_window, ADW_TYPE_APPLICATION_WINDOW)

/* Toasts ------------------------------------------------------------------- */

static void
keyring_toast_dismissed_cb (LanyardWindow *self,
                            AdwToast      *toast)
{
  if (self->keyring_toast == toast)
    g_clear_object (&self->keyring_toast);
}

/* What such a toast says is out of date once the person acts on it. */
static void
dismiss_keyring_toast (LanyardWindow *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->keyring_toast);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

static void
message_cb (LanyardWindow       *self,
            const char          *text,
            const char          *button,
            const char          *action,
            GVariant            *target,
            LanyardMessageFlags  flags,
            LanyardSession      *session)
{
  AdwToast *toast = lanyard_message_toast_new (text, button, action, target, flags);

  lanyard_toast_fit (toast, GTK_WIDGET (self));

  /* One keyring toast at a time: a newer one replaces the older. */
  if (flags & LANYARD_MESSAGE_KEYRING)
    {
      dismiss_keyring_toast (self);
      self->keyring_toast = g_object_ref (toast);
      g_signal_connect_object (toast, "dismissed",
                               G_CALLBACK (keyring_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
    }

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Following the session ---------------------------------------------------- */

static void
state_changed_cb (LanyardWindow  *self,
                  GParamSpec     *pspec,
                  LanyardSession *session)
{
  LanyardSessionState state = lanyard_session_get_state (session);
  LanyardSessionState old = self->state;
  g_autoptr(GEnumClass) states = g_type_class_ref (LANYARD_TYPE_SESSION_STATE);
  const char *page = g_enum_get_value (states, state)->value_nick;

  self->state = state;

  if (state == LANYARD_SESSION_STATE_SETUP)
    {
      const LanyardConfig *config = lanyard_session_get_config (session);

      lanyard_setup_page_set_values (self->setup_page, config->authority, config->client_id);
    }

  /* Acting on the account makes what a keyring toast said stale. */
  if (state == LANYARD_SESSION_STATE_WAITING || state == LANYARD_SESSION_STATE_DEVICE)
    dismiss_keyring_toast (self);

  gtk_stack_set_visible_child_name (self->stack, page);
  /* Page names only, never account data: tests and bug reports follow the
   * window with G_MESSAGES_DEBUG=lanyard-app. */
  if (old != state)
    g_debug ("Page: %s", page);

  if (state == LANYARD_SESSION_STATE_SETUP)
    lanyard_setup_page_focus (self->setup_page);

  /* The person was in the browser; bring them back. */
  if ((old == LANYARD_SESSION_STATE_WAITING || old == LANYARD_SESSION_STATE_DEVICE) &&
      state == LANYARD_SESSION_STATE_SIGNED_IN)
    gtk_window_present (GTK_WINDOW (self));
}

static void
busy_changed_cb (LanyardWindow  *self,
                 GParamSpec     *pspec,
                 LanyardSession *session)
{
  /* Acting on the account makes what a keyring toast said stale. */
  if (lanyard_session_get_busy (session))
    dismiss_keyring_toast (self);
}

static void
browser_error_changed_cb (LanyardWindow  *self,
                          GParamSpec     *pspec,
                          LanyardSession *session)
{
  /* The person has to act in this window now (the page shows the link). */
  if (lanyard_session_get_browser_error (session) != NULL)
    gtk_window_present (GTK_WINDOW (self));
}

static void
setup_submitted_cb (LanyardWindow    *self,
                    LanyardSetupPage *page)
{
  lanyard_session_setup (self->session,
                         lanyard_setup_page_get_authority (page),
                         lanyard_setup_page_get_client_id (page));
}

/* Window actions ----------------------------------------------------------- */

static void
copy_text (LanyardWindow *self,
           const char    *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  AdwToast *toast = lanyard_toast_new (_("Copied to clipboard"));

  lanyard_toast_fit (toast, GTK_WIDGET (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  copy_text (LANYARD_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* GObject ------------------------------------------------------------------ */

static gboolean
lanyard_window_close_request (GtkWindow *window)
{
  LanyardWindow *self = LANYARD_WINDOW (window);
  GSettings *settings = lanyard_session_get_settings (self->session);
  int width;
  int height;

  if (settings != NULL && !gtk_window_is_maximized (window))
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (lanyard_window_parent_class)->close_request (window);
}

static void
lanyard_window_constructed (GObject *object)
{
  LanyardWindow *self = (LanyardWindow *)object;
  GSettings *settings;
  /* The view follows the session: what a page shows is bound to it. */
  static const struct {
    const char *property;
    gsize       widget;   /* the template child's offset */
    const char *widget_property;
  } bindings[] = {
    { "busy", G_STRUCT_OFFSET (LanyardWindow, busy_spinner), "visible" },
    { "busy", G_STRUCT_OFFSET (LanyardWindow, busy_spinner), "spinning" },
    { "provider-name", G_STRUCT_OFFSET (LanyardWindow, window_title), "subtitle" },
    { "provider-name", G_STRUCT_OFFSET (LanyardWindow, signed_out_page), "provider" },
    { "supports-sign-up", G_STRUCT_OFFSET (LanyardWindow, signed_out_page), "sign-up-offered" },
    { "keyring-locked", G_STRUCT_OFFSET (LanyardWindow, signed_out_page), "keyring-locked" },
    { "can-sign-in-device", G_STRUCT_OFFSET (LanyardWindow, signed_out_page), "device-sign-in" },
    { "device-code", G_STRUCT_OFFSET (LanyardWindow, device_page), "code" },
    { "device-expired", G_STRUCT_OFFSET (LanyardWindow, device_page), "expired" },
    /* Notified again for the same account when its tokens change. */
    { "account", G_STRUCT_OFFSET (LanyardWindow, account_page), "account" },
  };
  /* What is not a property of a page. */
  static const struct {
    const char *signal;
    void      (*callback) (LanyardWindow *, GParamSpec *, LanyardSession *);
  } follow[] = {
    { "notify::state", state_changed_cb },
    { "notify::busy", busy_changed_cb },
    { "notify::browser-error", browser_error_changed_cb },
  };

  G_OBJECT_CLASS (lanyard_window_parent_class)->constructed (object);

  g_assert (LANYARD_IS_SESSION (self->session));

  /* From the construct-only session: GtkWindow:application is not set yet
   * here (it is not a construct property). */
  settings = lanyard_session_get_settings (self->session);
  if (settings != NULL)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 g_settings_get_int (settings, "window-width"),
                                 g_settings_get_int (settings, "window-height"));

  adw_header_bar_pack_start (self->header_bar, lanyard_account_menu_new (self->session));

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_object_bind_property (self->session, bindings[i].property,
                            G_STRUCT_MEMBER (GObject *, self, bindings[i].widget),
                            bindings[i].widget_property, G_BINDING_SYNC_CREATE);
  lanyard_account_page_set_api_model (self->account_page, lanyard_session_get_api (self->session));
  lanyard_waiting_page_set_session (self->waiting_page, self->session);

  self->state = LANYARD_SESSION_STATE_LOADING;
  for (guint i = 0; i < G_N_ELEMENTS (follow); i++)
    {
      g_signal_connect_object (self->session, follow[i].signal, G_CALLBACK (follow[i].callback),
                               self, G_CONNECT_SWAPPED);
      follow[i].callback (self, NULL, self->session);
    }
  g_signal_connect_object (self->session, "message", G_CALLBACK (message_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
lanyard_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LanyardWindow *self = LANYARD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LanyardWindow *self = LANYARD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_window_dispose (GObject *object)
{
  LanyardWindow *self = (LanyardWindow *)object;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->keyring_toast);

  gtk_widget_dispose_template (GTK_WIDGET (self), LANYARD_TYPE_WINDOW);

  G_OBJECT_CLASS (lanyard_window_parent_class)->dispose (object);
}

static void
lanyard_window_class_init (LanyardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lanyard_window_constructed;
  object_class->dispose = lanyard_window_dispose;
  object_class->get_property = lanyard_window_get_property;
  object_class->set_property = lanyard_window_set_property;

  window_class->close_request = lanyard_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         LANYARD_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LANYARD_TYPE_ACCOUNT_PAGE);
  g_type_ensure (LANYARD_TYPE_SETUP_PAGE);
  g_type_ensure (LANYARD_TYPE_SIGNED_OUT_PAGE);
  g_type_ensure (LANYARD_TYPE_WAITING_PAGE);
  g_type_ensure (LANYARD_TYPE_DEVICE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, signed_out_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, device_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, account_page);
  gtk_widget_class_bind_template_callback (widget_class, setup_submitted_cb);

  gtk_widget_class_install_action (widget_class, "win.copy-text", "s", copy_text_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
lanyard_window_init (LanyardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LanyardWindow *
lanyard_window_new (LanyardApplication *application,
                    LanyardSession     *session)
{
  g_return_val_if_fail (LANYARD_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LANYARD_IS_SESSION (session), NULL);

  return g_object_new (LANYARD_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}
