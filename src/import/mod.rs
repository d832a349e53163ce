//! Designs from what people already have: CloudFormation and SAM templates (YAML or JSON)
//! and draw.io diagrams.
//! The result is an ordinary design, arranged by [`crate::layout`], with a one-paragraph
//! report of what became what.

pub mod cfn;
mod mapping;
pub mod yaml;

use std::fmt;

pub use cfn::{ImportOptions, Imported, import_template, import_template_with};
pub use yaml::At;

use std::path::Path;

/// Whether a file is one `import` reads (a template or a draw.io diagram) rather than a design.
pub fn is_importable(path: &Path) -> bool {
    crate::drawio::is_drawio(path) || is_template(path)
}

/// Whether a file is a CloudFormation or SAM template by its name.
pub fn is_template(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json" | "template")
    )
}

/// Reads and imports a template or a draw.io file, with the same size limit as designs and a clear message for
/// a missing, unreadable or non-UTF-8 file.
pub fn import_file(path: &Path, options: ImportOptions) -> Result<Imported, ImportError> {
    let shown = path.display().to_string();
    let fail = |message: String| ImportError {
        path: shown.clone(),
        at: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(fail("is a folder, not a template".into()));
    }
    if meta.len() > crate::io::MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file is too large to import ({:.1} MB; the limit is {} MB)",
            meta.len() as f64 / 1e6,
            crate::io::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| fail("the file is not UTF-8 text, so it is not a template".into()))?;
    let looks_like_xml = text.trim_start().starts_with('<');
    if crate::drawio::is_drawio(path) || looks_like_xml {
        crate::drawio::import_drawio(&text, &shown)
    } else {
        import_template_with(&text, &shown, options)
    }
}

/// Why a file could not be imported: where, and what a person can do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub at: Option<At>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.path, at.line, at.column, self.message
            ),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ImportError {}
