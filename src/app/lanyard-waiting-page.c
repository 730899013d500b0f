/* lanyard-waiting-page.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-loopback.h"
#include "lanyard-text.h"
#include "lanyard-a11y.h"
#include "lanyard-session.h"
#include "lanyard-waiting-page.h"

struct _LanyardWaitingPage
{
  AdwBin      parent_instance;

  GtkSpinner *spinner;
  GtkLabel   *title_label;
  GtkLabel   *description_label;
  GtkWidget  *link_frame;
  GtkLabel   *link_label;
  GtkButton  *cancel_button;
  GtkButton  *copy_button;

  char       *uri;
  /* Why the browser did not open (NULL: it did): the link is shown. */
  char       *browser_reason;
  guint       sign_up : 1;
  /* Back from the browser: the tokens are fetched and saved. */
  guint       finishing : 1;
  LanyardSignInPhase phase;
  guint       time_limit;
};

enum {
  PROP_0,
  PROP_URI,
  PROP_BROWSER_ERROR,
  PROP_SIGN_UP,
  PROP_PHASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardWaitingPage, lanyard_waiting_page, ADW_TYPE_BIN)

static void update (LanyardWaitingPage *self);

static void
lanyard_waiting_page_map (GtkWidget *widget)
{
  LanyardWaitingPage *self = LANYARD_WAITING_PAGE (widget);

  GTK_WIDGET_CLASS (lanyard_waiting_page_parent_class)->map (widget);

  gtk_spinner_start (self->spinner);
}

static void
lanyard_waiting_page_unmap (GtkWidget *widget)
{
  LanyardWaitingPage *self = LANYARD_WAITING_PAGE (widget);

  /* No animation for a page nobody sees. */
  gtk_spinner_stop (self->spinner);

  GTK_WIDGET_CLASS (lanyard_waiting_page_parent_class)->unmap (widget);
}

static void
lanyard_waiting_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LanyardWaitingPage *self = LANYARD_WAITING_PAGE (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROP_SIGN_UP:
      g_value_set_boolean (value, self->sign_up);
      break;

    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Written by the bindings to the session's sign-in (set_session()). */
static void
lanyard_waiting_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LanyardWaitingPage *self = LANYARD_WAITING_PAGE (object);

  switch (prop_id)
    {
    case PROP_URI:
      lanyard_waiting_page_set_uri (self, g_value_get_string (value));
      break;

    case PROP_BROWSER_ERROR:
      lanyard_waiting_page_set_browser_error (self, g_value_get_boxed (value));
      break;

    case PROP_SIGN_UP:
      lanyard_waiting_page_set_sign_up (self, g_value_get_boolean (value));
      break;

    case PROP_PHASE:
      lanyard_waiting_page_set_phase (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_waiting_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LANYARD_TYPE_WAITING_PAGE);

  G_OBJECT_CLASS (lanyard_waiting_page_parent_class)->dispose (object);
}

static void
lanyard_waiting_page_finalize (GObject *object)
{
  LanyardWaitingPage *self = (LanyardWaitingPage *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->browser_reason, g_free);

  G_OBJECT_CLASS (lanyard_waiting_page_parent_class)->finalize (object);
}

static void
lanyard_waiting_page_class_init (LanyardWaitingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lanyard_waiting_page_dispose;
  object_class->finalize = lanyard_waiting_page_finalize;
  object_class->get_property = lanyard_waiting_page_get_property;
  object_class->set_property = lanyard_waiting_page_set_property;

  widget_class->map = lanyard_waiting_page_map;
  widget_class->unmap = lanyard_waiting_page_unmap;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Why the browser did not open: the page then shows the link. NULL: it did. */
  properties[PROP_BROWSER_ERROR] =
    g_param_spec_boxed ("browser-error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SIGN_UP] =
    g_param_spec_boolean ("sign-up", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Where the sign-in is: from redeeming on, the page says it is finishing. */
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL,
                       LANYARD_TYPE_SIGN_IN_PHASE, LANYARD_SIGN_IN_PHASE_NOT_STARTED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-waiting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, link_frame);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LanyardWaitingPage, copy_button);
}

static void
lanyard_waiting_page_init (LanyardWaitingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
  lanyard_a11y_fix_mnemonics (GTK_WIDGET (self));
  /* Cancel is enabled only once the window is waiting: the ::map grab alone
   * did not take, leaving the focus on an unnamed scrolled window. */
  lanyard_a11y_focus_on_map (GTK_WIDGET (self), GTK_WIDGET (self->cancel_button));
  self->time_limit = LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS;
  update (self);
}

/* What to do, and for how long Lanyard waits (the limit was never said). */
static char *
browser_description (LanyardWaitingPage *self)
{
  g_autofree char *limit = lanyard_format_time_span (self->time_limit);
  g_autofree char *wait = NULL;

  /* Translators: %s is a duration such as “5 minutes” */
  wait = g_strdup_printf (_("Lanyard waits for %s, then you can start again."), limit);
  return g_strdup_printf ("%s %s",
                          self->sign_up
                          ? _("Create your account on the page that opened in your web browser. "
                              "This window updates when you are done.")
                          : _("Sign in on the page that opened in your web browser. "
                              "This window updates when you are done."),
                          wait);
}

/* The title and description for where the sign-in is: in the browser (or
 * the link to open by hand, when the browser failed), then finishing. */
static void
update (LanyardWaitingPage *self)
{
  g_autofree char *description = NULL;
  const char *title;

  if (self->finishing)
    {
      title = _("Finishing Sign-In…");
      description = g_strdup (self->phase == LANYARD_SIGN_IN_PHASE_SAVING
                              ? _("Keeping your account in the keyring.")
                              : _("Checking the provider’s answer."));
    }
  else if (self->browser_reason != NULL)
    {
      title = _("Open the Link in Your Browser");
      description = g_strdup_printf ("%s\n\n%s", self->browser_reason,
                                     _("Open this link in a web browser on this computer to continue:"));
    }
  else
    {
      title = _("Continue in Your Browser");
      description = browser_description (self);
    }

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->description_label, description);
  gtk_widget_set_visible (self->link_frame,
                          !self->finishing && self->browser_reason != NULL && self->uri != NULL);
  /* No link to copy once the browser is done with it. */
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), !self->finishing);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->finishing ? _("Finishing sign-in") : _("Waiting for the browser"),
                                  -1);
}

