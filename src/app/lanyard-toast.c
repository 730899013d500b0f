/* lanyard-toast.c — the toasts the window shows
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include "lanyard-a11y.h"
#include "lanyard-toast.h"

AdwToast *
lanyard_toast_new (const char *text)
{
  AdwToast *toast = adw_toast_new ("");
  GtkWidget *label;

  /* A plain label instead of the title: libadwaita 1.2 ellipsizes titles
   * (an error's words would be cut) and parses them as markup. It wraps in
   * as little as a 360 px window leaves (no max-width that would push the
   * buttons off-screen). */
  label = g_object_new (GTK_TYPE_LABEL,
                        "label", text,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "width-chars", 10,
                        "max-width-chars", 50,
                        "xalign", 0.0f,
                        NULL);
  gtk_widget_add_css_class (label, "heading");
  adw_toast_set_custom_title (toast, label);
  /* Said to screen readers when shown (GTK 4.8 sends nothing for a toast). */
  lanyard_a11y_announce_toast (label);

  /* What the person is told, for the same readers as the page changes.
   * Toasts carry sentences, never tokens or codes. */
  g_debug ("Toast: %s", text);

  return toast;
}

AdwToast *
lanyard_message_toast_new (const char          *text,
                           const char          *button,
                           const char          *action,
                           GVariant            *target,
                           LanyardMessageFlags  flags)
{
  AdwToast *toast = lanyard_toast_new (text);

  if (flags & LANYARD_MESSAGE_IMPORTANT)
    {
      /* Long enough to read a provider's error description. */
      adw_toast_set_timeout (toast, 10);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }

  /* Even a toast with a link to copy goes away (it would cover the page's
   * buttons for good), after time to act; it has a close button too. */
  if (flags & LANYARD_MESSAGE_LONG)
    adw_toast_set_timeout (toast, 30);

  if (button != NULL)
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_action_name (toast, action);
      if (target != NULL)
        adw_toast_set_action_target_value (toast, target);
      g_debug ("Toast button: %s (%s)", button, action);
    }

  return toast;
}

/* libadwaita 1.2 gives a toast its natural width even where the window is
 * narrower (360 px): its buttons went off-screen. The text wraps in what the
 * window leaves beside the buttons. */
void
lanyard_toast_fit (AdwToast  *toast,
                   GtkWidget *window)
{
  GtkWidget *label = adw_toast_get_custom_title (toast);
  const char *button = adw_toast_get_button_label (toast);
  PangoFontMetrics *metrics;
  int char_width;
  int available;

  if (!GTK_IS_LABEL (label))
    return;

  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (window), NULL, NULL);
  /* Headings are bold and a little larger than the body text. */
  char_width = MAX (1, pango_font_metrics_get_approximate_char_width (metrics) * 6 / 5 / PANGO_SCALE);
  pango_font_metrics_unref (metrics);

  /* Margins and padding of the toast, its close button, its own button. */
  available = gtk_widget_get_width (window) - 2 * 12 - 2 * 12 - 40;
  if (button != NULL)
    available -= (int) g_utf8_strlen (button, -1) * char_width + 40;

  gtk_label_set_max_width_chars (GTK_LABEL (label), CLAMP (available / char_width, 8, 50));
}
