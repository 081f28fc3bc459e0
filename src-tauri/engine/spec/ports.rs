//! `-p`: published ports, as `docker run` reads them.

use std::net::IpAddr;

use bollard::models::PortBinding;

use super::{Invalid, Parsed};

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

pub(super) fn parse_port_number(s: &str, what: &str) -> Parsed<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad!("{what} \"{s}\" is not a number"));
    }
    match s.parse::<u32>() {
        Ok(n) if (1..=65535).contains(&n) => Ok(n as u16),
        _ => Err(bad!("{what} {s} is out of range (1-65535)")),
    }
}

pub(super) fn parse_port_range(s: &str, what: &str) -> Parsed<(u16, u16)> {
    match s.split_once('-') {
        None => parse_port_number(s, what).map(|p| (p, p)),
        Some((a, b)) => {
            let (a, b) = (parse_port_number(a, what)?, parse_port_number(b, what)?);
            if a > b {
                return Err(bad!("{what} range {s} runs backwards"));
            }
            Ok((a, b))
        }
    }
}

/// `[ip:][host[-end]:]container[-end][/tcp|udp|sctp]`, read as the docker CLI reads it
/// (go-connections `nat.ParsePortSpec`): the protocol in any case (none means tcp); an IPv6
/// address with or without brackets (everything before the last two parts is the address); an
/// empty address (`:8080:80`) means every interface.
pub fn parse_port(input: &str) -> Parsed<PortSpec> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty port: write e.g. 8080:80".into());
    }
    let (rest, protocol) = match s.rsplit_once('/') {
        None => (s, Protocol::Tcp),
        Some((r, p)) => match p.to_ascii_lowercase().as_str() {
            "" | "tcp" => (r, Protocol::Tcp),
            "udp" => (r, Protocol::Udp),
            "sctp" => (r, Protocol::Sctp),
            _ => return Err(bad!("unknown protocol \"{p}\": use tcp, udp or sctp")),
        },
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", None, *c),
        [h, c] => ("", Some(*h), *c),
        [a, h, c] => (*a, Some(*h), *c),
        [.., h, c] => (&rest[..rest.len() - h.len() - c.len() - 2], Some(*h), *c),
        [] => ("", None, ""),
    };
    if container.is_empty() {
        return Err("no container port: write e.g. 8080:80".into());
    }
    let ip = match ip {
        "" => None,
        a => {
            let bare = a.strip_prefix('[').and_then(|a| a.strip_suffix(']')).unwrap_or(a);
            Some(bare.parse::<IpAddr>().map_err(|_| format!("\"{a}\" is not an IP address"))?)
        }
    };
    let container = parse_port_range(container, "container port")?;
    let host = match host {
        None | Some("") => None,
        Some(h) => Some(parse_port_range(h, "host port")?),
    };
    if let Some(h) = host {
        let (hn, cn) = (h.1 - h.0, container.1 - container.0);
        if hn != cn && cn != 0 {
            return Err(bad!(
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
    pub(super) fn bindings(&self) -> Vec<(String, PortBinding)> {
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
        // As the CLI reads them: the address without brackets, none at all, any case.
        assert_eq!(parse_port("::1:80:80").unwrap().to_flag(), "[::1]:80:80");
        assert_eq!(parse_port(":8080:80").unwrap().to_flag(), "8080:80");
        assert_eq!(parse_port("80/UDP").unwrap().protocol, Protocol::Udp);
        assert_eq!(parse_port("80/").unwrap().protocol, Protocol::Tcp);
    }

    #[test]
    fn bad_ports_say_why() {
        assert!(parse_port("80:0").unwrap_err().contains("out of range"));
        assert!(parse_port("http").unwrap_err().contains("not a number"));
        assert!(parse_port("8080:80/icmp").unwrap_err().contains("unknown protocol"));
        assert!(parse_port("8000-8001:80-82").unwrap_err().contains("2 ports"));
        assert!(parse_port("300.1.1.1:80:80").unwrap_err().contains("not an IP"));
        assert!(parse_port("90-80:80").unwrap_err().contains("backwards"));
        assert!(parse_port("80:").unwrap_err().contains("no container port"));
        assert!(parse_port("[::1:80:80").unwrap_err().contains("not an IP"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn port_like_text_never_panics(s in "[0-9:\\-/\\[\\]a-f.tcpudsc]{0,24}") {
                if let Ok(p) = parse_port(&s) {
                    // What parses prints back to text that parses to the same thing.
                    prop_assert_eq!(parse_port(&p.to_flag()).unwrap(), p);
                }
            }
        }
    }
}
