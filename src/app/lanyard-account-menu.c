/* lanyard-account-menu.c — the header's account switcher
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * As GNOME account switchers do: the button shows who is signed in; its
 * popover lists the other accounts of this configuration (avatar, name,
 * username and provider; a click switches, offline), each with its own
 * Sign Out, then Add Another Account and Sign Out of the current one.
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-account-menu.h"

struct _LanyardAccountMenu
{
  AdwBin          parent_instance;

  GtkMenuButton  *button;
  AdwAvatar      *button_avatar;
  GtkLabel       *button_label;
  GtkPopover     *popover;
  GtkListBox     *others;
  GtkWidget      *others_box;

  LanyardSession *session;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardAccountMenu, lanyard_account_menu, ADW_TYPE_BIN)

static gboolean
is_current (LanyardAccountMenu *self,
            LanyardAccount     *account)
{
  LanyardAccount *current = lanyard_session_get_account (self->session);

  return current != NULL &&
         g_str_equal (lanyard_account_get_id (current), lanyard_account_get_id (account));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LanyardAccountMenu *self = user_data;
  LanyardAccount *account = item;
  const char *provider = lanyard_session_get_provider_name (self->session);
  /* The provider chose them: no control character or bidi override. */
  g_autofree char *name = lanyard_clean_text (lanyard_account_get_display_name (account));
  g_autofree char *username = lanyard_clean_text (lanyard_account_get_username (account));
  g_autofree char *subtitle = NULL;
  g_autofree char *sign_out_label = NULL;
  GtkWidget *row;
  GtkWidget *avatar;
  GtkWidget *sign_out;

  /* Translators: an account's username and its provider's host */
  subtitle = g_strdup_printf (_("%s · %s"), username, provider ? provider : "");

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.switch-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", lanyard_account_get_id (account));

  avatar = adw_avatar_new (32, name, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (avatar), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);

  /* Translators: %s is a person's name */
  sign_out_label = g_strdup_printf (_("Sign Out %s"), name);
  sign_out = g_object_new (GTK_TYPE_BUTTON,
                           "icon-name", "system-log-out-symbolic",
                           "tooltip-text", sign_out_label,
                           "valign", GTK_ALIGN_CENTER,
                           "action-name", "app.sign-out-account",
                           NULL);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (sign_out), "s", lanyard_account_get_id (account));
  gtk_widget_add_css_class (sign_out, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (sign_out),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sign_out_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sign_out);

  gtk_widget_set_visible (row, !is_current (self, account));

  return row;
}

static void
update (LanyardAccountMenu *self)
{
  LanyardAccount *current = lanyard_session_get_account (self->session);
  GListModel *accounts = lanyard_session_get_accounts (self->session);
  g_autofree char *name = NULL;
  g_autofree char *tooltip = NULL;
  gboolean any_other = FALSE;
  guint n = g_list_model_get_n_items (accounts);

  gtk_widget_set_visible (GTK_WIDGET (self), current != NULL);
  if (current == NULL)
    return;

  name = lanyard_clean_text (lanyard_account_get_display_name (current));
  adw_avatar_set_text (self->button_avatar, name);
  gtk_label_set_text (self->button_label, name);
  /* Translators: %s is the name of the person signed in */
  tooltip = g_strdup_printf (_("Signed in as %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanyardAccount) account = g_list_model_get_item (accounts, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->others, i);
      gboolean other = !is_current (self, account);

      if (row != NULL)
        gtk_widget_set_visible (GTK_WIDGET (row), other);
      any_other |= other;
    }

  gtk_widget_set_visible (self->others_box, any_other);
}

static void
session_changed_cb (LanyardAccountMenu *self)
{
  update (self);
}

/* A row or button used: the menu has done its job. */
static void
popdown_cb (LanyardAccountMenu *self)
{
  gtk_popover_popdown (self->popover);
}

/* No names, as for pages: tests see the menu open before they photograph it. */
static void
popover_visible_cb (LanyardAccountMenu *self)
{
  g_debug ("Account menu: %s", gtk_widget_get_visible (GTK_WIDGET (self->popover)) ? "open" : "closed");
}

static GtkWidget *
menu_button (const char *label,
             const char *action)
{
  GtkWidget *button = g_object_new (GTK_TYPE_BUTTON,
                                    "label", label,
                                    "use-underline", TRUE,
                                    "action-name", action,
                                    NULL);

  gtk_widget_add_css_class (button, "flat");
  gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0.0f);
  return button;
}

static void
lanyard_account_menu_constructed (GObject *object)
{
  LanyardAccountMenu *self = (LanyardAccountMenu *)object;
  GtkWidget *box;
  GtkWidget *button_box;
  GtkWidget *add;
  GtkWidget *sign_out;

  G_OBJECT_CLASS (lanyard_account_menu_parent_class)->constructed (object);

  g_assert (LANYARD_IS_SESSION (self->session));

  /* Avatar and name: who is signed in, at a glance and for a screen
   * reader (a button with only an image is read as "GtkImage"). */
  self->button_avatar = ADW_AVATAR (adw_avatar_new (24, NULL, TRUE));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->button_avatar),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  self->button_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->button_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->button_label, 14);
  button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->button_avatar));
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->button_label));

  self->others = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->others, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->others), "boxed-list");
  gtk_list_box_bind_model (self->others, lanyard_session_get_accounts (self->session),
                           create_row, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->others),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Other Accounts"), -1);
  g_signal_connect_object (self->others, "row-activated", G_CALLBACK (popdown_cb),
                           self, G_CONNECT_SWAPPED);

  self->others_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->others_box), GTK_WIDGET (self->others));
  gtk_box_append (GTK_BOX (self->others_box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  add = menu_button (_("_Add Another Account"), "app.add-account");
  sign_out = menu_button (_("Sign _Out"), "app.sign-out");
  g_signal_connect_object (add, "clicked", G_CALLBACK (popdown_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sign_out, "clicked", G_CALLBACK (popdown_cb), self, G_CONNECT_SWAPPED);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_size_request (box, 280, -1);
  gtk_box_append (GTK_BOX (box), self->others_box);
  gtk_box_append (GTK_BOX (box), add);
  gtk_box_append (GTK_BOX (box), sign_out);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, box);
  g_signal_connect_object (self->popover, "notify::visible", G_CALLBACK (popover_visible_cb),
                           self, G_CONNECT_SWAPPED);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_child (self->button, button_box);
  gtk_menu_button_set_popover (self->button, GTK_WIDGET (self->popover));
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));

  g_signal_connect_object (self->session, "notify::account", G_CALLBACK (session_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lanyard_session_get_accounts (self->session), "items-changed",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  update (self);
}

static void
lanyard_account_menu_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LanyardAccountMenu *self = LANYARD_ACCOUNT_MENU (object);

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
lanyard_account_menu_dispose (GObject *object)
{
  LanyardAccountMenu *self = (LanyardAccountMenu *)object;

  if (self->others != NULL)
    gtk_list_box_bind_model (self->others, NULL, NULL, NULL, NULL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lanyard_account_menu_parent_class)->dispose (object);
}

static void
lanyard_account_menu_class_init (LanyardAccountMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lanyard_account_menu_constructed;
  object_class->dispose = lanyard_account_menu_dispose;
  object_class->set_property = lanyard_account_menu_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         LANYARD_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_account_menu_init (LanyardAccountMenu *self)
{
}

GtkWidget *
lanyard_account_menu_new (LanyardSession *session)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (session), NULL);

  return g_object_new (LANYARD_TYPE_ACCOUNT_MENU, "session", session, NULL);
}
