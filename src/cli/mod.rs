//! The headless commands behind `archsketch export` (and, with the rules, `check`). They live
//! in the library so tests drive exactly what users run; `main` only maps results to exit codes.

mod check;
mod diff;
mod import;
mod mcp;
mod render;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use crate::export::{self, ExportOptions, Format, RasterSize, Theme};
use crate::io;
pub use check::check_command;
use import::{drawio_pages, drawio_text, import_all_pages, not_a_folder};
pub use render::export_command;
use render::same_file;

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render a design as PNG, SVG or PDF without opening a window.
    Export(ExportArgs),
    /// Write a generated design of rows of the T01 pipeline, for trying performance.
    Sample(SampleArgs),
    /// Check designs against the notes; exit 1 when any has an error.
    Check(CheckArgs),
    /// List the reference-architecture templates.
    Templates,
    /// Start a design from a template: `archsketch new --template t01 OUT.ron`.
    New(NewArgs),
    /// Arrange a design by itself (layered along the data flow, groups kept as boxes).
    Layout(LayoutArgs),
    /// Make a design from a CloudFormation or SAM template (YAML or JSON), arranged.
    Import(ImportArgs),
    /// What a change does to the architecture: `archsketch diff OLD NEW`, or
    /// `archsketch diff REV FILE` for FILE at a git revision against FILE now.
    Diff(DiffArgs),
    /// Print a design, template or draw.io file one element a line, sorted: for `git diff`
    /// through a textconv driver (see docs/review.md).
    Outline(OutlineArgs),
    /// Serve these commands to a coding assistant over the Model Context Protocol (stdio).
    Mcp,
}

/// `archsketch outline FILE`.
#[derive(Args, Debug)]
pub struct OutlineArgs {
    /// The design, template or draw.io file.
    pub file: PathBuf,
}

/// `archsketch diff OLD NEW`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old version: a design, template or draw.io file, or a git revision (`HEAD~1`,
    /// `main`) of the new one.
    pub old: String,
    /// The new version: a design, template or draw.io file.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when the change introduces findings at this severity or worse.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Also draw the change: the new version with what was added outlined in green, what
    /// changed in amber (its old value on hover in SVG), what was removed as dashed red
    /// ghosts, the rest muted (.svg, .png, .pdf).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// `diff --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

/// `diff --fail-on`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum FailOn {
    Error,
    Warning,
}

/// `archsketch import STACK.yaml -o OUT.ron`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The template to import.
    pub file: PathBuf,
    /// Where to write the design.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Keep resources the mapping does not know as unknown services instead of leaving
    /// them out.
    #[arg(long)]
    pub keep_unmapped: bool,
    /// Of a template, draw every resource and both branches of every `Fn::If`, as written,
    /// rather than what deploys with the parameters' defaults.
    #[arg(long)]
    pub every_condition: bool,
    /// Of a draw.io file, the page to read: its name or its number from 1 (default: the
    /// first page with AWS shapes).
    #[arg(long, value_name = "NAME|N", conflicts_with = "all_pages")]
    pub page: Option<String>,
    /// Of a draw.io file, write one design per page into the folder given with `-o`.
    #[arg(long)]
    pub all_pages: bool,
}

/// `archsketch layout IN.ron -o OUT.ron [--direction right|down]`.
#[derive(Args, Debug)]
pub struct LayoutArgs {
    /// The design to arrange.
    pub file: PathBuf,
    /// Where to write the arranged design (may be the input itself, which is then replaced
    /// safely, keeping a .bak).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Which way data flows.
    #[arg(long, value_enum, default_value_t = DirectionArg::Right)]
    pub direction: DirectionArg,
}

/// `--direction`.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum DirectionArg {
    Right,
    Down,
}

/// `archsketch new --template ID OUT.ron`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// Template id (t01 ... t35); see `archsketch templates`.
    #[arg(long)]
    pub template: String,
    /// Where to write the new design (an existing file is not overwritten).
    pub output: PathBuf,
}

