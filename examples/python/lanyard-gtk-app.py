#!/usr/bin/env python3
# lanyard-gtk-app.py — a GTK 4 window with Sign In and Sign Out on liblanyard-1.
#
# Configuration as for lanyard-sign-in.py: LANYARD_AUTHORITY, LANYARD_CLIENT_ID
# and optionally LANYARD_CA_FILE; the browser is $BROWSER, else the desktop's
# (the OpenURI portal inside a sandbox). The window shows who is signed in,
# from the client's live list of accounts; the buttons are also the actions
# app.sign-in and app.sign-out, and each change of state is printed on stdout
# ("signed-out", "signing-in", "signed-in <username>", "error <message>").
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import sys

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Lanyard', '1')
from gi.repository import Gio, GLib, Gtk, Lanyard  # noqa: E402


class App(Gtk.Application):
    def __init__(self):
        super().__init__(application_id='dev.lanyard.Lanyard.Example')
        self.client = None
        self.window = None
        self.cancellable = None

    def do_startup(self):
        Gtk.Application.do_startup(self)
        config = Lanyard.Config.new_from_environment()
        self.client = Lanyard.Client.new(config, None, None)
        self.running = None
        # The live list: sign-in, renewal and sign-out keep it current.
        self.accounts = self.client.get_accounts()
        self.accounts.connect('items-changed', lambda *args: self.update())
        for name, callback in (('sign-in', self.sign_in), ('sign-out', self.sign_out)):
            action = Gio.SimpleAction.new(name, None)
            action.connect('activate', callback)
            self.add_action(action)

    def do_activate(self):
        if self.window is None:
            self.window = Gtk.ApplicationWindow(application=self, title='Lanyard example')
            self.window.set_default_size(420, 200)
            box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12,
                          margin_top=24, margin_bottom=24, margin_start=24, margin_end=24)
            self.label = Gtk.Label(wrap=True, selectable=True)
            self.sign_in_button = Gtk.Button(label='Sign In', action_name='app.sign-in')
            self.sign_in_button.add_css_class('suggested-action')
            self.sign_out_button = Gtk.Button(label='Sign Out', action_name='app.sign-out')
            for widget in (self.label, self.sign_in_button, self.sign_out_button):
                box.append(widget)
            self.window.set_child(box)
            self.client.list_accounts_async(None, self.on_listed)
        self.window.present()

    def account(self):
        return self.accounts.get_item(0) if self.accounts.get_n_items() > 0 else None

    def update(self, state=None):
        account = self.account()
        if state is None:
            state = f'signed-in {account.get_username()}' if account else 'signed-out'
        signing_in = state == 'signing-in'
        self.label.set_text(f'Signed in as {account.get_display_name()}' if account and not signing_in
                            else 'Waiting for the browser…' if signing_in
                            else state[len('error '):] if state.startswith('error ')
                            else 'Not signed in')
        self.lookup_action('sign-in').set_enabled(not signing_in and account is None)
        self.lookup_action('sign-out').set_enabled(not signing_in and account is not None)
        print(state, flush=True)

    def on_listed(self, client, result):
        try:
            client.list_accounts_finish(result)
            self.update()
        except GLib.Error as error:
            self.update(f'error {error.message}')

    def sign_in(self, action, parameter):
        self.update('signing-in')
        self.cancellable = Gio.Cancellable()
        # The sign-in in progress is an object: its phase and page are properties.
        self.running = Lanyard.SignIn.new(self.client)
        self.running.connect('notify::phase', self.on_phase)
        self.running.run_async(self.cancellable, self.on_signed_in)

    def on_phase(self, sign_in, pspec):
        if sign_in.props.phase == Lanyard.SignInPhase.WAITING_FOR_BROWSER:
            self.label.set_text(f'Continue in your browser, or open {sign_in.props.uri}')

    def on_signed_in(self, sign_in, result):
        self.running = None
        try:
            sign_in.run_finish(result)
            self.update()
        except GLib.Error as error:
            self.update(f'error {error.message}')

    def sign_out(self, action, parameter):
        account = self.account()
        if account is not None:
            self.client.sign_out_async(account.get_id(), True, None, self.on_signed_out)

    def on_signed_out(self, client, result):
        try:
            client.sign_out_finish(result)
            self.update()
        except GLib.Error as error:
            self.update(f'error {error.message}')


sys.exit(App().run(sys.argv))
