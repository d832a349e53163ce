//! draw.io files as designs, page by page. Every page is read; `import` takes the first
//! page that holds AWS shapes (or the one a person names), `check` checks them all.

use std::path::Path;

use super::build::{PageDesign, build};
use super::cells::{Cell, MAX_CELLS, read_cell};
use super::pages::{PageText, PageXml, error, inline_model, pages};
use crate::imported::{ImportError, Imported, Remark};

/// Whether a path names a draw.io file.
pub fn is_drawio(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.ends_with(".drawio") || name.ends_with(".drawio.xml") || name.ends_with(".dio")
}

/// Which page of a file to import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PagePick {
    /// The first page that holds AWS shapes.
    #[default]
    FirstWithAws,
    /// A page by its number, from 1.
    Number(usize),
    /// A page by its name.
    Name(String),
}

impl PagePick {
    /// `--page NAME|N`: a number picks by position, anything else by name.
    pub fn parse(text: &str) -> Self {
        match text.trim().parse::<usize>() {
            Ok(n) => PagePick::Number(n),
            Err(_) => PagePick::Name(text.trim().to_string()),
        }
    }
}

/// One page of a draw.io file, imported.
pub struct Page {
    pub name: String,
    /// The design and its report, or why the page could not be read.
    pub imported: Result<Imported, String>,
    /// How many AWS shapes (services and boxes) the page holds.
    pub aws_shapes: usize,
}

impl Page {
    /// One line for a list of pages: its name and what it holds.
    pub fn summary(&self) -> String {
        match &self.imported {
            Ok(i) => format!(
                "\"{}\": {} services, {} boxes, {} connections",
                self.name,
                i.design.nodes().iter().filter(|n| !n.is_note()).count(),
                i.design.groups().len(),
                i.design.edges().len()
            ),
            Err(why) => format!("\"{}\": unreadable ({why})", self.name),
        }
    }
}

/// Every page of a draw.io file, imported; an error only when the file itself is not a
/// draw.io file.
pub fn import_pages(text: &str, path: &str) -> Result<Vec<Page>, ImportError> {
    if let Some(offset) = super::depth::too_deep_at(text, crate::limits::MAX_NESTING) {
        let (line, column) = crate::io::Locations::of(text).line_col(text, offset);
        return Err(ImportError {
            path: path.to_string(),
            at: Some(crate::imported::At { line, column }),
            message: too_deep(),
        });
    }
    let doc = parse_xml(text).map_err(|e| {
        let at = e.pos();
        ImportError {
            path: path.to_string(),
            at: Some(crate::imported::At {
                line: at.row as usize,
                column: at.col as usize,
            }),
            message: format!("not a readable draw.io file: {e}"),
        }
    })?;
    let texts = pages(&doc, path)?;
    let count = texts.len();
    Ok(texts
        .into_iter()
        .map(|page| read_page(&doc, page, count))
        .collect())
}

/// An XML document as draw.io files are read: no DTD, and a bounded number of nodes.
fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 4_000_000,
        },
    )
}

/// The message for XML nested past [`crate::limits::MAX_NESTING`].
fn too_deep() -> String {
    format!(
        "elements nest more than {} deep; archsketch reads at most that (a draw.io file nests about ten deep)",
        crate::limits::MAX_NESTING
    )
}

fn read_page(doc: &roxmltree::Document<'_>, page: PageText, pages: usize) -> Page {
    let PageText { name, xml } = page;
    let built = match xml {
        PageXml::Broken(why) => Err(why),
        PageXml::Inline { diagram } => match inline_model(doc, diagram) {
            Some(model) => page_cells(model),
            None => Err("the page has no diagram".into()),
        },
        PageXml::Inflated(xml)
            if super::depth::too_deep_at(&xml, crate::limits::MAX_NESTING).is_some() =>
        {
            Err(format!("the compressed page {}", too_deep()))
        }
        PageXml::Inflated(xml) => match parse_xml(&xml) {
            Ok(inner) => page_cells(inner.root_element()),
            Err(e) => Err(format!("the compressed page is not readable: {e}")),
        },
    };
    match built {
        Ok(PageDesign {
            design,
            mut report,
            aws_shapes,
        }) => {
            if pages > 1 {
                report.after.push(Remark::Page {
                    name: name.clone(),
                    of: pages,
                });
            }
            Page {
                name,
                imported: Ok(Imported {
                    design,
                    report,
                    anchors: Default::default(),
                }),
                aws_shapes,
            }
        }
        Err(why) => Page {
            name,
            imported: Err(why),
            aws_shapes: 0,
        },
    }
}

