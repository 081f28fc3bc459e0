#![no_main]
//! Any text into the words parser: it never panics, and what it accepts survives a round trip.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(words) = spec::split_words(s) { let line: Vec<String> = words.iter().map(|w| spec::shell_quote(w)).collect(); assert_eq!(spec::split_words(&line.join(" ")).unwrap(), words); }
});
