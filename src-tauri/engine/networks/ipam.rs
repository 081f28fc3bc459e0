//! Address ranges for `docker network create --subnet --gateway --ip-range`: parsed as the
//! docker CLI reads them (`net.ParseCIDR`, `net.ParseIP`) and checked as the engine checks them
//! (a gateway or range needs a subnet and must lie in it), plus what newer engines refuse and
//! 1.41 stores silently: a subnet with host bits set. Plain `std`, so the fuzzer can take it whole.

use std::fmt;
use std::net::IpAddr;

/// An address block: `10.1.0.0/16`, `fd00:1::/64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(a) => (u32::from(a) as u128, 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    }
}

fn from_bits(v: u128, width: u8) -> IpAddr {
    if width == 32 {
        IpAddr::V4((v as u32).into())
    } else {
        IpAddr::V6(v.into())
    }
}

/// The mask of a `prefix`-bit network in a `width`-bit address.
fn mask(prefix: u8, width: u8) -> u128 {
    let all = if width == 32 { u32::MAX as u128 } else { u128::MAX };
    all & !all.checked_shr(u32::from(prefix)).unwrap_or(0)
}

impl Cidr {
    fn width(&self) -> u8 {
        bits(self.addr).1
    }

    fn network(&self) -> u128 {
        let (v, w) = bits(self.addr);
        v & mask(self.prefix, w)
    }

    pub fn is_v6(&self) -> bool {
        self.addr.is_ipv6()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (v, w) = bits(ip);
        w == self.width() && v & mask(self.prefix, w) == self.network()
    }

    /// `other` lies wholly inside this block.
    pub fn covers(&self, other: &Cidr) -> bool {
        other.width() == self.width() && other.prefix >= self.prefix && self.contains(other.addr)
    }

    /// The two blocks share an address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.covers(other) || other.covers(self)
    }
}

/// One IP address, as `net.ParseIP` reads it (no zone, no brackets, no leading zeros in IPv4).
pub fn parse_ip(input: &str) -> Result<IpAddr, String> {
    let s = input.trim();
    s.parse::<IpAddr>()
        .map_err(|_| format!("“{s}” is not an IP address (write 172.20.0.1 or fd00::1)"))
}

/// `ADDRESS/PREFIX`, as `net.ParseCIDR` reads it, and on the block's first address.
pub fn parse_cidr(input: &str) -> Result<Cidr, String> {
    let s = input.trim();
    let Some((addr, prefix)) = s.split_once('/') else {
        return Err(format!("“{s}” needs a prefix length: write it as 172.20.0.0/16"));
    };
    let addr =
        addr.parse::<IpAddr>().map_err(|_| format!("“{addr}” in “{s}” is not an IP address"))?;
    let width = bits(addr).1;
    let prefix = match prefix.parse::<u8>() {
        Ok(p) if p <= width && prefix.bytes().all(|b| b.is_ascii_digit()) => p,
        _ => return Err(format!("“/{prefix}” is not a prefix length from 0 to {width}")),
    };
    let cidr = Cidr { addr, prefix };
    let network = from_bits(cidr.network(), width);
    if network != addr {
        return Err(format!(
            "“{s}” is not the first address of its block: write {network}/{prefix}"
        ));
    }
    Ok(cidr)
}

/// Which of the three fields a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpamField {
    Subnet,
    Gateway,
    IpRange,
}

/// The three fields, parsed and checked against each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpamPlan {
    pub subnet: Option<Cidr>,
    pub gateway: Option<IpAddr>,
    pub ip_range: Option<Cidr>,
}

