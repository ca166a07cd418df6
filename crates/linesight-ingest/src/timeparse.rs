//! Dates and times: fast hand parsers for the common fixed layouts (chrono's general
//! parser is the fallback), and conversion of local wall-clock times to UTC with the gap
//! and overlap of clock changes handled as `docs/formats.md` specifies.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeZone};
use linesight_model::TimeNote;

use crate::profile::TimeZoneSpec;

/// How far back (seconds) an ambiguous local time may resolve relative to the previous
/// row of the same file, which is sorted by instant.
pub const FOLD_LOOKBACK_S: i64 = 0;

/// A compiled date-time format.
#[derive(Clone, Debug)]
pub(crate) enum DtParser {
    /// `%Y-%m-%dT%H:%M:%SZ`
    IsoZ,
    /// `%Y-%m-%d %H:%M:%S`
    YmdSpace,
    /// `%d/%m/%Y %H:%M:%S`
    DmySlash,
    /// Anything else, through chrono; `offset` when the format carries a UTC offset.
    Chrono { format: String, offset: bool },
}

/// A parsed time: local wall-clock seconds (as if UTC) or, for formats with an offset,
/// an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    Local(i64),
    Instant(i64),
}

impl DtParser {
    pub(crate) fn new(format: &str) -> Self {
        match format {
            "%Y-%m-%dT%H:%M:%SZ" => Self::IsoZ,
            "%Y-%m-%d %H:%M:%S" => Self::YmdSpace,
            "%d/%m/%Y %H:%M:%S" => Self::DmySlash,
            f => Self::Chrono {
                format: f.to_owned(),
                offset: f.contains("%z") || f.contains("%:z") || f.contains("%#z"),
            },
        }
    }

    fn format(&self) -> &str {
        match self {
            Self::IsoZ => "%Y-%m-%dT%H:%M:%SZ",
            Self::YmdSpace => "%Y-%m-%d %H:%M:%S",
            Self::DmySlash => "%d/%m/%Y %H:%M:%S",
            Self::Chrono { format, .. } => format,
        }
    }

    /// Parses `s`; on failure says what was wrong and what was expected.
    pub(crate) fn parse(&self, s: &str) -> Result<Parsed, String> {
        let b = s.as_bytes();
        let fast = match self {
            Self::IsoZ if b.len() == 20 && b[10] == b'T' && b[19] == b'Z' => {
                ymd_hms(b, b'-', b' ' | b'T')
            }
            Self::YmdSpace if b.len() == 19 && b[10] == b' ' => ymd_hms(b, b'-', b' '),
            Self::DmySlash if b.len() == 19 && b[10] == b' ' => dmy_hms(b),
            _ => None,
        };
        if let Some(secs) = fast {
            return Ok(Parsed::Local(secs));
        }
        // The slow path also accepts what the fast one does not (unpadded fields), and
        // gives the precise error.
        let fmt = self.format();
        let what = |e: chrono::ParseError| {
            if s.trim().is_empty() {
                format!("time is empty; expected {fmt}")
            } else {
                format!("time {s:?} is not a valid date and time ({e}); expected {fmt}")
            }
        };
        match self {
            Self::Chrono { offset: true, .. } => chrono::DateTime::parse_from_str(s.trim(), fmt)
                .map(|d| Parsed::Instant(d.timestamp()))
                .map_err(what),
            _ => NaiveDateTime::parse_from_str(s.trim(), fmt)
                .map(|d| Parsed::Local(d.and_utc().timestamp()))
                .map_err(what),
        }
    }
}

fn num(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// `YYYY?MM?DD?HH:MM:SS`
fn ymd_hms(b: &[u8], dsep: u8, _tsep: u8) -> Option<i64> {
    if b[4] != dsep || b[7] != dsep {
        return None;
    }
    civil(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?, &b[11..19])
}

/// `DD/MM/YYYY HH:MM:SS`
fn dmy_hms(b: &[u8]) -> Option<i64> {
    if b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    civil(num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?, &b[11..19])
}

fn civil(y: u32, m: u32, d: u32, hms: &[u8]) -> Option<i64> {
    if hms[2] != b':' || hms[5] != b':' {
        return None;
    }
    let (h, mi, s) = (num(&hms[0..2])?, num(&hms[3..5])?, num(&hms[6..8])?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(y, m, d)?;
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s))
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: u32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][(m - 1) as usize];
    if d > dim {
        return None;
    }
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Parses a date column to days since the epoch.
pub(crate) fn parse_date(s: &str, format: &str) -> Result<i32, String> {
    let t = s.trim();
    let b = t.as_bytes();
    if format == "%Y-%m-%d"
        && b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let Some(d) = (|| days_from_civil(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?))()
    {
        return i32::try_from(d).map_err(|_| format!("date {t:?} is out of range"));
    }
    NaiveDate::parse_from_str(t, format)
        .map_err(|e| format!("date {t:?} is not a valid date ({e}); expected {format}"))
        .and_then(|d| {
            let days = d
                .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch"))
                .num_days();
            i32::try_from(days).map_err(|_| format!("date {t:?} is out of range"))
        })
}

