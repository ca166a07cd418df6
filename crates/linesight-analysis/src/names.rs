//! Line names from intelligence. Call records carry no message text, so a line's brand
//! ("the Bando line") is known only where intelligence names one of its numbers. The
//! analyst supplies those as a CSV (`number,name,source`); each found line whose numbers
//! include a listed one takes the name, with the report it came from.

use std::collections::BTreeMap;

use linesight_model::Msisdn;

use crate::Line;

/// Why a line-names file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line-names row {row}, field `{field}`: {message}")]
pub struct LineNamesError {
    /// 1-based row number (the header is row 1).
    pub row: u64,
    /// The column at fault.
    pub field: &'static str,
    /// What was wrong, and what to do.
    pub message: String,
}

/// Line names by (normalised) number: the name and the report behind it.
#[derive(Clone, Debug, Default)]
pub struct LineNames {
    by_number: BTreeMap<String, (String, String)>,
}

impl LineNames {
    /// Reads `number,name[,source]` CSV text with a header row.
    pub fn parse_csv(text: &str) -> Result<Self, LineNamesError> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let bad = |row: u64, field, message: String| LineNamesError {
            row,
            field,
            message,
        };
        let header = r
            .headers()
            .map_err(|e| bad(1, "header", e.to_string()))?
            .clone();
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(num), Some(name)) = (find("number"), find("name")) else {
            return Err(bad(
                1,
                "header",
                "expected the columns number,name[,source]".to_owned(),
            ));
        };
        let source = find("source");
        let mut out = Self::default();
        for (i, rec) in r.records().enumerate() {
            let row = i as u64 + 2;
            let rec = rec.map_err(|e| bad(row, "row", e.to_string()))?;
            let raw = rec.get(num).unwrap_or_default();
            let number = Msisdn::normalise(raw).map_err(|e| bad(row, "number", e.to_string()))?;
            let line_name = rec.get(name).unwrap_or_default();
            if line_name.is_empty() {
                return Err(bad(row, "name", "the name is empty".to_owned()));
            }
            let src = source
                .and_then(|s| rec.get(s))
                .filter(|s| !s.is_empty())
                .unwrap_or("line-names file");
            out.by_number.insert(
                number.as_str().to_owned(),
                (line_name.to_owned(), src.to_owned()),
            );
        }
        Ok(out)
    }

    /// Names each line after the first of its numbers (in order of use) that intelligence
    /// names.
    pub(crate) fn apply(&self, lines: &mut [Line]) {
        for l in lines {
            if let Some((name, src)) = l.numbers.iter().find_map(|n| self.by_number.get(&n.number))
            {
                l.brand = Some(name.clone());
                l.brand_source = Some(src.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineNumber;

    fn line(numbers: &[&str]) -> Line {
        Line {
            line_id: "LS0001".to_owned(),
            numbers: numbers
                .iter()
                .map(|n| LineNumber {
                    number: (*n).to_owned(),
                    ..LineNumber::default()
                })
                .collect(),
            ..Line::default()
        }
    }

    #[test]
    fn names_a_line_by_any_of_its_numbers_in_any_format() {
        let names =
            LineNames::parse_csv("number,name,source\n07700 900123,Bando,IR-00042\n").unwrap();
        let mut lines = vec![
            line(&["+447700900999", "+447700900123"]),
            line(&["+447700900555"]),
        ];
        names.apply(&mut lines);
        assert_eq!(lines[0].brand.as_deref(), Some("Bando"));
        assert_eq!(lines[0].brand_source.as_deref(), Some("IR-00042"));
        assert_eq!(lines[1].brand, None);
    }

    #[test]
    fn bad_rows_name_the_row_and_field() {
        let e = LineNames::parse_csv("number,name\n07700900123,Bando\nnot a number,Tiny\n")
            .unwrap_err();
        assert_eq!((e.row, e.field), (3, "number"));
        let e = LineNames::parse_csv("number,name\n07700900123,\n").unwrap_err();
        assert_eq!((e.row, e.field), (2, "name"));
        let e = LineNames::parse_csv("phone,brand\n").unwrap_err();
        assert_eq!(e.field, "header");
    }
}
