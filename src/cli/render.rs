//! `archsketch export`: a design rendered to PNG, SVG, PDF or .drawio without a window. (The
//! module is `render` because `export` is the renderer it calls.)

use super::*;

/// `archsketch export`: exit 2 when the input cannot be read or the output cannot be written.
pub fn export_command(args: &ExportArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    not_a_folder(Path::new(&args.output), "design.svg")?;
    let design = io::load_file(&args.file)?;
    let mut options = ExportOptions {
        theme: match args.theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        },
        padding: args.padding,
        transparent: args.transparent,
        title: args.title,
        legend: args.legend,
        badges: if args.findings {
            export::badges(&crate::rules::check(&design))
        } else {
            Vec::new()
        },
        ..ExportOptions::default()
    };
    if !args.only.is_empty() {
        let mut selection = Vec::new();
        for id in &args.only {
            if let Some(element) = design.element_named(id) {
                selection.push(element.into());
            } else {
                return Err(usage(format!(
                    "{}: --only names \"{id}\", which is no node or group",
                    args.file.display()
                )));
            }
        }
        options.selection = Some(selection);
    }
    let size = match args.width {
        Some(w) if w > 0 => RasterSize::Width(w),
        Some(_) => return Err(usage("--width must be at least 1")),
        None if args.scale > 0.0 && args.scale.is_finite() => RasterSize::Scale(args.scale),
        None => return Err(usage("--scale must be a positive number")),
    };
    if args.output == "-" {
        let svg = export::to_svg(&design, &options);
        return stdout
            .write_all(svg.as_bytes())
            .map_err(|source| CliError::Output {
                what: "to standard output",
                source,
            });
    }
    let out = Path::new(&args.output);
    if same_file(&args.file, out) {
        return Err(usage(format!(
            "{}: the output is the design itself; choose another file name",
            out.display()
        )));
    }
    let format = Format::from_path(out).ok_or_else(|| {
        usage(format!(
            "{}: unknown output format; use a .png, .svg, .pdf, .drawio or .mmd file name",
            out.display()
        ))
    })?;
    Ok(export::export_file(&design, out, format, &options, size)?)
}

/// Whether two paths name one existing file (through links and `..`), so an export never
/// overwrites its own input.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