void
lanyard_waiting_page_set_sign_up (LanyardWaitingPage *self,
                                  gboolean            sign_up)
{
  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));

  if (self->sign_up == !!sign_up)
    return;

  self->sign_up = !!sign_up;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_UP]);
}

void
lanyard_waiting_page_set_time_limit (LanyardWaitingPage *self,
                                     guint               seconds)
{
  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));

  self->time_limit = seconds > 0 ? seconds : LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS;
  update (self);
}

const char *
lanyard_waiting_page_get_uri (LanyardWaitingPage *self)
{
  g_return_val_if_fail (LANYARD_IS_WAITING_PAGE (self), NULL);

  return self->uri;
}

void
lanyard_waiting_page_set_uri (LanyardWaitingPage *self,
                              const char         *uri)
{
  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));

  if (g_strcmp0 (self->uri, uri) == 0)
    return;

  g_free (self->uri);
  self->uri = g_strdup (uri);
  gtk_label_set_text (self->link_label, uri ? uri : "");
  /* Copied as it is, by the window (which says so). Its action wants a
   * string: none without a link. */
  if (uri != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->copy_button),
                                            g_variant_new_string (uri));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button),
                                  uri ? "win.copy-text" : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), uri != NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

void
lanyard_waiting_page_set_browser_error (LanyardWaitingPage *self,
                                        const GError       *error)
{
  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));

  g_clear_pointer (&self->browser_reason, g_free);
  if (error != NULL)
    self->browser_reason = lanyard_error_to_text (error);
  update (self);
}

/* Whether the focus is on what the finishing page hides: Copy Link, the link. */
static gboolean
focus_goes_away (LanyardWaitingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL &&
         (focus == GTK_WIDGET (self->copy_button) || gtk_widget_is_ancestor (focus, self->link_frame));
}

void
lanyard_waiting_page_set_phase (LanyardWaitingPage *self,
                                LanyardSignInPhase  phase)
{
  gboolean was_finishing = self->finishing;
  gboolean refocus;

  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));

  if (self->phase == phase)
    return;

  self->phase = phase;
  switch (phase)
    {
    case LANYARD_SIGN_IN_PHASE_PREPARING:
    case LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER:
    case LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE:
      self->finishing = FALSE;
      break;

    case LANYARD_SIGN_IN_PHASE_REDEEMING:
    case LANYARD_SIGN_IN_PHASE_SAVING:
      self->finishing = TRUE;
      break;

    case LANYARD_SIGN_IN_PHASE_NOT_STARTED:
    case LANYARD_SIGN_IN_PHASE_DONE:
    case LANYARD_SIGN_IN_PHASE_FAILED:
    case LANYARD_SIGN_IN_PHASE_CANCELLED:
    default:
      /* Over (or not yet begun): the page is being left; what it said
       * stays rather than flashing back during the transition. */
      break;
    }

  refocus = focus_goes_away (self);
  update (self);

  if (self->finishing && !was_finishing && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_autofree char *news = g_strdup_printf ("%s %s", gtk_label_get_text (self->title_label),
                                               gtk_label_get_text (self->description_label));

      /* Copy Link went away: the focus stays on the page, at Cancel. */
      if (refocus)
        gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
      /* The new title is not read by itself: a screen reader hears it
       * through the focused control (Cancel), as toasts are heard. */
      lanyard_a11y_announce (GTK_WIDGET (self), news);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

static void
session_state_cb (LanyardWaitingPage *self,
                  GParamSpec         *pspec,
                  LanyardSession     *session)
{
  if (lanyard_session_get_state (session) == LANYARD_SESSION_STATE_WAITING)
    lanyard_waiting_page_set_time_limit (self, lanyard_session_get_config (session)->timeout_seconds);
}

void
lanyard_waiting_page_set_session (LanyardWaitingPage *self,
                                  LanyardSession     *session)
{
  static const struct {
    const char *session_property;
    const char *page_property;
  } bindings[] = {
    { "sign-in-uri", "uri" },
    { "browser-error", "browser-error" },
    { "signing-up", "sign-up" },
    { "sign-in-phase", "phase" },
  };

  g_return_if_fail (LANYARD_IS_WAITING_PAGE (self));
  g_return_if_fail (LANYARD_IS_SESSION (session));

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_object_bind_property (session, bindings[i].session_property,
                            self, bindings[i].page_property, G_BINDING_SYNC_CREATE);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self,
                           G_CONNECT_SWAPPED);
  session_state_cb (self, NULL, session);
}
