//! UTC millisecond times as the API writes them: ISO 8601 instants and `YYYY-MM-DD` days.

use chrono::{DateTime, NaiveDate};

/// Milliseconds in a day.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// `2026-10-25T01:30:12Z` for a UTC millisecond time.
pub(crate) fn iso(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `2026-10-25`: the UTC day of a millisecond time.
pub(crate) fn day_string(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

/// Parses a query-string time: an RFC 3339 instant, a `YYYY-MM-DD` day (its UTC midnight)
/// or UTC milliseconds.
pub(crate) fn parse(s: &str) -> Option<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Some(ms);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = parse("2026-10-25T01:30:12Z").unwrap();
        assert_eq!(iso(t), "2026-10-25T01:30:12Z");
        assert_eq!(day_string(t), "2026-10-25");
        assert_eq!(parse("2026-10-25").unwrap() % DAY_MS, 0);
        assert_eq!(parse("1000"), Some(1000));
        assert_eq!(parse("yesterday"), None);
    }
}
