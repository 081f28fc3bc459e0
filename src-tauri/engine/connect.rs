//! Which engine to talk to, and staying connected to it.
//!
//! Resolution follows the docker CLI: `DOCKER_HOST`, then `DOCKER_CONTEXT`, then
//! `currentContext` in the CLI's `config.json`, then the default socket. The [`Engine`] handle
//! keeps one connection state, retries with backoff while the engine is away, and announces a
//! full resync every time it (re)connects.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bollard::{ClientVersion, Docker, API_DEFAULT_VERSION};
use futures_util::StreamExt;
use serde::Serialize;
use specta::Type;
use tokio::sync::{broadcast, watch, Notify};

use super::cancel::Cancels;
use super::compose::{self, Down};
use super::containers::Container;
use super::contexts;
use super::error::{io_kind, EngineError, ErrorCode};
use super::events::{self, ChangeSet, Life, Row};
use super::images::{self, Image, LayerCache, Transfers};
use super::incidents::{Incident, Watch};
use super::networks::{self, NetworkSpec, Removal};
use super::shared::{ListUpdate, SharedList};
use super::sync::{lock, read, write};
use super::transport::{self, Address, TlsFiles, Tunnel};

/// The socket the docker CLI uses when nothing else is configured.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// How long one connection attempt may take before the engine counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Per-request timeout for ordinary calls once connected.
const REQUEST_TIMEOUT_SECS: u64 = 120;
const BACKOFF_MIN: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// Where the engine address came from; shown to the user so they know what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", content = "name")]
pub enum HostSource {
    /// The `DOCKER_HOST` environment variable.
    DockerHost,
    /// A context named by the `DOCKER_CONTEXT` environment variable.
    EnvContext(String),
    /// The `currentContext` of the docker CLI's config.json.
    ConfigContext(String),
    /// Nothing configured: the default socket.
    Default,
    /// A context chosen in Berth, whichever the docker CLI uses.
    Context(String),
}

/// The engine address Berth will use and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ResolvedHost {
    /// An address as the docker CLI writes it, e.g. `unix:///var/run/docker.sock`.
    pub uri: String,
    pub source: HostSource,
    /// Where the TLS files are (never their contents), for a `tcp://` engine that uses TLS.
    #[serde(skip)]
    pub tls: Option<Box<TlsFiles>>,
    /// An ssh config file to use instead of `~/.ssh/config`, for `ssh://` engines.
    #[serde(skip)]
    pub ssh_config: Option<Box<PathBuf>>,
}

impl ResolvedHost {
    /// `uri` from `source`, with no TLS and the user's own ssh config.
    pub fn plain(uri: impl Into<String>, source: HostSource) -> Self {
        Self { uri: uri.into(), source, tls: None, ssh_config: None }
    }
}

/// The inputs of host resolution, read from the process once and passed in so tests can
/// supply their own.
#[derive(Debug, Clone, Default)]
pub struct ResolveEnv {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    /// The docker CLI's config directory (`$DOCKER_CONFIG`, else `~/.docker`).
    pub config_dir: Option<PathBuf>,
    /// `DOCKER_TLS_VERIFY` is set: TLS, checking the engine's certificate.
    pub tls_verify: bool,
    /// `DOCKER_TLS` is set: TLS without checking the engine's certificate.
    pub tls: bool,
    /// `DOCKER_CERT_PATH`: where `DOCKER_HOST`'s TLS files are (else the config directory).
    pub cert_path: Option<PathBuf>,
    /// `BERTH_SSH_CONFIG`: an ssh config file for `ssh://` engines instead of `~/.ssh/config`.
    pub ssh_config: Option<PathBuf>,
}

impl ResolveEnv {
    pub fn from_process() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let config_dir = var("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| Path::new(&h).join(".docker")));
        Self {
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            config_dir,
            tls_verify: var("DOCKER_TLS_VERIFY").is_some(),
            tls: var("DOCKER_TLS").is_some(),
            cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
            ssh_config: var("BERTH_SSH_CONFIG").map(PathBuf::from),
        }
    }

    /// `DOCKER_HOST`'s TLS files, when `DOCKER_TLS_VERIFY` or `DOCKER_TLS` asks for TLS.
    fn host_tls(&self) -> Option<TlsFiles> {
        if !(self.tls_verify || self.tls) {
            return None;
        }
        let dir = self.cert_path.clone().or_else(|| self.config_dir.clone())?;
        Some(TlsFiles::in_dir(&dir, self.tls_verify))
    }
}

