//! One draw.io page as a design. Cells are read as a person reads the drawing: a shape
//! belongs to the innermost box drawn around it, an icon without a label is named by the text
//! box under or beside it, an arrow whose end lies on a shape's outline is connected to it,
//! a plain shape an arrow points at stands for something outside AWS, and text that names
//! nothing is kept as a note.

use std::collections::{BTreeMap, HashMap, HashSet};

mod boxes;
mod page;

use crate::catalog::{Endpoint, catalog};
use crate::drawio::cells::Cell;
use crate::drawio::role::{Role, plain_box_kind, role, shape_name};
use crate::drawio::shapes::shapes;
use crate::imported::{Counts, ImportReport};
use crate::model::{
    Design, Edge, EdgeKind, ElementId, Frame, FreshIds, Group, GroupId, GroupKind, Node, NodeId,
    Pos, Rect, SANE_COORDINATE, is_id_char,
};

use crate::model::NOTE_SERVICE as NOTE;
use boxes::{place_in_boxes, separate_top_boxes};
use page::{Page, iso_connectors, naming_gap, reach};

/// The service of a plain shape an arrow reaches that names nothing more particular.
const EXTERNAL: &str = "external_system";

/// How far an arrow's loose end may lie from a shape's outline and still reach it.
const TOUCH: f32 = 8.0;

/// How far a text box may lie from an icon and still name it: about a tile.
const NAME_REACH: f32 = 64.0;

/// What one page became.
pub struct PageDesign {
    pub design: Design,
    pub report: ImportReport,
    /// How many AWS shapes (services and boxes) the page holds.
    pub aws_shapes: usize,
}

/// What a vertex is in the design.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Service {
        service: String,
        props: BTreeMap<String, String>,
        aws: bool,
    },
    Box {
        kind: GroupKind,
        aws: bool,
    },
    Text,
    Plain,
    Unknown(String),
    Decoration,
    /// A label riding on an edge.
    EdgeLabel,
    /// An icon on a box's border, which says what the box is.
    BoxIcon,
}

/// A valid, unused design id for a draw.io cell id (draw.io ids are often random strings
/// with characters a design id does not allow).
fn design_id(cell_id: &str, taken: &mut FreshIds) -> String {
    let mut id: String = cell_id
        .chars()
        .take(64)
        .map(|c| if is_id_char(c) { c } else { '_' })
        .collect();
    if id.is_empty() {
        id = "cell".into();
    }
    taken.fresh(id)
}

/// The id a cell asks for: its own, or the design id archsketch kept in its style when the
/// cell id had to differ (ids "0" and "1" are draw.io's root and layer).
fn wanted_id<'c>(cell: &'c Cell<'_>) -> &'c str {
    cell.style.get("archsketchId").unwrap_or(&cell.id)
}

/// Counts for the report.
#[derive(Default)]
struct Tally {
    unknown: BTreeMap<String, usize>,
    decorations: usize,
    named_by_text: usize,
    externals: usize,
    notes: usize,
    glued: usize,
    touching: usize,
    loose: usize,
    to_unknown: usize,
    odd_geometry: usize,
    bends: usize,
    turned: usize,
}

