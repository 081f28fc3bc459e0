//! Finding images: Docker Hub's index through the engine (`docker search`), and the catalog of
//! any v2 registry the user added (`/v2/_catalog`, with the credentials the CLI would use).

use bollard::query_parameters::SearchImagesOptionsBuilder;
use bollard::Docker;
use serde::Serialize;
use specta::Type;

use crate::engine::credentials::{self, Credential};
use crate::engine::{registry, timed, EngineError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SearchResult {
    /// What to pull: `busybox`, `user/tool`, `127.0.0.1:5000/team/app`.
    pub reference: String,
    pub description: String,
    /// Docker Hub's stars; none for another registry.
    pub stars: Option<i64>,
    pub official: bool,
}

/// `docker search TERM`: the engine asks Docker Hub's index. An engine that cannot reach it
/// (no network, a proxy) says so with its own code.
pub async fn hub(docker: &Docker, term: &str) -> Result<Vec<SearchResult>, EngineError> {
    let term = term.trim();
    if term.is_empty() {
        return Ok(Vec::new());
    }
    let opts = SearchImagesOptionsBuilder::default().term(term).limit(50).build();
    let found = timed("images.search", docker.search_images(opts)).await.map_err(|e| {
        let e = EngineError::from(e);
        match e.code {
            // The engine answers 500 when the index does not answer it.
            ErrorCode::Engine => EngineError::new(
                ErrorCode::RegistryUnreachable,
                format!("the engine cannot reach Docker Hub: {}", e.message),
            ),
            _ => e,
        }
    })?;
    let mut out: Vec<SearchResult> = found
        .into_iter()
        .map(|r| SearchResult {
            reference: r.name.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            stars: r.star_count,
            official: r.is_official.unwrap_or(false),
        })
        .collect();
    out.sort_by(|a, b| b.official.cmp(&a.official).then(b.stars.cmp(&a.stars)));
    Ok(out)
}

async fn credential(
    dir: Option<&std::path::Path>,
    registry: &str,
) -> Result<Option<Credential>, EngineError> {
    match dir {
        Some(d) => credentials::get(d, registry).await,
        None => Ok(None),
    }
}

/// The repositories of `registry` whose names hold `term` (all of them for an empty term).
pub async fn in_registry(
    dir: Option<&std::path::Path>,
    registry: &str,
    term: &str,
) -> Result<Vec<SearchResult>, EngineError> {
    let registry = registry.trim().trim_end_matches('/');
    let names = registry::catalog(registry, credential(dir, registry).await?).await?;
    let term = term.trim().to_lowercase();
    Ok(names
        .into_iter()
        .filter(|n| n.to_lowercase().contains(&term))
        .map(|n| SearchResult {
            reference: format!("{registry}/{n}"),
            description: String::new(),
            stars: None,
            official: false,
        })
        .collect())
}

/// The tags of a repository in `registry`.
pub async fn tags(
    dir: Option<&std::path::Path>,
    registry: &str,
    repository: &str,
) -> Result<Vec<String>, EngineError> {
    registry::tags(registry, repository, credential(dir, registry).await?).await
}
