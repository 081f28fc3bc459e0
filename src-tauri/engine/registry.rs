//! Asking a registry directly (the Docker Registry HTTP API v2) what the engine does not say in
//! a form Berth can branch on: whether the registry answers, whether it takes the credentials,
//! whether it has a repository, and which tags. Docker Hub's token service is followed as the
//! engine follows it (a `Bearer` challenge, a token asked for with the credentials).
//!
//! Loopback registries are spoken to over plain HTTP, as the engine does by default; every
//! other one over HTTPS with the system's certificates.

use std::time::Duration;

use super::credentials::Credential;
use super::{EngineError, ErrorCode};

const CONNECT_LIMIT: Duration = Duration::from_secs(10);
const ANSWER_LIMIT: Duration = Duration::from_secs(30);

/// Where a registry's API is: Docker Hub's names lead to its registry host.
pub fn base_url(registry: &str) -> String {
    let host = match registry {
        "docker.io" | "index.docker.io" | "" => "registry-1.docker.io",
        h => h,
    };
    let bare = host.rsplit_once(':').map_or(host, |(h, _)| h).trim_matches(['[', ']']);
    let loopback =
        bare == "localhost" || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    format!("{}://{host}", if loopback { "http" } else { "https" })
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(CONNECT_LIMIT)
        .timeout(ANSWER_LIMIT)
        .redirects(4)
        .build()
}

/// `Bearer realm="...",service="...",scope="..."` as pairs.
fn challenge(header: &str) -> Option<Vec<(String, String)>> {
    let rest = header.strip_prefix("Bearer ")?;
    let mut out = Vec::new();
    let mut s = rest.trim();
    while !s.is_empty() {
        let (key, after) = s.split_once('=')?;
        let after = after.strip_prefix('"')?;
        let end = after.find('"')?;
        out.push((key.trim().trim_start_matches(',').trim().to_string(), after[..end].to_string()));
        s = after[end + 1..].trim_start_matches(',').trim();
    }
    Some(out)
}

/// GET `url` as the registry wants it: plainly, with basic authentication, or with a token from
/// its token service. The response, whatever its status.
fn get(url: &str, credential: Option<&Credential>) -> Result<ureq::Response, EngineError> {
    let agent = agent();
    let unreachable = |e: ureq::Transport| {
        EngineError::new(ErrorCode::RegistryUnreachable, format!("{url} did not answer: {e}"))
    };
    let send = |req: ureq::Request| match req.call() {
        Ok(r) => Ok(r),
        Err(ureq::Error::Status(_, r)) => Ok(r),
        Err(ureq::Error::Transport(t)) => Err(unreachable(t)),
    };
    let first = send(agent.get(url))?;
    if first.status() != 401 {
        return Ok(first);
    }
    let header = first.header("www-authenticate").unwrap_or("").to_string();
    if header.starts_with("Basic") {
        let Some(c) = credential else { return Ok(first) };
        return send(agent.get(url).set("Authorization", &format!("Basic {}", c.basic())));
    }
    let Some(params) = challenge(&header) else { return Ok(first) };
    let realm = params.iter().find(|(k, _)| k == "realm").map(|(_, v)| v.clone());
    let Some(realm) = realm else { return Ok(first) };
    let mut token_req = agent.get(&realm);
    for (k, v) in params.iter().filter(|(k, _)| k != "realm") {
        token_req = token_req.query(k, v);
    }
    if let Some(c) = credential {
        token_req = token_req.set("Authorization", &format!("Basic {}", c.basic()));
    }
    let answer = send(token_req)?;
    if answer.status() != 200 {
        return Ok(answer);
    }
    let body: serde_json::Value = answer.into_json().map_err(|e| {
        EngineError::new(ErrorCode::RegistryUnreachable, format!("{realm} answered badly: {e}"))
    })?;
    let token = body.get("token").or_else(|| body.get("access_token")).and_then(|t| t.as_str());
    let Some(token) = token else { return Ok(first) };
    send(agent.get(url).set("Authorization", &format!("Bearer {token}")))
}

fn refused(registry: &str, credential: Option<&Credential>) -> EngineError {
    let message = match credential {
        Some(c) => format!("{registry} refused the credentials of {}: log in again", c.username),
        None => format!("{registry} wants a login: log in to it first"),
    };
    EngineError::new(ErrorCode::AuthFailed, message)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| EngineError::new(ErrorCode::Engine, format!("registry request failed: {e}")))?
}

