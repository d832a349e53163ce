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
                crate::report::for_terminal(&imported.report)
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

/// `import FILE.drawio --all-pages -o DIR`: one design per page that holds anything, named
/// by its number and page name; nothing is written when the file cannot be read.
fn import_all_pages(args: &ImportArgs) -> Result<(), CliError> {
    let text = crate::import::read_source(&args.file)?;
    let shown = args.file.display().to_string();
    if !crate::import::is_drawio_text(&args.file, &text) {
        return Err(usage(format!(
            "{shown}: --all-pages reads draw.io files; a template has one page"
        )));
    }
    let pages = crate::drawio::import_pages(&text, &shown)?;
    if pages.iter().all(|p| p.aws_shapes == 0) {
        return Err(crate::drawio::no_aws_shape(&pages, &shown).into());
    }
    std::fs::create_dir_all(&args.output).map_err(|source| {
        CliError::Save(io::SaveError {
            path: args.output.display().to_string(),
            source,
        })
    })?;
    let mut used = std::collections::HashSet::new();
    for (i, page) in pages.iter().enumerate() {
        let label = format!("{shown}#{}", page.name);
        let label = crate::report::for_terminal(&label);
        match &page.imported {
            Ok(imported)
                if !imported.design.nodes().is_empty() || !imported.design.groups().is_empty() =>
            {
                let slug: String = page
                    .name
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
                    .split('-')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("-");
                let mut name = format!(
                    "{:02}-{}.ron",
                    i + 1,
                    if slug.is_empty() { "page" } else { &slug }
                );
                if !used.insert(name.clone()) {
                    name = format!("{:02}-page.ron", i + 1);
                }
                let out = args.output.join(name);
                io::save_file(&imported.design, &out)?;
                eprintln!(
                    "{label} -> {}: {}",
                    out.display(),
                    crate::report::for_terminal(&imported.report)
                );
            }
            Ok(_) => eprintln!("{label}: empty, not written"),
            Err(why) => eprintln!("{label}: not read: {}", crate::report::for_terminal(why)),
        }
    }
    Ok(())
}

/// The text of a file `check` reads as a draw.io diagram: one named so, or an `.xml` file that
/// holds draw.io XML (draw.io saves `.drawio.xml` and plain `.xml` too); `None` for the rest.
/// The file is read once, here, for the sniffing and the pages alike.
fn drawio_text(path: &Path) -> Option<Result<String, String>> {
    let named = crate::drawio::is_drawio(path);
    let xml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if !named && !xml {
        return None;
    }
    match crate::import::read_source(path) {
        Err(e) => named.then(|| Err(e.to_string())),
        Ok(text) => {
            let head = text.trim_start();
            let drawio = head.starts_with("<mxfile")
                || head.starts_with("<mxGraphModel")
                || head.starts_with("<?xml");
            (named || drawio).then_some(Ok(text))
        }
    }
}

/// The designs of every page of a draw.io file that holds AWS shapes, by page name; an error
/// when the file cannot be read or no page holds one.
fn drawio_pages(text: &str, shown: &str) -> Result<Vec<(String, crate::model::Design)>, String> {
    let pages = crate::drawio::import_pages(text, shown).map_err(|e| e.to_string())?;
    if pages.iter().all(|p| p.aws_shapes == 0) {
        return Err(crate::drawio::no_aws_shape(&pages, shown).to_string());
    }
    Ok(pages
        .into_iter()
        .filter(|p| p.aws_shapes > 0)
        .filter_map(|p| p.imported.ok().map(|i| (p.name, i.design)))
        .collect())
}

/// The findings of a design that `check` reports: at or above the floor, suppressed ones only
/// when asked for (SARIF lists them all, marked).
fn reported_findings(
    design: &crate::model::Design,
    options: &crate::rules::CheckOptions,
    floor: crate::rules::Severity,
    args: &CheckArgs,
) -> Vec<crate::rules::Finding> {
    let sarif = args.format == ReportFormat::Sarif;
    crate::rules::check_with(design, options)
        .into_iter()
        .filter(|f| f.severity <= floor)
        .filter(|f| !f.suppressed || args.show_suppressed || sarif)
        .collect()
}

