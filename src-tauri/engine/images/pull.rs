//! `docker pull` and `docker push`: progress per layer and overall, the credentials the docker
//! CLI would use, one transfer per reference however many ask for it, cancellation, and a typed
//! reason when a pull fails (asked of the registry: it does not answer, refuses the
//! credentials, lacks the repository or lacks the tag).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bollard::models::CreateImageInfo;
use bollard::query_parameters::CreateImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use serde::Serialize;
use specta::Type;
use tokio::sync::watch;

use crate::engine::credentials::Credential;
use crate::engine::registry;
use crate::engine::spec::ImageRef;
use crate::engine::sync::lock;
use crate::engine::{EngineError, ErrorCode};

/// Where one layer of a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LayerPhase {
    /// Queued behind other layers (`Waiting`, `Pulling fs layer`, `Preparing`).
    Waiting,
    /// Bytes moving: downloading, or pushing.
    Transferring,
    /// Downloaded, being checked (`Verifying Checksum`, `Download complete`).
    Verifying,
    /// Being unpacked into the engine's store.
    Extracting,
    /// Finished, or there already (`Pull complete`, `Already exists`, `Pushed`).
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LayerProgress {
    /// The layer's short id, as the engine names it.
    pub id: String,
    pub phase: LayerPhase,
    /// Bytes moved and to move in the current phase (0 when the engine does not say).
    pub current: f64,
    pub total: f64,
}

/// How a pull or push is going.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PullProgress {
    /// What the reference resolves to, in full: `docker.io/library/busybox:latest`.
    pub resolved: String,
    /// The engine's last status line (`Downloading`, `Pull complete`, `Digest: ...`).
    pub status: String,
    pub layers: Vec<LayerProgress>,
    /// Bytes transferred and to transfer, over the layers whose size is known so far.
    pub current: f64,
    pub total: f64,
    pub layers_done: u32,
}

/// Layers as the engine reports them, in the order they first appeared.
#[derive(Default)]
struct Tally {
    resolved: String,
    layers: Vec<LayerProgress>,
    /// Bytes to transfer per layer, once known (kept through extraction).
    sizes: HashMap<String, f64>,
}

impl Tally {
    fn note(&mut self, id: Option<&str>, status: &str, current: Option<i64>, total: Option<i64>) {
        let Some(id) = id.filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            return;
        };
        let phase = match status {
            "Pulling fs layer" | "Waiting" | "Preparing" => LayerPhase::Waiting,
            "Downloading" | "Pushing" => LayerPhase::Transferring,
            "Verifying Checksum" | "Download complete" => LayerPhase::Verifying,
            "Extracting" => LayerPhase::Extracting,
            "Pull complete" | "Already exists" | "Pushed" | "Layer already exists" => {
                LayerPhase::Done
            }
            s if s.starts_with("Mounted from") => LayerPhase::Done,
            _ => return,
        };
        let i = match self.layers.iter().position(|l| l.id == id) {
            Some(i) => i,
            None => {
                let fresh = LayerProgress { id: id.into(), phase, current: 0.0, total: 0.0 };
                self.layers.push(fresh);
                self.layers.len() - 1
            }
        };
        let layer = &mut self.layers[i];
        layer.phase = phase;
        layer.current = current.unwrap_or(0).max(0) as f64;
        layer.total = total.unwrap_or(0).max(0) as f64;
        if phase == LayerPhase::Transferring && layer.total > 0.0 {
            self.sizes.insert(id.into(), layer.total);
        }
    }

    fn progress(&self, status: String) -> PullProgress {
        let mut current = 0.0;
        let mut total = 0.0;
        for l in &self.layers {
            let Some(size) = self.sizes.get(&l.id) else { continue };
            total += size;
            current += match l.phase {
                LayerPhase::Transferring => l.current.min(*size),
                LayerPhase::Waiting => 0.0,
                _ => *size,
            };
        }
        PullProgress {
            resolved: self.resolved.clone(),
            status,
            current,
            total,
            layers_done: self.layers.iter().filter(|l| l.phase == LayerPhase::Done).count() as u32,
            layers: self.layers.clone(),
        }
    }
}

/// The registry host and repository path a reference names, as its API wants them.
fn registry_and_path(reference: &ImageRef) -> (String, String) {
    (reference.domain.clone(), reference.path.clone())
}

/// `domain/path:tag` (or `@digest`), as the engine reads the reference.
fn resolved(reference: &ImageRef, tag_or_digest: &str) -> String {
    let sep = if tag_or_digest.starts_with("sha256:") { '@' } else { ':' };
    format!("{}/{}{sep}{tag_or_digest}", reference.domain, reference.path)
}

