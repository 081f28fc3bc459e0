//! Programs Berth starts (a browser today; compose, credential helpers and ssh later): always an
//! argument vector, never a shell; never with the variables Berth set for its own window (see
//! `webkit.rs`); and never waited on for longer than a time limit.

use std::ffi::OsStr;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use super::error::{EngineError, ErrorCode};
use super::sync::lock;

/// Variables Berth set in its own environment for itself; no child gets them.
static HIDDEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Berth set `name` for itself (WebKit's settings): keep it from every program Berth starts.
pub fn hide_from_children(name: &str) {
    let mut hidden = lock(&HIDDEN);
    if !hidden.iter().any(|h| h == name) {
        hidden.push(name.to_string());
    }
}

/// The variables kept from children.
pub fn hidden() -> Vec<String> {
    lock(&HIDDEN).clone()
}

/// `program` with the environment Berth was given (less what it set for itself) and no input.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    scrub(&mut cmd);
    cmd
}

fn scrub(cmd: &mut Command) {
    for name in hidden() {
        cmd.env_remove(name);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
}

/// How long a desktop launcher (xdg-open, ...) may take to say it failed before it counts as
/// having handed the URL over.
const LAUNCH_LIMIT: Duration = Duration::from_secs(5);

/// Open `url` in the user's browser with the desktop's launcher: xdg-open, then the fallbacks the
/// `open` crate knows (gio, gnome-open, kde-open), each as an argument vector.
pub fn open_url(url: &str) -> Result<(), EngineError> {
    let mut tried = Vec::new();
    for mut cmd in open::commands(url) {
        scrub(&mut cmd);
        let program = cmd.get_program().to_string_lossy().into_owned();
        let child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                tried.push(format!("{program}: {e}"));
                continue;
            }
        };
        match wait_limited(child, LAUNCH_LIMIT) {
            Some(status) if status.success() => return Ok(()),
            Some(status) => tried.push(format!("{program} ended with {status}")),
            // Still running: a launcher that waits for the browser. It has the URL.
            None => return Ok(()),
        }
    }
    let why = if tried.is_empty() {
        "no desktop launcher (xdg-open, gio, kde-open) is installed".to_string()
    } else {
        tried.join("; ")
    };
    Err(EngineError::new(ErrorCode::Engine, format!("could not open {url}: {why}")))
}

/// The child's exit status if it ends within `limit`. A thread waits for it either way, so it
/// is reaped whenever it ends.
fn wait_limited(
    mut child: std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    rx.recv_timeout(limit).ok().and_then(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_do_not_get_what_berth_set_for_itself() {
        std::env::set_var("BERTH_TEST_FOR_WEBKIT", "1");
        std::env::set_var("BERTH_TEST_USERS_OWN", "kept");
        hide_from_children("BERTH_TEST_FOR_WEBKIT");
        let out = command("env").stdout(Stdio::piped()).output().expect("run env");
        let env = String::from_utf8_lossy(&out.stdout);
        assert!(!env.contains("BERTH_TEST_FOR_WEBKIT"), "{env}");
        assert!(env.lines().any(|l| l == "BERTH_TEST_USERS_OWN=kept"), "{env}");
    }

    #[test]
    fn a_launcher_that_outlives_the_limit_counts_as_handed_over() {
        let quick = command("true").spawn().unwrap();
        assert!(wait_limited(quick, Duration::from_secs(5)).is_some_and(|s| s.success()));
        let failed = command("false").spawn().unwrap();
        assert!(wait_limited(failed, Duration::from_secs(5)).is_some_and(|s| !s.success()));
        let slow = command("sleep").arg("1").spawn().unwrap();
        let started = std::time::Instant::now();
        assert!(wait_limited(slow, Duration::from_millis(100)).is_none());
        assert!(started.elapsed() < Duration::from_millis(900));
    }
}
