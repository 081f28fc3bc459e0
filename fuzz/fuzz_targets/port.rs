#![no_main]
//! Any text into the port parser: it never panics, and what it accepts survives a round trip.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(p) = spec::parse_port(s) { assert_eq!(spec::parse_port(&p.to_flag()).as_ref(), Ok(&p)); }
});