/// `-o` names a file to write: a folder there is refused up front, saying what to give.
/// `example` is a file name that would do ("design.svg").
fn not_a_folder(output: &Path, example: &str) -> Result<(), CliError> {
    if output.is_dir() {
        return Err(usage(format!(
            "{} is a folder; -o takes the file to write, such as {}",
            output.display(),
            output.join(example).display()
        )));
    }
    Ok(())
}

/// One design checked, for the report.
fn check_one(
    path: String,
    file: &Path,
    design: crate::model::Design,
    source: crate::report::Source,
    options: &crate::rules::CheckOptions,
    floor: crate::rules::Severity,
    args: &CheckArgs,
) -> crate::report::Checked {
    let findings = reported_findings(&design, options, floor, args);
    crate::report::Checked {
        path,
        file: file.to_path_buf(),
        source,
        design,
        findings,
        team: options.team.clone(),
    }
}

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
            if design.node(id).is_some() {
                selection.push(crate::model::ElementRef::Node(id.into()));
            } else if design.group(id).is_some() {
                selection.push(crate::model::ElementRef::Group(id.into()));
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
            "{}: unknown output format; use a .png, .svg, .pdf or .drawio file name",
            out.display()
        ))
    })?;
    Ok(export::export_file(&design, out, format, &options, size)?)
}

/// Whether two paths name one existing file (through links and `..`), so an export never
/// overwrites its own input.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Why `--disable ID` names nothing, with the closest id when one is near (a typo would
/// otherwise silently leave the rule on).
fn unknown_rule(id: &str) -> Option<String> {
    use crate::rules::reference::references;
    let known: Vec<&str> = crate::rules::registry()
        .iter()
        .map(|r| r.id)
        .chain(references().iter().map(|t| t.id.as_str()))
        .chain(["T"])
        .collect();
    if known.contains(&id) {
        return None;
    }
    let upper = id.to_ascii_uppercase();
    // The same number written with other zeros (r63, R0063) is surely the one meant.
    let letters: String = upper
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let same_number = upper[letters.len()..]
        .parse::<u32>()
        .ok()
        .map(|n| match letters.as_str() {
            "T" => format!("T{n:02}"),
            _ => format!("{letters}{n:03}"),
        })
        .and_then(|k| known.iter().find(|known| **known == k).copied());
    let closest = same_number.or_else(|| crate::spelling::closest(&upper, known.iter().copied()));
    Some(match closest {
        Some(k) => format!("--disable names \"{id}\", which is no rule; did you mean {k}?"),
        None => format!(
            "--disable names \"{id}\", which is no rule (rules are R001-R110, G001-G003, T01-T35, or T for all references)"
        ),
    })
}

/// The folder a checked file's standards are looked for in.
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Each folder's team standards (a rule pack, own references), read once per folder; any
/// problem in them stops the check before a design is read.
fn teams_for(
    paths: &[PathBuf],
    args: &CheckArgs,
) -> Result<
    std::collections::BTreeMap<PathBuf, Option<std::sync::Arc<crate::rules::team::Team>>>,
    CliError,
> {
    let mut teams = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for path in paths {
        let folder = folder_of(path);
        if teams.contains_key(&folder) {
            continue;
        }
        let found =
            crate::standards::find(&folder, args.rules.as_deref(), args.references.as_deref());
        match found {
            Ok((pack, own)) => {
                let team = crate::rules::team::Team::from_parts(pack, own);
                teams.insert(folder, team.map(std::sync::Arc::new));
            }
            Err(mut e) => problems.append(&mut e),
        }
    }
    problems.dedup();
    if problems.is_empty() {
        Ok(teams)
    } else {
        Err(CliError::Standards(problems))
    }
}

/// Whether a team's pack or own references define the rule id.
fn team_has(team: &crate::rules::team::Team, id: &str) -> bool {
    team.pack.rules.iter().any(|r| r.id == id) || team.references.own().iter().any(|r| r.id == id)
}

