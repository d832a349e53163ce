//! Loading and saving designs: parse, validate, then build a [`Design`]; write atomically.
//!
//! Every failure becomes one [`LoadError`] naming the file, the line and column, and what is
//! wrong, so the window and the CLI can show the same message.

mod file;
mod locate;
mod write;

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{Design, DesignParts};
pub use locate::Locations;
pub use write::{HEADER, quote, to_ron_string};

/// The format version this program reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Files larger than this are refused before they are read (see [`crate::limits`]).
pub const MAX_FILE_BYTES: u64 = crate::limits::MAX_FILE_BYTES;

/// One mebibyte: sizes in messages are stated in MiB, the unit of the limit.
pub const MIB: u64 = 1024 * 1024;

/// A size in MiB with one decimal, for messages.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}

/// Why a design could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// What went wrong, for code that reacts to it (the message says it to a person).
    pub kind: LoadErrorKind,
    /// The file as the person named it ("<text>" for in-memory text).
    pub path: String,
    /// 1-based line and column, where the problem has one.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

/// The kinds of load failure: each asks something different of the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file cannot be read: missing, not permitted, or a folder.
    Unreadable,
    /// Larger than archsketch opens.
    TooLarge,
    /// Not UTF-8 text.
    NotText,
    /// Not RON, or not shaped like a design (an unknown field, a wrong type, a repeated key).
    Syntax,
    /// Written for a newer or unknown format version.
    Format,
    /// Well formed, but breaks a rule of the format: a repeated id, a reference to nothing,
    /// a group inside itself, a position that is no number.
    Invalid,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// Why a design could not be saved; the file on disk is left as it was.
#[derive(Debug, thiserror::Error)]
#[error("cannot save {path}: {source}")]
pub struct SaveError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads and validates a design file.
pub fn load_file(path: &Path) -> Result<Design, LoadError> {
    load_file_with_text(path).map(|(design, _)| design)
}

/// Reads and validates a design file, also returning its text (reports point into it).
pub fn load_file_with_text(path: &Path) -> Result<(Design, String), LoadError> {
    let text = read_text(path, "design")?;
    let design = load_str(&text, &path.display().to_string())?;
    Ok((design, text))
}

/// A file's text, refused with one clear message when it is missing, a folder, over
/// [`MAX_FILE_BYTES`] or not UTF-8 (with where the first bad byte is). `what` names the kind
/// of file expected, for the messages: "design", "template or draw.io file".
pub fn read_text(path: &Path, what: &str) -> Result<String, LoadError> {
    let shown = path.display().to_string();
    let fail = |kind: LoadErrorKind, message: String| LoadError {
        kind,
        path: shown.clone(),
        location: None,
        message,
    };
    let unreadable = |e: std::io::Error| {
        fail(
            LoadErrorKind::Unreadable,
            format!("cannot read the file: {}", io_reason(&e)),
        )
    };
    let meta = fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(fail(
            LoadErrorKind::Unreadable,
            format!("is a folder, not a {what} file"),
        ));
    }
    // A device (`/dev/zero`) would be read for ever, a FIFO would block opening it.
    if !meta.is_file() {
        return Err(fail(
            LoadErrorKind::Unreadable,
            format!("is not a regular file (a device, a pipe or a socket), not a {what} file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            LoadErrorKind::TooLarge,
            format!(
                "the file is too large to be a {what} ({}; archsketch opens files up to {})",
                mib(meta.len()),
                mib(MAX_FILE_BYTES)
            ),
        ));
    }
    // Read at most one byte past the limit, whatever the file's size said a moment ago.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| {
            use std::io::Read;
            f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        })
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(
            LoadErrorKind::TooLarge,
            format!(
                "the file grew past {} while being read; archsketch opens files up to that",
                mib(MAX_FILE_BYTES)
            ),
        ));
    }
    // A byte-order mark is not part of the text (editors on Windows write one).
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // A NUL byte would end a template early for YAML, silently dropping what follows.
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let good = String::from_utf8_lossy(&bytes[..nul]);
        let (line, col) = Locations::of(&good).line_col(&good, usize::MAX);
        return Err(LoadError {
            kind: LoadErrorKind::NotText,
            path: shown.clone(),
            location: Some((line, col)),
            message: "the file holds a NUL byte, so it is not a text file".into(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        let (line, col) = Locations::of(&good).line_col(&good, usize::MAX);
        LoadError {
            kind: LoadErrorKind::NotText,
            path: shown.clone(),
            location: Some((line, col)),
            message: "the file is not UTF-8 text".into(),
        }
    })
}

