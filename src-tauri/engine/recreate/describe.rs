//! What an edit shows before it is applied: the fields it changes, and the settings the dialog
//! cannot show that the new container keeps, written as the `docker run` flags that set them.

use bollard::models::{HostConfig, ImageInspect};

use super::config::NewConfig;
use crate::engine::spec::{shell_quote, RunSpec};

/// One line per dialog field the edit changes, in the dialog's order: "Environment: + MODE=new,
/// − MODE=old" for list fields, "Restart policy: no → always" for the others.
pub fn changes(before: &RunSpec, after: &RunSpec) -> Vec<String> {
    enum Was<'a> {
        Rows(&'a [String], &'a [String]),
        Value(String, String),
    }
    let show = |v: &str| {
        if v.trim().is_empty() {
            "(image default)".to_string()
        } else {
            v.trim().to_string()
        }
    };
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let fields = [
        ("Image", Was::Value(before.image.trim().into(), after.image.trim().into())),
        ("Ports", Was::Rows(&before.ports, &after.ports)),
        ("Environment", Was::Rows(&before.env, &after.env)),
        ("Volumes", Was::Rows(&before.volumes, &after.volumes)),
        ("Network", Was::Value(show(&before.network), show(&after.network))),
        ("Restart policy", Was::Value(restart(&before.restart), restart(&after.restart))),
        ("Command", Was::Value(show(&before.command), show(&after.command))),
        ("Entrypoint", Was::Value(show(&before.entrypoint), show(&after.entrypoint))),
        ("Working directory", Was::Value(show(&before.workdir), show(&after.workdir))),
        ("User", Was::Value(show(&before.user), show(&after.user))),
        ("Remove when it exits", Was::Value(yes(before.auto_remove), yes(after.auto_remove))),
        (
            "Interactive terminal",
            Was::Value(yes(before.interactive_tty), yes(after.interactive_tty)),
        ),
        ("Labels", Was::Rows(&before.labels, &after.labels)),
    ];
    let rows = |l: &[String]| -> Vec<String> {
        l.iter().map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
    };
    let mut out = Vec::new();
    for (label, was) in fields {
        match was {
            Was::Value(a, b) if a != b => out.push(format!("{label}: {a} → {b}")),
            Was::Value(..) => {}
            Was::Rows(a, b) => {
                let (a, b) = (rows(a), rows(b));
                let added = b.iter().filter(|x| !a.contains(x)).map(|x| format!("+ {x}"));
                let removed = a.iter().filter(|x| !b.contains(x)).map(|x| format!("− {x}"));
                let all: Vec<String> = added.chain(removed).collect();
                if !all.is_empty() {
                    out.push(format!("{label}: {}", all.join(", ")));
                }
            }
        }
    }
    out
}

fn restart(r: &str) -> String {
    let r = r.trim();
    if r.is_empty() {
        "no".into()
    } else {
        r.into()
    }
}

/// A size in bytes as `docker run` takes it (`64m`, `1g`), exact.
fn size(bytes: i64) -> String {
    for (unit, n) in [("g", 1i64 << 30), ("m", 1 << 20), ("k", 1 << 10)] {
        if bytes % n == 0 {
            return format!("{}{unit}", bytes / n);
        }
    }
    bytes.to_string()
}

fn nanos(n: i64) -> String {
    if n % 1_000_000_000 == 0 {
        format!("{}s", n / 1_000_000_000)
    } else {
        format!("{}ms", n / 1_000_000)
    }
}

/// `docker run` flags, as text.
#[derive(Default)]
struct Flags(Vec<String>);

impl Flags {
    fn flag(&mut self, f: &str, v: &str) {
        self.0.push(format!("{f} {}", shell_quote(v)));
    }
    fn bare(&mut self, f: &str) {
        self.0.push(f.to_string());
    }
    fn line(&mut self, l: String) {
        self.0.push(l);
    }
}

