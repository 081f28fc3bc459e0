//! What the run dialog says, as the docker CLI would read it: parsers for every field of
//! `docker run` (one module each), the checks that tell the user what is wrong beside the field,
//! the equivalent `docker run ...` line, and the engine's create request. Parsers take any text
//! and never panic; every error names what is wrong in words a user can act on.

/// An [`Invalid`] from a format string (`Invalid` in scope where it is used).
macro_rules! bad {
    ($($t:tt)*) => { Invalid(format!($($t)*)) };
}

mod cli;
mod commit;
#[cfg(test)]
mod conformance;
mod create;
mod env;
mod fields;
mod image;
mod inspect;
mod ports;
mod volumes;
mod words;

pub use commit::{parse_commit_change, plan_commit, CommitSpec};
pub use env::{parse_env_block, parse_env_row, parse_key_value, parse_label_row};
pub use fields::{check_name, check_user, check_workdir, parse_restart};
pub use image::{parse_image_ref, ImageRef};
pub use inspect::spec_from_inspect;
pub use ports::{parse_port, PortSpec, Protocol};
pub use volumes::{is_object_name, parse_volume, VolumeSpec};
pub use words::{shell_quote, split_words};

use bollard::models::RestartPolicy;
use serde::{Deserialize, Serialize};
use specta::Type;

/// The run dialog's fields, as typed. Lists hold one entry per row of the dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RunSpec {
    pub image: String,
    pub name: String,
    /// `8080:80`, `127.0.0.1:8080:80/udp`, `80`, `8000-8002:8000-8002`.
    pub ports: Vec<String>,
    /// `K=V`.
    pub env: Vec<String>,
    /// `/host:/in/container[:ro]`, `name:/data`, `/data`.
    pub volumes: Vec<String>,
    /// A network to attach to; empty for the engine's default bridge.
    pub network: String,
    /// `no`, `always`, `unless-stopped`, `on-failure[:N]`; empty means `no`.
    pub restart: String,
    /// Command override, split like a shell would.
    pub command: String,
    /// Entrypoint override, split like a shell would.
    pub entrypoint: String,
    pub workdir: String,
    pub user: String,
    /// `--rm`: remove the container when it exits.
    pub auto_remove: bool,
    /// `-it`: keep stdin open and give it a terminal.
    pub interactive_tty: bool,
    /// `K=V`.
    pub labels: Vec<String>,
}

/// A field of the run or commit dialog (named as in `RunSpec` and `CommitSpec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Image,
    Name,
    Ports,
    Env,
    Volumes,
    Network,
    Restart,
    Command,
    Entrypoint,
    Workdir,
    User,
    Labels,
    Reference,
    Changes,
    /// Networks and volumes: the driver, its `-o` options, the address fields, and aliases.
    Driver,
    Options,
    Subnet,
    Gateway,
    IpRange,
    Aliases,
    /// The build dialog: the folder sent, its Dockerfile, build arguments and target stage.
    Context,
    Dockerfile,
    BuildArgs,
    Target,
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Field::Image => "image",
            Field::Name => "name",
            Field::Ports => "ports",
            Field::Env => "env",
            Field::Volumes => "volumes",
            Field::Network => "network",
            Field::Restart => "restart",
            Field::Command => "command",
            Field::Entrypoint => "entrypoint",
            Field::Workdir => "workdir",
            Field::User => "user",
            Field::Labels => "labels",
            Field::Reference => "reference",
            Field::Changes => "changes",
            Field::Driver => "driver",
            Field::Options => "options",
            Field::Subnet => "subnet",
            Field::Gateway => "gateway",
            Field::IpRange => "ip range",
            Field::Aliases => "aliases",
            Field::Context => "context",
            Field::Dockerfile => "dockerfile",
            Field::BuildArgs => "build args",
            Field::Target => "target",
        })
    }
}

/// What is wrong with a value, in words the user can act on. Every parser returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Invalid(pub String);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Invalid {
    fn from(s: String) -> Self {
        Invalid(s)
    }
}

impl From<&str> for Invalid {
    fn from(s: &str) -> Self {
        Invalid(s.to_string())
    }
}

impl From<Invalid> for String {
    fn from(i: Invalid) -> Self {
        i.0
    }
}

