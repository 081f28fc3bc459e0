//! The create-network dialog, read as `docker network create` reads its flags: each problem
//! beside its field, the equivalent command line, and the engine's create request.

use std::collections::HashMap;

use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::ipam::{check_ipam, IpamField, IpamPlan};
use super::Network;
use crate::engine::spec::{
    self, parse_key_value, parse_label_row, shell_quote, Field, FieldProblem, Invalid,
};

/// The dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct NetworkSpec {
    pub name: String,
    /// Empty means `bridge`.
    pub driver: String,
    pub subnet: String,
    pub gateway: String,
    pub ip_range: String,
    /// `--internal`: no route out of the network.
    pub internal: bool,
    /// `--attachable`: swarm services' networks that plain containers may join too.
    pub attachable: bool,
    /// `-l K=V` rows.
    pub labels: Vec<String>,
    /// `-o K=V` rows: options for the driver.
    pub options: Vec<String>,
}

/// The dialog's verdict: each problem, and the command line when there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct NetworkCheck {
    pub problems: Vec<FieldProblem>,
    pub command: String,
}

/// What the dialog says, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkPlan {
    pub name: String,
    pub driver: String,
    pub ipam: IpamPlan,
    pub internal: bool,
    pub attachable: bool,
    pub labels: Vec<(String, String)>,
    pub options: Vec<(String, String)>,
}

/// A network name as the engine takes one: a letter or digit, then letters, digits, `_ . -`.
pub fn check_network_name(name: &str) -> Result<(), Invalid> {
    let mut b = name.bytes();
    match b.next() {
        None => Err("a network needs a name".into()),
        Some(c) if !c.is_ascii_alphanumeric() => Err("a name starts with a letter or digit".into()),
        _ if b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')) => Ok(()),
        _ => Err("a name holds only letters, digits, _ . -".into()),
    }
}

