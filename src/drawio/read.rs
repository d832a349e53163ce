//! draw.io diagrams as designs: AWS shapes become services, containers become groups, and
//! connected edges become edges. Plain and compressed pages both read; the first page is
//! the design.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use base64::Engine as _;

use super::shapes::{Shape, shapes};
use super::style::Style;
use crate::catalog::{Endpoint, catalog};
use crate::import::{ImportError, Imported};
use crate::model::{
    Design, Edge, EdgeKind, Group, GroupKind, Node, Pos, Rect, is_id_char, unused_id,
};

/// Whether a path names a draw.io file.
pub fn is_drawio(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.ends_with(".drawio") || name.ends_with(".drawio.xml") || name.ends_with(".dio")
}

/// The largest page archsketch inflates from a compressed diagram, against zip bombs.
const MAX_INFLATED: usize = 64 * 1024 * 1024;

/// One cell of the diagram, with what the design needs of it.
struct Cell<'a> {
    id: String,
    label: String,
    style: Style<'a>,
    parent: String,
    vertex: bool,
    edge: bool,
    source: Option<String>,
    target: Option<String>,
    /// Top-left corner relative to the parent, and size.
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    /// Data-object attributes other than id and label (properties of the service).
    data: Vec<(String, String)>,
}

fn error(path: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        path: path.to_string(),
        at: None,
        message: message.into(),
    }
}

/// Reads a draw.io file's text; `path` names it in messages.
pub fn import_drawio(text: &str, path: &str) -> Result<Imported, ImportError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let at = e.pos();
        ImportError {
            path: path.to_string(),
            at: Some(crate::import::At {
                line: at.row as usize,
                column: at.col as usize,
            }),
            message: format!("not a readable draw.io file: {e}"),
        }
    })?;
    let root = doc.root_element();
    let (model_text, pages) = match root.tag_name().name() {
        "mxGraphModel" => (None, 1),
        "mxfile" => {
            let diagrams: Vec<_> = root
                .children()
                .filter(|n| n.has_tag_name("diagram"))
                .collect();
            let first = diagrams
                .first()
                .ok_or_else(|| error(path, "the draw.io file has no page"))?;
            let inline = first.children().any(|n| n.has_tag_name("mxGraphModel"));
            let text = if inline {
                None
            } else {
                Some(inflate(first.text().unwrap_or_default().trim(), path)?)
            };
            (text, diagrams.len())
        }
        other => {
            return Err(error(
                path,
                format!(
                    "not a draw.io file: it starts with <{other}>, not <mxfile> or <mxGraphModel>"
                ),
            ));
        }
    };
    let inner_doc;
    let model = match &model_text {
        Some(xml) => {
            inner_doc = roxmltree::Document::parse(xml)
                .map_err(|e| error(path, format!("the compressed page is not readable: {e}")))?;
            inner_doc.root_element()
        }
        None if root.has_tag_name("mxGraphModel") => root,
        None => root
            .descendants()
            .find(|n| n.has_tag_name("mxGraphModel"))
            .ok_or_else(|| error(path, "the page has no diagram"))?,
    };
    let cell_root = model
        .children()
        .find(|n| n.has_tag_name("root"))
        .ok_or_else(|| error(path, "the page has no <root> of cells"))?;
    let cells: Vec<Cell<'_>> = cell_root.children().filter_map(read_cell).collect();
    Ok(build(&cells, pages))
}

/// A compressed page: base64, then raw deflate, then URL-encoding.
fn inflate(text: &str, path: &str) -> Result<String, ImportError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .map_err(|e| error(path, format!("the compressed page is not base64: {e}")))?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INFLATED)
        .map_err(|e| error(path, format!("the compressed page does not inflate: {e:?}")))?;
    let encoded =
        String::from_utf8(raw).map_err(|_| error(path, "the compressed page is not text"))?;
    percent_encoding::percent_decode_str(&encoded)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| error(path, "the compressed page is not UTF-8 text"))
}

