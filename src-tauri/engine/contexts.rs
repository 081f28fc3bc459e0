//! The docker CLI's contexts, read and written in its own format, so a context made in Berth
//! works with `docker --context NAME` and one made with `docker context create` appears in Berth:
//! `$DOCKER_CONFIG/contexts/meta/<sha256 of the name>/meta.json` and the TLS files in
//! `contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

use super::connect::{ResolveEnv, DEFAULT_HOST};
use super::error::{EngineError, ErrorCode};
use super::transport::{self, Address};

/// One context as Berth lists it: its address, never its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Context {
    pub name: String,
    pub description: String,
    /// The docker endpoint, e.g. `tcp://build-box:2376`; `None` when the context has none.
    pub host: Option<String>,
    /// TLS files are stored with the context.
    pub tls: bool,
    pub skip_tls_verify: bool,
    /// The docker CLI uses this context now.
    pub current: bool,
}

/// What the user asks for when making or changing a context.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ContextSpec {
    pub name: String,
    pub description: String,
    pub host: String,
    /// Files to copy into the context's TLS folder; the CA alone is enough to check the engine.
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub skip_tls_verify: bool,
    /// The user read that plain `tcp://` lets anyone who reaches the port control the machine.
    pub plain_tcp_accepted: bool,
}

#[derive(Deserialize, Serialize)]
struct Meta {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Metadata", default)]
    metadata: serde_json::Value,
    #[serde(rename = "Endpoints", default)]
    endpoints: serde_json::Map<String, serde_json::Value>,
}

/// The folder name the CLI gives a context: the hex SHA-256 of its name.
pub fn dir_name(name: &str) -> String {
    Sha256::digest(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn meta_dir(config: &Path, name: &str) -> PathBuf {
    config.join("contexts").join("meta").join(dir_name(name))
}

/// Where a context's TLS files for its docker endpoint are.
pub fn tls_dir(config: &Path, name: &str) -> PathBuf {
    config.join("contexts").join("tls").join(dir_name(name)).join("docker")
}

/// Raw facts of the context `name`, if it exists.
pub struct Found {
    pub host: Option<String>,
    pub skip_tls_verify: bool,
    description: String,
}

fn read_meta(path: &Path) -> Option<Meta> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn found(meta: &Meta) -> Found {
    let docker = meta.endpoints.get("docker");
    Found {
        host: docker.and_then(|d| d.get("Host")).and_then(|h| h.as_str()).map(str::to_string),
        skip_tls_verify: docker
            .and_then(|d| d.get("SkipTLSVerify"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        description: meta
            .metadata
            .get("Description")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string(),
    }
}

/// The context `name`: from its own folder, else from any folder whose meta.json names it.
pub fn find(config: &Path, name: &str) -> Option<Found> {
    let named = |m: &Meta| m.name == name;
    if let Some(m) = read_meta(&meta_dir(config, name).join("meta.json")).filter(named) {
        return Some(found(&m));
    }
    std::fs::read_dir(config.join("contexts").join("meta"))
        .ok()?
        .flatten()
        .filter_map(|e| read_meta(&e.path().join("meta.json")))
        .find(named)
        .map(|m| found(&m))
}

/// The context the docker CLI uses now: `DOCKER_CONTEXT`, else config.json's `currentContext`,
/// else `default` (with `DOCKER_HOST` set, the CLI ignores contexts: also `default`).
pub fn current(env: &ResolveEnv) -> String {
    if env.docker_host.is_some() {
        return "default".into();
    }
    env.docker_context
        .clone()
        .or_else(|| {
            let dir = env.config_dir.as_deref()?;
            let text = std::fs::read_to_string(dir.join("config.json")).ok()?;
            let v: serde_json::Value = serde_json::from_str(&text).ok()?;
            v.get("currentContext")?.as_str().map(str::trim).map(str::to_string)
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "default".into())
}

/// Every context, `default` first, then by name.
pub fn list(env: &ResolveEnv) -> Vec<Context> {
    let now = current(env);
    let mut out = vec![Context {
        name: "default".into(),
        description: "The engine the docker CLI uses when nothing is configured".into(),
        host: Some(env.docker_host.clone().unwrap_or_else(|| DEFAULT_HOST.into())),
        tls: false,
        skip_tls_verify: false,
        current: now == "default",
    }];
    let Some(config) = env.config_dir.as_deref() else { return out };
    let Ok(entries) = std::fs::read_dir(config.join("contexts").join("meta")) else {
        return out;
    };
    let mut rest: Vec<Context> = entries
        .flatten()
        .filter_map(|e| read_meta(&e.path().join("meta.json")))
        .filter(|m| m.name != "default")
        .map(|m| {
            let f = found(&m);
            Context {
                tls: tls_dir(config, &m.name).is_dir(),
                current: now == m.name,
                name: m.name,
                description: f.description,
                host: f.host,
                skip_tls_verify: f.skip_tls_verify,
            }
        })
        .collect();
    rest.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(rest);
    out
}

fn invalid(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorCode::InvalidInput, message)
}

/// The CLI's rule for names: `^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`, and not `default`.
pub fn check_name(name: &str) -> Result<(), EngineError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c));
    if name == "default" {
        return Err(invalid("\"default\" is the docker CLI's own context; choose another name"));
    }
    if name.len() < 2 || !first_ok || !rest_ok {
        return Err(invalid(format!(
            "\"{name}\": a context name starts with a letter or digit and goes on with letters, \
             digits, _ . + or - (two characters at least)"
        )));
    }
    Ok(())
}

/// Why `spec` cannot be saved, before anything is written; `stored_tls`: the context being
/// edited has TLS files, which stay unless the spec names new ones.
pub fn check(spec: &ContextSpec, stored_tls: bool) -> Result<(), EngineError> {
    check_name(&spec.name)?;
    let tls = stored_tls || spec.ca.is_some() || spec.cert.is_some() || spec.key.is_some();
    let address = transport::parse(&spec.host, tls).map_err(|u| invalid(u.message))?;
    if spec.cert.is_some() != spec.key.is_some() {
        return Err(invalid("a client certificate and its key go together: give both or neither"));
    }
    match &address {
        Address::Tcp { host, .. } if !tls && !spec.skip_tls_verify => {
            if !transport::is_loopback(host) {
                return Err(EngineError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "tcp://{host} without TLS: anyone who can reach that port controls the \
                         machine. Give the CA, certificate and key, or use ssh://"
                    ),
                ));
            }
            if !spec.plain_tcp_accepted {
                return Err(invalid(
                    "plain tcp:// lets every program and user on this machine control the \
                     engine: confirm that you accept this",
                ));
            }
        }
        Address::Unix(_) | Address::Ssh { .. } if tls => {
            return Err(invalid("TLS files are for tcp:// addresses only"));
        }
        _ => {}
    }
    for path in [&spec.ca, &spec.cert, &spec.key].into_iter().flatten() {
        if !path.is_file() {
            return Err(invalid(format!("{} is not a file", path.display())));
        }
    }
    Ok(())
}

