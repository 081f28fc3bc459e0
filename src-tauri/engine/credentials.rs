//! Registry credentials, found and kept the way the docker CLI does (docker/cli
//! `cli/config/configfile/file.go`, `cli/config/credentials/native_store.go`): in
//! `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`), through `credHelpers[server]`
//! or `credsStore` when set (a `docker-credential-NAME` program speaking JSON on stdin and
//! stdout), else base64 in `auths`. So a login made in Berth works for the CLI and back.
//!
//! A secret is held only in [`Credential`], which neither prints nor serializes it; errors and
//! logs name the registry and the user, never the secret.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};
use specta::Type;
use tokio::io::AsyncWriteExt;

use super::{EngineError, ErrorCode};

/// The key Docker Hub's credentials are kept under.
pub const DOCKER_HUB: &str = "https://index.docker.io/v1/";
/// How long a credential helper may take (it may ask a keyring, which may ask the user).
pub const HELPER_LIMIT: Duration = Duration::from_secs(30);

/// Variables a credential helper may need (its keyring is reached through the session bus, the
/// display or gpg-agent); everything else is left out.
const PASSED: [&str; 14] = [
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "DBUS_SESSION_BUS_ADDRESS",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "GNUPGHOME",
    "PASSWORD_STORE_DIR",
];

/// A user name and secret for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub server: String,
    pub username: String,
    secret: String,
    /// The secret is an identity token (`<token>` user), not a password.
    pub token: bool,
}

impl Credential {
    pub fn new(server: &str, username: &str, secret: &str) -> Self {
        Self {
            server: server.into(),
            username: username.into(),
            secret: secret.into(),
            token: false,
        }
    }

    /// What the engine takes with a pull, push or login.
    pub fn engine_auth(&self) -> bollard::auth::DockerCredentials {
        let mut c = bollard::auth::DockerCredentials {
            serveraddress: Some(self.server.clone()),
            ..Default::default()
        };
        if self.token {
            c.identitytoken = Some(self.secret.clone());
        } else {
            c.username = Some(self.username.clone());
            c.password = Some(self.secret.clone());
        }
        c
    }

    /// `user:secret` as HTTP basic authentication, for asking a registry directly.
    pub fn basic(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.username, self.secret))
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("server", &self.server)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A registry someone is logged in to, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Login {
    /// As the config file keys it: `127.0.0.1:5001`, or Docker Hub's URL.
    pub server: String,
    pub username: String,
    /// The helper that keeps the secret (`secretservice`, `pass`...), or none: in `auths`.
    pub helper: Option<String>,
}

/// The key a registry's credentials are kept under: Docker Hub's URL for Docker Hub, else the
/// host and port alone (as `docker login HOST` writes it).
pub fn server_key(registry: &str) -> String {
    let host = registry
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match host.as_str() {
        "" | "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.into(),
        _ => host,
    }
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

/// The config file as JSON; an absent file is an empty one.
fn read_config(dir: &Path) -> Result<Map<String, Value>, EngineError> {
    let path = config_path(dir);
    match std::fs::read(&path) {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Ok(Map::new()),
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(EngineError::new(
                ErrorCode::Io,
                format!("{} is not a JSON object: fix or move it first", path.display()),
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Map::new()),
        Err(e) => Err(EngineError::io(path.display(), e)),
    }
}

/// Write the config file whole, through a file beside it renamed over it: a crash leaves the
/// old file or the new one, never half of one. Only the owner may read it, as with the CLI.
fn write_config(dir: &Path, config: &Map<String, Value>) -> Result<(), EngineError> {
    use std::io::Write;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir.display(), e))?;
    let path = config_path(dir);
    let temp = dir.join(format!(".config.json.berth-{}", std::process::id()));
    let text = serde_json::to_string_pretty(config).expect("JSON values serialize");
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temp)?;
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        // Keep a looser mode the user chose for an existing file.
        if let Ok(meta) = std::fs::metadata(&path) {
            std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(meta.mode() & 0o777))?;
        }
        std::fs::rename(&temp, &path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        EngineError::io(path.display(), e)
    })
}

