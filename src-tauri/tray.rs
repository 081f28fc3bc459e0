//! The tray icon: quick start and stop without opening the window. What the menu shows is computed
//! by a pure function from the engine state and the container list ([`model`]); this file's other
//! half only renders that description and runs what is clicked. The menu is rebuilt from engine
//! events, never on a timer.

use crate::engine::sync::lock;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};

use crate::engine::compose;
use crate::engine::containers::{self, Action, Container};
use crate::engine::engines::Engines;
use crate::engine::{Engine, EngineStatus};

/// At most this many container and project entries; the rest are behind "More…".
pub const MAX_ENTRIES: usize = 15;

/// The menu is rebuilt at most this often; the first change after a quiet spell at once.
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// What a click in the menu does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Container(Action, String),
    Project(Action, String),
    ShowWindow,
    Quit,
    /// A command for the engine of another docker context.
    On(String, Box<Command>),
}

impl Command {
    /// The menu item id that carries this command.
    pub fn id(&self) -> String {
        let verb = |a: &Action| format!("{a:?}").to_lowercase();
        match self {
            Command::Container(a, id) => format!("c:{}:{id}", verb(a)),
            Command::Project(a, name) => format!("p:{}:{name}", verb(a)),
            Command::ShowWindow => "show".into(),
            Command::Quit => "quit".into(),
            // Context names never hold a colon.
            Command::On(context, cmd) => format!("e:{context}:{}", cmd.id()),
        }
    }

    pub fn parse(id: &str) -> Option<Command> {
        match id {
            "show" => return Some(Command::ShowWindow),
            "quit" => return Some(Command::Quit),
            _ => {}
        }
        if let Some(rest) = id.strip_prefix("e:") {
            let (context, inner) = rest.split_once(':')?;
            let inner = Command::parse(inner)?;
            return matches!(inner, Command::Container(..) | Command::Project(..))
                .then(|| Command::On(context.to_string(), Box::new(inner)));
        }
        let (kind, rest) = id.split_once(':')?;
        let (verb, target) = rest.split_once(':')?;
        let action = match verb {
            "start" => Action::Start,
            "stop" => Action::Stop,
            "restart" => Action::Restart,
            _ => return None,
        };
        match kind {
            "c" => Some(Command::Container(action, target.to_string())),
            "p" => Some(Command::Project(action, target.to_string())),
            _ => None,
        }
    }
}

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A text that cannot be clicked.
    Note(String),
    /// A container with its actions.
    Container {
        label: String,
        actions: Vec<(String, Command)>,
    },
    /// A compose project, started and stopped as one.
    Project {
        label: String,
        actions: Vec<(String, Command)>,
    },
    /// "More…": opens the window.
    More(usize),
    /// Another engine: a submenu of its running containers.
    Engine {
        label: String,
        entries: Vec<Entry>,
    },
    Separator,
    Item(String, Command),
}

/// The whole tray: its tooltip (and title) and its menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    pub tooltip: String,
    pub entries: Vec<Entry>,
}

