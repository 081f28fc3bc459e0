//! What the run dialog says, as the docker CLI would read it: parsers for every field of
//! `docker run`, the checks that tell the user what is wrong beside the field, the equivalent
//! `docker run ...` line, and the engine's create request. Parsers take any text and never
//! panic; every error names what is wrong in words a user can act on.

use std::collections::HashMap;
use std::net::IpAddr;

use bollard::models::{
    ContainerCreateBody, HostConfig, PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
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

/// Which field a problem is in, and for list fields which row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldProblem {
    /// The `RunSpec` field name, e.g. "ports".
    pub field: String,
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

pub type Parsed<T> = Result<T, String>;

// ---------------------------------------------------------------------------------------------
// Ports

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }
}

/// One `-p` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub ip: Option<IpAddr>,
    /// Host port or range; None for a random host port.
    pub host: Option<(u16, u16)>,
    pub container: (u16, u16),
    pub protocol: Protocol,
}

fn parse_port_number(s: &str, what: &str) -> Parsed<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} \"{s}\" is not a number"));
    }
    match s.parse::<u32>() {
        Ok(n) if (1..=65535).contains(&n) => Ok(n as u16),
        _ => Err(format!("{what} {s} is out of range (1-65535)")),
    }
}

fn parse_port_range(s: &str, what: &str) -> Parsed<(u16, u16)> {
    match s.split_once('-') {
        None => parse_port_number(s, what).map(|p| (p, p)),
        Some((a, b)) => {
            let (a, b) = (parse_port_number(a, what)?, parse_port_number(b, what)?);
            if a > b {
                return Err(format!("{what} range {s} runs backwards"));
            }
            Ok((a, b))
        }
    }
}

/// `[ip:][host[-end]:]container[-end][/tcp|udp|sctp]`; IPv6 addresses in brackets.
pub fn parse_port(input: &str) -> Parsed<PortSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty port: write e.g. 8080:80".into());
    }
    let (rest, protocol) = match s.rsplit_once('/') {
        Some((r, "tcp")) => (r, Protocol::Tcp),
        Some((r, "udp")) => (r, Protocol::Udp),
        Some((r, "sctp")) => (r, Protocol::Sctp),
        Some((_, p)) => return Err(format!("unknown protocol \"{p}\": use tcp, udp or sctp")),
        None => (s, Protocol::Tcp),
    };
    let (ip, rest) = if let Some(after) = rest.strip_prefix('[') {
        let (addr, tail) =
            after.split_once(']').ok_or("an IPv6 address needs its closing bracket")?;
        let ip: IpAddr = addr.parse().map_err(|_| format!("\"{addr}\" is not an IP address"))?;
        let tail = tail.strip_prefix(':').ok_or("write the host port after the address")?;
        (Some(ip), tail)
    } else {
        (None, rest)
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let (ip, host, container) = match (ip, parts.as_slice()) {
        (None, [c]) => (None, None, *c),
        (None, [h, c]) => (None, Some(*h), *c),
        (None, [a, h, c]) => {
            let ip: IpAddr = a.parse().map_err(|_| format!("\"{a}\" is not an IP address"))?;
            (Some(ip), Some(*h), *c)
        }
        (Some(ip), [h, c]) => (Some(ip), Some(*h), *c),
        _ => return Err("too many colons: write [ip:][host:]container, IPv6 in brackets".into()),
    };
    let container = parse_port_range(container, "container port")?;
    let host = match host {
        None | Some("") => None,
        Some(h) => Some(parse_port_range(h, "host port")?),
    };
    if let Some(h) = host {
        let (hn, cn) = (h.1 - h.0, container.1 - container.0);
        if hn != cn && cn != 0 {
            return Err(format!(
                "host range has {} ports but the container range has {}",
                hn as u32 + 1,
                cn as u32 + 1
            ));
        }
    }
    Ok(PortSpec { ip, host, container, protocol })
}

impl PortSpec {
    /// Canonical `-p` text.
    pub fn to_flag(&self) -> String {
        let range = |(a, b): (u16, u16)| if a == b { a.to_string() } else { format!("{a}-{b}") };
        let mut out = String::new();
        match self.ip {
            Some(IpAddr::V6(ip)) => out.push_str(&format!("[{ip}]:")),
            Some(ip) => out.push_str(&format!("{ip}:")),
            None => {}
        }
        match self.host {
            Some(h) => out.push_str(&format!("{}:", range(h))),
            None if self.ip.is_some() => out.push(':'),
            None => {}
        }
        out.push_str(&range(self.container));
        if self.protocol != Protocol::Tcp {
            out.push('/');
            out.push_str(self.protocol.as_str());
        }
        out
    }

