#![no_main]
//! Any text into the image reference parser: it never panics, and what it accepts prints back to
//! a reference that names the same repository and digest.

#[path = "../../src-tauri/engine/spec/mod.rs"]
#[allow(dead_code)]
mod spec;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(r) = spec::ImageRef::parse(s) {
        let again = spec::ImageRef::parse(&r.familiar()).expect("its own familiar form parses");
        assert_eq!((again.name(), &again.digest), (r.name(), &r.digest));
        assert!(spec::parse_image_ref(s).is_ok());
    }
});
