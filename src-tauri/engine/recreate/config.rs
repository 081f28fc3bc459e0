//! The new container's configuration: the old one's whole configuration (its `Config`, its
//! `HostConfig`, every network it is on with its aliases and addresses, its anonymous volumes),
//! with only the fields the user edited in the dialog replaced.

use std::collections::{BTreeSet, HashMap};

use bollard::models::{
    ContainerCreateBody, ContainerInspectResponse, EndpointSettings, HostConfig, ImageInspect,
    Mount, MountType,
};

use crate::engine::spec::{RunPlan, VolumeSpec};

/// Which of the dialog's fields an edit changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edited {
    pub image: bool,
    pub ports: bool,
    pub env: bool,
    pub volumes: bool,
    pub network: bool,
    pub restart: bool,
    pub command: bool,
    pub workdir: bool,
    pub user: bool,
    pub auto_remove: bool,
    pub interactive_tty: bool,
    pub labels: bool,
}

impl Edited {
    /// Compare the dialog as it opened with the dialog as applied, field by field, on what the
    /// fields mean (rows in any order, spacing ignored), not on how they were typed.
    pub fn between(before: &RunPlan, after: &RunPlan) -> Edited {
        fn set<T: Ord + Clone>(v: &[T]) -> BTreeSet<T> {
            v.iter().cloned().collect()
        }
        let flags = |p: &RunPlan| p.ports.iter().map(|p| p.to_flag()).collect::<Vec<_>>();
        let vols = |p: &RunPlan| p.volumes.iter().map(|v| v.to_flag()).collect::<Vec<_>>();
        Edited {
            image: before.image != after.image,
            ports: set(&flags(before)) != set(&flags(after)),
            env: env_map(&before.env) != env_map(&after.env),
            volumes: set(&vols(before)) != set(&vols(after)),
            network: before.network != after.network,
            restart: before.restart != after.restart,
            command: before.entrypoint != after.entrypoint || before.command != after.command,
            workdir: before.workdir != after.workdir,
            user: before.user != after.user,
            auto_remove: before.auto_remove != after.auto_remove,
            interactive_tty: before.interactive_tty != after.interactive_tty,
            labels: set(&before.labels) != set(&after.labels),
        }
    }

    pub fn any(&self) -> bool {
        *self != Edited::default()
    }
}

/// Environment entries as the process sees them: the last value of a name wins.
fn env_map(env: &[(String, String)]) -> HashMap<&str, &str> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A network the container is on, and how it is attached there.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub network: String,
    pub endpoint: EndpointSettings,
}

/// Everything the new container is created with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConfig {
    /// Config and HostConfig; `networking_config` holds the network it is created on.
    pub body: ContainerCreateBody,
    /// The other networks, connected before it starts.
    pub also: Vec<Attachment>,
    /// Anonymous volumes mounted again (by their volume's name) so their data stays.
    pub carried: Vec<Mount>,
}

/// The network a container's `NetworkMode` names, as the engine lists it.
fn primary_network(mode: &str) -> Option<String> {
    match mode {
        "" | "default" => Some("bridge".into()),
        "host" | "none" => None,
        m if m.starts_with("container:") => None,
        m => Some(m.to_string()),
    }
}

