//! Per-day traffic: everything that happens on one local day, as events (one per
//! communication, A party to B party). Each day has its own random stream, so a day can be
//! generated, written and dropped without holding the period in memory.

use linesight_model::EventKind;

use crate::clock::Instant;
use crate::world::{
    BG_HOURS, BizKind, DRUG_HOURS, FLARE_HOURS, OFFICE_HOURS, Party, Role, TAKEAWAY_HOURS,
    TAXI_HOURS, World,
};
use linesight_rng::Rng;

/// One communication.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    pub(crate) t: Instant,
    pub(crate) dur: u32,
    pub(crate) kind: EventKind,
    pub(crate) a: Party,
    /// `None` for data sessions.
    pub(crate) b: Option<Party>,
}

/// Draws times on one local day.
pub(crate) struct Day<'w> {
    w: &'w World,
    /// Local wall-clock seconds of the day's midnight.
    local0: i64,
    /// Day of week, 0 = Monday.
    pub(crate) weekday: u32,
}

impl<'w> Day<'w> {
    pub(crate) fn new(w: &'w World, day: u32) -> Self {
        let local0 = w.clock.local(w.start) + i64::from(day) * 86_400;
        let weekday = ((local0.div_euclid(86_400) + 3).rem_euclid(7)) as u32;
        Self { w, local0, weekday }
    }

    /// An instant on this day at an hour drawn from `hours` (local). Wall times in the
    /// spring gap move an hour on; in the autumn overlap either pass is used.
    pub(crate) fn time(&self, rng: &mut Rng, hours: &[f64; 24]) -> Instant {
        let h = rng.weighted(hours) as i64;
        let s = rng.below(3600) as i64;
        self.at_local(rng, h * 3600 + s)
    }

    /// An instant at local seconds-of-day `sod`.
    pub(crate) fn at_local(&self, rng: &mut Rng, sod: i64) -> Instant {
        let local = self.local0 + sod;
        let later = rng.chance(0.5);
        match self.w.clock.utc_of_local(local, later) {
            Some(t) => t,
            None => self
                .w
                .clock
                .utc_of_local(local + 3600, later)
                .expect("an hour after a gap exists"),
        }
    }
}

fn voice_dur(rng: &mut Rng) -> u32 {
    rng.normal(3.9, 1.0).exp().clamp(2.0, 5400.0) as u32
}

/// Generates day `day`'s events into `out` (cleared first).
pub(crate) fn generate_day(w: &World, day: u32, seed: u64, out: &mut Vec<Event>) {
    out.clear();
    let d = Day::new(w, day);
    let mut rng = Rng::derive(seed, 2, u64::from(day));
    background(w, &d, &mut rng, out);
    let mut rng = Rng::derive(seed, 3, u64::from(day));
    business(w, &d, &mut rng, out);
    for li in 0..w.lines.len() {
        let mut rng = Rng::derive(seed, 4 + li as u64 * 8, u64::from(day));
        line(w, li, &d, &mut rng, out);
    }
    // Drop events whose parties are not in service (arrested, number not live yet).
    out.retain(|e| {
        let ok = |p: Party| match p {
            Party::Sub(s) => w.sub_ok(s, e.t),
            _ => true,
        };
        ok(e.a)
            && e.b.is_none_or(ok)
            && (matches!(e.a, Party::Sub(_)) || matches!(e.b, Some(Party::Sub(_))))
    });
    separate_duplicates(out);
}

/// Distinct events with the same parties and kind are kept at least 3 s apart, so that
/// ingest's 2 s merge tolerance can never pair legs of different events ambiguously.
fn separate_duplicates(out: &mut [Event]) {
    let key = |e: &Event| (e.a, e.b, e.kind as u8, e.t);
    out.sort_by_key(key);
    for i in 1..out.len() {
        let (prev, cur) = out.split_at_mut(i);
        let p = &prev[i - 1];
        let c = &mut cur[0];
        if p.a == c.a && p.b == c.b && p.kind == c.kind && c.t < p.t + 3 {
            c.t = p.t + 3;
        }
    }
}

fn primary(w: &World, person: u32, rng: &mut Rng) -> Option<u32> {
    let subs = &w.persons[person as usize].subs;
    match subs.len() {
        0 => None,
        1 => Some(subs[0]),
        _ => Some(if rng.chance(0.85) {
            subs[0]
        } else {
            subs[1 + rng.index(subs.len() - 1)]
        }),
    }
}

