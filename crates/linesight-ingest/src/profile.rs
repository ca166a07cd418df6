//! Declarative profiles: a TOML file that says how one export layout maps onto the
//! canonical columns. Built-in profiles are compiled into the binary; users add their own
//! from folders. Every profile is validated on load, and errors name the file and key.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use linesight_model::{Direction, EventKind, Msisdn, NumberError};
use serde::Deserialize;

use crate::duration::DurationFormat;

/// The built-in profiles' TOML text, compiled in so the binary works from any folder.
const BUILTIN: [(&str, &str); 5] = [
    (
        "alba-cdr-v1.toml",
        include_str!("../../../profiles/alba-cdr-v1.toml"),
    ),
    (
        "brig-cdr-v1.toml",
        include_str!("../../../profiles/brig-cdr-v1.toml"),
    ),
    (
        "corv-cdr-v1.toml",
        include_str!("../../../profiles/corv-cdr-v1.toml"),
    ),
    (
        "cells-v1.toml",
        include_str!("../../../profiles/cells-v1.toml"),
    ),
    (
        "subscribers-v1.toml",
        include_str!("../../../profiles/subscribers-v1.toml"),
    ),
];

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The profile file or folder could not be read.
    #[error("could not read profile {}: {source}", path.display())]
    Io {
        /// File or folder.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key.
    #[error("profile {origin} is not a valid profile: {message}")]
    Syntax {
        /// Where the profile came from (file path or `builtin:<file>`).
        origin: String,
        /// The TOML parser's message, with line and column.
        message: String,
    },
    /// A key has a value the profile format does not allow.
    #[error("profile {origin}: key `{key}`: {message}")]
    Invalid {
        /// Where the profile came from.
        origin: String,
        /// The offending key (dotted for tables, e.g. `columns.start`).
        key: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// Two profiles share a name.
    #[error("profile name {name:?} is defined twice: in {first} and in {second}; rename one")]
    Duplicate {
        /// The name.
        name: String,
        /// Where it was first defined.
        first: String,
        /// Where it was defined again.
        second: String,
    },
}

/// What a profile reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    /// Operator call data: rows become `records`, merged into `events`.
    Events,
    /// A cell list: rows become `cells`.
    Cells,
    /// Subscriber checks: rows become `subscribers`.
    Subscribers,
}

impl ProfileKind {
    /// `events`, `cells` or `subscribers`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Events => "events",
            Self::Cells => "cells",
            Self::Subscribers => "subscribers",
        }
    }

    /// (required, optional) canonical columns.
    fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Events => (
                &["event_type", "served", "duration"],
                &[
                    "start",
                    "start_date",
                    "start_time",
                    "direction",
                    "other",
                    "imsi",
                    "imei",
                    "first_cell",
                    "last_cell",
                    "first_lac",
                    "first_ci",
                    "last_lac",
                    "last_ci",
                ],
            ),
            Self::Cells => (
                &[
                    "cell_id",
                    "lat",
                    "lon",
                    "azimuth",
                    "beamwidth",
                    "valid_from",
                ],
                &["operator", "valid_to"],
            ),
            Self::Subscribers => (
                &["number", "account_type"],
                &[
                    "operator",
                    "activation_date",
                    "registered_name",
                    "registered_address",
                    "date_of_birth",
                ],
            ),
        }
    }
}

/// Time zone of a profile's local times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeZoneSpec {
    /// Times are UTC (or carry their own offset).
    Utc,
    /// Times are local to an IANA zone, converted with its clock-change rules.
    Zone(chrono_tz::Tz),
}

/// How a file writes phone numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// Any form [`linesight_model::Msisdn::normalise`] recognises (`+44…`, `0044…`,
    /// `44…`, `07…`, `00CC…`).
    Auto,
    /// International digits without `+` (`447700900123`, `33612345678`): an all-digit
    /// value of 8 or more digits not starting with `0` is read as `+` and those digits.
    /// Shorter values are short codes.
    InternationalDigits,
}

impl NumberFormat {
    /// Normalises `raw` as this format writes numbers.
    pub fn normalise(self, raw: &str) -> Result<Msisdn, NumberError> {
        let t = raw.trim();
        if self == Self::InternationalDigits
            && t.len() >= 8
            && !t.starts_with('0')
            && t.bytes().all(|b| b.is_ascii_digit())
        {
            return Msisdn::normalise(&format!("+{t}"));
        }
        Msisdn::normalise(t)
    }
}

