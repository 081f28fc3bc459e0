//! Several engines at once: each connected engine keeps its own connection, status, event
//! stream and caches (an [`Engine`]); the window shows one of them, the active one. Switching
//! changes which one that is and tears nothing down, so streams started on an engine go on.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::sync::watch;

use super::connect::{resolve_target, Engine, EngineStatus, ResolveEnv, Target};
use super::error::{EngineError, ErrorCode};
use super::sync::{read, write};

/// An engine as the switcher lists it: what it follows, its address and its state. No keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EngineEntry {
    pub target: EngineRef,
    /// `docker` (the CLI's choice) or the context's name.
    pub label: String,
    pub host: String,
    pub status: EngineStatus,
    pub active: bool,
}

/// Which engine, as the UI names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", content = "name")]
pub enum EngineRef {
    /// The engine the docker CLI uses (`DOCKER_HOST`, `DOCKER_CONTEXT`, its current context).
    Cli,
    Context(String),
}

impl From<&Target> for EngineRef {
    fn from(t: &Target) -> Self {
        match t {
            Target::Cli => EngineRef::Cli,
            Target::Context(n) => EngineRef::Context(n.clone()),
        }
    }
}

impl EngineRef {
    pub fn target(&self) -> Target {
        match self {
            EngineRef::Cli => Target::Cli,
            EngineRef::Context(n) => Target::Context(n.clone()),
        }
    }
}

/// The connected engines and which one the window shows. Cheap to clone.
#[derive(Clone)]
pub struct Engines {
    env: ResolveEnv,
    all: Arc<RwLock<Vec<Engine>>>,
    active: watch::Sender<Engine>,
    /// Bumped whenever an engine is added or removed or any engine's status changes.
    changed: watch::Sender<u64>,
    /// Bumped whenever any engine's containers change (for the tray).
    containers: watch::Sender<u64>,
    /// Where the contexts followed are kept for the next start (a JSON list of names).
    kept: Arc<RwLock<Option<PathBuf>>>,
}

impl Engines {
    /// Start with `first` (already running) shown.
    pub fn new(env: ResolveEnv, first: Engine) -> Self {
        let (active, _) = watch::channel(first.clone());
        let (changed, _) = watch::channel(0);
        let engines = Self {
            env,
            all: Arc::new(RwLock::new(Vec::new())),
            active,
            changed,
            containers: watch::channel(0).0,
            kept: Default::default(),
        };
        engines.add(first);
        engines
    }

    /// Connect the contexts kept in `path` (those followed when Berth last ran), and keep the
    /// list there from now on. A context that is gone is dropped from it.
    pub fn restore(&self, path: PathBuf) {
        let names: Vec<String> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        for name in names {
            if let Err(e) = self.open(&Target::Context(name.clone())) {
                tracing::info!(name, error = %e, "a context followed before is gone");
            }
        }
        *write(&self.kept) = Some(path);
        self.keep();
    }

    /// Write the contexts followed now where [`Engines::restore`] reads them.
    fn keep(&self) {
        let Some(path) = read(&self.kept).clone() else { return };
        let names: Vec<String> = read(&self.all)
            .iter()
            .filter_map(|e| match e.target() {
                Target::Context(n) => Some(n.clone()),
                Target::Cli => None,
            })
            .collect();
        let text = serde_json::to_string(&names).unwrap_or_else(|_| "[]".into());
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension("tmp");
        let wrote = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = wrote {
            tracing::warn!(path = %path.display(), error = %e, "cannot keep the engines followed");
        }
    }

