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
#include "lanyard-a11y.h"
#include "lanyard-api-settings.h"
#include "lanyard-entry-field.h"
#include "lanyard-preferences-window.h"
#include "lanyard-text.h"

static const char * const redirect_hosts[] = { "localhost", "127.0.0.1" };

struct _LanyardPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesGroup  *provider_group;
  AdwPreferencesGroup  *request_group;
  LanyardEntryField    *authority_row;
  LanyardEntryField    *client_id_row;
  LanyardEntryField    *scopes_row;
  AdwComboRow          *redirect_host_row;
  LanyardEntryField    *graph_url_row;
  LanyardEntryField    *api_url_row;
  LanyardEntryField    *api_scopes_row;

  GSettings            *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardPreferencesWindow, lanyard_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Each field, its key and the variable that overrides it: edits apply when
 * the person presses Enter or leaves the field, and a problem is said under
 * the field (a toast would not be read out). */
typedef enum {
  FIELD_AUTHORITY,
  FIELD_CLIENT_ID,
  FIELD_SCOPES,
  FIELD_GRAPH_URL,
  FIELD_API_URL,
  FIELD_API_SCOPES,
  N_FIELDS
} Field;

static const struct {
  const char *key;
  const char *variable;
} fields[] = {
  [FIELD_AUTHORITY] = { "authority", "LANYARD_AUTHORITY" },
  [FIELD_CLIENT_ID] = { "client-id", "LANYARD_CLIENT_ID" },
  [FIELD_SCOPES] = { "scopes", "LANYARD_SCOPES" },
  [FIELD_GRAPH_URL] = { "graph-url", "LANYARD_GRAPH_URL" },
  [FIELD_API_URL] = { "api-url", "LANYARD_API_URL" },
  [FIELD_API_SCOPES] = { "api-scopes", "LANYARD_API_SCOPES" },
};

/* While the window is torn down its template children go first, and the
 * fields lose the focus and their text: nothing to say or save then. */
static gboolean
torn_down (LanyardPreferencesWindow *self)
{
  return self->authority_row == NULL || self->client_id_row == NULL || self->scopes_row == NULL ||
         self->graph_url_row == NULL || self->api_url_row == NULL || self->api_scopes_row == NULL ||
         gtk_widget_in_destruction (GTK_WIDGET (self));
}

static LanyardEntryField *
field_row (LanyardPreferencesWindow *self,
           Field                     field)
{
  switch (field)
    {
    case FIELD_AUTHORITY: return self->authority_row;
    case FIELD_CLIENT_ID: return self->client_id_row;
    case FIELD_GRAPH_URL: return self->graph_url_row;
    case FIELD_API_URL:   return self->api_url_row;
    case FIELD_API_SCOPES: return self->api_scopes_row;
    case FIELD_SCOPES:
    case N_FIELDS:
    default:              return self->scopes_row;
    }
}

