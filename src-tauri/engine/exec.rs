//! Terminals into containers: a TTY exec session (a shell, or a command the user typed), or an
//! attachment to the main process of a container started with `-it`. Input goes in as bytes,
//! output comes out as text split on character boundaries, and the TTY follows the window's size.

use std::pin::Pin;

use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, ResizeExecOptions, StartExecOptions, StartExecResults};
use bollard::query_parameters::{AttachContainerOptionsBuilder, ResizeContainerTTYOptionsBuilder};
use bollard::Docker;
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::io::AsyncWrite;

use super::error::{EngineError, ErrorCode};
use super::timed;

/// What to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", content = "command")]
pub enum Open {
    /// Attach to the main process of an `-it` container; otherwise a shell.
    Auto,
    /// A new shell: `/bin/bash` when the image has it, else `/bin/sh`.
    Shell,
    /// This command line, split like a shell would.
    Command(String),
}

/// The process behind a terminal, for resizing it and reading how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Exec(String),
    Attached(String),
}

pub type Output = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;
pub type Stdin = Pin<Box<dyn AsyncWrite + Send>>;

/// An open terminal.
pub struct Tty {
    pub target: Target,
    /// What runs in it, for the tab's title.
    pub title: String,
    pub output: Output,
    pub input: Stdin,
}

const SHELL: &str = "if [ -x /bin/bash ]; then exec /bin/bash; else exec /bin/sh; fi";

/// Open a terminal in container `id`, sized `cols` x `rows`.
pub async fn open(
    docker: &Docker,
    id: &str,
    how: Open,
    cols: u16,
    rows: u16,
) -> Result<Tty, EngineError> {
    let info = timed("containers.inspect", docker.inspect_container(id, None)).await?;
    let running = info.state.as_ref().and_then(|s| s.running).unwrap_or(false);
    let paused = info.state.as_ref().and_then(|s| s.paused).unwrap_or(false);
    let name = info.name.as_deref().unwrap_or(id).trim_start_matches('/').to_string();
    if !running || paused {
        let state = if paused { "paused" } else { "not running" };
        return Err(EngineError::new(
            ErrorCode::Conflict,
            format!("{name} is {state}: start it to open a terminal"),
        ));
    }
    let config = info.config.unwrap_or_default();
    let interactive = config.tty.unwrap_or(false) && config.open_stdin.unwrap_or(false);
    if how == Open::Auto && interactive {
        let opts = AttachContainerOptionsBuilder::new()
            .stdin(true)
            .stdout(true)
            .stderr(true)
            .stream(true)
            .build();
        let att = timed("containers.attach", docker.attach_container(id, Some(opts))).await?;
        let target = Target::Attached(id.to_string());
        fit(docker, &target, cols, rows).await;
        let main = config.cmd.unwrap_or_default().join(" ");
        return Ok(Tty { target, title: main, output: att.output, input: att.input });
    }
    let (cmd, title) = match how {
        Open::Command(line) => {
            let words = super::spec::split_words(&line)
                .map_err(|m| EngineError::new(ErrorCode::InvalidInput, m))?;
            if words.is_empty() {
                return Err(EngineError::new(ErrorCode::InvalidInput, "type a command to run"));
            }
            (words, line.trim().to_string())
        }
        _ => (vec!["/bin/sh".into(), "-c".into(), SHELL.into()], "shell".to_string()),
    };
    let exec = timed(
        "exec.create",
        docker.create_exec(
            id,
            CreateExecOptions {
                attach_stdin: Some(true),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                tty: Some(true),
                env: Some(vec!["TERM=xterm-256color".to_string()]),
                cmd: Some(cmd),
                ..Default::default()
            },
        ),
    )
    .await?;
    let start = StartExecOptions { detach: false, tty: true, output_capacity: None };
    match timed("exec.start", docker.start_exec(&exec.id, Some(start))).await? {
        StartExecResults::Attached { output, input } => {
            let target = Target::Exec(exec.id);
            fit(docker, &target, cols, rows).await;
            Ok(Tty { target, title, output, input })
        }
        StartExecResults::Detached => {
            Err(EngineError::new(ErrorCode::Engine, "the engine did not attach the session"))
        }
    }
}