impl Invalid {
    pub fn contains(&self, part: &str) -> bool {
        self.0.contains(part)
    }
}

/// Which field a problem is in, and for list fields which row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldProblem {
    pub field: Field,
    /// The row, for list fields.
    pub row: Option<u32>,
    pub message: String,
}

/// The dialog's verdict: what is wrong, and the equivalent CLI line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RunCheck {
    pub problems: Vec<FieldProblem>,
    /// The `docker run` line that makes the same container (complete only when no problems).
    pub command: String,
}

pub type Parsed<T> = Result<T, Invalid>;

/// Everything the dialog says, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPlan {
    pub image: String,
    pub name: Option<String>,
    pub ports: Vec<PortSpec>,
    pub env: Vec<(String, String)>,
    pub volumes: Vec<VolumeSpec>,
    pub network: Option<String>,
    pub restart: RestartPolicy,
    restart_text: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub command: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub auto_remove: bool,
    pub interactive_tty: bool,
    pub labels: Vec<(String, String)>,
}

/// A list field: each non-empty row parsed on its own, its problem reported with its row.
pub(crate) fn rows<T>(
    field: Field,
    list: &[String],
    problem: &mut impl FnMut(Field, Option<usize>, Invalid),
    parse: impl Fn(&str) -> Parsed<Vec<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, row) in list.iter().enumerate().filter(|(_, r)| !r.trim().is_empty()) {
        match parse(row) {
            Ok(items) => out.extend(items),
            Err(e) => problem(field, Some(i), e),
        }
    }
    out
}