    fn add(&self, engine: Engine) {
        write(&self.all).push(engine.clone());
        let sub = engine.subscribe();
        let (changed, mut status) = (self.changed.clone(), sub.status);
        tokio::spawn(async move {
            changed.send_modify(|n| *n += 1);
            while status.changed().await.is_ok() {
                changed.send_modify(|n| *n += 1);
            }
        });
        let (containers, mut changes, mut closed) =
            (self.containers.clone(), sub.changes, engine.closed());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    got = changes.recv() => match got {
                        Ok(set) if !set.containers => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                        _ => containers.send_modify(|n| *n += 1),
                    },
                    _ = closed.wait_for(|c| *c) => return,
                }
            }
        });
    }

    /// Follow every change of any engine's containers.
    pub fn watch_containers(&self) -> watch::Receiver<u64> {
        self.containers.subscribe()
    }

    /// The engine the docker CLI uses (always followed).
    pub fn cli(&self) -> Engine {
        self.find(&Target::Cli).unwrap_or_else(|| self.active())
    }

    /// The engines of docker contexts followed, by name.
    pub fn contexts(&self) -> Vec<(String, Engine)> {
        read(&self.all)
            .iter()
            .filter_map(|e| match e.target() {
                Target::Context(n) => Some((n.clone(), e.clone())),
                Target::Cli => None,
            })
            .collect()
    }

    /// The followed engine of the context `name`.
    pub fn context(&self, name: &str) -> Option<Engine> {
        self.find(&Target::Context(name.to_string()))
    }

    /// The engine the window shows.
    pub fn active(&self) -> Engine {
        self.active.borrow().clone()
    }

    /// Follow which engine is shown.
    pub fn watch_active(&self) -> watch::Receiver<Engine> {
        self.active.subscribe()
    }

    /// Follow every change of the list (an engine added, removed, connected or lost).
    pub fn watch_list(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    fn find(&self, target: &Target) -> Option<Engine> {
        read(&self.all).iter().find(|e| e.target() == target).cloned()
    }

    /// The engine `target`, connecting to it first if it is not yet (in the background: the
    /// call returns at once, and the engine's status says how it goes).
    pub fn open(&self, target: &Target) -> Result<Engine, EngineError> {
        if let Some(e) = self.find(target) {
            return Ok(e);
        }
        if let Err(u) = resolve_target(&self.env, target) {
            return Err(EngineError::new(ErrorCode::NotFound, u.message));
        }
        let engine = Engine::following(self.env.clone(), target.clone());
        tokio::spawn(engine.clone().run());
        self.add(engine.clone());
        self.keep();
        Ok(engine)
    }

    /// Show `target`, connecting to it if needed.
    pub fn switch(&self, target: &Target) -> Result<Engine, EngineError> {
        let engine = self.open(target)?;
        self.active.send_replace(engine.clone());
        self.changed.send_modify(|n| *n += 1);
        Ok(engine)
    }

    /// Stop following `target`. The engine shown and the docker CLI's own stay.
    pub fn close(&self, target: &Target) -> Result<(), EngineError> {
        if *target == Target::Cli || self.active().target() == target {
            return Err(EngineError::new(
                ErrorCode::InUse,
                "the engine shown and the docker CLI's own engine stay connected",
            ));
        }
        let mut all = write(&self.all);
        let Some(at) = all.iter().position(|e| e.target() == target) else {
            return Ok(());
        };
        all.remove(at).stop();
        drop(all);
        self.keep();
        self.changed.send_modify(|n| *n += 1);
        Ok(())
    }

    /// Every engine followed, the docker CLI's first.
    pub fn list(&self) -> Vec<EngineEntry> {
        let active = self.active();
        read(&self.all)
            .iter()
            .map(|e| {
                let status = e.status();
                let host = match &status {
                    EngineStatus::Connecting { host } | EngineStatus::Unreachable { host, .. } => {
                        host.clone()
                    }
                    EngineStatus::Connected { host, .. } => host.uri.clone(),
                };
                EngineEntry {
                    target: e.target().into(),
                    label: match e.target() {
                        Target::Cli => "docker".into(),
                        Target::Context(n) => n.clone(),
                    },
                    host,
                    status,
                    active: e.same(&active),
                }
            })
            .collect()
    }

    /// The environment engines are resolved in (the docker CLI's config directory, ...).
    pub fn env(&self) -> &ResolveEnv {
        &self.env
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config dir with the context `box` on a socket nobody listens on.
    fn env_with_box(dir: &std::path::Path) -> ResolveEnv {
        let spec = crate::engine::contexts::ContextSpec {
            name: "box".into(),
            description: String::new(),
            host: format!("unix://{}/nobody.sock", dir.display()),
            ca: None,
            cert: None,
            key: None,
            skip_tls_verify: false,
            plain_tcp_accepted: false,
        };
        crate::engine::contexts::save(dir, &spec, None).unwrap();
        ResolveEnv {
            docker_host: Some(format!("unix://{}/cli.sock", dir.display())),
            config_dir: Some(dir.to_path_buf()),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn switching_shows_another_engine_and_keeps_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_with_box(dir.path());
        let first = Engine::new(env.clone());
        let engines = Engines::new(env, first.clone());
        let mut active = engines.watch_active();
        assert_eq!(engines.list().len(), 1);
        assert_eq!(engines.list()[0].label, "docker");

        let Err(missing) = engines.switch(&Target::Context("nope".into())) else {
            panic!("a context that does not exist was opened")
        };
        assert_eq!(missing.code, ErrorCode::NotFound);
        assert!(engines.active().same(&first));

        let shown = engines.switch(&Target::Context("box".into())).unwrap();
        assert!(active.has_changed().unwrap());
        assert!(active.borrow_and_update().same(&shown));
        let list = engines.list();
        assert_eq!(
            list.iter().map(|e| (e.label.as_str(), e.active)).collect::<Vec<_>>(),
            [("docker", false), ("box", true)]
        );
        // Opening it again is the same engine, not a second connection.
        assert!(engines.open(&Target::Context("box".into())).unwrap().same(&shown));

        // The shown one and the CLI's stay; another can go.
        assert_eq!(
            engines.close(&Target::Context("box".into())).unwrap_err().code,
            ErrorCode::InUse
        );
        assert_eq!(engines.close(&Target::Cli).unwrap_err().code, ErrorCode::InUse);
        engines.switch(&Target::Cli).unwrap();
        engines.close(&Target::Context("box".into())).unwrap();
        assert_eq!(engines.list().len(), 1);
        first.stop();
    }

    #[tokio::test]
    async fn the_contexts_followed_are_kept_for_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_with_box(dir.path());
        let kept = dir.path().join("engines.json");
        std::fs::write(&kept, r#"["box", "gone"]"#).unwrap();
        let engines = Engines::new(env.clone(), Engine::new(env.clone()));
        engines.restore(kept.clone());
        let labels: Vec<_> = engines.list().into_iter().map(|e| e.label).collect();
        assert_eq!(labels, ["docker", "box"]);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), r#"["box"]"#);
        engines.close(&Target::Context("box".into())).unwrap();
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "[]");
    }
}