/// The tray for this engine state and container list. `recent` holds the ids of containers the
/// user acted on, most recent first: among stopped containers they come first, then the newest.
pub fn model(status: &EngineStatus, containers: &[Container], recent: &[String]) -> TrayModel {
    let footer = [
        Entry::Separator,
        Entry::Item("Show Berth".into(), Command::ShowWindow),
        Entry::Item("Quit".into(), Command::Quit),
    ];
    match status {
        EngineStatus::Connecting { .. } => {
            return TrayModel {
                tooltip: "Berth: connecting to the Docker engine".into(),
                entries: [Entry::Note("Connecting to the Docker engine…".into())]
                    .into_iter()
                    .chain(footer)
                    .collect(),
            }
        }
        EngineStatus::Unreachable { message, .. } => {
            return TrayModel {
                tooltip: format!("Berth: Docker engine unreachable ({message})"),
                entries: [Entry::Note(format!("Docker engine unreachable: {message}"))]
                    .into_iter()
                    .chain(footer)
                    .collect(),
            }
        }
        EngineStatus::Connected { .. } => {}
    }

    let up = containers.iter().filter(|c| c.state.is_up()).count();
    let tooltip = format!("Berth: {up} of {} containers running", containers.len());

    // One entry per container outside compose, one per project.
    struct Candidate {
        running: bool,
        recency: usize,
        created: i64,
        name: String,
        entry: Entry,
    }
    let recency = |id: &str| recent.iter().position(|r| r == id).unwrap_or(usize::MAX);
    let mut candidates = Vec::new();
    let mut projects: BTreeMap<&str, Vec<&Container>> = BTreeMap::new();
    for c in containers {
        if let Some(p) = c.project.as_deref() {
            projects.entry(p).or_default().push(c);
            continue;
        }
        let is_up = c.state.is_up();
        let actions = if is_up {
            vec![
                ("Stop".to_string(), Command::Container(Action::Stop, c.id.clone())),
                ("Restart".to_string(), Command::Container(Action::Restart, c.id.clone())),
            ]
        } else {
            vec![("Start".to_string(), Command::Container(Action::Start, c.id.clone()))]
        };
        let dot = if is_up { "●" } else { "○" };
        candidates.push(Candidate {
            running: is_up,
            recency: recency(&c.id),
            created: c.created,
            name: c.name.clone(),
            entry: Entry::Container { label: format!("{dot} {}", c.name), actions },
        });
    }
    for (name, members) in projects {
        let n_up = members.iter().filter(|c| c.state.is_up()).count();
        let mut actions = Vec::new();
        if n_up < members.len() {
            actions
                .push(("Start project".to_string(), Command::Project(Action::Start, name.into())));
        }
        if n_up > 0 {
            actions.push(("Stop project".to_string(), Command::Project(Action::Stop, name.into())));
            actions.push((
                "Restart project".to_string(),
                Command::Project(Action::Restart, name.into()),
            ));
        }
        let dot = if n_up > 0 { "●" } else { "○" };
        candidates.push(Candidate {
            running: n_up > 0,
            recency: members.iter().map(|c| recency(&c.id)).min().unwrap_or(usize::MAX),
            created: members.iter().map(|c| c.created).max().unwrap_or(0),
            name: name.to_string(),
            entry: Entry::Project {
                label: format!("{dot} {name} (compose, {n_up}/{} running)", members.len()),
                actions,
            },
        });
    }
    candidates.sort_by(|a, b| {
        b.running.cmp(&a.running).then_with(|| {
            if a.running {
                a.name.cmp(&b.name)
            } else {
                a.recency.cmp(&b.recency).then(b.created.cmp(&a.created)).then(a.name.cmp(&b.name))
            }
        })
    });

    let mut entries = Vec::new();
    if candidates.is_empty() {
        entries.push(Entry::Note("No containers".into()));
    }
    let hidden = candidates.len().saturating_sub(MAX_ENTRIES);
    entries.extend(candidates.into_iter().take(MAX_ENTRIES).map(|c| c.entry));
    if hidden > 0 {
        entries.push(Entry::More(hidden));
    }
    entries.extend(footer);
    TrayModel { tooltip, entries }
}

/// The section of another engine (the docker context `name`): its running containers, each
/// with Stop and Restart acting on that engine, or why there are none.
pub fn engine_section(name: &str, status: &EngineStatus, containers: &[Container]) -> Entry {
    let on = |cmd: Command| Command::On(name.to_string(), Box::new(cmd));
    let entries = match status {
        EngineStatus::Connecting { .. } => vec![Entry::Note("Connecting…".into())],
        EngineStatus::Unreachable { message, .. } => {
            vec![Entry::Note(format!("Unreachable: {message}"))]
        }
        EngineStatus::Connected { .. } => {
            let mut up: Vec<&Container> = containers.iter().filter(|c| c.state.is_up()).collect();
            up.sort_by(|a, b| a.name.cmp(&b.name));
            let hidden = up.len().saturating_sub(MAX_ENTRIES);
            let mut entries: Vec<Entry> = up
                .into_iter()
                .take(MAX_ENTRIES)
                .map(|c| Entry::Container {
                    label: format!("● {}", c.name),
                    actions: vec![
                        ("Stop".into(), on(Command::Container(Action::Stop, c.id.clone()))),
                        ("Restart".into(), on(Command::Container(Action::Restart, c.id.clone()))),
                    ],
                })
                .collect();
            if entries.is_empty() {
                entries.push(Entry::Note("No containers running".into()));
            }
            if hidden > 0 {
                entries.push(Entry::More(hidden));
            }
            entries
        }
    };
    let running = containers.iter().filter(|c| c.state.is_up()).count();
    let label = match status {
        EngineStatus::Connected { .. } => format!("Engine {name} ({running} running)"),
        EngineStatus::Connecting { .. } => format!("Engine {name} (connecting)"),
        EngineStatus::Unreachable { .. } => format!("Engine {name} (unreachable)"),
    };
    Entry::Engine { label, entries }
}

