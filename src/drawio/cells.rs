//! The cells of one draw.io page, read into plain values: labels as text, geometry as numbers
//! (kept within a sane range), edges with their loose end points and waypoints.

use super::style::Style;
use crate::model::{Pos, SANE_COORDINATE};

/// The most cells read from one page; a larger page is read up to here and says so.
pub const MAX_CELLS: usize = 200_000;

/// One cell of the diagram, with what the design needs of it.
pub struct Cell<'a> {
    pub id: String,
    pub label: String,
    pub style: Style<'a>,
    pub parent: String,
    pub vertex: bool,
    pub edge: bool,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Top-left corner relative to the parent, and size.
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// An edge's loose ends and waypoints, relative to its parent.
    pub source_point: Option<Pos>,
    pub target_point: Option<Pos>,
    pub points: Vec<Pos>,
    /// Data-object attributes other than id and label (properties of the service).
    pub data: Vec<(String, String)>,
    /// Whether a number of the geometry was out of range and read as 0.
    pub odd_geometry: bool,
}

/// A number of the geometry: finite and within the canvas, or 0 (and flagged).
fn coordinate(text: Option<&str>, odd: &mut bool) -> f32 {
    match text.map(|v| v.trim().parse::<f32>()) {
        None => 0.0,
        Some(Ok(v)) if v.is_finite() && v.abs() <= SANE_COORDINATE => v,
        Some(_) => {
            *odd = true;
            0.0
        }
    }
}

fn point(node: roxmltree::Node<'_, '_>, odd: &mut bool) -> Pos {
    Pos::new(
        coordinate(node.attribute("x"), odd),
        coordinate(node.attribute("y"), odd),
    )
}

/// A `<mxCell>`, or a data object (`<object>`/`<UserObject>`) wrapping one.
pub fn read_cell<'a>(node: roxmltree::Node<'a, 'a>) -> Option<Cell<'a>> {
    let (outer, cell) = match node.tag_name().name() {
        "mxCell" => (node, node),
        "object" | "UserObject" => (node, node.children().find(|c| c.has_tag_name("mxCell"))?),
        _ => return None,
    };
    let id = outer.attribute("id")?.to_string();
    let label = if outer == cell {
        cell.attribute("value")
    } else {
        outer.attribute("label")
    };
    let data = if outer == cell {
        Vec::new()
    } else {
        outer
            .attributes()
            .filter(|a| {
                !matches!(
                    a.name(),
                    "id" | "label" | "placeholders" | "tooltip" | "link"
                )
            })
            .map(|a| (a.name().to_string(), a.value().to_string()))
            .collect()
    };
    let geometry = cell.children().find(|c| c.has_tag_name("mxGeometry"));
    let mut odd = false;
    let mut number = |name: &str| coordinate(geometry.and_then(|g| g.attribute(name)), &mut odd);
    let (x, y, width, height) = (number("x"), number("y"), number("width"), number("height"));
    let mut source_point = None;
    let mut target_point = None;
    let mut points = Vec::new();
    if let Some(g) = geometry {
        for child in g.children().filter(|c| c.is_element()) {
            match (child.tag_name().name(), child.attribute("as")) {
                ("mxPoint", Some("sourcePoint")) => source_point = Some(point(child, &mut odd)),
                ("mxPoint", Some("targetPoint")) => target_point = Some(point(child, &mut odd)),
                ("Array", Some("points")) => {
                    points = child
                        .children()
                        .filter(|p| p.has_tag_name("mxPoint"))
                        .take(256)
                        .map(|p| point(p, &mut odd))
                        .collect();
                }
                _ => {}
            }
        }
    }
    let style = Style::parse(cell.attribute("style").unwrap_or_default());
    // Only an `html=1` label is HTML; any other is text as written ("a <b> tag" stays).
    let label = match label {
        Some(text) if style.flag("html") => plain_text(text),
        Some(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        None => String::new(),
    };
    Some(Cell {
        id,
        label,
        style,
        parent: cell.attribute("parent").unwrap_or_default().to_string(),
        vertex: cell.attribute("vertex") == Some("1"),
        edge: cell.attribute("edge") == Some("1"),
        source: cell.attribute("source").map(str::to_string),
        target: cell.attribute("target").map(str::to_string),
        x,
        y,
        width: width.max(0.0),
        height: height.max(0.0),
        source_point,
        target_point,
        points,
        data,
        odd_geometry: odd,
    })
}

/// A label without the HTML draw.io keeps in `html=1` labels: every tag that breaks a line
/// (`<br>`, `<div ...>`, `<p>`, `<li>`) a space, the others dropped, entities decoded.
pub fn plain_text(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut tag = String::new();
    let mut in_tag = false;
    for c in label.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(
                    name.as_str(),
                    "br" | "div" | "p" | "li" | "ul" | "ol" | "tr" | "td" | "h1" | "h2" | "h3"
                ) {
                    out.push(' ');
                }
            }
            c if in_tag => {
                if tag.len() < 16 {
                    tag.push(c);
                }
            }
            c => out.push(c),
        }
    }
    let decoded = decode_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML entities draw.io labels carry: the named few and numeric ones.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "nbsp" => Some(' '),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_their_html_and_keep_their_words_apart() {
        assert_eq!(
            plain_text("Amazon<div style=\"color: red\">S3</div>"),
            "Amazon S3"
        );
        assert_eq!(plain_text("Web<br/>server&nbsp;1"), "Web server 1");
        assert_eq!(plain_text("<b>bold</b>&amp;&#233;&#x41;"), "bold&éA");
        assert_eq!(plain_text("a & b"), "a & b");
    }
}
