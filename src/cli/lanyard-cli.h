/* lanyard-cli.h — what the lanyard-cli files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard.h"

G_BEGIN_DECLS

/* Exit codes: documented in README.md and `lanyard-cli --help`; scripts and
 * the tests depend on them. */
typedef enum {
  LANYARD_CLI_EXIT_OK                   = 0,
  LANYARD_CLI_EXIT_FAILED               = 1,
  LANYARD_CLI_EXIT_USAGE                = 2,
  LANYARD_CLI_EXIT_CANCELLED            = 3,
  LANYARD_CLI_EXIT_TIMED_OUT            = 4,
  LANYARD_CLI_EXIT_PROVIDER_ERROR       = 5,
  LANYARD_CLI_EXIT_INVALID_TOKEN        = 6,
  LANYARD_CLI_EXIT_KEYRING              = 7,
  LANYARD_CLI_EXIT_INTERACTION_REQUIRED = 8,
  LANYARD_CLI_EXIT_NETWORK              = 9,
  LANYARD_CLI_EXIT_TLS                  = 10,
  LANYARD_CLI_EXIT_BROWSER              = 11,
  LANYARD_CLI_EXIT_NO_ACCOUNT           = 12,
  LANYARD_CLI_EXIT_INVALID_RESPONSE     = 13,
  LANYARD_CLI_EXIT_HTTP_ERROR           = 22,   /* api: the API answered 4xx/5xx (curl --fail's code) */
} LanyardCliExit;

/* One run of one command: the main loop and how it ended. */
typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  int           exit_code;
} LanyardCliRun;

void            lanyard_cli_run_quit      (LanyardCliRun *run,
                                           int            exit_code);
/* Prints "lanyard-cli: <message>" on stderr and quits with the mapped code. */
void            lanyard_cli_run_fail      (LanyardCliRun *run,
                                           const GError  *error);

/* Makes @ca_file (from a flag or LANYARD_CA_FILE) the process's default trust. */
void            lanyard_cli_trust_ca_file (const char    *ca_file);
int             lanyard_cli_exit_code_for (const GError  *error);
void            lanyard_cli_print_json    (JsonNode      *node);
void            lanyard_cli_print_claims  (LanyardAccount *account);
/* The end of every sign-in: claims on stdout, who on stderr, the exit code. */
void            lanyard_cli_signed_in     (LanyardCliRun  *run,
                                           LanyardAccount *account);
/* sign-in --device-code with @client configured; returns -1 (running). */
int             lanyard_cli_sign_in_device (LanyardClient *client,
                                            gboolean       no_qr,
                                            LanyardCliRun *run);

int             lanyard_cli_sign_in       (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);
int             lanyard_cli_token         (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);
int             lanyard_cli_claims        (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);
int             lanyard_cli_accounts      (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);
int             lanyard_cli_api           (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);
int             lanyard_cli_sign_out      (int            argc,
                                           char         **argv,
                                           LanyardCliRun *run);

/* @text as a QR code (level M, quiet zone) for a terminal: lines of Unicode
 * half blocks, black on white. NULL when it does not fit a QR code. */
char           *lanyard_cli_qr_render     (const char    *text);

#define LANYARD_TYPE_CLI_LINK_BROWSER (lanyard_cli_link_browser_get_type ())
G_DECLARE_FINAL_TYPE (LanyardCliLinkBrowser, lanyard_cli_link_browser, LANYARD, CLI_LINK_BROWSER, GObject)

/* --no-browser: prints the link for the user to open, opens nothing. */
LanyardBrowser *lanyard_cli_link_browser_new (void);

G_END_DECLS