/// `model` with the sections of the other engines followed, just above Show Berth and Quit.
pub fn with_engines(mut model: TrayModel, sections: Vec<Entry>) -> TrayModel {
    if sections.is_empty() {
        return model;
    }
    let at = model.entries.iter().rposition(|e| *e == Entry::Separator).unwrap_or(0);
    model.entries.splice(at..at, std::iter::once(Entry::Separator).chain(sections));
    model
}

// ---- rendering -------------------------------------------------------------------------------

/// "More… (N more in the window)": opens the window.
fn more_item(app: &AppHandle, n: usize) -> tauri::Result<MenuItem<Wry>> {
    MenuItem::with_id(app, "show", format!("More… ({n} more in the window)"), true, None::<&str>)
}

/// A submenu named `label` of `actions`.
fn actions_menu(
    app: &AppHandle,
    label: &str,
    actions: &[(String, Command)],
) -> tauri::Result<Submenu<Wry>> {
    let items = actions
        .iter()
        .map(|(text, cmd)| MenuItem::with_id(app, cmd.id(), text, true, None::<&str>))
        .collect::<tauri::Result<Vec<_>>>()?;
    let refs: Vec<&dyn IsMenuItem<Wry>> = items.iter().map(|i| i as &dyn IsMenuItem<Wry>).collect();
    Submenu::with_items(app, label, true, &refs)
}

fn render(app: &AppHandle, model: &TrayModel) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(app)?;
    for entry in &model.entries {
        match entry {
            Entry::Note(text) => menu.append(&MenuItem::new(app, text, false, None::<&str>)?)?,
            Entry::Separator => menu.append(&PredefinedMenuItem::separator(app)?)?,
            Entry::Item(label, cmd) => {
                menu.append(&MenuItem::with_id(app, cmd.id(), label, true, None::<&str>)?)?
            }
            Entry::More(n) => menu.append(&more_item(app, *n)?)?,
            Entry::Container { label, actions } | Entry::Project { label, actions } => {
                menu.append(&actions_menu(app, label, actions)?)?;
            }
            Entry::Engine { label, entries } => {
                let sub = Submenu::new(app, label, true)?;
                for e in entries {
                    match e {
                        Entry::Container { label, actions } => {
                            sub.append(&actions_menu(app, label, actions)?)?
                        }
                        Entry::Note(text) => {
                            sub.append(&MenuItem::new(app, text, false, None::<&str>)?)?
                        }
                        Entry::More(n) => sub.append(&more_item(app, *n)?)?,
                        _ => {}
                    }
                }
                menu.append(&sub)?;
            }
        }
    }
    Ok(menu)
}

/// Ids of containers acted on from the tray, most recent first.
#[derive(Clone, Default)]
struct Recent(Arc<Mutex<VecDeque<String>>>);

impl Recent {
    fn touch(&self, id: &str) {
        let mut r = lock(&self.0);
        r.retain(|x| x != id);
        r.push_front(id.to_string());
        r.truncate(50);
    }
    fn list(&self) -> Vec<String> {
        lock(&self.0).iter().cloned().collect()
    }
}

async fn containers_of(engine: &Engine) -> (EngineStatus, std::sync::Arc<Vec<Container>>) {
    let status = engine.status();
    let list = match status {
        EngineStatus::Connected { .. } => engine.containers().await.unwrap_or_default(),
        _ => Default::default(),
    };
    (status, list)
}