/// A validated profile.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Unique name, e.g. `alba-cdr-v1`.
    pub name: String,
    /// What it reads.
    pub kind: ProfileKind,
    /// One-line description.
    pub description: String,
    /// Operator name stored with every row (events need it; cells and subscribers use it
    /// when the file has no operator column).
    pub operator: Option<String>,
    /// MCC and MNC for cells given as LAC and CI only.
    pub network: Option<(u16, u16)>,
    /// Field separator byte.
    pub delimiter: u8,
    /// Zone of the file's times.
    pub timezone: TimeZoneSpec,
    /// chrono strftime format of the start time (applied to `"<date> <time>"` when the
    /// profile maps `start_date` and `start_time`).
    pub datetime_format: Option<String>,
    /// chrono strftime format of date-only columns.
    pub date_format: String,
    /// Accepted duration forms.
    pub duration_format: DurationFormat,
    /// How the file writes numbers, where the normaliser cannot tell by itself.
    pub number_format: NumberFormat,
    /// Canonical column name → header name in the file.
    pub columns: BTreeMap<String, String>,
    /// Raw event type → kind and, where the type says so, direction.
    pub event_types: HashMap<String, (EventKind, Option<Direction>)>,
    /// Raw direction → direction.
    pub directions: HashMap<String, Direction>,
    /// Raw account type → pay-as-you-go?
    pub payg_values: HashMap<String, bool>,
    /// Where it was loaded from (`builtin:<file>` or a path).
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: String,
    kind: String,
    description: Option<String>,
    operator: Option<String>,
    network: Option<String>,
    delimiter: String,
    timezone: Option<String>,
    datetime_format: Option<String>,
    date_format: Option<String>,
    duration_format: Option<String>,
    number_format: Option<String>,
    columns: BTreeMap<String, String>,
    #[serde(default)]
    event_types: BTreeMap<String, String>,
    #[serde(default)]
    directions: BTreeMap<String, String>,
    #[serde(default)]
    payg_values: BTreeMap<String, bool>,
}

