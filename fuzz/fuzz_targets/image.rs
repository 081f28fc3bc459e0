#![no_main]
//! Any text into the image parser: it never panics, and what it accepts survives a round trip.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok((name, tag)) = spec::parse_image_ref(s) { assert!(!name.is_empty()); assert!(tag.map_or(true, |t| !t.is_empty())); }
});