/// Why the engine cannot be used right now. The UI explains each one differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum UnreachableReason {
    /// Nothing listens at the socket path: the engine is not running (or not installed).
    SocketMissing,
    /// The socket exists but this user may not open it.
    PermissionDenied,
    /// Something is there but refused or dropped the connection.
    Refused,
    /// The engine did not answer in time.
    Timeout,
    /// The configured address cannot be used (malformed, or a scheme Berth does not speak).
    InvalidHost,
    /// The configured context does not exist.
    ContextNotFound,
    /// The engine was connected and went away.
    Lost,
    /// A `tcp://` address that is not this machine, without TLS: refused.
    Insecure,
    /// The TLS files cannot be used, or the engine's certificate or ours was not accepted.
    Tls,
    /// The ssh host is not in known_hosts yet.
    HostKeyUnknown,
    /// The ssh host's key differs from the one in known_hosts.
    HostKeyChanged,
    /// ssh accepted no key (or the host wants a password).
    SshAuth,
    /// The ssh host has no (new enough) `docker` command.
    DockerMissing,
}

/// Which engine speaks the Docker API at a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum Product {
    Docker,
    /// Podman's Docker-compatible API.
    Podman,
}

/// What the connected engine says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EngineInfo {
    pub product: Product,
    /// Engine name: the host name the engine reports.
    pub name: String,
    /// Engine version, e.g. `20.10.24`.
    pub version: String,
    /// The API version Berth negotiated, e.g. `1.41`.
    pub api_version: String,
    pub os: String,
    pub arch: String,
}

/// The connection state the whole app shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state")]
pub enum EngineStatus {
    Connecting { host: String },
    Connected { host: ResolvedHost, engine: EngineInfo },
    Unreachable { host: String, reason: UnreachableReason, message: String },
}

/// An engine the user cannot use, with the reason and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    pub reason: UnreachableReason,
    pub message: String,
}

impl Unreachable {
    pub fn new(reason: UnreachableReason, message: impl Into<String>) -> Self {
        Self { reason, message: message.into() }
    }
}

/// Resolve the engine address the way the docker CLI does.
pub fn resolve(env: &ResolveEnv) -> Result<ResolvedHost, Unreachable> {
    let with_ssh =
        |h: ResolvedHost| ResolvedHost { ssh_config: env.ssh_config.clone().map(Box::new), ..h };
    if let Some(host) = &env.docker_host {
        let uri = host.trim().to_string();
        return Ok(with_ssh(ResolvedHost {
            tls: env.host_tls().map(Box::new),
            ..ResolvedHost::plain(uri, HostSource::DockerHost)
        }));
    }
    if let Some(name) = &env.docker_context {
        return context_host(env.config_dir.as_deref(), name, HostSource::EnvContext(name.clone()))
            .map(with_ssh);
    }
    if let Some(name) = env.config_dir.as_deref().and_then(current_context) {
        return context_host(
            env.config_dir.as_deref(),
            &name,
            HostSource::ConfigContext(name.clone()),
        )
        .map(with_ssh);
    }
    Ok(with_ssh(ResolvedHost::plain(DEFAULT_HOST, HostSource::Default)))
}

/// The engine `target` names now.
pub fn resolve_target(env: &ResolveEnv, target: &Target) -> Result<ResolvedHost, Unreachable> {
    match target {
        Target::Cli => resolve(env),
        Target::Context(name) => resolve_context(env, name),
    }
}

/// The engine of the context `name` (`default` is the default socket), whatever the CLI uses now.
pub fn resolve_context(env: &ResolveEnv, name: &str) -> Result<ResolvedHost, Unreachable> {
    let source = HostSource::Context(name.to_string());
    context_host(env.config_dir.as_deref(), name, source)
        .map(|h| ResolvedHost { ssh_config: env.ssh_config.clone().map(Box::new), ..h })
}

/// `currentContext` from config.json. A missing or malformed file means "no context", as in
/// the CLI, which warns and carries on with its defaults.
fn current_context(config_dir: &Path) -> Option<String> {
    let path = config_dir.join("config.json");
    let text = std::fs::read_to_string(&path).ok()?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => v
            .get("currentContext")
            .and_then(|c| c.as_str())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "ignoring malformed docker config");
            None
        }
    }
}

/// The docker endpoint of a named context (see [`contexts`]), with its TLS files.
fn context_host(
    config_dir: Option<&Path>,
    name: &str,
    source: HostSource,
) -> Result<ResolvedHost, Unreachable> {
    if name == "default" {
        return Ok(ResolvedHost::plain(DEFAULT_HOST, source));
    }
    let not_found = || {
        Unreachable::new(
            UnreachableReason::ContextNotFound,
            format!("docker context \"{name}\" does not exist"),
        )
    };
    let dir = config_dir.ok_or_else(not_found)?;
    let ctx = contexts::find(dir, name).ok_or_else(not_found)?;
    let Some(uri) = ctx.host.filter(|h| !h.is_empty()) else {
        return Err(Unreachable::new(
            UnreachableReason::InvalidHost,
            format!("docker context \"{name}\" has no docker endpoint"),
        ));
    };
    let tls_dir = contexts::tls_dir(dir, name);
    let tls = (tls_dir.is_dir() || ctx.skip_tls_verify)
        .then(|| Box::new(TlsFiles::in_dir(&tls_dir, !ctx.skip_tls_verify)));
    Ok(ResolvedHost { tls, ..ResolvedHost::plain(uri, source) })
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connected").field("info", &self.info).field("socket", &self.socket).finish()
    }
}