impl Profile {
    /// Parses and validates a profile's TOML text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, ProfileError> {
        let raw: RawProfile = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        let bad = |key: &str, message: String| ProfileError::Invalid {
            origin: origin.to_owned(),
            key: key.to_owned(),
            message,
        };
        if raw.name.trim().is_empty() || raw.name.contains(char::is_whitespace) {
            return Err(bad(
                "name",
                "must be a non-empty name without spaces, e.g. \"acme-cdr-v1\"".into(),
            ));
        }
        let kind = match raw.kind.as_str() {
            "events" => ProfileKind::Events,
            "cells" => ProfileKind::Cells,
            "subscribers" => ProfileKind::Subscribers,
            other => {
                return Err(bad(
                    "kind",
                    format!("{other:?} is not a kind; expected events, cells or subscribers"),
                ));
            }
        };
        let delimiter = match raw.delimiter.as_bytes() {
            [b] if !b"\"\r\n".contains(b) && b.is_ascii() => *b,
            _ => {
                return Err(bad(
                    "delimiter",
                    format!(
                        "{:?} must be one ASCII character such as \",\", \";\" or \"\\t\"",
                        raw.delimiter
                    ),
                ));
            }
        };
        let timezone = match raw.timezone.as_deref() {
            None | Some("UTC") | Some("Etc/UTC") => TimeZoneSpec::Utc,
            Some(z) => TimeZoneSpec::Zone(z.parse().map_err(|_| {
                bad("timezone", format!("{z:?} is not an IANA time zone; expected \"UTC\" or a name such as \"Europe/London\""))
            })?),
        };
        let network = match raw.network.as_deref() {
            None => None,
            Some(n) => {
                let parsed = n
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
                match parsed {
                    Some((mcc, mnc)) if (200..=999).contains(&mcc) && mnc <= 999 => {
                        Some((mcc, mnc))
                    }
                    _ => {
                        return Err(bad(
                            "network",
                            format!("{n:?} must be MCC-MNC, e.g. \"234-15\""),
                        ));
                    }
                }
            }
        };
        let check_format = |key: &str, f: &str| -> Result<(), ProfileError> {
            if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
                return Err(bad(
                    key,
                    format!("{f:?} is not a valid chrono strftime format"),
                ));
            }
            Ok(())
        };
        if let Some(f) = &raw.datetime_format {
            check_format("datetime_format", f)?;
        }
        let date_format = raw.date_format.unwrap_or_else(|| "%Y-%m-%d".into());
        check_format("date_format", &date_format)?;
        let duration_format = match raw.duration_format.as_deref() {
            None | Some("auto") => DurationFormat::Auto,
            Some("seconds") => DurationFormat::Seconds,
            Some("hms") => DurationFormat::Hms,
            Some("min_sec") => DurationFormat::MinSec,
            Some(o) => {
                return Err(bad(
                    "duration_format",
                    format!("{o:?}; expected seconds, hms, min_sec or auto"),
                ));
            }
        };
        let number_format = match raw.number_format.as_deref() {
            None | Some("auto") | Some("e164") | Some("national") => NumberFormat::Auto,
            Some("international_digits") => NumberFormat::InternationalDigits,
            Some(o) => {
                return Err(bad(
                    "number_format",
                    format!("{o:?}; expected auto or international_digits"),
                ));
            }
        };

        let (required, optional) = kind.columns();
        for (canon, header) in &raw.columns {
            if !required.contains(&canon.as_str()) && !optional.contains(&canon.as_str()) {
                let mut all: Vec<&str> = required.iter().chain(optional).copied().collect();
                all.sort_unstable();
                return Err(bad(
                    &format!("columns.{canon}"),
                    format!(
                        "is not a canonical column of a {} profile; expected one of {}",
                        kind.as_str(),
                        all.join(", ")
                    ),
                ));
            }
            if header.trim().is_empty() {
                return Err(bad(
                    &format!("columns.{canon}"),
                    "header name is empty".into(),
                ));
            }
        }
        for r in required {
            if !raw.columns.contains_key(*r) {
                return Err(bad(
                    &format!("columns.{r}"),
                    format!("is required for a {} profile", kind.as_str()),
                ));
            }
        }
        let has = |c: &str| raw.columns.contains_key(c);

        let mut event_types = HashMap::new();
        let mut directions = HashMap::new();
        if kind == ProfileKind::Events {
            match (has("start"), has("start_date"), has("start_time")) {
                (true, false, false) | (false, true, true) => {}
                _ => {
                    return Err(bad(
                        "columns.start",
                        "give either `start` (one date-time column) or both `start_date` and `start_time`".into(),
                    ));
                }
            }
            if raw.datetime_format.is_none() {
                return Err(bad(
                    "datetime_format",
                    "is required for an events profile, e.g. \"%Y-%m-%dT%H:%M:%SZ\"".into(),
                ));
            }
            if raw.operator.as_deref().is_none_or(|o| o.trim().is_empty()) {
                return Err(bad(
                    "operator",
                    "is required for an events profile (it is stored with every record)".into(),
                ));
            }
            for end in ["first", "last"] {
                let full = has(&format!("{end}_cell"));
                let (lac, ci) = (has(&format!("{end}_lac")), has(&format!("{end}_ci")));
                if lac != ci || (full && lac) {
                    return Err(bad(
                        &format!("columns.{end}_cell"),
                        format!("give either `{end}_cell` or both `{end}_lac` and `{end}_ci`"),
                    ));
                }
                if lac && network.is_none() {
                    return Err(bad(
                        "network",
                        "is required when cells are given as LAC and CI columns".into(),
                    ));
                }
            }
            if raw.event_types.is_empty() {
                return Err(bad(
                    "event_types",
                    "must map at least one raw event type to a kind".into(),
                ));
            }
            for (raw_dir, v) in &raw.directions {
                let d = v
                    .parse::<Direction>()
                    .map_err(|e| bad(&format!("directions.{raw_dir}"), e))?;
                directions.insert(raw_dir.clone(), d);
            }
            for (raw_type, v) in &raw.event_types {
                let key = format!("event_types.{raw_type}");
                let (k, d) = match v.split_once('/') {
                    Some((k, d)) => (k, Some(d.parse::<Direction>().map_err(|e| bad(&key, e))?)),
                    None => (v.as_str(), None),
                };
                let kind = k.parse::<EventKind>().map_err(|e| bad(&key, e))?;
                if d.is_none() && (!has("direction") || directions.is_empty()) {
                    return Err(bad(
                        &key,
                        format!(
                            "{v:?} gives no direction, and the profile has no `direction` column with [directions]; write \"{k}/out\" or \"{k}/in\""
                        ),
                    ));
                }
                event_types.insert(raw_type.clone(), (kind, d));
            }
        }
        let mut payg_values = HashMap::new();
        if kind == ProfileKind::Subscribers {
            if raw.payg_values.is_empty() {
                return Err(bad(
                    "payg_values",
                    "must list the raw account types, e.g. PAYG = true, CONTRACT = false".into(),
                ));
            }
            payg_values = raw.payg_values.into_iter().collect();
        }
        if kind != ProfileKind::Events && !has("operator") && raw.operator.is_none() {
            return Err(bad(
                "operator",
                "give an `operator` column or an `operator` value for the whole file".into(),
            ));
        }
        Ok(Self {
            name: raw.name,
            kind,
            description: raw.description.unwrap_or_default(),
            operator: raw.operator,
            network,
            delimiter,
            timezone,
            datetime_format: raw.datetime_format,
            date_format,
            duration_format,
            number_format,
            columns: raw.columns,
            event_types,
            directions,
            payg_values,
            origin: origin.to_owned(),
        })
    }
}

