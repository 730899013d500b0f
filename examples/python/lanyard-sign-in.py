#!/usr/bin/env python3
# lanyard-sign-in.py — sign in with liblanyard-1 from Python (PyGObject, no GTK).
#
# Reads LANYARD_AUTHORITY (an Entra External ID tenant subdomain or any OpenID
# provider's issuer URL), LANYARD_CLIENT_ID and, optionally, LANYARD_CA_FILE;
# opens $BROWSER (else the desktop's browser), waits for the sign-in, and
# prints the validated ID token's claims as JSON. Each phase of the sign-in
# goes to stderr as it happens ("lanyard-sign-in: phase waiting-for-browser").
# Exit status 0 on success, 1 with the error message on stderr otherwise.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import sys

import gi

gi.require_version('Json', '1.0')
gi.require_version('Lanyard', '1')
from gi.repository import GLib, Json, Lanyard  # noqa: E402

config = Lanyard.Config.new_from_environment()
# None, None: the desktop keyring, and $BROWSER or the desktop's browser
client = Lanyard.Client.new(config, None, None)
loop = GLib.MainLoop()
status = 1


def phase_changed(sign_in, pspec):
    print(f'lanyard-sign-in: phase {sign_in.props.phase.value_nick}', file=sys.stderr)


def signed_in(sign_in, result):
    global status
    try:
        account = sign_in.run_finish(result)
        node = Json.Node.alloc().init_object(account.get_claims())
        print(Json.to_string(node, True))
        status = 0
    except GLib.Error as error:
        print(f'lanyard-sign-in: {error.message}', file=sys.stderr)
    loop.quit()


# A sign-in is an object whose properties say where it is.
sign_in = Lanyard.SignIn.new(client)
sign_in.connect('notify::phase', phase_changed)
sign_in.run_async(None, signed_in)
loop.run()
sys.exit(status)