/// Rebuild the menu when what it shows changed; `shown` is the model the menu was built from.
async fn refresh(
    app: &AppHandle,
    engines: &Engines,
    recent: &Recent,
    shown: &mut Option<TrayModel>,
) {
    let (status, list) = containers_of(&engines.cli()).await;
    let mut sections = Vec::new();
    for (name, engine) in engines.contexts() {
        let (status, list) = containers_of(&engine).await;
        sections.push(engine_section(&name, &status, &list));
    }
    let model = with_engines(model(&status, &list, &recent.list()), sections);
    // A rebuilt menu closes the one a user has open and renumbers its items: skip a same one.
    if shown.as_ref() == Some(&model) {
        return;
    }
    let Some(tray) = app.tray_by_id("berth") else { return };
    match render(app, &model) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => return tracing::warn!(error = %e, "tray menu"),
    }
    let _ = tray.set_tooltip(Some(&model.tooltip));
    #[cfg(target_os = "linux")]
    let _ = tray.set_title(Some(&model.tooltip));
    *shown = Some(model);
}

pub fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

async fn run_command(app: &AppHandle, engines: &Engines, recent: &Recent, cmd: Command) {
    let engine = match &cmd {
        Command::On(name, _) => match engines.context(name) {
            Some(e) => e,
            None => return tracing::warn!(name, "tray: that engine is no longer followed"),
        },
        _ => engines.cli(),
    };
    act(app, &engine, recent, cmd).await
}

async fn act(app: &AppHandle, engine: &Engine, recent: &Recent, cmd: Command) {
    match cmd {
        Command::ShowWindow => show_window(app),
        Command::Quit => app.exit(0),
        Command::On(_, inner) => Box::pin(act(app, engine, recent, *inner)).await,
        Command::Container(action, id) => {
            recent.touch(&id);
            let Ok(docker) = engine.docker() else { return };
            if let Err(e) = containers::act(&docker, &id, action).await {
                tracing::warn!(error = %e, ?action, id, "tray action failed");
            }
        }
        Command::Project(action, project) => {
            let Ok(docker) = engine.docker() else { return };
            let all = engine.containers().await.unwrap_or_default();
            for outcome in compose::act(&docker, &all, &project, action).await {
                recent.touch(&outcome.id);
                if let Err(e) = outcome.result {
                    tracing::warn!(error = %e, ?action, name = outcome.name, "tray project action failed");
                }
            }
        }
    }
}

/// Whether the desktop shows Berth's tray icon now: the icon was made, and a StatusNotifier host
/// (KDE's and Xfce's panels, GNOME's AppIndicator extension, ...) is registered on the session
/// bus. Stock GNOME has none: there the icon is never seen, and a hidden window could not be
/// brought back. Asked each time, since a panel can start or stop after Berth; one second at
/// most.
pub async fn shown(app: &AppHandle) -> bool {
    if app.tray_by_id("berth").is_none() {
        return false;
    }
    let ask = async {
        let bus = zbus::Connection::session().await.ok()?;
        let watcher = zbus::Proxy::new(
            &bus,
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.kde.StatusNotifierWatcher",
        )
        .await
        .ok()?;
        watcher.get_property::<bool>("IsStatusNotifierHostRegistered").await.ok()
    };
    let host = tokio::time::timeout(std::time::Duration::from_secs(1), ask).await;
    matches!(host, Ok(Some(true)))
}

