#!/usr/bin/python3
# a11y-check.py — what a screen reader gets from Lanyard, over AT-SPI (pyatspi), as TAP-like
# lines for app-a11y.sh: "ok - WHAT" or "not ok - WHAT # WHY". Run it in the display tests'
# session with the app started with GTK_A11Y=atspi.
#
#   a11y-check.py page PAGE            the page on screen (setup, signed-out, waiting, signed-in,
#                                      signed-in-api, preferences): names, roles, descriptions, where
#                                      the focus is
#   a11y-check.py tab PAGE N NAME...   press Tab up to N times; every focus event names its object,
#                                      and each NAME gets the focus (in that order)
#   a11y-check.py described PAGE ROLE NAME REGEX   that control's description matches REGEX
#   a11y-check.py translated PAGE PO   in that language, no name or description on the page is an
#                                      English message of PO that has a translation there
#   a11y-check.py announce REGEX CMD…  run CMD; a focus event or a description change on the focused
#                                      object (how Lanyard says a toast) carries REGEX within 10 s
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import re
import subprocess
import sys
import time

import pyatspi
from gi.repository import GLib

APP = "lanyard"
PAGES = {
    "setup": "LanyardSetupPage",
    "signed-out": "LanyardSignedOutPage",
    "waiting": "LanyardWaitingPage",
    "signed-in": "LanyardAccountPage",
    # the same page after See Profile and Call (the API section's answers)
    "signed-in-api": "LanyardAccountPage",
}
# roles a screen reader reads out by name
NAMED_ROLES = {"push button", "toggle button", "check box", "text", "entry", "password text", "heading",
               "label", "image", "list item", "alert", "notification", "combo box", "menu item",
               "radio button", "link", "spin button"}
# roles that should never hold the keyboard focus: nothing to say, nothing to do
NO_FOCUS_ROLES = {"scroll pane", "panel", "filler", "unknown", "invalid"}
TYPE_NAME = re.compile(r"^(Gtk|Adw|Lanyard)[A-Z]\w*")
EPOCH = re.compile(r"\b1[0-9]{9}\b")
FIGURE_SPACE = "\u2007"

failures = 0


def ok(what):
    print("ok - %s" % what, flush=True)


def not_ok(what, why=""):
    global failures
    failures += 1
    print("not ok - %s # %s" % (what, why.replace("\n", " ")), flush=True)


def check(cond, what, why=""):
    (ok if cond else lambda w: not_ok(w, why))(what)
    return cond


def nameof(acc):
    # an object can go away under us (a toast, a page torn down): it has no name then
    try:
        return acc.name or ""
    except Exception:
        return ""


def descof(acc):
    try:
        return acc.description or ""
    except Exception:
        return ""


