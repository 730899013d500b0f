#!/usr/bin/env -S gjs -m
// lanyard-sign-in.js — sign in with liblanyard-1 from JavaScript (GJS).
//
// Reads LANYARD_AUTHORITY (an Entra External ID tenant subdomain or any OpenID
// provider's issuer URL), LANYARD_CLIENT_ID and, optionally, LANYARD_CA_FILE;
// opens $BROWSER (else the desktop's browser), waits for the sign-in, and
// prints the validated ID token's claims as JSON. Each phase of the sign-in
// goes to stderr as it happens ("lanyard-sign-in: phase waiting-for-browser").
// Exit status 0 on success, 1 with the error message on stderr otherwise.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import Json from 'gi://Json';
import Lanyard from 'gi://Lanyard?version=1';
import {exit} from 'system';

// An application with settings of its own fills in a Lanyard.Config the same
// way (Lanyard.Config.new_from_environment() reads these variables too).
const config = Lanyard.Config.new();
config.set_authority(GLib.getenv('LANYARD_AUTHORITY'));
config.set_client_id(GLib.getenv('LANYARD_CLIENT_ID'));
config.set_ca_file(GLib.getenv('LANYARD_CA_FILE'));
// null, null: the desktop keyring, and $BROWSER or the desktop's browser
const client = Lanyard.Client.new(config, null, null);
const loop = new GLib.MainLoop(null, false);
let status = 1;

// A sign-in is an object whose properties say where it is.
const signIn = Lanyard.SignIn.new(client);
signIn.connect('notify::phase', () => {
    const name = Object.keys(Lanyard.SignInPhase).find(k => Lanyard.SignInPhase[k] === signIn.phase);
    printerr(`lanyard-sign-in: phase ${name.toLowerCase().replaceAll('_', '-')}`);
});
signIn.run_async(null, (source, result) => {
    try {
        const account = source.run_finish(result);
        const node = Json.Node.alloc().init_object(account.get_claims());
        print(Json.to_string(node, true));
        status = 0;
    } catch (error) {
        printerr(`lanyard-sign-in: ${error.message}`);
    }
    loop.quit();
});
loop.run();
exit(status);