/// Size a TTY that has just started. A short command may already have ended: then there is
/// nothing to size, and its output still arrives.
async fn fit(docker: &Docker, target: &Target, cols: u16, rows: u16) {
    if let Err(e) = resize(docker, target, cols, rows).await {
        tracing::debug!(error = %e, "sizing a new terminal failed");
    }
}

/// Make the TTY `cols` x `rows`.
pub async fn resize(
    docker: &Docker,
    target: &Target,
    cols: u16,
    rows: u16,
) -> Result<(), EngineError> {
    let (cols, rows) = (cols.max(1), rows.max(1));
    match target {
        Target::Exec(id) => {
            let opts = ResizeExecOptions { height: rows, width: cols };
            Ok(timed("exec.resize", docker.resize_exec(id, opts)).await?)
        }
        Target::Attached(id) => {
            let opts =
                ResizeContainerTTYOptionsBuilder::new().h(rows.into()).w(cols.into()).build();
            Ok(timed("containers.resize", docker.resize_container_tty(id, opts)).await?)
        }
    }
}

/// How the process behind a terminal ended, when it has.
pub async fn exit_code(docker: &Docker, target: &Target) -> Option<i64> {
    match target {
        Target::Exec(id) => docker.inspect_exec(id).await.ok()?.exit_code,
        Target::Attached(id) => {
            let state = docker.inspect_container(id, None).await.ok()?.state?;
            if state.running == Some(true) {
                None
            } else {
                state.exit_code
            }
        }
    }
}

/// What a terminal's stream carries.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", content = "data")]
pub enum TermEvent {
    /// Output to write to the terminal, escape sequences and all.
    Output(String),
    /// The process ended (its exit code, when the engine knows it).
    Exited { code: Option<i32> },
}

/// What the window sends a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Data(String),
    Resize(u16, u16),
}

/// Run an open terminal: its output goes to `send` as text (false: nobody listens any more),
/// what arrives on `input` goes to the process in order, until the process ends (then `send`
/// hears how it ended), the input closes, or `send` fails.
pub async fn session(
    docker: &Docker,
    tty: Tty,
    mut input: tokio::sync::mpsc::Receiver<Input>,
    mut send: impl FnMut(TermEvent) -> bool,
) {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let Tty { target, mut output, input: mut stdin, .. } = tty;
    let mut text = Utf8Chunks::default();
    loop {
        tokio::select! {
            chunk = output.next() => match chunk {
                Some(Ok(frame)) => {
                    let s = text.push(&frame.into_bytes());
                    if !s.is_empty() && !send(TermEvent::Output(s)) {
                        return;
                    }
                }
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "terminal output ended");
                    break;
                }
                None => break,
            },
            msg = input.recv() => match msg {
                Some(Input::Data(data)) => {
                    if stdin.write_all(data.as_bytes()).await.is_err() || stdin.flush().await.is_err() {
                        break;
                    }
                }
                Some(Input::Resize(c, r)) => {
                    if let Err(e) = resize(docker, &target, c, r).await {
                        tracing::debug!(error = %e, "terminal resize failed");
                    }
                }
                None => break,
            },
        }
    }
    let code = exit_code(docker, &target).await.map(|c| c as i32);
    send(TermEvent::Exited { code });
}

/// Turns byte chunks into text without splitting a character across two chunks.
#[derive(Default)]
pub struct Utf8Chunks {
    carry: Vec<u8>,
}

impl Utf8Chunks {
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.carry.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.carry) {
                Ok(s) => {
                    out.push_str(s);
                    self.carry.clear();
                    return out;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    out.push_str(std::str::from_utf8(&self.carry[..good]).expect("valid prefix"));
                    match e.error_len() {
                        // An incomplete character at the end: keep it for the next chunk.
                        None => {
                            self.carry.drain(..good);
                            return out;
                        }
                        Some(bad) => {
                            out.push('\u{fffd}');
                            self.carry.drain(..good + bad);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_split_across_chunks_arrive_whole() {
        let mut d = Utf8Chunks::default();
        let bytes = "héllo ✓".as_bytes();
        let mut all = String::new();
        for b in bytes {
            all.push_str(&d.push(&[*b]));
        }
        assert_eq!(all, "héllo ✓");
        assert_eq!(d.push(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(d.push(b"\xe2\x9c"), "");
        assert_eq!(d.push(b"\x93!"), "✓!");
    }
}
