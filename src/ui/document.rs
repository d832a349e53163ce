//! The open design with its history and file, and the rules for replacing it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::edit::{EditCommand, EditError, History};
use crate::io::{self, LoadError, SaveError};
use crate::model::Design;

/// One open design. Its fields are private: the design changes only through
/// [`Document::apply`], undo and redo, so the history always knows what changed and whether
/// it is saved.
#[derive(Default)]
pub struct Document {
    design: Design,
    history: History,
    /// Where it was loaded from or last saved to.
    path: Option<PathBuf>,
    /// Changes whenever a different design is put in place, so caches keyed on
    /// (generation, revision) never mistake one design for another.
    generation: u64,
    /// The file as this document last read or wrote it, so a save can tell that someone else
    /// (another window, `git pull`) changed it since; `None` when this document never saw it.
    seen: Option<FileStamp>,
}

/// What a file looked like: its size and time (cheap to compare) and a hash of its text (to
/// tell a real change from a file merely touched).
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

impl FileStamp {
    /// The stamp of `path` holding `text` (as it was read or written).
    fn of(path: &Path, text: &str) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            hash: text_hash(text),
        })
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Document {
    /// Opens a file; on error the caller keeps its current document.
    pub fn open(path: &Path, generation: u64) -> Result<Self, LoadError> {
        let (design, text) = io::load_file_with_text(path)?;
        Ok(Self {
            design,
            history: History::default(),
            path: Some(path.to_path_buf()),
            generation,
            seen: FileStamp::of(path, &text),
        })
    }

    /// A new, unsaved document holding `design` (empty, or from a template).
    pub fn unsaved(design: Design, generation: u64) -> Self {
        let mut history = History::default();
        if !design.nodes().is_empty() || !design.groups().is_empty() {
            history.mark_unsaved();
        }
        Self {
            design,
            history,
            path: None,
            generation,
            seen: None,
        }
    }

    /// A design recovered from an autosave written at `autosaved`: unsaved, and saved back to
    /// `original` (the file it came from) when there was one. An original changed after the
    /// autosave was written counts as changed on disk, so saving over it asks first.
    pub fn recovered(
        design: Design,
        original: Option<PathBuf>,
        autosaved: SystemTime,
        generation: u64,
    ) -> Self {
        let mut history = History::default();
        history.mark_unsaved();
        let seen = original.as_deref().and_then(|p| {
            let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok()?;
            let text = io::read_text(p, "design").ok()?;
            (modified <= autosaved).then(|| FileStamp::of(p, &text))?
        });
        Self {
            design,
            history,
            path: original,
            generation,
            seen,
        }
    }

    /// Saves to `path` and remembers it as the document's file. Saving over a file someone
    /// else changed is the caller's decision: ask with [`Document::changed_on_disk`] first.
    pub fn save_to(&mut self, path: &Path) -> Result<(), SaveError> {
        let text = io::to_ron_string(&self.design);
        io::save_text(&text, path)?;
        self.path = Some(path.to_path_buf());
        self.seen = FileStamp::of(path, &text);
        self.history.mark_saved();
        Ok(())
    }

    /// Whether the document's file changed on disk since this document read or wrote it
    /// (another window saved it, a `git checkout` replaced it): saving would overwrite that
    /// work, so the window asks first. A file that is gone has nothing to lose.
    pub fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        let Some(seen) = &self.seen else {
            return true;
        };
        if meta.len() == seen.len && meta.modified().ok() == seen.modified {
            return false;
        }
        // Touched but perhaps not changed: the text decides.
        io::read_text(path, "design").map_or(true, |text| text_hash(&text) != seen.hash)
    }

    /// Applies an edit through the history.
    pub fn apply(
        &mut self,
        command: EditCommand,
        merge_key: Option<&str>,
    ) -> Result<(), EditError> {
        self.history.apply(&mut self.design, command, merge_key)
    }

    /// The design as it stands.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// Its undo history (revisions, what can be undone).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The file it was loaded from or last saved to.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Which design this is, for caches (see the field).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Undoes the last step; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.history.undo(&mut self.design)
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> bool {
        self.history.redo(&mut self.design)
    }

    /// Ends the current typing or dragging burst: the next edit is a step of its own.
    pub fn seal(&mut self) {
        self.history.seal();
    }

    /// Whether there are unsaved changes.
    pub fn is_modified(&self) -> bool {
        self.history.is_modified()
    }

    /// The name shown in the title bar.
    pub fn display_name(&self) -> String {
        if !self.design.title.is_empty() {
            return self.design.title.clone();
        }
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled design".into())
    }
}

/// The recently opened files, newest first, kept in the user's config folder.
pub struct RecentFiles {
    pub paths: Vec<PathBuf>,
    store: Option<PathBuf>,
}

impl RecentFiles {
    const MAX: usize = 10;

    /// Reads the list from `store` (None keeps it in memory only, as tests do).
    pub fn load(store: Option<PathBuf>) -> Self {
        let paths = store
            .as_ref()
            .and_then(|s| std::fs::read_to_string(s).ok())
            .map(|t| {
                t.lines()
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .collect()
            })
            .unwrap_or_default();
        Self { paths, store }
    }

    /// Moves `path` to the front and writes the list (failures to write are not worth a dialog).
    pub fn touch(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|p| p != &path);
        self.paths.insert(0, path);
        self.paths.truncate(Self::MAX);
        if let Some(store) = &self.store {
            let text: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
            remember(store, &(text.join("\n") + "\n"));
        }
    }
}

/// Writes a remembered setting (recent files, export choices, rules, theme) atomically,
/// creating its folder. A setting that cannot be written is not worth a dialog: the window
/// goes on with it in memory.
pub fn remember(store: &Path, text: &str) {
    if let Some(dir) = store.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = io::write_atomic(store, text.as_bytes(), false);
}
