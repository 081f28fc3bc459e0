#![no_main]
//! Any text into the env and label parsers: they never panic, and a row keeps its value exactly.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = spec::parse_env_block(s);
    let _ = spec::parse_key_value(s, "variable");
    let _ = spec::parse_label_row(s);
    if let Ok((k, v)) = spec::parse_env_row(s) {
        assert_eq!(format!("{k}={v}"), s.trim_start());
    }
});
