/* lanyard.h — the public face of liblanyard
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-access-token.h"
#include "lanyard-account.h"
#include "lanyard-account-store.h"
#include "lanyard-authority.h"
#include "lanyard-browser.h"
#include "lanyard-client.h"
#include "lanyard-config.h"
#include "lanyard-device-code.h"
#include "lanyard-error.h"
#include "lanyard-enum-types.h"
#include "lanyard-output.h"
#include "lanyard-sign-in.h"