fn background(w: &World, d: &Day<'_>, rng: &mut Rng, out: &mut Vec<Event>) {
    let weekend = if d.weekday >= 5 { 0.85 } else { 1.0 };
    for (pi, p) in w.persons.iter().enumerate() {
        if p.role == Role::Business || p.subs.is_empty() {
            continue;
        }
        let pi = pi as u32;
        let n = rng.poisson(f64::from(p.rate) * weekend);
        for _ in 0..n {
            let t = d.time(rng, &BG_HOURS);
            let Some(a) = primary(w, pi, rng) else {
                continue;
            };
            let r = rng.f64();
            let kind = if r < 0.47 {
                EventKind::Voice
            } else if r < 0.975 {
                EventKind::Sms
            } else {
                EventKind::Mms
            };
            let b = if p.foreign != 0 && rng.chance(0.04) {
                Party::Foreign(p.foreign)
            } else if p.contacts.is_empty() {
                continue;
            } else {
                let c = p.contacts[rng.zipf(p.contacts.len(), 1.1)];
                match primary(w, c, rng) {
                    Some(s) => Party::Sub(s),
                    None => continue,
                }
            };
            let dur = if kind == EventKind::Voice {
                voice_dur(rng)
            } else {
                0
            };
            out.push(Event {
                t,
                dur,
                kind,
                a: Party::Sub(a),
                b: Some(b),
            });
            // Friends return missed calls within minutes: a call-back look-alike.
            if kind == EventKind::Voice && matches!(b, Party::Sub(_)) && rng.chance(0.1) {
                let t2 = t + i64::from(dur) + 60 + rng.exp(600.0) as i64;
                out.push(Event {
                    t: t2,
                    dur: voice_dur(rng),
                    kind,
                    a: b,
                    b: Some(Party::Sub(a)),
                });
            }
        }
        let n = rng.poisson(f64::from(p.data_rate));
        for _ in 0..n {
            let Some(a) = primary(w, pi, rng) else {
                continue;
            };
            let t = d.time(rng, &BG_HOURS);
            out.push(Event {
                t,
                dur: rng.range(10, 1800) as u32,
                kind: EventKind::Data,
                a: Party::Sub(a),
                b: None,
            });
        }
        // A party invite: one person texts up to 30 friends in a couple of minutes.
        if p.contacts.len() >= 5 && rng.chance(0.0015) {
            let mut t = d.time(rng, &BG_HOURS);
            let a = p.subs[0];
            let town = &w.residents[p.town as usize];
            let mut sent = Vec::with_capacity(30);
            for &c in p.contacts.iter().take(30) {
                sent.push(c);
            }
            while sent.len() < 30 && !town.is_empty() && sent.len() < town.len() {
                let c = town[rng.index(town.len())];
                if c != pi && !sent.contains(&c) {
                    sent.push(c);
                }
            }
            for c in sent {
                if let Some(&s) = w.persons[c as usize].subs.first() {
                    t += rng.range(2, 6);
                    out.push(Event {
                        t,
                        dur: 0,
                        kind: EventKind::Sms,
                        a: Party::Sub(a),
                        b: Some(Party::Sub(s)),
                    });
                }
            }
        }
    }
    // Phones sync in the night too; this also keeps every local-time export busy through
    // the repeated autumn hour, which ingest's fold rule relies on.
    let subs = &w.subs;
    if !subs.is_empty() {
        for op in 0..3u8 {
            let mut sod = rng.range(0, 600);
            while sod < 7 * 3600 {
                for _ in 0..20 {
                    let s = rng.index(subs.len());
                    if subs[s].op == op && !subs[s].deal_line {
                        let t = d.at_local(rng, sod);
                        let dur = rng.range(5, 120) as u32;
                        out.push(Event {
                            t,
                            dur,
                            kind: EventKind::Data,
                            a: Party::Sub(s as u32),
                            b: None,
                        });
                        break;
                    }
                }
                sod += rng.range(300, 1200);
            }
        }
    }
}

