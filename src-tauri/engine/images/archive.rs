//! `docker save` and `docker load`: images to a tar file and back, with progress in bytes.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bollard::query_parameters::ImportImageOptionsBuilder;
use bollard::Docker;
use futures_util::{stream, StreamExt};
use serde::Serialize;
use specta::Type;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::engine::{EngineError, ErrorCode};

/// Bytes moved so far, and how many there are in all (an estimate for a save: the images'
/// sizes; the file's size for a load).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Type)]
pub struct ByteProgress {
    pub done: f64,
    pub total: f64,
}

/// The file a save writes first, removed unless the save finished (also when the save is
/// stopped and its future dropped).
struct Partial {
    path: std::path::PathBuf,
    done: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// `docker save -o PATH REFS...`: written beside `path` first and renamed into place when
/// whole, so a failed or stopped save leaves no half file.
pub async fn save(
    docker: &Docker,
    refs: &[String],
    path: &Path,
    estimate: f64,
    mut progress: impl FnMut(ByteProgress),
) -> Result<u64, EngineError> {
    let names: Vec<&str> = refs.iter().map(String::as_str).collect();
    let mut partial = Partial { path: path.with_extension("tar.part"), done: false };
    let io = |p: &Path, e| EngineError::io(p.display(), e);
    let mut file =
        tokio::fs::File::create(&partial.path).await.map_err(|e| io(&partial.path, e))?;
    let mut stream = docker.export_images(&names);
    let mut done = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(EngineError::from)?;
        file.write_all(&chunk).await.map_err(|e| io(&partial.path, e))?;
        done += chunk.len() as u64;
        progress(ByteProgress { done: done as f64, total: estimate.max(done as f64) });
    }
    file.sync_all().await.map_err(|e| io(&partial.path, e))?;
    tokio::fs::rename(&partial.path, path).await.map_err(|e| io(path, e))?;
    partial.done = true;
    Ok(done)
}

/// `docker load -i PATH`: the references (or ids) the engine says it loaded.
pub async fn load(
    docker: &Docker,
    path: &Path,
    mut progress: impl FnMut(ByteProgress),
) -> Result<Vec<String>, EngineError> {
    let file = tokio::fs::File::open(path).await.map_err(|e| EngineError::io(path.display(), e))?;
    let total = file.metadata().await.map_err(|e| EngineError::io(path.display(), e))?.len() as f64;
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let body = stream::unfold(file, move |mut f| {
        let counter = counter.clone();
        async move {
            let mut buf = vec![0u8; 256 * 1024];
            match f.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    counter.fetch_add(n as u64, Ordering::Relaxed);
                    Some((Ok(bytes::Bytes::from(buf)), f))
                }
                Err(e) => Some((Err(e), f)),
            }
        }
    });
    let opts = ImportImageOptionsBuilder::default().quiet(false).build();
    let mut answers = docker.import_image(opts, bollard::body_try_stream(body), None);
    let mut loaded = Vec::new();
    while let Some(item) = answers.next().await {
        let info = item.map_err(|e| {
            let e = EngineError::from(e);
            EngineError::new(e.code, format!("could not load {}: {}", path.display(), e.message))
        })?;
        if let Some(message) = info.error_detail.and_then(|d| d.message) {
            return Err(EngineError::new(
                ErrorCode::Engine,
                format!("could not load {}: {message}", path.display()),
            ));
        }
        let text = info.stream.unwrap_or_default();
        for line in text.lines() {
            let what = line
                .strip_prefix("Loaded image: ")
                .or_else(|| line.strip_prefix("Loaded image ID: "));
            if let Some(what) = what {
                loaded.push(what.trim().to_string());
            }
        }
        progress(ByteProgress { done: sent.load(Ordering::Relaxed) as f64, total });
    }
    progress(ByteProgress { done: total, total });
    if loaded.is_empty() {
        return Err(EngineError::new(
            ErrorCode::InvalidInput,
            format!("{} holds no image the engine could load", path.display()),
        ));
    }
    Ok(loaded)
}