/// The old container's configuration with what its image gave it taken out (so a new image, or
/// the same one, gives it again), and with what the engine made up for it (its host name, its
/// network aliases by id, its MAC addresses) left for the engine to make again.
pub fn base(c: &ContainerInspectResponse, i: &ImageInspect) -> NewConfig {
    let cfg = c.config.clone().unwrap_or_default();
    let img = i.config.clone().unwrap_or_default();
    let host = c.host_config.clone().unwrap_or_default();
    let id = c.id.clone().unwrap_or_default();
    let short = &id[..12.min(id.len())];
    let mode = host.network_mode.clone().unwrap_or_default();

    let minus = |v: Option<Vec<String>>, from_image: &Option<Vec<String>>| {
        let image = from_image.clone().unwrap_or_default();
        Some(v.unwrap_or_default().into_iter().filter(|e| !image.contains(e)).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
    };
    let same_or = |v: Option<String>, image: &Option<String>| {
        v.filter(|v| !v.is_empty() && Some(v) != image.as_ref())
    };
    let same_entry =
        cfg.entrypoint.clone().unwrap_or_default() == img.entrypoint.clone().unwrap_or_default();
    let (entrypoint, cmd) = if !same_entry {
        (cfg.entrypoint.clone(), cfg.cmd.clone())
    } else if cfg.cmd.clone().unwrap_or_default() == img.cmd.clone().unwrap_or_default() {
        (None, None)
    } else {
        (None, cfg.cmd.clone())
    };
    let image_labels = img.labels.clone().unwrap_or_default();
    let labels: HashMap<String, String> = cfg
        .labels
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, v)| image_labels.get(k) != Some(v))
        .collect();
    // The engine names a container's host after its id, or after the host or the container
    // whose network it shares: only a name someone chose is kept.
    let hostname = cfg.hostname.clone().filter(|h| {
        !h.is_empty() && h != short && primary_network(&mode).is_some() && mode != "host"
    });

    // Anonymous volumes: mounted again by name, unless a bind or mount already sets the path.
    let explicit: BTreeSet<String> = host
        .binds
        .clone()
        .unwrap_or_default()
        .iter()
        .filter_map(|b| b.split(':').nth(1).map(str::to_string))
        .chain(host.mounts.clone().unwrap_or_default().into_iter().filter_map(|m| m.target))
        .collect();
    let carried: Vec<Mount> = c
        .mounts
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .filter_map(|m| {
            let target = m.destination?;
            (!explicit.contains(&target)).then_some(Mount {
                target: Some(target),
                source: m.name,
                typ: Some(MountType::VOLUME),
                read_only: m.rw.map(|rw| !rw).filter(|ro| *ro),
                ..Default::default()
            })
        })
        .collect();

    // Networks: the one it is created on, then the others; without what the engine assigns.
    let mut attached: Vec<Attachment> = c
        .network_settings
        .clone()
        .and_then(|n| n.networks)
        .unwrap_or_default()
        .into_iter()
        .map(|(network, e)| {
            // The engine adds the container's short id or host name itself.
            let own = |a: &String| a == short || Some(a) == cfg.hostname.as_ref();
            let aliases: Vec<String> =
                e.aliases.unwrap_or_default().into_iter().filter(|a| !own(a)).collect();
            let endpoint = EndpointSettings {
                ipam_config: e.ipam_config.filter(|ip| {
                    ip.ipv4_address.as_deref().is_some_and(|a| !a.is_empty())
                        || ip.ipv6_address.as_deref().is_some_and(|a| !a.is_empty())
                        || ip.link_local_ips.as_ref().is_some_and(|l| !l.is_empty())
                }),
                links: e.links.filter(|l| !l.is_empty()),
                aliases: Some(aliases).filter(|a| !a.is_empty()),
                driver_opts: e.driver_opts.filter(|d| !d.is_empty()),
                ..Default::default()
            };
            Attachment { network, endpoint }
        })
        .collect();
    attached.sort_by(|a, b| a.network.cmp(&b.network));
    let primary = primary_network(&mode);
    let first = primary
        .as_ref()
        .and_then(|p| attached.iter().position(|a| &a.network == p))
        .map(|at| attached.remove(at));

    let body = ContainerCreateBody {
        hostname,
        domainname: cfg.domainname.clone().filter(|d| !d.is_empty()),
        user: same_or(cfg.user.clone(), &img.user),
        attach_stdin: cfg.attach_stdin,
        attach_stdout: cfg.attach_stdout,
        attach_stderr: cfg.attach_stderr,
        exposed_ports: minus(cfg.exposed_ports.clone(), &img.exposed_ports),
        tty: cfg.tty,
        open_stdin: cfg.open_stdin,
        stdin_once: cfg.stdin_once,
        env: minus(cfg.env.clone(), &img.env),
        cmd,
        healthcheck: cfg.healthcheck.clone().filter(|h| Some(h) != img.healthcheck.as_ref()),
        args_escaped: None,
        image: cfg.image.clone(),
        volumes: minus(cfg.volumes.clone(), &img.volumes),
        working_dir: same_or(cfg.working_dir.clone(), &img.working_dir),
        entrypoint,
        network_disabled: cfg.network_disabled.filter(|d| *d),
        on_build: None,
        labels: Some(labels).filter(|l| !l.is_empty()),
        stop_signal: same_or(cfg.stop_signal.clone(), &img.stop_signal),
        stop_timeout: cfg.stop_timeout,
        shell: None,
        host_config: Some(host),
        networking_config: first.map(|a| bollard::models::NetworkingConfig {
            endpoints_config: Some(HashMap::from([(a.network, a.endpoint)])),
        }),
    };
    NewConfig { body, also: attached, carried }
}