/// The helper that keeps `key`'s credentials: `credHelpers[key]`, else `credsStore`.
fn helper_for(config: &Map<String, Value>, key: &str) -> Option<String> {
    config
        .get("credHelpers")
        .and_then(|h| h.get(key))
        .or_else(|| config.get("credsStore"))
        .and_then(Value::as_str)
        .filter(|h| !h.is_empty())
        .map(str::to_string)
}

/// Run `docker-credential-<helper> <verb>` with `input` on stdin: its stdout. A helper's
/// "not found" answer is `Ok(None)`.
async fn run_helper(helper: &str, verb: &str, input: &str) -> Result<Option<String>, EngineError> {
    let program = format!("docker-credential-{helper}");
    let mut cmd = tokio::process::Command::new(&program);
    cmd.arg(verb)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in std::env::vars_os() {
        if PASSED.contains(&k.to_string_lossy().as_ref()) {
            cmd.env(k, v);
        }
    }
    let failed = |why: String| {
        EngineError::new(ErrorCode::CredentialHelper, format!("{program} {verb}: {why}"))
    };
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => failed(format!(
            "not installed: the docker config names the helper \u{201c}{helper}\u{201d}"
        )),
        _ => failed(e.to_string()),
    })?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_string();
    let run = async move {
        stdin.write_all(input.as_bytes()).await?;
        drop(stdin);
        child.wait_with_output().await
    };
    let out = tokio::time::timeout(HELPER_LIMIT, run)
        .await
        .map_err(|_| failed(format!("no answer within {} s", HELPER_LIMIT.as_secs())))?
        .map_err(|e| failed(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() {
        return Ok(Some(stdout));
    }
    // Helpers say a missing entry on stdout ("credentials not found in native keychain").
    if stdout.contains("credentials not found") {
        return Ok(None);
    }
    // A helper's own words, which never hold the secret it was given (only `store` gets one).
    let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
    Err(failed(if said.is_empty() { stdout } else { said }))
}

/// The credentials kept for `registry`, if any.
pub async fn get(dir: &Path, registry: &str) -> Result<Option<Credential>, EngineError> {
    let key = server_key(registry);
    let config = read_config(dir)?;
    if let Some(helper) = helper_for(&config, &key) {
        let Some(out) = run_helper(&helper, "get", &key).await? else { return Ok(None) };
        let v: Value = serde_json::from_str(&out).map_err(|_| {
            EngineError::new(
                ErrorCode::CredentialHelper,
                format!("docker-credential-{helper} get: its answer is not JSON"),
            )
        })?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (username, secret) = (field("Username"), field("Secret"));
        if secret.is_empty() {
            return Ok(None);
        }
        let token = username == "<token>";
        return Ok(Some(Credential { server: key, username, secret, token }));
    }
    let Some(entry) = config.get("auths").and_then(|a| find_auth(a, &key)) else {
        return Ok(None);
    };
    if let Some(token) = entry.get("identitytoken").and_then(Value::as_str) {
        let username = decode_auth(entry).map(|(u, _)| u).unwrap_or_default();
        return Ok(Some(Credential { server: key, username, secret: token.into(), token: true }));
    }
    Ok(decode_auth(entry).map(|(username, secret)| Credential {
        server: key,
        username,
        secret,
        token: false,
    }))
}

/// `auths[key]`, or an entry whose key names the same host (`http://host/`, `https://host/v2/`).
fn find_auth<'a>(auths: &'a Value, key: &str) -> Option<&'a Value> {
    let auths = auths.as_object()?;
    auths.get(key).or_else(|| auths.iter().find(|(k, _)| server_key(k) == key).map(|(_, v)| v))
}