/// `archsketch check FILE...`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Design files to check, or CloudFormation/SAM templates (.yaml, .yml, .json, .template),
    /// which are imported first and reported at their own lines.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Leave out findings below this severity.
    #[arg(long, value_enum, default_value_t = MinSeverity::Info)]
    pub min_severity: MinSeverity,
    /// Also list findings the design suppresses (SARIF always lists them, marked).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Turn rules off (ids, repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub disable: Vec<String>,
    /// A rule pack to check with (default: `archsketch.rules.ron` next to each design).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// A folder of designs to use as own reference architectures (default: `references/`
    /// next to each design).
    #[arg(long, value_name = "DIR")]
    pub references: Option<PathBuf>,
    /// SARIF file locations are relative to this folder (default: the git work tree around
    /// the current directory, else the current directory).
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
}

/// `--format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

/// `--min-severity`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum MinSeverity {
    Error,
    Warning,
    Info,
}

/// `archsketch sample NODES -o OUT.ron`.
#[derive(Args, Debug)]
pub struct SampleArgs {
    /// How many nodes.
    pub nodes: usize,
    /// Where to write the design.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// What the design looks like: rows of six-service pipelines, one Region box each; Lambda
    /// functions each sending to the next few (`--edges` in all); or boxes nested one in the
    /// other, one bucket each.
    #[arg(long, value_enum, default_value_t = SampleShape::Pipelines)]
    pub shape: SampleShape,
    /// How many edges a fan-out has.
    #[arg(long, default_value_t = 50_000)]
    pub edges: usize,
    /// Distance between services in pipelines, in canvas units.
    #[arg(long, default_value_t = 200.0, value_parser = spacing_value)]
    pub spacing: f32,
}

/// The kinds of generated design `sample` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleShape {
    Pipelines,
    FanOut,
    Nested,
}

/// A number option within `(low, high]`, or `[low, high]` when `low` is 0: NaN, infinities
/// and absurd values are refused by clap with the option's name.
fn number_in(text: &str, low: f32, high: f32) -> Result<f32, String> {
    let v: f32 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    let above_low = if low == 0.0 { v >= 0.0 } else { v > low };
    if v.is_finite() && above_low && v <= high {
        Ok(v)
    } else if low == 0.0 {
        Err(format!("`{text}` must be between 0 and {high}"))
    } else {
        Err(format!("`{text}` must be above {low} and at most {high}"))
    }
}

fn spacing_value(text: &str) -> Result<f32, String> {
    number_in(text, 1.0, 100_000.0)
}

fn scale_value(text: &str) -> Result<f32, String> {
    number_in(text, 0.01, 64.0)
}

