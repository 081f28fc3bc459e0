//! The compose program itself, for what only it can do (bring a project up from its files, pull
//! its images, take it down by its files): the `docker compose` plugin when installed, else the
//! standalone `docker-compose` (v1 or v2). Found once; run with an argument vector, in the
//! project's directory, against the engine Berth is connected to, with a clean environment, a
//! time limit, and its output streamed line by line.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::engine::{EngineError, ErrorCode};

/// How compose is run here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ComposeProgram {
    /// `["docker", "compose"]` or `["docker-compose"]`.
    pub command: Vec<String>,
    /// As the program prints it, e.g. `1.29.2` or `2.29.7`.
    pub version: String,
}

impl ComposeProgram {
    pub fn display(&self) -> String {
        format!("{} {}", self.command.join(" "), self.version)
    }
}

/// What to do to a project by its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum ComposeVerb {
    /// `up -d`: create and start everything, in the background.
    Up,
    /// `pull`: fetch the images of its services.
    Pull,
    /// `down`: remove its containers and networks (volumes stay).
    Down,
}

/// Which project, by its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ComposeTarget {
    /// Absolute paths of its compose files; the first one's directory is where compose runs
    /// unless `working_dir` says otherwise.
    pub files: Vec<String>,
    /// The project name, when it is known (an existing project); else compose derives one.
    pub project: Option<String>,
    pub working_dir: Option<String>,
}

/// One line the program printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ComposeLine {
    pub text: String,
    pub stderr: bool,
}

/// How long one compose run may take (pulls included) before Berth stops it.
pub const LIMIT: Duration = Duration::from_secs(30 * 60);
/// How long asking a program for its version may take.
const PROBE_LIMIT: Duration = Duration::from_secs(15);

/// Variables a compose program may need from Berth's environment; everything else is left out.
const PASSED: [&str; 10] = [
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "DOCKER_CONFIG",
];

/// `program args` with only the passed variables (and `COMPOSE_*`, the user's own compose
/// settings), talking to `docker_host`.
fn command(program: &[String], docker_host: Option<&str>) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(&program[0]);
    cmd.args(&program[1..]).env_clear().stdin(Stdio::null()).kill_on_drop(true);
    for (k, v) in std::env::vars_os() {
        let name = k.to_string_lossy();
        if PASSED.contains(&name.as_ref()) || name.starts_with("COMPOSE_") {
            cmd.env(&k, v);
        }
    }
    if let Some(host) = docker_host {
        cmd.env("DOCKER_HOST", host);
    }
    cmd
}

/// The version `program` prints for `version --short`, if it runs and says one.
async fn probe(program: &[String]) -> Option<String> {
    let mut cmd = command(program, None);
    cmd.args(["version", "--short"]).stdout(Stdio::piped()).stderr(Stdio::null());
    let out = tokio::time::timeout(PROBE_LIMIT, cmd.output()).await.ok()?.ok()?;
    let v = String::from_utf8_lossy(&out.stdout).trim().trim_start_matches('v').to_string();
    (out.status.success() && v.chars().next().is_some_and(|c| c.is_ascii_digit())).then_some(v)
}

/// The compose program of this machine: the plugin, else the standalone one.
pub async fn detect() -> Option<ComposeProgram> {
    for command in
        [vec!["docker".to_string(), "compose".to_string()], vec!["docker-compose".to_string()]]
    {
        if let Some(version) = probe(&command).await {
            return Some(ComposeProgram { command, version });
        }
    }
    None
}

static FOUND: OnceLock<Option<ComposeProgram>> = OnceLock::new();
static LOOKING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The compose program, found on first ask (Berth asks at start-up) and remembered.
pub async fn found() -> Option<ComposeProgram> {
    if let Some(p) = FOUND.get() {
        return p.clone();
    }
    let _one = LOOKING.lock().await;
    if let Some(p) = FOUND.get() {
        return p.clone();
    }
    let p = detect().await;
    match &p {
        Some(p) => tracing::info!(compose = %p.display(), "compose program"),
        None => tracing::info!("no compose program installed"),
    }
    FOUND.get_or_init(|| p).clone()
}

