//! Designs from what people already have: CloudFormation and SAM templates (YAML or JSON)
//! and draw.io diagrams.
//! The result is an ordinary design, arranged by [`crate::layout`], with a one-paragraph
//! report of what became what.

pub mod cfn;
mod conditions;
mod for_each;
mod lenient;
mod mapping;
mod network;
mod sam;
mod sam_ids;
mod stand_ins;
pub mod yaml;

use std::path::Path;

pub use cfn::{ImportOptions, Imported, import_template, import_template_with};
pub use yaml::At;

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

/// Reads and imports a template or a draw.io file (told apart by name, or by XML content),
/// with the same checks on the file as for designs; of a draw.io file, the first page with
/// AWS shapes.
pub fn import_file(path: &Path, options: ImportOptions) -> Result<Imported, ImportError> {
    import_file_page(path, options, &crate::drawio::PagePick::default())
}

/// [`import_file`], with the page of a draw.io file to read (templates have one).
pub fn import_file_page(
    path: &Path,
    options: ImportOptions,
    page: &crate::drawio::PagePick,
) -> Result<Imported, ImportError> {
    let text = read_source(path)?;
    import_text(path, &text, &path.display().to_string(), options, page)
}

/// Imports the text of a template or draw.io file named `path` (which tells the two apart
/// with the text), reported as `shown`: a file read, or a version of it from elsewhere (git).
pub fn import_text(
    path: &Path,
    text: &str,
    shown: &str,
    options: ImportOptions,
    page: &crate::drawio::PagePick,
) -> Result<Imported, ImportError> {
    if is_drawio_text(path, text) {
        crate::drawio::import_drawio_page(text, shown, page)
    } else {
        import_template_with(text, shown, options)
    }
}

/// A template's or draw.io file's text, read with the same limits as designs.
pub fn read_source(path: &Path) -> Result<String, ImportError> {
    crate::io::read_text(path, "template or draw.io").map_err(|e| ImportError {
        path: e.path,
        at: e.location.map(|(line, column)| At { line, column }),
        message: e.message,
    })
}

/// Whether a file read as `text` is a draw.io file: by its name, or by being XML.
pub fn is_drawio_text(path: &Path, text: &str) -> bool {
    crate::drawio::is_drawio(path) || text.trim_start().starts_with('<')
}

pub use crate::imported::ImportError;