    /// The engine's `ExposedPorts` keys and `PortBindings` entries, one per container port.
    fn bindings(&self) -> Vec<(String, PortBinding)> {
        let n = self.container.1 - self.container.0;
        (0..=n)
            .map(|i| {
                let key = format!("{}/{}", self.container.0 + i, self.protocol.as_str());
                let host_port = match self.host {
                    None => String::new(),
                    // One container port, a host range: the engine picks a free one in it.
                    Some((a, b)) if n == 0 && a != b => format!("{a}-{b}"),
                    Some((a, _)) => (a + i).to_string(),
                };
                let binding = PortBinding {
                    host_ip: Some(self.ip.map(|ip| ip.to_string()).unwrap_or_default()),
                    host_port: Some(host_port),
                };
                (key, binding)
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Environment and labels

/// `K=V` (V may be empty, and may hold `=`).
pub fn parse_key_value(input: &str, what: &str) -> Parsed<(String, String)> {
    let (k, v) = input
        .split_once('=')
        .ok_or_else(|| format!("{what} needs KEY=VALUE (KEY= for an empty value)"))?;
    if k.is_empty() {
        return Err(format!("{what} needs a name before '='"));
    }
    if k.chars().any(|c| c.is_whitespace() || c == '\0') || v.contains('\0') {
        return Err(format!("{what} name \"{}\" holds whitespace", k.escape_debug()));
    }
    Ok((k.to_string(), v.to_string()))
}

/// A pasted `.env` block: `KEY=VALUE` lines, `export ` prefixes, `#` comments, blank lines,
/// values in single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes). Returns the
/// entries as `KEY=VALUE`, or the first bad line with its number.
pub fn parse_env_block(block: &str) -> Parsed<Vec<String>> {
    let mut out = Vec::new();
    for (i, raw) in block.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let (k, v) =
            parse_key_value(line, "variable").map_err(|e| format!("line {}: {e}", i + 1))?;
        let k = k.trim_end().to_string();
        let v = v.trim_start();
        let value = if let Some(inner) = v.strip_prefix('\'') {
            inner
                .strip_suffix('\'')
                .ok_or_else(|| format!("line {}: unterminated single quote", i + 1))?
                .to_string()
        } else if let Some(inner) = v.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or_else(|| format!("line {}: unterminated double quote", i + 1))?;
            let mut s = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some(o) => s.push(o),
                        None => s.push('\\'),
                    }
                } else {
                    s.push(c);
                }
            }
            s
        } else {
            // Unquoted: a trailing " # comment" is not part of the value.
            match v.find(" #") {
                Some(at) => v[..at].trim_end().to_string(),
                None => v.trim_end().to_string(),
            }
        };
        out.push(format!("{k}={value}"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Volumes

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSpec {
    /// `/host/path:/in/container[:opts]`
    Bind { source: String, target: String, options: Vec<String> },
    /// `name:/in/container[:opts]`
    Named { name: String, target: String, options: Vec<String> },
    /// `/in/container`
    Anonymous { target: String },
}

const VOLUME_OPTIONS: &[&str] = &[
    "ro",
    "rw",
    "z",
    "Z",
    "nocopy",
    "private",
    "rprivate",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "consistent",
    "cached",
    "delegated",
];

/// A volume name as the engine accepts it: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn is_object_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphanumeric())
        && s.len() >= 2
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn check_target(t: &str) -> Parsed<()> {
    if !t.starts_with('/') {
        return Err(format!("the path in the container \"{t}\" must be absolute"));
    }
    if t == "/" {
        return Err("cannot mount over the container's root".into());
    }
    Ok(())
}

pub fn parse_volume(input: &str) -> Parsed<VolumeSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty volume: write /host:/container, name:/container or /container".into());
    }
    if s.contains('\0') {
        return Err("a volume cannot hold a NUL character".into());
    }
    let parts: Vec<&str> = s.split(':').collect();
    let (source, target, opts) = match parts.as_slice() {
        [t] => {
            check_target(t)?;
            return Ok(VolumeSpec::Anonymous { target: t.to_string() });
        }
        [s, t] => (*s, *t, None),
        [s, t, o] => (*s, *t, Some(*o)),
        _ => return Err("too many colons: write source:target[:options]".into()),
    };
    check_target(target)?;
    let options: Vec<String> = match opts {
        None => vec![],
        Some(o) => o.split(',').map(str::to_string).collect(),
    };
    if let Some(bad) = options.iter().find(|o| !VOLUME_OPTIONS.contains(&o.as_str())) {
        return Err(format!("unknown volume option \"{bad}\" (ro, rw, z, Z, nocopy, ...)"));
    }
    if options.iter().any(|o| o == "ro") && options.iter().any(|o| o == "rw") {
        return Err("a volume cannot be both ro and rw".into());
    }
    if source.starts_with('/') {
        Ok(VolumeSpec::Bind { source: source.into(), target: target.into(), options })
    } else if source.starts_with('.') || source.starts_with('~') {
        Err(format!("the host path \"{source}\" must be absolute"))
    } else if is_object_name(source) {
        Ok(VolumeSpec::Named { name: source.into(), target: target.into(), options })
    } else {
        Err(format!("\"{source}\" is neither an absolute host path nor a volume name"))
    }
}

impl VolumeSpec {
    pub fn to_flag(&self) -> String {
        let with = |a: &str, b: &str, o: &[String]| {
            if o.is_empty() {
                format!("{a}:{b}")
            } else {
                format!("{a}:{b}:{}", o.join(","))
            }
        };
        match self {
            VolumeSpec::Bind { source, target, options } => with(source, target, options),
            VolumeSpec::Named { name, target, options } => with(name, target, options),
            VolumeSpec::Anonymous { target } => target.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Restart policy, names, users, paths

pub fn parse_restart(input: &str) -> Parsed<RestartPolicy> {
    let s = input.trim();
    let policy =
        |name, max: Option<i64>| RestartPolicy { name: Some(name), maximum_retry_count: max };
    match s {
        "" | "no" => Ok(policy(RestartPolicyNameEnum::NO, None)),
        "always" => Ok(policy(RestartPolicyNameEnum::ALWAYS, None)),
        "unless-stopped" => Ok(policy(RestartPolicyNameEnum::UNLESS_STOPPED, None)),
        "on-failure" => Ok(policy(RestartPolicyNameEnum::ON_FAILURE, None)),
        _ => match s.strip_prefix("on-failure:") {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse::<u32>()
                .map(|n| policy(RestartPolicyNameEnum::ON_FAILURE, Some(n as i64)))
                .map_err(|_| format!("retry count {n} is too large")),
            Some(n) => Err(format!("retry count \"{n}\" is not a number")),
            None => Err(format!(
                "unknown restart policy \"{s}\": use no, always, unless-stopped or on-failure[:N]"
            )),
        },
    }
}

/// A container name (`--name`): `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn check_name(s: &str) -> Parsed<()> {
    if s.is_empty() || is_object_name(s) {
        Ok(())
    } else if s.len() < 2 {
        Err("a name needs at least two characters".into())
    } else {
        Err("a name starts with a letter or digit and holds only letters, digits, _ . -".into())
    }
}

/// `--user`: `name|uid[:group|gid]`.
pub fn check_user(s: &str) -> Parsed<()> {
    if s.chars().any(|c| c.is_whitespace() || c == '\0') {
        return Err("a user holds no spaces: name, uid, name:group or uid:gid".into());
    }
    if s.split(':').count() > 2 || s.starts_with(':') || s.ends_with(':') {
        return Err("write name, uid, name:group or uid:gid".into());
    }
    Ok(())
}

pub fn check_workdir(s: &str) -> Parsed<()> {
    if s.is_empty() || s.starts_with('/') && !s.contains('\0') {
        Ok(())
    } else {
        Err("the working directory must be an absolute path".into())
    }
}

/// An image reference: `[registry[:port]/]name[/name...][:tag][@digest]`, as the engine
/// accepts it (lowercase name components; tags of up to 128 word characters, `.` and `-`).
pub fn parse_image_ref(input: &str) -> Parsed<(String, Option<String>)> {
    let s = input.trim();
    if s.is_empty() {
        return Err("choose an image".into());
    }
    let (s, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty()
                && alg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Err(format!("\"{d}\" is not a digest (sha256:...)"));
        }
    }
    let last_slash = s.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match s[last_slash..].rfind(':') {
        Some(i) => (&s[..last_slash + i], Some(&s[last_slash + i + 1..])),
        None => (s, None),
    };
    if let Some(t) = tag {
        let mut b = t.bytes();
        let ok = t.len() <= 128
            && matches!(b.next(), Some(c) if c.is_ascii_alphanumeric() || c == b'_')
            && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
        if !ok {
            return Err(format!(
                "tag \"{t}\": up to 128 letters, digits, _ . -, not starting with . or -"
            ));
        }
    }
    let mut components: Vec<&str> = name.split('/').collect();
    if components.len() > 1 {
        let first = components[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            let (host, port) = match first.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (first, None),
            };
            let host_ok = !host.is_empty()
                && host.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                });
            let port_ok = port.is_none_or(|p| parse_port_number(p, "registry port").is_ok());
            if !host_ok || !port_ok {
                return Err(format!("\"{first}\" is not a registry address"));
            }
            components.remove(0);
        }
    }
    for c in &components {
        if !is_path_component(c) {
            return Err(format!(
                "\"{c}\" in the image name: lowercase letters and digits, joined by . _ __ or -"
            ));
        }
    }
    Ok((name.to_string(), tag.map(str::to_string)))
}

fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or a run of "-", between alphanumerics.
        let start = i;
        match ch {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i >= b.len() || !b[i].is_ascii_alphanumeric() || start == 0 {
            return false;
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Shell words

/// Split a command line the way a POSIX shell splits words: whitespace separates, single quotes
/// are literal, double quotes allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside
/// quotes escapes the next character. No expansion of any kind.
pub fn split_words(input: &str) -> Parsed<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => cur.push(e),
                            Some('\n') => {}
                            Some(o) => {
                                cur.push('\\');
                                cur.push(o);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(e) => {
                    in_word = true;
                    cur.push(e);
                }
                None => return Err("a backslash at the end escapes nothing".into()),
            },
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Quote one word for a POSIX shell: left bare when it is plainly safe, else single-quoted.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

// ---------------------------------------------------------------------------------------------
// The whole dialog

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
fn rows<T>(
    field: &str,
    list: &[String],
    problem: &mut impl FnMut(&str, Option<usize>, String),
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
    let mut problem = |field: &str, row: Option<usize>, message: String| {
        problems.push(FieldProblem { field: field.into(), row: row.map(|r| r as u32), message })
    };
    if let Err(e) = parse_image_ref(&spec.image) {
        problem("image", None, e);
    }
    if let Err(e) = check_name(spec.name.trim()) {
        problem("name", None, e);
    }
    let ports = rows("ports", &spec.ports, &mut problem, |p| parse_port(p).map(|p| vec![p]));
    // Each env row reads like a line of a .env file: `export`, quotes and comments allowed.
    let env = rows("env", &spec.env, &mut problem, |e| {
        parse_env_block(e)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|kv| {
                        kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))
                    })
                    .collect()
            })
            .map_err(|m| m.trim_start_matches("line 1: ").to_string())
    });
    let volumes =
        rows("volumes", &spec.volumes, &mut problem, |v| parse_volume(v).map(|v| vec![v]));
    let labels = rows("labels", &spec.labels, &mut problem, |l| {
        parse_key_value(l.trim(), "label").map(|kv| vec![kv])
    });
    let restart = parse_restart(&spec.restart).unwrap_or_else(|e| {
        problem("restart", None, e);
        RestartPolicy::default()
    });
    let restart_text = Some(spec.restart.trim()).filter(|r| !r.is_empty() && *r != "no");
    if spec.auto_remove && restart_text.is_some() {
        problem("restart", None, "a container removed when it exits (--rm) cannot restart".into());
    }
    let command = split_words(&spec.command).unwrap_or_else(|e| {
        problem("command", None, e);
        vec![]
    });
    let entrypoint = match split_words(&spec.entrypoint) {
        Ok(w) if w.is_empty() => None,
        Ok(w) => Some(w),
        Err(e) => {
            problem("entrypoint", None, e);
            None
        }
    };
    if let Err(e) = check_workdir(spec.workdir.trim()) {
        problem("workdir", None, e);
    }
    if let Err(e) = check_user(spec.user.trim()) {
        problem("user", None, e);
    }
    let network = Some(spec.network.trim()).filter(|n| !n.is_empty());
    if let Some(n) = network {
        if n.chars().any(|c| c.is_whitespace() || c == '\0') {
            problem("network", None, "a network name holds no spaces".into());
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
    fn entry_and_cmd(&self) -> (Option<String>, Vec<String>) {
        match &self.entrypoint {
            None => (None, self.command.clone()),
            Some(words) => {
                let mut cmd = words[1..].to_vec();
                cmd.extend(self.command.iter().cloned());
                (Some(words[0].clone()), cmd)
            }
        }
    }

    /// The `docker run` line that creates the same container.
    pub fn to_cli(&self) -> String {
        let mut args: Vec<String> = vec!["docker".into(), "run".into(), "-d".into()];
        let mut flag = |f: &str, v: &str| {
            args.push(f.to_string());
            args.push(shell_quote(v));
        };
        if let Some(n) = &self.name {
            flag("--name", n);
        }
        for p in &self.ports {
            flag("-p", &p.to_flag());
        }
        for (k, v) in &self.env {
            flag("-e", &format!("{k}={v}"));
        }
        for v in &self.volumes {
            flag("-v", &v.to_flag());
        }
        if let Some(n) = &self.network {
            flag("--network", n);
        }
        if let Some(r) = &self.restart_text {
            flag("--restart", r);
        }
        if let Some(w) = &self.workdir {
            flag("-w", w);
        }
        if let Some(u) = &self.user {
            flag("-u", u);
        }
        for (k, v) in &self.labels {
            flag("-l", &format!("{k}={v}"));
        }
        let (entry, cmd) = self.entry_and_cmd();
        if let Some(e) = &entry {
            flag("--entrypoint", e);
        }
        if self.auto_remove {
            args.push("--rm".into());
        }
        if self.interactive_tty {
            args.push("-it".into());
        }
        args.push(shell_quote(&self.image));
        args.extend(cmd.iter().map(|w| shell_quote(w)));
        args.join(" ")
    }

    /// The engine's create request, as the CLI would send it for `to_cli()`.
    pub fn to_create(&self) -> ContainerCreateBody {
        let mut exposed: Vec<String> = Vec::new();
        let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
        for p in &self.ports {
            for (key, b) in p.bindings() {
                if !exposed.contains(&key) {
                    exposed.push(key.clone());
                }
                bindings.entry(key).or_insert_with(|| Some(vec![])).get_or_insert_default().push(b);
            }
        }
        let mut binds = Vec::new();
        let mut anonymous: Vec<String> = Vec::new();
        for v in &self.volumes {
            match v {
                VolumeSpec::Anonymous { target } => {
                    anonymous.push(target.clone());
                }
                other => binds.push(other.to_flag()),
            }
        }
        let (entry, cmd) = self.entry_and_cmd();
        let some_if = |b: bool| if b { Some(true) } else { None };
        ContainerCreateBody {
            image: Some(self.image.clone()),
            env: Some(self.env.iter().map(|(k, v)| format!("{k}={v}")).collect())
                .filter(|e: &Vec<String>| !e.is_empty()),
            cmd: Some(cmd).filter(|c| !c.is_empty()),
            entrypoint: entry.map(|e| vec![e]),
            working_dir: self.workdir.clone(),
            user: self.user.clone(),
            labels: Some(self.labels.iter().cloned().collect::<HashMap<_, _>>())
                .filter(|l| !l.is_empty()),
            exposed_ports: Some(exposed).filter(|e| !e.is_empty()),
            volumes: Some(anonymous).filter(|v| !v.is_empty()),
            tty: some_if(self.interactive_tty),
            open_stdin: some_if(self.interactive_tty),
            host_config: Some(HostConfig {
                port_bindings: Some(bindings).filter(|b| !b.is_empty()),
                binds: Some(binds).filter(|b| !b.is_empty()),
                network_mode: self.network.clone(),
                restart_policy: Some(self.restart.clone()),
                auto_remove: some_if(self.auto_remove),
                ..Default::default()
            }),
            ..Default::default()
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

// ---------------------------------------------------------------------------------------------
// An existing container, back into the dialog

/// The run dialog's fields that would make `container` again: what it was created with, minus
/// what it inherited from its image (so the dialog shows only what the user chose).
pub fn spec_from_inspect(
    container: &bollard::models::ContainerInspectResponse,
    image: &bollard::models::ImageInspect,
) -> RunSpec {
    let c = container.config.clone().unwrap_or_default();
    let h = container.host_config.clone().unwrap_or_default();
    let i = image.config.clone().unwrap_or_default();
    let quoted = |w: &[String]| w.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ");

    let mut ports = Vec::new();
    let mut bound: Vec<_> = h.port_bindings.clone().unwrap_or_default().into_iter().collect();
    bound.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, list) in bound {
        let (port, proto) = key.split_once('/').unwrap_or((&key, "tcp"));
        let suffix = if proto == "tcp" { String::new() } else { format!("/{proto}") };
        for b in list.unwrap_or_default() {
            let ip = b.host_ip.unwrap_or_default();
            let host = b.host_port.unwrap_or_default();
            let ip = if ip.contains(':') { format!("[{ip}]") } else { ip };
            ports.push(match (ip.is_empty(), host.is_empty()) {
                (true, true) => format!("{port}{suffix}"),
                (true, false) => format!("{host}:{port}{suffix}"),
                (false, _) => format!("{ip}:{host}:{port}{suffix}"),
            });
        }
    }
    let image_env = i.env.unwrap_or_default();
    let env = c.env.unwrap_or_default().into_iter().filter(|e| !image_env.contains(e)).collect();
    let binds = h.binds.clone().unwrap_or_default();
    let image_volumes = i.volumes.unwrap_or_default();
    let mut volumes: Vec<String> = binds.clone();
    for v in c.volumes.unwrap_or_default() {
        let covered = binds.iter().any(|b| b.split(':').nth(1) == Some(v.as_str()));
        if !covered && !image_volumes.contains(&v) {
            volumes.push(v);
        }
    }
    let network = h
        .network_mode
        .clone()
        .filter(|n| !matches!(n.as_str(), "" | "default" | "bridge"))
        .unwrap_or_default();
    let restart = match h.restart_policy.clone().unwrap_or_default() {
        RestartPolicy { name: Some(RestartPolicyNameEnum::ALWAYS), .. } => "always".into(),
        RestartPolicy { name: Some(RestartPolicyNameEnum::UNLESS_STOPPED), .. } => {
            "unless-stopped".into()
        }
        RestartPolicy { name: Some(RestartPolicyNameEnum::ON_FAILURE), maximum_retry_count } => {
            match maximum_retry_count {
                Some(n) if n > 0 => format!("on-failure:{n}"),
                _ => "on-failure".into(),
            }
        }
        _ => "no".into(),
    };
    let entry = c.entrypoint.clone().unwrap_or_default();
    let cmd = c.cmd.clone().unwrap_or_default();
    let same_entry = entry == i.entrypoint.clone().unwrap_or_default();
    let entrypoint = if same_entry { String::new() } else { quoted(&entry) };
    let command = if same_entry && cmd == i.cmd.clone().unwrap_or_default() {
        String::new()
    } else {
        quoted(&cmd)
    };
    let differs = |a: Option<String>, b: Option<String>| {
        let a = a.unwrap_or_default();
        if a == b.unwrap_or_default() {
            String::new()
        } else {
            a
        }
    };
    let image_labels = i.labels.unwrap_or_default();
    let mut labels: Vec<String> = c
        .labels
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, v)| image_labels.get(k) != Some(v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    labels.sort();
    RunSpec {
        image: c.image.unwrap_or_default(),
        name: container.name.clone().unwrap_or_default().trim_start_matches('/').to_string(),
        ports,
        env,
        volumes,
        network,
        restart,
        command,
        entrypoint,
        workdir: differs(c.working_dir, i.working_dir),
        user: differs(c.user, i.user),
        auto_remove: h.auto_remove.unwrap_or(false),
        interactive_tty: c.tty.unwrap_or(false) && c.open_stdin.unwrap_or(false),
        labels,
    }
}

// ---------------------------------------------------------------------------------------------
// Commit (`docker commit`)

/// The commit dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CommitSpec {
    /// `repository[:tag]`; the tag defaults to `latest`.
    pub reference: String,
    pub message: String,
    pub author: String,
    /// Dockerfile instructions applied to the image, one per row: CMD, ENTRYPOINT, ENV, EXPOSE,
    /// LABEL, USER, VOLUME, WORKDIR.
    pub changes: Vec<String>,
}

const COMMIT_INSTRUCTIONS: &[&str] =
    &["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "VOLUME", "WORKDIR"];

/// One `--change` row: a Dockerfile instruction `docker commit` accepts, with arguments.
pub fn parse_commit_change(input: &str) -> Parsed<String> {
    let s = input.trim();
    let (word, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    let upper = word.to_ascii_uppercase();
    if !COMMIT_INSTRUCTIONS.contains(&upper.as_str()) {
        return Err(format!(
            "\"{word}\" cannot be changed by a commit: use {}",
            COMMIT_INSTRUCTIONS.join(", ")
        ));
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(format!("{upper} needs a value"));
    }
    if rest.contains('\n') || rest.contains('\0') {
        return Err(format!("{upper} takes one line"));
    }
    if upper == "EXPOSE" {
        for p in rest.split_whitespace() {
            let (port, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            parse_port_range(port, "port")?;
            if !matches!(proto, "tcp" | "udp" | "sctp") {
                return Err(format!("unknown protocol \"{proto}\": use tcp, udp or sctp"));
            }
        }
    }
    if upper == "WORKDIR" && !rest.starts_with('/') {
        return Err("WORKDIR must be an absolute path".into());
    }
    Ok(format!("{upper} {rest}"))
}

/// A commit, checked: (repository, tag, changes joined one per line).
pub fn plan_commit(spec: &CommitSpec) -> Result<(String, String, Vec<String>), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let reference = spec.reference.trim();
    let mut out = (String::new(), String::new());
    if reference.contains('@') {
        problems.push(FieldProblem {
            field: "reference".into(),
            row: None,
            message: "a commit makes a new image: give it a repository:tag, not a digest".into(),
        });
    } else if reference.is_empty() {
        problems.push(FieldProblem {
            field: "reference".into(),
            row: None,
            message: "name the new image: repository[:tag]".into(),
        });
    } else {
        match parse_image_ref(reference) {
            Ok((repo, tag)) => out = (repo, tag.unwrap_or_else(|| "latest".into())),
            Err(message) => {
                problems.push(FieldProblem { field: "reference".into(), row: None, message })
            }
        }
    }
    let mut changes = Vec::new();
    for (i, c) in spec.changes.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()) {
        match parse_commit_change(c) {
            Ok(c) => changes.push(c),
            Err(message) => problems.push(FieldProblem {
                field: "changes".into(),
                row: Some(i as u32),
                message,
            }),
        }
    }
    if problems.is_empty() {
        Ok((out.0, out.1, changes))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod commit_tests {
    use super::*;

    #[test]
    fn commit_references_and_changes() {
        let spec = CommitSpec {
            reference: "box_snapshot".into(),
            changes: vec!["cmd [\"sh\"]".into(), "EXPOSE 80/tcp 53/udp".into(), "".into()],
            ..Default::default()
        };
        let (repo, tag, changes) = plan_commit(&spec).unwrap();
        assert_eq!((repo.as_str(), tag.as_str()), ("box_snapshot", "latest"));
        assert_eq!(changes, vec!["CMD [\"sh\"]", "EXPOSE 80/tcp 53/udp"]);
        let bad = CommitSpec {
            reference: "Box:1".into(),
            changes: vec!["RUN rm -rf /".into(), "EXPOSE 99999".into(), "WORKDIR app".into()],
            ..Default::default()
        };
        let at: Vec<_> =
            plan_commit(&bad).unwrap_err().into_iter().map(|p| (p.field, p.row)).collect();
        assert_eq!(
            at,
            vec![
                ("reference".to_string(), None),
                ("changes".to_string(), Some(0)),
                ("changes".to_string(), Some(1)),
                ("changes".to_string(), Some(2))
            ]
        );
        assert!(plan_commit(&CommitSpec { reference: "a@sha256:00".into(), ..Default::default() })
            .is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_in_every_cli_form() {
        let p = parse_port("8080:80").unwrap();
        assert_eq!(
            (p.ip, p.host, p.container, p.protocol),
            (None, Some((8080, 8080)), (80, 80), Protocol::Tcp)
        );
        let p = parse_port("127.0.0.1:8080:80/udp").unwrap();
        assert_eq!(p.ip, Some("127.0.0.1".parse().unwrap()));
        assert_eq!(p.protocol, Protocol::Udp);
        assert_eq!(parse_port("80").unwrap().host, None);
        let r = parse_port("8000-8002:8000-8002").unwrap();
        assert_eq!(r.bindings().len(), 3);
        assert_eq!(r.bindings()[2].1.host_port.as_deref(), Some("8002"));
        assert_eq!(parse_port("127.0.0.1::80").unwrap().host, None);
        assert_eq!(parse_port("[::1]:8080:80").unwrap().ip, Some("::1".parse().unwrap()));
        assert_eq!(parse_port("[::1]:8080:80").unwrap().to_flag(), "[::1]:8080:80");
        assert_eq!(parse_port("127.0.0.1::80").unwrap().to_flag(), "127.0.0.1::80");
    }

    #[test]
    fn bad_ports_say_why() {
        assert!(parse_port("80:0").unwrap_err().contains("out of range"));
        assert!(parse_port("http").unwrap_err().contains("not a number"));
        assert!(parse_port("8080:80/icmp").unwrap_err().contains("unknown protocol"));
        assert!(parse_port("8000-8001:80-82").unwrap_err().contains("2 ports"));
        assert!(parse_port("300.1.1.1:80:80").unwrap_err().contains("not an IP"));
        assert!(parse_port("90-80:80").unwrap_err().contains("backwards"));
        assert!(parse_port("::1:80:80").unwrap_err().contains("too many colons"));
    }

    #[test]
    fn env_and_env_blocks() {
        assert_eq!(parse_key_value("K=a=b", "v").unwrap(), ("K".into(), "a=b".into()));
        assert!(parse_key_value("K", "variable").unwrap_err().contains("KEY=VALUE"));
        assert!(parse_key_value("=v", "variable").is_err());
        let block = "# db\nexport DB_HOST=db\nPASS='a b#c'\nMSG=\"line\\nnext\"\n\nX=1 # note\n";
        assert_eq!(
            parse_env_block(block).unwrap(),
            vec!["DB_HOST=db", "PASS=a b#c", "MSG=line\nnext", "X=1"]
        );
        assert!(parse_env_block("A=1\nB='x").unwrap_err().starts_with("line 2"));
    }

    #[test]
    fn volumes_of_every_kind() {
        assert_eq!(
            parse_volume("/srv/www:/usr/share/www:ro").unwrap(),
            VolumeSpec::Bind {
                source: "/srv/www".into(),
                target: "/usr/share/www".into(),
                options: vec!["ro".into()]
            }
        );
        assert!(matches!(parse_volume("data:/data").unwrap(), VolumeSpec::Named { .. }));
        assert!(matches!(parse_volume("/data").unwrap(), VolumeSpec::Anonymous { .. }));
        assert!(parse_volume("./src:/src").unwrap_err().contains("absolute"));
        assert!(parse_volume("data:rel").unwrap_err().contains("absolute"));
        assert!(parse_volume("data:/d:rx").unwrap_err().contains("unknown volume option"));
        assert!(parse_volume("data:/d:ro,rw").is_err());
    }

    #[test]
    fn restart_policies() {
        assert_eq!(parse_restart("on-failure:3").unwrap().maximum_retry_count, Some(3));
        assert_eq!(
            parse_restart("unless-stopped").unwrap().name,
            Some(RestartPolicyNameEnum::UNLESS_STOPPED)
        );
        assert!(parse_restart("sometimes").is_err());
        assert!(parse_restart("on-failure:x").is_err());
    }

    #[test]
    fn image_references() {
        assert_eq!(parse_image_ref("busybox").unwrap(), ("busybox".into(), None));
        assert_eq!(
            parse_image_ref("127.0.0.1:5000/team/app:1.2").unwrap(),
            ("127.0.0.1:5000/team/app".into(), Some("1.2".into()))
        );
        assert!(parse_image_ref("localhost/app").is_ok());
        assert!(parse_image_ref("Busybox").is_err());
        assert!(parse_image_ref("app:-x").is_err());
        assert!(parse_image_ref("app:").is_err());
        assert!(parse_image_ref("a//b").is_err());
        assert!(parse_image_ref("a__b_c.d-e--f").is_ok());
        assert!(parse_image_ref("a___b").is_err());
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"sh -c 'echo "hi there"'"#).unwrap(),
            vec!["sh", "-c", "echo \"hi there\""]
        );
        assert_eq!(split_words(r#"a\ b "c\"d" ''"#).unwrap(), vec!["a b", "c\"d", ""]);
        assert!(split_words("echo 'x").is_err());
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        for w in ["", "a b", "it's", "$HOME", "a\"b", "x\\y", "\n"] {
            assert_eq!(split_words(&shell_quote(w)).unwrap(), vec![w.to_string()], "{w:?}");
        }
    }

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
        let at: Vec<(&str, Option<u32>)> =
            problems.iter().map(|p| (p.field.as_str(), p.row)).collect();
        assert_eq!(
            at,
            vec![("image", None), ("ports", Some(1)), ("restart", None), ("command", None)]
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
}

#[cfg(test)]
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

        #[test]
        fn port_like_text_never_panics(s in "[0-9:\\-/\\[\\]a-f.tcpudsc]{0,24}") {
            if let Ok(p) = parse_port(&s) {
                // What parses prints back to text that parses to the same thing.
                prop_assert_eq!(parse_port(&p.to_flag()).unwrap(), p);
            }
        }

        #[test]
        fn quoting_round_trips(words in proptest::collection::vec("\\PC*", 0..6)) {
            let line = words.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(split_words(&line).unwrap(), words);
        }

        #[test]
        fn volumes_print_back(s in "[a-z/:,ro]{0,20}") {
            if let Ok(v) = parse_volume(&s) {
                prop_assert_eq!(parse_volume(&v.to_flag()).unwrap(), v);
            }
        }
    }
}