/// Parse and check every field against each other and against the engine's `existing` networks
/// (a name in use, a subnet that overlaps one in use).
pub fn plan(spec: &NetworkSpec, existing: &[Network]) -> Result<NetworkPlan, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: Field, row: Option<usize>, message: Invalid| {
        problems.push(FieldProblem { field, row: row.map(|r| r as u32), message: message.0 })
    };
    let name = spec.name.trim();
    if let Err(e) = check_network_name(name) {
        problem(Field::Name, None, e);
    } else if existing.iter().any(|n| n.name == name) {
        problem(Field::Name, None, format!("a network named {name} exists already").into());
    }
    let driver = Some(spec.driver.trim()).filter(|d| !d.is_empty()).unwrap_or("bridge");
    if driver.chars().any(|c| c.is_whitespace() || c == '\0') {
        problem(Field::Driver, None, "a driver name holds no spaces".into());
    }
    let ipam = match check_ipam(&spec.subnet, &spec.gateway, &spec.ip_range) {
        Ok(ipam) => ipam,
        Err(list) => {
            for (f, message) in list {
                let field = match f {
                    IpamField::Subnet => Field::Subnet,
                    IpamField::Gateway => Field::Gateway,
                    IpamField::IpRange => Field::IpRange,
                };
                problem(field, None, message.into());
            }
            IpamPlan::default()
        }
    };
    if let Some(net) = ipam.subnet {
        let taken = existing.iter().find_map(|n| {
            let other = n
                .subnets
                .iter()
                .filter_map(|s| super::ipam::parse_cidr(s).ok())
                .find(|o| o.overlaps(&net))?;
            Some((n.name.as_str(), other))
        });
        if let Some((other_name, other)) = taken {
            problem(
                Field::Subnet,
                None,
                format!("{net} overlaps {other}, the subnet of {other_name}").into(),
            );
        }
    }
    let labels = spec::rows(Field::Labels, &spec.labels, &mut problem, |l| {
        parse_label_row(l).map(|kv| vec![kv])
    });
    let options = spec::rows(Field::Options, &spec.options, &mut problem, |o| {
        parse_key_value(o.trim_start(), "an option").map(|kv| vec![kv])
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(NetworkPlan {
        name: name.to_string(),
        driver: driver.to_string(),
        ipam,
        internal: spec.internal,
        attachable: spec.attachable,
        labels,
        options,
    })
}

pub fn check(spec: &NetworkSpec, existing: &[Network]) -> NetworkCheck {
    match plan(spec, existing) {
        Ok(p) => NetworkCheck { problems: vec![], command: p.to_cli() },
        Err(problems) => NetworkCheck { problems, command: String::new() },
    }
}

impl NetworkPlan {
    /// An IPv6 subnet asks for IPv6 on the network (the CLI wants `--ipv6` said as well).
    fn ipv6(&self) -> bool {
        self.ipam.subnet.is_some_and(|s| s.is_v6())
    }

    /// The `docker network create` line that makes the same network.
    pub fn to_cli(&self) -> String {
        let mut args: Vec<String> = vec!["docker".into(), "network".into(), "create".into()];
        let mut flag = |f: &str, v: &str| {
            args.push(f.to_string());
            args.push(shell_quote(v));
        };
        if self.driver != "bridge" {
            flag("--driver", &self.driver);
        }
        if let Some(s) = self.ipam.subnet {
            flag("--subnet", &s.to_string());
        }
        if let Some(g) = self.ipam.gateway {
            flag("--gateway", &g.to_string());
        }
        if let Some(r) = self.ipam.ip_range {
            flag("--ip-range", &r.to_string());
        }
        for (k, v) in &self.options {
            flag("-o", &format!("{k}={v}"));
        }
        for (k, v) in &self.labels {
            flag("--label", &format!("{k}={v}"));
        }
        if self.ipv6() {
            args.push("--ipv6".into());
        }
        if self.internal {
            args.push("--internal".into());
        }
        if self.attachable {
            args.push("--attachable".into());
        }
        args.push(shell_quote(&self.name));
        args.join(" ")
    }

    pub fn to_create(&self) -> NetworkCreateRequest {
        let map = |kv: &[(String, String)]| Some(kv.iter().cloned().collect::<HashMap<_, _>>());
        let config = self.ipam.subnet.map(|s| IpamConfig {
            subnet: Some(s.to_string()),
            gateway: self.ipam.gateway.map(|g| g.to_string()),
            ip_range: self.ipam.ip_range.map(|r| r.to_string()),
            ..Default::default()
        });
        NetworkCreateRequest {
            name: self.name.clone(),
            driver: Some(self.driver.clone()),
            internal: Some(self.internal),
            attachable: Some(self.attachable),
            enable_ipv6: self.ipv6().then_some(true),
            ipam: config.map(|c| Ipam { config: Some(vec![c]), ..Default::default() }),
            options: map(&self.options),
            labels: map(&self.labels),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(name: &str, subnet: &str) -> Network {
        Network { name: name.into(), subnets: vec![subnet.into()], ..Network::default() }
    }

    #[test]
    fn the_dialog_becomes_a_cli_line_and_a_create_request() {
        let spec = NetworkSpec {
            name: "foodtrucks".into(),
            subnet: "10.77.0.0/16".into(),
            gateway: "10.77.0.1".into(),
            labels: vec!["team=web dev".into()],
            options: vec!["com.docker.network.bridge.name=br-food".into()],
            internal: true,
            ..Default::default()
        };
        let p = plan(&spec, &[net("bridge", "172.17.0.0/16")]).unwrap();
        assert_eq!(
            p.to_cli(),
            "docker network create --subnet 10.77.0.0/16 --gateway 10.77.0.1 \
             -o com.docker.network.bridge.name=br-food --label 'team=web dev' --internal foodtrucks"
        );
        let req = p.to_create();
        assert_eq!(req.driver.as_deref(), Some("bridge"));
        let cfg = &req.ipam.unwrap().config.unwrap()[0];
        assert_eq!(cfg.gateway.as_deref(), Some("10.77.0.1"));
        assert_eq!(req.labels.unwrap()["team"], "web dev");
        assert_eq!(req.enable_ipv6, None);
    }

    #[test]
    fn each_problem_is_beside_its_field() {
        let existing = [net("front", "172.18.0.0/16")];
        let fields = |spec: NetworkSpec| {
            plan(&spec, &existing).unwrap_err().into_iter().map(|p| p.field).collect::<Vec<_>>()
        };
        let spec = |name: &str, subnet: &str| NetworkSpec {
            name: name.into(),
            subnet: subnet.into(),
            ..Default::default()
        };
        assert_eq!(fields(spec("", "")), [Field::Name]);
        assert_eq!(fields(spec("front", "")), [Field::Name]);
        assert_eq!(fields(spec("-x", "")), [Field::Name]);
        assert_eq!(fields(spec("back", "172.18.4.0/24")), [Field::Subnet]);
        assert_eq!(fields(spec("back", "172.18.4.1/24")), [Field::Subnet]);
        assert_eq!(
            fields(NetworkSpec { gateway: "10.0.0.1".into(), ..spec("back", "") }),
            [Field::Gateway]
        );
        assert_eq!(
            fields(NetworkSpec { options: vec!["novalue".into()], ..spec("back", "") }),
            [Field::Options]
        );
        assert!(plan(&spec("back", "172.19.0.0/16"), &existing).is_ok());
        let v6 = plan(&spec("six", "fd00:1::/64"), &existing).unwrap();
        assert_eq!(v6.to_create().enable_ipv6, Some(true));
        assert!(v6.to_cli().ends_with("--ipv6 six"));
    }
}
