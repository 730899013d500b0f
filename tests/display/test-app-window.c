/* test-app-window.c — the window's toasts at the narrowest size, in English and German
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Under the display suite's Xvfb (tests/session/lanyard-test-session with
 * LANYARD_TEST_DISPLAY=1): the real window on a session with nothing
 * configured, 360 px wide (the metainfo's minimum); the session's messages
 * as the person sees them.
 */
#define G_LOG_DOMAIN "test-app-window"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "lanyard-session.h"
#include "lanyard-text.h"
#include "lanyard-waiting-page.h"
#include "lanyard-window.h"

#define WIDTH 360

typedef struct {
  LanyardSession *session;
  LanyardWindow  *window;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->session = lanyard_session_new (NULL, NULL, NULL);
  fixture->window = g_object_new (LANYARD_TYPE_WINDOW, "session", fixture->session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), WIDTH, 640);
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin (300);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_object_run_dispose (G_OBJECT (fixture->session));
  g_clear_object (&fixture->session);
  spin (50);
}

static GtkWidget *
find_css (GtkWidget  *widget,
          const char *css_name)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), css_name) && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_css (child, css_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Every button of the toast, and the toast itself, inside the window. */
static void
assert_inside (GtkWidget *widget,
               GtkWidget *window,
               guint     *n_buttons)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget))
    return;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 0.5)
    g_error ("%s at x %.0f, %.0f wide, outside a window %d wide", gtk_widget_get_css_name (widget),
             bounds.origin.x, bounds.size.width, gtk_widget_get_width (window));

  if (GTK_IS_BUTTON (widget))
    (*n_buttons)++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_inside (child, window, n_buttons);
}

static void
check_message (Fixture             *fixture,
               const char          *text,
               const char          *button,
               LanyardMessageFlags  flags)
{
  GtkWidget *toast;
  guint n_buttons = 0;

  g_signal_emit_by_name (fixture->session, "message", text, button,
                         button ? "win.copy-text" : NULL,
                         button ? g_variant_new_string ("https://login.example.org/logout") : NULL,
                         (guint) flags);
  spin (600);   /* the toast slides in */

  toast = find_css (GTK_WIDGET (fixture->window), "toast");
  g_assert_nonnull (toast);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, WIDTH + 1);
  assert_inside (toast, GTK_WIDGET (fixture->window), &n_buttons);
  /* Its own button, if any, and the close button. */
  g_assert_cmpuint (n_buttons, ==, button ? 2 : 1);
}

static void
test_long_toast (Fixture       *fixture,
                 gconstpointer  data)
{
  /* The longest the session says, with a button, in the language asked for. */
  g_autofree char *text = g_strdup_printf (_("Signed out on this computer. To end the session at "
                                             "the provider too, open its sign-out page: %s"),
                                           "Failed to execute child process “firefox-esr” "
                                           "(No such file or directory)");

  check_message (fixture, text, _("Copy _Link"), LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_LONG);
}

static void
test_short_toast (Fixture       *fixture,
                  gconstpointer  data)
{
  check_message (fixture, _("Signed out"), NULL, LANYARD_MESSAGE_NORMAL);
}

/* Every kind of message goes away by itself. */
static void
test_toasts_expire (void)
{
  for (guint flags = 0; flags < 8; flags++)
    {
      g_autoptr(AdwToast) toast = lanyard_message_toast_new ("text", "_Button", "win.copy-text",
                                                             g_variant_new_string ("x"), flags);

      g_assert_cmpuint (adw_toast_get_timeout (toast), >, 0);
      g_assert_cmpuint (adw_toast_get_timeout (toast), <=, 30);
    }
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
copy_text_cb (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  char **copied = user_data;

  g_free (*copied);
  *copied = g_variant_dup_string (param, NULL);
}

/* The browser did not open: the waiting page shows the link, and Copy Link
 * hands the window exactly that link (win.copy-text); with no link (a new
 * sign-in) it cannot be pressed. */
static void
test_waiting_copy_link (void)
{
  const char *uri = "https://login.example/authorize?client_id=app&state=s";
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) copy = g_simple_action_new ("copy-text", G_VARIANT_TYPE_STRING);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No browser");
  g_autofree char *copied = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (LANYARD_TYPE_WAITING_PAGE, NULL);
  GtkWidget *button;

  g_signal_connect (copy, "activate", G_CALLBACK (copy_text_cb), &copied);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (copy));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_null (find_actionable (page, "win.copy-text"));
  g_object_set (page, "uri", uri, "browser-error", error, NULL);
  spin (100);

  button = find_actionable (page, "win.copy-text");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  g_signal_emit_by_name (button, "clicked");
  spin (50);
  g_assert_cmpstr (copied, ==, uri);

  g_object_set (page, "uri", NULL, "browser-error", NULL, NULL);
  spin (100);
  g_assert_null (find_actionable (page, "win.copy-text"));
  g_assert_false (gtk_widget_is_sensitive (button));

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
}

static void
count_cb (GSimpleAction *action,
          GVariant      *param,
          guint         *count)
{
  (*count)++;
}

/* The page's title (.title-1) or description (.body) label. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
label_text (GtkWidget  *page,
            const char *css_class)
{
  GtkWidget *label = find_label (page, css_class);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* Back from the browser: the page says it is finishing (and the focused
 * Cancel carries it to a screen reader), Copy Link goes, Cancel still works;
 * the end of the sign-in changes nothing on a page being left; a new
 * sign-in starts over in the browser. */