/// Converts one file's local times to UTC, in file order. Remembers the previous instant
/// (for the overlap rule) and the offset of the current local hour (so the zone rules
/// are consulted about once an hour of data, not once a row).
#[derive(Debug)]
pub(crate) struct Clock {
    tz: Option<chrono_tz::Tz>,
    /// Local hour (seconds / 3600) whose whole span has one known offset.
    cached_hour: i64,
    cached_offset: i64,
    prev: Option<i64>,
}

impl Clock {
    pub(crate) fn new(tz: TimeZoneSpec) -> Self {
        let tz = match tz {
            TimeZoneSpec::Utc => None,
            TimeZoneSpec::Zone(z) => Some(z),
        };
        Self {
            tz,
            cached_hour: i64::MIN,
            cached_offset: 0,
            prev: None,
        }
    }

    /// The UTC instant of a parsed time and how it was established, or why it is impossible.
    pub(crate) fn resolve(&mut self, t: Parsed) -> Result<(i64, TimeNote), String> {
        let (instant, note) = match (t, self.tz) {
            (Parsed::Instant(i), _) | (Parsed::Local(i), None) => (i, TimeNote::Exact),
            (Parsed::Local(local), Some(tz)) => self.local_to_utc(local, tz)?,
        };
        self.prev = Some(instant);
        Ok((instant, note))
    }

