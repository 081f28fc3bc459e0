#![no_main]
//! Any text into the network address parsers: they never panic, and what they accept prints
//! back to itself.

#[path = "../../src-tauri/engine/networks/ipam.rs"]
#[allow(dead_code)]
mod ipam;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(c) = ipam::parse_cidr(s) {
        assert_eq!(ipam::parse_cidr(&c.to_string()), Ok(c));
        assert!(c.contains(c.addr));
    }
    let mut parts = s.splitn(3, '|');
    let (a, b, c) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if let Ok(plan) = ipam::check_ipam(a, b, c) {
        if let (Some(net), Some(gw)) = (plan.subnet, plan.gateway) {
            assert!(net.contains(gw));
        }
    }
});