/// A checked file's source before its places are read.
enum Pending {
    Text(String),
    Ready(crate::report::Source),
}

/// `archsketch check`: exit 0 with no errors, 1 with any error, 2 when a file cannot be read.
pub fn check_command(args: &CheckArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    use crate::rules::Severity;
    let floor = match args.min_severity {
        MinSeverity::Error => Severity::Error,
        MinSeverity::Warning => Severity::Warning,
        MinSeverity::Info => Severity::Info,
    };
    let mut paths = args.files.clone();
    paths.sort();
    let teams = teams_for(&paths, args)?;
    for id in &args.disable {
        let own = teams.values().flatten().any(|t| team_has(t, id));
        if !own && let Some(message) = unknown_rule(id) {
            return Err(usage(message));
        }
    }
    let disabled: std::collections::HashSet<String> = args.disable.iter().cloned().collect();
    let mut checked = Vec::new();
    let mut unreadable = Vec::new();
    for path in &paths {
        let options = crate::rules::CheckOptions {
            disabled: disabled.clone(),
            team: teams.get(&folder_of(path)).cloned().flatten(),
        };
        let shown = path.display().to_string();
        if let Some(text) = drawio_text(path) {
            // Every page of a draw.io file is checked, each as FILE#Page.
            match text.and_then(|text| drawio_pages(&text, &shown)) {
                Ok(pages) => {
                    for (name, design) in pages {
                        checked.push(check_one(
                            format!("{shown}#{name}"),
                            path,
                            design,
                            crate::report::Source::Template(Default::default()),
                            &options,
                            floor,
                            args,
                        ));
                    }
                }
                Err(message) => unreadable.push(crate::report::Unreadable {
                    path: shown,
                    file: path.clone(),
                    message,
                }),
            }
            continue;
        }
        let loaded = if crate::import::is_importable(path) {
            crate::import::import_file(path, crate::import::ImportOptions::default())
                .map(|i| {
                    (
                        i.design,
                        Pending::Ready(crate::report::Source::Template(i.anchors)),
                    )
                })
                .map_err(|e| e.to_string())
        } else {
            io::load_file_with_text(path)
                .map(|(design, text)| (design, Pending::Text(text)))
                .map_err(|e| e.to_string())
        };
        let (design, pending) = match loaded {
            Ok(loaded) => loaded,
            Err(message) => {
                unreadable.push(crate::report::Unreadable {
                    path: shown,
                    file: path.clone(),
                    message,
                });
                continue;
            }
        };
        // Where the elements are written is read on a second core while the rules run.
        let (findings, source) = std::thread::scope(|scope| {
            let source = scope.spawn(move || match pending {
                Pending::Text(text) => crate::report::Source::design(text),
                Pending::Ready(source) => source,
            });
            let findings = reported_findings(&design, &options, floor, args);
            (findings, source.join())
        });
        let source =
            source.map_err(|_| CliError::Internal("reading the design's places failed"))?;
        checked.push(crate::report::Checked {
            path: shown,
            file: path.clone(),
            source,
            design,
            findings,
            team: options.team.clone(),
        });
    }
    let out = match args.format {
        ReportFormat::Text => crate::report::text(&checked),
        ReportFormat::Json => crate::report::json(&checked, &unreadable),
        ReportFormat::Sarif => {
            let root = args
                .sarif_root
                .clone()
                .unwrap_or_else(crate::report::default_sarif_root);
            crate::report::sarif(&checked, &unreadable, &root)
        }
    };
    stdout
        .write_all(out.as_bytes())
        .map_err(|source| CliError::Output {
            what: "the report",
            source,
        })?;
    let errors = checked
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| f.severity == Severity::Error && !f.suppressed)
        .count();
    // The process ends next: the system takes the designs back faster than freeing them
    // element by element would (a second on 100,000 nodes is spent in part on that).
    std::mem::forget(checked);
    if !unreadable.is_empty() {
        return Err(CliError::Unreadable(
            unreadable.into_iter().map(|u| u.message).collect(),
        ));
    }
    if errors > 0 {
        return Err(CliError::Findings(errors));
    }
    Ok(())
}
