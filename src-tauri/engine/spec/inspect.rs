//! An existing container, back into the run dialog's fields.

use bollard::models::{RestartPolicy, RestartPolicyNameEnum};

use super::words::shell_quote;
use super::RunSpec;

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
