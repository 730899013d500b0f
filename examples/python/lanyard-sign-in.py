#!/usr/bin/env python3
# lanyard-sign-in.py — sign in with liblanyard-1 from Python (PyGObject, no GTK).
#
# Reads LANYARD_AUTHORITY (an Entra External ID tenant subdomain or any OpenID
# provider's issuer URL), LANYARD_CLIENT_ID and, optionally, LANYARD_CA_FILE;
# opens $BROWSER (else the desktop's browser), waits for the sign-in, and
# prints the validated ID token's claims as JSON. Exit status 0 on success,
# 1 with the error message on stderr otherwise.
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


def signed_in(client, result):
    global status
    try:
        account = client.sign_in_finish(result)
        node = Json.Node.alloc().init_object(account.get_claims())
        print(Json.to_string(node, True))
        status = 0
    except GLib.Error as error:
        print(f'lanyard-sign-in: {error.message}', file=sys.stderr)
    loop.quit()


client.sign_in_async(None, None, signed_in)
loop.run()
sys.exit(status)