/// Whether `registry` answers and takes `credential` (or wants none).
pub async fn check(registry: &str, credential: Option<Credential>) -> Result<(), EngineError> {
    let registry = registry.to_string();
    blocking(move || {
        let r = get(&format!("{}/v2/", base_url(&registry)), credential.as_ref())?;
        match r.status() {
            200..=299 => Ok(()),
            401 | 403 => Err(refused(&registry, credential.as_ref())),
            s => Err(EngineError::new(
                ErrorCode::RegistryUnreachable,
                format!("{registry} is not a registry (it answered {s} to /v2/)"),
            )),
        }
    })
    .await
}

/// The strings under `key` in the registry's JSON answer to GET `url`; `missing` is what a 404
/// means, `what` names the list in other failures.
fn listing(
    registry: &str,
    url: &str,
    key: &str,
    credential: Option<&Credential>,
    missing: EngineError,
    what: &str,
) -> Result<Vec<String>, EngineError> {
    let r = get(url, credential)?;
    match r.status() {
        200 => {
            let v: serde_json::Value = r.into_json().map_err(|e| {
                EngineError::new(ErrorCode::RegistryUnreachable, format!("{url}: {e}"))
            })?;
            Ok(v.get(key)
                .and_then(|t| t.as_array())
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect())
        }
        404 => Err(missing),
        401 | 403 => Err(refused(registry, credential)),
        s => Err(EngineError::new(
            ErrorCode::RegistryUnreachable,
            format!("{registry} answered {s} for {what}"),
        )),
    }
}

/// The tags of `repository` (`team/app`; Docker Hub's official images under `library/`).
pub async fn tags(
    registry: &str,
    repository: &str,
    credential: Option<Credential>,
) -> Result<Vec<String>, EngineError> {
    let (registry, repository) = (registry.to_string(), repository.to_string());
    blocking(move || {
        let url = format!("{}/v2/{repository}/tags/list", base_url(&registry));
        let missing = EngineError::new(
            ErrorCode::NotFound,
            format!("{registry} has no repository {repository}"),
        );
        let what = format!("the tags of {repository}");
        let mut tags = listing(&registry, &url, "tags", credential.as_ref(), missing, &what)?;
        tags.sort();
        Ok(tags)
    })
    .await
}

/// The repositories of a registry that lists them (`/v2/_catalog`; Docker Hub does not).
pub async fn catalog(
    registry: &str,
    credential: Option<Credential>,
) -> Result<Vec<String>, EngineError> {
    let registry = registry.to_string();
    blocking(move || {
        let url = format!("{}/v2/_catalog?n=1000", base_url(&registry));
        let missing = EngineError::new(
            ErrorCode::RegistryUnreachable,
            format!("{registry} does not list its repositories"),
        );
        listing(&registry, &url, "repositories", credential.as_ref(), missing, "its catalog")
    })
    .await
}

/// Why a pull of `tag` from `repository` failed, asked of the registry itself: it does not
/// answer, it refuses the credentials, it has no such repository, or no such tag (naming the
/// tags it has). `None` when the registry has it all: the failure was elsewhere.
pub async fn why_missing(
    registry: &str,
    repository: &str,
    tag: &str,
    credential: Option<Credential>,
) -> Option<EngineError> {
    if let Err(e) = check(registry, credential.clone()).await {
        return Some(e);
    }
    match tags(registry, repository, credential).await {
        Err(e) => Some(e),
        Ok(tags) if tag.starts_with("sha256:") || tags.iter().any(|t| t == tag) => None,
        Ok(tags) => {
            let some: Vec<&str> = tags.iter().take(8).map(String::as_str).collect();
            let has = if some.is_empty() {
                "it has no tags".to_string()
            } else {
                format!("it has {}{}", some.join(", "), if tags.len() > 8 { ", …" } else { "" })
            };
            Some(EngineError::new(
                ErrorCode::TagMissing,
                format!("{registry}/{repository} has no tag {tag}: {has}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_plain_http_and_docker_hub_is_its_registry() {
        assert_eq!(base_url("127.0.0.1:5000"), "http://127.0.0.1:5000");
        assert_eq!(base_url("localhost:5000"), "http://localhost:5000");
        assert_eq!(base_url("[::1]:5000"), "http://[::1]:5000");
        assert_eq!(base_url("docker.io"), "https://registry-1.docker.io");
        assert_eq!(base_url("ghcr.io"), "https://ghcr.io");
    }

    #[test]
    fn bearer_challenges_are_read_as_docker_hub_writes_them() {
        let c = challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#,
        )
        .unwrap();
        assert_eq!(c[0], ("realm".into(), "https://auth.docker.io/token".into()));
        assert_eq!(c[2], ("scope".into(), "repository:library/busybox:pull".into()));
        assert!(challenge("Basic realm=\"x\"").is_none());
    }
}
