//! The engine's log frames as lines, and the timestamps that lead them. Pure and self-contained
//! (no engine, no runtime), so the fuzz target `fuzz/fuzz_targets/logs.rs` compiles this file
//! alone. Everything here takes any bytes and never panics.

use bollard::container::LogOutput;
use serde::Serialize;
use specta::Type;

/// Which output a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum Output {
    Out,
    Err,
}

/// One line of a container's output.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LogLine {
    /// Index of the container in the request (for merged logs).
    pub source: u32,
    pub stream: Output,
    /// The engine's RFC 3339 timestamp of the line.
    pub ts: String,
    /// The line without its newline; invalid UTF-8 replaced; escape sequences kept.
    pub text: String,
}

/// A point in a log: unix seconds and nanoseconds, parsed from the engine's RFC 3339 timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Stamp(pub i64, pub u32);

/// Parse `2026-11-28T09:30:00.123456789Z` (fraction optional, any length up to 9, `Z` or
/// `+hh:mm`). `None` when it is not such a timestamp.
pub fn parse_stamp(s: &str) -> Option<Stamp> {
    parse_stamp_bytes(s.as_bytes())
}

/// [`parse_stamp`] on bytes: it never slices text, so no input can split a character.
pub fn parse_stamp_bytes(b: &[u8]) -> Option<Stamp> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |part: &[u8]| -> Option<i64> {
        part.iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (y, mo, d) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
    let (h, mi, se) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let value = u32::try_from(num(&frac[..digits])?).ok()?;
        nanos = value * 10u32.pow(9 - digits as u32);
        rest = &frac[digits..];
    }
    let offset = match rest {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), hh @ .., b':', m1, m2] if hh.len() == 2 => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            sign * (num(hh)? * 3600 + num(&[*m1, *m2])? * 60)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Stamp(days * 86_400 + h * 3600 + mi * 60 + se - offset, nanos))
}

/// RFC 3339 with nanoseconds, UTC.
pub fn stamp_string(Stamp(secs, nanos): Stamp) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Turns the engine's log frames into lines. Frames from a multiplexed stream are one log entry
/// each (`<ts> <text>`, a long line split into several entries without a newline); a TTY
/// container's log is one byte stream with a timestamp at the start of each line.
#[derive(Default)]
pub struct Decoder {
    source: u32,
    /// Unfinished line per output (console, stdout, stderr), with the timestamp of its first part.
    carry: [(String, Vec<u8>); 3],
}

impl Decoder {
    pub fn new(source: u32) -> Self {
        Self { source, carry: Default::default() }
    }

    fn line(&self, stream: Output, ts: String, mut bytes: Vec<u8>) -> LogLine {
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        LogLine { source: self.source, stream, ts, text }
    }

    /// Add one frame; every line it completes goes to `out`.
    pub fn feed(&mut self, frame: LogOutput, out: &mut Vec<LogLine>) {
        let (stream, key, bytes, framed) = match frame {
            LogOutput::StdOut { message } => (Output::Out, 1usize, message, true),
            LogOutput::StdErr { message } => (Output::Err, 2, message, true),
            LogOutput::Console { message } => (Output::Out, 0, message, false),
            LogOutput::StdIn { .. } => return,
        };
        if framed {
            // `<ts> <text>`: the text joins whatever part of a long line came before.
            let (ts, text) = split_stamp(&bytes);
            // The common case, one whole line in one frame: no copy through the carry.
            if self.carry[key].1.is_empty()
                && memchr::memchr(b'\n', text) == Some(text.len().wrapping_sub(1))
            {
                out.push(self.line(stream, ts, text[..text.len() - 1].to_vec()));
                return;
            }
            let (first_ts, buf) = &mut self.carry[key];
            if buf.is_empty() {
                *first_ts = ts;
            }
            buf.extend_from_slice(text);
            self.drain(key, stream, out, false);
        } else {
            self.carry[key].1.extend_from_slice(&bytes);
            self.drain(key, stream, out, true);
        }
    }