/// A live connection: the client, what the engine is, and the unix socket Berth's other
/// clients use to reach it (the engine's own, or the private one of its [`Tunnel`]).
#[derive(Clone)]
pub struct Connected {
    pub docker: Docker,
    pub info: EngineInfo,
    pub socket: PathBuf,
    tunnel: Option<Arc<Tunnel>>,
}

/// Open a connection to `host`, negotiate the API version, and read what the engine is.
pub async fn connect(host: &ResolvedHost) -> Result<Connected, Unreachable> {
    connect_via(host, None).await
}

/// [`connect`], reusing `tunnel` for a remote engine so the socket stays where it was.
async fn connect_via(
    host: &ResolvedHost,
    tunnel: Option<Arc<Tunnel>>,
) -> Result<Connected, Unreachable> {
    let address = transport::parse(&host.uri, host.tls.is_some())?;
    let ssh_config = host.ssh_config.as_deref().cloned();
    let dial = transport::dial_for(&address, host.tls.as_deref(), ssh_config)?;
    let (socket, tunnel) = match (address, dial) {
        (Address::Unix(path), _) => {
            check_socket(&path)?;
            (path, None)
        }
        (_, Some(dial)) => {
            transport::preflight(&dial).await?;
            let tunnel = match tunnel {
                Some(t) => {
                    t.redial(dial);
                    t
                }
                None => Arc::new(Tunnel::open(dial).map_err(|e| {
                    Unreachable::new(
                        UnreachableReason::Refused,
                        format!("cannot open Berth's socket for {}: {e}", host.uri),
                    )
                })?),
            };
            (tunnel.path().to_path_buf(), Some(tunnel))
        }
        (_, None) => {
            return Err(Unreachable::new(UnreachableReason::InvalidHost, "no way to dial"))
        }
    };
    let (docker, info) = negotiate(&socket, &host.uri).await?;
    Ok(Connected { docker, info, socket, tunnel })
}

fn check_socket(path: &Path) -> Result<(), Unreachable> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Unreachable::new(
            UnreachableReason::SocketMissing,
            format!("no Docker engine socket at {}", path.display()),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(Unreachable::new(
            UnreachableReason::PermissionDenied,
            format!("not allowed to see {}", path.display()),
        )),
        _ => Ok(()),
    }
}

/// Ask the engine at `socket` its version with the oldest API every engine accepts, then make a
/// client speaking the newest version both know. `shown` names the engine in messages.
async fn negotiate(socket: &Path, shown: &str) -> Result<(Docker, EngineInfo), Unreachable> {
    let path = socket.to_string_lossy();
    let probe = Docker::connect_with_unix(
        &path,
        REQUEST_TIMEOUT_SECS,
        &ClientVersion { major_version: 1, minor_version: 24 },
    )
    .map_err(|e| classify(&e.into_engine_error()))?;
    let started = std::time::Instant::now();
    let version = tokio::time::timeout(CONNECT_TIMEOUT, probe.version())
        .await
        .map_err(|_| {
            Unreachable::new(
                UnreachableReason::Timeout,
                format!("the engine at {shown} did not answer"),
            )
        })?
        .map_err(|e| classify(&e.into_engine_error()))?;
    let server = version.api_version.as_deref().and_then(parse_api_version).ok_or_else(|| {
        Unreachable::new(
            UnreachableReason::Refused,
            format!("the program at {shown} does not speak the Docker Engine API"),
        )
    })?;
    let negotiated = if server < *API_DEFAULT_VERSION { server } else { *API_DEFAULT_VERSION };
    let docker = Docker::connect_with_unix(&path, REQUEST_TIMEOUT_SECS, &negotiated)
        .map_err(|e| classify(&e.into_engine_error()))?;
    let name = match tokio::time::timeout(CONNECT_TIMEOUT, docker.info()).await {
        Ok(Ok(info)) => info.name.unwrap_or_default(),
        _ => String::new(),
    };
    tracing::debug!(elapsed_ms = started.elapsed().as_secs_f64() * 1e3, "engine call version+info");
    let info = EngineInfo {
        product: product_of(&version),
        name,
        version: version.version.unwrap_or_default(),
        api_version: negotiated.to_string(),
        os: version.os.unwrap_or_default(),
        arch: version.arch.unwrap_or_default(),
    };
    Ok((docker, info))
}

