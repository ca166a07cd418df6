//! `linesight user`, `linesight case` and `linesight audit`: accounts, cases and the audit
//! chain of the operations database, from the command line. Every change is audited as
//! `cli:<os user>`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use linesight_db::{Actor, Db};
use linesight_ops::Role;
use linesight_ops::case::NewCase;

/// `--db`, shared by every operations command.
#[derive(Debug, Default, Args)]
pub(crate) struct DbArg {
    /// Database URL: sqlite://PATH (embedded; the default is sqlite://DATA/linesight.db, where
    /// DATA is $LINESIGHT_DATA_DIR, else $XDG_DATA_HOME/linesight, else ~/.local/share/linesight)
    /// or postgres://USER@HOST:PORT/DB for a shared multi-user server. Migrations run on open.
    #[arg(long, value_name = "URL", global = true)]
    db: Option<String>,
}

pub(crate) const USER_ABOUT: &str = "\
Create and disable user accounts of the operations database.

Each account has one role, which governs what it may do outside any case (create cases,
manage users, read the audit log). Inside a case, what a user may do is decided by the role
they hold in that case (see `linesight case add-member --help`). Roles:

  analyst             works the communications data; reads the analysis; records targets and
                      line closures
  investigator        targets, warrants, outcomes (arrests, exhibits, custody movements)
  operation_lead      runs the operation: members, the day-of-action plan, closing the case
  safeguarding_lead   safeguarding referrals and NRM drafts (children are victims, not suspects)
  disclosure_officer  reads everything in the case, changes nothing
  auditor             reads the audit log across all cases
  administrator       manages accounts; creates, closes and purges cases; sees no case records

Passwords are hashed with argon2id and read from standard input only (never the command line,
where shell history and `ps` would keep them). Disabling a user ends their sessions at once.
Every change is recorded in the audit log.";

/// `linesight user`.
#[derive(Debug, Args)]
pub(crate) struct UserArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user; read the password from standard input (at least 12 characters).
    Add {
        /// Login name.
        #[arg(long)]
        name: String,
        /// Account role: analyst, investigator, operation_lead, safeguarding_lead,
        /// disclosure_officer, auditor or administrator.
        #[arg(long)]
        role: Role,
        /// Read the password from the first line of standard input (required).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user: they cannot log in and their sessions end.
    Disable {
        /// Login name.
        #[arg(long)]
        name: String,
    },
    /// List users and their roles.
    List,
}

pub(crate) const CASE_ABOUT: &str = "\
Open, list, staff, close and purge cases (operations).

Compartments: a user sees a case only if they are a member of it, and then does only what
their role in that case allows. To anyone else the case does not exist (the API answers 404).

Retention: `close` makes a case read-only and sets the date from which its personal data may be
purged (`--retention-days`, per your force's policy). `purge` removes targets, warrants, the
plan, outcomes, referrals and closures, keeps the case outline, its members and the dashboard
figures, and records the purge in the audit log. Run `linesight case purge --due --reason …`
on a schedule (cron) to purge every case whose date has passed.";

/// `linesight case`.
#[derive(Debug, Args)]
pub(crate) struct CaseArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(subcommand)]
    command: CaseCommand,
}

#[derive(Debug, Subcommand)]
enum CaseCommand {
    /// Open a case.
    Create {
        /// Operation name, e.g. "Op Kestrel".
        #[arg(long)]
        name: String,
        /// The owning force or unit.
        #[arg(long)]
        force: String,
        /// A partner force (repeat for each).
        #[arg(long = "partner")]
        partners: Vec<String>,
        /// The linked case-store folder (the analysis workspace).
        #[arg(long, value_name = "CASE_DIR")]
        case_store: Option<PathBuf>,
        /// A user to add as the case's operation lead.
        #[arg(long, value_name = "USER")]
        lead: Option<String>,
    },
    /// List every case (id, status, name, owning force).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a member to a case, or change their role in it.
    AddMember {
        /// Case id.
        #[arg(long = "case")]
        case_id: String,
        /// Login name.
        #[arg(long)]
        user: String,
        /// Their role in this case.
        #[arg(long)]
        role: Role,
    },
    /// Close a case: read-only from now, personal data purgeable after the retention period.
    Close {
        /// Case id.
        #[arg(long = "case")]
        case_id: String,
        /// Days to keep personal data after closing.
        #[arg(long)]
        retention_days: u32,
    },
    /// Purge the personal data of a closed case whose retention period has passed.
    Purge {
        /// Case id (or use --due).
        #[arg(long = "case", required_unless_present = "due", conflicts_with = "due")]
        case_id: Option<String>,
        /// Purge every closed case whose retention period has passed.
        #[arg(long)]
        due: bool,
        /// Why, recorded in the audit log (e.g. "retention period ended").
        #[arg(long)]
        reason: String,
    },
}

pub(crate) const AUDIT_ABOUT: &str = "\
Verify the audit log's hash chain.

Every change, every read of personal data and every login is appended to the audit log. Each
entry stores the SHA-256 hash of its own contents and of the entry before it, so the entries
form a chain: editing an entry, deleting one, inserting one or reordering them breaks the chain
at that point, and cutting entries from the end no longer matches the head the database keeps.