fn padding_value(text: &str) -> Result<f32, String> {
    number_in(text, 0.0, 10_000.0)
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
    #[arg(long, default_value_t = 1.0, conflicts_with = "width", value_parser = scale_value)]
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
    #[arg(long, default_value_t = 24.0, value_parser = padding_value)]
    pub padding: f32,
    /// Draw the design's title above the diagram.
    #[arg(long)]
    pub title: bool,
    /// Draw a legend of the services used.
    #[arg(long)]
    pub legend: bool,
    /// Draw the findings' badges (red error, amber warning, blue info) on the elements.
    #[arg(long)]
    pub findings: bool,
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

/// Why a command failed. Each kind keeps the error it came from and knows its exit code, so
/// scripts can tell "the design has errors" (1) from "nothing could be done" (2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// `check` found errors in a design.
    #[error("{0} error{s} found", s = if *.0 == 1 { "" } else { "s" })]
    Findings(usize),
    /// An option or a name that makes no sense here (`--width 0`, an unknown rule id, ...).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Load(#[from] io::LoadError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Save(#[from] io::SaveError),
    #[error(transparent)]
    Export(#[from] export::ExportError),
    /// A rule pack or own reference that cannot be used, one message per problem, each at
    /// its file, line and column: nothing is checked with half a team's standards.
    #[error("{}", .0.join("\n"))]
    Standards(Vec<String>),
    /// Files `check` could not read, one message each; the others were still checked.
    #[error("{}", .0.join("\n"))]
    Unreadable(Vec<String>),
    /// Results could not be written to standard output.
    #[error("cannot write {what}: {source}")]
    Output {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A worker thread of archsketch's own failed.
    #[error("{0}")]
    Internal(&'static str),
}

impl CliError {
    /// The process exit code: 1 for a design with errors, 2 for everything that stopped work.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Findings(_) => 1,
            _ => 2,
        }
    }
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// Runs a subcommand, writing results to `stdout`.
pub fn run(command: Command, stdout: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Export(args) => export_command(&args, stdout),
        Command::Check(args) => check_command(&args, stdout),
        Command::Diff(args) => diff::run(&args, stdout),
        Command::Outline(args) => diff::outline(&args, stdout),
        Command::Mcp => mcp::serve(std::io::stdin().lock(), stdout),
        Command::Templates => {
            let mut out = String::new();
            for t in crate::templates::TEMPLATES {
                let d = t.design()?;
                let summary = d
                    .description
                    .split(". ")
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches('.');
                out.push_str(&format!("{:<4} {:<50} {}\n", t.id, d.title, summary));
            }
            stdout
                .write_all(out.as_bytes())
                .map_err(|source| CliError::Output {
                    what: "the list",
                    source,
                })
        }
        Command::New(args) => {
            let t = crate::templates::find(&args.template).ok_or_else(|| {
                usage(format!(
                    "no template \"{}\"; `archsketch templates` lists them",
                    args.template
                ))
            })?;
            if args.output.exists() {
                return Err(usage(format!(
                    "{} already exists; choose another name",
                    args.output.display()
                )));
            }
            let design = t.design()?;
            Ok(io::save_file(&design, &args.output)?)
        }
        Command::Layout(args) => {
            not_a_folder(&args.output, "design.ron")?;
            if same_file(&args.file, &args.output) {
                return Err(usage(format!(
                    "{} is the design being arranged; write the arranged design to another file",
                    args.output.display()
                )));
            }
            let design = io::load_file(&args.file)?;
            let direction = match args.direction {
                DirectionArg::Right => crate::layout::Direction::Right,
                DirectionArg::Down => crate::layout::Direction::Down,
            };
            let arranged = crate::layout::arranged(&design, direction);
            Ok(io::save_file(&arranged, &args.output)?)
        }
        Command::Import(args) => {
            let options = crate::import::ImportOptions {
                keep_unmapped: args.keep_unmapped,
                every_condition: args.every_condition,
            };
            if args.all_pages {
                return import_all_pages(&args);
            }
            let page = args
                .page
                .as_deref()
                .map(crate::drawio::PagePick::parse)
                .unwrap_or_default();
            not_a_folder(&args.output, "design.ron")?;
            if same_file(&args.file, &args.output) {
                return Err(usage(format!(
                    "{} is the file being imported; write the design to another file",
                    args.output.display()
                )));
            }
            let imported = crate::import::import_file_page(&args.file, options, &page)?;
            io::save_file(&imported.design, &args.output)?;
            eprintln!(
                "{}: {}",
                crate::report::for_terminal(&args.file.display().to_string()),
                crate::report::for_terminal(&imported.report.to_string())
            );
            Ok(())
        }
        Command::Sample(args) => {
            use crate::model::sample;
            let design = match args.shape {
                SampleShape::Pipelines => sample::pipelines(args.nodes, args.spacing),
                SampleShape::FanOut => sample::fan_out(args.nodes, args.edges),
                SampleShape::Nested => sample::nested(args.nodes),
            };
            let text = io::to_ron_string(&design);
            if text.len() as u64 > io::MAX_FILE_BYTES {
                return Err(usage(format!(
                    "a sample of {} nodes would take {}, over the {} archsketch opens; ask for fewer nodes",
                    args.nodes,
                    io::mib(text.len() as u64),
                    io::mib(io::MAX_FILE_BYTES)
                )));
            }
            io::write_atomic(&args.output, text.as_bytes(), true).map_err(|source| {
                CliError::Save(io::SaveError {
                    path: args.output.display().to_string(),
                    source,
                })
            })
        }
    }
}
