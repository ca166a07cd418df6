//! Every default threshold of the detectors, with the reason for its value.
//!
//! Figures come from `/work/shared/domain-facts.md` (rows 16–26) where a source exists, and
//! otherwise from what separates deal lines from the look-alikes (taxi firms, takeaways,
//! GP surgeries, delivery firms, people texting friends); docs/analysis.md shows the
//! measurements on worlds the thresholds were not tuned on.

/// A burst counts as a possible flare when it reaches this many distinct recipients.
/// Flares go to 40–95% of a customer base of tens to hundreds (rows 18–20); a person
/// texting a handful of friends stays below it.
pub const FLARE_MIN_RECIPIENTS: i64 = 10;

/// Texts belong to one burst while consecutive texts are at most this many seconds apart.
/// Burner handsets send flares "in one go" (row 19), a few seconds apart; a minute leaves
/// room for network delay without joining separate sessions of ordinary texting.
pub const FLARE_MAX_GAP_S: i64 = 60;

/// A burst must fit within this many minutes from first to last text ("within minutes").
/// Even a flare to several hundred numbers at 1–3 s each takes under half an hour.
pub const FLARE_MAX_SPAN_MIN: i64 = 30;

/// Per-number features are computed for numbers with at least this many distinct inbound
/// contacts over the case. A deal line serves at least fifty users a day (row 17); ten
/// over the whole period keeps short-lived replacement numbers in view and drops almost
/// every private number.
pub const MIN_INBOUND_CONTACTS: i64 = 10;

/// A voice call of at most this many seconds counts as short (an order: "one white, ten
/// minutes"); texts are always short.
pub const SHORT_CALL_S: i64 = 60;

/// An inbound contact is "called back" when the number calls the same person by voice
/// within this many minutes: the defence-expert rule for a confirmed transaction (row 26)
/// says "within a limited window the same day"; runners call back "within minutes".
pub const CALLBACK_WINDOW_MIN: i64 = 15;

/// Night starts at this UTC hour (23:00 UTC is midnight in summer time, 23:00 in winter).
pub const NIGHT_START_HOUR_UTC: i64 = 23;

/// Night ends before this UTC hour (06:00 UTC is 07:00 in summer time, 06:00 in winter).
pub const NIGHT_END_HOUR_UTC: i64 = 6;

/// At least this share of a sender's recipients must have received more than one of its
/// bursts: a line texts the same base again and again (rows 18–20), while a delivery firm
/// or surgery texts different people each time and a party invite goes out once.
pub const DEAL_MIN_REPEAT_SHARE: f64 = 0.5;

/// A sender must have sent at least this many flares to be reported on its own
/// behaviour. Lines flare several times a day (row 18: about a hundred texts a day from one
/// phone); a person's party invite is one burst.
pub const DEAL_MIN_FLARES: usize = 2;

/// At least this share of a sender's flare recipients must have contacted it. Customers
/// order from the line that adverts to them (row 26: "potential customers = numbers
/// receiving bulk texts"); patients and parcel recipients almost never text back.
pub const DEAL_MIN_REPLY_SHARE: f64 = 0.05;

/// At most this share of pairs of flare recipients may be in contact with each other.
/// A dealer's customers are drawn from the whole town and mostly do not know each other;
/// a person's friends do.
pub const DEAL_MAX_RECIPIENT_DENSITY: f64 = 0.1;

/// At most this share of a sender's bursts may fall in weekday office hours. Lines flare
/// late in the morning and in the evening and night, every day (rows 18–20); surgeries
/// and delivery firms text in working hours.
pub const DEAL_MAX_OFFICE_SHARE: f64 = 0.8;

/// A new number's "first flares" are those within this many days of its first one.
pub const SUCCESSOR_EARLY_DAYS: i64 = 2;

/// At least this share of the recipients of a new number's first flares must be in the
/// old number's customer base. Each new number texts "the whole base" (row 23's
/// replacement "within an hour"); only 10% of customers are shared between lines of a
/// town, so half is far above chance.
pub const SUCCESSOR_MIN_OVERLAP: f64 = 0.5;

/// The old number must have sent something within this many days before the new number's
/// first flare. After a holder's arrest a new holder comes back within 0.5–2 days; a week
/// leaves room while excluding unrelated old lines.
pub const SUCCESSOR_MAX_GAP_DAYS: i64 = 7;

/// The old number may go on sending at most this many days after the new number's first
/// flare (a handover day in which both phones are in use).
pub const SUCCESSOR_MAX_OVERLAP_DAYS: i64 = 1;

/// Contact density is measured on at most this many members (evenly sampled), keeping it
/// quadratic in a constant rather than in the size of a base of thousands.
pub const DENSITY_SAMPLE: usize = 300;

/// At least this share of a sender's inbound contacts must be called back within
/// [`CALLBACK_WINDOW_MIN`]. The simulated lines call back a third to a half of contacts
/// themselves (the rest are called by runners, row 26); a person who texted a party invite
/// twice calls back a few percent.
pub const DEAL_MIN_CALLBACK_SHARE: f64 = 0.2;