fn business(w: &World, d: &Day<'_>, rng: &mut Rng, out: &mut Vec<Event>) {
    for b in &w.businesses {
        let residents = &w.residents[b.town as usize];
        if residents.is_empty() {
            continue;
        }
        match b.kind {
            BizKind::Taxi | BizKind::Takeaway => {
                let busy = match (b.kind, d.weekday) {
                    (_, 4 | 5) => 1.5,
                    (BizKind::Taxi, 6) => 1.1,
                    _ => 1.0,
                };
                let hours = if b.kind == BizKind::Taxi {
                    &TAXI_HOURS
                } else {
                    &TAKEAWAY_HOURS
                };
                for _ in 0..rng.poisson(b.daily * busy) {
                    let caller = residents[rng.index(residents.len())];
                    let Some(s) = primary(w, caller, rng) else {
                        continue;
                    };
                    let t = d.time(rng, hours);
                    let dur = rng.range(12, 75) as u32;
                    out.push(Event {
                        t,
                        dur,
                        kind: EventKind::Voice,
                        a: Party::Sub(s),
                        b: Some(b.party),
                    });
                    // "Your cab is outside" / "we're out of that": the business calls back.
                    let p_back = if b.kind == BizKind::Taxi { 0.15 } else { 0.06 };
                    if rng.chance(p_back) {
                        let t2 = t + rng.range(120, 900);
                        out.push(Event {
                            t: t2,
                            dur: rng.range(5, 30) as u32,
                            kind: EventKind::Voice,
                            a: b.party,
                            b: Some(Party::Sub(s)),
                        });
                    }
                }
            }
            BizKind::GpSurgery => {
                if d.weekday >= 5 {
                    continue;
                }
                // Appointment reminders go out in batches from the practice system.
                let n = rng.poisson(b.daily) as usize;
                let mut t = d.time(rng, &OFFICE_HOURS);
                for i in 0..n {
                    if i % 40 == 39 {
                        t = d.time(rng, &OFFICE_HOURS);
                    }
                    let r = residents[rng.index(residents.len())];
                    let Some(&s) = w.persons[r as usize].subs.first() else {
                        continue;
                    };
                    t += rng.range(1, 3);
                    out.push(Event {
                        t,
                        dur: 0,
                        kind: EventKind::Sms,
                        a: b.party,
                        b: Some(Party::Sub(s)),
                    });
                }
            }
            BizKind::Delivery => {
                if d.weekday == 6 {
                    continue;
                }
                for _ in 0..rng.poisson(b.daily) {
                    let r = residents[rng.index(residents.len())];
                    let Some(&s) = w.persons[r as usize].subs.first() else {
                        continue;
                    };
                    let t = d.time(rng, &OFFICE_HOURS);
                    let (kind, dur) = if rng.chance(0.1) {
                        (EventKind::Voice, rng.range(10, 60) as u32)
                    } else {
                        (EventKind::Sms, 0)
                    };
                    out.push(Event {
                        t,
                        dur,
                        kind,
                        a: b.party,
                        b: Some(Party::Sub(s)),
                    });
                }
            }
        }
    }
}