/// What to say when there is no compose program.
pub fn missing() -> EngineError {
    EngineError::new(
        ErrorCode::ComposeMissing,
        "no compose program is installed: install the docker compose plugin (docker-compose-plugin, \
         or docker-compose-v2 on Ubuntu) or docker-compose (apt install docker-compose), then restart Berth",
    )
}

/// The arguments for `verb` on `target`, after the program's own words.
pub fn arguments(target: &ComposeTarget, verb: ComposeVerb) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(p) = &target.project {
        args.extend(["--project-name".to_string(), p.clone()]);
    }
    for f in &target.files {
        args.extend(["--file".to_string(), f.clone()]);
    }
    args.extend(
        match verb {
            ComposeVerb::Up => vec!["up", "--detach"],
            ComposeVerb::Pull => vec!["pull"],
            ComposeVerb::Down => vec!["down"],
        }
        .into_iter()
        .map(str::to_string),
    );
    args
}

/// Where compose runs for `target`: its working directory, else its first file's.
pub fn directory(target: &ComposeTarget) -> Result<PathBuf, EngineError> {
    let bad = |why: String| EngineError::new(ErrorCode::InvalidInput, why);
    let first = target.files.first().ok_or_else(|| bad("no compose file was given".into()))?;
    for f in &target.files {
        if !Path::new(f).is_absolute() {
            return Err(bad(format!("{f} is not an absolute path")));
        }
        if !Path::new(f).is_file() {
            return Err(EngineError::new(
                ErrorCode::NotFound,
                format!("{f} does not exist (any more)"),
            ));
        }
    }
    let dir = match &target.working_dir {
        Some(d) => PathBuf::from(d),
        None => Path::new(first).parent().map(Path::to_path_buf).unwrap_or_else(|| "/".into()),
    };
    if !dir.is_dir() {
        return Err(EngineError::new(
            ErrorCode::NotFound,
            format!("{} does not exist (any more)", dir.display()),
        ));
    }
    Ok(dir)
}

