//! Phone numbers, normalised to E.164 under UK national rules.
//!
//! Operators write the same number as `07700 900123`, `+447700900123`, `447700900123`,
//! `00447700900123` or `+44 (0)7700 900123`. Everything above this module sees one form:
//! `+447700900123`. Short codes (`118118`) and alphanumeric SMS sender ids (`NHSGP`)
//! cannot be written in E.164 and are kept as they are, marked by [`Msisdn::is_e164`].

use std::fmt;

/// A normalised party identifier: E.164 (`+` and 8–15 digits), a national short code
/// (digits only), or an alphanumeric sender id.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Msisdn(String);

/// Why a number could not be normalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Nothing but separators.
    #[error("empty number")]
    Empty,
    /// A character that no number format uses.
    #[error("number {0:?} contains characters that are not digits")]
    BadCharacter(String),
    /// Digits, but no rule makes a valid number of them.
    #[error("number {0:?} has a length no UK or international rule accepts")]
    BadLength(String),
}

impl Msisdn {
    /// Normalises a number as an operator wrote it.
    ///
    /// Rules, in order:
    /// 1. Strip spaces, `-`, `.`, `(`, `)` and a UK trunk `(0)` after `+44`.
    /// 2. `+CC…` and `00CC…` are international: kept as `+CC…` if 8–15 digits.
    /// 3. `44` followed by 9–10 digits is a UK number written without `+`.
    /// 4. `0` followed by 9–10 digits is a UK national number: `0` becomes `+44`.
    /// 5. 3–6 digits not starting with `0` are a short code, kept as digits.
    /// 6. Text starting with a letter, up to 11 letters and digits, is an SMS sender id.
    pub fn normalise(raw: &str) -> Result<Self, NumberError> {
        let trimmed = raw.trim();
        if trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let ok = trimmed.len() <= 11 && trimmed.bytes().all(|b| b.is_ascii_alphanumeric());
            return if ok {
                Ok(Self(trimmed.to_owned()))
            } else {
                Err(NumberError::BadCharacter(raw.to_owned()))
            };
        }
        // Fast path for the forms exports mostly use (`+44…`, `07…`, `44…`): only digits
        // after an optional `+`, so none of the cleaning below applies.
        let (plus, bare) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()) {
            return Self::from_digits(raw, plus, bare);
        }
        let cleaned = trimmed.replace("(0)", "");
        let mut plus = false;
        let mut digits = String::with_capacity(cleaned.len());
        for (i, c) in cleaned.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(NumberError::BadCharacter(raw.to_owned())),
            }
        }
        if digits.is_empty() {
            return Err(NumberError::Empty);
        }
        Self::from_digits(raw, plus, &digits)
    }

    /// Rules 2–5 of [`Msisdn::normalise`] on a cleaned run of digits.
    fn from_digits(raw: &str, plus: bool, digits: &str) -> Result<Self, NumberError> {
        let bad_len = || NumberError::BadLength(raw.to_owned());
        let international = if plus {
            Some(digits)
        } else {
            digits.strip_prefix("00")
        };
        if let Some(intl) = international {
            return Self::international(intl).ok_or_else(bad_len);
        }
        let n = digits.len();
        if digits.starts_with("44") && (11..=12).contains(&n) {
            return Self::international(digits).ok_or_else(bad_len);
        }
        if let Some(national) = digits.strip_prefix('0') {
            if (9..=10).contains(&national.len()) && !national.starts_with('0') {
                return Ok(Self(format!("+44{national}")));
            }
            return Err(bad_len());
        }
        if (3..=6).contains(&n) {
            return Ok(Self(digits.to_owned()));
        }
        Err(bad_len())
    }

    /// `+CC…` from country-code-first digits, applying UK length rules to `44`.
    fn international(digits: &str) -> Option<Self> {
        if let Some(nsn) = digits.strip_prefix("44") {
            let nsn = nsn.strip_prefix('0').unwrap_or(nsn);
            return ((9..=10).contains(&nsn.len()) && !nsn.starts_with('0'))
                .then(|| Self(format!("+44{nsn}")));
        }
        ((8..=15).contains(&digits.len()) && !digits.starts_with('0'))
            .then(|| Self(format!("+{digits}")))
    }

    /// Wraps a string already in normalised form (read back from storage). No checks.
    pub fn from_normalised(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a full international number (`+` and digits).
    pub fn is_e164(&self) -> bool {
        self.0.starts_with('+')
    }

    /// True for a UK mobile number (`+447…`).
    pub fn is_uk_mobile(&self) -> bool {
        self.0.starts_with("+447")
    }

    /// The UK national form (`07700900123`), for exports that write numbers that way.
    /// Non-UK numbers and short codes are returned unchanged.
    pub fn to_uk_national(&self) -> String {
        match self.0.strip_prefix("+44") {
            Some(nsn) => format!("0{nsn}"),
            None => self.0.clone(),
        }
    }

    /// The international form without `+` (`447700900123`).
    pub fn to_international_digits(&self) -> &str {
        self.0.strip_prefix('+').unwrap_or(&self.0)
    }
}

impl fmt::Display for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Msisdn({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn n(s: &str) -> String {
        Msisdn::normalise(s).unwrap().to_string()
    }

    #[test]
    fn uk_forms_agree() {
        for s in [
            "07700900123",
            "07700 900123",
            "+447700900123",
            "447700900123",
            "00447700900123",
            "+44 (0)7700 900123",
            "+44-7700-900-123",
        ] {
            assert_eq!(n(s), "+447700900123", "{s}");
        }
        assert_eq!(n("01223 123456"), "+441223123456");
        assert_eq!(n("+33 6 12 34 56 78"), "+33612345678");
        assert_eq!(n("118118"), "118118");
        assert_eq!(n("NHSGP"), "NHSGP");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(matches!(Msisdn::normalise(""), Err(NumberError::Empty)));
        assert!(matches!(
            Msisdn::normalise("07700x900123"),
            Err(NumberError::BadCharacter(_))
        ));
        assert!(matches!(
            Msisdn::normalise("0770090"),
            Err(NumberError::BadLength(_))
        ));
        assert!(matches!(
            Msisdn::normalise("077009001234567"),
            Err(NumberError::BadLength(_))
        ));
        assert!(Msisdn::normalise("SENDER_TOO_LONG").is_err());
    }

    proptest! {
        /// Every way an operator writes a UK mobile normalises to the same E.164 number.
        #[test]
        fn uk_mobile_formats_normalise_alike(nsn in "7[0-9]{9}", sep in prop::sample::select(vec!["", " ", "-"])) {
            let want = format!("+44{nsn}");
            let (head, tail) = nsn.split_at(4);
            for form in [
                format!("0{nsn}"),
                format!("0{head}{sep}{tail}"),
                format!("+44{nsn}"),
                format!("44{nsn}"),
                format!("0044{nsn}"),
                format!("+44 (0){head}{sep}{tail}"),
            ] {
                prop_assert_eq!(n(&form), want.clone());
            }
        }

        /// Normalising is idempotent, and the national form round-trips.
        #[test]
        fn normalise_is_idempotent(raw in "[0+][0-9 ]{8,14}") {
            if let Ok(m) = Msisdn::normalise(&raw) {
                prop_assert_eq!(Msisdn::normalise(m.as_str()).unwrap(), m.clone());
                prop_assert_eq!(Msisdn::normalise(&m.to_uk_national()).unwrap(), m);
            }
        }

        /// Arbitrary text never panics the normaliser.
        #[test]
        fn never_panics(raw in "\\PC{0,24}") {
            let _ = Msisdn::normalise(&raw);
        }
    }
}
