//! Simulation scales and their documented defaults (see `docs/simulator.md`).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// Size of the simulated world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// London hub and two towns, about three lines, two weeks across the October clock
    /// change; for tests and demos (well under 60k records).
    Small,
    /// London hub and eight towns across the seven eastern-region forces, about 24 lines,
    /// 92 days; a few million events.
    Regional,
    /// Four hubs and about 45 towns across England, about 200 lines, 180 days across the
    /// March clock change; ~100 million events, streamed a day at a time.
    National,
}

impl Scale {
    /// The lower-case name used on the command line and in `summary.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Regional => "regional",
            Self::National => "national",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "small" => Ok(Self::Small),
            "regional" => Ok(Self::Regional),
            "national" => Ok(Self::National),
            _ => Err(format!(
                "unknown scale {s:?} (expected small, regional or national)"
            )),
        }
    }
}

/// Every knob of the generator. Build one with [`SimConfig::for_scale`] and change fields.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Seed: the same config gives byte-identical output; another seed another world.
    pub seed: u64,
    /// Geography (hubs and towns) and cell density.
    pub scale: Scale,
    /// First simulated day (UK local date).
    pub start_date: NaiveDate,
    /// Number of simulated days.
    pub days: u32,
    /// County lines (deal-line brands) to run.
    pub lines: u32,
    /// Resident population (background people, from whom customers and cuckooed residents
    /// are drawn). Line staff and businesses come on top.
    pub people: u32,
    /// Look-alike landline businesses (taxi firms and takeaways).
    pub businesses: u32,
    /// Legitimate bulk SMS senders (GP surgeries with sender ids, delivery firms).
    pub bulk_senders: u32,
    /// Mean days between deal-line handset swaps (same IMSI, new IMEI).
    pub handset_swap_days: f64,
    /// Mean days between deal-line SIM swaps (same IMEI, new IMSI, number ported).
    pub sim_swap_days: f64,
    /// Mean days between voluntary deal-line number replacements.
    pub number_replace_days: f64,
    /// Share of runners who are children (12–17).
    pub child_runner_share: f64,
    /// Fraction of export rows followed by an injected junk row (0 for none).
    pub noise: f64,
    /// Customer base per line.
    pub customers_per_line: u32,
    /// Runners recruited per line at the start (arrested ones are replaced).
    pub runners_per_line: u32,
    /// Mean days between DDTRO blocks of a line's number.
    pub ddtro_block_days: f64,
    /// Mean days between arrests of a line's runner in town.
    pub arrest_days: f64,
    /// Mean flares (bulk adverts) per line per day.
    pub flares_per_day: f64,
    /// Mean contacts per day between a cuckooed resident and the runner staying in their
    /// home (the resident, often paid in drugs, texts or rings the runner; the runner rings
    /// ahead on arrival). A modelling assumption, not a published figure.
    pub resident_contacts_per_day: f64,
    /// Share of a customer's orders, while a runner is in town, that also go straight to the
    /// runner's own phone (regulars who kept the runner's number).
    pub direct_order_share: f64,
    /// Mean outgoing calls and messages per background person per day.
    pub contact_rate: f64,
    /// Cell sites per operator per 100,000 inhabitants of a place.
    pub sites_per_100k: f64,
}

impl SimConfig {
    /// Documented defaults for a scale (table in `docs/simulator.md`).
    pub fn for_scale(scale: Scale, seed: u64) -> Self {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid default date");
        match scale {
            Scale::Small => Self {
                seed,
                scale,
                start_date: date(2026, 10, 18),
                days: 14,
                lines: 3,
                people: 600,
                businesses: 6,
                bulk_senders: 3,
                // Compressed so a two-week test world shows every kind of change.
                handset_swap_days: 5.0,
                sim_swap_days: 9.0,
                number_replace_days: 12.0,
                child_runner_share: 0.6,
                noise: 0.0002,
                customers_per_line: 45,
                runners_per_line: 3,
                ddtro_block_days: 14.0,
                arrest_days: 10.0,
                flares_per_day: 1.5,
                resident_contacts_per_day: 0.8,
                direct_order_share: 0.05,
                contact_rate: 1.6,
                sites_per_100k: 2.0,
            },
            Scale::Regional => Self {
                seed,
                scale,
                start_date: date(2026, 8, 3),
                days: 92,
                lines: 24,
                people: 12_000,
                businesses: 40,
                bulk_senders: 14,
                handset_swap_days: 21.0,
                sim_swap_days: 60.0,
                number_replace_days: 120.0,
                child_runner_share: 0.6,
                noise: 0.0002,
                customers_per_line: 140,
                runners_per_line: 3,
                ddtro_block_days: 120.0,
                arrest_days: 45.0,
                flares_per_day: 1.5,
                resident_contacts_per_day: 0.8,
                direct_order_share: 0.05,
                contact_rate: 2.2,
                sites_per_100k: 6.0,
            },
            Scale::National => Self {
                seed,
                scale,
                start_date: date(2026, 2, 2),
                days: 180,
                lines: 200,
                people: 150_000,
                businesses: 300,
                bulk_senders: 90,
                handset_swap_days: 21.0,
                sim_swap_days: 60.0,
                number_replace_days: 120.0,
                child_runner_share: 0.6,
                noise: 0.0002,
                customers_per_line: 160,
                runners_per_line: 3,
                ddtro_block_days: 120.0,
                arrest_days: 45.0,
                flares_per_day: 1.5,
                resident_contacts_per_day: 0.8,
                direct_order_share: 0.05,
                contact_rate: 2.2,
                sites_per_100k: 6.0,
            },
        }
    }

    /// Rejects values that cannot make a world.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.days == 0 {
            return Err("days must be at least 1".into());
        }
        if self.people < 50 {
            return Err("people must be at least 50".into());
        }
        if !(0.0..0.5).contains(&self.noise) {
            return Err(format!("noise must be in [0, 0.5), got {}", self.noise));
        }
        if !(0.0..=1.0).contains(&self.child_runner_share) {
            return Err("child_runner_share must be in [0, 1]".into());
        }
        for (name, v) in [
            ("handset_swap_days", self.handset_swap_days),
            ("sim_swap_days", self.sim_swap_days),
            ("number_replace_days", self.number_replace_days),
            ("ddtro_block_days", self.ddtro_block_days),
            ("arrest_days", self.arrest_days),
            ("sites_per_100k", self.sites_per_100k),
        ] {
            if v.is_nan() || v <= 0.0 {
                return Err(format!("{name} must be positive, got {v}"));
            }
        }
        if self.flares_per_day < 0.0
            || self.contact_rate < 0.0
            || self.resident_contacts_per_day < 0.0
        {
            return Err("rates must not be negative".into());
        }
        if !(0.0..=1.0).contains(&self.direct_order_share) {
            return Err(format!(
                "direct_order_share must be between 0 and 1, got {}",
                self.direct_order_share
            ));
        }
        if self.lines > 0 && (self.customers_per_line < 5 || self.runners_per_line == 0) {
            return Err("each line needs at least 5 customers and 1 runner".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_parse_and_validate() {
        for s in ["small", "Regional", "NATIONAL"] {
            let scale: Scale = s.parse().unwrap();
            assert_eq!(scale.as_str(), s.to_ascii_lowercase());
            assert!(SimConfig::for_scale(scale, 1).validate().is_ok());
        }
        assert!("huge".parse::<Scale>().is_err());
        let mut c = SimConfig::for_scale(Scale::Small, 1);
        c.noise = 0.9;
        assert!(c.validate().is_err());
    }
}
