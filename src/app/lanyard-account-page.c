/* lanyard-account-page.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"
#include "lanyard-account-page.h"
#include "lanyard-api-section.h"
#include "lanyard-claim-row.h"
#include "lanyard-claims-descriptions.h"
#include "lanyard-text.h"

struct _LanyardAccountPage
{
  AdwBin          parent_instance;

  AdwAvatar      *avatar;
  GtkLabel       *name_label;
  GtkLabel       *username_label;
  GtkWidget      *session_only_box;
  AdwActionRow   *expiry_row;
  AdwActionRow   *refresh_row;
  AdwActionRow   *signed_in_row;
  GtkListBox     *claims_list;
  LanyardApiSection *api_section;

  LanyardAccount *account;
  guint           tick_id;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardAccountPage, lanyard_account_page, ADW_TYPE_BIN)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
update_times (LanyardAccountPage *self)
{
  g_autofree char *expiry = NULL;
  g_autofree char *signed_in = NULL;
  gint64 now = now_seconds ();
  gint64 expires_at;
  gint64 signed_in_at;

  if (self->account == NULL)
    return;

  expires_at = lanyard_account_get_access_token_expires_at (self->account);
  if (lanyard_account_get_access_token (self->account) == NULL || expires_at <= 0)
    expiry = g_strdup (_("None"));
  else
    {
      g_autofree char *relative = lanyard_format_relative_time (expires_at, now);

      if (expires_at > now)
        /* Translators: %s is a relative time such as "in 5 minutes" */
        expiry = g_strdup_printf (_("Expires %s"), relative);
      else
        /* Translators: %s is a relative time such as "5 minutes ago" */
        expiry = g_strdup_printf (_("Expired %s"), relative);
    }
  adw_action_row_set_subtitle (self->expiry_row, expiry);

  signed_in_at = lanyard_account_get_signed_in_at (self->account);
  if (signed_in_at > 0)
    {
      g_autofree char *date = lanyard_format_timestamp (signed_in_at);
      /* A provider clock a little ahead must not make it "in a minute". */
      g_autofree char *relative = lanyard_format_relative_time (MIN (signed_in_at, now), now);

      /* Translators: "<date> (<relative time>)" */
      signed_in = g_strdup_printf (_("%s (%s)"), date, relative);
    }
  adw_action_row_set_subtitle (self->signed_in_row, signed_in ? signed_in : _("Unknown"));
}

static gboolean
tick_cb (gpointer user_data)
{
  update_times (user_data);

  return G_SOURCE_CONTINUE;
}

static int
compare_claims (gconstpointer a,
                gconstpointer b)
{
  const char *name_a = *(const char * const *)a;
  const char *name_b = *(const char * const *)b;
  int rank_a = lanyard_claim_get_sort_rank (name_a);
  int rank_b = lanyard_claim_get_sort_rank (name_b);

  if (rank_a != rank_b)
    return rank_a - rank_b;

  return g_strcmp0 (name_a, name_b);
}

static void
rebuild_claims (LanyardAccountPage *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObject *claims;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->claims_list))))
    gtk_list_box_remove (self->claims_list, child);

  if (self->account == NULL || !(claims = lanyard_account_get_claims (self->account)))
    return;

  {
    g_autoptr(GList) members = json_object_get_members (claims);

    for (const GList *l = members; l; l = l->next)
      g_ptr_array_add (names, l->data);
  }

  g_ptr_array_sort (names, compare_claims);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      gtk_list_box_append (self->claims_list,
                           lanyard_claim_row_new (name, json_object_get_member (claims, name)));
    }
}

static void
update (LanyardAccountPage *self)
{
  g_autofree char *display_name = NULL;
  g_autofree char *username = NULL;

  if (self->account != NULL)
    {
      /* The provider chose them: no control character or bidi override. */
      display_name = lanyard_clean_text (lanyard_account_get_display_name (self->account));
      username = lanyard_clean_text (lanyard_account_get_username (self->account));
    }

  adw_avatar_set_text (self->avatar, display_name);
  gtk_label_set_text (self->name_label, display_name ? display_name : "");
  gtk_label_set_text (self->username_label, username ? username : "");
  /* GTK 4.8 names a selectable label "GtkLabel": its text is its name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, display_name ? display_name : "",
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->username_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, username ? username : "",
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->username_label),
                          username != NULL && g_strcmp0 (username, display_name) != 0);
  gtk_widget_set_visible (self->session_only_box,
                          self->account != NULL && lanyard_account_get_session_only (self->account));

  adw_action_row_set_subtitle (self->refresh_row,
                               self->account ? lanyard_format_renewal (self->account) : "");

  update_times (self);
  rebuild_claims (self);
}

static void
lanyard_account_page_map (GtkWidget *widget)
{
  LanyardAccountPage *self = LANYARD_ACCOUNT_PAGE (widget);

  GTK_WIDGET_CLASS (lanyard_account_page_parent_class)->map (widget);

  update_times (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (30, tick_cb, self);
}

static void
lanyard_account_page_unmap (GtkWidget *widget)
{
  LanyardAccountPage *self = LANYARD_ACCOUNT_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (lanyard_account_page_parent_class)->unmap (widget);
}

static void
lanyard_account_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LanyardAccountPage *self = LANYARD_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_account_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LanyardAccountPage *self = LANYARD_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      lanyard_account_page_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_account_page_dispose (GObject *object)
{
  LanyardAccountPage *self = (LanyardAccountPage *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->account);

  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_ACCOUNT_PAGE);

  G_OBJECT_CLASS (lanyard_account_page_parent_class)->dispose (object);
}

static void
lanyard_account_page_class_init (LanyardAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_account_page_dispose;
  object_class->get_property = lanyard_account_page_get_property;
  object_class->set_property = lanyard_account_page_set_property;

  widget_class->map = lanyard_account_page_map;
  widget_class->unmap = lanyard_account_page_unmap;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         LANYARD_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LANYARD_TYPE_CLAIM_ROW);
  g_type_ensure (LANYARD_TYPE_API_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, username_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, session_only_box);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, refresh_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, claims_list);
  gtk_widget_class_bind_template_child (widget_class, LanyardAccountPage, api_section);
}

static void
lanyard_account_page_init (LanyardAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lanyard_a11y_fix_mnemonics (GTK_WIDGET (self));
  lanyard_a11y_describe_from (GTK_WIDGET (self->expiry_row), "subtitle");
  lanyard_a11y_describe_from (GTK_WIDGET (self->refresh_row), "subtitle");
  lanyard_a11y_describe_from (GTK_WIDGET (self->signed_in_row), "subtitle");
  /* Not keyboard stops: the name is the heading, read with the page, and
   * the focus belongs to what can be done. (A selectable label cannot just
   * be made unfocusable: GTK 4.8's label then swallows Tab.) */
  gtk_label_set_selectable (self->name_label, FALSE);
  gtk_label_set_selectable (self->username_label, FALSE);
}

LanyardAccount *
lanyard_account_page_get_account (LanyardAccountPage *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_PAGE (self), NULL);

  return self->account;
}

/* Always rebuilds: the same account object may carry new tokens or claims. */
void
lanyard_account_page_set_account (LanyardAccountPage *self,
                                  LanyardAccount     *account)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (account == NULL || LANYARD_IS_ACCOUNT (account));

  g_set_object (&self->account, account);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/* The API section shows what @model calls (set once, by the window). */
void
lanyard_account_page_set_api_model (LanyardAccountPage *self,
                                    LanyardApiModel    *model)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT_PAGE (self));

  lanyard_api_section_set_model (self->api_section, model);
}
