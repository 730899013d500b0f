/* lanyard-api-section.h — the signed-in page's API calls, shown: the
 * profile as rows, the person's own API as status, time and JSON
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard-api-model.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_API_SECTION (lanyard_api_section_get_type ())
G_DECLARE_FINAL_TYPE (LanyardApiSection, lanyard_api_section, LANYARD, API_SECTION, AdwBin)

void lanyard_api_section_set_model (LanyardApiSection *self,
                                    LanyardApiModel   *model);

G_END_DECLS
