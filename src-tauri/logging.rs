//! Tracing set-up: `BERTH_LOG` filters (e.g. `BERTH_LOG=berth=debug`); development builds log
//! to stderr, every build logs to a daily file in the app's log directory.

use std::path::PathBuf;
use std::sync::OnceLock;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

static FILE_GUARD: OnceLock<WorkerGuard> = OnceLock::new();

pub fn init(log_dir: Option<PathBuf>) {
    let filter = || {
        EnvFilter::try_from_env("BERTH_LOG").unwrap_or_else(|_| EnvFilter::new("berth=info,warn"))
    };
    let stderr = cfg!(debug_assertions)
        .then(|| fmt::layer().with_writer(std::io::stderr).with_filter(filter()));
    let file = log_dir.and_then(|dir| {
        std::fs::create_dir_all(&dir).ok()?;
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix("berth")
            .filename_suffix("log")
            .max_log_files(7)
            .build(&dir)
            .map_err(|e| eprintln!("berth: no log file in {}: {e}", dir.display()))
            .ok()?;
        // The default queue (128,000 lines) is allocated and touched up front: megabytes of
        // memory for a log that writes a few lines a minute.
        let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
            .buffered_lines_limit(1024)
            .lossy(true)
            .finish(appender);
        let _ = FILE_GUARD.set(guard);
        Some(fmt::layer().with_ansi(false).with_writer(writer).with_filter(filter()))
    });
    let _ = tracing_subscriber::registry().with(stderr).with(file).try_init();
}