/// The settings of the old container that the dialog does not show, which the new one keeps.
pub fn kept(i: &ImageInspect, new: &NewConfig) -> Vec<String> {
    let body = &new.body;
    let h: HostConfig = body.host_config.clone().unwrap_or_default();
    let mut out = Flags::default();
    let each = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
    let image_exposed = i.config.clone().and_then(|c| c.exposed_ports).unwrap_or_default();

    if let Some(v) = &body.hostname {
        out.flag("--hostname", v);
    }
    if let Some(v) = &body.domainname {
        out.flag("--domainname", v);
    }
    for e in each(&body.exposed_ports) {
        let published = h.port_bindings.as_ref().is_some_and(|p| p.contains_key(&e));
        if !published && !image_exposed.contains(&e) {
            out.flag("--expose", &e);
        }
    }
    if let Some(hc) = &body.healthcheck {
        let test = hc.test.clone().unwrap_or_default();
        match test.first().map(String::as_str) {
            Some("NONE") => out.bare("--no-healthcheck"),
            Some("CMD-SHELL") => out.flag("--health-cmd", &test[1..].join(" ")),
            Some("CMD") => out.flag("--health-cmd", &test[1..].join(" ")),
            _ => {}
        }
        for (f, v) in [
            ("--health-interval", hc.interval),
            ("--health-timeout", hc.timeout),
            ("--health-start-period", hc.start_period),
        ] {
            if let Some(v) = v.filter(|v| *v > 0) {
                out.flag(f, &nanos(v));
            }
        }
        if let Some(r) = hc.retries.filter(|r| *r > 0) {
            out.flag("--health-retries", &r.to_string());
        }
    }
    if let Some(v) = &body.stop_signal {
        out.flag("--stop-signal", v);
    }
    if let Some(v) = body.stop_timeout {
        out.flag("--stop-timeout", &v.to_string());
    }
    if h.init == Some(true) {
        out.bare("--init");
    }
    if h.privileged == Some(true) {
        out.bare("--privileged");
    }
    for v in each(&h.cap_add) {
        out.flag("--cap-add", &v);
    }
    for v in each(&h.cap_drop) {
        out.flag("--cap-drop", &v);
    }
    let memory = h.memory.unwrap_or(0);
    if memory > 0 {
        out.flag("--memory", &size(memory));
    }
    // The engine writes twice the memory limit as the swap limit when none was given.
    if let Some(swap) = h.memory_swap.filter(|s| *s != 0 && *s != 2 * memory) {
        out.flag("--memory-swap", &if swap < 0 { "-1".into() } else { size(swap) });
    }
    if let Some(v) = h.memory_reservation.filter(|v| *v > 0) {
        out.flag("--memory-reservation", &size(v));
    }
    if let Some(v) = h.nano_cpus.filter(|v| *v > 0) {
        let cpus = v as f64 / 1e9;
        out.flag("--cpus", &format!("{cpus}"));
    }
    if let Some(v) = h.cpu_shares.filter(|v| *v > 0) {
        out.flag("--cpu-shares", &v.to_string());
    }
    if let Some(v) = h.cpuset_cpus.clone().filter(|v| !v.is_empty()) {
        out.flag("--cpuset-cpus", &v);
    }
    if let Some(v) = h.pids_limit.filter(|v| *v > 0) {
        out.flag("--pids-limit", &v.to_string());
    }
    for v in each(&h.dns) {
        out.flag("--dns", &v);
    }
    for v in each(&h.dns_search) {
        out.flag("--dns-search", &v);
    }
    for v in each(&h.dns_options) {
        out.flag("--dns-option", &v);
    }
    for v in each(&h.extra_hosts) {
        out.flag("--add-host", &v);
    }
    let mut tmpfs: Vec<_> = h.tmpfs.clone().unwrap_or_default().into_iter().collect();
    tmpfs.sort();
    for (path, opts) in tmpfs {
        out.flag("--tmpfs", &if opts.is_empty() { path } else { format!("{path}:{opts}") });
    }
    for v in each(&h.security_opt) {
        out.flag("--security-opt", &v);
    }
    for d in h.devices.clone().unwrap_or_default() {
        let host = d.path_on_host.unwrap_or_default();
        let inside = d.path_in_container.unwrap_or_default();
        let perms = d.cgroup_permissions.unwrap_or_default();
        out.flag("--device", &format!("{host}:{inside}:{perms}"));
    }
    for u in h.ulimits.clone().unwrap_or_default() {
        let (n, s, hard) = (u.name.unwrap_or_default(), u.soft.unwrap_or(0), u.hard.unwrap_or(0));
        out.flag("--ulimit", &format!("{n}={s}:{hard}"));
    }
    if let Some(log) = &h.log_config {
        let driver = log.typ.clone().unwrap_or_default();
        let opts = log.config.clone().unwrap_or_default();
        if !driver.is_empty() && (driver != "json-file" || !opts.is_empty()) {
            out.flag("--log-driver", &driver);
            let mut opts: Vec<_> = opts.into_iter().collect();
            opts.sort();
            for (k, v) in opts {
                out.flag("--log-opt", &format!("{k}={v}"));
            }
        }
    }
    for (f, v, defaults) in [
        ("--pid", &h.pid_mode, &["", "private"][..]),
        ("--ipc", &h.ipc_mode, &["", "private", "shareable"][..]),
        ("--uts", &h.uts_mode, &[""][..]),
        ("--userns", &h.userns_mode, &[""][..]),
        ("--cgroup-parent", &h.cgroup_parent, &[""][..]),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !defaults.contains(v)) {
            out.flag(f, v);
        }
    }
    if let Some(v) = h.shm_size.filter(|v| *v > 0 && *v != 64 << 20) {
        out.flag("--shm-size", &size(v));
    }
    let mut sysctls: Vec<_> = h.sysctls.clone().unwrap_or_default().into_iter().collect();
    sysctls.sort();
    for (k, v) in sysctls {
        out.flag("--sysctl", &format!("{k}={v}"));
    }
    for v in each(&h.group_add) {
        out.flag("--group-add", &v);
    }
    if h.readonly_rootfs == Some(true) {
        out.bare("--read-only");
    }
    if let Some(v) = h.runtime.as_deref().filter(|v| !v.is_empty() && *v != "runc") {
        out.flag("--runtime", v);
    }
    if h.oom_kill_disable == Some(true) {
        out.bare("--oom-kill-disable");
    }
    if let Some(v) = h.oom_score_adj.filter(|v| *v != 0) {
        out.flag("--oom-score-adj", &v.to_string());
    }
    for v in each(&h.volumes_from) {
        out.flag("--volumes-from", &v);
    }
    for v in each(&h.links) {
        // The engine keeps links as /other:/this/alias.
        let (other, alias) = v.split_once(':').unwrap_or((&v, ""));
        let alias = alias.rsplit('/').next().unwrap_or(alias);
        out.flag("--link", &format!("{}:{alias}", other.trim_start_matches('/')));
    }
    for m in h.mounts.clone().unwrap_or_default() {
        let typ = m.typ.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_default();
        let mut spec = format!("type={typ}");
        if let Some(s) = m.source.filter(|s| !s.is_empty()) {
            spec.push_str(&format!(",source={s}"));
        }
        spec.push_str(&format!(",target={}", m.target.unwrap_or_default()));
        if m.read_only == Some(true) {
            spec.push_str(",readonly");
        }
        out.flag("--mount", &spec);
    }
    // Where it is attached besides the dialog's network, and how.
    let primary = body.networking_config.as_ref().and_then(|n| n.endpoints_config.clone());
    let mut attached: Vec<(String, bollard::models::EndpointSettings)> =
        primary.unwrap_or_default().into_iter().collect();
    let first = attached.len();
    attached.extend(new.also.iter().map(|a| (a.network.clone(), a.endpoint.clone())));
    for (k, (network, e)) in attached.into_iter().enumerate() {
        let mut how: Vec<String> = Vec::new();
        for a in e.aliases.unwrap_or_default() {
            how.push(format!("--network-alias {}", shell_quote(&a)));
        }
        if let Some(ip) = e.ipam_config {
            if let Some(v4) = ip.ipv4_address.filter(|a| !a.is_empty()) {
                how.push(format!("--ip {v4}"));
            }
            if let Some(v6) = ip.ipv6_address.filter(|a| !a.is_empty()) {
                how.push(format!("--ip6 {v6}"));
            }
        }
        if k >= first {
            out.line(format!("network {network} (connected too){}", with(&how)));
        } else if !how.is_empty() {
            out.line(format!("network {network}:{}", with(&how)));
        }
    }
    for m in &new.carried {
        let name = m.source.clone().unwrap_or_default();
        out.line(format!(
            "anonymous volume {} ({}…): mounted again, with its data",
            m.target.clone().unwrap_or_default(),
            &name[..12.min(name.len())]
        ));
    }
    out.0
}

