//! `docker pull`, with progress.

use bollard::Docker;
use serde::Serialize;
use specta::Type;

use crate::engine::spec::ImageRef;
use crate::engine::{EngineError, ErrorCode};

/// How a pull is going.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PullProgress {
    /// The engine's last status line (`Downloading`, `Pull complete`, `Digest: ...`).
    pub status: String,
    /// Bytes downloaded and to download, over the layers whose size is known so far.
    pub current: f64,
    pub total: f64,
    /// Layers seen, and those done (downloaded and extracted, or already present).
    pub layers: u32,
    pub layers_done: u32,
}

/// Pull `reference`, reporting progress to `progress` as the engine sends it. The image's
/// reference as pulled when done.
pub async fn pull(
    docker: &Docker,
    reference: &ImageRef,
    mut progress: impl FnMut(&PullProgress),
) -> Result<String, EngineError> {
    use bollard::query_parameters::CreateImageOptionsBuilder;
    use futures_util::StreamExt;
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
    let mut stream = docker.create_image(Some(opts), None, None);
    // Per layer: bytes done and total while downloading, and whether it is finished.
    let mut layers: Vec<(String, f64, f64, bool)> = Vec::new();
    let mut now =
        PullProgress { status: String::new(), current: 0.0, total: 0.0, layers: 0, layers_done: 0 };
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                let e = EngineError::from(e);
                tracing::warn!(reference = reference.familiar(), error = %e, "pull failed");
                return Err(pulled_error(reference, e));
            }
        };
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(pulled_error(reference, EngineError::new(ErrorCode::Engine, detail)));
        }
        let status = info.status.unwrap_or_default();
        if let Some(id) = info.id.filter(|id| id.len() == 12 && status != "Pulling from") {
            let i = match layers.iter().position(|l| l.0 == id) {
                Some(i) => i,
                None => {
                    layers.push((id, 0.0, 0.0, false));
                    layers.len() - 1
                }
            };
            let layer = &mut layers[i];
            if let Some(d) = info.progress_detail {
                if status == "Downloading" {
                    layer.1 = d.current.unwrap_or(0) as f64;
                    layer.2 = d.total.unwrap_or(0) as f64;
                }
            }
            if matches!(status.as_str(), "Pull complete" | "Already exists") {
                layer.3 = true;
                layer.1 = layer.2;
            }
        }
        now = PullProgress {
            status,
            current: layers.iter().fold(0.0, |n, l| n + l.1),
            total: layers.iter().fold(0.0, |n, l| n + l.2),
            layers: layers.len() as u32,
            layers_done: layers.iter().filter(|l| l.3).count() as u32,
        };
        progress(&now);
    }
    tracing::debug!(
        reference = reference.familiar(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        status = now.status,
        "pulled"
    );
    Ok(reference.familiar())
}

/// Say which image a failed pull was for.
fn pulled_error(reference: &ImageRef, e: EngineError) -> EngineError {
    EngineError::new(e.code, format!("could not pull {}: {}", reference.familiar(), e.message))
}
