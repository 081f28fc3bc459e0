//! Several engines at once: each connected engine keeps its own connection, status, event
//! stream and caches (an [`Engine`]); the window shows one of them, the active one. Switching
//! changes which one that is and tears nothing down, so streams started on an engine go on.

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
}

impl Engines {
    /// Start with `first` (already running) shown.
    pub fn new(env: ResolveEnv, first: Engine) -> Self {
        let (active, _) = watch::channel(first.clone());
        let (changed, _) = watch::channel(0);
        let engines = Self { env, all: Arc::new(RwLock::new(Vec::new())), active, changed };
        engines.add(first);
        engines
    }

    fn add(&self, engine: Engine) {
        write(&self.all).push(engine.clone());
        let (changed, mut status) = (self.changed.clone(), engine.subscribe().status);
        tokio::spawn(async move {
            changed.send_modify(|n| *n += 1);
            while status.changed().await.is_ok() {
                changed.send_modify(|n| *n += 1);
            }
        });
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
}