fn with(how: &[String]) -> String {
    if how.is_empty() {
        String::new()
    } else {
        format!(" {}", how.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RunSpec {
        RunSpec {
            image: "shop/web:1".into(),
            name: "web".into(),
            ports: vec!["127.0.0.1:8080:80".into()],
            env: vec!["MODE=old".into(), "KEEP=1".into()],
            volumes: vec!["data:/data".into()],
            network: "shop".into(),
            restart: "on-failure:3".into(),
            command: "httpd -f".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_edit_is_described_field_by_field_and_nothing_else() {
        let before = spec();
        let mut same = before.clone();
        same.env.push("  ".into());
        assert_eq!(changes(&before, &same), Vec::<String>::new(), "blank rows change nothing");
        let after = RunSpec {
            env: vec!["MODE=new".into(), "KEEP=1".into()],
            restart: "always".into(),
            workdir: "/srv".into(),
            ports: vec![],
            ..before.clone()
        };
        assert_eq!(
            changes(&before, &after),
            vec![
                "Ports: − 127.0.0.1:8080:80",
                "Environment: + MODE=new, − MODE=old",
                "Restart policy: on-failure:3 → always",
                "Working directory: (image default) → /srv",
            ]
        );
    }

    #[test]
    fn sizes_read_as_the_cli_writes_them() {
        assert_eq!(size(64 << 20), "64m");
        assert_eq!(size(1 << 30), "1g");
        assert_eq!(size(1000), "1000");
        assert_eq!(nanos(30_000_000_000), "30s");
        assert_eq!(nanos(1_500_000_000), "1500ms");
    }
}