/// The design of one `<mxGraphModel>`.
fn page_cells(model: roxmltree::Node<'_, '_>) -> Result<PageDesign, String> {
    let root = if model.has_tag_name("mxGraphModel") {
        model
            .children()
            .find(|n| n.has_tag_name("root"))
            .ok_or("the page has no <root> of cells")?
    } else {
        return Err("the page has no diagram".into());
    };
    let mut cells: Vec<Cell<'_>> = Vec::new();
    let mut more = false;
    for node in root.children() {
        if cells.len() >= MAX_CELLS {
            more = true;
            break;
        }
        if let Some(cell) = read_cell(node) {
            cells.push(cell);
        }
    }
    let mut built = build(&cells);
    if more {
        built.report.say(format!(
            "Read the first {MAX_CELLS} cells of the page; the rest were skipped."
        ));
    }
    Ok(built)
}

/// Reads one page of a draw.io file as a design: the first page with AWS shapes unless
/// `pick` names one. A file with no AWS shape on any page is refused, naming its pages.
pub fn import_drawio_page(
    text: &str,
    path: &str,
    pick: &PagePick,
) -> Result<Imported, ImportError> {
    choose(import_pages(text, path)?, path, pick)
}

/// The pages of a file as a person reads their list: number, name and what each holds.
pub fn listing(pages: &[Page]) -> String {
    pages
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", i + 1, p.summary()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a file none of whose pages holds an AWS shape is refused: the one page's own trouble,
/// or the list of its pages.
pub fn no_aws_shape(pages: &[Page], path: &str) -> ImportError {
    match pages.iter().find_map(|p| p.imported.as_ref().err()) {
        Some(why) if pages.len() == 1 => error(path, why.clone()),
        _ => error(
            path,
            format!("no page holds an AWS shape; its pages: {}", listing(pages)),
        ),
    }
}

/// The page `pick` names of pages already read, with the file's other pages in its report.
pub fn choose(pages: Vec<Page>, path: &str, pick: &PagePick) -> Result<Imported, ImportError> {
    let chosen = match pick {
        PagePick::FirstWithAws => pages
            .iter()
            .position(|p| p.aws_shapes > 0)
            .ok_or_else(|| no_aws_shape(&pages, path))?,
        PagePick::Number(n) => n
            .checked_sub(1)
            .filter(|&i| i < pages.len())
            .ok_or_else(|| {
                error(
                    path,
                    format!("there is no page {n}; its pages: {}", listing(&pages)),
                )
            })?,
        PagePick::Name(name) => pages
            .iter()
            .position(|p| &p.name == name)
            .or_else(|| pages.iter().position(|p| p.name.eq_ignore_ascii_case(name)))
            .ok_or_else(|| {
                error(
                    path,
                    format!(
                        "there is no page \"{name}\"; its pages: {}",
                        listing(&pages)
                    ),
                )
            })?,
    };
    let others = pages.len() - 1;
    let list = (others > 0).then(|| listing(&pages));
    let page = pages
        .into_iter()
        .nth(chosen)
        .ok_or_else(|| error(path, "the page went missing"))?;
    let mut imported = page
        .imported
        .map_err(|why| error(path, format!("page \"{}\": {why}", page.name)))?;
    if let Some(list) = list {
        imported.report.say(format!(
            "The file has {} pages ({list}); `--page NAME|N` picks another, `--all-pages -o DIR` writes each.",
            others + 1
        ));
    }
    Ok(imported)
}

/// Reads the first page with AWS shapes of a draw.io file as a design.
pub fn import_drawio(text: &str, path: &str) -> Result<Imported, ImportError> {
    import_drawio_page(text, path, &PagePick::FirstWithAws)
}
