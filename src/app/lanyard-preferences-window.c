/* lanyard-preferences-window.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard.h"
#include "lanyard-preferences-window.h"
#include "lanyard-text.h"
#include "lanyard-window.h"

static const char * const redirect_hosts[] = { "localhost", "127.0.0.1" };

struct _LanyardPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesGroup  *provider_group;
  AdwPreferencesGroup  *request_group;
  AdwEntryRow          *authority_row;
  AdwEntryRow          *client_id_row;
  AdwEntryRow          *scopes_row;
  AdwComboRow          *redirect_host_row;
  GtkLabel             *authority_hint;

  GSettings            *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardPreferencesWindow, lanyard_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (LanyardPreferencesWindow *self,
       const char               *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), lanyard_toast_new (text));
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     is_error)
{
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static char *
current_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
authority_changed_cb (LanyardPreferencesWindow *self,
                      AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);
  g_autofree char *normalized = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *hint = NULL;

  if (lanyard_check_authority (text, &normalized, &problem))
    /* Translators: %s is a URL such as https://contoso.ciamlogin.com/contoso.onmicrosoft.com/ */
    hint = g_strdup_printf (_("Signs in at %s"), normalized);
  else if (*text == '\0')
    hint = g_strdup (_("Not set: Lanyard asks for it when it starts"));
  else
    hint = g_steal_pointer (&problem);

  set_row_error (row, *text != '\0' && normalized == NULL);
  gtk_label_set_text (self->authority_hint, hint ? hint : "");
}

static void
authority_apply_cb (LanyardPreferencesWindow *self,
                    AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);
  g_autofree char *problem = NULL;

  if (*text != '\0' && !lanyard_check_authority (text, NULL, &problem))
    {
      toast (self, problem ? problem : _("This is not a tenant or an authority URL"));
      return;
    }

  g_settings_set_string (self->settings, "authority", text);
}

static void
client_id_changed_cb (LanyardPreferencesWindow *self,
                      AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);

  set_row_error (row, *text != '\0' && !lanyard_check_client_id (text, NULL));
}

static void
client_id_apply_cb (LanyardPreferencesWindow *self,
                    AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);
  g_autofree char *problem = NULL;

  if (*text != '\0' && !lanyard_check_client_id (text, &problem))
    {
      toast (self, problem);
      return;
    }

  g_settings_set_string (self->settings, "client-id", text);
}

static void
scopes_changed_cb (LanyardPreferencesWindow *self,
                   AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);

  set_row_error (row, !lanyard_check_scopes (text, NULL));
}

static void
scopes_apply_cb (LanyardPreferencesWindow *self,
                 AdwEntryRow              *row)
{
  g_autofree char *text = current_text (row);
  g_auto(GStrv) scopes = NULL;
  g_autofree char *problem = NULL;

  if (!lanyard_check_scopes (text, &problem))
    {
      toast (self, problem);
      return;
    }

  scopes = lanyard_scopes_parse (text);
  g_settings_set_strv (self->settings, "scopes", (const char * const *)scopes);
}

static void
redirect_host_selected_cb (LanyardPreferencesWindow *self,
                           GParamSpec               *pspec,
                           AdwComboRow              *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->settings != NULL && selected < G_N_ELEMENTS (redirect_hosts))
    g_settings_set_string (self->settings, "redirect-host", redirect_hosts[selected]);
}

static void
describe_overrides (LanyardPreferencesWindow *self)
{
  static const char * const variables[] = {
    "LANYARD_AUTHORITY", "LANYARD_CLIENT_ID", "LANYARD_SCOPES", "LANYARD_REDIRECT_HOST",
  };
  g_autoptr(GString) set = g_string_new (NULL);

  if (self->settings == NULL)
    {
      adw_preferences_group_set_description (self->provider_group,
                                             _("These settings cannot be changed: the settings "
                                               "schema is not installed."));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      const char *value = g_getenv (variables[i]);

      if (value != NULL && *value != '\0')
        g_string_append_printf (set, "%s%s", set->len ? ", " : "", variables[i]);
    }

  if (set->len > 0)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is a list of environment variable names */
      description = g_strdup_printf (_("Set in the environment, and used instead of these "
                                       "settings: %s"), set->str);
      adw_preferences_group_set_description (self->provider_group, description);
    }
}

static void
load_settings (LanyardPreferencesWindow *self)
{
  g_autofree char *authority = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_host = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *scopes_text = NULL;

  describe_overrides (self);

  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->authority_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->client_id_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->request_group), FALSE);
      authority_changed_cb (self, self->authority_row);
      return;
    }

  authority = g_settings_get_string (self->settings, "authority");
  client_id = g_settings_get_string (self->settings, "client-id");
  scopes = g_settings_get_strv (self->settings, "scopes");
  scopes_text = g_strjoinv (" ", scopes);
  redirect_host = g_settings_get_string (self->settings, "redirect-host");

  gtk_editable_set_text (GTK_EDITABLE (self->authority_row), authority);
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
  gtk_editable_set_text (GTK_EDITABLE (self->scopes_row), scopes_text);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_hosts); i++)
    {
      if (g_str_equal (redirect_host, redirect_hosts[i]))
        adw_combo_row_set_selected (self->redirect_host_row, i);
    }

  /* After the text is in: an apply button only for the user's own edits. */
  adw_entry_row_set_show_apply_button (self->authority_row, TRUE);
  adw_entry_row_set_show_apply_button (self->client_id_row, TRUE);
  adw_entry_row_set_show_apply_button (self->scopes_row, TRUE);

  g_signal_connect_object (self->redirect_host_row, "notify::selected",
                           G_CALLBACK (redirect_host_selected_cb), self, G_CONNECT_SWAPPED);

  authority_changed_cb (self, self->authority_row);
}

static void
lanyard_preferences_window_constructed (GObject *object)
{
  LanyardPreferencesWindow *self = (LanyardPreferencesWindow *)object;

  G_OBJECT_CLASS (lanyard_preferences_window_parent_class)->constructed (object);

  load_settings (self);
}

static void
lanyard_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  LanyardPreferencesWindow *self = LANYARD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  LanyardPreferencesWindow *self = LANYARD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_preferences_window_dispose (GObject *object)
{
  LanyardPreferencesWindow *self = (LanyardPreferencesWindow *)object;

  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (lanyard_preferences_window_parent_class)->dispose (object);
}

static void
lanyard_preferences_window_class_init (LanyardPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lanyard_preferences_window_constructed;
  object_class->dispose = lanyard_preferences_window_dispose;
  object_class->get_property = lanyard_preferences_window_get_property;
  object_class->set_property = lanyard_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, provider_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, request_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, authority_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, redirect_host_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, authority_hint);
  gtk_widget_class_bind_template_callback (widget_class, authority_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, authority_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, client_id_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, client_id_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, scopes_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, scopes_apply_cb);
}

static void
lanyard_preferences_window_init (LanyardPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LanyardPreferencesWindow *
lanyard_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (LANYARD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