/// Create the tray icon and keep it in step with the engine.
pub fn install(app: &AppHandle, engines: &Engines) -> tauri::Result<TrayIcon> {
    let recent = Recent::default();
    let first = model(&engines.cli().status(), &[], &[]);
    let (e, r) = (engines.clone(), recent.clone());
    let tray = TrayIconBuilder::with_id("berth")
        .icon(tauri::include_image!("icons/64x64.png"))
        .tooltip(&first.tooltip)
        .menu(&render(app, &first)?)
        .show_menu_on_left_click(true)
        .on_menu_event(move |app, event| {
            let Some(cmd) = Command::parse(event.id().as_ref()) else { return };
            let (app, e, r) = (app.clone(), e.clone(), r.clone());
            tauri::async_runtime::spawn(async move { run_command(&app, &e, &r, cmd).await });
        })
        .build(app)?;
    let (handle, engines) = (app.clone(), engines.clone());
    // Any engine connecting, going or coming, or its containers changing.
    let (mut list, mut containers) = (engines.watch_list(), engines.watch_containers());
    tauri::async_runtime::spawn(async move {
        let mut shown = None;
        refresh(&handle, &engines, &recent, &mut shown).await;
        let mut refreshed = tokio::time::Instant::now();
        loop {
            tokio::select! {
                changed = list.changed() => if changed.is_err() { return },
                changed = containers.changed() => if changed.is_err() { return },
            }
            // A burst of changes is taken in by one refresh a period: each rebuilds the menu
            // on the window's main thread.
            tokio::time::sleep_until(refreshed + REFRESH_EVERY).await;
            list.borrow_and_update();
            containers.borrow_and_update();
            refresh(&handle, &engines, &recent, &mut shown).await;
            refreshed = tokio::time::Instant::now();
        }
    });
    Ok(tray)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::LocalTime;
    use crate::engine::connect::{
        EngineInfo, HostSource, Product, ResolvedHost, UnreachableReason,
    };
    use crate::engine::containers::ContainerState;

    fn up() -> EngineStatus {
        EngineStatus::Connected {
            host: ResolvedHost::plain("unix:///var/run/docker.sock", HostSource::Default),
            engine: EngineInfo {
                product: Product::Docker,
                name: "box".into(),
                version: "20.10.24".into(),
                api_version: "1.41".into(),
                os: "linux".into(),
                arch: "amd64".into(),
            },
        }
    }

    fn c(name: &str, state: ContainerState, created: i64, project: Option<&str>) -> Container {
        Container {
            id: format!("id-{name}"),
            name: name.into(),
            image: "img".into(),
            image_id: "sha256:0".into(),
            command: "sh".into(),
            created,
            created_local: LocalTime::of(created, None),
            state,
            up: state.is_up(),
            status: String::new(),
            exit_code: None,
            health: None,
            ports: vec![],
            project: project.map(String::from),
            service: project.map(|_| name.to_string()),
            networks: vec![],
        }
    }

    fn labels(m: &TrayModel) -> Vec<String> {
        m.entries
            .iter()
            .map(|e| match e {
                Entry::Note(t) => format!("note {t}"),
                Entry::Container { label, actions } | Entry::Project { label, actions } => {
                    let verbs: Vec<_> = actions.iter().map(|(t, _)| t.as_str()).collect();
                    format!("{label} [{}]", verbs.join(","))
                }
                Entry::More(n) => format!("more {n}"),
                Entry::Separator => "--".into(),
                Entry::Item(t, _) => t.clone(),
                Entry::Engine { label, entries } => format!("{label} ({} entries)", entries.len()),
            })
            .collect()
    }

    #[test]
    fn running_first_by_name_then_stopped_recently_used_then_newest() {
        use ContainerState::*;
        let list = [
            c("web", Running, 1, None),
            c("db", Running, 2, None),
            c("old", Exited, 10, None),
            c("new", Exited, 30, None),
            c("touched", Exited, 5, None),
            c("made", Created, 20, None),
        ];
        let m = model(&up(), &list, &["id-touched".into()]);
        assert_eq!(m.tooltip, "Berth: 2 of 6 containers running");
        assert_eq!(
            labels(&m),
            [
                "● db [Stop,Restart]",
                "● web [Stop,Restart]",
                "○ touched [Start]",
                "○ new [Start]",
                "○ made [Start]",
                "○ old [Start]",
                "--",
                "Show Berth",
                "Quit"
            ]
        );
    }

    #[test]
    fn compose_projects_are_one_entry_with_project_actions() {
        use ContainerState::*;
        let list = [
            c("shop-web-1", Running, 1, Some("shop")),
            c("shop-db-1", Exited, 1, Some("shop")),
            c("blog-web-1", Exited, 1, Some("blog")),
            c("solo", Exited, 1, None),
        ];
        let m = model(&up(), &list, &[]);
        let l = labels(&m);
        assert_eq!(
            l[0],
            "● shop (compose, 1/2 running) [Start project,Stop project,Restart project]"
        );
        assert!(l.contains(&"○ blog (compose, 0/1 running) [Start project]".to_string()), "{l:?}");
        let Entry::Project { actions, .. } = &m.entries[0] else { panic!() };
        assert_eq!(actions[1].1, Command::Project(Action::Stop, "shop".into()));
    }

    #[test]
    fn at_most_fifteen_entries_then_more() {
        let list: Vec<_> =
            (0..40).map(|i| c(&format!("c{i:02}"), ContainerState::Exited, i, None)).collect();
        let m = model(&up(), &list, &[]);
        let shown = m.entries.iter().filter(|e| matches!(e, Entry::Container { .. })).count();
        assert_eq!(shown, MAX_ENTRIES);
        assert!(m.entries.contains(&Entry::More(25)));
        // Newest first among stopped ones.
        assert_eq!(labels(&m)[0], "○ c39 [Start]");
    }

    #[test]
    fn unreachable_and_empty_engines_say_so() {
        let down = EngineStatus::Unreachable {
            host: "unix:///x".into(),
            reason: UnreachableReason::SocketMissing,
            message: "no Docker engine socket at /x".into(),
        };
        let m = model(&down, &[], &[]);
        assert!(m.tooltip.contains("unreachable") && m.tooltip.contains("/x"));
        assert_eq!(
            labels(&m),
            [
                "note Docker engine unreachable: no Docker engine socket at /x",
                "--",
                "Show Berth",
                "Quit"
            ]
        );
        assert_eq!(labels(&model(&up(), &[], &[]))[0], "note No containers");
    }

    #[test]
    fn menu_ids_round_trip() {
        for cmd in [
            Command::Container(Action::Stop, "abc123".into()),
            Command::Container(Action::Start, "abc".into()),
            Command::Project(Action::Restart, "my:project".into()),
            Command::ShowWindow,
            Command::Quit,
            Command::On(
                "build-box".into(),
                Box::new(Command::Container(Action::Stop, "ab".into())),
            ),
            Command::On("b".into(), Box::new(Command::Project(Action::Start, "my:project".into()))),
        ] {
            assert_eq!(Command::parse(&cmd.id()), Some(cmd));
        }
        assert_eq!(Command::parse("c:kill:x"), None);
        assert_eq!(Command::parse("nonsense"), None);
        assert_eq!(Command::parse("e:box:quit"), None);
    }

    #[test]
    fn other_engines_list_their_running_containers_acting_on_them() {
        let list = vec![
            c("web", ContainerState::Running, 1, None),
            c("db", ContainerState::Running, 2, Some("shop")),
            c("old", ContainerState::Exited, 3, None),
        ];
        let Entry::Engine { label, entries } = engine_section("box", &up(), &list) else {
            panic!("not an engine section")
        };
        assert_eq!(label, "Engine box (2 running)");
        let names: Vec<_> = entries
            .iter()
            .map(|e| match e {
                Entry::Container { label, actions } => {
                    assert!(actions
                        .iter()
                        .all(|(_, c)| matches!(c, Command::On(n, _) if n == "box")));
                    label.clone()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(names, ["● db", "● web"]);

        let down = EngineStatus::Unreachable {
            host: "tcp://h:2376".into(),
            reason: UnreachableReason::Refused,
            message: "refused".into(),
        };
        let section = engine_section("gone", &down, &[]);
        assert_eq!(
            section,
            Entry::Engine {
                label: "Engine gone (unreachable)".into(),
                entries: vec![Entry::Note("Unreachable: refused".into())]
            }
        );
        // Above Show Berth and Quit, after a separator.
        let m = with_engines(model(&up(), &list, &[]), vec![section]);
        let tail: Vec<_> = labels(&m).into_iter().rev().take(4).collect();
        assert_eq!(tail[..2], ["Quit".to_string(), "Show Berth".to_string()]);
        assert!(matches!(m.entries[m.entries.len() - 4], Entry::Engine { .. }));
        assert_eq!(m.entries[m.entries.len() - 5], Entry::Separator);
    }
}
