/* lanyard-api-section.c — the signed-in page's API calls, shown
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"
#include "lanyard-api-section.h"

struct _LanyardApiSection
{
  AdwBin                parent_instance;

  AdwPreferencesGroup  *profile_group;
  GtkSpinner           *profile_spinner;
  GtkButton            *profile_button;
  GtkLabel             *profile_status_label;
  GtkListBox           *profile_list;
  GtkWidget            *profile_problem;
  GtkLabel             *profile_error_label;
  GtkLabel             *profile_details_label;
  GtkWidget            *profile_sign_in_button;

  AdwPreferencesGroup  *api_group;
  GtkSpinner           *api_spinner;
  GtkButton            *api_button;
  GtkLabel             *api_status_label;
  GtkWidget            *api_problem;
  GtkLabel             *api_error_label;
  GtkLabel             *api_details_label;
  GtkWidget            *api_sign_in_button;
  GtkWidget            *answer_box;
  GtkTextView          *answer_view;

  LanyardApiModel      *model;
  LanyardApiCall       *profile;   /* watched: the model's, which it may replace */
};

G_DEFINE_FINAL_TYPE (LanyardApiSection, lanyard_api_section, ADW_TYPE_BIN)

/* The page scrolls to @group once its new content is laid out: the person
 * asked, the answer is what to read next. */
static void
reveal_now (GtkWidget *group)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport;
  GtkWidget *content;
  graphene_point_t origin = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t point;

  if (scrolled == NULL ||
      (viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))) == NULL ||
      !GTK_IS_VIEWPORT (viewport) ||
      (content = gtk_viewport_get_child (GTK_VIEWPORT (viewport))) == NULL ||
      !gtk_widget_compute_point (group, content, &origin, &point))
    return;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                            point.y - 12);
}

static gboolean
reveal_tick_cb (GtkWidget     *group,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  /* The first frame lays the new rows out; the second may scroll to them. */
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (group), "lanyard-reveal-frames")) == 0)
    {
      g_object_set_data (G_OBJECT (group), "lanyard-reveal-frames", GUINT_TO_POINTER (1));
      return G_SOURCE_CONTINUE;
    }

  g_object_set_data (G_OBJECT (group), "lanyard-reveal-frames", NULL);
  reveal_now (group);
  return G_SOURCE_REMOVE;
}

static void
reveal (GtkWidget *group)
{
  if (gtk_widget_get_mapped (group))
    gtk_widget_add_tick_callback (group, reveal_tick_cb, NULL, NULL);
}

/* A problem in words, the provider's own below them when Lanyard rephrased
 * it, and Sign In Again when only a sign-in helps. */
static void
show_problem (GtkWidget      *box,
              GtkLabel       *label,
              GtkLabel       *details_label,
              GtkWidget      *sign_in_button,
              LanyardApiCall *call)
{
  const char *text = lanyard_api_call_get_error_text (call);
  const char *details = lanyard_api_call_get_error_details (call);

  gtk_label_set_text (label, text ? text : "");
  gtk_label_set_text (details_label, details ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (details_label), details != NULL);
  gtk_widget_set_visible (sign_in_button, lanyard_api_call_get_needs_sign_in (call));
  gtk_widget_set_visible (box, text != NULL);
  if (text != NULL)
    g_debug ("API section: %s", text);
  if (details != NULL)
    g_debug ("API section details: %s", details);
}

/* "HTTP 200 OK · 120 ms" once answered: the status and how long it took. */
static void
show_status (GtkLabel       *label,
             LanyardApiCall *call)
{
  gboolean answered = lanyard_api_call_get_state (call) == LANYARD_API_CALL_ANSWERED;

  if (answered)
    {
      g_autofree char *elapsed = lanyard_api_call_format_elapsed (lanyard_api_call_get_elapsed_ms (call));
      const char *reason = lanyard_api_call_get_reason (call);
      g_autofree char *status = NULL;

      /* Translators: "HTTP <status> <reason> · <time taken>", e.g. "HTTP 200 OK · 120 ms" */
      status = g_strdup_printf (_("HTTP %u %s · %s"), lanyard_api_call_get_status (call),
                                reason ? reason : "", elapsed);
      gtk_label_set_text (label, status);
      g_debug ("API section: %s%s", lanyard_api_call_get_kind (call) == LANYARD_API_CALL_KIND_RAW
                                    ? "" : "profile: ", status);
    }
  gtk_widget_set_visible (GTK_WIDGET (label), answered);
}

static GtkWidget *
field_row_new (LanyardApiField *field,
               gboolean         userinfo)
{
  const char *title = lanyard_api_field_get_title (field);
  const char *value = lanyard_api_field_get_value (field);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  g_autofree char *copy_label = NULL;

  if (title == NULL)
    title = lanyard_api_field_get_name (field);

  /* Not markup: the API wrote the value (cleaned already). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  gtk_widget_set_focusable (row, FALSE);

  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (copy, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "win.copy-text");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", value);
  /* The ID token's claims have "Copy name" already. */
  if (userinfo)
    /* Translators: a button's name; %s is a userinfo claim such as “email” */
    copy_label = g_strdup_printf (_("Copy %s from Userinfo"), title);
  else
    /* Translators: a button's name; %s is a field such as “Email” */
    copy_label = g_strdup_printf (_("Copy %s"), title);
  gtk_widget_set_tooltip_text (copy, copy_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  lanyard_a11y_set_description (copy, value);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);

  /* Read as its title, then the value (libadwaita 1.2 links the subtitle
   * as described-by and leaves the description empty). */
  lanyard_a11y_describe_from (row, "subtitle");

  /* What the tests read: the rows as shown (profile data, never a token). */
  g_debug ("Profile row: %s: %s", title, value);

  return row;
}