fn line(w: &World, li: usize, d: &Day<'_>, rng: &mut Rng, out: &mut Vec<Event>) {
    let line = &w.lines[li];
    let sms = |t, a, b| Event {
        t,
        dur: 0,
        kind: EventKind::Sms,
        a: Party::Sub(a),
        b: Some(Party::Sub(b)),
    };
    let call = |t, dur, a, b| Event {
        t,
        dur,
        kind: EventKind::Voice,
        a: Party::Sub(a),
        b: Some(Party::Sub(b)),
    };
    // Orders: customer → line, call-back within minutes by the line or a runner (row 26),
    // relay of the order to the runner, an "outside" text.
    for (ci, &c) in line.customers.iter().enumerate() {
        let n = rng.poisson(f64::from(line.order_rates[ci]));
        for _ in 0..n {
            let t = d.time(rng, &DRUG_HOURS);
            let Some(deal) = line.deal_at(t) else {
                continue;
            };
            let Some(&cs) = w.persons[c as usize].subs.first() else {
                continue;
            };
            if rng.chance(0.55) {
                out.push(call(t, rng.range(8, 60) as u32, cs, deal.sub));
            } else {
                out.push(sms(t, cs, deal.sub));
            }
            if rng.chance(0.25) {
                out.push(sms(t + rng.range(60, 600), cs, deal.sub));
            }
            let runner = line.runner_in_town(t);
            let back = t + 30 + rng.exp(200.0) as i64;
            if rng.chance(0.8) {
                let from = match runner {
                    Some(tr) if rng.chance(0.35) => {
                        w.persons[tr.runner as usize].subs.first().copied()
                    }
                    _ => None,
                }
                .unwrap_or(deal.sub);
                out.push(call(back, rng.range(10, 75) as u32, from, cs));
            }
            if let Some(tr) = runner {
                let Some(&rs) = w.persons[tr.runner as usize].subs.first() else {
                    continue;
                };
                if rng.chance(0.7)
                    && let Some(&hs) = w.persons[deal.holder as usize].subs.first()
                {
                    out.push(sms(t + rng.range(20, 180), hs, rs));
                }
                if rng.chance(0.3) {
                    out.push(sms(back + rng.range(300, 1200), rs, cs));
                }
                if rng.chance(w.direct_order_share) {
                    out.push(sms(t + rng.range(60, 1800), cs, rs));
                }
            }
        }
    }
    // Flares: bulk adverts to much of the base, sent in one go (rows 18–20).
    let n_flares = rng.poisson(line.customers.len().min(1) as f64 * w.flares_per_day);
    for _ in 0..n_flares {
        let mut t = d.time(rng, &FLARE_HOURS);
        let Some(deal) = line.deal_at(t) else {
            continue;
        };
        let share = rng.uniform(0.4, 0.95);
        for &c in &line.customers {
            if rng.chance(share)
                && let Some(&cs) = w.persons[c as usize].subs.first()
            {
                t += rng.range(1, 4);
                out.push(sms(t, deal.sub, cs));
            }
        }
    }
    // "New number, same service": the successor texts the whole base.
    let day_start = d.at_local(rng, 0);
    let day_end = day_start + 86_400;
    for &(at, sub) in &line.announces {
        if at >= day_start && at < day_end {
            let mut t = at;
            for &c in &line.customers {
                if let Some(&cs) = w.persons[c as usize].subs.first() {
                    t += rng.range(1, 3);
                    out.push(sms(t, sub, cs));
                }
            }
        }
    }
    // Chatter: controllers with the holder, and with a runner in town.
    for &ctrl in &line.controllers {
        let Some(&cs) = w.persons[ctrl as usize].subs.first() else {
            continue;
        };
        for _ in 0..rng.poisson(3.0) {
            let t = d.time(rng, &DRUG_HOURS);
            let Some(deal) = line.deal_at(t) else {
                continue;
            };
            let Some(&hs) = w.persons[deal.holder as usize].subs.first() else {
                continue;
            };
            let (a, b) = if rng.chance(0.6) { (cs, hs) } else { (hs, cs) };
            out.push(if rng.chance(0.5) {
                call(t, voice_dur(rng).min(600), a, b)
            } else {
                sms(t, a, b)
            });
        }
        for _ in 0..rng.poisson(4.0) {
            let t = d.time(rng, &DRUG_HOURS);
            let Some(tr) = line.runner_in_town(t) else {
                continue;
            };
            let Some(&rs) = w.persons[tr.runner as usize].subs.first() else {
                continue;
            };
            let (a, b) = if rng.chance(0.7) { (cs, rs) } else { (rs, cs) };
            out.push(if rng.chance(0.5) {
                call(t, rng.range(15, 240) as u32, a, b)
            } else {
                sms(t, a, b)
            });
        }
    }
    // The cuckooed home: the runner rings the resident on the way in ("outside, let me in"),
    // and the resident, often paid in drugs, keeps in touch while the runner stays.
    for tr in &line.trips {
        let resident = w.addresses[tr.address as usize].resident;
        let (Some(&rs), Some(&hs)) = (
            w.persons[tr.runner as usize].subs.first(),
            w.persons[resident as usize].subs.first(),
        ) else {
            continue;
        };
        if tr.arrive >= day_end || tr.leave < day_start {
            continue;
        }
        if tr.arrive >= day_start && rng.chance(0.85) {
            let t = (tr.arrive - rng.range(120, 3600)).max(day_start);
            out.push(if rng.chance(0.6) {
                call(t, rng.range(5, 40) as u32, rs, hs)
            } else {
                sms(t, rs, hs)
            });
        }
        for _ in 0..rng.poisson(w.resident_contacts_per_day) {
            let t = d.time(rng, &BG_HOURS);
            if t < tr.arrive || t >= tr.leave {
                continue;
            }
            let (a, b) = if rng.chance(0.7) { (hs, rs) } else { (rs, hs) };
            out.push(if rng.chance(0.5) {
                call(t, rng.range(10, 120) as u32, a, b)
            } else {
                sms(t, a, b)
            });
        }
    }
    // A runner's family tries to reach a child who is away.
    for tr in &line.trips {
        let p = &w.persons[tr.runner as usize];
        if !p.child || p.contacts.is_empty() {
            continue;
        }
        for _ in 0..rng.poisson(1.5) {
            let t = d.time(rng, &BG_HOURS);
            if t < tr.arrive || t >= tr.leave {
                continue;
            }
            let (Some(parent), Some(&rs)) = (primary(w, p.contacts[0], rng), p.subs.first()) else {
                continue;
            };
            out.push(if rng.chance(0.5) {
                call(t, rng.range(5, 90) as u32, parent, rs)
            } else {
                sms(t, parent, rs)
            });
        }
    }
}
