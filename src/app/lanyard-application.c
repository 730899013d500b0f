/* lanyard-application.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-application-private.h"
#include "lanyard-gtk-browser.h"

G_DEFINE_FINAL_TYPE (LanyardApplication, lanyard_application, ADW_TYPE_APPLICATION)

static void
window_destroyed_cb (LanyardApplication *self,
                     LanyardWindow      *window)
{
  if (self->window == window)
    self->window = NULL;
}

/* One window, the view of the one session. */
LanyardWindow *
_lanyard_application_get_window (LanyardApplication *self)
{
  g_assert (LANYARD_IS_APPLICATION (self));

  if (self->window == NULL)
    {
      self->window = lanyard_window_new (self, self->session);
      lanyard_gtk_browser_set_parent (LANYARD_GTK_BROWSER (self->browser), GTK_WINDOW (self->window));
      g_signal_connect_object (self->window, "destroy",
                               G_CALLBACK (window_destroyed_cb), self, G_CONNECT_SWAPPED);
    }

  return self->window;
}

static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* g_settings_new() aborts on a missing schema, which is the normal case
   * for an uninstalled build: look first, and run without settings. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_info ("Settings schema %s is not installed: settings will not be saved", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
lanyard_application_startup (GApplication *application)
{
  LanyardApplication *self = LANYARD_APPLICATION (application);

  G_APPLICATION_CLASS (lanyard_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = settings_new_if_installed ();
  self->browser = lanyard_gtk_browser_new (NULL);
  self->session = lanyard_session_new (self->settings, NULL, self->browser);
  _lanyard_application_actions_init (self);
}

static void
lanyard_application_activate (GApplication *application)
{
  LanyardApplication *self = LANYARD_APPLICATION (application);

  gtk_window_present (GTK_WINDOW (_lanyard_application_get_window (self)));
}

static void
lanyard_application_shutdown (GApplication *application)
{
  LanyardApplication *self = LANYARD_APPLICATION (application);

  /* dconf writes asynchronously: what was set just before quitting (the
   * window size) must reach it before the process ends. */
  g_settings_sync ();

  /* Whatever is still in flight is cancelled and lets go of the session. */
  if (self->session != NULL)
    g_object_run_dispose (G_OBJECT (self->session));

  G_APPLICATION_CLASS (lanyard_application_parent_class)->shutdown (application);
}

static void
lanyard_application_dispose (GObject *object)
{
  LanyardApplication *self = (LanyardApplication *)object;

  g_clear_object (&self->session);
  g_clear_object (&self->browser);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lanyard_application_parent_class)->dispose (object);
}

static void
lanyard_application_class_init (LanyardApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lanyard_application_dispose;

  app_class->startup = lanyard_application_startup;
  app_class->activate = lanyard_application_activate;
  app_class->shutdown = lanyard_application_shutdown;
}

static void
lanyard_application_init (LanyardApplication *self)
{
}

LanyardApplication *
lanyard_application_new (void)
{
  return g_object_new (LANYARD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/dev/lanyard/Lanyard",
                       NULL);
}

GSettings *
lanyard_application_get_settings (LanyardApplication *self)
{
  g_return_val_if_fail (LANYARD_IS_APPLICATION (self), NULL);

  return self->settings;
}
