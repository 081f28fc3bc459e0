#![no_main]
//! Any bytes as a sequence of log frames into the decoder, as a log answer's body into the
//! demultiplexer, and as a timestamp into the stamp parser: none panics, every line is whole,
//! and a stamp that parses prints back to itself.

#[path = "../../src-tauri/engine/logs/frames.rs"]
#[allow(dead_code)]
mod frames;

use bollard::container::LogOutput;
use bytes::Bytes;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(stamp) = frames::parse_stamp_bytes(data) {
        if (0..253_402_300_800).contains(&stamp.0) {
            assert_eq!(frames::parse_stamp(&frames::stamp_string(stamp)), Some(stamp));
        }
    }
    // Frames: a kind byte, a length byte, then that many bytes.
    let mut dec = frames::Decoder::new(0);
    let mut out = Vec::new();
    let mut rest = data;
    while let [kind, len, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let message = Bytes::copy_from_slice(&tail[..n]);
        rest = &tail[n..];
        let frame = match kind % 3 {
            0 => LogOutput::StdOut { message },
            1 => LogOutput::StdErr { message },
            _ => LogOutput::Console { message },
        };
        dec.feed(frame, &mut out);
    }
    dec.finish(&mut out);
    // The same bytes as a log answer's body, split into frames by the demultiplexer and decoded.
    let mut demux = frames::Demux::default();
    let mut body = bytes::BytesMut::from(data);
    let mut dec = frames::Decoder::new(1);
    while let Some(frame) = demux.next(&mut body) {
        dec.feed(frame, &mut out);
    }
    if let Some(frame) = demux.finish(&mut body) {
        dec.feed(frame, &mut out);
    }
    dec.finish(&mut out);
    for line in &out {
        assert!(!line.text.contains('\n'), "a line holds no newline");
        assert!(line.ts.is_empty() || frames::parse_stamp(&line.ts).is_some(), "{:?}", line.ts);
    }
});
