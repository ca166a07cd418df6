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

/// A number is a runner for a line when it called at least this many different customers
/// of the line back within [`CALLBACK_WINDOW_MIN`] of their contacting the line. One or two
/// such calls happen by chance (a friend ringing a friend); three different customers,
/// each minutes after an order, is the call-back pattern of row 26.
pub const RUNNER_MIN_CUSTOMERS: usize = 3;

/// At least this share of a runner's calls to the line's customers must be such
/// call-backs. A runner rings customers to arrange handovers; a popular local who happens
/// to know several customers rings them at any time.
pub const RUNNER_MIN_CALLBACK_SHARE: f64 = 0.5;

/// The holder's own phone sends at least this many texts to the line's runners (it relays
/// each order, tens a day while a runner is in town).
pub const HANDLER_MIN_TEXTS: i64 = 10;

/// At most this share of the holder phone's contacts with runners are calls: relays are
/// texts, while controllers and family both call.
pub const HANDLER_MAX_VOICE_SHARE: f64 = 0.1;

/// A controller has at least this many contacts with the holder's phone and with the
/// line's runners (in all). A runner's family calls the runner but never the holder; the
/// holder's friends never call the runners.
pub const CONTROLLER_MIN_CONTACTS: i64 = 2;

/// Night, for where a phone sleeps: UTC hours 0 up to this one (00:00–05:59 UTC is
/// 00:00–06:59 in winter and 01:00–06:59 in summer, when nearly everyone is home).
pub const NIGHT_OBS_END_HOUR_UTC: i64 = 6;

/// A line's town is the area around the median of its customers' night-time masts that
/// takes in nine in ten of them, plus this margin (a cell reaches past its mast).
pub const TOWN_MARGIN_KM: f64 = 1.5;

/// The smallest radius of a town area, for lines whose customers cluster round a few masts.
pub const TOWN_MIN_RADIUS_KM: f64 = 3.0;

/// A trip lasts at least this many hours (an overnight stay); shorter visits are not
/// reported.
pub const TRIP_MIN_HOURS: i64 = 12;

/// A trip ends after this many observations in a row outside the town area: one stray
/// observation on a far mast (a cell's edge, a short outing) does not end a stay.
pub const TRIP_RETURN_OBS: usize = 3;

/// A runner's night-time cell and a customer's home cell on another network can serve the
/// same address when their masts are at most this far apart (on the same network they must
/// be the same cell). Town cells cover one to several kilometres, and different operators'
/// masts serving one street are often 1–4 km apart, so the bound is town-sized; personal
/// contact, not distance, picks the resident, and the distance only breaks ties.
pub const CUCKOO_MAX_KM: f64 = 4.0;

/// A contact between a runner and a customer within this many minutes after the customer
/// ordered from the line is part of that order (a call-back, an "outside" text, a regular
/// texting the runner), not a sign of a personal link: the call-back window plus the walk
/// to the meeting point.
pub const CUCKOO_ORDER_LINK_MIN: i64 = 45;

/// A runner's call or message to a customer counts as a personal link (not an order
/// call-back) when it falls within this many hours of the runner's arrival in town: runners
/// ring ahead to be let in. Contacts the customer starts count at any time of the stay.
pub const CUCKOO_ARRIVAL_HOURS: i64 = 3;

/// A customer is reported as a cuckooed resident when runners' nights voted to their home
/// add up to at least this many nights (a stay of 3–14 days, row 9).
pub const CUCKOO_MIN_NIGHTS: usize = 2;

/// Burner rotation: a "new" number first appears at least this many days after the data
/// starts, and an "old" one is last seen at least this many days before it ends; numbers
/// in use across the whole period are neither.
pub const BURNER_EDGE_DAYS: i64 = 2;

/// A new number and an old one share at least this many contacts. One or two shared
/// contacts are common between strangers in one town (a shared friend, a taxi firm).
pub const BURNER_MIN_SHARED: usize = 3;

/// At least this share of the smaller contact list is shared: the new phone rings the
/// same people as the old one.
pub const BURNER_MIN_COEFFICIENT: f64 = 0.5;

/// The old number fell silent at most this many days before the new one started (a
/// dropped phone is replaced within days, row 23's holder comes back within two).
pub const BURNER_MAX_GAP_DAYS: i64 = 7;

/// The old number may go on at most this many days after the new one started (a
/// handover day with both phones in use).
pub const BURNER_MAX_OVERLAP_DAYS: i64 = 1;