`verify` reads the whole log and exits 0 with \"audit chain intact: N entries\" (and the head hash:
keep a copy elsewhere, so that even a rewrite of the whole chain can be detected), or exits
non-zero naming the first broken link, e.g.
  audit chain broken at entry 42: hash does not match its contents (edited?)";

/// `linesight audit`.
#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the chain from the first entry to the head; non-zero exit at the first broken link.
    Verify,
}

/// The data folder: $LINESIGHT_DATA_DIR, else the platform's data dir + `linesight`.
fn data_dir() -> Result<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = env("LINESIGHT_DATA_DIR")
        .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("linesight")))
        .or_else(|| env("APPDATA").map(|d| d.join("linesight")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/linesight")))
        .ok_or_else(|| anyhow!("no data folder: set LINESIGHT_DATA_DIR or pass --db"))?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating the data folder {}", dir.display()))?;
    Ok(dir)
}

/// The database URL `--db` names, or the default embedded SQLite file.
pub(crate) fn db_url(arg: &DbArg) -> Result<String> {
    Ok(match &arg.db {
        Some(u) => u.clone(),
        None => format!("sqlite://{}", data_dir()?.join("linesight.db").display()),
    })
}

fn open(arg: &DbArg) -> Result<(tokio::runtime::Runtime, Db)> {
    let url = db_url(arg)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let db = rt
        .block_on(Db::connect(&url))
        .with_context(|| format!("opening the operations database {url}"))?;
    Ok((rt, db))
}

fn actor() -> Actor {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    Actor::new(format!("cli:{who}"))
}

pub(crate) fn user(args: UserArgs) -> Result<()> {
    let (rt, db) = open(&args.db)?;
    let mut out = std::io::stdout().lock();
    match args.command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            if !password_stdin {
                bail!(
                    "pass --password-stdin and pipe the password in: a password on the command line ends up in shell history and `ps`"
                );
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            rt.block_on(db.add_user(&actor(), &name, role, password))?;
            writeln!(out, "created user {name} ({role})")?;
        }
        UserCommand::Disable { name } => {
            rt.block_on(db.disable_user(&actor(), &name))?;
            writeln!(out, "disabled user {name}; their sessions have ended")?;
        }
        UserCommand::List => {
            for u in rt.block_on(db.users())? {
                writeln!(
                    out,
                    "{:<24} {:<20} {}",
                    u.name,
                    u.role,
                    if u.disabled { "disabled" } else { "active" }
                )?;
            }
        }
    }
    rt.block_on(db.close());
    Ok(())
}

pub(crate) fn case(args: CaseArgs) -> Result<()> {
    let (rt, db) = open(&args.db)?;
    let mut out = std::io::stdout().lock();
    match args.command {
        CaseCommand::Create {
            name,
            force,
            partners,
            case_store,
            lead,
        } => {
            let case_store = case_store.map(|p| {
                std::fs::canonicalize(&p)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            });
            let spec = NewCase {
                name,
                owning_force: force,
                partner_forces: partners,
                case_store,
            };
            let case = rt.block_on(db.create_case(
                &actor(),
                &spec,
                lead.as_deref().map(|u| (u, Role::OperationLead)),
            ))?;
            writeln!(out, "{}", case.id)?;
        }
        CaseCommand::List { json } => {
            let cases = rt.block_on(db.cases())?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&cases)?)?;
            } else {
                for c in cases {
                    writeln!(
                        out,
                        "{}  {:<7} {}  ({})",
                        c.id,
                        c.status.as_str(),
                        c.spec.name,
                        c.spec.owning_force
                    )?;
                }
            }
        }
        CaseCommand::AddMember {
            case_id,
            user,
            role,
        } => {
            rt.block_on(db.add_member(&actor(), &case_id, &user, role))?;
            writeln!(out, "{user} is now {role} in case {case_id}")?;
        }
        CaseCommand::Close {
            case_id,
            retention_days,
        } => {
            let c = rt.block_on(db.close_case(&actor(), &case_id, retention_days))?;
            let after = c
                .purge_after
                .map(linesight_db::time_text)
                .unwrap_or_default();
            writeln!(
                out,
                "closed case {case_id}; personal data may be purged from {after}"
            )?;
        }
        CaseCommand::Purge {
            case_id,
            due,
            reason,
        } => {
            let now = chrono::Utc::now();
            let ids = if due {
                rt.block_on(db.cases_due_for_purge(now))?
                    .into_iter()
                    .map(|c| c.id)
                    .collect()
            } else {
                case_id.into_iter().collect::<Vec<_>>()
            };
            for id in &ids {
                rt.block_on(db.purge_case(&actor().because(reason.clone()), id, now))?;
                writeln!(out, "purged the personal data of case {id}")?;
            }
            if ids.is_empty() {
                writeln!(out, "no case is due for purging")?;
            }
        }
    }
    rt.block_on(db.close());
    Ok(())
}

pub(crate) fn audit(args: AuditArgs) -> Result<()> {
    let (rt, db) = open(&args.db)?;
    let AuditCommand::Verify = args.command;
    let check = rt.block_on(db.verify_audit())?;
    rt.block_on(db.close());
    if let Some(b) = check.broken {
        return Err(anyhow!(b));
    }
    writeln!(
        std::io::stdout().lock(),
        "audit chain intact: {} entries (head {} {})",
        check.entries,
        check.head.0,
        check.head.1
    )?;
    Ok(())
}