    /// Emit every complete line in the carry of `key`.
    fn drain(&mut self, key: usize, stream: Output, out: &mut Vec<LogLine>, stamped_lines: bool) {
        let (first_ts, buf) = &mut self.carry[key];
        let mut start = 0;
        let mut lines = Vec::new();
        while let Some(nl) = memchr::memchr(b'\n', &buf[start..]) {
            let raw = &buf[start..start + nl];
            if stamped_lines {
                let (ts, text) = split_stamp(raw);
                lines.push((ts, text.to_vec()));
            } else {
                lines.push((std::mem::take(first_ts), raw.to_vec()));
            }
            start += nl + 1;
        }
        buf.drain(..start);
        for (ts, bytes) in lines {
            out.push(self.line(stream, ts, bytes));
        }
    }

    /// The stream ended: whatever is left is a last line without a newline.
    pub fn finish(&mut self, out: &mut Vec<LogLine>) {
        for key in 0..3 {
            let (ts, buf) = std::mem::take(&mut self.carry[key]);
            if buf.is_empty() {
                continue;
            }
            let stream = if key == 2 { Output::Err } else { Output::Out };
            let (ts, bytes) = if key == 0 {
                let (t, rest) = split_stamp(&buf);
                (t, rest.to_vec())
            } else {
                (ts, buf)
            };
            out.push(self.line(stream, ts, bytes));
        }
    }
}

/// Splits a log answer's body into the engine's frames. A container without a TTY has its log
/// multiplexed: each entry an 8-byte header (`[stream, 0, 0, 0]` and the size, big-endian) then
/// that many bytes. A TTY container's log is one byte stream; its first byte (a timestamp's
/// digit) is never a stream number, which is how the two are told apart, once, at the start.
#[derive(Default)]
pub struct Demux {
    /// Decided by the body's first byte.
    multiplexed: Option<bool>,
}

impl Demux {
    /// The next whole frame at the start of `buf`, taken out of it; `None` until more bytes come.
    pub fn next(&mut self, buf: &mut bytes::BytesMut) -> Option<LogOutput> {
        let &first = buf.first()?;
        if !*self.multiplexed.get_or_insert(first <= 2) {
            return Some(LogOutput::Console { message: buf.split().freeze() });
        }
        if buf.len() < 8 {
            return None;
        }
        let size = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]) as usize;
        if buf.len() - 8 < size {
            // Room for the frame (the engine's are at most 16 KiB; a garbled size is not trusted),
            // so the next read does not grow the buffer piecemeal.
            buf.reserve((8 + size - buf.len()).min(1 << 16));
            return None;
        }
        let kind = buf[0];
        let mut frame = buf.split_to(8 + size);
        let message = frame.split_off(8).freeze();
        Some(match kind {
            1 => LogOutput::StdOut { message },
            2 => LogOutput::StdErr { message },
            0 => LogOutput::StdIn { message },
            // Not a stream number: the frame is kept as console output rather than lost.
            _ => LogOutput::Console { message },
        })
    }

    /// The body ended: a cut-off frame's bytes, if any, as console output.
    pub fn finish(&mut self, buf: &mut bytes::BytesMut) -> Option<LogOutput> {
        (!buf.is_empty()).then(|| LogOutput::Console { message: buf.split().freeze() })
    }
}

