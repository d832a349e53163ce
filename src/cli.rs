//! The headless commands behind `archsketch export` (and, with the rules, `check`). They live
//! in the library so tests drive exactly what users run; `main` only maps results to exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use crate::export::{self, ExportOptions, Format, RasterSize, Theme};
use crate::io;

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render a design as PNG, SVG or PDF without opening a window.
    Export(ExportArgs),
    /// Write a generated design of rows of the T01 pipeline, for trying performance.
    Sample(SampleArgs),
}

/// `archsketch sample NODES -o OUT.ron`.
#[derive(Args, Debug)]
pub struct SampleArgs {
    /// How many nodes (chains of six services, one Region box each).
    pub nodes: usize,
    /// Where to write the design.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Distance between services, in canvas units.
    #[arg(long, default_value_t = 200.0)]
    pub spacing: f32,
}

/// `archsketch export FILE -o OUT`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The design to export.
    pub file: PathBuf,
    /// Output file; the format comes from its extension (.png, .svg, .pdf). `-` writes SVG to
    /// standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: String,
    /// Pixels per canvas unit for PNG (1, 2, 4, ...).
    #[arg(long, default_value_t = 1.0, conflicts_with = "width")]
    pub scale: f32,
    /// PNG width in pixels; the height follows.
    #[arg(long)]
    pub width: Option<u32>,
    /// No background (SVG and PNG).
    #[arg(long)]
    pub transparent: bool,
    /// Colour theme.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Margin around the diagram, in canvas units.
    #[arg(long, default_value_t = 24.0)]
    pub padding: f32,
    /// Draw the design's title above the diagram.
    #[arg(long)]
    pub title: bool,
    /// Draw a legend of the services used.
    #[arg(long)]
    pub legend: bool,
    /// Export only these elements (node or group ids; repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub only: Vec<String>,
}

/// `--theme`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ThemeArg {
    Light,
    Dark,
}

/// A command's failure: the message to print and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

fn fail(code: i32, message: impl Into<String>) -> CliError {
    CliError {
        code,
        message: message.into(),
    }
}

/// Runs a subcommand, writing results to `stdout`.
pub fn run(command: Command, stdout: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Export(args) => export_command(&args, stdout),
        Command::Sample(args) => {
            let design = crate::model::sample::pipelines(args.nodes, args.spacing);
            io::save_file(&design, &args.output).map_err(|e| fail(2, e.to_string()))
        }
    }
}

/// `archsketch export`: exit 2 when the input cannot be read or the output cannot be written.
pub fn export_command(args: &ExportArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let design = io::load_file(&args.file).map_err(|e| fail(2, e.to_string()))?;
    let mut options = ExportOptions {
        theme: match args.theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        },
        padding: args.padding,
        transparent: args.transparent,
        title: args.title,
        legend: args.legend,
        ..ExportOptions::default()
    };
    if !args.only.is_empty() {
        let mut selection = Vec::new();
        for id in &args.only {
            if design.node(id).is_some() {
                selection.push(crate::model::ElementRef::Node(id.clone()));
            } else if design.group(id).is_some() {
                selection.push(crate::model::ElementRef::Group(id.clone()));
            } else {
                return Err(fail(
                    2,
                    format!(
                        "{}: --only names \"{id}\", which is no node or group",
                        args.file.display()
                    ),
                ));
            }
        }
        options.selection = Some(selection);
    }
    let size = match args.width {
        Some(w) if w > 0 => RasterSize::Width(w),
        Some(_) => return Err(fail(2, "--width must be at least 1")),
        None if args.scale > 0.0 && args.scale.is_finite() => RasterSize::Scale(args.scale),
        None => return Err(fail(2, "--scale must be a positive number")),
    };
    if args.output == "-" {
        let svg = export::to_svg(&design, &options);
        return stdout
            .write_all(svg.as_bytes())
            .map_err(|e| fail(2, format!("cannot write to standard output: {e}")));
    }
    let out = Path::new(&args.output);
    let format = Format::from_path(out).ok_or_else(|| {
        fail(
            2,
            format!(
                "{}: unknown output format; use a .png, .svg or .pdf file name",
                out.display()
            ),
        )
    })?;
    export::export_file(&design, out, format, &options, size).map_err(|e| fail(2, e.to_string()))
}
