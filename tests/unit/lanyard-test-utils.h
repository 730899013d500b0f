/* lanyard-test-utils.h — shared helpers for the unit tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* g_test_init with TAP output and a private, empty XDG cache per process. */
void         lanyard_test_init             (int    *argc,
                                            char ***argv);

/* A SoupServer listening on 127.0.0.1 on an ephemeral port; *base_uri gets
 * "http://127.0.0.1:PORT". */
SoupServer  *lanyard_test_server_new       (char **base_uri);

/* Runs the default main context until *flag becomes TRUE (or 30 s pass, which fails the test). */
void         lanyard_test_wait_for         (gboolean *flag);

/* A GAsyncReadyCallback that stores the result into (GAsyncResult **) user_data. */
void         lanyard_test_store_result_cb  (GObject      *source,
                                            GAsyncResult *result,
                                            gpointer      user_data);

/* Spins the main context until *result_slot is set, then returns it (owned). */
GAsyncResult *lanyard_test_wait_result     (GAsyncResult **result_slot);

G_END_DECLS