pub fn build(cells: &[Cell<'_>]) -> PageDesign {
    let page = Page::new(cells);
    let mut tally = Tally::default();
    let mut design = Design::default();
    let mut taken = FreshIds::default();
    // Cell index -> design id of what it became.
    let mut ids: HashMap<usize, String> = HashMap::new();
    let mut node_at: HashMap<String, usize> = HashMap::new();
    let mut group_cells: Vec<(usize, usize)> = Vec::new();
    let mut aws_shapes = 0;
    for (i, cell) in cells.iter().enumerate() {
        if cell.odd_geometry {
            tally.odd_geometry += 1;
        }
        match &page.kinds[i] {
            Kind::Service {
                service,
                props,
                aws,
            } => {
                let id = design_id(wanted_id(cell), &mut taken);
                let node_id = NodeId::made(id.clone());
                let mut node = Node::new(node_id, service.clone(), page.rects[i].center());
                if !cell.style.flag("archsketchUnlabelled") {
                    node.label = cell.label.clone();
                }
                node.props = props.clone();
                for (key, value) in &cell.data {
                    node.props.insert(key.clone(), value.clone());
                }
                if *aws {
                    aws_shapes += 1;
                }
                ids.insert(i, id.clone());
                node_at.insert(id, design.nodes().len());
                design.push_built_node(node);
            }
            Kind::Box { kind, aws } => {
                let id = design_id(wanted_id(cell), &mut taken);
                let mut group = Group::new(GroupId::made(id.clone()), *kind);
                // archsketch shows an unlabelled box by its kind's name, and says so.
                if !cell.style.flag("archsketchUnlabelled") {
                    group.label = cell.label.clone();
                }
                let own = cell.style.get("archsketchGroup").is_some();
                let r = page.rects[i];
                if !own || cell.style.flag("archsketchFrame") {
                    group.frame = Some(Frame::new(r.min, r.width(), r.height()));
                }
                if *aws {
                    aws_shapes += 1;
                }
                ids.insert(i, id);
                group_cells.push((i, design.groups().len()));
                design.push_built_group(group);
            }
            Kind::Unknown(name) => *tally.unknown.entry(name.clone()).or_default() += 1,
            Kind::Decoration if cell.vertex => tally.decorations += 1,
            _ => {}
        }
    }

    // Names: each unlabelled icon takes the nearest text box under or beside it, once.
    let texts: Vec<usize> = (0..cells.len())
        .filter(|&i| page.kinds[i] == Kind::Text)
        .collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (&i, id) in &ids {
        let Some(&n) = node_at.get(id) else { continue };
        if !design.nodes()[n].label.is_empty() {
            continue;
        }
        for &t in &texts {
            if let Some(gap) = naming_gap(page.rects[i], page.rects[t]) {
                pairs.push((gap, i, t));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut named: HashSet<usize> = HashSet::new();
    // Text cell -> the cell it names.
    let mut names: HashMap<usize, usize> = HashMap::new();
    for (_, icon, text) in pairs {
        if named.contains(&icon) || names.contains_key(&text) {
            continue;
        }
        let n = node_at[&ids[&icon]];
        if let Some(node) = design.node_at_mut(n) {
            *node.label = cells[text].label.clone();
        }
        named.insert(icon);
        names.insert(text, icon);
        tally.named_by_text += 1;
    }

    // Arrows.
    let edge_labels: HashMap<usize, &str> = (0..cells.len())
        .filter(|&i| page.kinds[i] == Kind::EdgeLabel && !cells[i].label.is_empty())
        .filter_map(|i| page.parent(i).map(|e| (e, cells[i].label.as_str())))
        .collect();
    // What a loose end may land on: tiles and pictures, text and plain shapes, box outlines.
    let reachable: Vec<usize> = (0..cells.len())
        .filter(|&i| {
            matches!(
                page.kinds[i],
                Kind::Service { .. } | Kind::Box { .. } | Kind::Text | Kind::Plain
            )
        })
        .collect();
    let mut externals: HashMap<usize, String> = HashMap::new();
    let iso = iso_connectors(&page, &reachable);
    for (e, cell) in cells
        .iter()
        .enumerate()
        .filter(|(e, c)| c.edge || iso.contains_key(e))
    {
        let origin = page.origin_of(e);
        let absolute = |p: Pos| Pos::new(p.x + origin.x, p.y + origin.y);
        // An AWS 3D connector shape is an arrow between the corners of its box.
        let iso_ends = iso.get(&e).map(|&(a, b)| {
            (
                Pos::new(a.x - origin.x, a.y - origin.y),
                Pos::new(b.x - origin.x, b.y - origin.y),
            )
        });
        let (source_point, target_point) = match iso_ends {
            Some((a, b)) => (Some(a), Some(b)),
            None => (cell.source_point, cell.target_point),
        };
        let mut touched = false;
        let mut unknown_end = false;
        let mut end =
            |glued: Option<&String>, point: Option<Pos>, along: Option<Pos>| -> Option<usize> {
                if let Some(g) = glued.and_then(|g| page.index.get(g.as_str()).copied()) {
                    match page.kinds[g] {
                        Kind::Service { .. } | Kind::Box { .. } | Kind::Text | Kind::Plain => {
                            return Some(g);
                        }
                        Kind::Unknown(_) => unknown_end = true,
                        _ => {}
                    }
                }
                let p = absolute(point?);
                let best = reach(&page, &reachable, p, along.map(absolute));
                if best.is_some() {
                    touched = true;
                }
                best
            };
        // The point each loose end's line comes from, to follow it a little further.
        let after_source = cell.points.first().copied().or(target_point);
        let before_target = cell.points.last().copied().or(source_point);
        let from = end(cell.source.as_ref(), source_point, after_source);
        let to = end(cell.target.as_ref(), target_point, before_target);
        let (Some(from), Some(to)) = (from, to) else {
            if unknown_end {
                tally.to_unknown += 1;
            } else {
                tally.loose += 1;
            }
            continue;
        };
        // Each end as an element of the design: a text box stands for what it names, a plain
        // shape or free text an arrow reaches becomes something outside AWS.
        let mut element = |i: usize, design: &mut Design| -> String {
            let i = names
                .get(&i)
                .or_else(|| page.card_of.get(&i))
                .copied()
                .unwrap_or(i);
            if let Some(id) = ids.get(&i) {
                return id.clone();
            }
            if let Some(id) = externals.get(&i) {
                return id.clone();
            }
            let c = &cells[i];
            // A picture without a label is named by its file.
            let name = if c.label.is_empty() {
                crate::drawio::role::image_name(c.style.get("image").unwrap_or_default())
                    .to_string()
            } else {
                c.label.clone()
            };
            let service = shapes()
                .external_named(&name)
                .unwrap_or(EXTERNAL)
                .to_string();
            let id = design_id(&c.id, &mut taken);
            let mut node = Node::new(NodeId::made(id.clone()), service, page.rects[i].center());
            node.label = name;
            node_at.insert(id.clone(), design.nodes().len());
            design.push_built_node(node);
            externals.insert(i, id.clone());
            id
        };
        let (from, to) = (element(from, &mut design), element(to, &mut design));
        if from == to {
            continue;
        }
        if touched {
            tally.touching += 1;
        } else {
            tally.glued += 1;
        }
        let endpoint = |id: &str, design: &Design| match node_at.get(id) {
            Some(&n) => Endpoint::Service(catalog_service(&design.nodes()[n].service)),
            None => Endpoint::Group(
                design
                    .group_by_text(id)
                    .map_or(GroupKind::Generic, |(_, g)| g.kind),
            ),
        };
        let own = cell
            .style
            .get("archsketchKind")
            .and_then(EdgeKind::from_name);
        // An arrow whose only head is at its start points at its source.
        let head = |key: &str, default: &str| cell.style.get(key).unwrap_or(default) != "none";
        let backwards = head("startArrow", "none") && !head("endArrow", "classic");
        let (mut from, mut to) = if backwards { (to, from) } else { (from, to) };
        let mut turned = backwards;
        if own.is_none() {
            // An arrow drawn from a reader to what it reads (QuickSight -> Athena -> S3, the
            // way requests go) is turned the way the data flows.
            let fwd = catalog().listed_edge_kind(endpoint(&from, &design), endpoint(&to, &design));
            let back = catalog().listed_edge_kind(endpoint(&to, &design), endpoint(&from, &design));
            if fwd.is_none() && back == Some(EdgeKind::Query) {
                std::mem::swap(&mut from, &mut to);
                turned = !turned;
                tally.turned += 1;
            }
        }
        let kind = own.unwrap_or_else(|| {
            let listed =
                catalog().default_edge_kind(endpoint(&from, &design), endpoint(&to, &design));
            refine_kind(listed, &cell.label, &design, &node_at, (&from, &to))
        });
        let element = |id: String| match node_at.contains_key(&id) {
            true => ElementId::Node(NodeId::made(id)),
            false => ElementId::Group(GroupId::made(id)),
        };
        let mut edge = Edge::new(element(from), element(to), kind);
        edge.label = if cell.label.is_empty() {
            edge_labels.get(&e).copied().unwrap_or_default().to_string()
        } else {
            cell.label.clone()
        };
        if own.is_none() {
            if cell.style.flag("dashed") && !kind.is_relation() {
                edge.props.insert("line".into(), "dashed".into());
            }
            let mut bends: Vec<Pos> = cell.points.iter().map(|&p| absolute(p)).collect();
            if turned {
                bends.reverse();
            }
            let straight = bends
                .windows(2)
                .all(|w| (w[0].x - w[1].x).abs() < 1.0 || (w[0].y - w[1].y).abs() < 1.0);
            if !bends.is_empty() && straight {
                edge.bends = bends;
                tally.bends += 1;
            }
        }
        design.push_edge(edge);
    }
    tally.externals = externals.len();

    // Notes: text that names nothing, and plain shapes with words that are not boxes.
    for (i, cell) in cells.iter().enumerate() {
        let free = matches!(page.kinds[i], Kind::Text | Kind::Plain)
            && !names.contains_key(&i)
            && !externals.contains_key(&i)
            && !cell.label.is_empty();
        if !free {
            continue;
        }
        let id = design_id(wanted_id(cell), &mut taken);
        let mut node = Node::new(NodeId::made(id.clone()), NOTE, page.rects[i].center());
        node.label = cell.label.clone();
        ids.insert(i, id.clone());
        node_at.insert(id, design.nodes().len());
        design.push_built_node(node);
        tally.notes += 1;
    }
    for (&i, id) in &externals {
        ids.insert(i, id.clone());
    }

    place_in_boxes(&page, &ids, &group_cells, &mut design);
    let report = report(&design, &tally);
    separate_top_boxes(&mut design);
    PageDesign {
        design,
        report,
        aws_shapes,
    }
}

/// A drawing says more than the pair of services: an arrow from a bucket to a bucket named
/// for logs carries access logs, not replication.
fn refine_kind(
    kind: EdgeKind,
    label: &str,
    design: &Design,
    node_at: &HashMap<String, usize>,
    (from, to): (&str, &str),
) -> EdgeKind {
    let service = |id: &str| {
        node_at
            .get(id)
            .map_or("", |&n| design.nodes()[n].service.as_str())
    };
    let label_of = |id: &str| {
        node_at
            .get(id)
            .map_or("", |&n| design.nodes()[n].label.as_str())
    };
    let (from_label, to_label) = (label_of(from), label_of(to));
    let compute = |s: &str| matches!(s, "ec2" | "ec2_auto_scaling");
    let says = |text: &str, words: &[&str]| crate::drawio::shapes::mentions(text, words);
    let logs = ["log", "logs", "logging", "access logs"];
    match kind {
        EdgeKind::Replicate if says(label, &["replication", "replicate", "crr", "srr"]) => kind,
        EdgeKind::Replicate if says(label, &logs) || says(to_label, &logs) => EdgeKind::LogTo,
        // An object drawn going into its bucket is stored there, not replicated.
        EdgeKind::Replicate if says(from_label, &["object", "objects", "file", "files"]) => {
            EdgeKind::Data
        }
        // A volume attaches to an instance; an arrow from it to a bucket or a network is
        // data (a snapshot, traffic), not an attachment.
        EdgeKind::Attach
            if (service(from) == "ebs" && !compute(service(to)))
                || (service(to) == "ebs" && !compute(service(from))) =>
        {
            EdgeKind::Data
        }
        _ => kind,
    }
}

/// The catalog's own spelling of a service id, for the edge-kind table (which borrows).
fn catalog_service(service: &str) -> &'static str {
    catalog().service(service).map_or("", |s| s.id.as_str())
}

fn report(design: &Design, tally: &Tally) -> ImportReport {
    let mut report = ImportReport::new(Counts::Drawing {
        services: design.nodes().iter().filter(|n| !n.is_note()).count(),
        edges: design.edges().len(),
        groups: design.groups().len(),
        notes: tally.notes,
    });
    let counted = [
        (
            tally.named_by_text,
            "services named by the text under or beside them",
        ),
        (
            tally.externals,
            "plain shapes that arrows reach kept as things outside AWS",
        ),
        (
            tally.touching,
            "arrows connected where their ends touch a shape",
        ),
        (
            tally.turned,
            "arrows from a reader to what it reads turned the way data flows",
        ),
    ];
    for (n, what) in counted {
        if n > 0 {
            report.read.push(format!("{n} {what}"));
        }
    }
    if !tally.unknown.is_empty() {
        let total: usize = tally.unknown.values().sum();
        let names: Vec<String> = tally
            .unknown
            .iter()
            .map(|(n, c)| format!("{n} ({c})"))
            .collect();
        report.clauses.push(format!(
            "left out {total} shapes archsketch does not know: {}",
            names.join(", ")
        ));
    }
    let n = tally.decorations;
    if n > 0 {
        report
            .clauses
            .push(format!("left out {n} lines, pictures and empty shapes"));
    }
    let n = tally.to_unknown;
    if n > 0 {
        report
            .clauses
            .push(format!("left out {n} edges to shapes it does not know"));
    }
    let n = tally.loose;
    if n > 0 {
        report
            .clauses
            .push(format!("left out {n} edges not connected at both ends"));
    }
    let n = tally.odd_geometry;
    if n > 0 {
        report.clauses.push(format!(
            "{n} cells had a position or size out of range, read as 0"
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::page::to_outline;
    use super::*;

    #[test]
    fn a_text_box_names_the_icon_above_it_before_one_further_away() {
        let icon = Rect::from_min_max(Pos::new(0.0, 0.0), Pos::new(48.0, 48.0));
        let under = Rect::from_min_max(Pos::new(-10.0, 52.0), Pos::new(58.0, 70.0));
        let beside = Rect::from_min_max(Pos::new(52.0, 10.0), Pos::new(120.0, 30.0));
        let far = Rect::from_min_max(Pos::new(0.0, 200.0), Pos::new(48.0, 220.0));
        let (u, b) = (
            naming_gap(icon, under).unwrap(),
            naming_gap(icon, beside).unwrap(),
        );
        assert!(u < b, "{u} {b}");
        assert!(naming_gap(icon, far).is_none());
    }

    #[test]
    fn an_end_on_the_outline_touches_and_one_inside_a_box_does_not() {
        let r = Rect::from_min_max(Pos::new(0.0, 0.0), Pos::new(100.0, 100.0));
        assert!(to_outline(r, Pos::new(103.0, 50.0)) <= TOUCH);
        assert!(to_outline(r, Pos::new(50.0, 50.0)).abs() > TOUCH);
        assert!(to_outline(r, Pos::new(2.0, 50.0)).abs() <= TOUCH);
        assert!(
            to_outline(r, Pos::new(50.0, 50.0)) < 0.0,
            "inside is negative"
        );
    }
}
