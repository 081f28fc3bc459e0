//! Start-up timing: when the process started (and how long it ran before `main`, from `/proc`),
//! the backend's steps since, and the page's, logged together when the first list is painted so
//! start-up can be measured, and its slow step found, from the outside (`scripts/bench.sh
//! startup`).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::engine::sync::lock;

/// When the process started and the backend's steps since, for start-up reporting.
pub struct ProcessStart {
    started: SystemTime,
    /// How long the process ran before `main` (loading its libraries), when the OS says.
    before_main_ms: Option<u32>,
    steps: std::sync::Mutex<Vec<(&'static str, u32)>>,
}

impl ProcessStart {
    pub fn now() -> Self {
        Self {
            started: SystemTime::now(),
            before_main_ms: before_main_ms(),
            steps: Default::default(),
        }
    }

    /// Note that the backend reached `step` (kept for the first 16 steps).
    pub fn mark(&self, step: &'static str) {
        let ms = self.started.elapsed().unwrap_or_default().as_millis() as u32;
        let mut steps = lock(&self.steps);
        if steps.len() < 16 {
            steps.push((step, ms));
        }
    }
}

/// Milliseconds between the process's start and now, from `/proc` (10 ms resolution).
#[cfg(target_os = "linux")]
fn before_main_ms() -> Option<u32> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) end at its closing parenthesis; the
    // start time is field 22, the 20th after it.
    let start_ticks: f64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 =
        std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks > 0.0).then(|| ((uptime - start_ticks / ticks) * 1e3).max(0.0) as u32)
}

#[cfg(not(target_os = "linux"))]
fn before_main_ms() -> Option<u32> {
    None
}

impl ProcessStart {
    /// The page painted its first container list at `painted_at_ms` (ms since the epoch);
    /// `timeline` holds its steps before that (ms since its navigation started).
    pub fn report_first_paint(&self, painted_at_ms: u64, timeline: &[(String, u32)]) {
        let started_ms =
            self.started.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        let since_main_ms = painted_at_ms.saturating_sub(started_ms);
        let steps: Vec<String> =
            timeline.iter().take(16).map(|(s, t)| format!("{s}@{t}")).collect();
        // The page's clock starts at its navigation: where that falls since `main`.
        let page_painted =
            timeline.iter().rev().find(|(s, _)| s == "painted").map_or(0, |(_, t)| *t);
        let backend: Vec<String> =
            lock(&self.steps).iter().map(|(s, t)| format!("{s}@{t}")).collect();
        tracing::info!(
            painted_at_ms,
            since_main_ms,
            before_main_ms = self.before_main_ms,
            backend = %backend.join(" "),
            page_from_ms = since_main_ms.saturating_sub(page_painted as u64),
            page = %steps.join(" "),
            "first container list painted"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_kept_in_order_up_to_sixteen() {
        let start = ProcessStart::now();
        for _ in 0..20 {
            start.mark("step");
        }
        let steps = lock(&start.steps);
        assert_eq!(steps.len(), 16);
        assert!(steps.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_time_before_main_is_read_from_proc() {
        let ms = before_main_ms().expect("/proc/self/stat and /proc/uptime are readable");
        assert!(ms < 24 * 3600 * 1000, "{ms}");
    }
}
