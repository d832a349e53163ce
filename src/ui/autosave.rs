//! Never lose work: a design with unsaved changes is written to the user's data folder a few
//! seconds after the last change, and removed once it is saved or the window closes cleanly.
//! After a crash (or `kill -9`) the file stays, and the next start offers to recover it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::document::Document;

/// How long the design must stay unchanged before it is written.
pub const QUIET: Duration = Duration::from_secs(3);

/// This window's autosave.
pub struct Autosave {
    /// The folder autosaves go to; `None` turns autosave off (tests that do not test it).
    dir: Option<PathBuf>,
    /// This session's file name stem: `recovery-<pid>-<start>`, so sessions never clash and a
    /// later start can tell a dead session's file from a running window's.
    session: String,
    /// This session's autosave, in `dir` (worked out once, not every frame).
    file: Option<PathBuf>,
    /// The (generation, revision) last written.
    written: Option<(u64, u64)>,
    /// When the design last changed, and to what.
    changed: Option<(Instant, (u64, u64))>,
    /// A write failed (said once, then retried quietly).
    pub failed: Option<String>,
    /// The earlier session's autosave this window recovered: kept until this session's own
    /// autosave or a save holds the work, so a crash right after Recover loses nothing.
    adopted: Option<Recovery>,
}

/// An autosave left by a session that did not close cleanly.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// The autosaved design.
    pub file: PathBuf,
    /// The file the design came from, if it had one.
    pub original: Option<PathBuf>,
    /// When it was written.
    pub written: SystemTime,
}

impl Autosave {
    /// Autosaves into `dir` (`None`: off).
    pub fn new(dir: Option<PathBuf>) -> Self {
        let start = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let session = format!("recovery-{}-{start}", std::process::id());
        // What a window killed in the middle of writing its autosave left behind.
        if let Some(dir) = &dir {
            crate::io::remove_stale_temporaries(dir, None);
        }
        Autosave {
            file: dir.as_ref().map(|d| d.join(format!("{session}.ron"))),
            dir,
            session,
            written: None,
            changed: None,
            failed: None,
            adopted: None,
        }
    }

    /// Takes over an earlier session's autosave whose design is now open: it stays on disk
    /// (and is offered again if this window dies) until the work is autosaved or saved here.
    pub fn adopt(&mut self, recovery: Recovery) {
        self.adopted = Some(recovery);
    }

    /// The recovered autosave is no longer needed: this session holds the work.
    fn release_adopted(&mut self) {
        if let Some(old) = self.adopted.take() {
            discard(&old);
        }
    }

    /// `$XDG_DATA_HOME/archsketch/autosave`, else `~/.local/share/archsketch/autosave`.
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share"))
            })?;
        Some(base.join("archsketch").join("autosave"))
    }

    /// Called every frame: writes the design once it has had unsaved changes and been quiet
    /// for [`QUIET`], and removes the autosave once nothing is unsaved. Returns how long to
    /// wait before calling again when a write is due.
    pub fn tick(&mut self, doc: &Document, now: Instant) -> Option<Duration> {
        let file = self.file.as_ref()?;
        let key = (doc.generation(), doc.history().revision());
        if !doc.is_modified() {
            if self.written.take().is_some() {
                remove(file);
            }
            self.release_adopted();
            self.changed = None;
            return None;
        }
        if self.written == Some(key) {
            return None;
        }
        let since = match self.changed {
            Some((at, k)) if k == key => at,
            _ => {
                self.changed = Some((now, key));
                now
            }
        };
        let waited = now.saturating_duration_since(since);
        if waited < QUIET {
            return Some(QUIET - waited);
        }
        match write(doc, file) {
            Ok(()) => {
                self.written = Some(key);
                self.failed = None;
                self.release_adopted();
                None
            }
            Err(e) => {
                self.failed = Some(e);
                // Try again after another quiet spell.
                self.changed = Some((now, key));
                Some(QUIET)
            }
        }
    }

    /// Removes this session's autosave: the window closes cleanly, or the work was saved.
    pub fn clear(&mut self) {
        if let Some(file) = &self.file {
            remove(file);
        }
        self.release_adopted();
        self.written = None;
        self.changed = None;
    }

    /// Autosaves of sessions that ended without closing cleanly, newest first.
    pub fn orphans(&self) -> Vec<Recovery> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<Recovery> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .filter(|p| {
                let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
                stem.is_some_and(|s| {
                    s.starts_with("recovery-") && s != self.session && !running(&s)
                })
            })
            .map(|file| Recovery {
                original: std::fs::read_to_string(file.with_extension("path"))
                    .ok()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| PathBuf::from(s.trim())),
                written: std::fs::metadata(&file)
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH),
                file,
            })
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.written));
        found
    }
}

/// Writes the design and the note of the file it came from.
fn write(doc: &Document, file: &Path) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = crate::io::to_ron_string(doc.design());
    crate::io::write_atomic(file, text.as_bytes(), false)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let origin = doc
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    crate::io::write_atomic(&file.with_extension("path"), origin.as_bytes(), false)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Removes an autosave and its note of the original file.
pub fn discard(recovery: &Recovery) {
    remove(&recovery.file);
}

fn remove(file: &Path) {
    let _ = std::fs::remove_file(file);
    let _ = std::fs::remove_file(file.with_extension("path"));
}

/// Whether the session that owns `stem` (`recovery-<pid>-<start>`) still runs: another window
/// is open with it. Sessions of this process other than this one are over (tests make them).
fn running(stem: &str) -> bool {
    let pid = stem.split('-').nth(1).and_then(|p| p.parse::<u32>().ok());
    match pid {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) => Path::new("/proc").join(pid.to_string()).exists(),
        None => false,
    }
}