/// A client for the engine at `socket` speaking `api_version` (already negotiated), with no
/// connection made yet.
pub fn client(socket: &Path, api_version: &str) -> Result<Docker, EngineError> {
    let version = parse_api_version(api_version).unwrap_or(*API_DEFAULT_VERSION);
    Docker::connect_with_unix(&socket.to_string_lossy(), REQUEST_TIMEOUT_SECS, &version)
        .map_err(EngineError::from)
}

/// Which engine answered `/version`: Podman's compatible API names itself among the components
/// ("Podman Engine"); anything else is taken for Docker.
fn product_of(version: &bollard::models::SystemVersion) -> Product {
    let podman = version.components.iter().flatten().any(|c| c.name.starts_with("Podman"));
    if podman {
        Product::Podman
    } else {
        Product::Docker
    }
}

fn parse_api_version(v: &str) -> Option<ClientVersion> {
    let (major, minor) = v.trim().split_once('.')?;
    Some(ClientVersion { major_version: major.parse().ok()?, minor_version: minor.parse().ok()? })
}

trait IntoEngineError {
    fn into_engine_error(self) -> (EngineError, Option<std::io::ErrorKind>);
}

impl IntoEngineError for bollard::errors::Error {
    fn into_engine_error(self) -> (EngineError, Option<std::io::ErrorKind>) {
        let kind = io_kind(&self);
        (EngineError::from(self), kind)
    }
}

/// Turn a failed connection attempt into a reason the UI can explain.
fn classify((err, kind): &(EngineError, Option<std::io::ErrorKind>)) -> Unreachable {
    use std::io::ErrorKind as K;
    let reason = match (err.code, kind) {
        (ErrorCode::PermissionDenied, _) | (_, Some(K::PermissionDenied)) => {
            UnreachableReason::PermissionDenied
        }
        (_, Some(K::NotFound)) => UnreachableReason::SocketMissing,
        (_, Some(K::TimedOut)) => UnreachableReason::Timeout,
        _ => UnreachableReason::Refused,
    };
    Unreachable::new(reason, err.message.clone())
}

/// Shared handle to the engine: the current connection, its state, and the change feed.
/// Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// Which engine an [`Engine`] follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Whichever the docker CLI would use (`DOCKER_HOST`, `DOCKER_CONTEXT`, `currentContext`),
    /// looked up again at each connection attempt.
    Cli,
    /// One docker context, by name.
    Context(String),
}

struct Inner {
    env: ResolveEnv,
    target: Target,
    connected: RwLock<Option<Connected>>,
    tunnel: std::sync::Mutex<Option<Arc<Tunnel>>>,
    closed: watch::Sender<bool>,
    status: watch::Sender<EngineStatus>,
    changes: broadcast::Sender<ChangeSet>,
    incidents: broadcast::Sender<Incident>,
    retry: Notify,
    containers: SharedList,
    layers: LayerCache,
    transfers: Transfers,
    cancels: Cancels,
    /// Held while Berth asks this engine for its disk usage (see [`Engine::system_df`]).
    df: tokio::sync::Mutex<()>,
}

/// See [`Engine::networks_changed_after`].
pub struct NetworksChangedAfter(Engine);

impl Drop for NetworksChangedAfter {
    fn drop(&mut self) {
        self.0.networks_changed();
    }
}

/// What a subscriber receives: the state now and every later change.
pub struct Subscription {
    pub status: watch::Receiver<EngineStatus>,
    pub changes: broadcast::Receiver<ChangeSet>,
}

impl Engine {
    /// A handle that is not connected yet; [`Engine::run`] does the connecting.
    pub fn new(env: ResolveEnv) -> Self {
        Self::following(env, Target::Cli)
    }

    /// A handle to `target`'s engine, not connected yet.
    pub fn following(env: ResolveEnv, target: Target) -> Self {
        let host = resolve_target(&env, &target).map(|h| h.uri).unwrap_or_default();
        let (status, _) = watch::channel(EngineStatus::Connecting { host });
        let (changes, _) = broadcast::channel(64);
        let (incidents, _) = broadcast::channel(64);
        Self {
            inner: Arc::new(Inner {
                env,
                target,
                connected: RwLock::new(None),
                tunnel: Default::default(),
                closed: watch::channel(false).0,
                status,
                changes,
                incidents,
                retry: Notify::new(),
                containers: SharedList::default(),
                layers: LayerCache::default(),
                transfers: Transfers::default(),
                cancels: Cancels::default(),
                df: Default::default(),
            }),
        }
    }

    pub fn status(&self) -> EngineStatus {
        self.inner.status.borrow().clone()
    }

    /// The live connection, or an `Unreachable` error saying why there is none.
    pub fn docker(&self) -> Result<Docker, EngineError> {
        Ok(self.connected()?.docker)
    }

