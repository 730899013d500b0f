/* fuzz-common.h — what every libFuzzer target shares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each target feeds one input to one parser and checks a few properties
 * that must hold for every input (an error is always a valid-UTF-8
 * LANYARD_ERROR; what parses round-trips). Warnings and criticals abort,
 * so a g_return_if_fail() reached from hostile input is a finding too.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "lanyard-error.h"

/* Fixed times: a target must behave the same on every run. */
#define FUZZ_NOW ((gint64) 1700000000)

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

static inline void
fuzz_check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == LANYARD_ERROR);
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}
