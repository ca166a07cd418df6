//! Durations in the forms operators write them: plain seconds (`125`), `HH:MM:SS` or
//! `H:MM:SS` (`00:02:05`), `M:SS` with minutes possibly above 59 (`2:05`, `75:00`),
//! unit suffixes (`2m5s`, `1h2m3s`, `45s`) and ISO 8601 (`PT2M5S`).

/// Which forms a profile accepts. A fixed form is strict, so junk in a column is caught;
/// `auto` accepts every form above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationFormat {
    /// Whole seconds.
    Seconds,
    /// `H:MM:SS` (hours any number of digits).
    Hms,
    /// `M:SS` (minutes any number of digits).
    MinSec,
    /// Any supported form.
    Auto,
}

impl DurationFormat {
    fn expected(self) -> &'static str {
        match self {
            Self::Seconds => "whole seconds such as 125",
            Self::Hms => "H:MM:SS such as 00:02:05",
            Self::MinSec => "M:SS such as 2:05",
            Self::Auto => "seconds (125), H:MM:SS, M:SS, 2m5s or PT2M5S",
        }
    }
}

/// Parses a duration to seconds, or says what was wrong and what was expected.
pub fn parse_duration(s: &str, format: DurationFormat) -> Result<u32, String> {
    let t = s.trim();
    let parsed = match format {
        DurationFormat::Seconds => digits(t),
        DurationFormat::Hms => colon(t).filter(|p| p.len() == 3).and_then(|p| combine(&p)),
        DurationFormat::MinSec => colon(t).filter(|p| p.len() == 2).and_then(|p| combine(&p)),
        DurationFormat::Auto => digits(t)
            .or_else(|| colon(t).and_then(|p| combine(&p)))
            .or_else(|| units(t))
            .or_else(|| iso(t)),
    };
    parsed.ok_or_else(|| {
        if t.is_empty() {
            format!("duration is empty; expected {}", format.expected())
        } else {
            format!(
                "duration {t:?} is not valid; expected {}",
                format.expected()
            )
        }
    })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Splits `a:b[:c]` into numbers; the parts after the first must be two digits below 60.
fn colon(s: &str) -> Option<Vec<u64>> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut out = Vec::with_capacity(3);
    for (i, p) in parts.iter().enumerate() {
        let v = u64::from(digits(p)?);
        if i > 0 && (p.len() != 2 || v > 59) {
            return None;
        }
        out.push(v);
    }
    Some(out)
}

fn combine(parts: &[u64]) -> Option<u32> {
    let total = parts
        .iter()
        .try_fold(0u64, |acc, &p| acc.checked_mul(60)?.checked_add(p))?;
    u32::try_from(total).ok()
}

/// `1h2m3s`, `2m5s`, `45s`, `1h`: units in order h, m, s, each at most once.
fn units(s: &str) -> Option<u32> {
    unit_groups(&s.to_ascii_lowercase(), &['h', 'm', 's'])
}

/// ISO 8601 `PT1H2M3S` (the time part only; days are not used for calls).
fn iso(s: &str) -> Option<u32> {
    let rest = s.strip_prefix("PT").or_else(|| s.strip_prefix("pt"))?;
    unit_groups(&rest.to_ascii_lowercase(), &['h', 'm', 's'])
}

fn unit_groups(s: &str, order: &[char]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut next_unit = 0;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let pos = order.iter().position(|&u| u == c)?;
        if pos < next_unit || num.is_empty() {
            return None;
        }
        let v = u64::from(digits(&num)?);
        total = total.checked_add(v.checked_mul([3600, 60, 1][pos])?)?;
        num.clear();
        next_unit = pos + 1;
    }
    if !num.is_empty() {
        return None;
    }
    u32::try_from(total).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::DurationFormat::*;
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(parse_duration("125", Seconds), Ok(125));
        assert_eq!(parse_duration("00:02:05", Hms), Ok(125));
        assert_eq!(parse_duration("1:02:05", Hms), Ok(3725));
        assert_eq!(parse_duration("2:05", MinSec), Ok(125));
        assert_eq!(parse_duration("75:00", MinSec), Ok(4500));
        assert_eq!(parse_duration("2m5s", Auto), Ok(125));
        assert_eq!(parse_duration("1h2m3s", Auto), Ok(3723));
        assert_eq!(parse_duration("PT2M5S", Auto), Ok(125));
        assert_eq!(parse_duration("PT1H", Auto), Ok(3600));
        for bad in [
            "",
            "-1",
            "1:60",
            "1:5",
            "abc",
            "2s5m",
            "PT",
            "1::2",
            "99999999999",
        ] {
            assert!(parse_duration(bad, Auto).is_err(), "{bad}");
        }
        assert!(parse_duration("2:05", Seconds).is_err());
        assert!(parse_duration("125", Hms).unwrap_err().contains("H:MM:SS"));
    }

    proptest! {
        /// Any duration written in any supported form parses back to itself.
        #[test]
        fn every_form_round_trips(n in 0u32..400_000) {
            let (h, m, s) = (n / 3600, n / 60 % 60, n % 60);
            let forms = [
                (n.to_string(), Seconds),
                (format!("{h:02}:{m:02}:{s:02}"), Hms),
                (format!("{h}:{m:02}:{s:02}"), Hms),
                (format!("{}:{s:02}", n / 60), MinSec),
                (format!("{}m{s}s", n / 60), Auto),
                (format!("{h}h{m}m{s}s"), Auto),
                (format!("PT{h}H{m}M{s}S"), Auto),
            ];
            for (text, fmt) in forms {
                prop_assert_eq!(parse_duration(&text, fmt), Ok(n), "{}", text);
                prop_assert_eq!(parse_duration(&text, Auto), Ok(n), "{}", text);
            }
        }
    }
}