    /// What this engine follows.
    pub fn target(&self) -> &Target {
        &self.inner.target
    }

    /// The live connection, or an `Unreachable` error saying why there is none.
    fn connected(&self) -> Result<Connected, EngineError> {
        if let Some(c) = read(&self.inner.connected).as_ref() {
            return Ok(c.clone());
        }
        let message = match self.status() {
            EngineStatus::Unreachable { message, .. } => message,
            _ => "still connecting to the Docker engine".to_string(),
        };
        Err(EngineError::new(ErrorCode::Unreachable, message))
    }

    /// What the connected engine says about itself.
    pub fn info(&self) -> Result<EngineInfo, EngineError> {
        Ok(self.connected()?.info)
    }

    /// A new client to the connected engine, with a connection pool of its own: for work that
    /// runs on a runtime of its own (log readers), whose connections must not outlive it in the
    /// shared client's pool.
    pub fn dedicated(&self) -> Result<Docker, EngineError> {
        let c = self.connected()?;
        client(&c.socket, &c.info.api_version)
    }

    /// A unix socket address that reaches the connected engine, for programs Berth runs
    /// (compose): the engine's own, or the private socket that carries a remote one.
    pub fn host_uri(&self) -> Result<String, EngineError> {
        Ok(format!("unix://{}", self.connected()?.socket.display()))
    }

    /// `GET path` as JSON, for answers bollard's models do not describe on this engine's API.
    pub async fn get_json(&self, path: &str) -> Result<serde_json::Value, EngineError> {
        let c = self.connected()?;
        super::raw::get_json(&c.socket.to_string_lossy(), &c.info.api_version, path).await
    }

    /// `GET /system/df{query}`, one at a time: dockerd 20.10 refuses a disk usage request while
    /// another runs, so Berth's own wait their turn and one refused for another client's is
    /// asked again (see [`super::disk::until_free`]). Podman's answer is read as Docker's (see
    /// [`super::disk::in_docker_shape`]).
    pub async fn system_df(&self, query: &str) -> Result<serde_json::Value, EngineError> {
        let _turn = self.inner.df.lock().await;
        let path = format!("/system/df{query}");
        let mut df = super::disk::until_free(|| self.get_json(&path)).await?;
        let listed = match super::disk::tags_lack_repository(&df) {
            true => self.get_json("/images/json").await?,
            false => serde_json::Value::Null,
        };
        let listed = listed.as_array().map(Vec::as_slice).unwrap_or_default();
        super::disk::in_docker_shape(&mut df, listed);
        Ok(df)
    }

    /// The engine's unix socket and API version, for the calls Berth makes without bollard.
    pub fn raw(&self) -> Result<images::RawEngine, EngineError> {
        let c = self.connected()?;
        Ok(images::RawEngine {
            socket: c.socket.to_string_lossy().into_owned(),
            api: c.info.api_version,
        })
    }

    /// Every container, running or not: one engine call for all who ask at about the same
    /// time, and the same list again while nothing changed (see [`SharedList`]).
    pub async fn containers(&self) -> Result<Arc<Vec<Container>>, EngineError> {
        let docker = self.docker()?;
        let list = self.inner.containers.get(&docker).await;
        self.relist_when_due(docker);
        list
    }

    /// The containers list for a window that has `version` of it: the rows changed since, or
    /// all of them (see [`SharedList::since`]).
    pub async fn containers_since(&self, version: Option<u32>) -> Result<ListUpdate, EngineError> {
        let docker = self.docker()?;
        let update = self.inner.containers.since(&docker, version).await;
        self.relist_when_due(docker);
        update
    }

    /// A long list patched after it was due to be listed whole is listed whole in the
    /// background (see [`SharedList::relist`]); the window hears when rows differ.
    fn relist_when_due(&self, docker: Docker) {
        if !self.inner.containers.take_whole_due() {
            return;
        }
        let inner = self.inner.clone();
        tokio::spawn(async move {
            if let Ok(true) = inner.containers.relist(&docker).await {
                let _ = inner.changes.send(ChangeSet { containers: true, ..ChangeSet::NONE });
            }
        });
    }

