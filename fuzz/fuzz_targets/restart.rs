#![no_main]
//! Any text into the restart parser: it never panics, and what it accepts survives a round trip.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = spec::parse_restart(s); let _ = spec::check_name(s); let _ = spec::check_user(s); let _ = spec::check_workdir(s);
});
