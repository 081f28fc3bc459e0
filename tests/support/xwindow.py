#!/usr/bin/python3
"""What a window manager would do to Berth's window, for the end-to-end tests (no window manager
runs under Xvfb): ask it to close (WM_DELETE_WINDOW, the title bar's close button) or say whether
it is shown; and what a person does in a native save dialog (type where, press Enter).

    xwindow.py close PID        ask every top-level window of process PID to close
    xwindow.py shown PID        print "yes" when one of them is mapped, else "no"
    xwindow.py save TITLE PATH  in the window titled TITLE, type PATH as the name and press Enter
    xwindow.py open TITLE PATH  in the open dialog titled TITLE, type PATH as its location, Enter
    xwindow.py clicks PID X Y MS  click at X,Y of process PID's shown window every MS ms, as a
                                person would (XTest), until stdin closes
"""
import select
import sys
import time

from Xlib import X, XK, Xatom, display, protocol
from Xlib.ext import xtest


def windows_of(d, pid):
    pid_atom = d.intern_atom("_NET_WM_PID")
    found = []

    def walk(w):
        try:
            prop = w.get_full_property(pid_atom, Xatom.CARDINAL)
            children = w.query_tree().children
        except Exception:  # the window went away while we looked
            return
        if prop and prop.value[0] == pid:
            found.append(w)
        for c in children:
            walk(c)

    walk(d.screen().root)
    return found


def titled(d, title):
    """The mapped window titled `title`, waited for up to 20 s."""
    def walk(w):
        try:
            name = w.get_wm_name()
            shown = w.get_attributes().map_state == X.IsViewable
            children = w.query_tree().children
        except Exception:
            return None
        if name and title == str(name) and shown:
            return w
        for c in children:
            hit = walk(c)
            if hit:
                return hit
        return None

    for _ in range(200):
        w = walk(d.screen().root)
        if w:
            return w
        time.sleep(0.1)
    sys.exit(f"no window titled {title!r}")


def press(d, keysym, shift=False):
    code = d.keysym_to_keycode(keysym)
    shift_code = d.keysym_to_keycode(XK.string_to_keysym("Shift_L"))
    if shift:
        xtest.fake_input(d, X.KeyPress, shift_code)
    xtest.fake_input(d, X.KeyPress, code)
    xtest.fake_input(d, X.KeyRelease, code)
    if shift:
        xtest.fake_input(d, X.KeyRelease, shift_code)
    d.sync()


def type_text(d, text):
    for ch in text:
        name = ch if ch.isascii() and ch.isalnum() else {"/": "slash", ".": "period", "-": "minus", "_": "underscore"}[ch]
        keysym = XK.string_to_keysym(name)
        # The keyboard map says whether the character needs Shift (column 1).
        column = next((i for _, i in d.keysym_to_keycodes(keysym)), 0)
        press(d, keysym, shift=column % 2 == 1)


def control(d, letter):
    ctrl = d.keysym_to_keycode(XK.string_to_keysym("Control_L"))
    xtest.fake_input(d, X.KeyPress, ctrl)
    press(d, XK.string_to_keysym(letter))
    xtest.fake_input(d, X.KeyRelease, ctrl)
    d.sync()


def answer(d, title, path, opening):
    w = titled(d, title)
    w.set_input_focus(X.RevertToParent, X.CurrentTime)
    d.sync()
    time.sleep(0.3)  # GTK fills and focuses its fields just after mapping; X has no signal for it
    # A save dialog's name field takes a whole path; an open dialog types it in its location bar.
    control(d, "l" if opening else "a")
    if opening:
        time.sleep(0.3)
    type_text(d, path)
    press(d, XK.string_to_keysym("Return"))
    # The location bar's completion may take the first Enter: press again while it stays open
    # and has the focus (once it closed, an Enter would go to the button that opened it).
    for _ in range(10):
        time.sleep(0.3)
        try:
            if w.get_attributes().map_state != X.IsViewable or not holds_focus(d, w):
                return
        except Exception:  # the dialog is gone
            return
        press(d, XK.string_to_keysym("Return"))


def holds_focus(d, w):
    """Whether the keyboard focus is on `w` or a window inside it."""
    f = d.get_input_focus().focus
    while isinstance(f, type(w)) and f.id != d.screen().root.id:
        if f.id == w.id:
            return True
        f = f.query_tree().parent
    return False


def clicks(d, wins, x, y, every_ms):
    w = next((w for w in wins if w.get_attributes().map_state == X.IsViewable), None)
    if w is None:
        sys.exit("no window of that process is shown")
    # The root's origin as `w` sees it is minus `w`'s origin on the root.
    origin = w.translate_coords(d.screen().root, 0, 0)
    rx, ry = x - origin.x, y - origin.y
    xtest.fake_input(d, X.MotionNotify, x=rx, y=ry)
    d.sync()
    while not select.select([sys.stdin], [], [], every_ms / 1000)[0]:
        xtest.fake_input(d, X.ButtonPress, 1)
        xtest.fake_input(d, X.ButtonRelease, 1)
        d.sync()


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "clicks":
        d = display.Display()
        clicks(d, windows_of(d, int(sys.argv[2])), *map(int, sys.argv[3:]))
        return
    if len(sys.argv) == 4 and sys.argv[1] in ("save", "open"):
        answer(display.Display(), sys.argv[2], sys.argv[3], sys.argv[1] == "open")
        return
    what, pid = sys.argv[1], int(sys.argv[2])
    d = display.Display()
    wins = windows_of(d, pid)
    if what == "shown":
        print("yes" if any(w.get_attributes().map_state == X.IsViewable for w in wins) else "no")
    elif what == "close":
        protocols, delete = d.intern_atom("WM_PROTOCOLS"), d.intern_atom("WM_DELETE_WINDOW")
        for w in wins:
            if w.get_attributes().map_state != X.IsViewable:
                continue
            ev = protocol.event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
            w.send_event(ev, event_mask=X.NoEventMask)
        d.sync()
        if not wins:
            sys.exit(f"no window belongs to process {pid}")
    else:
        sys.exit(__doc__)


main()