def role(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return "?"


def states(acc):
    try:
        return {pyatspi.stateToString(s) for s in acc.getState().getStates()}
    except Exception:
        return set()


def children(acc):
    try:
        n = acc.childCount
    except Exception:
        return []
    out = []
    for i in range(n):
        try:
            c = acc.getChildAtIndex(i)
        except Exception:
            c = None
        if c is not None:
            out.append(c)
    return out


def walk(acc):
    yield acc
    for c in children(acc):
        yield from walk(c)


def relations(acc, kind):
    out = []
    try:
        for r in acc.getRelationSet():
            if pyatspi.relationToString(r.getRelationType()) == kind:
                out += [r.getTarget(i) for i in range(r.getNTargets())]
    except Exception:
        pass
    return out


def text_of(acc):
    try:
        t = acc.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return nameof(acc) or ""


def app(timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for a in children(desktop):
            if nameof(a) == APP:
                return a
        time.sleep(0.2)
    return None


def frames(a):
    return [f for f in children(a) if role(f) in ("frame", "dialog", "window")]


def find(root, pred):
    return [o for o in walk(root) if pred(o)]


def page_root(a, page):
    if page == "preferences":
        # the page on show, not AdwPreferencesWindow's hidden search UI: the
        # smallest part of the Preferences window (any language) holding the
        # first text field and the combo row
        for f in frames(a):
            if nameof(f) == "Lanyard":
                continue
            fields = find(f, lambda o: role(o) == "text")
            if not fields:
                continue
            node = fields[0]
            while node is not None and node != f:
                if find(node, lambda o: role(o) == "combo box"):
                    return node
                node = node.parent
            return f
        return None
    for f in frames(a):
        hits = find(f, lambda o: nameof(o) == PAGES[page])
        if hits:
            return hits[0]
    return None


def focused(a):
    for f in frames(a):
        for o in walk(f):
            if "focused" in states(o):
                return o
    return None


def mnemonic_twice(name):
    words = name.split()
    half = len(words) // 2
    return (len(words) % 2 == 0 and half > 0 and
            " ".join(words[:half]).replace("_", "") == " ".join(words[half:]) and "_" in name)


def common_checks(page, root):
    objs = list(walk(root))
    named = [o for o in objs if role(o) in NAMED_ROLES]
    bad = ["%s %r" % (role(o), nameof(o)) for o in named if TYPE_NAME.match(nameof(o) or "")]
    check(not bad, "%s: nothing is named after its widget type" % page, "; ".join(bad))
    bad = [nameof(o) for o in named if mnemonic_twice(nameof(o) or "")]
    check(not bad, "%s: no button is named twice with its mnemonic underscore" % page, "; ".join(bad))
    bad = ["%s %r" % (role(o), nameof(o)) for o in objs if "focusable" in states(o) and role(o) in
           ("push button", "toggle button", "text", "check box", "combo box") and not (nameof(o) or "").strip()]
    check(not bad, "%s: every focusable control has a name" % page, "; ".join(bad))
    bad = []
    for o in objs:
        targets = relations(o, "described by")
        if targets and not (descof(o) or "").strip():
            bad.append("%s %r has described-by but an empty description" % (role(o), nameof(o)))
        for t in targets:
            if not text_of(t).strip():
                bad.append("%s %r is described by an empty object" % (role(o), nameof(o)))
    check(not bad, "%s: every described-by relation says something, and so does the description" % page,
          "; ".join(bad))
    bad = []
    for o in objs:
        for what in (nameof(o) or "", descof(o) or ""):
            if FIGURE_SPACE in what or EPOCH.search(what):
                bad.append("%s %r: %r" % (role(o), nameof(o), what))
    check(not bad, "%s: no figure space and no raw seconds since 1970 are read out" % page, "; ".join(bad))
    return objs


def by_name(objs, r, name):
    return [o for o in objs if role(o) == r and nameof(o) == name]


def page_checks(page):
    a = app()
    if not check(a is not None, "the app %r is on the AT-SPI bus" % APP):
        return
    root = None
    end = time.time() + 10
    while root is None and time.time() < end:
        root = page_root(a, page)
        time.sleep(0.2)
    if not check(root is not None, "%s: the page is in the accessibility tree" % page):
        return
    objs = common_checks(page, root)

    def has(r, name, described=False):
        hits = by_name(objs, r, name)
        check(bool(hits), "%s: a %s named %r" % (page, r, name),
              "names: %s" % sorted({nameof(o) for o in objs if role(o) == r}))
        if hits and described:
            check(bool((descof(hits[0]) or "").strip()), "%s: %r has a description" % (page, name))
        return hits

    def focus_is(r, name, within=5):
        end = time.time() + within
        f = None
        while time.time() < end:
            f = focused(a)
            if f is not None and role(f) == r and nameof(f) == name:
                break
            time.sleep(0.2)
        check(f is not None and role(f) == r and nameof(f) == name,
              "%s: the focus is on the %s %r" % (page, r, name),
              "it is on %s %r" % (role(f), nameof(f)) if f is not None else "nothing has the focus")

    if page == "setup":
        has("text", "Tenant or Authority URL", described=True)
        has("text", "Application (Client) ID", described=True)
        has("push button", "Continue")
        has("heading", "Welcome to Lanyard")
    elif page == "signed-out":
        has("push button", "Sign In")
        focus_is("push button", "Sign In")
    elif page == "waiting":
        has("heading", "Continue in Your Browser")
        has("push button", "Cancel")
        has("push button", "Copy Link")
        labels = [nameof(o) for o in objs if role(o) == "label"]
        check(any("waits for 5 minutes" in (n or "") for n in labels),
              "waiting: the page says how long Lanyard waits", "%s" % labels)
        focus_is("push button", "Cancel")
    elif page == "signed-in":
        has("push button", "Sign Out")
        has("push button", "See Profile")
        avatars = [o for o in objs if (nameof(o) or "").startswith("AdwAvatar")]
        check(not avatars, "signed-in: the avatar is not read as “AdwAvatar …”",
              "; ".join("%s %r" % (role(o), nameof(o)) for o in avatars))
        copies = [o for o in objs if role(o) == "push button" and (nameof(o) or "").startswith("Copy ")]
        names = [nameof(o) for o in copies]
        check(len(copies) >= 5, "signed-in: a copy button for each claim (%d)" % len(copies))
        check(len(set(names)) == len(names), "signed-in: each copy button is named after its claim",
              "%s" % names)
        check("Copy Value" not in names, "signed-in: no button is just “Copy Value”")
        undescribed = [nameof(o) for o in copies if not (descof(o) or "").strip()]
        check(not undescribed, "signed-in: each copy button says the claim's value and meaning",
              "%s" % undescribed)
        repeating = [nameof(o) for o in copies if (descof(o) or "").strip() == nameof(o)]
        check(not repeating, "signed-in: no description repeats the name", "%s" % repeating)
        heads = [o for o in objs if role(o) == "heading"]
        check(any((nameof(o) or "").strip() and not TYPE_NAME.match(nameof(o)) for o in heads),
              "signed-in: the person's name is a heading that reads as the name",
              "%s" % [nameof(o) for o in heads])
    elif page == "signed-in-api":
        # the API section once it answered: userinfo's rows, the API's status and JSON
        has("push button", "See Profile")
        has("push button", "Call")
        has("push button", "Copy Answer")
        has("label", "Userinfo")
        has("label", "Web API")
        copies = [o for o in objs if role(o) == "push button" and (nameof(o) or "").endswith(" from Userinfo")]
        names = [nameof(o) for o in copies]
        check(len(copies) >= 3, "signed-in-api: a copy button for each userinfo row (%d)" % len(copies))
        check(len(set(names)) == len(names), "signed-in-api: each is named after its row", "%s" % names)
        check("Copy name from Userinfo" in names and "Copy name" not in names or
              len(by_name(objs, "push button", "Copy name")) == 1,
              "signed-in-api: userinfo's name and the ID token's name are two different buttons", "%s" % names)
        undescribed = [nameof(o) for o in copies if not (descof(o) or "").strip()]
        check(not undescribed, "signed-in-api: each userinfo copy button says the value", "%s" % undescribed)
        status = [nameof(o) for o in objs if role(o) == "label" and (nameof(o) or "").startswith("HTTP ")]
        check(any(re.match(r"^HTTP 200 OK · [0-9.,]+ m?s$", n) for n in status),
              "signed-in-api: the status and the time taken are read as one label", "%s" % status)
        answer = has("text", "The API’s answer")
        if answer:
            got = text_of(answer[0])
            check('"sub": "alice"' in got and got.startswith("{\n  "),
                  "signed-in-api: the answer is the JSON, pretty-printed, as text", repr(got[:200]))
            check("editable" not in states(answer[0]), "signed-in-api: the answer is read-only",
                  "%s" % sorted(states(answer[0])))
    elif page == "preferences":
        has("text", "Tenant or Authority URL", described=True)
        has("text", "Application (Client) ID", described=True)
        has("text", "API URL", described=True)
        has("text", "API Scopes", described=True)
        has("text", "Microsoft Graph URL", described=True)
        scopes = has("text", "Scopes", described=True)
        if scopes:
            check("openid" in (descof(scopes[0]) or ""), "preferences: the scopes' description says what to type",
                  repr(descof(scopes[0])))
        focus_is("text", "Tenant or Authority URL")


def listen(seconds, until, on_start=None):
    """Collects focus events and description changes for up to @seconds, or until until(events)."""
    events = []

    def cb(e):
        try:
            events.append((e.type, role(e.source), e.source.name or "", e.source.description or "",
                           e.any_data if isinstance(e.any_data, str) else "", e.detail1))
        except Exception as ex:
            events.append((e.type, "?", str(ex), "", "", 0))

    pyatspi.Registry.registerEventListener(cb, "object:state-changed:focused",
                                           "object:property-change:accessible-description")
    end = time.time() + seconds

    def tick():
        if until(events) or time.time() > end:
            pyatspi.Registry.stop()
            return False
        return True

    if on_start is not None:
        GLib.timeout_add(200, lambda: (on_start(events), False)[1])
    GLib.timeout_add(100, tick)
    pyatspi.Registry.start()
    pyatspi.Registry.deregisterEventListener(cb, "object:state-changed:focused",
                                             "object:property-change:accessible-description")
    return events


def gained(events):
    return [e for e in events if e[0] == "object:state-changed:focused" and e[5] == 1]


def tab_checks(page, n, names):
    a = app()
    if not check(a is not None, "the app %r is on the AT-SPI bus" % APP):
        return
    for f in frames(a):
        list(walk(f))  # GTK 4.8 makes an object's AT-SPI side when it is first asked for

    presses = [0]

    def press(events):
        def step():
            want = [x for x in names if x not in [e[2] for e in gained(events)]]
            if not want or presses[0] >= n:
                return False
            presses[0] += 1
            subprocess.run(["xdotool", "key", "Tab"], check=False)
            return True
        GLib.timeout_add(250, step)

    def done(events):
        got = [e[2] for e in gained(events)]
        return all(x in got for x in names)

    events = listen(max(10, n * 0.5), done, press)
    got = gained(events)
    seq = ["%s %r" % (e[1], e[2]) for e in got]
    bad = [s for e, s in zip(got, seq) if not e[2].strip() or TYPE_NAME.match(e[2]) or e[1] in NO_FOCUS_ROLES]
    check(bool(got), "%s: Tab moves the focus, with AT-SPI focus events" % page, "no focus event")
    check(not bad, "%s: every focus event names a control (%d events)" % (page, len(got)), "; ".join(bad))
    order = [e[2] for e in got]
    pos = 0
    for name in names:
        where = order.index(name, pos) if name in order[pos:] else -1
        check(where >= 0, "%s: %r gets the focus" % (page, name), "focus went: %s" % seq)
        if where >= 0:
            pos = where
    print("# %s: %d Tab presses: %s" % (page, presses[0], " → ".join(seq)), flush=True)
    f = focused(a)
    print("# %s: the focus ended on %s" % (page, "%s %r" % (role(f), nameof(f)) if f is not None else "nothing reported"),
          flush=True)


def announce_checks(regex, cmd):
    a = app()
    if not check(a is not None, "the app %r is on the AT-SPI bus" % APP):
        return
    for f in frames(a):
        list(walk(f))
    pattern = re.compile(regex)

    def said(e):
        return ((e[0] == "object:property-change:accessible-description" and
                 (pattern.search(e[4]) or pattern.search(e[3]))) or
                (e[0] == "object:state-changed:focused" and e[5] == 1 and
                 (pattern.search(e[2]) or pattern.search(e[3]))))

    events = listen(10, lambda ev: any(said(e) for e in ev),
                    lambda ev: subprocess.run(cmd, check=False))
    hits = [e for e in events if said(e)]
    check(bool(hits), "a screen reader is told /%s/ (AT-SPI event)" % regex,
          "events: %s" % ["%s %s %r %r" % (e[0].split(":")[-1], e[1], e[2], e[4] or e[3]) for e in events][:12])
    for e in hits[:1]:
        print("# said through %s on %s %r: %r" % (e[0], e[1], e[2], e[4] or e[3]), flush=True)
    def where(o):
        up, node = [], o.parent
        while node is not None and len(up) < 6:
            up.append(nameof(node) or role(node))
            node = node.parent
        return " < ".join(up)

    unnamed = ["%s %r in %s" % (role(o), nameof(o), where(o)) for f in frames(a) for o in walk(f)
               if role(o) == "push button" and TYPE_NAME.match(nameof(o) or "")]
    closes = [o for f in frames(a) for o in walk(f) if role(o) == "push button" and nameof(o) == "Close" and
              o.parent is not None and nameof(o.parent) == "AdwToastWidget"]
    toasts = ["[%s]" % ", ".join("%s %r" % (role(c), nameof(c) if role(c) != "filler" else
                                             [nameof(x) for x in walk(c)][1:]) for c in children(o))
              for f in frames(a) for o in walk(f) if nameof(o) == "AdwToastWidget"]
    check(bool(closes) and not unnamed, "every button in the window is named, the toast's Close too (not “GtkImage”)",
          ("; ".join(unnamed) or "no “Close” button") + " — toasts: " + " ".join(toasts))


def described_checks(page, r, name, regex):
    a = app()
    if not check(a is not None, "the app %r is on the AT-SPI bus" % APP):
        return
    root = page_root(a, page)
    hits = [o for o in walk(root)] if root is not None else []
    hits = [o for o in hits if role(o) == r and nameof(o) == name]
    desc = descof(hits[0]) if hits else None
    check(desc is not None and re.search(regex, desc) is not None,
          "%s: the %s %r is described as /%s/" % (page, r, name, regex), repr(desc))


def po_messages(path):
    """msgid -> msgstr of a .po file (singular messages; enough for what a page shows)."""
    entries, cur, key = {}, {}, None
    for line in open(path, encoding="utf-8").read().split("\n") + [""]:
        if not line.strip():
            if cur.get("msgid") and cur.get("msgstr"):
                entries[cur["msgid"]] = cur["msgstr"]
            cur, key = {}, None
        elif line.startswith("msgid "):
            key = "msgid"
            cur[key] = eval(line[6:])
        elif line.startswith("msgstr "):
            key = "msgstr"
            cur[key] = eval(line[7:])
        elif line.startswith('"') and key:
            cur[key] += eval(line)
        elif line.startswith(("msgid_plural", "msgstr[")):
            key = None
    return entries


def translated_checks(page, po):
    messages = {k: v for k, v in po_messages(po).items() if k != v and len(k) > 3}
    a = app()
    if not check(a is not None, "the app %r is on the AT-SPI bus" % APP):
        return
    root = page_root(a, page)
    if not check(root is not None, "%s: the page is in the accessibility tree" % page):
        return
    shown = {t for o in walk(root) for t in (nameof(o) or "", descof(o) or "") if t.strip()}
    english = sorted(t for t in shown if t in messages or t.replace("_", "") in
                     {k.replace("_", "") for k in messages})
    check(not english, "%s: nothing is shown in English that has a translation (%d texts)" % (page, len(shown)),
          "; ".join(english))


def main():
    what = sys.argv[1]
    if what == "page":
        page_checks(sys.argv[2])
    elif what == "tab":
        tab_checks(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif what == "translated":
        translated_checks(sys.argv[2], sys.argv[3])
    elif what == "described":
        described_checks(*sys.argv[2:6])
    elif what == "announce":
        announce_checks(sys.argv[2], sys.argv[3:])
    else:
        print("usage: a11y-check.py page|tab|announce …", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
