//! The Docker domain over bollard. Nothing here knows about Tauri: the `api` layer wraps these
//! functions in commands, and tests call them directly against a real engine.

pub mod build;
pub mod cancel;
pub mod clock;
pub mod compose;
pub mod connect;
pub mod containers;
pub mod contexts;
pub mod credentials;
pub mod details;
pub mod disk;
pub mod engines;
pub mod error;
pub mod events;
pub mod exec;
pub mod images;
pub mod incidents;
pub mod logs;
pub mod memory;
pub mod networks;
pub mod process;
pub mod raw;
pub mod recreate;
pub mod registry;
pub mod shared;
pub mod spec;
pub mod stats;
pub mod sync;
pub mod transport;
pub mod volumes;

pub use connect::{Engine, EngineStatus, ResolveEnv};
pub use error::{EngineError, ErrorCode};
pub use events::ChangeSet;

use std::collections::HashMap;
use std::future::Future;

/// Labels or options as the window lists them: sorted pairs.
pub(crate) fn sorted_pairs(map: HashMap<String, String>) -> Vec<(String, String)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort();
    v
}

/// Run one engine call and trace how long it took, whatever its outcome.
pub(crate) async fn timed<T, E: std::fmt::Display>(
    call: &'static str,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let started = std::time::Instant::now();
    let out = fut.await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    match &out {
        Ok(_) => tracing::debug!(call, elapsed_ms, "engine call"),
        Err(e) => tracing::warn!(call, elapsed_ms, error = %e, "engine call failed"),
    }
    out
}