static void
test_waiting_finishing (void)
{
  g_autoptr(GSimpleActionGroup) app = g_simple_action_group_new ();
  g_autoptr(GSimpleActionGroup) win = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) cancel = g_simple_action_new ("cancel", NULL);
  g_autoptr(GSimpleAction) copy = g_simple_action_new ("copy-text", G_VARIANT_TYPE_STRING);
  g_autofree char *news = NULL;
  g_autofree char *wrong = NULL;
  guint cancelled = 0;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (LANYARD_TYPE_WAITING_PAGE, NULL);
  GtkWidget *cancel_button;
  GtkWidget *copy_button;

  g_signal_connect (cancel, "activate", G_CALLBACK (count_cb), &cancelled);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (cancel));
  g_action_map_add_action (G_ACTION_MAP (win), G_ACTION (copy));
  gtk_widget_insert_action_group (window, "app", G_ACTION_GROUP (app));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (win));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  g_object_set (page, "uri", "https://login.example/authorize?state=s", NULL);
  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_PREPARING);
  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER);
  spin (100);
  g_assert_cmpstr (label_text (page, "title-1"), ==, _("Continue in Your Browser"));
  cancel_button = find_actionable (page, "app.cancel");
  copy_button = find_actionable (page, "win.copy-text");
  g_assert_nonnull (cancel_button);
  g_assert_nonnull (copy_button);
  /* The person was on Copy Link. */
  g_assert_true (gtk_widget_grab_focus (copy_button));

  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_REDEEMING);
  spin (100);
  g_assert_cmpstr (label_text (page, "title-1"), ==, _("Finishing Sign-In…"));
  g_assert_cmpstr (label_text (page, "body"), ==, _("Checking the provider’s answer."));
  g_assert_false (gtk_widget_get_visible (copy_button));
  g_assert_true (gtk_widget_has_focus (cancel_button));
  news = g_strdup_printf ("%s %s", _("Finishing Sign-In…"), _("Checking the provider’s answer."));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (cancel_button),
                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, news);
  g_assert_cmpstr (wrong, ==, NULL);

  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_SAVING);
  g_assert_cmpstr (label_text (page, "title-1"), ==, _("Finishing Sign-In…"));
  g_assert_cmpstr (label_text (page, "body"), ==, _("Keeping your account in the keyring."));
  g_assert_true (gtk_widget_is_sensitive (cancel_button));
  g_signal_emit_by_name (cancel_button, "clicked");
  spin (50);
  g_assert_cmpuint (cancelled, ==, 1);

  /* Over: what the page said stays while it is left. */
  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_CANCELLED);
  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  g_assert_cmpstr (label_text (page, "title-1"), ==, _("Finishing Sign-In…"));

  lanyard_waiting_page_set_phase (LANYARD_WAITING_PAGE (page), LANYARD_SIGN_IN_PHASE_PREPARING);
  g_assert_cmpstr (label_text (page, "title-1"), ==, _("Continue in Your Browser"));
  g_assert_true (gtk_widget_get_visible (copy_button));

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
}

/* Dates as the signed-in page shows them ("Signed In", timestamp claims):
 * the month in the person's language, from the locale (LC_TIME), not only
 * the words from the catalog (LANGUAGE). 4 March 2021, noon UTC: March in
 * every time zone. */
static void
test_date (gconstpointer data)
{
  const char *month = data;
  g_autofree char *date = lanyard_format_timestamp (1614859200);

  g_test_message ("4 March 2021 reads %s", date);
  g_assert_nonnull (strstr (date, month));
  g_assert_nonnull (strstr (date, "2021"));
}

int
main (int   argc,
      char *argv[])
{
  const char *locale = g_getenv ("LANYARD_TEST_LANGUAGE");

  /* Nothing configured: the session must not pick anything up. */
  g_unsetenv ("LANYARD_AUTHORITY");
  g_unsetenv ("LANYARD_CLIENT_ID");

  if (locale != NULL)
    {
      g_setenv ("LANGUAGE", locale, TRUE);
      /* German: the build tree's de_DE.UTF-8 (tests/meson.build, LOCPATH). */
      if (setlocale (LC_ALL, "") == NULL)
        g_error ("The locale %s is not available (LOCPATH %s): install Debian's locales "
                 "package (build-aux/install-deps.sh), then meson setup --reconfigure",
                 g_getenv ("LC_ALL"), g_getenv ("LOCPATH"));
      bindtextdomain (GETTEXT_PACKAGE, LANYARD_TEST_LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  /* GTK's in-process accessibility backend (the session has none): what
   * a screen reader would be told can be read back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/lanyard/window/toast/long", Fixture, NULL, fixture_setup, test_long_toast, fixture_teardown);
  g_test_add ("/lanyard/window/toast/short", Fixture, NULL, fixture_setup, test_short_toast, fixture_teardown);
  g_test_add_func ("/lanyard/window/toast/expire", test_toasts_expire);
  g_test_add_func ("/lanyard/window/waiting/copy-link", test_waiting_copy_link);
  g_test_add_func ("/lanyard/window/waiting/finishing", test_waiting_finishing);
  g_test_add_data_func ("/lanyard/window/date", g_strcmp0 (locale, "de") == 0 ? "März" : "March",
                        test_date);

  return g_test_run ();
}
