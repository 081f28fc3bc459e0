//! Creation times as the lists show them, in the machine's time zone (the C library's: `TZ`,
//! else `/etc/localtime`). They are made here rather than in the page because the page's own
//! local-time functions (`Date#getHours` and the like) start ICU's time-zone data in WebKit's web
//! process (its cost is in `docs/performance.md`).

use serde::Serialize;
use specta::Type;

/// A moment as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LocalTime {
    /// Compact: "14:02" today, "Nov 27 14:02" this year, "Nov 27 2025" before; "–" when the
    /// engine does not know.
    pub short: String,
    /// In full, for a tooltip: "2026-11-27 14:02:33"; empty when the engine does not know.
    pub full: String,
}

/// The calendar fields of a moment in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Reads the time zone once. Call while the process is still single-threaded: afterwards the C
/// library converts without looking at the environment again, which other threads may change.
pub fn init() {
    // The libc crate does not bind it; POSIX declares it so.
    unsafe extern "C" {
        fn tzset();
    }
    // SAFETY: tzset only reads the environment and sets the C library's time-zone state;
    // nothing else runs yet.
    unsafe { tzset() }
}

impl Fields {
    /// `epoch` (seconds since 1970, UTC) in the machine's time zone.
    pub fn local(epoch: i64) -> Option<Fields> {
        #[allow(clippy::useless_conversion)] // time_t is 32 bits on some targets
        let t: libc::time_t = epoch.try_into().ok()?;
        // SAFETY: an all-zero `tm` is a valid value (integers and a null zone name).
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers are valid for the call; localtime_r writes only `tm`.
        if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
            return None;
        }
        let small = |v: libc::c_int| u8::try_from(v).ok();
        Some(Fields {
            year: tm.tm_year.checked_add(1900)?,
            month: small(tm.tm_mon + 1)?,
            day: small(tm.tm_mday)?,
            hour: small(tm.tm_hour)?,
            minute: small(tm.tm_min)?,
            second: small(tm.tm_sec)?,
        })
    }

    /// Now, in local time.
    pub fn now() -> Option<Fields> {
        Fields::local(epoch_now())
    }
}

/// Now, in whole seconds since 1970 (UTC), as the engine counts times; 0 before 1970.
pub fn epoch_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// An RFC 3339 time as the engine writes it (`2026-12-02T03:47:21.196467507Z`, or with an
/// offset) in seconds since 1970; 0 when it is not one.
pub fn parse_rfc3339(s: &str) -> i64 {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let parsed = (|| {
        if b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        {
            return None;
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        let offset = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
                let o = num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60;
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return None,
        };
        // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
        let y = if mo <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (mo + if mo > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
    })();
    parsed.unwrap_or(0)
}

impl LocalTime {
    /// `epoch` as a list shows it, `today` being [`Fields::now`] (made once per list). The engine
    /// reports 0 when it does not know.
    pub fn of(epoch: i64, today: Option<&Fields>) -> LocalTime {
        match (epoch != 0).then(|| Fields::local(epoch)).flatten() {
            Some(at) => LocalTime::from_fields(&at, today),
            None => LocalTime { short: "–".into(), full: String::new() },
        }
    }

    fn from_fields(at: &Fields, today: Option<&Fields>) -> LocalTime {
        let time = format!("{:02}:{:02}", at.hour, at.minute);
        let day = format!("{} {}", MONTHS[usize::from(at.month - 1)], at.day);
        let full = format!("{:04}-{:02}-{:02} {time}:{:02}", at.year, at.month, at.day, at.second);
        let short = match today {
            Some(t) if (t.year, t.month, t.day) == (at.year, at.month, at.day) => time,
            Some(t) if t.year == at.year => format!("{day} {time}"),
            _ => format!("{day} {}", at.year),
        };
        LocalTime { short, full }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn engine_times_in_seconds() {
        use super::parse_rfc3339 as p;
        assert_eq!(p("1970-01-01T00:00:00Z"), 0);
        assert_eq!(p("2026-12-02T03:47:21.196467507Z"), 1_796_183_241);
        assert_eq!(p("2026-12-02T05:47:21+02:00"), 1_796_183_241);
        assert_eq!(p("2000-02-29T12:00:00Z"), 951_825_600);
        for bad in [
            "",
            "2026-12-02",
            "2026-13-02T00:00:00Z",
            "2026-12-02T03:47:21",
            "x026-12-02T03:47:21Z",
            "2026-12-02T03:47:21Zjunk",
        ] {
            assert_eq!(p(bad), 0, "{bad}");
        }
    }

    use super::*;

    fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Fields {
        Fields { year, month, day, hour, minute, second }
    }

    #[test]
    fn today_shows_the_time_this_year_the_day_and_before_the_year() {
        let now = at(2026, 11, 28, 15, 0, 0);
        let shown = |f: Fields| LocalTime::from_fields(&f, Some(&now));
        assert_eq!(shown(at(2026, 11, 28, 9, 5, 7)).short, "09:05");
        assert_eq!(shown(at(2026, 2, 3, 22, 41, 0)).short, "Feb 3 22:41");
        assert_eq!(shown(at(2025, 12, 31, 23, 0, 0)).short, "Dec 31 2025");
        // The same day of another month or year is not today.
        assert_eq!(shown(at(2026, 10, 28, 9, 5, 0)).short, "Oct 28 09:05");
        assert_eq!(shown(at(2025, 11, 28, 9, 5, 0)).short, "Nov 28 2025");
    }

    #[test]
    fn the_full_form_pads_every_field() {
        let t = LocalTime::from_fields(&at(2026, 1, 2, 3, 4, 5), None);
        assert_eq!(t.full, "2026-01-02 03:04:05");
        // Without a today to compare with, the year is shown.
        assert_eq!(t.short, "Jan 2 2026");
    }

    #[test]
    fn an_unknown_time_shows_a_dash() {
        let t = LocalTime::of(0, Fields::now().as_ref());
        assert_eq!(t, LocalTime { short: "–".into(), full: String::new() });
    }

    #[test]
    fn local_fields_are_utc_moved_by_whole_minutes() {
        // Whatever the machine's zone, local time differs from UTC by whole minutes, less than
        // a day, and keeps the seconds.
        let epoch = 1_795_934_173; // 2026-11-29 05:56:13 UTC
        let f = Fields::local(epoch).expect("a time the C library converts");
        assert_eq!(f.second, 13);
        let local_minutes = i64::from(f.hour) * 60 + i64::from(f.minute);
        let utc_minutes = 5 * 60 + 56;
        let day_shift = match (f.year, f.month, f.day) {
            (2026, 11, 29) => 0,
            (2026, 11, 30) => 1,
            (2026, 11, 28) => -1,
            other => panic!("{other:?} is more than a day from 2026-11-29"),
        };
        let offset = day_shift * 24 * 60 + local_minutes - utc_minutes;
        assert!(offset.abs() <= 14 * 60, "offset {offset} minutes");
    }
}