/// A `<mxCell>`, or a data object (`<object>`/`<UserObject>`) wrapping one.
fn read_cell<'a>(node: roxmltree::Node<'a, 'a>) -> Option<Cell<'a>> {
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
    let number = |name: &str| {
        geometry
            .and_then(|g| g.attribute(name))
            .and_then(|v| v.parse::<f32>().ok())
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    Some(Cell {
        id,
        label: plain_text(label.unwrap_or_default()),
        style: Style::parse(cell.attribute("style").unwrap_or_default()),
        parent: cell.attribute("parent").unwrap_or_default().to_string(),
        vertex: cell.attribute("vertex") == Some("1"),
        edge: cell.attribute("edge") == Some("1"),
        source: cell.attribute("source").map(str::to_string),
        target: cell.attribute("target").map(str::to_string),
        x: number("x"),
        y: number("y"),
        width: number("width"),
        height: number("height"),
        data,
    })
}

/// A label without the HTML draw.io keeps in `html=1` labels.
fn plain_text(label: &str) -> String {
    let with_breaks = label
        .replace("<br>", " ")
        .replace("<br/>", " ")
        .replace("<br />", " ")
        .replace("<div>", " ");
    let mut out = String::new();
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a vertex is in the design.
enum Role {
    Service(String),
    Group(GroupKind),
    /// A shape archsketch does not know, named for the report.
    Unknown(String),
    /// Text, lines and plain shapes: how a drawing annotates, not what it shows.
    Annotation,
}

fn role(cell: &Cell<'_>, has_children: bool) -> Role {
    let style = &cell.style;
    if let Some(service) = style.get("archsketchService") {
        return Role::Service(service.to_string());
    }
    if let Some(kind) = style.get("archsketchGroup").and_then(GroupKind::from_name) {
        return Role::Group(kind);
    }
    let shape = style
        .get("shape")
        .or_else(|| style.bare().first().copied())
        .unwrap_or_default();
    if shape == "mxgraph.aws4.group" || shape == "mxgraph.aws4.groupCenter" {
        let icon = style
            .get("grIcon")
            .and_then(|i| i.strip_prefix("mxgraph.aws4."))
            .unwrap_or_default();
        let kind = match shapes().group_by_icon(icon) {
            Some(GroupKind::PublicSubnet | GroupKind::PrivateSubnet) => {
                // One icon, two kinds: draw.io tells them apart by colour.
                let public_stroke = shapes()
                    .group(GroupKind::PublicSubnet)
                    .map_or("", |g| g.stroke.as_str());
                if style
                    .get("strokeColor")
                    .is_some_and(|c| c.eq_ignore_ascii_case(public_stroke))
                    || style.get("fillColor").is_some_and(|c| {
                        c.eq_ignore_ascii_case("#F2F6E8") || c.eq_ignore_ascii_case("#E9F3E6")
                    })
                {
                    GroupKind::PublicSubnet
                } else {
                    GroupKind::PrivateSubnet
                }
            }
            Some(kind) => kind,
            None => GroupKind::Generic,
        };
        return Role::Group(kind);
    }
    let named = if shape == "mxgraph.aws4.resourceIcon" || shape == "mxgraph.aws4.productIcon" {
        style
            .get("resIcon")
            .or_else(|| style.get("prIcon"))
            .and_then(|i| i.strip_prefix("mxgraph.aws4."))
            .map(Shape::Tile)
    } else {
        shape.strip_prefix("mxgraph.aws4.").map(Shape::Flat)
    };
    if let Some(service) = named.and_then(|s| shapes().service_of(s)) {
        return Role::Service(service.to_string());
    }
    if style.flag("container") || has_children {
        let kind = style
            .get("strokeColor")
            .and_then(|c| shapes().group_by_stroke(c))
            .unwrap_or(GroupKind::Generic);
        return Role::Group(kind);
    }
    let plain = !shape.starts_with("mxgraph.")
        || matches!(shape, "mxgraph.basic.rect" | "mxgraph.aws4.line");
    match named {
        Some(Shape::Tile(n) | Shape::Flat(n)) if n != "line" => Role::Unknown(n.to_string()),
        _ if plain || style.bare().contains(&"text") => Role::Annotation,
        _ => Role::Unknown(shape.to_string()),
    }
}

/// A valid, unused design id for a draw.io cell id (draw.io ids are often random strings
/// with characters a design id does not allow).
fn design_id(cell_id: &str, taken: &mut HashSet<String>) -> String {
    let mut id: String = cell_id
        .chars()
        .map(|c| if is_id_char(c) { c } else { '_' })
        .collect();
    if id.is_empty() {
        id = "cell".into();
    }
    let id = unused_id(id, |c| taken.contains(c));
    taken.insert(id.clone());
    id
}

fn build(cells: &[Cell<'_>], pages: usize) -> Imported {
    let by_id: HashMap<&str, &Cell<'_>> = cells.iter().map(|c| (c.id.as_str(), c)).collect();
    let has_children: HashSet<&str> = cells
        .iter()
        .filter(|c| c.vertex)
        .map(|c| c.parent.as_str())
        .collect();
    // Where each vertex is on the page: its geometry plus that of every vertex above it.
    let rects: HashMap<&str, Rect> = cells
        .iter()
        .filter(|c| c.vertex)
        .map(|cell| {
            let (mut x, mut y) = (cell.x, cell.y);
            let mut parent = by_id.get(cell.parent.as_str());
            // At most 64 levels: a parent loop in a hand-edited file ends here.
            for _ in 0..64 {
                let Some(p) = parent.filter(|p| p.vertex) else {
                    break;
                };
                x += p.x;
                y += p.y;
                parent = by_id.get(p.parent.as_str());
            }
            let rect =
                Rect::from_min_max(Pos::new(x, y), Pos::new(x + cell.width, y + cell.height));
            (cell.id.as_str(), rect)
        })
        .collect();
    let mut design = Design::default();
    let mut taken = HashSet::new();
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut annotations = 0;
    let mut groups_of: Vec<(&str, usize)> = Vec::new();
    for cell in cells.iter().filter(|c| c.vertex) {
        match role(cell, has_children.contains(cell.id.as_str())) {
            Role::Service(service) => {
                let id = design_id(&cell.id, &mut taken);
                let mut node = Node::new(id.clone(), service, rects[cell.id.as_str()].center());
                node.label = cell.label.clone();
                for (key, value) in &cell.data {
                    node.props.insert(key.clone(), value.clone());
                }
                ids.insert(cell.id.as_str(), id);
                design.nodes.push(node);
            }
            Role::Group(kind) => {
                let id = design_id(&cell.id, &mut taken);
                let mut group = Group::new(id.clone(), kind);
                // archsketch shows an unlabelled box by its kind's name, and says so.
                if !cell.style.flag("archsketchUnlabelled") {
                    group.label = cell.label.clone();
                }
                ids.insert(cell.id.as_str(), id);
                groups_of.push((cell.id.as_str(), design.groups.len()));
                design.groups.push(group);
            }
            Role::Unknown(name) => *unknown.entry(name).or_default() += 1,
            Role::Annotation => annotations += 1,
        }
    }
    // Children: each drawn element in the nearest group above it in the file, else in the
    // smallest group box drawn around it (draw.io files often draw a box behind services
    // without making it their container).
    let group_index: HashMap<&str, usize> = groups_of.iter().copied().collect();
    let group_rects: Vec<(usize, Rect)> = groups_of
        .iter()
        .map(|&(cell, g)| (g, rects[cell]))
        .collect();
    let area = |r: &Rect| r.width() * r.height();
    let mut parent_of: Vec<Option<usize>> = vec![None; design.groups.len()];
    let mut placements: Vec<(usize, String, bool)> = Vec::new();
    for cell in cells.iter().filter(|c| c.vertex) {
        let Some(child) = ids.get(cell.id.as_str()) else {
            continue;
        };
        let own = group_index.get(cell.id.as_str()).copied();
        let mut structural = None;
        let mut parent = cell.parent.as_str();
        for _ in 0..64 {
            if parent.is_empty() {
                break;
            }
            if let Some(&g) = group_index.get(parent) {
                structural = Some(g);
                break;
            }
            parent = by_id.get(parent).map_or("", |p| p.parent.as_str());
        }
        let rect = rects[cell.id.as_str()];
        let drawn_around = || {
            group_rects
                .iter()
                .filter(|(g, r)| {
                    Some(*g) != own
                        && match own {
                            // A box inside a strictly larger one.
                            Some(_) => r.contains_rect(&rect) && area(r) > area(&rect),
                            None => r.contains(rect.center()),
                        }
                })
                .min_by(|a, b| area(&a.1).total_cmp(&area(&b.1)))
                .map(|(g, _)| *g)
        };
        // archsketch's own cells say where they belong; only foreign ones are placed by eye.
        let ours = cell.style.get("archsketchService").is_some()
            || cell.style.get("archsketchGroup").is_some();
        let placed = if ours {
            structural
        } else {
            structural.or_else(drawn_around)
        };
        if let Some(g) = placed {
            if let Some(o) = own {
                parent_of[o] = Some(g);
            }
            placements.push((g, child.clone(), structural.is_some()));
        }
    }
    // A file whose boxes would nest in a circle keeps only what it states outright.
    let circular = (0..parent_of.len()).any(|start| {
        let mut at = parent_of[start];
        for _ in 0..=parent_of.len() {
            match at {
                Some(g) if g == start => return true,
                Some(g) => at = parent_of[g],
                None => return false,
            }
        }
        true
    });
    for (g, child, explicit) in placements {
        if explicit || !circular {
            design.groups[g].children.push(child);
        }
    }
    let mut loose = 0;
    for cell in cells.iter().filter(|c| c.edge) {
        let ends = (
            cell.source.as_deref().and_then(|s| ids.get(s)),
            cell.target.as_deref().and_then(|t| ids.get(t)),
        );
        let (Some(from), Some(to)) = ends else {
            loose += 1;
            continue;
        };
        if from == to {
            continue;
        }
        let endpoint = |id: &str| match design.node(id) {
            Some(n) => Endpoint::Service(&n.service),
            None => Endpoint::Group(design.group(id).map_or(GroupKind::Generic, |g| g.kind)),
        };
        let kind = cell
            .style
            .get("archsketchKind")
            .and_then(EdgeKind::from_name)
            .unwrap_or_else(|| catalog().default_edge_kind(endpoint(from), endpoint(to)));
        let mut edge = Edge::new(from.clone(), to.clone(), kind);
        edge.label = cell.label.clone();
        design.push_edge(edge);
    }
    let mut report = format!(
        "{} services, {} edges, {} groups",
        design.nodes.len(),
        design.edges.len(),
        design.groups.len()
    );
    if !unknown.is_empty() {
        let total: usize = unknown.values().sum();
        let names: Vec<String> = unknown.iter().map(|(n, c)| format!("{n} ({c})")).collect();
        report.push_str(&format!(
            "; left out {total} shapes archsketch does not know: {}",
            names.join(", ")
        ));
    }
    if annotations > 0 {
        report.push_str(&format!(
            "; left out {annotations} text boxes, lines and plain shapes"
        ));
    }
    if loose > 0 {
        report.push_str(&format!(
            "; left out {loose} edges not connected at both ends"
        ));
    }
    if pages > 1 {
        report.push_str(&format!("; read page 1 of {pages}"));
    }
    report.push('.');
    separate_top_boxes(&mut design);
    Imported {
        design,
        report,
        anchors: BTreeMap::new(),
    }
}

/// Boxes a drawing put side by side can overlap once archsketch pads them around their
/// labels. Of two outermost boxes that overlap without one holding the other, the one further
/// right (or lower, when they are stacked) moves clear by the overlap and a gap, contents
/// included; the rest of the drawing keeps its place.
fn separate_top_boxes(design: &mut Design) {
    const GAP: f32 = 24.0;
    for _ in 0..design.groups.len().min(32) {
        let scene = crate::scene::build_layout_only(design);
        let top: Vec<&crate::scene::GroupShape> =
            scene.groups.iter().filter(|g| g.depth == 0).collect();
        let overlap = top.iter().enumerate().find_map(|(k, a)| {
            top[k + 1..].iter().find_map(|b| {
                let both = a.rect.intersection(b.rect);
                let nested = both == a.rect || both == b.rect;
                (!both.is_empty() && !nested).then_some((*a, *b, both))
            })
        });
        let Some((a, b, both)) = overlap else { return };
        // Move the later of the two along the axis they overlap less on.
        let sideways = both.width() <= both.height();
        let (mover, dx, dy) = if sideways {
            let mover = if b.rect.min.x >= a.rect.min.x { b } else { a };
            (mover, both.width() + GAP, 0.0)
        } else {
            let mover = if b.rect.min.y >= a.rect.min.y { b } else { a };
            (mover, 0.0, both.height() + GAP)
        };
        let id = design.groups[mover.index].id.clone();
        let inside: HashSet<String> = design.descendants(&id).into_iter().collect();
        for n in design
            .nodes
            .iter_mut()
            .filter(|n| inside.contains(n.id.as_str()))
        {
            n.pos = n.pos.offset(dx, dy);
        }
    }
}
