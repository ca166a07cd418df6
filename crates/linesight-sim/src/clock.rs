//! UK civil time for the simulated period, and hand-rolled date/time formatting.
//!
//! Offsets come from `chrono-tz` (Europe/London); the transitions inside the period are
//! found once, so converting a row's instant is a comparison, not a zone lookup. Local
//! times are always derived from real instants, so they never fall in the spring gap.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Europe::London;

/// Seconds since the Unix epoch, UTC.
pub(crate) type Instant = i64;

/// UK offsets over a period.
#[derive(Clone, Debug)]
pub(crate) struct UkClock {
    base_offset: i32,
    /// (first UTC instant of the new offset, new offset in seconds).
    transitions: Vec<(Instant, i32)>,
}

fn offset_at_chrono(t: Instant) -> i32 {
    let dt = chrono::DateTime::from_timestamp(t, 0)
        .expect("instant in range")
        .naive_utc();
    London.offset_from_utc_datetime(&dt).fix().local_minus_utc()
}

impl UkClock {
    /// Offsets from `start` for `days` days (plus a day of margin either side).
    pub(crate) fn new(start: NaiveDate, days: u32) -> Self {
        let t0 = midnight_utc(start) - 86_400;
        let base_offset = offset_at_chrono(t0);
        let mut transitions = Vec::new();
        let mut prev = base_offset;
        for d in 1..=i64::from(days) + 2 {
            let t = t0 + d * 86_400;
            let off = offset_at_chrono(t);
            if off != prev {
                // Binary search the first second of the new offset.
                let (mut lo, mut hi) = (t - 86_400, t);
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2;
                    if offset_at_chrono(mid) == prev {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                transitions.push((hi, off));
                prev = off;
            }
        }
        Self {
            base_offset,
            transitions,
        }
    }

    /// UTC offset in force at `t`.
    pub(crate) fn offset(&self, t: Instant) -> i32 {
        let mut off = self.base_offset;
        for &(at, o) in &self.transitions {
            if t >= at {
                off = o;
            }
        }
        off
    }

    /// Local wall-clock seconds since the epoch for instant `t`.
    pub(crate) fn local(&self, t: Instant) -> i64 {
        t + i64::from(self.offset(t))
    }

    /// The instant of a local wall-clock time: `None` in the spring gap; in the autumn
    /// overlap the earlier instant, or the later one when `later` is set.
    pub(crate) fn utc_of_local(&self, local: i64, later: bool) -> Option<Instant> {
        let mut offsets = vec![self.base_offset];
        offsets.extend(self.transitions.iter().map(|&(_, o)| o));
        let mut found: Option<Instant> = None;
        for o in offsets {
            let t = local - i64::from(o);
            if self.local(t) == local {
                found = Some(match found {
                    None => t,
                    Some(f) if later => f.max(t),
                    Some(f) => f.min(t),
                });
            }
        }
        found
    }

    /// Local wall-clock seconds at which spring-forward gaps start (there is no wall time
    /// from there for one hour), for noise rows.
    pub(crate) fn gaps(&self) -> Vec<i64> {
        let mut prev = self.base_offset;
        let mut out = Vec::new();
        for &(at, o) in &self.transitions {
            if o > prev {
                out.push(at + i64::from(prev));
            }
            prev = o;
        }
        out
    }
}

/// UTC midnight at the start of a date.
pub(crate) fn midnight_utc(d: NaiveDate) -> Instant {
    NaiveDateTime::from(d).and_utc().timestamp()
}

/// (year, month, day) from days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Wall-clock parts of seconds since the epoch: (year, month, day, h, m, s).
pub(crate) fn parts(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400) as u32;
    (y, mo, d, sod / 3600, sod / 60 % 60, sod % 60)
}

/// Appends `v` zero-padded to `width` digits.
pub(crate) fn push_num(buf: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = 20;
    let mut x = v;
    loop {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    let len = 20 - i;
    for _ in len..width {
        buf.push(b'0');
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// `2026-09-01T08:15:02Z`.
pub(crate) fn push_iso_utc(buf: &mut Vec<u8>, t: Instant) {
    let (y, mo, d, h, mi, s) = parts(t);
    push_date(buf, y, mo, d);
    buf.push(b'T');
    push_hms(buf, h, mi, s);
    buf.push(b'Z');
}

/// `YYYY-MM-DD`.
pub(crate) fn push_date(buf: &mut Vec<u8>, y: i64, mo: u32, d: u32) {
    push_num(buf, y as u64, 4);
    buf.push(b'-');
    push_num(buf, u64::from(mo), 2);
    buf.push(b'-');
    push_num(buf, u64::from(d), 2);
}

/// `HH:MM:SS`.
pub(crate) fn push_hms(buf: &mut Vec<u8>, h: u32, m: u32, s: u32) {
    push_num(buf, u64::from(h), 2);
    buf.push(b':');
    push_num(buf, u64::from(m), 2);
    buf.push(b':');
    push_num(buf, u64::from(s), 2);
}

/// ISO UTC instant as a `String` (truth files; not on the hot path).
pub(crate) fn iso(t: Instant) -> String {
    let mut b = Vec::with_capacity(20);
    push_iso_utc(&mut b, t);
    String::from_utf8(b).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn october_change_is_found() {
        let c = UkClock::new(d(2026, 10, 18), 14);
        // 25 Oct 2026 01:00 UTC: BST ends.
        let at = midnight_utc(d(2026, 10, 25)) + 3600;
        assert_eq!(c.offset(at - 1), 3600);
        assert_eq!(c.offset(at), 0);
        // 01:30 local happens twice.
        let local = midnight_utc(d(2026, 10, 25)) + 5400;
        assert_eq!(c.utc_of_local(local, false), Some(at - 1800));
        assert_eq!(c.utc_of_local(local, true), Some(at + 1800));
        assert!(c.gaps().is_empty());
    }

    #[test]
    fn march_gap_is_found() {
        let c = UkClock::new(d(2026, 3, 20), 20);
        let gap = midnight_utc(d(2026, 3, 29)) + 3600;
        assert_eq!(c.gaps(), vec![gap]);
        assert_eq!(c.utc_of_local(gap + 600, false), None);
    }

    #[test]
    fn formats_by_hand() {
        let t = midnight_utc(d(2024, 2, 29)) + 8 * 3600 + 15 * 60 + 2;
        assert_eq!(iso(t), "2024-02-29T08:15:02Z");
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        let mut b = Vec::new();
        push_num(&mut b, 7, 3);
        push_num(&mut b, 12345, 2);
        assert_eq!(b, b"00712345");
    }
}