/// Parses and validates design text; `path` is only used in messages.
pub fn load_str(text: &str, path: &str) -> Result<Design, LoadError> {
    // Places are only needed to point at a problem: found when one is.
    let at = |kind: LoadErrorKind, offset: usize, message: String| LoadError {
        kind,
        path: path.to_string(),
        location: Some(Locations::of(text).line_col(text, offset)),
        message,
    };
    let format = Locations::format_of(text);
    if let Some((offset, version)) = format
        && version > FORMAT_VERSION
    {
        return Err(at(
            LoadErrorKind::Format,
            offset,
            format!(
                "this design was made by a newer version of archsketch (format {version}; this version reads format {FORMAT_VERSION})"
            ),
        ));
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let parsed: file::DesignFile = options.from_str(text).map_err(|e| LoadError {
        kind: LoadErrorKind::Syntax,
        path: path.to_string(),
        location: Some((e.span.start.line, e.span.start.col)),
        message: describe_ron_error(&e.code, "design file"),
    })?;
    if parsed.format != FORMAT_VERSION {
        let offset = format.map_or(0, |(o, _)| o);
        return Err(at(
            LoadErrorKind::Format,
            offset,
            format!(
                "unknown format {}: this version reads format {FORMAT_VERSION}",
                parsed.format
            ),
        ));
    }
    let parts = DesignParts::from(parsed);
    if let Some((id, what, field)) = first_non_finite(&parts) {
        let offset = locate_id(text, id, true, 0);
        return Err(at(
            LoadErrorKind::Invalid,
            offset,
            format!("{what} \"{id}\" has a {field} that is not a finite number"),
        ));
    }
    Design::from_parts(parts).map_err(|inv| {
        let offset = locate_id(text, &inv.id, inv.at_definition, inv.occurrence);
        at(LoadErrorKind::Invalid, offset, inv.message)
    })
}

/// The first element with a coordinate that is NaN or infinite (a node's position, an edge's
/// bend, a box's frame), with what it is and which coordinate: no drawing, route or export can
/// place it. An edge is named by its source, where its line is found.
fn first_non_finite(design: &DesignParts) -> Option<(&str, &'static str, &'static str)> {
    let finite = |p: &crate::model::Pos| p.x.is_finite() && p.y.is_finite();
    if let Some(n) = design.nodes.iter().find(|n| !finite(&n.pos)) {
        return Some((n.id.as_str(), "node", "position"));
    }
    if let Some(e) = design.edges.iter().find(|e| !e.bends.iter().all(finite)) {
        return Some((e.from.as_str(), "edge from", "bend"));
    }
    design
        .groups
        .iter()
        .find(|g| {
            g.frame
                .is_some_and(|f| ![f.x, f.y, f.width, f.height].iter().all(|v| v.is_finite()))
        })
        .map(|g| (g.id.as_str(), "group", "frame"))
}

/// Writes the design atomically and keeps the previous version as `NAME.ron.bak`.
pub fn save_file(design: &Design, path: &Path) -> Result<(), SaveError> {
    save_text(&to_ron_string(design), path)
}

/// [`save_file`] for a design already written as text (the window keeps the text it saved,
/// to tell later whether someone else changed the file).
pub fn save_text(text: &str, path: &Path) -> Result<(), SaveError> {
    write_atomic(path, text.as_bytes(), true).map_err(|source| SaveError {
        path: path.display().to_string(),
        source,
    })
}

/// Temporary files being written right now, so an interrupted command can remove them.
static IN_FLIGHT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn in_flight() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes Ctrl+C and SIGTERM remove any temporary file a save or export is writing, then exit
/// with 130: an interrupted export leaves the folder as it was. For the headless commands.
pub fn remove_temporaries_when_interrupted() -> Result<(), String> {
    ctrlc::set_handler(|| {
        for tmp in in_flight().drain(..) {
            let _ = fs::remove_file(tmp);
        }
        std::process::exit(130);
    })
    .map_err(|e| e.to_string())
}

/// Writes `bytes` to `path` so that no reader ever sees half a file: a temporary file in the
/// same folder, flushed, then renamed over the target. With `backup`, an existing target is
/// first copied to `NAME.bak`, itself through a temporary file, so a full disk leaves the old
/// `.bak` whole. On any error the temporary files are removed and the target is left as it
/// was. A link is followed only to a regular file (never replaces a device), and temporary
/// files left by a killed earlier write of the same target are removed first.
pub fn write_atomic(path: &Path, bytes: &[u8], backup: bool) -> std::io::Result<()> {
    let path = writable_target(path)?;
    let path = path.as_path();
    // The new file gets the old one's permissions (a private design stays private).
    let permissions = fs::metadata(path).ok().map(|m| m.permissions());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    remove_stale_temporaries(&dir, Some(&name));
    let tmp = dir.join(temporary_name(&name, std::process::id()));
    let bak_tmp = dir.join(temporary_name(&format!("{name}.bak"), std::process::id()));
    in_flight().push(tmp.clone());
    in_flight().push(bak_tmp.clone());
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(p) = &permissions {
            fs::set_permissions(&tmp, p.clone())?;
        }
        if backup && path.exists() {
            let mut bak = path.as_os_str().to_owned();
            bak.push(".bak");
            fs::copy(path, &bak_tmp)?;
            fs::File::open(&bak_tmp)?.sync_all()?;
            fs::rename(&bak_tmp, PathBuf::from(bak))?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(&bak_tmp);
    }
    in_flight().retain(|p| p != &tmp && p != &bak_tmp);
    result
}

/// Where a write to `path` lands: the path itself, or the regular file a link points at. A
/// device, pipe, socket or folder (directly or through a link) is refused: renaming over it
/// would replace `/dev/null` itself for a user allowed to.
fn writable_target(path: &Path) -> std::io::Result<PathBuf> {
    let refuse = |what: &str| {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} {what}; archsketch writes only regular files",
                path.display()
            ),
        ))
    };
    let resolved = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(target) => target,
            // A dangling link: the file it names is created.
            Err(_) => match fs::read_link(path) {
                Ok(target) if target.is_absolute() => target,
                Ok(target) => path.parent().unwrap_or(Path::new(".")).join(target),
                Err(e) => return Err(e),
            },
        },
        _ => path.to_path_buf(),
    };
    match fs::metadata(&resolved) {
        Ok(meta) if meta.is_dir() => refuse("is a folder"),
        Ok(meta) if !meta.is_file() => refuse("is a device, a pipe or a socket, not a file"),
        _ => Ok(resolved),
    }
}

