/* lanyard-a11y.c — what GTK 4.8's accessibility gets wrong, put right
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-a11y.h"

static void
reset_label (GtkWidget *button)
{
  /* The label child names the button (labelled-by) without the underline. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
label_changed_cb (GtkButton  *button,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  if (gtk_button_get_use_underline (button))
    reset_label (GTK_WIDGET (button));
}

void
lanyard_a11y_fix_mnemonics (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget) &&
      g_object_get_data (G_OBJECT (widget), "lanyard-a11y-mnemonic") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "lanyard-a11y-mnemonic", GINT_TO_POINTER (1));
      g_signal_connect_after (widget, "notify::label", G_CALLBACK (label_changed_cb), NULL);
      g_signal_connect_after (widget, "notify::use-underline", G_CALLBACK (label_changed_cb), NULL);
      label_changed_cb (GTK_BUTTON (widget), NULL, NULL);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lanyard_a11y_fix_mnemonics (child);
}

void
lanyard_a11y_set_description (GtkWidget  *widget,
                              const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Kept, to be put back after an announcement (GTK 4.8 has no getter). */
  g_object_set_data_full (G_OBJECT (widget), "lanyard-a11y-description",
                          g_strdup (text), g_free);

  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
focus_is_inside (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* A scrolled window holding the focus is no place to be. */
  return focus != NULL && !GTK_IS_SCROLLED_WINDOW (focus) &&
         gtk_widget_is_ancestor (focus, page);
}

static void
focus_target (GtkWidget *page)
{
  GtkWidget *target = g_object_get_data (G_OBJECT (page), "lanyard-a11y-focus-target");

  if (target == NULL || !gtk_widget_get_mapped (page) || !gtk_widget_is_sensitive (target) ||
      focus_is_inside (page))
    return;

  gtk_widget_grab_focus (target);
}

static void
target_sensitive_cb (GtkWidget  *target,
                     GParamSpec *pspec,
                     GtkWidget  *page)
{
  focus_target (page);
}

static void
page_map_cb (GtkWidget *page)
{
  focus_target (page);
}

void
lanyard_a11y_focus_on_map (GtkWidget *page,
                           GtkWidget *target)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (GTK_IS_WIDGET (target));
  g_return_if_fail (gtk_widget_is_ancestor (target, page));

  g_object_set_data (G_OBJECT (page), "lanyard-a11y-focus-target", target);
  g_signal_connect_after (page, "map", G_CALLBACK (page_map_cb), NULL);
  g_signal_connect_object (target, "notify::sensitive", G_CALLBACK (target_sensitive_cb), page, 0);
}

static void
restore_description (GtkWidget *widget)
{
  const char *own = g_object_get_data (G_OBJECT (widget), "lanyard-a11y-description");
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* What the widget said before: ours, else its tooltip (GTK's default). */
  if (own == NULL)
    own = tooltip;

  if (own != NULL && *own != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, own,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
announced_focus_left_cb (GtkWidget  *widget,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  if (gtk_widget_has_focus (widget))
    return;

  g_signal_handlers_disconnect_by_func (widget, announced_focus_left_cb, user_data);
  restore_description (widget);
}

static void
name_close_button (GtkWidget *toast_widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (toast_widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* The close button is the toast's only button without a label. */
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close"),
                                          -1);
        }
    }
}

void
lanyard_a11y_announce (GtkWidget  *widget,
                       const char *text)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  root = gtk_widget_get_root (widget);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (focus),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  g_signal_handlers_disconnect_by_func (focus, announced_focus_left_cb, NULL);
  g_signal_connect (focus, "notify::has-focus", G_CALLBACK (announced_focus_left_cb), NULL);
}

static void
toast_label_map_cb (GtkWidget *label)
{
  GtkWidget *toast_widget = gtk_widget_get_parent (label);

  /* The custom title sits in an AdwBin inside the toast widget. */
  if (toast_widget != NULL)
    toast_widget = gtk_widget_get_parent (toast_widget);
  if (toast_widget != NULL)
    name_close_button (toast_widget);

  lanyard_a11y_announce (label, gtk_label_get_text (GTK_LABEL (label)));
}

void
lanyard_a11y_announce_toast (GtkWidget *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  g_signal_connect (label, "map", G_CALLBACK (toast_label_map_cb), NULL);
}

static void
describe_from_cb (GtkWidget  *widget,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  g_autofree char *text = NULL;

  g_object_get (widget, pspec->name, &text, NULL);
  lanyard_a11y_set_description (widget, text);
}

void
lanyard_a11y_describe_from (GtkWidget  *widget,
                            const char *property)
{
  g_autofree char *signal = NULL;
  GParamSpec *pspec;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (widget), property);
  g_return_if_fail (pspec != NULL && pspec->value_type == G_TYPE_STRING);

  signal = g_strconcat ("notify::", property, NULL);
  g_signal_connect (widget, signal, G_CALLBACK (describe_from_cb), NULL);
  describe_from_cb (widget, pspec, NULL);
}

void
lanyard_a11y_hide_icons (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_IMAGE (widget))
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lanyard_a11y_hide_icons (child);
}