static const char *
overriding_value (Field field)
{
  const char *value = g_getenv (fields[field].variable);

  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
current_text (LanyardEntryField *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The line under a field: what the text means, or what is wrong with it.
 * Returns whether the text can be saved. */
static gboolean
describe (LanyardPreferencesWindow *self,
          Field                     field)
{
  LanyardEntryField *row = field_row (self, field);
  g_autofree char *text = current_text (row);
  g_autofree char *normalized = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *hint = NULL;
  gboolean ok;

  if (overriding_value (field) != NULL)
    {
      /* Translators: %s is an environment variable name such as LANYARD_AUTHORITY */
      hint = g_strdup_printf (_("Set by %s in the environment, which Lanyard uses instead of "
                                "this setting"), fields[field].variable);
      lanyard_entry_field_set_hint (row, hint, FALSE);
      return FALSE;
    }

  switch (field)
    {
    case FIELD_AUTHORITY:
      ok = *text == '\0' || lanyard_check_authority (text, &normalized, &problem);
      if (normalized != NULL)
        /* Translators: %s is a URL such as https://contoso.ciamlogin.com/contoso.onmicrosoft.com/ */
        hint = g_strdup_printf (_("Signs in at %s"), normalized);
      else if (*text == '\0')
        hint = g_strdup (_("Not set: Lanyard asks for it when it starts"));
      break;

    case FIELD_CLIENT_ID:
      ok = *text == '\0' || lanyard_check_client_id (text, &problem);
      if (ok)
        hint = g_strdup (_("Shown on the application’s overview page where you registered it, "
                           "such as the Microsoft Entra admin center."));
      break;

    case FIELD_GRAPH_URL:
      ok = *text == '\0' || lanyard_check_api_url (text, &problem);
      if (ok)
        {
          g_autofree char *me = lanyard_api_settings_graph_me_url (*text ? text : LANYARD_DEFAULT_GRAPH_URL);

          /* Translators: %s is a URL such as https://graph.microsoft.com/v1.0/me */
          hint = g_strdup_printf (_("For Microsoft Entra accounts, See Profile asks %s"), me);
        }
      break;

    case FIELD_API_URL:
      ok = *text == '\0' || lanyard_check_api_url (text, &problem);
      if (ok)
        hint = g_strdup (*text == '\0'
                         ? _("Not set: the signed-in page offers no Call")
                         : _("The signed-in page offers Call for this address, with your access token"));
      break;

    case FIELD_API_SCOPES:
      ok = lanyard_check_api_scopes (text, &problem);
      if (ok)
        hint = g_strdup (_("Separated by spaces, such as api://contoso-api/read; asked for at the next "
                           "sign-in, and what lanyard-cli api uses by default"));
      break;

    case FIELD_SCOPES:
    case N_FIELDS:
    default:
      ok = lanyard_check_scopes (text, &problem);
      if (ok)
        hint = g_strdup (_("Separated by spaces; “openid” is needed to sign in. Used from the "
                           "next sign-in on."));
      break;
    }

  lanyard_entry_field_set_hint (row, ok ? hint : problem, !ok);
  return ok;
}

static void
apply (LanyardPreferencesWindow *self,
       Field                     field)
{
  LanyardEntryField *row = field_row (self, field);
  g_autofree char *text = current_text (row);
  g_autofree char *stored = NULL;

  if (self->settings == NULL || !describe (self, field))
    return;

  if (field == FIELD_SCOPES || field == FIELD_API_SCOPES)
    {
      g_auto(GStrv) scopes = lanyard_scopes_parse (text);
      g_auto(GStrv) old = g_settings_get_strv (self->settings, fields[field].key);

      if (!g_strv_equal ((const char * const *) scopes, (const char * const *) old))
        g_settings_set_strv (self->settings, fields[field].key, (const char * const *) scopes);
      return;
    }

  stored = g_settings_get_string (self->settings, fields[field].key);
  if (!g_str_equal (stored, text))
    g_settings_set_string (self->settings, fields[field].key, text);
}

static Field
field_of (LanyardPreferencesWindow *self,
          LanyardEntryField        *row)
{
  if (row == self->authority_row)
    return FIELD_AUTHORITY;
  if (row == self->client_id_row)
    return FIELD_CLIENT_ID;
  if (row == self->graph_url_row)
    return FIELD_GRAPH_URL;
  if (row == self->api_url_row)
    return FIELD_API_URL;
  if (row == self->api_scopes_row)
    return FIELD_API_SCOPES;
  return FIELD_SCOPES;
}

static void
field_changed_cb (LanyardPreferencesWindow *self,
                  LanyardEntryField        *row)
{
  if (torn_down (self))
    return;

  describe (self, field_of (self, row));
}

static void
field_activate_cb (LanyardPreferencesWindow *self,
                   LanyardEntryField        *row)
{
  apply (self, field_of (self, row));
}

static void
field_leave_cb (GtkEventControllerFocus *controller,
                LanyardPreferencesWindow *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (torn_down (self))
    return;

  apply (self, field_of (self, LANYARD_ENTRY_FIELD (row)));
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
show_value (LanyardPreferencesWindow *self,
            Field                     field,
            const char               *stored)
{
  LanyardEntryField *row = field_row (self, field);
  const char *overriding = overriding_value (field);

  /* What is in effect, not an empty field that edits nothing: the variable's
   * value, read-only (still reachable by keyboard, so its hint is read). */
  gtk_editable_set_text (GTK_EDITABLE (row), overriding ? overriding : stored ? stored : "");
  gtk_editable_set_editable (GTK_EDITABLE (row), overriding == NULL && self->settings != NULL);
  describe (self, field);
}

static void
load_api_settings (LanyardPreferencesWindow *self)
{
  g_autofree char *graph_url = g_settings_get_string (self->settings, "graph-url");
  g_autofree char *api_url = g_settings_get_string (self->settings, "api-url");
  g_auto(GStrv) api_scopes = g_settings_get_strv (self->settings, "api-scopes");
  g_autofree char *api_scopes_text = g_strjoinv (" ", api_scopes);

  show_value (self, FIELD_GRAPH_URL, graph_url);
  show_value (self, FIELD_API_URL, api_url);
  show_value (self, FIELD_API_SCOPES, api_scopes_text);
}

static void
load_settings (LanyardPreferencesWindow *self)
{
  g_autofree char *authority = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_host = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *scopes_text = NULL;
  const char *redirect_override = g_getenv ("LANYARD_REDIRECT_HOST");

  if (self->settings == NULL)
    {
      adw_preferences_group_set_description (self->provider_group,
                                             _("These settings cannot be changed: the settings "
                                               "schema is not installed."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->redirect_host_row), FALSE);
      show_value (self, FIELD_AUTHORITY, NULL);
      show_value (self, FIELD_CLIENT_ID, NULL);
      show_value (self, FIELD_SCOPES, LANYARD_DEFAULT_SCOPES);
      show_value (self, FIELD_GRAPH_URL, LANYARD_DEFAULT_GRAPH_URL);
      show_value (self, FIELD_API_URL, NULL);
      show_value (self, FIELD_API_SCOPES, NULL);
      return;
    }

  authority = g_settings_get_string (self->settings, "authority");
  client_id = g_settings_get_string (self->settings, "client-id");
  scopes = g_settings_get_strv (self->settings, "scopes");
  scopes_text = g_strjoinv (" ", scopes);
  redirect_host = g_settings_get_string (self->settings, "redirect-host");

  show_value (self, FIELD_AUTHORITY, authority);
  show_value (self, FIELD_CLIENT_ID, client_id);
  show_value (self, FIELD_SCOPES, scopes_text);
  load_api_settings (self);

  if (redirect_override != NULL && *redirect_override != '\0')
    {
      g_free (redirect_host);
      redirect_host = g_strdup (redirect_override);
      gtk_widget_set_sensitive (GTK_WIDGET (self->redirect_host_row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->redirect_host_row),
                                   _("Set by LANYARD_REDIRECT_HOST in the environment, which "
                                     "Lanyard uses instead of this setting"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (redirect_hosts); i++)
    {
      if (g_str_equal (redirect_host, redirect_hosts[i]))
        adw_combo_row_set_selected (self->redirect_host_row, i);
    }

  g_signal_connect_object (self->redirect_host_row, "notify::selected",
                           G_CALLBACK (redirect_host_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
lanyard_preferences_window_map (GtkWidget *widget)
{
  LanyardPreferencesWindow *self = LANYARD_PREFERENCES_WINDOW (widget);

  GTK_WIDGET_CLASS (lanyard_preferences_window_parent_class)->map (widget);

  /* With a single page its tab is hidden, and the focus would be there. */
  gtk_widget_grab_focus (GTK_WIDGET (self->authority_row));
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

  widget_class->map = lanyard_preferences_window_map;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LANYARD_TYPE_ENTRY_FIELD);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, provider_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, request_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, authority_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, redirect_host_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, graph_url_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardPreferencesWindow, api_scopes_row);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_activate_cb);
}

static void
lanyard_preferences_window_init (LanyardPreferencesWindow *self)
{
  LanyardEntryField *rows[N_FIELDS] = { NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  lanyard_a11y_describe_from (GTK_WIDGET (self->redirect_host_row), "subtitle");
  lanyard_a11y_hide_icons (GTK_WIDGET (self->redirect_host_row));

  rows[0] = self->authority_row;
  rows[1] = self->client_id_row;
  rows[2] = self->scopes_row;
  rows[3] = self->graph_url_row;
  rows[4] = self->api_url_row;
  rows[5] = self->api_scopes_row;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect (focus, "leave", G_CALLBACK (field_leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (rows[i]), focus);
    }
}

LanyardPreferencesWindow *
lanyard_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (LANYARD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