static void
update_profile (LanyardApiSection *self)
{
  LanyardApiCall *call = self->profile;
  LanyardApiCallState state = lanyard_api_call_get_state (call);
  GListModel *fields = lanyard_api_call_get_fields (call);
  gboolean entra = lanyard_api_model_get_entra (self->model);
  GtkWidget *child;

  adw_preferences_group_set_title (self->profile_group,
                                   entra ? _("Microsoft Graph") : _("Userinfo"));
  adw_preferences_group_set_description (self->profile_group,
                                         entra
                                         ? _("Your profile as Microsoft Graph has it (/v1.0/me), asked with your access token")
                                         : _("What the provider’s userinfo endpoint says about you, asked with your access token"));

  gtk_widget_set_visible (GTK_WIDGET (self->profile_spinner), state == LANYARD_API_CALL_RUNNING);
  gtk_spinner_set_spinning (self->profile_spinner, state == LANYARD_API_CALL_RUNNING);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))))
    gtk_list_box_remove (self->profile_list, child);
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(LanyardApiField) field = g_list_model_get_item (fields, i);

      gtk_list_box_append (self->profile_list, field_row_new (field, !entra));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->profile_list), g_list_model_get_n_items (fields) > 0);

  show_status (self->profile_status_label, call);
  show_problem (self->profile_problem, self->profile_error_label, self->profile_details_label,
                self->profile_sign_in_button, call);

  if (state == LANYARD_API_CALL_ANSWERED || state == LANYARD_API_CALL_FAILED)
    reveal (GTK_WIDGET (self->profile_group));
}

static void
update_api (LanyardApiSection *self)
{
  LanyardApiCall *call = lanyard_api_model_get_api (self->model);
  LanyardApiCallState state = lanyard_api_call_get_state (call);
  const char *url = lanyard_api_model_get_api_url (self->model);
  const char * const *scopes = lanyard_api_model_get_api_scopes (self->model);
  const char *body = lanyard_api_call_get_body (call);
  g_autofree char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->api_group), url != NULL);
  if (url == NULL)
    return;

  if (scopes != NULL && scopes[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) scopes);

      /* Translators: "GET <address> with a token for <scopes>" */
      description = g_strdup_printf (_("GET %s with a token for %s"), url, joined);
    }
  else
    /* Translators: %s is the API's address */
    description = g_strdup_printf (_("GET %s with the sign-in’s access token"), url);
  adw_preferences_group_set_description (self->api_group, description);

  gtk_widget_set_visible (GTK_WIDGET (self->api_spinner), state == LANYARD_API_CALL_RUNNING);
  gtk_spinner_set_spinning (self->api_spinner, state == LANYARD_API_CALL_RUNNING);

  show_status (self->api_status_label, call);
  show_problem (self->api_problem, self->api_error_label, self->api_details_label,
                self->api_sign_in_button, call);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_view), body ? body : "", -1);
  if (body != NULL && *body != '\0')
    {
      /* What the tests read: the start of the answer as shown, escaped. */
      g_autofree char *start = g_utf8_substring (body, 0, MIN (g_utf8_strlen (body, -1), 200));
      g_autofree char *escaped = g_strescape (start, NULL);

      g_debug ("API answer: %s", escaped);
    }
  gtk_widget_set_visible (self->answer_box, body != NULL && *body != '\0');

  if (state == LANYARD_API_CALL_ANSWERED || state == LANYARD_API_CALL_FAILED)
    reveal (GTK_WIDGET (self->api_group));
}

static void
profile_changed_cb (LanyardApiSection *self)
{
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_set_object (&self->profile, lanyard_api_model_get_profile (self->model));
  g_signal_connect_object (self->profile, "notify::state", G_CALLBACK (update_profile), self, G_CONNECT_SWAPPED);
  update_profile (self);
}

static void
copy_answer_cb (LanyardApiSection *self)
{
  const char *body = lanyard_api_call_get_body (lanyard_api_model_get_api (self->model));

  gtk_widget_activate_action (GTK_WIDGET (self), "win.copy-text", "s", body ? body : "");
}

void
lanyard_api_section_set_model (LanyardApiSection *self,
                               LanyardApiModel   *model)
{
  g_return_if_fail (LANYARD_IS_API_SECTION (self));
  g_return_if_fail (LANYARD_IS_API_MODEL (model));
  g_return_if_fail (self->model == NULL);

  self->model = g_object_ref (model);
  g_signal_connect_object (model, "notify::profile", G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::entra", G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::api-url", G_CALLBACK (update_api), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lanyard_api_model_get_api (model), "notify::state",
                           G_CALLBACK (update_api), self, G_CONNECT_SWAPPED);

  profile_changed_cb (self);
  update_api (self);
}

static void
lanyard_api_section_dispose (GObject *object)
{
  LanyardApiSection *self = LANYARD_API_SECTION (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->model);

  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_API_SECTION);

  G_OBJECT_CLASS (lanyard_api_section_parent_class)->dispose (object);
}

static void
lanyard_api_section_class_init (LanyardApiSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_api_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-api-section.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_list);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_problem);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_details_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_status_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, profile_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_group);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_status_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_problem);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_details_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, api_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, answer_box);
  gtk_widget_class_bind_template_child (widget_class, LanyardApiSection, answer_view);
  gtk_widget_class_bind_template_callback (widget_class, copy_answer_cb);
}

static void
lanyard_api_section_init (LanyardApiSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lanyard_a11y_fix_mnemonics (GTK_WIDGET (self));
  /* Read with the heading: the group's description says what is asked. */
  lanyard_a11y_describe_from (GTK_WIDGET (self->profile_group), "description");
  lanyard_a11y_describe_from (GTK_WIDGET (self->api_group), "description");
}