    fn local_to_utc(&mut self, local: i64, tz: chrono_tz::Tz) -> Result<(i64, TimeNote), String> {
        let hour = local.div_euclid(3600);
        if hour == self.cached_hour {
            return Ok((local - self.cached_offset, TimeNote::Exact));
        }
        let naive = |secs: i64| chrono::DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc());
        let offsets = |secs: i64| -> Vec<i64> {
            match naive(secs) {
                Some(n) => match tz.offset_from_local_datetime(&n) {
                    chrono::LocalResult::Single(o) => vec![i64::from(o.fix().local_minus_utc())],
                    chrono::LocalResult::Ambiguous(a, b) => {
                        vec![
                            i64::from(a.fix().local_minus_utc()),
                            i64::from(b.fix().local_minus_utc()),
                        ]
                    }
                    chrono::LocalResult::None => vec![],
                },
                None => vec![],
            }
        };
        // Cache the hour only when its first and last second agree on a single offset
        // (a zone never changes twice within an hour).
        let (start, end) = (offsets(hour * 3600), offsets(hour * 3600 + 3599));
        if start.len() == 1 && start == end {
            self.cached_hour = hour;
            self.cached_offset = start[0];
            return Ok((local - start[0], TimeNote::Exact));
        }
        let shown = naive(local)
            .map(|n| n.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        match offsets(local).as_slice() {
            [o] => Ok((local - o, TimeNote::Exact)),
            [] => Err(format!(
                "local time {shown} does not exist in {tz} (the clocks went forward over it); the row cannot be placed in time"
            )),
            [a, b, ..] => {
                let (first, second) = {
                    let (x, y) = (local - a, local - b);
                    (x.min(y), x.max(y))
                };
                let first_ok = self.prev.is_none_or(|p| first >= p - FOLD_LOOKBACK_S);
                Ok(if first_ok {
                    (first, TimeNote::FoldFirst)
                } else {
                    (second, TimeNote::FoldSecond)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    use super::*;

    fn london() -> Clock {
        Clock::new(TimeZoneSpec::Zone(chrono_tz::Europe::London))
    }

    fn local(s: &str) -> Parsed {
        DtParser::YmdSpace.parse(s).unwrap()
    }

    fn utc(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn fast_paths_agree_with_chrono() {
        for (p, s) in [
            (DtParser::IsoZ, "2026-09-01T08:15:02Z"),
            (DtParser::YmdSpace, "2026-02-28 23:59:59"),
            (DtParser::DmySlash, "29/02/2024 00:00:00"),
        ] {
            let fmt = p.format().to_owned();
            let want = NaiveDateTime::parse_from_str(s, &fmt)
                .unwrap()
                .and_utc()
                .timestamp();
            assert_eq!(p.parse(s), Ok(Parsed::Local(want)), "{s}");
        }
        assert!(DtParser::DmySlash.parse("29/02/2023 00:00:00").is_err());
        assert!(DtParser::YmdSpace.parse("2026-13-01 00:00:00").is_err());
        assert!(DtParser::YmdSpace.parse("2026-01-01 24:00:00").is_err());
        assert_eq!(
            DtParser::DmySlash.parse("1/9/2026 9:15:02"),
            DtParser::DmySlash.parse("01/09/2026 09:15:02")
        );
        let off = DtParser::new("%Y-%m-%dT%H:%M:%S%:z");
        assert_eq!(
            off.parse("2026-09-01T09:15:02+01:00"),
            Ok(Parsed::Instant(utc("2026-09-01T08:15:02Z")))
        );
        assert_eq!(parse_date("2026-09-01", "%Y-%m-%d"), Ok(20697));
        assert_eq!(parse_date("01/09/2026", "%d/%m/%Y"), Ok(20697));
        assert!(parse_date("2026-02-30", "%Y-%m-%d").is_err());
    }

    #[test]
    fn gap_is_refused_and_summer_time_applied() {
        let mut c = london();
        assert_eq!(
            c.resolve(local("2026-03-29 00:59:59")).unwrap(),
            (utc("2026-03-29T00:59:59Z"), TimeNote::Exact)
        );
        let e = c.resolve(local("2026-03-29 01:30:00")).unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        assert_eq!(
            c.resolve(local("2026-03-29 02:00:00")).unwrap(),
            (utc("2026-03-29T01:00:00Z"), TimeNote::Exact)
        );
        assert_eq!(
            c.resolve(local("2026-07-01 12:00:00")).unwrap().0,
            utc("2026-07-01T11:00:00Z")
        );
    }

    #[test]
    fn overlap_follows_file_order() {
        let mut c = london();
        // 01:50 BST, then 01:05 again (now GMT), then 01:55 GMT.
        assert_eq!(
            c.resolve(local("2026-10-25 00:59:00")).unwrap().1,
            TimeNote::Exact
        );
        assert_eq!(
            c.resolve(local("2026-10-25 01:50:00")).unwrap(),
            (utc("2026-10-25T00:50:00Z"), TimeNote::FoldFirst)
        );
        assert_eq!(
            c.resolve(local("2026-10-25 01:05:00")).unwrap(),
            (utc("2026-10-25T01:05:00Z"), TimeNote::FoldSecond)
        );
        assert_eq!(
            c.resolve(local("2026-10-25 01:20:00")).unwrap(),
            (utc("2026-10-25T01:20:00Z"), TimeNote::FoldSecond)
        );
        // Rows are sorted by instant: an earlier local time after a later one must be the
        // second occurrence, while an equal one is still the first.
        let mut c = london();
        c.resolve(local("2026-10-25 01:20:00")).unwrap();
        assert_eq!(
            c.resolve(local("2026-10-25 01:20:00")).unwrap().1,
            TimeNote::FoldFirst
        );
        assert_eq!(
            c.resolve(local("2026-10-25 01:12:00")).unwrap().1,
            TimeNote::FoldSecond
        );
    }

    fn london_local(t: i64) -> Parsed {
        let d = DateTime::<Utc>::from_timestamp(t, 0)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::London);
        local(&d.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    proptest! {
        /// Rows written in instant order (at most ten minutes apart, as a busy export is
        /// around a clock change) convert back to exactly their instants.
        #[test]
        fn local_round_trips_in_file_order(
            base in utc("2020-01-01T00:00:00Z")..utc("2030-12-31T00:00:00Z"),
            near_fold in any::<bool>(),
            steps in prop::collection::vec(1i64..=600, 1..80),
        ) {
            // Half the cases start just before an autumn change, to cross the fold.
            let start = if near_fold {
                let year = DateTime::<Utc>::from_timestamp(base, 0).unwrap().format("%Y").to_string().parse::<i32>().unwrap();
                let oct31 = chrono::NaiveDate::from_ymd_opt(year, 10, 31).unwrap();
                let back = i64::from(chrono::Datelike::weekday(&oct31).num_days_from_sunday());
                let sunday = oct31 - chrono::Duration::days(back);
                sunday.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() - 3 * 3600 + base.rem_euclid(3600)
            } else {
                base
            };
            let mut c = london();
            // A busy file has rows before these, as densely: without them the first reading
            // inside the repeated hour would be a guess.
            for back in (1..=12).rev() {
                c.resolve(london_local(start - back * 600)).unwrap();
            }
            let mut t = start;
            for s in steps {
                let (got, _) = c.resolve(london_local(t)).unwrap();
                prop_assert_eq!(got, t);
                t += s;
            }
        }

        /// Every local time in the spring-forward hour is rejected.
        #[test]
        fn gap_times_are_rejected(year in 2020i32..=2030, secs in 0u32..3600) {
            let mar31 = chrono::NaiveDate::from_ymd_opt(year, 3, 31).unwrap();
            let back = i64::from(chrono::Datelike::weekday(&mar31).num_days_from_sunday());
            let sunday = mar31 - chrono::Duration::days(back);
            let t = sunday.and_hms_opt(1, 0, 0).unwrap() + chrono::Duration::seconds(i64::from(secs));
            prop_assert!(london().resolve(Parsed::Local(t.and_utc().timestamp())).is_err());
        }
    }
}