/// Pull `reference` with `credential`, reporting progress to `progress` as the engine sends it.
/// The image's reference as pulled when done.
pub async fn pull(
    docker: &Docker,
    reference: &ImageRef,
    credential: Option<Credential>,
    mut progress: impl FnMut(&PullProgress),
) -> Result<String, EngineError> {
    // The engine pulls every tag when given none: no tag means `latest`, as with `docker pull`.
    let tag = match (&reference.digest, reference.tag_or_latest()) {
        (Some(d), _) => d.clone(),
        (None, t) => t.unwrap_or("latest").to_string(),
    };
    let opts = CreateImageOptionsBuilder::default()
        .from_image(&reference.familiar_name())
        .tag(&tag)
        .build();
    let started = std::time::Instant::now();
    let auth = credential.as_ref().map(Credential::engine_auth);
    let mut stream = docker.create_image(Some(opts), None, auth);
    let mut tally = Tally { resolved: resolved(reference, &tag), ..Default::default() };
    let mut last = String::new();
    while let Some(item) = stream.next().await {
        let failure = match item {
            Ok(CreateImageInfo { error_detail: Some(d), .. }) => {
                Some(EngineError::new(ErrorCode::Engine, d.message.unwrap_or_default()))
            }
            Ok(info) => {
                let status = info.status.unwrap_or_default();
                let (current, total) =
                    info.progress_detail.map_or((None, None), |d| (d.current, d.total));
                tally.note(info.id.as_deref(), &status, current, total);
                last = status.clone();
                progress(&tally.progress(status));
                None
            }
            Err(e) => Some(EngineError::from(e)),
        };
        if let Some(e) = failure {
            tracing::warn!(reference = reference.familiar(), error = %e, "pull failed");
            let (host, path) = registry_and_path(reference);
            let why = match e.code {
                ErrorCode::NotFound | ErrorCode::Engine | ErrorCode::PermissionDenied => {
                    registry::why_missing(&host, &path, &tag, credential).await
                }
                _ => None,
            };
            return Err(named(reference, "pull", why.unwrap_or(e)));
        }
    }
    tracing::debug!(
        reference = reference.familiar(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        status = last,
        "pulled"
    );
    Ok(reference.familiar())
}

/// Where to speak to the engine plainly: its unix socket and API version (a push's progress
/// lines carry layer ids that bollard's model drops).
#[derive(Debug, Clone)]
pub struct RawEngine {
    pub socket: String,
    pub api: String,
}

/// Push `reference` (a local tag) with `credential`, reporting progress per layer.
pub async fn push(
    engine: &RawEngine,
    reference: &ImageRef,
    credential: Option<Credential>,
    mut progress: impl FnMut(&PullProgress),
) -> Result<String, EngineError> {
    use base64::Engine as _;
    let tag = reference.tag_or_latest().unwrap_or("latest").to_string();
    let auth = match &credential {
        Some(c) => serde_json::to_string(&c.engine_auth()).expect("credentials serialize"),
        None => "{}".to_string(),
    };
    let auth = base64::engine::general_purpose::URL_SAFE.encode(auth);
    let path = format!("/images/{}/push?tag={tag}", reference.name());
    let mut tally = Tally { resolved: resolved(reference, &tag), ..Default::default() };
    let mut failure = None;
    let streamed = crate::engine::raw::post_stream(
        &engine.socket,
        &engine.api,
        &path,
        &[("X-Registry-Auth", auth)],
        |line| {
            let text = |k: &str| line.get(k).and_then(|v| v.as_str()).map(str::to_string);
            if let Some(message) = line.get("errorDetail").and_then(|d| d.get("message")) {
                let message = message.as_str().unwrap_or("").to_string();
                failure = Some(EngineError::new(ErrorCode::Engine, message));
                return;
            }
            let status = text("status").unwrap_or_default();
            let detail = line.get("progressDetail");
            let n = |k: &str| detail.and_then(|d| d.get(k)).and_then(|v| v.as_i64());
            tally.note(text("id").as_deref(), &status, n("current"), n("total"));
            progress(&tally.progress(status));
        },
    )
    .await;
    if let Some(e) = streamed.err().or(failure) {
        tracing::warn!(reference = reference.familiar(), error = %e, "push failed");
        let (host, _) = registry_and_path(reference);
        let why = match e.code {
            ErrorCode::NotFound => None,
            _ => registry::check(&host, credential).await.err(),
        };
        return Err(named(reference, "push", why.unwrap_or(e)));
    }
    Ok(format!("{}:{tag}", reference.familiar_name()))
}

/// Say which image a failed transfer was for.
fn named(reference: &ImageRef, verb: &str, e: EngineError) -> EngineError {
    EngineError::new(e.code, format!("could not {verb} {}: {}", reference.familiar(), e.message))
}

type Outcome = Option<Result<String, EngineError>>;

struct Running {
    progress: watch::Receiver<Option<PullProgress>>,
    done: watch::Receiver<Outcome>,
    task: tokio::task::AbortHandle,
}

/// Transfers in flight, one per reference and direction: a second ask for the same one follows
/// the first instead of starting another.
#[derive(Default, Clone)]
pub struct Transfers(Arc<Mutex<HashMap<String, Running>>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Pull,
    Push,
}

impl Transfers {
    fn key(direction: Direction, reference: &ImageRef) -> String {
        format!("{direction:?} {}", reference.familiar())
    }

    /// Run (or follow) the transfer of `reference`; `on_progress` hears every change.
    pub async fn run(
        &self,
        docker: Docker,
        raw: RawEngine,
        direction: Direction,
        reference: ImageRef,
        credential: Option<Credential>,
        mut on_progress: impl FnMut(&PullProgress),
    ) -> Result<String, EngineError> {
        let key = Self::key(direction, &reference);
        let (mut progress, mut done) = {
            let mut map = lock(&self.0);
            match map.get(&key) {
                Some(r) => (r.progress.clone(), r.done.clone()),
                None => {
                    let (ptx, prx) = watch::channel(None);
                    let (dtx, drx) = watch::channel(None);
                    let all = self.clone();
                    let key2 = key.clone();
                    let task = tokio::spawn(async move {
                        let report = |p: &PullProgress| {
                            ptx.send_replace(Some(p.clone()));
                        };
                        let out = match direction {
                            Direction::Pull => pull(&docker, &reference, credential, report).await,
                            Direction::Push => push(&raw, &reference, credential, report).await,
                        };
                        lock(&all.0).remove(&key2);
                        dtx.send_replace(Some(out));
                    });
                    let running = Running {
                        progress: prx.clone(),
                        done: drx.clone(),
                        task: task.abort_handle(),
                    };
                    map.insert(key.clone(), running);
                    (prx, drx)
                }
            }
        };
        loop {
            if let Some(out) = done.borrow().clone() {
                return out;
            }
            if let Some(p) = progress.borrow_and_update().clone() {
                on_progress(&p);
            }
            tokio::select! {
                changed = progress.changed() => { let _ = changed; }
                changed = done.changed() => {
                    if changed.is_err() {
                        // The task was aborted: the transfer was cancelled.
                        let verb = if direction == Direction::Pull { "pull" } else { "push" };
                        let message = format!("{verb} of {} cancelled", reference_name(&key));
                        return Err(EngineError::new(ErrorCode::Cancelled, message));
                    }
                }
            }
        }
    }

    /// How many transfers are in flight.
    pub fn running(&self) -> usize {
        lock(&self.0).len()
    }

    /// Stop the transfer of `reference`: the engine drops what it had not finished (a pull
    /// leaves no half image). Whether one was running.
    pub fn cancel(&self, direction: Direction, reference: &ImageRef) -> bool {
        let key = Self::key(direction, reference);
        match lock(&self.0).remove(&key) {
            Some(r) => {
                r.task.abort();
                true
            }
            None => false,
        }
    }
}

fn reference_name(key: &str) -> &str {
    key.split_once(' ').map_or(key, |(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_move_through_their_phases_and_the_total_counts_known_sizes() {
        let mut t = Tally::default();
        let (a, b) = ("aaaaaaaaaaaa", "bbbbbbbbbbbb");
        t.note(Some("latest"), "Pulling from team/app", None, None);
        t.note(Some(a), "Pulling fs layer", None, None);
        t.note(Some(b), "Already exists", None, None);
        t.note(Some(a), "Downloading", Some(500), Some(2000));
        let p = t.progress("Downloading".into());
        assert_eq!(p.layers.len(), 2, "the tag line is not a layer");
        assert_eq!(p.layers[0].phase, LayerPhase::Transferring);
        assert_eq!((p.current, p.total, p.layers_done), (500.0, 2000.0, 1));
        t.note(Some(a), "Download complete", None, None);
        t.note(Some(a), "Extracting", Some(100), Some(4000));
        let p = t.progress("Extracting".into());
        assert_eq!(p.layers[0].phase, LayerPhase::Extracting);
        assert_eq!((p.current, p.total), (2000.0, 2000.0), "downloaded in full");
        t.note(Some(a), "Pull complete", None, None);
        assert_eq!(t.progress(String::new()).layers_done, 2);
    }

    #[test]
    fn a_reference_resolves_as_the_engine_reads_it() {
        let r = |s: &str| ImageRef::parse(s).unwrap();
        assert_eq!(resolved(&r("busybox"), "latest"), "docker.io/library/busybox:latest");
        assert_eq!(resolved(&r("127.0.0.1:5000/team/app:2"), "2"), "127.0.0.1:5000/team/app:2");
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(resolved(&r("user/tool"), &digest), format!("docker.io/user/tool@{digest}"));
    }

    #[test]
    fn push_statuses_are_phases_too() {
        let mut t = Tally::default();
        let id = "cccccccccccc";
        t.note(Some(id), "Preparing", None, None);
        assert_eq!(t.layers[0].phase, LayerPhase::Waiting);
        t.note(Some(id), "Pushing", Some(10), Some(20));
        assert_eq!(t.layers[0].phase, LayerPhase::Transferring);
        t.note(Some(id), "Mounted from team/base", None, None);
        assert_eq!(t.layers[0].phase, LayerPhase::Done);
    }
}
