//! The writer lock: a `.lock` file created with `create_new` and holding the writer's
//! process id, so two ingests never write one case at once. A lock left by a process
//! that no longer runs (killed, crashed) is taken over.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StoreError;

/// Holds the case's writer lock until dropped.
#[derive(Debug)]
pub(crate) struct WriterLock {
    path: PathBuf,
}

impl WriterLock {
    /// Takes the lock in `case_dir`, taking over a stale one.
    pub(crate) fn acquire(case_dir: &Path) -> Result<Self, StoreError> {
        let path = case_dir.join(".lock");
        // Two attempts: the second follows the removal of a stale lock.
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let io = |source| StoreError::Io {
                        path: path.clone(),
                        action: "write the lock file",
                        source,
                    };
                    write!(f, "{}", std::process::id()).map_err(io)?;
                    f.sync_all().map_err(io)?;
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = fs::read_to_string(&path).unwrap_or_default();
                    let pid = text.trim().parse::<u32>().ok();
                    match pid {
                        Some(pid) if !process_alive(pid) => {
                            // The holder is gone: its run never committed, so the lock
                            // protects nothing.
                            fs::remove_file(&path).map_err(|source| StoreError::Io {
                                path: path.clone(),
                                action: "remove the stale lock file",
                                source,
                            })?;
                        }
                        _ => {
                            return Err(StoreError::Locked {
                                path,
                                holder: text.trim().to_owned(),
                            });
                        }
                    }
                }
                Err(source) => {
                    return Err(StoreError::Io {
                        path,
                        action: "create the lock file",
                        source,
                    });
                }
            }
        }
        Err(StoreError::Locked {
            path,
            holder: "unknown (the lock reappeared while taking it over)".into(),
        })
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether a process with this id runs. Where `/proc` is not available the answer is
/// "yes", so a lock is never stolen on a guess.
fn process_alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_and_stale_lock_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let lock = WriterLock::acquire(dir.path()).unwrap();
        let err = WriterLock::acquire(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains(".lock"));
        drop(lock);
        assert!(!dir.path().join(".lock").exists());
        // A pid far above any pid_max is never alive.
        fs::write(dir.path().join(".lock"), "4294967290").unwrap();
        let _lock = WriterLock::acquire(dir.path()).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(".lock")).unwrap(),
            std::process::id().to_string()
        );
    }
}