/// Write `spec` as a context, replacing the context `replacing` (the name it had when the user
/// began to edit it), if any. TLS files are copied as the CLI does (folder 0700, files 0600); an
/// edit that names none keeps the ones stored.
pub fn save(config: &Path, spec: &ContextSpec, replacing: Option<&str>) -> Result<(), EngineError> {
    let stored_tls = replacing.is_some_and(|old| tls_dir(config, old).is_dir());
    check(spec, stored_tls)?;
    let renamed = replacing.filter(|old| *old != spec.name);
    if (replacing.is_none() || renamed.is_some()) && find(config, &spec.name).is_some() {
        return Err(EngineError::new(
            ErrorCode::Conflict,
            format!("a context named \"{}\" exists already", spec.name),
        ));
    }
    if let Some(old) = replacing {
        if find(config, old).is_none() {
            return Err(EngineError::new(
                ErrorCode::NotFound,
                format!("the context \"{old}\" is gone"),
            ));
        }
    }
    let io = |doing: &str, e| EngineError::io(doing, e);
    let tls_to = tls_dir(config, &spec.name);
    let new_files = spec.ca.is_some() || spec.cert.is_some();
    if let Some(old) = renamed {
        let from = tls_dir(config, old);
        if from.is_dir() && !new_files {
            std::fs::create_dir_all(tls_to.parent().unwrap_or(&tls_to))
                .map_err(|e| io("make the TLS folder", e))?;
            std::fs::rename(&from, &tls_to).map_err(|e| io("move the TLS files", e))?;
        }
    }
    if new_files {
        let _ = std::fs::remove_dir_all(&tls_to);
        make_private_dir(&tls_to)?;
        for (from, name) in [(&spec.ca, "ca.pem"), (&spec.cert, "cert.pem"), (&spec.key, "key.pem")]
        {
            if let Some(from) = from {
                let bytes =
                    std::fs::read(from).map_err(|e| io(&format!("read {}", from.display()), e))?;
                write_private(&tls_to.join(name), &bytes)?;
            }
        }
    }
    let docker =
        serde_json::json!({"Host": spec.host.trim(), "SkipTLSVerify": spec.skip_tls_verify});
    let mut metadata = serde_json::Map::new();
    if !spec.description.trim().is_empty() {
        metadata.insert("Description".into(), spec.description.trim().into());
    }
    let meta = Meta {
        name: spec.name.clone(),
        metadata: metadata.into(),
        endpoints: [("docker".to_string(), docker)].into_iter().collect(),
    };
    let dir = meta_dir(config, &spec.name);
    std::fs::create_dir_all(&dir).map_err(|e| io("make the context folder", e))?;
    let text = serde_json::to_vec(&meta).map_err(|e| invalid(e.to_string()))?;
    let tmp = dir.join(".meta.json.berth");
    std::fs::write(&tmp, text).map_err(|e| io("write the context", e))?;
    std::fs::rename(&tmp, dir.join("meta.json")).map_err(|e| io("write the context", e))?;
    if let Some(old) = renamed {
        remove_dirs(config, old)?;
        rename_current(config, old, &spec.name)?;
    }
    Ok(())
}