    /// `docker network create`; the new network's id. This and the two below announce the
    /// change themselves: Podman's compatible API sends no event when a network is made or
    /// removed, so no list would follow it (on Docker, the event's notice comes as well).
    pub async fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        let id = networks::create(&self.docker()?, spec).await?;
        self.networks_changed();
        Ok(id)
    }

    /// `docker network rm`; with `disconnect_first`, every attached container is disconnected
    /// first.
    pub async fn remove_network(
        &self,
        id: &str,
        disconnect_first: bool,
    ) -> Result<(), EngineError> {
        let docker = self.docker()?;
        let removed = if disconnect_first {
            networks::disconnect_all_and_remove(&docker, id).await
        } else {
            networks::remove(&docker, id).await
        };
        self.networks_changed();
        removed
    }

    /// Remove the networks named; what happened to each.
    pub async fn prune_networks(&self, names: &[String]) -> Result<Vec<Removal>, EngineError> {
        let removals = networks::prune(&self.docker()?, names).await;
        self.networks_changed();
        Ok(removals)
    }

    /// Take a compose project down (`docker compose down`): containers and networks, and with
    /// `volumes` its volumes. Announced as the network commands above are.
    pub async fn down_project(&self, project: &str, volumes: bool) -> Result<Down, EngineError> {
        let all = self.containers().await?;
        let down = compose::down(&self.docker()?, &all, project, volumes).await;
        self.networks_changed();
        down
    }

    /// Berth changed the engine's networks, or ran a program that may have (compose): say so,
    /// since the engine may not (see [`Engine::create_network`]).
    pub fn networks_changed(&self) {
        let _ = self.inner.changes.send(ChangeSet { networks: true, ..ChangeSet::NONE });
    }

    /// Announces [`Engine::networks_changed`] when dropped: at a program's end, or when it is
    /// stopped and its task dropped.
    pub fn networks_changed_after(&self) -> NetworksChangedAfter {
        NetworksChangedAfter(self.clone())
    }

    /// The images `docker images` shows, with who uses each (from the shared container list)
    /// and their lineage (layers asked for once per image).
    pub async fn images(&self) -> Result<Vec<Image>, EngineError> {
        let docker = self.docker()?;
        let containers = self.containers().await?;
        images::list(&docker, &containers, &self.inner.layers).await
    }

    /// Work the user can stop (builds), by key.
    pub fn cancels(&self) -> &Cancels {
        &self.inner.cancels
    }

    /// Pulls and pushes in flight.
    pub fn transfers(&self) -> &Transfers {
        &self.inner.transfers
    }

    /// The docker CLI's config directory (`$DOCKER_CONFIG`, else `~/.docker`): credentials and
    /// contexts live there.
    pub fn config_dir(&self) -> Result<std::path::PathBuf, EngineError> {
        self.inner.env.config_dir.clone().ok_or_else(|| {
            EngineError::new(
                ErrorCode::Io,
                "neither DOCKER_CONFIG nor HOME is set: no docker config",
            )
        })
    }

    pub fn subscribe(&self) -> Subscription {
        Subscription {
            status: self.inner.status.subscribe(),
            changes: self.inner.changes.subscribe(),
        }
    }

    /// Containers that exit on their own with a non-zero code or become unhealthy, from now on.
    pub fn incidents(&self) -> broadcast::Receiver<Incident> {
        self.inner.incidents.subscribe()
    }

    /// Try to connect now instead of waiting for the next backoff step.
    pub fn retry(&self) {
        self.inner.retry.notify_one();
    }

    /// Publish a new state; retrying into the same failure publishes nothing.
    fn set_status(&self, status: EngineStatus) {
        self.inner.status.send_if_modified(|current| {
            if *current == status {
                return false;
            }
            tracing::info!(?status, "engine status");
            *current = status;
            true
        });
    }

    fn set_connected(&self, connected: Option<Connected>) {
        *write(&self.inner.connected) = connected;
        self.inner.containers.changed();
    }

    /// The same engine handle (not only the same address).
    pub fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Becomes true when [`Engine::stop`] is called.
    pub fn closed(&self) -> watch::Receiver<bool> {
        self.inner.closed.subscribe()
    }

    /// End [`Engine::run`]: the connection closes and no retry follows.
    pub fn stop(&self) {
        self.inner.closed.send_replace(true);
    }

    /// Connect, follow engine events, and reconnect with backoff until [`Engine::stop`].
    pub async fn run(self) {
        let mut closed = self.inner.closed.subscribe();
        tokio::select! {
            _ = self.clone().keep_connected() => {}
            _ = closed.wait_for(|c| *c) => {}
        }
        self.set_connected(None);
        *lock(&self.inner.tunnel) = None;
    }

    async fn keep_connected(self) {
        let mut backoff = BACKOFF_MIN;
        loop {
            match resolve_target(&self.inner.env, &self.inner.target) {
                Err(u) => self.set_status(EngineStatus::Unreachable {
                    host: String::new(),
                    reason: u.reason,
                    message: u.message,
                }),
                Ok(host) => {
                    if !matches!(self.status(), EngineStatus::Unreachable { .. }) {
                        self.set_status(EngineStatus::Connecting { host: host.uri.clone() });
                    }
                    let reuse = lock(&self.inner.tunnel).clone();
                    match connect_via(&host, reuse).await {
                        Ok(connected) => {
                            backoff = BACKOFF_MIN;
                            *lock(&self.inner.tunnel) = connected.tunnel.clone();
                            let lost = self.follow(connected, host.clone()).await;
                            self.set_connected(None);
                            self.set_status(EngineStatus::Unreachable {
                                host: host.uri,
                                reason: UnreachableReason::Lost,
                                message: lost.message,
                            });
                        }
                        Err(u) => self.set_status(EngineStatus::Unreachable {
                            host: host.uri,
                            reason: u.reason,
                            message: u.message,
                        }),
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = self.inner.retry.notified() => {}
            }
            backoff = (backoff * 2).min(BACKOFF_MAX);
        }
    }

    /// Subscribe to engine events first, then publish the connection and a full resync, then
    /// forward coalesced changes until the event stream ends.
    async fn follow(&self, connected: Connected, host: ResolvedHost) -> EngineError {
        let (docker, info) = (connected.docker.clone(), connected.info.clone());
        let opened = super::clock::epoch_now();
        let (incidents, mut seen) = (self.inner.incidents.clone(), Watch::default());
        let lives = self.inner.clone();
        let stream = events::subscribe(&docker).inspect(move |ev| {
            // Before the notice the event leads to, so the list asked for then has its row.
            match ev.as_ref().map_or(Row::None, events::row_of) {
                Row::Of(id) => lives.containers.touched(&id),
                Row::Unknown => lives.containers.changed(),
                Row::None => {}
            }
            match ev.as_ref().ok().and_then(events::life) {
                Some(Life::Died { id, code }) => lives.containers.died(&id, code),
                Some(Life::Moved(id)) => lives.containers.settled(&[id]),
                None => {}
            }
            // The replayed events (from just before the subscription) still pair a kill with
            // its death, but what happened before this connection is old news.
            if let Some(incident) = ev
                .as_ref()
                .ok()
                .and_then(|ev| seen.see(ev).filter(|_| ev.time.unwrap_or(opened) >= opened))
            {
                let _ = incidents.send(incident);
            }
        });
        self.set_connected(Some(connected));
        // The window's first ask is the containers: a long list is on its way before it asks.
        let warm = self.clone();
        tokio::spawn(async move {
            let _ = warm.containers().await;
        });
        self.set_status(EngineStatus::Connected { host, engine: info });
        let _ = self.inner.changes.send(ChangeSet::ALL);
        let inner = self.inner.clone();
        let settle = |ids: Vec<String>| {
            let (docker, inner) = (docker.clone(), self.inner.clone());
            async move {
                events::settle(&docker, ids.clone()).await;
                inner.containers.settled(&ids);
            }
        };
        events::pump(stream, events::COALESCE, settle, move |set| {
            // Before anyone hears of the change, so whoever asks then gets a new list.
            if set.containers {
                inner.containers.announced();
            }
            let _ = inner.changes.send(set);
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(host: Option<&str>, ctx: Option<&str>, dir: Option<&Path>) -> ResolveEnv {
        ResolveEnv {
            docker_host: host.map(str::to_string),
            docker_context: ctx.map(str::to_string),
            config_dir: dir.map(Path::to_path_buf),
            ..Default::default()
        }
    }

    fn write_context(dir: &Path, hash: &str, name: &str, host: &str) {
        let d = dir.join("contexts/meta").join(hash);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("meta.json"),
            serde_json::json!({
                "Name": name,
                "Metadata": {},
                "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}
            })
            .to_string(),
        )
        .unwrap();
    }

    fn write_config(dir: &Path, current: &str) {
        std::fs::write(
            dir.join("config.json"),
            serde_json::json!({"auths": {}, "currentContext": current}).to_string(),
        )
        .unwrap();
    }

    #[tokio::test]
    async fn a_program_stopped_midway_still_announces_the_networks() {
        let engine = Engine::new(ResolveEnv::default());
        let mut sub = engine.subscribe();
        let run = tokio::spawn({
            let after = engine.networks_changed_after();
            async move {
                let _after = after;
                std::future::pending::<()>().await
            }
        });
        tokio::task::yield_now().await;
        assert!(sub.changes.try_recv().is_err(), "announced while still running");
        run.abort();
        let _ = run.await;
        assert!(sub.changes.try_recv().is_ok_and(|s| s.networks), "the stopped run said nothing");
    }

    #[test]
    fn the_engine_says_whether_it_is_docker_or_podman() {
        let of = |json: serde_json::Value| {
            product_of(&serde_json::from_value::<bollard::models::SystemVersion>(json).unwrap())
        };
        let component = |name: &str| serde_json::json!({"Name": name, "Version": "1"});
        // As Docker 20.10 and Podman 4.3 answer /version.
        let docker = serde_json::json!({"Components": [component("Engine"), component("containerd"), component("runc")]});
        let podman =
            serde_json::json!({"Components": [component("Podman Engine"), component("Conmon")]});
        assert_eq!(of(docker), Product::Docker);
        assert_eq!(of(podman), Product::Podman);
        assert_eq!(
            of(serde_json::json!({})),
            Product::Docker,
            "an engine that lists no components"
        );
    }

    #[test]
    fn nothing_configured_means_default_socket() {
        let dir = tempfile::tempdir().unwrap();
        let r = resolve(&env(None, None, Some(dir.path()))).unwrap();
        assert_eq!(r.uri, DEFAULT_HOST);
        assert_eq!(r.source, HostSource::Default);
        let r = resolve(&env(None, None, None)).unwrap();
        assert_eq!(r.source, HostSource::Default);
    }

    #[test]
    fn docker_host_wins_over_every_context() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "a1", "ctx", "unix:///ctx.sock");
        write_config(dir.path(), "ctx");
        let r = resolve(&env(Some("unix:///env.sock"), Some("ctx"), Some(dir.path()))).unwrap();
        assert_eq!(r.uri, "unix:///env.sock");
        assert_eq!(r.source, HostSource::DockerHost);
    }

    #[test]
    fn docker_context_wins_over_config_current_context() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "a1", "from-env", "unix:///env-ctx.sock");
        write_context(dir.path(), "b2", "from-config", "unix:///config-ctx.sock");
        write_config(dir.path(), "from-config");
        let r = resolve(&env(None, Some("from-env"), Some(dir.path()))).unwrap();
        assert_eq!(r.uri, "unix:///env-ctx.sock");
        assert_eq!(r.source, HostSource::EnvContext("from-env".into()));
    }

    #[test]
    fn config_current_context_is_read_from_its_meta() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "a1", "other", "unix:///other.sock");
        write_context(dir.path(), "b2", "desk", "unix:///desk.sock");
        write_config(dir.path(), "desk");
        let r = resolve(&env(None, None, Some(dir.path()))).unwrap();
        assert_eq!(r.uri, "unix:///desk.sock");
        assert_eq!(r.source, HostSource::ConfigContext("desk".into()));
    }

    #[test]
    fn default_context_name_means_default_socket() {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), "default");
        let r = resolve(&env(None, None, Some(dir.path()))).unwrap();
        assert_eq!(r.uri, DEFAULT_HOST);
        assert_eq!(r.source, HostSource::ConfigContext("default".into()));
    }

    #[test]
    fn missing_context_is_reported_not_guessed() {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), "gone");
        let e = resolve(&env(None, None, Some(dir.path()))).unwrap_err();
        assert_eq!(e.reason, UnreachableReason::ContextNotFound);
        assert!(e.message.contains("gone"));
        let e = resolve(&env(None, Some("nope"), Some(dir.path()))).unwrap_err();
        assert_eq!(e.reason, UnreachableReason::ContextNotFound);
    }

    #[test]
    fn malformed_config_is_ignored_like_the_cli() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{not json").unwrap();
        let r = resolve(&env(None, None, Some(dir.path()))).unwrap();
        assert_eq!(r.source, HostSource::Default);
    }

    #[test]
    fn context_without_docker_endpoint_is_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("contexts/meta/x");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("meta.json"), r#"{"Name":"k8s","Endpoints":{}}"#).unwrap();
        let e = resolve(&env(None, Some("k8s"), Some(dir.path()))).unwrap_err();
        assert_eq!(e.reason, UnreachableReason::InvalidHost);
    }

    #[tokio::test]
    async fn missing_socket_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let uri = format!("unix://{}/docker.sock", dir.path().display());
        let e = connect(&ResolvedHost::plain(uri, HostSource::DockerHost)).await.unwrap_err();
        assert_eq!(e.reason, UnreachableReason::SocketMissing);
    }

    #[tokio::test]
    async fn tcp_without_tls_is_refused_with_a_reason() {
        let e = connect(&ResolvedHost::plain("tcp://192.0.2.1:2375", HostSource::DockerHost))
            .await
            .unwrap_err();
        assert_eq!(e.reason, UnreachableReason::Insecure);
        assert!(e.message.contains("tcp://192.0.2.1:2375"));
    }

    #[tokio::test]
    async fn a_socket_nobody_listens_on_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dead.sock");
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        let e = connect(&ResolvedHost::plain(
            format!("unix://{}", path.display()),
            HostSource::DockerHost,
        ))
        .await
        .unwrap_err();
        assert_eq!(e.reason, UnreachableReason::Refused, "{e:?}");
    }

    #[test]
    fn api_versions_parse() {
        assert_eq!(
            parse_api_version("1.41"),
            Some(ClientVersion { major_version: 1, minor_version: 41 })
        );
        assert_eq!(parse_api_version("x"), None);
    }
}
