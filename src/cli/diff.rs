//! `archsketch diff`: two versions of an architecture compared, each a design, a template or
//! a draw.io file, the old one possibly a git revision of the new one's file (read with
//! `git show`, nothing checked out).

use std::io::Write;
use std::path::Path;
use std::process::Command;

use super::{CliError, DiffArgs, DiffFormat, FailOn, OutlineArgs, usage};
use crate::model::Design;
use crate::rules::Severity;

/// Compares, prints the review, and fails when the change introduces findings at
/// `--fail-on`'s severity.
pub(super) fn run(args: &DiffArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let new = read_file(&args.new)?;
    let old = if Path::new(&args.old).exists() {
        read_file(Path::new(&args.old))?
    } else {
        read_revision(&args.old, &args.new)?
    };
    let review = crate::review::compare(&old, &new);
    if let Some(out) = &args.output {
        // An imported version is laid out by the program: drawn where the old one stands.
        let mut placed = new.clone();
        if crate::import::is_importable(&args.new) {
            crate::review::keep_old_places(&review, &old, &mut placed);
        }
        draw(&review, &old, &placed, out)?;
    }
    let out = match args.format {
        DiffFormat::Text => crate::report::lines_for_terminal(&crate::review::text(&review)),
        DiffFormat::Json => crate::review::json(&review),
        DiffFormat::Markdown => crate::review::markdown(&review, &old, &new),
    };
    stdout
        .write_all(out.as_bytes())
        .map_err(|source| CliError::Output {
            what: "the review",
            source,
        })?;
    let floor = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        None => return Ok(()),
    };
    match review.introduced_at(floor) {
        0 => Ok(()),
        n => Err(CliError::Findings(n)),
    }
}

/// Writes the drawing of the change.
fn draw(
    review: &crate::review::Review,
    old: &Design,
    new: &Design,
    out: &Path,
) -> Result<(), CliError> {
    use crate::export::{ExportOptions, Format, RasterSize};
    super::not_a_folder(out, "diff.svg")?;
    let format = match Format::from_path(out) {
        Some(f @ (Format::Svg | Format::Png | Format::Pdf)) => f,
        _ => {
            return Err(usage(format!(
                "{}: a change is drawn as .svg, .png or .pdf",
                out.display()
            )));
        }
    };
    let drawn = crate::review::drawing(review, old, new);
    let options = ExportOptions {
        highlights: drawn.highlights(),
        key: crate::review::key(review),
        title: !drawn.design.title.is_empty(),
        ..ExportOptions::default()
    };
    Ok(crate::export::export_file(
        &drawn.design,
        out,
        format,
        &options,
        RasterSize::Scale(1.0),
    )?)
}

/// Prints one version one element a line.
pub(super) fn outline(args: &OutlineArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let design = read_file(&args.file)?;
    stdout
        .write_all(crate::report::lines_for_terminal(&crate::review::outline(&design)).as_bytes())
        .map_err(|source| CliError::Output {
            what: "the outline",
            source,
        })
}

/// A design, or a template or draw.io file imported as `check` imports it.
fn read_file(path: &Path) -> Result<Design, CliError> {
    if crate::import::is_importable(path) {
        let imported = crate::import::import_file(path, crate::import::ImportOptions::default())?;
        Ok(imported.design)
    } else {
        Ok(crate::io::load_file(path)?)
    }
}

/// `file` as it was at git revision `rev`, read from the repository around it.
fn read_revision(rev: &str, file: &Path) -> Result<Design, CliError> {
    if rev.starts_with('-') {
        return Err(usage(format!("{rev}: not a file, nor a git revision")));
    }
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .ok_or_else(|| usage(format!("{}: not a file", file.display())))?;
    let spec = format!("{rev}:./{}", name.to_string_lossy());
    let shown = format!("{} at {rev}", file.display());
    let run = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", &spec])
        .output()
        .map_err(|e| usage(format!("{}: no such file, and git cannot run ({e})", rev)))?;
    if !run.status.success() {
        let why = String::from_utf8_lossy(&run.stderr);
        return Err(usage(format!(
            "{rev}: no such file, nor a git revision of {}: {}",
            file.display(),
            why.trim()
        )));
    }
    let text =
        String::from_utf8(run.stdout).map_err(|_| usage(format!("{shown}: not UTF-8 text")))?;
    if crate::import::is_importable(file) || crate::import::is_drawio_text(file, &text) {
        let page = crate::drawio::PagePick::default();
        Ok(crate::import::import_text(file, &text, &shown, Default::default(), &page)?.design)
    } else {
        Ok(crate::io::load_str(&text, &shown)?)
    }
}