/// Remove the context `name` and its TLS files. The one the docker CLI uses now stays, as with
/// `docker context rm` without `--force`.
pub fn remove(env: &ResolveEnv, config: &Path, name: &str) -> Result<(), EngineError> {
    if name == "default" {
        return Err(invalid("the default context cannot be removed"));
    }
    if current(env) == name {
        return Err(EngineError::new(
            ErrorCode::InUse,
            format!(
                "the docker CLI uses \"{name}\" now: switch it to another context first \
                 (docker context use default)"
            ),
        ));
    }
    if find(config, name).is_none() {
        return Err(EngineError::new(ErrorCode::NotFound, format!("no context named \"{name}\"")));
    }
    remove_dirs(config, name)
}

fn remove_dirs(config: &Path, name: &str) -> Result<(), EngineError> {
    std::fs::remove_dir_all(meta_dir(config, name))
        .map_err(|e| EngineError::io(format!("remove the context \"{name}\""), e))?;
    let tls = config.join("contexts").join("tls").join(dir_name(name));
    match std::fs::remove_dir_all(&tls) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(EngineError::io(format!("remove the TLS files of \"{name}\""), e))
        }
        _ => Ok(()),
    }
}

/// A renamed context that the CLI used stays the one it uses.
fn rename_current(config: &Path, old: &str, new: &str) -> Result<(), EngineError> {
    let path = config.join("config.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(()) };
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&text) else { return Ok(()) };
    if v.get("currentContext").and_then(|c| c.as_str()) != Some(old) {
        return Ok(());
    }
    v["currentContext"] = new.into();
    let out = serde_json::to_vec_pretty(&v).map_err(|e| invalid(e.to_string()))?;
    let tmp = config.join(".config.json.berth");
    std::fs::write(&tmp, out).map_err(|e| EngineError::io("write config.json", e))?;
    std::fs::rename(&tmp, &path).map_err(|e| EngineError::io("write config.json", e))
}

