//! Exports: Design -> scene -> SVG (a pure string), and PNG and PDF by rendering that SVG, so
//! every format shows exactly what the canvas shows.

pub mod mermaid;
mod raster;
pub(crate) mod svg;

use std::path::Path;

use crate::model::{Design, ElementRef};
use crate::rules::{Finding, Severity};
pub use raster::{design_to_png, design_to_rgba, to_pdf, to_png, to_rgba};
pub use svg::to_svg;

/// Light (white, as AWS diagrams are) or dark background.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// A finding's mark on an element, drawn as a coloured dot at its top-right corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub element: ElementRef,
    pub severity: Severity,
}

/// An element outlined in a colour, with a note a person reads on hover in an SVG: what a
/// review marks as added, changed or removed. Unmarked elements are drawn muted once any is
/// marked, so the change stands out.
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    pub element: ElementRef,
    pub color: [u8; 3],
    /// Dashed: what is drawn only as a ghost of the old version.
    pub dashed: bool,
    pub note: String,
}

/// One line of a key written below the diagram, after a swatch of its colour: what a
/// review's colours mean where no hover can say it (PNG, PDF).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyLine {
    pub color: [u8; 3],
    pub dashed: bool,
    pub text: String,
}

/// What to export and how it looks.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// Only these elements (and what selected groups contain); `None` exports everything.
    pub selection: Option<Vec<ElementRef>>,
    pub theme: Theme,
    /// Margin around the content, in canvas units.
    pub padding: f32,
    /// Leave the background out (SVG, PNG); PDF pages always have one.
    pub transparent: bool,
    /// Draw the design's title above the diagram.
    pub title: bool,
    /// Draw a legend of the services used below the diagram.
    pub legend: bool,
    /// Finding badges to draw; empty draws none.
    pub badges: Vec<Badge>,
    /// Elements to outline; empty outlines none and mutes none.
    pub highlights: Vec<Highlight>,
    /// Lines of a key below the diagram; empty writes none.
    pub key: Vec<KeyLine>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            selection: None,
            theme: Theme::Light,
            padding: 24.0,
            transparent: false,
            title: false,
            legend: false,
            badges: Vec::new(),
            highlights: Vec::new(),
            key: Vec::new(),
        }
    }
}

/// How large a PNG is rendered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RasterSize {
    /// Canvas units times this factor (1x, 2x, 4x...).
    Scale(f32),
    /// This many pixels wide, the height following.
    Width(u32),
}

/// The file formats, chosen from an output path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    /// A draw.io diagram of AWS shapes, to go on editing in draw.io.
    Drawio,
    /// A Mermaid flowchart, drawn by GitHub and most Markdown viewers.
    Mermaid,
}

impl Format {
    /// The format a path's extension names.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "pdf" => Some(Format::Pdf),
            "drawio" => Some(Format::Drawio),
            "mmd" | "mermaid" => Some(Format::Mermaid),
            _ => None,
        }
    }

    /// The usual extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Drawio => "drawio",
            Format::Mermaid => "mmd",
        }
    }
}

/// The most elements (nodes, edges and groups) a PDF is made of: the PDF writer holds the
/// whole drawing in memory, about 30 KB per element, and gives up past a fixed count of drawing
/// parts. Past this a PDF is refused before any work, with what to do instead.
pub const PDF_ELEMENTS: usize = 40_000;

/// Why an export failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot render the diagram: {0}")]
    Render(String),
    #[error(
        "the image would be {0} x {1} pixels, more than archsketch renders (65535 on a side, 268 million in all); use a smaller --scale or --width"
    )]
    TooLarge(u32, u32),
    #[error(
        "a PDF of {0} elements is more than archsketch makes (up to {PDF_ELEMENTS}; each takes the PDF writer about 30 KB); export .svg or .png instead, or a part of the design with --only"
    )]
    PdfTooLarge(usize),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Badges for the unsuppressed findings (a complete reference match is no badge).
pub fn badges(findings: &[Finding]) -> Vec<Badge> {
    findings
        .iter()
        .filter(|f| f.badged())
        .flat_map(|f| {
            f.elements.iter().map(move |element| Badge {
                element: element.clone(),
                severity: f.severity,
            })
        })
        .collect()
}

/// The page an export of the design covers, in canvas units: where a rendered image's pixels
/// lie on the canvas, for drawing on top of it.
pub fn page_frame(design: &Design, options: &ExportOptions) -> crate::model::Rect {
    svg::prepare(design, options).frame
}

/// Renders the design in `format`.
pub fn render(
    design: &Design,
    format: Format,
    options: &ExportOptions,
    size: RasterSize,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Svg => Ok(to_svg(design, options).into_bytes()),
        Format::Png => design_to_png(design, options, size),
        Format::Pdf => {
            let elements = match &options.selection {
                Some(selection) => {
                    let part = design.part(selection);
                    part.nodes().len() + part.edges().len() + part.groups().len()
                }
                None => design.nodes().len() + design.edges().len() + design.groups().len(),
            };
            if elements > PDF_ELEMENTS {
                return Err(ExportError::PdfTooLarge(elements));
            }
            to_pdf(&to_svg(design, options))
        }
        Format::Drawio => Ok(crate::drawio::to_drawio(design).into_bytes()),
        Format::Mermaid => Ok(match &options.selection {
            Some(selection) => mermaid::to_mermaid(&design.part(selection)),
            None => mermaid::to_mermaid(design),
        }
        .into_bytes()),
    }
}

/// Renders and writes a file atomically: a failed export leaves no partial file behind.
pub fn export_file(
    design: &Design,
    path: &Path,
    format: Format,
    options: &ExportOptions,
    size: RasterSize,
) -> Result<(), ExportError> {
    let bytes = render(design, format, options, size)?;
    crate::io::write_atomic(path, &bytes, false).map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })
}