/// Empty fields are left to the engine (it picks a free subnet and its first address).
pub fn check_ipam(
    subnet: &str,
    gateway: &str,
    ip_range: &str,
) -> Result<IpamPlan, Vec<(IpamField, String)>> {
    let mut problems = Vec::new();
    let mut field = |f: IpamField, text: &str, parse: &dyn Fn(&str) -> Result<(), String>| {
        if !text.trim().is_empty() {
            if let Err(e) = parse(text) {
                problems.push((f, e));
            }
        }
    };
    field(IpamField::Subnet, subnet, &|s| parse_cidr(s).map(drop));
    field(IpamField::Gateway, gateway, &|s| parse_ip(s).map(drop));
    field(IpamField::IpRange, ip_range, &|s| parse_cidr(s).map(drop));
    if !problems.is_empty() {
        return Err(problems);
    }
    let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    let plan = IpamPlan {
        subnet: opt(subnet).map(|s| parse_cidr(&s).expect("checked")),
        gateway: opt(gateway).map(|s| parse_ip(&s).expect("checked")),
        ip_range: opt(ip_range).map(|s| parse_cidr(&s).expect("checked")),
    };
    match plan.subnet {
        None => {
            if plan.gateway.is_some() {
                problems.push((IpamField::Gateway, "a gateway needs a subnet to lie in".into()));
            }
            if plan.ip_range.is_some() {
                problems.push((IpamField::IpRange, "an IP range needs a subnet to lie in".into()));
            }
        }
        Some(net) => {
            if let Some(gw) = plan.gateway.filter(|gw| !net.contains(*gw)) {
                problems.push((IpamField::Gateway, format!("{gw} is not in the subnet {net}")));
            }
            if let Some(range) = plan.ip_range.filter(|r| !net.covers(r)) {
                problems
                    .push((IpamField::IpRange, format!("{range} is not inside the subnet {net}")));
            }
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn blocks_as_the_cli_reads_them() {
        assert_eq!(parse_cidr("10.77.0.0/16").unwrap().to_string(), "10.77.0.0/16");
        assert_eq!(parse_cidr(" fd00:1::/64 ").unwrap().to_string(), "fd00:1::/64");
        assert!(parse_cidr("0.0.0.0/0").is_ok());
        assert!(parse_cidr("::/0").is_ok());
        assert!(parse_cidr("fd00::1/128").unwrap().contains("fd00::1".parse().unwrap()));
        for bad in [
            "10.77.0.0",
            "10.77.0.0/33",
            "10.77.0.0/-1",
            "10.77.0.0/+8",
            "10.77.0/16",
            "010.1.0.0/16",
            "fd00::/129",
            "fe80::%eth0/64",
            "[fd00::]/64",
            "/16",
            "10.0.0.0/",
        ] {
            assert!(parse_cidr(bad).is_err(), "{bad} was accepted");
        }
        let e = parse_cidr("10.77.0.5/16").unwrap_err();
        assert!(e.contains("10.77.0.0/16"), "{e}");
    }

    #[test]
    fn the_three_fields_agree_with_each_other() {
        let ok = check_ipam("10.77.0.0/16", "10.77.1.1", "10.77.1.0/24").unwrap();
        assert_eq!(ok.gateway, Some("10.77.1.1".parse().unwrap()));
        assert_eq!(check_ipam("", "", ""), Ok(IpamPlan::default()));
        let only = |s: &str, g: &str, r: &str| {
            check_ipam(s, g, r).unwrap_err().into_iter().map(|p| p.0).collect::<Vec<_>>()
        };
        assert_eq!(only("", "10.77.1.1", ""), [IpamField::Gateway]);
        assert_eq!(only("", "", "10.77.1.0/24"), [IpamField::IpRange]);
        assert_eq!(only("10.77.0.0/16", "10.78.0.1", ""), [IpamField::Gateway]);
        assert_eq!(only("10.77.0.0/16", "", "10.78.1.0/24"), [IpamField::IpRange]);
        assert_eq!(only("10.77.0.0/24", "", "10.77.0.0/16"), [IpamField::IpRange]);
        assert_eq!(only("fd00::/64", "10.0.0.1", ""), [IpamField::Gateway]);
        assert_eq!(only("nope", "nope", "nope").len(), 3);
    }

    #[test]
    fn overlaps() {
        let a = parse_cidr("172.18.0.0/16").unwrap();
        assert!(a.overlaps(&parse_cidr("172.18.5.0/24").unwrap()));
        assert!(a.overlaps(&parse_cidr("172.0.0.0/8").unwrap()));
        assert!(!a.overlaps(&parse_cidr("172.19.0.0/16").unwrap()));
        assert!(!a.overlaps(&parse_cidr("fd00::/8").unwrap()));
    }

    proptest! {
        #[test]
        fn any_text_is_refused_or_printed_back_the_same(s in "\\PC{0,40}") {
            if let Ok(c) = parse_cidr(&s) {
                prop_assert_eq!(parse_cidr(&c.to_string()), Ok(c));
            }
        }

        #[test]
        fn every_v4_block_holds_its_own_addresses(a: u32, p in 0u8..=32, off: u32) {
            let net = a & (mask(p, 32) as u32);
            let c = parse_cidr(&format!("{}/{p}", std::net::Ipv4Addr::from(net))).unwrap();
            let inside = net | (off & !(mask(p, 32) as u32));
            prop_assert!(c.contains(IpAddr::V4(inside.into())));
            prop_assert!(c.covers(&c));
        }
    }
}
