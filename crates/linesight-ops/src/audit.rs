//! The audit log's hash chain: each entry's hash covers its own contents and the hash of the
//! entry before it, so editing, deleting, inserting or reordering any entry breaks the chain
//! at that point, and [`verify`] names the first broken link.
//!
//! What it proves: that the log read back is the log written, in order, up to its last
//! entry (and, given the head the database keeps, that nothing was cut from the end). It does
//! not stop someone with write access from rewriting the whole chain from some point on;
//! export the head hash regularly (`linesight audit verify` prints it) to catch that too.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry records, before it is chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who: the user name, or `cli:<os user>` for the command line.
    pub actor: String,
    /// What was done (`plan.write`, `target.read`, `user.add`).
    pub action: String,
    /// What it was done to (`case/…/plan`, `user/…`).
    pub target: String,
    /// The case it concerns, if any.
    pub case_id: Option<String>,
    /// Why, where the law expects a reason (reads of personal data, purges).
    pub reason: Option<String>,
    /// Details as JSON text (what changed, the version written).
    pub details: String,
}

/// One entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When, as RFC 3339 UTC text (hashed as written).
    pub at: String,
    /// Who, what, to what, in which case, why and details.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// The hash of the entry before (or [`GENESIS`]).
    pub prev_hash: String,
    /// SHA-256 over [`canonical`] of this entry, hex.
    pub hash: String,
}

/// The bytes that are hashed: a version tag, then every field length-prefixed, so no two
/// different entries encode the same (no delimiter can be smuggled into a field).
pub fn canonical(seq: i64, at: &str, event: &AuditEvent, prev_hash: &str) -> Vec<u8> {
    let mut out = b"linesight-audit-v1\n".to_vec();
    let seq = seq.to_string();
    let fields: [Option<&str>; 9] = [
        Some(&seq),
        Some(at),
        Some(&event.actor),
        Some(&event.action),
        Some(&event.target),
        event.case_id.as_deref(),
        event.reason.as_deref(),
        Some(&event.details),
        Some(prev_hash),
    ];
    for f in fields {
        match f {
            // `-` marks an absent field, distinct from an empty one (`0:`).
            None => out.extend_from_slice(b"-\n"),
            Some(v) => {
                out.extend_from_slice(format!("{}:", v.len()).as_bytes());
                out.extend_from_slice(v.as_bytes());
                out.push(b'\n');
            }
        }
    }
    out
}

/// Hashes an entry's contents, hex.
pub fn hash(seq: i64, at: &str, event: &AuditEvent, prev_hash: &str) -> String {
    hex::encode(Sha256::digest(canonical(seq, at, event, prev_hash)))
}

/// Builds the next entry after `prev` (or the first, when `prev` is `None`).
pub fn next(prev: Option<(i64, &str)>, at: String, event: AuditEvent) -> AuditEntry {
    let (seq, prev_hash) = match prev {
        Some((seq, h)) => (seq + 1, h.to_owned()),
        None => (1, GENESIS.to_owned()),
    };
    let hash = hash(seq, &at, &event, &prev_hash);
    AuditEntry {
        seq,
        at,
        event,
        prev_hash,
        hash,
    }
}

/// How the chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's hash does not match its contents.
    Edited,
    /// The entry at this position is missing.
    Missing,
    /// The entry does not point at the one before it.
    Unlinked,
    /// The log ends before the head the database keeps.
    Truncated,
}

/// The first broken link in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    /// The position where the chain breaks.
    pub seq: i64,
    /// How it is broken.
    pub what: BreakKind,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.what {
            BreakKind::Edited => "hash does not match its contents (edited?)",
            BreakKind::Missing => "entry is missing (deleted?)",
            BreakKind::Unlinked => {
                "does not link to the entry before it (reordered, or an entry inserted or deleted?)"
            }
            BreakKind::Truncated => {
                "the log ends here but the database head records more entries (deleted from the end?)"
            }
        };
        write!(f, "audit chain broken at entry {}: {what}", self.seq)
    }
}

impl std::error::Error for Break {}