/// Run `verb` on `target` against `docker_host`, handing each line printed to `on_line`. Ends
/// with the program: an error with its last lines when it failed. Dropping the future stops it.
pub async fn run(
    program: &ComposeProgram,
    target: &ComposeTarget,
    verb: ComposeVerb,
    docker_host: &str,
    mut on_line: impl FnMut(ComposeLine),
) -> Result<(), EngineError> {
    let dir = directory(target)?;
    let mut cmd = command(&program.command, Some(docker_host));
    cmd.args(arguments(target, verb))
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let shown = format!("{} {}", program.command.join(" "), arguments(target, verb).join(" "));
    let mut child = cmd.spawn().map_err(|e| {
        EngineError::new(ErrorCode::Io, format!("could not start {}: {e}", program.command[0]))
    })?;
    let mut out = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut err = BufReader::new(child.stderr.take().expect("piped")).lines();
    let mut last: Vec<String> = Vec::new();
    let work = async {
        let (mut out_open, mut err_open) = (true, true);
        while out_open || err_open {
            let (text, stderr) = tokio::select! {
                l = out.next_line(), if out_open => match l { Ok(Some(t)) => (t, false), _ => { out_open = false; continue } },
                l = err.next_line(), if err_open => match l { Ok(Some(t)) => (t, true), _ => { err_open = false; continue } },
            };
            if stderr {
                last.push(text.clone());
                if last.len() > 5 {
                    last.remove(0);
                }
            }
            on_line(ComposeLine { text, stderr });
        }
        child.wait().await
    };
    let status = tokio::time::timeout(LIMIT, work)
        .await
        .map_err(|_| {
            EngineError::new(
                ErrorCode::Engine,
                format!(
                    "{shown} took longer than {} minutes and was stopped",
                    LIMIT.as_secs() / 60
                ),
            )
        })?
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("{shown}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        let said = if last.is_empty() { String::new() } else { format!(": {}", last.join(" / ")) };
        Err(EngineError::new(ErrorCode::Engine, format!("{shown} failed ({status}){said}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_the_project_and_every_file() {
        let t = ComposeTarget {
            files: vec!["/srv/a.yml".into(), "/srv/b.yml".into()],
            project: Some("shop".into()),
            working_dir: None,
        };
        assert_eq!(
            arguments(&t, ComposeVerb::Up),
            [
                "--project-name",
                "shop",
                "--file",
                "/srv/a.yml",
                "--file",
                "/srv/b.yml",
                "up",
                "--detach"
            ]
        );
        let t = ComposeTarget { project: None, ..t };
        assert_eq!(arguments(&t, ComposeVerb::Down).last().unwrap(), "down");
        assert_eq!(arguments(&t, ComposeVerb::Pull)[0], "--file");
    }

    #[test]
    fn the_directory_is_checked_before_anything_runs() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("compose.yml");
        let t = |f: &Path| ComposeTarget {
            files: vec![f.display().to_string()],
            project: None,
            working_dir: None,
        };
        assert_eq!(directory(&t(&file)).unwrap_err().code, ErrorCode::NotFound);
        std::fs::write(&file, "services: {}\n").unwrap();
        assert_eq!(directory(&t(&file)).unwrap(), dir.path());
        assert_eq!(
            directory(&t(Path::new("compose.yml"))).unwrap_err().code,
            ErrorCode::InvalidInput
        );
        let none = ComposeTarget { files: vec![], project: None, working_dir: None };
        assert_eq!(directory(&none).unwrap_err().code, ErrorCode::InvalidInput);
    }

    #[tokio::test]
    async fn the_program_gets_a_clean_environment_and_the_engine_to_use() {
        std::env::set_var("BERTH_COMPOSE_TEST_LEAK", "1");
        std::env::set_var("COMPOSE_BERTH_TEST", "kept");
        let mut cmd = command(&["env".to_string()], Some("unix:///tmp/engine.sock"));
        let out = cmd.stdout(Stdio::piped()).output().await.unwrap();
        let env = String::from_utf8_lossy(&out.stdout);
        assert!(env.lines().any(|l| l == "DOCKER_HOST=unix:///tmp/engine.sock"), "{env}");
        assert!(env.lines().any(|l| l == "COMPOSE_BERTH_TEST=kept"), "{env}");
        assert!(!env.contains("BERTH_COMPOSE_TEST_LEAK"), "{env}");
        assert!(env.lines().any(|l| l.starts_with("PATH=")), "{env}");
    }

    #[tokio::test]
    async fn a_failure_says_what_the_program_said() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("compose.yml");
        std::fs::write(&file, "").unwrap();
        // `sh -c` stands in for the program: it prints, then fails.
        let program = ComposeProgram {
            command: vec![
                "sh".into(),
                "-c".into(),
                "echo pulling; echo 'no such image: x' >&2; exit 3".into(),
            ],
            version: "0".into(),
        };
        let target = ComposeTarget {
            files: vec![file.display().to_string()],
            project: None,
            working_dir: None,
        };
        let mut lines = Vec::new();
        let e = run(&program, &target, ComposeVerb::Up, "unix:///x", |l| lines.push(l))
            .await
            .unwrap_err();
        assert!(e.message.contains("no such image: x"), "{}", e.message);
        assert!(e.message.contains("exit status: 3"), "{}", e.message);
        // Two pipes: the order between them is the scheduler's.
        assert!(
            lines.contains(&ComposeLine { text: "pulling".into(), stderr: false }),
            "{lines:?}"
        );
        assert!(
            lines.contains(&ComposeLine { text: "no such image: x".into(), stderr: true }),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 2);
    }

    #[tokio::test]
    async fn stopping_a_run_stops_the_program() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("compose.yml");
        std::fs::write(&file, "").unwrap();
        let pid_file = dir.path().join("pid");
        let script = format!("echo $$ > {}; echo started; exec sleep 30", pid_file.display());
        let program =
            ComposeProgram { command: vec!["sh".into(), "-c".into(), script], version: "0".into() };
        let target = ComposeTarget {
            files: vec![file.display().to_string()],
            project: None,
            working_dir: None,
        };
        let (started, mut seen) = tokio::sync::mpsc::unbounded_channel();
        let run = tokio::spawn(async move {
            run(&program, &target, ComposeVerb::Up, "unix:///x", |l| {
                let _ = started.send(l);
            })
            .await
        });
        seen.recv().await.expect("the program started");
        let pid: i32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
        run.abort();
        let _ = run.await;
        // Killed and reaped: the pid no longer names a process.
        let mut gone = false;
        for _ in 0..100 {
            if unsafe { libc::kill(pid, 0) } != 0 {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(gone, "the program {pid} still runs");
    }
}