/// `auth` (base64 of `user:password`), else `username` and `password`.
fn decode_auth(entry: &Value) -> Option<(String, String)> {
    if let Some(auth) = entry.get("auth").and_then(Value::as_str).filter(|a| !a.is_empty()) {
        let bytes = base64::engine::general_purpose::STANDARD.decode(auth.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (u, p) = text.split_once(':')?;
        return Some((u.to_string(), p.trim_end_matches('\0').to_string()));
    }
    let field = |k: &str| entry.get(k).and_then(Value::as_str).map(str::to_string);
    Some((field("username")?, field("password")?))
}

/// Keep `credential` as the CLI would: through the helper for its registry, else in `auths`.
/// Every other key of the config file is kept as it was.
pub async fn store(dir: &Path, credential: &Credential) -> Result<Option<String>, EngineError> {
    let key = server_key(&credential.server);
    let mut config = read_config(dir)?;
    if let Some(helper) = helper_for(&config, &key) {
        let input = serde_json::json!({
            "ServerURL": key,
            "Username": if credential.token { "<token>" } else { credential.username.as_str() },
            "Secret": credential.secret,
        });
        run_helper(&helper, "store", &input.to_string()).await?;
        // The CLI leaves an empty entry in auths so `docker login` lists the registry.
        let auths = config.entry("auths").or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = auths.as_object_mut() {
            a.insert(key, Value::Object(Map::new()));
        }
        write_config(dir, &config)?;
        return Ok(Some(helper));
    }
    let mut entry = Map::new();
    if credential.token {
        entry.insert("identitytoken".into(), Value::String(credential.secret.clone()));
    } else {
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", credential.username, credential.secret));
        entry.insert("auth".into(), Value::String(auth));
    }
    let auths = config.entry("auths").or_insert_with(|| Value::Object(Map::new()));
    if !auths.is_object() {
        *auths = Value::Object(Map::new());
    }
    auths.as_object_mut().expect("an object").insert(key, Value::Object(entry));
    write_config(dir, &config)?;
    Ok(None)
}

/// Forget `registry`'s credentials (`docker logout`): in its helper and in `auths`.
pub async fn erase(dir: &Path, registry: &str) -> Result<(), EngineError> {
    let key = server_key(registry);
    let mut config = read_config(dir)?;
    if let Some(helper) = helper_for(&config, &key) {
        run_helper(&helper, "erase", &key).await?;
    }
    if let Some(auths) = config.get_mut("auths").and_then(Value::as_object_mut) {
        auths.retain(|k, _| server_key(k) != key);
    }
    write_config(dir, &config)
}

/// `docker login REGISTRY`: the registry is asked with the credentials (its `/v2/` login, what
/// the engine's `/auth` does for the CLI), so a wrong password and a registry that does not
/// answer each get their own code; then the credentials are kept.
pub async fn login(
    dir: &Path,
    registry: &str,
    username: &str,
    password: &str,
) -> Result<Login, EngineError> {
    let key = server_key(registry);
    if username.trim().is_empty() || password.is_empty() {
        return Err(EngineError::new(
            ErrorCode::InvalidInput,
            "a user name and a password are needed",
        ));
    }
    let credential = Credential::new(&key, username.trim(), password);
    let host = if key == DOCKER_HUB { "docker.io" } else { key.as_str() };
    super::registry::check(host, Some(credential.clone())).await?;
    let helper = store(dir, &credential).await?;
    tracing::info!(registry = key, username = credential.username, "logged in");
    Ok(Login { server: key, username: credential.username, helper })
}

/// Registries with kept credentials and their users (no secrets): `auths`, the helpers named
/// in `credHelpers`, and what `credsStore` lists.
pub async fn logins(dir: &Path) -> Result<Vec<Login>, EngineError> {
    let config = read_config(dir)?;
    let mut keys: Vec<String> = config
        .get("auths")
        .and_then(Value::as_object)
        .map(|a| a.keys().map(|k| server_key(k)).collect())
        .unwrap_or_default();
    if let Some(h) = config.get("credHelpers").and_then(Value::as_object) {
        keys.extend(h.keys().map(|k| server_key(k)));
    }
    if let Some(store) = config.get("credsStore").and_then(Value::as_str).filter(|s| !s.is_empty())
    {
        if let Some(out) = run_helper(store, "list", "").await? {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&out) {
                keys.extend(m.keys().map(|k| server_key(k)));
            }
        }
    }
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        if let Some(c) = get(dir, &key).await? {
            out.push(Login {
                helper: helper_for(&config, &key),
                server: key,
                username: c.username,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(dir.join("config.json"), text).unwrap();
        std::fs::set_permissions(dir.join("config.json"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }

    fn config(dir: &Path) -> Value {
        serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap()
    }

    fn mode(dir: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(dir.join("config.json")).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn a_new_config_file_is_the_owners_alone() {
        let dir = tempfile::tempdir().unwrap();
        store(dir.path(), &Credential::new("r.example", "u", "p")).await.unwrap();
        assert_eq!(mode(dir.path()), 0o600);
    }

    #[test]
    fn keys_are_hosts_and_docker_hub_has_its_url() {
        assert_eq!(server_key("docker.io"), DOCKER_HUB);
        assert_eq!(server_key("https://index.docker.io/v1/"), DOCKER_HUB);
        assert_eq!(server_key("http://127.0.0.1:5001/v2/"), "127.0.0.1:5001");
        assert_eq!(server_key("Registry.Example.com"), "registry.example.com");
    }

    #[tokio::test]
    async fn auths_are_read_stored_and_erased_keeping_every_other_key() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(get(d, "127.0.0.1:5001").await.unwrap(), None, "no file: no credentials");
        // The CLI's own shape, with keys Berth does not own.
        write(
            d,
            r#"{"auths": {"http://old.example:5000/": {"auth": "b2xkOnNlY3JldA=="}},
                "psFormat": "table {{.Names}}", "currentContext": "default"}"#,
        );
        let old = get(d, "old.example:5000").await.unwrap().unwrap();
        assert_eq!((old.username.as_str(), old.secret.as_str()), ("old", "secret"));

        let c = Credential::new("127.0.0.1:5001", "berth", "pa:ss word");
        assert_eq!(store(d, &c).await.unwrap(), None);
        let v = config(d);
        assert_eq!(v["psFormat"], "table {{.Names}}");
        assert_eq!(v["currentContext"], "default");
        assert_eq!(v["auths"]["127.0.0.1:5001"]["auth"], "YmVydGg6cGE6c3Mgd29yZA==");
        assert_eq!(mode(d), 0o644, "an existing file keeps its mode, as the CLI keeps it");
        assert_eq!(get(d, "http://127.0.0.1:5001").await.unwrap(), Some(c.clone()));
        let listed = logins(d).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].server, "127.0.0.1:5001");

        erase(d, "127.0.0.1:5001").await.unwrap();
        assert_eq!(get(d, "127.0.0.1:5001").await.unwrap(), None);
        assert!(get(d, "old.example:5000").await.unwrap().is_some(), "others kept");
        assert_eq!(config(d)["psFormat"], "table {{.Names}}");
        assert!(!format!("{c:?}").contains("pa:ss"), "Debug hides the secret");
    }

    #[tokio::test]
    async fn a_broken_config_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "{ not json");
        let e = store(dir.path(), &Credential::new("r:1", "u", "p")).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Io);
        assert_eq!(std::fs::read_to_string(dir.path().join("config.json")).unwrap(), "{ not json");
    }

    #[tokio::test]
    async fn a_missing_helper_is_its_own_error() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), r#"{"credsStore": "berth-absent-helper"}"#);
        let e = get(dir.path(), "127.0.0.1:5001").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::CredentialHelper);
        assert!(e.message.contains("docker-credential-berth-absent-helper"), "{}", e.message);
    }
}
