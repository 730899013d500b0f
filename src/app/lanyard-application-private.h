/* lanyard-application-private.h — what lanyard-application*.c share
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-application.h"
#include "lanyard-session.h"
#include "lanyard-window.h"

G_BEGIN_DECLS

struct _LanyardApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  LanyardBrowser *browser;
  LanyardSession *session;
  LanyardWindow  *window;
};

LanyardWindow *_lanyard_application_get_window     (LanyardApplication *self);
void           _lanyard_application_actions_init   (LanyardApplication *self);

G_END_DECLS