/// Verifies a chain read in `seq` order from its first entry. Pure.
///
/// Checks, entry by entry: positions run 1, 2, 3… (a gap is a deletion), each hash matches
/// the entry's contents (else an edit; a reorder by renumbering shows here too), and each
/// `prev_hash` is the hash of the entry before (else a reorder, insertion or deletion).
pub fn verify(entries: &[AuditEntry]) -> Result<(), Break> {
    let seqs: std::collections::HashSet<i64> = entries.iter().map(|e| e.seq).collect();
    let mut prev_hash = GENESIS;
    for (i, e) in entries.iter().enumerate() {
        let expected = i as i64 + 1;
        if e.seq != expected {
            // If `expected` is nowhere, it was deleted; if it is elsewhere, entries were reordered.
            let what = if seqs.contains(&expected) {
                BreakKind::Unlinked
            } else {
                BreakKind::Missing
            };
            return Err(Break {
                seq: expected,
                what,
            });
        }
        if e.hash != hash(e.seq, &e.at, &e.event, &e.prev_hash) {
            return Err(Break {
                seq: e.seq,
                what: BreakKind::Edited,
            });
        }
        if e.prev_hash != prev_hash {
            return Err(Break {
                seq: e.seq,
                what: BreakKind::Unlinked,
            });
        }
        prev_hash = &e.hash;
    }
    Ok(())
}

/// Verifies the chain and that it reaches the head (`seq`, `hash`) recorded separately,
/// which catches entries cut from the end.
pub fn verify_with_head(entries: &[AuditEntry], head: Option<(i64, &str)>) -> Result<(), Break> {
    verify(entries)?;
    let last = entries.last().map(|e| (e.seq, e.hash.as_str()));
    match (head, last) {
        (None, _) => Ok(()),
        (Some((hs, hh)), Some((ls, lh))) if hs == ls && hh == lh => Ok(()),
        (Some((hs, _)), Some((ls, _))) if hs > ls => Err(Break {
            seq: ls + 1,
            what: BreakKind::Truncated,
        }),
        (Some((hs, _)), None) if hs > 0 => Err(Break {
            seq: 1,
            what: BreakKind::Truncated,
        }),
        (Some(_), None) => Ok(()),
        (Some(_), Some((ls, _))) => Err(Break {
            seq: ls,
            what: BreakKind::Edited,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 1..=n {
            let prev = out.last().map(|e| (e.seq, e.hash.as_str()));
            let e = next(
                prev,
                format!("2026-12-01T06:00:{i:02}.000000Z"),
                AuditEvent {
                    actor: "dc.ola".into(),
                    action: "target.write".into(),
                    target: format!("target/{i}"),
                    case_id: Some("c1".into()),
                    reason: None,
                    details: "{}".into(),
                },
            );
            out.push(e);
        }
        out
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c), Ok(()));
        assert_eq!(verify_with_head(&c, Some((5, &c[4].hash))), Ok(()));
        assert_eq!(verify(&[]), Ok(()));
    }

    #[test]
    fn an_edit_is_named() {
        let mut c = chain(5);
        c[2].event.actor = "someone.else".into();
        let b = verify(&c).unwrap_err();
        assert_eq!(
            b,
            Break {
                seq: 3,
                what: BreakKind::Edited
            }
        );
        assert_eq!(
            b.to_string(),
            "audit chain broken at entry 3: hash does not match its contents (edited?)"
        );
    }

    #[test]
    fn a_deletion_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c),
            Err(Break {
                seq: 2,
                what: BreakKind::Missing
            })
        );
        let mut c = chain(5);
        let head = (5, c[4].hash.clone());
        c.pop();
        assert_eq!(
            verify_with_head(&c, Some((head.0, &head.1))),
            Err(Break {
                seq: 5,
                what: BreakKind::Truncated
            })
        );
    }

    #[test]
    fn a_reorder_is_named() {
        // Swapping the contents of two positions (keeping seq numbers) breaks the hash.
        let mut c = chain(5);
        let (a, b) = (c[1].clone(), c[2].clone());
        c[1] = AuditEntry { seq: 2, ..b };
        c[2] = AuditEntry { seq: 3, ..a };
        assert_eq!(
            verify(&c),
            Err(Break {
                seq: 2,
                what: BreakKind::Edited
            })
        );
        // Swapping whole entries (seq included) is seen as out of order.
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(
            verify(&c),
            Err(Break {
                seq: 2,
                what: BreakKind::Unlinked
            })
        );
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let mut c = chain(4);
        c[1].event.details = "{\"forged\":true}".into();
        c[1].hash = hash(2, &c[1].at, &c[1].event, &c[1].prev_hash);
        assert_eq!(
            verify(&c),
            Err(Break {
                seq: 3,
                what: BreakKind::Unlinked
            })
        );
    }

    #[test]
    fn absent_and_empty_fields_hash_differently() {
        let mut e = AuditEvent {
            actor: "a".into(),
            action: "b".into(),
            target: "c".into(),
            case_id: None,
            reason: None,
            details: String::new(),
        };
        let h1 = hash(1, "t", &e, GENESIS);
        e.reason = Some(String::new());
        assert_ne!(h1, hash(1, "t", &e, GENESIS));
    }
}