fn make_private_dir(dir: &Path) -> Result<(), EngineError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| EngineError::io("make the TLS folder", e))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| EngineError::io(format!("write {}", path.display()), e))?;
    f.write_all(bytes).map_err(|e| EngineError::io(format!("write {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, host: &str) -> ContextSpec {
        ContextSpec {
            name: name.into(),
            description: String::new(),
            host: host.into(),
            ca: None,
            cert: None,
            key: None,
            skip_tls_verify: false,
            plain_tcp_accepted: false,
        }
    }

    fn env(dir: &Path) -> ResolveEnv {
        ResolveEnv { config_dir: Some(dir.to_path_buf()), ..Default::default() }
    }

    #[test]
    fn folder_names_are_the_sha256_of_the_name() {
        assert_eq!(dir_name("box").len(), 64);
        assert_eq!(
            dir_name("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
        );
    }

    #[test]
    fn names_follow_the_cli() {
        for ok in ["box", "build-box.lan", "a1", "A_b+c"] {
            check_name(ok).unwrap();
        }
        for bad in ["", "x", "default", "-box", ".x", "a b", "a/b", "é1"] {
            assert_eq!(check_name(bad).unwrap_err().code, ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn saved_contexts_list_and_resolve_in_the_cli_format() {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        for f in ["ca.pem", "cert.pem", "key.pem"] {
            std::fs::write(files.path().join(f), f).unwrap();
        }
        let mut s = spec("tls-box", "tcp://10.1.2.3:2376");
        s.description = "build box".into();
        s.ca = Some(files.path().join("ca.pem"));
        s.cert = Some(files.path().join("cert.pem"));
        s.key = Some(files.path().join("key.pem"));
        save(dir.path(), &s, None).unwrap();
        save(dir.path(), &spec("ssh-box", "ssh://root@127.0.0.1:2222"), None).unwrap();

        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(meta_dir(dir.path(), "tls-box").join("meta.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(meta["Name"], "tls-box");
        assert_eq!(meta["Metadata"]["Description"], "build box");
        assert_eq!(meta["Endpoints"]["docker"]["Host"], "tcp://10.1.2.3:2376");
        assert_eq!(meta["Endpoints"]["docker"]["SkipTLSVerify"], false);
        let key = tls_dir(dir.path(), "tls-box").join("key.pem");
        assert_eq!(std::fs::read_to_string(&key).unwrap(), "key.pem");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);

        let names: Vec<_> = list(&env(dir.path())).into_iter().map(|c| (c.name, c.tls)).collect();
        assert_eq!(
            names,
            [("default".into(), false), ("ssh-box".into(), false), ("tls-box".into(), true)]
        );
        let host = super::super::connect::resolve_context(&env(dir.path()), "tls-box").unwrap();
        let tls = host.tls.unwrap();
        assert!(tls.verify);
        assert_eq!(tls.key, Some(key));
    }

    #[test]
    fn edits_rename_keep_tls_and_follow_the_current_context() {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        std::fs::write(files.path().join("ca.pem"), "ca").unwrap();
        let mut s = spec("old", "tcp://10.0.0.1:2376");
        s.ca = Some(files.path().join("ca.pem"));
        save(dir.path(), &s, None).unwrap();
        std::fs::write(dir.path().join("config.json"), r#"{"currentContext":"old","auths":{}}"#)
            .unwrap();
        // No TLS files named: the stored ones stay, so this is no plain tcp.
        save(dir.path(), &spec("new", "tcp://10.0.0.2:2376"), Some("old")).unwrap();
        assert!(find(dir.path(), "old").is_none());
        assert_eq!(find(dir.path(), "new").unwrap().host.as_deref(), Some("tcp://10.0.0.2:2376"));
        assert!(tls_dir(dir.path(), "new").join("ca.pem").is_file());
        assert!(!dir.path().join("contexts/tls").join(dir_name("old")).exists());
        assert_eq!(current(&env(dir.path())), "new");
        assert_eq!(
            save(dir.path(), &spec("new", "unix:///x.sock"), None).unwrap_err().code,
            ErrorCode::Conflict
        );
    }

    #[test]
    fn plain_tcp_needs_loopback_and_consent() {
        let dir = tempfile::tempdir().unwrap();
        let e = save(dir.path(), &spec("lan", "tcp://192.168.1.9:2375"), None).unwrap_err();
        assert!(e.message.contains("anyone who can reach"), "{}", e.message);
        let mut s = spec("local", "tcp://127.0.0.1:2375");
        assert!(save(dir.path(), &s, None).unwrap_err().message.contains("confirm"));
        s.plain_tcp_accepted = true;
        save(dir.path(), &s, None).unwrap();
    }

    #[test]
    fn the_current_context_and_default_stay() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &spec("box", "ssh://box"), None).unwrap();
        let mut e = env(dir.path());
        e.docker_context = Some("box".into());
        assert_eq!(remove(&e, dir.path(), "box").unwrap_err().code, ErrorCode::InUse);
        assert_eq!(remove(&e, dir.path(), "default").unwrap_err().code, ErrorCode::InvalidInput);
        e.docker_context = None;
        remove(&e, dir.path(), "box").unwrap();
        assert!(find(dir.path(), "box").is_none());
        assert_eq!(remove(&e, dir.path(), "box").unwrap_err().code, ErrorCode::NotFound);
    }
}
