/* lanyard-window.h — the main window: setup, signed out, waiting, signed in
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard.h"
#include "lanyard-application.h"

G_BEGIN_DECLS

typedef enum {
  LANYARD_WINDOW_STATE_LOADING,
  LANYARD_WINDOW_STATE_SETUP,
  LANYARD_WINDOW_STATE_SIGNED_OUT,
  LANYARD_WINDOW_STATE_WAITING,
  LANYARD_WINDOW_STATE_SIGNED_IN,
} LanyardWindowState;

#define LANYARD_TYPE_WINDOW_STATE (lanyard_window_state_get_type ())
GType lanyard_window_state_get_type (void) G_GNUC_CONST;

#define LANYARD_TYPE_WINDOW (lanyard_window_get_type ())
G_DECLARE_FINAL_TYPE (LanyardWindow, lanyard_window, LANYARD, WINDOW, AdwApplicationWindow)

LanyardWindow      *lanyard_window_new        (LanyardApplication *application);
LanyardWindowState  lanyard_window_get_state  (LanyardWindow      *self);
/* A renewal or sign-out is in flight. */
gboolean            lanyard_window_get_busy   (LanyardWindow      *self);

void                lanyard_window_sign_in    (LanyardWindow      *self,
                                               const char         *prompt);
void                lanyard_window_sign_out   (LanyardWindow      *self);
void                lanyard_window_cancel     (LanyardWindow      *self);
void                lanyard_window_refresh    (LanyardWindow      *self);
/* Asks the desktop to unlock the keyring, then restores or saves the account. */
void                lanyard_window_unlock_keyring (LanyardWindow  *self);

void                lanyard_window_add_toast  (LanyardWindow      *self,
                                               const char         *text);
void                lanyard_window_show_error (LanyardWindow      *self,
                                               const GError       *error);

/* A toast whose text wraps instead of being cut, and is not markup. */
AdwToast           *lanyard_toast_new         (const char         *text);

G_END_DECLS