/// Split `<rfc3339> <rest>` into the timestamp and the rest; no timestamp gives an empty one.
fn split_stamp(bytes: &[u8]) -> (String, &[u8]) {
    match memchr::memchr(b' ', &bytes[..bytes.len().min(40)]) {
        // A stamp that parses is ASCII.
        Some(sp) if parse_stamp_bytes(&bytes[..sp]).is_some() => {
            (String::from_utf8_lossy(&bytes[..sp]).into_owned(), &bytes[sp + 1..])
        }
        _ => (String::new(), bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use proptest::prelude::*;

    #[test]
    fn stamps_parse_with_any_fraction_and_offset() {
        let a = parse_stamp("2026-11-28T09:30:00.123456789Z").unwrap();
        assert_eq!(a, Stamp(1_795_858_200, 123_456_789));
        assert_eq!(parse_stamp("2026-11-28T09:30:00.12Z").unwrap(), Stamp(a.0, 120_000_000));
        assert_eq!(parse_stamp("2026-11-28T09:30:00Z").unwrap(), Stamp(a.0, 0));
        assert_eq!(parse_stamp("2026-11-28T10:30:00+01:00").unwrap(), Stamp(a.0, 0));
        assert_eq!(parse_stamp("2026-11-28T08:00:00-01:30").unwrap(), Stamp(a.0, 0));
        assert_eq!(parse_stamp("1970-01-01T00:00:00Z").unwrap(), Stamp(0, 0));
        for bad in [
            "",
            "hello",
            "2026-13-01T00:00:00Z",
            "2026-11-28T09:30:00.Z",
            "2026-11-28 09:30:00Z",
            "2026-11-28T09:30:00.1234567891Z",
            "2026-11-28T09:30:00+1:00",
            "+026-11-28T09:30:00Z",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad}");
        }
        assert_eq!(stamp_string(a), "2026-11-28T09:30:00.123456789Z");
        assert_eq!(parse_stamp(&stamp_string(Stamp(86_399, 5))), Some(Stamp(86_399, 5)));
    }

    #[test]
    fn text_that_is_not_ascii_where_a_stamp_would_be_is_no_stamp() {
        // Each of these once cut a character in two (and panicked) in the text-slicing parser.
        for s in [
            "2026-11-28T09:30:00é1:00",
            "2026-11-28T09:30:00+é:00",
            "2026-11-28T09:30:00.1é",
            "2026-11-28T09:30:0é",
            "2026-11-28T09:3é:00Z",
            "２026-11-28T09:30:00Z",
        ] {
            assert_eq!(parse_stamp(s), None, "{s}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn stamps_never_panic_and_print_back(s in "\\PC{0,40}", secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000) {
            let _ = parse_stamp(&s);
            let stamp = Stamp(secs, nanos);
            prop_assert_eq!(parse_stamp(&stamp_string(stamp)), Some(stamp));
        }

        #[test]
        fn any_frames_decode_without_panic(frames in proptest::collection::vec((0u8..3, proptest::collection::vec(any::<u8>(), 0..64)), 0..8)) {
            let mut dec = Decoder::new(0);
            let mut out = Vec::new();
            for (kind, bytes) in frames {
                let message = Bytes::from(bytes);
                dec.feed(match kind {
                    0 => LogOutput::StdOut { message },
                    1 => LogOutput::StdErr { message },
                    _ => LogOutput::Console { message },
                }, &mut out);
            }
            dec.finish(&mut out);
            prop_assert!(out.iter().all(|l| !l.text.contains('\n')));
        }

        #[test]
        fn multiplexed_frames_come_back_whole_however_the_reads_split(
            frames in proptest::collection::vec((1u8..3, proptest::collection::vec(any::<u8>(), 0..40)), 0..8),
            cuts in proptest::collection::vec(1usize..30, 0..40),
        ) {
            let mut body = Vec::new();
            for (kind, bytes) in &frames {
                body.extend_from_slice(&[*kind, 0, 0, 0]);
                body.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
                body.extend_from_slice(bytes);
            }
            let got = demux_in_reads(&body, &cuts);
            let want: Vec<(u8, Vec<u8>)> = frames;
            prop_assert_eq!(got, want);
        }

        #[test]
        fn a_tty_stream_comes_back_byte_for_byte(
            text in proptest::collection::vec(any::<u8>(), 1..200),
            cuts in proptest::collection::vec(1usize..30, 0..40),
        ) {
            let mut body = b"2026-11-28T09:30:00Z ".to_vec();
            body.extend_from_slice(&text);
            let got = demux_in_reads(&body, &cuts);
            prop_assert!(got.iter().all(|(kind, _)| *kind == 9), "all console: {:?}", got);
            let all: Vec<u8> = got.into_iter().flat_map(|(_, b)| b).collect();
            prop_assert_eq!(all, body);
        }
    }

    /// `body` read in pieces of the sizes in `cuts` (the rest at once) through a [`Demux`]: each
    /// frame as its stream number (9 for console output) and bytes.
    fn demux_in_reads(body: &[u8], cuts: &[usize]) -> Vec<(u8, Vec<u8>)> {
        let mut demux = Demux::default();
        let mut buf = bytes::BytesMut::new();
        let mut got = Vec::new();
        let mut take = |f: LogOutput| {
            got.push(match f {
                LogOutput::StdIn { message } => (0, message.to_vec()),
                LogOutput::StdOut { message } => (1, message.to_vec()),
                LogOutput::StdErr { message } => (2, message.to_vec()),
                LogOutput::Console { message } => (9, message.to_vec()),
            })
        };
        let mut rest = body;
        for &n in cuts.iter().chain(std::iter::once(&usize::MAX)) {
            let (now, later) = rest.split_at(n.min(rest.len()));
            buf.extend_from_slice(now);
            rest = later;
            while let Some(f) = demux.next(&mut buf) {
                take(f);
            }
        }
        if let Some(f) = demux.finish(&mut buf) {
            take(f);
        }
        got
    }

    fn frame(out: bool, s: &str) -> LogOutput {
        let message = Bytes::from(s.as_bytes().to_vec());
        if out {
            LogOutput::StdOut { message }
        } else {
            LogOutput::StdErr { message }
        }
    }

    #[test]
    fn frames_become_tagged_lines_and_split_entries_join() {
        let mut dec = Decoder::new(3);
        let mut out = Vec::new();
        dec.feed(frame(true, "2026-11-28T09:30:00.1Z hello\n"), &mut out);
        dec.feed(frame(false, "2026-11-28T09:30:00.2Z oops\n"), &mut out);
        dec.feed(frame(true, "2026-11-28T09:30:00.3Z long "), &mut out);
        dec.feed(frame(true, "2026-11-28T09:30:00.4Z line\r\n"), &mut out);
        dec.feed(frame(true, "2026-11-28T09:30:00.5Z bad \u{1b}[31m"), &mut out);
        dec.feed(
            LogOutput::StdOut { message: Bytes::from_static(b"2026-11-28T09:30:00.6Z \xff\n") },
            &mut out,
        );
        let got: Vec<_> =
            out.iter().map(|l| (l.source, l.stream, l.ts.as_str(), l.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (3, Output::Out, "2026-11-28T09:30:00.1Z", "hello"),
                (3, Output::Err, "2026-11-28T09:30:00.2Z", "oops"),
                (3, Output::Out, "2026-11-28T09:30:00.3Z", "long line"),
                (3, Output::Out, "2026-11-28T09:30:00.5Z", "bad \u{1b}[31m\u{fffd}"),
            ]
        );
    }

    #[test]
    fn a_tty_byte_stream_splits_anywhere_and_keeps_its_last_line() {
        let mut dec = Decoder::new(0);
        let mut out = Vec::new();
        for part in [
            "2026-11-28T09:30:00.1Z a\r",
            "\n2026-11-28T09:3",
            "0:00.2Z b\r\n2026-11-28T09:30:00.3Z c",
        ] {
            dec.feed(
                LogOutput::Console { message: Bytes::from(part.as_bytes().to_vec()) },
                &mut out,
            );
        }
        dec.finish(&mut out);
        let got: Vec<_> = out.iter().map(|l| (l.ts.as_str(), l.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("2026-11-28T09:30:00.1Z", "a"),
                ("2026-11-28T09:30:00.2Z", "b"),
                ("2026-11-28T09:30:00.3Z", "c")
            ]
        );
    }
}