/// The temporary file a process writes `name` through: hidden, and naming the process so a
/// later write can tell a dead writer's leftover from a running one's.
fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes what a killed write left in `dir`: `.NAME.PID.tmp` files (for the target `name`
/// and its `.bak`, or for any name with `None`) whose process no longer runs. Where processes
/// cannot be looked up (no `/proc`), only files older than an hour are taken to be leftovers.
pub fn remove_stale_temporaries(dir: &Path, name: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some((written, pid)) = temporary_parts(file) else {
            continue;
        };
        let ours = name.is_none_or(|n| written == n || written == format!("{n}.bak"));
        if ours && pid != std::process::id() && !process_runs(pid, &entry.path()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The file a temporary file was writing and the writer's process id, from `.NAME.PID.tmp`.
fn temporary_parts(file: &str) -> Option<(&str, u32)> {
    let rest = file.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (written, pid) = rest.rsplit_once('.')?;
    Some((written, pid.parse().ok()?))
}

/// Whether process `pid` (the writer of `tmp`) still runs.
fn process_runs(pid: u32, tmp: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = fs::metadata(tmp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a < std::time::Duration::from_secs(3600))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// A RON parse error in words; `what` names the kind of file ("design file", "rule pack").
pub(crate) fn describe_ron_error(code: &ron::Error, what: &str) -> String {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{found}`{} (expected one of: {})",
            outer
                .as_ref()
                .map(|o| format!(" in {o}"))
                .unwrap_or_default(),
            expected.join(", ")
        ),
        E::MissingStructField { field, outer } => format!(
            "missing required field `{field}`{}",
            outer
                .as_ref()
                .map(|o| format!(" in {o}"))
                .unwrap_or_default()
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown value `{found}`{} (expected one of: {})",
            outer
                .as_ref()
                .map(|o| format!(" for {o}"))
                .unwrap_or_default(),
            expected.join(", ")
        ),
        other => format!("not a valid {what}: {other}"),
    }
}

/// Byte offset of the `occurrence`-th quoted appearance of `id` as a definition (`id: "x"`)
/// or as a reference (anywhere else), for pointing at the element a message is about.
fn locate_id(text: &str, id: &str, definition: bool, occurrence: usize) -> usize {
    let needle = quote(id);
    let is_definition = |i: usize| {
        let before = text[..i].trim_end();
        before
            .strip_suffix(':')
            .is_some_and(|b| b.trim_end().ends_with("id") && !b.trim_end().ends_with("_id"))
    };
    let hits: Vec<usize> = text
        .match_indices(&needle)
        .map(|(i, _)| i)
        .filter(|&i| is_definition(i) == definition)
        .collect();
    hits.get(occurrence).or(hits.last()).copied().unwrap_or(0)
}