/// The profiles compiled into the binary.
pub fn builtin_profiles() -> Vec<Profile> {
    BUILTIN
        .iter()
        .map(|(file, text)| {
            Profile::from_toml(text, &format!("builtin:{file}"))
                .expect("built-in profiles are valid")
        })
        .collect()
}

/// Built-in profiles plus every `*.toml` in the given folders (a path to a single file is
/// accepted too). Names must be unique.
pub fn load_profiles(extra: &[PathBuf]) -> Result<Vec<Profile>, ProfileError> {
    let mut out = builtin_profiles();
    for dir in extra {
        let mut files = Vec::new();
        if dir.is_file() {
            files.push(dir.clone());
        } else {
            let rd = std::fs::read_dir(dir).map_err(|source| ProfileError::Io {
                path: dir.clone(),
                source,
            })?;
            for e in rd {
                let p = e
                    .map_err(|source| ProfileError::Io {
                        path: dir.clone(),
                        source,
                    })?
                    .path();
                if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
        }
        for f in files {
            out.push(load_file(&f)?);
        }
    }
    for (i, p) in out.iter().enumerate() {
        if let Some(q) = out[..i].iter().find(|q| q.name == p.name) {
            return Err(ProfileError::Duplicate {
                name: p.name.clone(),
                first: q.origin.clone(),
                second: p.origin.clone(),
            });
        }
    }
    Ok(out)
}

fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
        path: path.to_owned(),
        source,
    })?;
    Profile::from_toml(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn international_digits_are_read_as_international() {
        let f = NumberFormat::InternationalDigits;
        assert_eq!(f.normalise("33612345678").unwrap().as_str(), "+33612345678");
        assert_eq!(
            f.normalise("447700900123").unwrap().as_str(),
            "+447700900123"
        );
        assert_eq!(f.normalise("118118").unwrap().as_str(), "118118");
        assert_eq!(f.normalise("GPLUTON").unwrap().as_str(), "GPLUTON");
        // Under the default rules the same digits are not a valid number.
        assert!(NumberFormat::Auto.normalise("33612345678").is_err());
    }

    use super::*;

    #[test]
    fn builtins_load() {
        let p = builtin_profiles();
        assert_eq!(p.len(), 5);
        let brig = p.iter().find(|p| p.name == "brig-cdr-v1").unwrap();
        assert_eq!(brig.delimiter, b';');
        assert_eq!(brig.network, Some((234, 82)));
        assert_eq!(
            brig.event_types["SMSMT"],
            (EventKind::Sms, Some(Direction::Incoming))
        );
        assert!(matches!(brig.timezone, TimeZoneSpec::Zone(_)));
    }

    #[test]
    fn errors_name_the_key() {
        let base = include_str!("../../../profiles/alba-cdr-v1.toml");
        let cases = [
            (
                base.replace("kind = \"events\"", "kind = \"calls\""),
                "kind",
            ),
            (
                base.replace("timezone = \"UTC\"", "timezone = \"Mars/Olympus\""),
                "timezone",
            ),
            (
                base.replace("VOICE = \"voice\"", "VOICE = \"video\""),
                "event_types.VOICE",
            ),
            (
                base.replace("served = \"served_msisdn\"", "servd = \"served_msisdn\""),
                "columns.servd",
            ),
            (
                base.replace("delimiter = \",\"", "delimiter = \",,\""),
                "delimiter",
            ),
            (
                base.replace(
                    "duration_format = \"seconds\"",
                    "duration_format = \"fortnights\"",
                ),
                "duration_format",
            ),
        ];
        for (text, key) in cases {
            let e = Profile::from_toml(&text, "x.toml").unwrap_err().to_string();
            assert!(
                e.contains(&format!("`{key}`")) && e.contains("x.toml"),
                "{e}"
            );
        }
        let e = Profile::from_toml(&format!("{base}\nbogus = 1\n"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus") && e.contains("x.toml"), "{e}");
    }

    #[test]
    fn extra_folder_and_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let text = include_str!("../../../profiles/alba-cdr-v1.toml");
        std::fs::write(
            dir.path().join("a.toml"),
            text.replace("alba-cdr-v1", "acme-v1"),
        )
        .unwrap();
        let all = load_profiles(&[dir.path().to_owned()]).unwrap();
        assert!(all.iter().any(|p| p.name == "acme-v1"));
        std::fs::write(dir.path().join("b.toml"), text).unwrap();
        let e = load_profiles(&[dir.path().to_owned()]).unwrap_err();
        assert!(matches!(e, ProfileError::Duplicate { .. }), "{e}");
    }
}