impl NewConfig {
    /// The create request (with the carried volumes among its mounts) and the networks to
    /// connect before it starts.
    pub fn into_request(self) -> (ContainerCreateBody, Vec<Attachment>) {
        let mut body = self.body;
        let host = body.host_config.get_or_insert_with(HostConfig::default);
        let mut mounts = host.mounts.take().unwrap_or_default();
        mounts.extend(self.carried);
        host.mounts = Some(mounts).filter(|m| !m.is_empty());
        (body, self.also)
    }
}

/// Replace, in `new`, what the user edited: each edited field's part of the configuration is
/// taken from the dialog as applied (`after`), where the dialog as opened (`before`) put its
/// share; everything else stays.
pub fn apply(new: &mut NewConfig, before: &RunPlan, after: &RunPlan, edited: Edited) {
    let made = after.to_create();
    let was = before.to_create();
    let made_host = made.host_config.clone().unwrap_or_default();
    let body = &mut new.body;
    let host = body.host_config.get_or_insert_with(HostConfig::default);
    // Lists the dialog shares with settings it does not show: take out the dialog's old share,
    // put in its new one.
    let swap = |current: Option<Vec<String>>,
                old: Option<Vec<String>>,
                new: Option<Vec<String>>|
     -> Option<Vec<String>> {
        let old = old.unwrap_or_default();
        let mut out: Vec<String> =
            current.unwrap_or_default().into_iter().filter(|x| !old.contains(x)).collect();
        for x in new.unwrap_or_default() {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        Some(out).filter(|v| !v.is_empty())
    };
    if edited.image {
        body.image = made.image.clone();
    }
    if edited.ports {
        body.exposed_ports =
            swap(body.exposed_ports.take(), was.exposed_ports.clone(), made.exposed_ports.clone());
        host.port_bindings = made_host.port_bindings.clone();
    }
    if edited.env {
        body.env = made.env.clone();
    }
    if edited.volumes {
        let was_host = was.host_config.clone().unwrap_or_default();
        host.binds = swap(host.binds.take(), was_host.binds, made_host.binds.clone());
        body.volumes = swap(body.volumes.take(), was.volumes.clone(), made.volumes.clone());
        // An anonymous volume the user took out of the dialog is not mounted again.
        let dropped: Vec<String> = before
            .volumes
            .iter()
            .filter(|v| !after.volumes.contains(v))
            .filter_map(|v| match v {
                VolumeSpec::Anonymous { target } => Some(target.clone()),
                _ => None,
            })
            .collect();
        new.carried.retain(|m| !m.target.as_ref().is_some_and(|t| dropped.contains(t)));
    }
    if edited.network {
        host.network_mode = made_host.network_mode.clone();
        let joined = primary_network(host.network_mode.as_deref().unwrap_or_default());
        // The network the dialog named before is left; the one it names now is the one the
        // container is created on, attached as it already was if it was on it; others stay.
        // Sharing the host's or another container's network leaves room for no other.
        body.networking_config = joined.map(|network| {
            let endpoint = new
                .also
                .iter()
                .position(|a| a.network == network)
                .map(|at| new.also.remove(at).endpoint)
                .unwrap_or_default();
            bollard::models::NetworkingConfig {
                endpoints_config: Some(HashMap::from([(network, endpoint)])),
            }
        });
        if body.networking_config.is_none() {
            new.also.clear();
        }
    }
    if edited.restart {
        host.restart_policy = made_host.restart_policy.clone();
    }
    if edited.command {
        body.entrypoint = made.entrypoint.clone();
        body.cmd = made.cmd.clone();
    }
    if edited.workdir {
        body.working_dir = made.working_dir.clone();
    }
    if edited.user {
        body.user = made.user.clone();
    }
    if edited.auto_remove {
        host.auto_remove = made_host.auto_remove;
    }
    if edited.interactive_tty {
        body.tty = made.tty;
        body.open_stdin = made.open_stdin;
    }
    if edited.labels {
        body.labels = made.labels.clone();
    }
}
