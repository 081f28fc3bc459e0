//! The tray menu as the desktop sees it: read over D-Bus (the dbusmenu Berth exports through
//! libayatana-appindicator) and clicked there, checked with the docker CLI. Needs the session bus
//! that `scripts/test.sh` starts with dbus-run-session.

use std::process::Command;

use crate::cli::{docker, unique, Cleanup, BUSYBOX};
use crate::harness::App;
use crate::live::wait_running;

const MENU: &str = "/org/ayatana/NotificationItem/tray_icon_tray_app_berth/Menu";

fn gdbus(args: &[&str]) -> Option<String> {
    let out = Command::new("gdbus").arg("call").arg("--session").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The tray menu's layout (GVariant text) from whichever bus connection exports it.
fn layout() -> Option<(String, String)> {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "the tray test needs a D-Bus session bus: run it under dbus-run-session (scripts/test.sh does)"
    );
    let names = gdbus(&[
        "--dest",
        "org.freedesktop.DBus",
        "--object-path",
        "/org/freedesktop/DBus",
        "--method",
        "org.freedesktop.DBus.ListNames",
    ])?;
    names.split('\'').filter(|n| n.starts_with(":1.")).find_map(|name| {
        // Not every connection answers calls it has no object for: ask each briefly.
        let l = gdbus(&[
            "--timeout",
            "1",
            "--dest",
            name,
            "--object-path",
            MENU,
            "--method",
            "com.canonical.dbusmenu.GetLayout",
            "--",
            "0",
            "-1",
            "[]",
        ])?;
        Some((name.to_string(), l))
    })
}

/// The id of item `label` inside the submenu labelled `parent` (or anywhere, for `None`), if the
/// layout has it.
fn item_id(layout: &str, parent: Option<&str>, label: &str) -> Option<String> {
    let sub = match parent {
        None => layout,
        Some(parent) => {
            let at = layout.find(&format!("'label': <'{parent}'>"))?;
            let rest = &layout[at..];
            // The submenu closes at the first "])>" that does not close an empty item ("@av [])>").
            let end = rest
                .match_indices("])>")
                .map(|(i, _)| i)
                .find(|&i| !rest[..i].ends_with("@av ["))
                .unwrap_or(rest.len());
            &rest[..end]
        }
    };
    let item = sub.find(&format!("{{'label': <'{label}'>}}"))?;
    let open = sub[..item].rfind('(')?;
    Some(sub[open + 1..item].trim_end_matches([',', ' ']).to_string())
}

/// Click `label` (inside the submenu `parent`, if given) in the tray menu. The menu is rebuilt
/// when the engine changes, which renumbers its items: a click on a number gone is tried again.
pub async fn click(app: &App, parent: Option<&str>, label: &str) {
    app.wait_for(&format!("a click on '{label}' under {parent:?} in the tray menu"), || async {
        let (bus, l) = layout()?;
        let id = item_id(&l, parent, label)?;
        gdbus(&[
            "--dest",
            &bus,
            "--object-path",
            MENU,
            "--method",
            "com.canonical.dbusmenu.Event",
            "--",
            &id,
            "clicked",
            "<0>",
            "0",
        ])
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tray_stops_and_starts_a_container() {
    let mut cleanup = Cleanup::default();
    let name = unique("tray");
    cleanup.container(&name);
    docker(&["run", "-d", "--init", "--name", &name, BUSYBOX, "sleep", "600"]);

    let app = App::launch(&[]).await;
    click(&app, Some(&format!("● {name}")), "Stop").await;
    wait_running(&app, &name, false).await;
    // The menu follows the engine: the container is now offered Start.
    click(&app, Some(&format!("○ {name}")), "Start").await;
    wait_running(&app, &name, true).await;
    app.quit().await;
}

#[test]
fn item_ids_are_read_from_a_layout() {
    let l = "(uint32 4, (0, {'children-display': <'submenu'>}, [<(12, {'children-display': <'submenu'>, 'label': <'● web'>}, [<(13, {'label': <'Stop'>}, @av [])>, <(14, {'label': <'Restart'>}, @av [])>])>, <(16, {'label': <'Show Berth'>}, @av [])>]))";
    assert_eq!(item_id(l, Some("● web"), "Stop").as_deref(), Some("13"));
    assert_eq!(item_id(l, Some("● web"), "Restart").as_deref(), Some("14"));
    assert_eq!(item_id(l, Some("● db"), "Stop"), None);
    assert_eq!(item_id(l, None, "Show Berth").as_deref(), Some("16"));
}
