//! The engine's create request for the dialog, as the CLI would send it.

use std::collections::HashMap;

use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};

use super::{RunPlan, VolumeSpec};

impl RunPlan {
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
