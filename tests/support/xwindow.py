#!/usr/bin/python3
"""What a window manager would do to Berth's window, for the end-to-end tests (no window manager
runs under Xvfb): ask it to close (WM_DELETE_WINDOW, the title bar's close button) or say whether
it is shown.

    xwindow.py close PID     ask every top-level window of process PID to close
    xwindow.py shown PID     print "yes" when one of them is mapped, else "no"
"""
import sys

from Xlib import X, Xatom, display, protocol


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


def main():
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
