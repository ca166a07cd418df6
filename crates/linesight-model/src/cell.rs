//! Radio cells. A cell serves an *area* (a sector of a site), never a point: anything
//! built on cells must word its conclusions as areas with uncertainty.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::Provenance;

/// Global cell identity: MCC-MNC-LAC/TAC-CI, written `234-15-4521-12345`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlobalCellId {
    /// Mobile country code (234 for the UK).
    pub mcc: u16,
    /// Mobile network code.
    pub mnc: u16,
    /// Location area code (2G/3G) or tracking area code (4G/5G).
    pub lac: u32,
    /// Cell identity within the area.
    pub ci: u32,
}

/// Why a cell identity string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cell id {input:?}: {reason} (expected MCC-MNC-LAC-CI such as 234-15-4521-12345)")]
pub struct CellIdError {
    /// The text that was offered.
    pub input: String,
    /// What was wrong with it.
    pub reason: &'static str,
}

impl GlobalCellId {
    /// Builds a cell id from LAC and CI under a known network (MCC-MNC), for exports that
    /// give only the local part.
    pub fn local(mcc: u16, mnc: u16, lac: u32, ci: u32) -> Self {
        Self { mcc, mnc, lac, ci }
    }
}

impl GlobalCellId {
    /// Appends the canonical form (`234-15-4521-12345`) to `out`. Ingest writes one per
    /// row, so this avoids the formatting machinery.
    pub fn push_to(&self, out: &mut String) {
        push_u32(out, u32::from(self.mcc));
        out.push('-');
        if self.mnc < 10 {
            out.push('0');
        }
        push_u32(out, u32::from(self.mnc));
        out.push('-');
        push_u32(out, self.lac);
        out.push('-');
        push_u32(out, self.ci);
    }
}

fn push_u32(out: &mut String, mut v: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ASCII digits"));
}

impl fmt::Display for GlobalCellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(24);
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

impl FromStr for GlobalCellId {
    type Err = CellIdError;

    /// Accepts `-`, `/`, `:` or `.` between the four parts.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| CellIdError {
            input: s.to_owned(),
            reason,
        };
        let mut parts = s.trim().split(['-', '/', ':', '.']);
        let mut next = |what| {
            parts
                .next()
                .filter(|p| !p.is_empty())
                .ok_or_else(|| err(what))
        };
        let mcc = next("missing MCC")?
            .parse()
            .map_err(|_| err("MCC is not a number"))?;
        let mnc = next("missing MNC")?
            .parse()
            .map_err(|_| err("MNC is not a number"))?;
        let lac = next("missing LAC/TAC")?
            .parse()
            .map_err(|_| err("LAC/TAC is not a number"))?;
        let ci = next("missing CI")?
            .parse()
            .map_err(|_| err("CI is not a number"))?;
        if parts.next().is_some() {
            return Err(err("more than four parts"));
        }
        if !(200..=999).contains(&mcc) {
            return Err(err("MCC out of range 200-999"));
        }
        if mnc > 999 {
            return Err(err("MNC out of range"));
        }
        Ok(Self { mcc, mnc, lac, ci })
    }
}

/// A cell from an operator's cell list, valid over a date range (networks are
/// reconfigured, so the same id can point elsewhere in another period).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Global identity.
    pub id: GlobalCellId,
    /// Operator that runs it.
    pub operator: String,
    /// Site latitude, WGS84 degrees.
    pub lat: f64,
    /// Site longitude, WGS84 degrees.
    pub lon: f64,
    /// Boresight of the sector antenna, degrees clockwise from true north.
    pub azimuth_deg: u16,
    /// Horizontal beamwidth of the sector, degrees (360 for omni cells).
    pub beamwidth_deg: u16,
    /// First day the record is valid.
    pub valid_from: NaiveDate,
    /// Last day it is valid, if it has ended.
    pub valid_to: Option<NaiveDate>,
    /// Where this record came from.
    pub provenance: Provenance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let id: GlobalCellId = "234-15-4521-12345".parse().unwrap();
        assert_eq!(id, GlobalCellId::local(234, 15, 4521, 12345));
        assert_eq!(id.to_string(), "234-15-4521-12345");
        assert_eq!(
            "234/1/7/8".parse::<GlobalCellId>().unwrap().to_string(),
            "234-01-7-8"
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!("234-15-4521".parse::<GlobalCellId>().is_err());
        assert!("234-15-x-1".parse::<GlobalCellId>().is_err());
        assert!("99-15-1-1".parse::<GlobalCellId>().is_err());
        assert!("234-15-1-1-1".parse::<GlobalCellId>().is_err());
    }
}