/// Parse every field; on failure, every problem with its field and row.
pub fn plan(spec: &RunSpec) -> Result<RunPlan, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: Field, row: Option<usize>, message: Invalid| {
        problems.push(FieldProblem { field, row: row.map(|r| r as u32), message: message.0 })
    };
    if let Err(e) = parse_image_ref(&spec.image) {
        problem(Field::Image, None, e);
    }
    if let Err(e) = check_name(spec.name.trim()) {
        problem(Field::Name, None, e);
    }
    let ports = rows(Field::Ports, &spec.ports, &mut problem, |p| parse_port(p).map(|p| vec![p]));
    // Each env row reads like a line of a .env file: `export`, quotes and comments allowed.
    // A row is a `-e` value, kept exactly: .env rules apply only to a block read as one.
    let env = rows(Field::Env, &spec.env, &mut problem, |e| parse_env_row(e).map(|kv| vec![kv]));
    let volumes =
        rows(Field::Volumes, &spec.volumes, &mut problem, |v| parse_volume(v).map(|v| vec![v]));
    let labels =
        rows(Field::Labels, &spec.labels, &mut problem, |l| parse_label_row(l).map(|kv| vec![kv]));
    let restart = parse_restart(&spec.restart).unwrap_or_else(|e| {
        problem(Field::Restart, None, e);
        RestartPolicy::default()
    });
    let restart_text = Some(spec.restart.trim()).filter(|r| !r.is_empty() && *r != "no");
    if spec.auto_remove && restart_text.is_some() {
        problem(
            Field::Restart,
            None,
            "a container removed when it exits (--rm) cannot restart".into(),
        );
    }
    let command = split_words(&spec.command).unwrap_or_else(|e| {
        problem(Field::Command, None, e);
        vec![]
    });
    let entrypoint = match split_words(&spec.entrypoint) {
        Ok(w) if w.is_empty() => None,
        Ok(w) => Some(w),
        Err(e) => {
            problem(Field::Entrypoint, None, e);
            None
        }
    };
    if let Err(e) = check_workdir(spec.workdir.trim()) {
        problem(Field::Workdir, None, e);
    }
    if let Err(e) = check_user(spec.user.trim()) {
        problem(Field::User, None, e);
    }
    let network = Some(spec.network.trim()).filter(|n| !n.is_empty());
    if let Some(n) = network {
        if n.chars().any(|c| c.is_whitespace() || c == '\0') {
            problem(Field::Network, None, "a network name holds no spaces".into());
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(RunPlan {
        image: spec.image.trim().to_string(),
        name: opt(&spec.name),
        ports,
        env,
        volumes,
        network: network.map(str::to_string),
        restart,
        restart_text: restart_text.map(str::to_string),
        entrypoint,
        command,
        workdir: opt(&spec.workdir),
        user: opt(&spec.user),
        auto_remove: spec.auto_remove,
        interactive_tty: spec.interactive_tty,
        labels,
    })
}

impl RunPlan {
    /// The entrypoint and command as the CLI sets them: `--entrypoint` takes one word, so any
    /// further entrypoint words go in front of the command.
    pub(super) fn entry_and_cmd(&self) -> (Option<String>, Vec<String>) {
        match &self.entrypoint {
            None => (None, self.command.clone()),
            Some(words) => {
                let mut cmd = words[1..].to_vec();
                cmd.extend(self.command.iter().cloned());
                (Some(words[0].clone()), cmd)
            }
        }
    }
}

/// Check the dialog: its problems, and the CLI line (of what parses so far when it does not).
pub fn check(spec: &RunSpec) -> RunCheck {
    match plan(spec) {
        Ok(p) => RunCheck { problems: vec![], command: p.to_cli() },
        Err(problems) => RunCheck { problems, command: String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_becomes_a_cli_line_and_a_create_request() {
        let spec = RunSpec {
            image: "berth-test/busybox:latest".into(),
            name: "web".into(),
            ports: vec!["127.0.0.1:8080:80".into(), "".into()],
            env: vec!["GREETING=hello world".into()],
            volumes: vec!["data:/data".into(), "/cache".into()],
            restart: "unless-stopped".into(),
            command: "httpd -f -p 80".into(),
            entrypoint: "".into(),
            labels: vec!["team=web".into()],
            ..Default::default()
        };
        let plan = plan(&spec).unwrap();
        assert_eq!(
            plan.to_cli(),
            "docker run -d --name web -p 127.0.0.1:8080:80 -e 'GREETING=hello world' -v data:/data \
             -v /cache --restart unless-stopped -l team=web berth-test/busybox:latest httpd -f -p 80"
        );
        let body = plan.to_create();
        let hc = body.host_config.unwrap();
        assert_eq!(hc.binds, Some(vec!["data:/data".into()]));
        assert!(body.volumes.unwrap().contains(&"/cache".to_string()));
        let b = &hc.port_bindings.unwrap()["80/tcp"];
        assert_eq!(b.as_ref().unwrap()[0].host_port.as_deref(), Some("8080"));
    }

    #[test]
    fn a_field_is_named_as_the_window_names_it() {
        use Field::*;
        for f in [
            Image, Name, Ports, Env, Volumes, Network, Restart, Command, Entrypoint, Workdir, User,
            Labels, Reference, Changes,
        ] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.to_string());
        }
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let spec = RunSpec {
            image: "Bad Image".into(),
            ports: vec!["8080:80".into(), "nope".into()],
            restart: "always".into(),
            auto_remove: true,
            command: "echo 'x".into(),
            ..Default::default()
        };
        let problems = plan(&spec).unwrap_err();
        let at: Vec<(Field, Option<u32>)> = problems.iter().map(|p| (p.field, p.row)).collect();
        assert_eq!(
            at,
            vec![
                (Field::Image, None),
                (Field::Ports, Some(1)),
                (Field::Restart, None),
                (Field::Command, None)
            ]
        );
    }

    #[test]
    fn entrypoint_words_beyond_the_first_lead_the_command() {
        let spec = RunSpec {
            image: "img".into(),
            entrypoint: "sh -c".into(),
            command: "'echo hi'".into(),
            ..Default::default()
        };
        let p = plan(&spec).unwrap();
        assert_eq!(p.to_cli(), "docker run -d --entrypoint sh img -c 'echo hi'");
        let body = p.to_create();
        assert_eq!(body.entrypoint, Some(vec!["sh".into()]));
        assert_eq!(body.cmd, Some(vec!["-c".into(), "echo hi".into()]));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn parsers_never_panic(s in "\\PC*") {
                let _ = parse_port(&s);
                let _ = parse_volume(&s);
                let _ = parse_restart(&s);
                let _ = parse_image_ref(&s);
                let _ = parse_env_block(&s);
                let _ = parse_key_value(&s, "v");
                let _ = split_words(&s);
                let _ = check_user(&s);
                let _ = check_name(&s);
            }
        }
    }
}
