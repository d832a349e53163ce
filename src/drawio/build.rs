//! One draw.io page as a design. Cells are read as a person reads the drawing: a shape
//! belongs to the innermost box drawn around it, an icon without a label is named by the text
//! box under or beside it, an arrow whose end lies on a shape's outline is connected to it,
//! a plain shape an arrow points at stands for something outside AWS, and text that names
//! nothing is kept as a note.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::cells::Cell;
use super::role::{Role, plain_box_kind, role, shape_name};
use super::shapes::shapes;
use crate::catalog::{Endpoint, catalog};
use crate::model::{
    Design, Edge, EdgeKind, Frame, FreshIds, Group, GroupKind, Node, Pos, Rect, SANE_COORDINATE,
    is_id_char,
};

use crate::model::NOTE_SERVICE as NOTE;
/// The service of a plain shape an arrow reaches that names nothing more particular.
const EXTERNAL: &str = "external_system";
/// How far an arrow's loose end may lie from a shape's outline and still reach it.
const TOUCH: f32 = 8.0;
/// How far a text box may lie from an icon and still name it: about a tile.
const NAME_REACH: f32 = 64.0;

/// What one page became.
pub struct PageDesign {
    pub design: Design,
    pub report: String,
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

/// The page's cells with their places on the page and what each is.
struct Page<'c, 'a> {
    cells: &'c [Cell<'a>],
    index: HashMap<&'c str, usize>,
    /// Where each vertex is drawn on the page (absolute), by cell index.
    rects: Vec<Rect>,
    kinds: Vec<Kind>,
    /// A card drawn behind one icon -> the icon, which arrows to the card reach.
    card_of: HashMap<usize, usize>,
}

impl<'c, 'a> Page<'c, 'a> {
    fn new(cells: &'c [Cell<'a>]) -> Self {
        let mut index = HashMap::new();
        for (i, c) in cells.iter().enumerate() {
            index.entry(c.id.as_str()).or_insert(i);
        }
        let mut page = Page {
            cells,
            index,
            rects: Vec::with_capacity(cells.len()),
            kinds: Vec::with_capacity(cells.len()),
            card_of: HashMap::new(),
        };
        for (i, c) in cells.iter().enumerate() {
            let origin = page.origin_of(i);
            let min = Pos::new(origin.x + c.x, origin.y + c.y);
            page.rects.push(Rect::from_min_max(
                min,
                Pos::new(min.x + c.width, min.y + c.height),
            ));
        }
        for i in 0..cells.len() {
            let kind = page.kind_by_style(i);
            page.kinds.push(kind);
        }
        page.find_plain_boxes();
        page.find_box_icons();
        page
    }

    /// An icon of a VPC, the AWS Cloud or a data centre sitting on the border of a box (how
    /// AWS 3 draws such boxes) makes the box that kind and belongs to it.
    fn find_box_icons(&mut self) {
        for i in 0..self.cells.len() {
            let service = match &self.kinds[i] {
                Kind::Service { service, .. } => Some(service.as_str()),
                Kind::Unknown(_) => None,
                _ => continue,
            };
            let stencil = super::role::stencil_name(&self.cells[i]);
            let Some(kind) = shapes().box_icon(service, stencil) else {
                continue;
            };
            let icon = self.rects[i];
            let reach = icon.width().max(icon.height()) / 2.0 + 6.0;
            let c = icon.center();
            let holder = (0..self.cells.len())
                .filter(|&j| j != i)
                .filter(|&j| match self.kinds[j] {
                    Kind::Plain => true,
                    Kind::Box { kind, aws } => kind == GroupKind::Generic || !aws,
                    _ => false,
                })
                .filter(|&j| {
                    let r = self.rects[j];
                    let on_border = to_outline(r, c).abs() <= reach;
                    let upper_half = c.y <= r.center().y;
                    let bigger = r.width() * r.height() > 4.0 * icon.width() * icon.height();
                    on_border && upper_half && bigger
                })
                .min_by(|&a, &b| {
                    let area = |k: usize| self.rects[k].width() * self.rects[k].height();
                    area(a).total_cmp(&area(b))
                });
            if let Some(j) = holder {
                self.kinds[j] = Kind::Box { kind, aws: true };
                self.kinds[i] = Kind::BoxIcon;
            }
        }
    }

    fn parent(&self, i: usize) -> Option<usize> {
        self.index.get(self.cells[i].parent.as_str()).copied()
    }

    /// The absolute top-left corner a cell's geometry is relative to: the sum of its vertex
    /// ancestors' corners (at most 64 of them, so a parent loop ends).
    fn origin_of(&self, i: usize) -> Pos {
        let (mut x, mut y) = (0.0f32, 0.0f32);
        let mut at = self.parent(i);
        for _ in 0..64 {
            let Some(p) = at.filter(|&p| self.cells[p].vertex && p != i) else {
                break;
            };
            x += self.cells[p].x;
            y += self.cells[p].y;
            at = self.parent(p);
        }
        let clamp = |v: f32| v.clamp(-SANE_COORDINATE, SANE_COORDINATE);
        Pos::new(clamp(x), clamp(y))
    }

    fn kind_by_style(&self, i: usize) -> Kind {
        let c = &self.cells[i];
        if !c.vertex {
            return Kind::Decoration;
        }
        if self.parent(i).is_some_and(|p| self.cells[p].edge) {
            return Kind::EdgeLabel;
        }
        if super::role::iso_connector(c).is_some() {
            return Kind::Decoration;
        }
        match role(c) {
            Role::Service(row) => Kind::Service {
                service: row.service.clone(),
                props: row.props.clone(),
                aws: true,
            },
            Role::Own(service) => Kind::Service {
                service,
                props: BTreeMap::new(),
                aws: true,
            },
            Role::Picture(service) => Kind::Service {
                service: service.to_string(),
                props: BTreeMap::new(),
                aws: false,
            },
            Role::Group(kind) => Kind::Box { kind, aws: true },
            Role::Text => Kind::Text,
            Role::Plain => Kind::Plain,
            Role::Unknown(name) => Kind::Unknown(name),
            Role::Decoration => Kind::Decoration,
        }
    }

    /// Plain shapes that are boxes: containers, shapes holding others, boxes drawn around
    /// services, and large boxes labelled or coloured as a kind (an empty subnet is one).
    fn find_plain_boxes(&mut self) {
        let holds_vertices: HashSet<usize> = (0..self.cells.len())
            .filter(|&i| self.cells[i].vertex)
            .filter_map(|i| self.parent(i))
            .collect();
        let drawn: Vec<usize> = (0..self.cells.len())
            .filter(|&i| matches!(self.kinds[i], Kind::Service { .. } | Kind::Box { .. }))
            .collect();
        for i in 0..self.cells.len() {
            if self.kinds[i] != Kind::Plain {
                continue;
            }
            let c = &self.cells[i];
            let r = self.rects[i];
            let area = r.width() * r.height();
            let held: Vec<f32> = drawn
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| self.rects[j])
                .filter(|o| r.contains(o.center()) && o.width() * o.height() < area)
                .map(|o| o.width() * o.height())
                .collect();
            // An unlabelled card drawn close behind one icon is its background, not a box.
            let card = held.len() == 1 && c.label.is_empty() && area < 4.0 * held[0];
            if card {
                let icon = drawn
                    .iter()
                    .copied()
                    .find(|&j| j != i && r.contains(self.rects[j].center()));
                if let Some(icon) = icon {
                    self.card_of.insert(i, icon);
                }
            }
            let around_something = !held.is_empty() && !card;
            let named = plain_box_kind(c);
            let swimlane = c.style.bare().contains(&"swimlane") || shape_name(c) == "swimlane";
            let container = c.style.flag("container") || holds_vertices.contains(&i) || swimlane;
            let large = r.width() >= 100.0 && r.height() >= 60.0;
            if (container && !card) || around_something || (named.is_some() && large) {
                self.kinds[i] = Kind::Box {
                    kind: named.unwrap_or(GroupKind::Generic),
                    aws: named.is_some(),
                };
            }
        }
    }
}

/// A text box's name for an icon: how far it is, favouring below, then beside, then above.
fn naming_gap(icon: Rect, text: Rect) -> Option<f32> {
    let overlap_x = text.min.x < icon.max.x + 24.0 && text.max.x > icon.min.x - 24.0;
    let overlap_y = text.min.y < icon.max.y && text.max.y > icon.min.y;
    if icon.contains(text.center()) {
        return Some(0.0);
    }
    let below = text.min.y - icon.max.y;
    if overlap_x && (-6.0..=NAME_REACH).contains(&below) {
        return Some(below.max(0.0));
    }
    let right = text.min.x - icon.max.x;
    let left = icon.min.x - text.max.x;
    for side in [right, left] {
        if overlap_y && (-6.0..=NAME_REACH).contains(&side) {
            return Some(side.max(0.0) + 12.0);
        }
    }
    let above = icon.min.y - text.max.y;
    if overlap_x && (-6.0..=NAME_REACH / 2.0).contains(&above) {
        return Some(above.max(0.0) + 24.0);
    }
    None
}

/// Distance from a point to a rectangle's outline: negative inside (how far in from the
/// nearest side), positive outside.
fn to_outline(r: Rect, p: Pos) -> f32 {
    let dx = (r.min.x - p.x).max(p.x - r.max.x);
    let dy = (r.min.y - p.y).max(p.y - r.max.y);
    if dx <= 0.0 && dy <= 0.0 {
        dx.max(dy)
    } else {
        dx.max(0.0).hypot(dy.max(0.0))
    }
}

/// The AWS 3D connector shapes of a page, each with the two points (absolute) it joins: its
/// arrow's corners, or, for a plain connector, the diagonal whose two ends reach shapes.
fn iso_connectors(page: &Page<'_, '_>, reachable: &[usize]) -> HashMap<usize, (Pos, Pos)> {
    let mut out = HashMap::new();
    for (i, cell) in page.cells.iter().enumerate() {
        let Some(kind) = super::role::iso_connector(cell) else {
            continue;
        };
        let r = page.rects[i];
        let corner = |(right, bottom): (bool, bool)| {
            Pos::new(
                if right { r.max.x } else { r.min.x },
                if bottom { r.max.y } else { r.min.y },
            )
        };
        let candidates = match kind {
            Some([a, b]) => vec![(corner(a), corner(b))],
            None => vec![
                (corner((false, true)), corner((true, false))),
                (corner((false, false)), corner((true, true))),
            ],
        };
        let joins = |&(a, b): &(Pos, Pos)| {
            let (from, to) = (
                reach(page, reachable, a, Some(b)),
                reach(page, reachable, b, Some(a)),
            );
            matches!((from, to), (Some(f), Some(t)) if f != t && f != i && t != i)
        };
        if let Some(&ends) = candidates.iter().find(|c| joins(c)) {
            out.insert(i, ends);
        }
    }
    out
}

/// How far past a loose end an arrow is followed to the shape it points at: people leave a
/// gap between an arrow and an icon.
const REACH: f32 = 40.0;

/// The shape a loose arrow end at `p` reaches: one whose outline it lies on (a box only at
/// its border), the smallest first; else the nearest shape within [`REACH`] that the line,
/// continued from `along` through `p`, runs into.
fn reach(page: &Page<'_, '_>, reachable: &[usize], p: Pos, along: Option<Pos>) -> Option<usize> {
    let area = |i: usize| page.rects[i].width() * page.rects[i].height();
    let on_outline = reachable
        .iter()
        .copied()
        .filter(|&i| {
            let d = to_outline(page.rects[i], p);
            match page.kinds[i] {
                Kind::Box { .. } => d.abs() <= TOUCH,
                _ => d <= TOUCH,
            }
        })
        .min_by(|&a, &b| area(a).total_cmp(&area(b)));
    if on_outline.is_some() {
        return on_outline;
    }
    // A plain shape that became a box (a cloud with icons drawn on it) is reached anywhere
    // inside, when nothing in it is.
    let inside_plain_box = || {
        reachable
            .iter()
            .copied()
            .filter(|&i| matches!(page.kinds[i], Kind::Box { aws: false, .. }))
            .filter(|&i| to_outline(page.rects[i], p) <= 0.0)
            .min_by(|&a, &b| area(a).total_cmp(&area(b)))
    };
    let Some(along) = along else {
        return inside_plain_box();
    };
    let (dx, dy) = (p.x - along.x, p.y - along.y);
    let length = dx.hypot(dy);
    if length < 1e-3 {
        return inside_plain_box();
    }
    let (ux, uy) = (dx / length, dy / length);
    reachable
        .iter()
        .copied()
        .filter(|&i| !matches!(page.kinds[i], Kind::Box { .. }))
        .filter_map(|i| {
            let r = page.rects[i];
            let d = to_outline(r, p);
            if !(TOUCH..=REACH).contains(&d) {
                return None;
            }
            let ahead = Pos::new(p.x + ux * d, p.y + uy * d);
            (to_outline(r, ahead) <= TOUCH).then_some((d, i))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i)| i)
        .or_else(inside_plain_box)
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
                let mut node = Node::new(id.clone(), service.clone(), page.rects[i].center());
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
                let mut group = Group::new(id.clone(), *kind);
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
                super::role::image_name(c.style.get("image").unwrap_or_default()).to_string()
            } else {
                c.label.clone()
            };
            let service = shapes()
                .external_named(&name)
                .unwrap_or(EXTERNAL)
                .to_string();
            let id = design_id(&c.id, &mut taken);
            let mut node = Node::new(id.clone(), service, page.rects[i].center());
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
            None => Endpoint::Group(design.group(id).map_or(GroupKind::Generic, |g| g.kind)),
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
        let mut edge = Edge::new(from, to, kind);
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
        let mut node = Node::new(id.clone(), NOTE, page.rects[i].center());
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
    let says = |text: &str, words: &[&str]| super::shapes::mentions(text, words);
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

/// Puts every element in the innermost box drawn around it (a box in one strictly larger),
/// whatever draw.io's parent says; archsketch's own cells keep the parent they were written
/// with. A file whose own boxes would nest in a circle keeps no nesting of its own.
fn place_in_boxes(
    page: &Page<'_, '_>,
    ids: &HashMap<usize, String>,
    group_cells: &[(usize, usize)],
    design: &mut Design,
) {
    let group_of_cell: HashMap<usize, usize> = group_cells.iter().copied().collect();
    let area = |r: &Rect| r.width() * r.height();
    let mut parent_of: Vec<Option<usize>> = vec![None; design.groups().len()];
    let mut placements: Vec<(usize, String)> = Vec::new();
    let mut zones: Vec<(String, String)> = Vec::new();
    let mut order: Vec<usize> = ids.keys().copied().collect();
    order.sort_unstable();
    for i in order {
        let cell = &page.cells[i];
        let own_group = group_of_cell.get(&i).copied();
        let ours = cell.style.get("archsketchService").is_some()
            || cell.style.get("archsketchGroup").is_some();
        let placed = if ours {
            let mut at = page.parent(i);
            let mut found = None;
            for _ in 0..64 {
                let Some(p) = at else { break };
                if let Some(&g) = group_of_cell.get(&p) {
                    found = Some(g);
                    break;
                }
                at = page.parent(p);
            }
            found
        } else {
            let rect = page.rects[i];
            let mut around: Vec<(usize, usize)> = group_cells
                .iter()
                .copied()
                .filter(|&(c, g)| {
                    let r = page.rects[c];
                    Some(g) != own_group
                        && match own_group {
                            Some(_) => r.contains_rect(&rect) && area(&r) > area(&rect),
                            None => r.contains(rect.center()),
                        }
                })
                .collect();
            around.sort_by(|a, b| {
                area(&page.rects[a.0])
                    .total_cmp(&area(&page.rects[b.0]))
                    .then(b.0.cmp(&a.0))
            });
            // The innermost box that the others around it hold in turn. An Availability Zone
            // drawn as a band across other boxes (a VPC spanning two zones, or a zone
            // crossing the VPC's border) is passed over; the zone it names is kept as the
            // element's `az`.
            let crosses = |a: usize, b: usize| {
                let (ra, rb) = (page.rects[a], page.rects[b]);
                !ra.contains_rect(&rb) && !rb.contains_rect(&ra)
            };
            type Boxes = Vec<(usize, usize)>;
            let (bands, kept): (Boxes, Boxes) = around.iter().partition(|&&(c, g)| {
                design.groups()[g].kind == GroupKind::AvailabilityZone
                    && around.iter().any(|&(o, _)| o != c && crosses(c, o))
            });
            let chain = if kept.is_empty() { &around } else { &kept };
            let nested = (0..chain.len()).find(|&k| {
                let inner = page.rects[chain[k].0];
                chain[k + 1..]
                    .iter()
                    .all(|&(c, _)| page.rects[c].contains_rect(&inner))
            });
            if !kept.is_empty() {
                for &(c, _) in &bands {
                    if !page.cells[c].label.is_empty() {
                        zones.push((ids[&i].clone(), page.cells[c].label.clone()));
                    }
                }
            }
            nested.map(|k| chain[k].1)
        };
        if let Some(g) = placed {
            if let Some(o) = own_group {
                parent_of[o] = Some(g);
            }
            placements.push((g, ids[&i].clone()));
        }
    }
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
    if circular {
        return;
    }
    for (g, child) in placements {
        let parent = design.groups()[g].id.to_string();
        let placed = design.move_into(&child, Some(&parent), usize::MAX);
        debug_assert!(placed.is_ok(), "the box exists");
    }
    for (id, zone) in zones {
        let props = match design.node_mut(&id) {
            Some(n) => n.props,
            None => match design.group_mut(&id) {
                Some(g) => g.props,
                None => continue,
            },
        };
        props.entry("az".into()).or_insert(zone);
    }
}

fn report(design: &Design, tally: &Tally) -> String {
    let services = design.nodes().iter().filter(|n| !n.is_note()).count();
    let mut report = format!(
        "{services} services, {} edges, {} groups",
        design.edges().len(),
        design.groups().len()
    );
    if tally.notes > 0 {
        report.push_str(&format!(", {} notes", tally.notes));
    }
    let mut read = Vec::new();
    if tally.named_by_text > 0 {
        read.push(format!(
            "{} services named by the text under or beside them",
            tally.named_by_text
        ));
    }
    if tally.externals > 0 {
        read.push(format!(
            "{} plain shapes that arrows reach kept as things outside AWS",
            tally.externals
        ));
    }
    if tally.touching > 0 {
        read.push(format!(
            "{} arrows connected where their ends touch a shape",
            tally.touching
        ));
    }
    if tally.turned > 0 {
        read.push(format!(
            "{} arrows from a reader to what it reads turned the way data flows",
            tally.turned
        ));
    }
    if !read.is_empty() {
        report.push_str(&format!(" ({})", read.join("; ")));
    }
    if !tally.unknown.is_empty() {
        let total: usize = tally.unknown.values().sum();
        let names: Vec<String> = tally
            .unknown
            .iter()
            .map(|(n, c)| format!("{n} ({c})"))
            .collect();
        report.push_str(&format!(
            "; left out {total} shapes archsketch does not know: {}",
            names.join(", ")
        ));
    }
    if tally.decorations > 0 {
        report.push_str(&format!(
            "; left out {} lines, pictures and empty shapes",
            tally.decorations
        ));
    }
    if tally.to_unknown > 0 {
        report.push_str(&format!(
            "; left out {} edges to shapes it does not know",
            tally.to_unknown
        ));
    }
    if tally.loose > 0 {
        report.push_str(&format!(
            "; left out {} edges not connected at both ends",
            tally.loose
        ));
    }
    if tally.odd_geometry > 0 {
        report.push_str(&format!(
            "; {} cells had a position or size out of range, read as 0",
            tally.odd_geometry
        ));
    }
    report.push('.');
    report
}

/// Boxes a drawing put side by side can overlap once archsketch pads them around their
/// labels. Of two outermost boxes that overlap without one holding the other, the one further
/// right (or lower, when they are stacked) moves clear by the overlap and a small gap,
/// contents and frames included; the rest of the drawing keeps its place.
fn separate_top_boxes(design: &mut Design) {
    const GAP: f32 = 8.0;
    for _ in 0..design.groups().len().min(32) {
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
        let id = design.groups()[mover.index].id.clone();
        let mut inside: HashSet<String> = design.descendants(&id).into_iter().collect();
        inside.insert(id.to_string());
        for n in design
            .nodes_mut()
            .filter(|n| inside.contains(n.id.as_str()))
        {
            *n.pos = n.pos.offset(dx, dy);
        }
        for g in design
            .groups_mut()
            .filter(|g| inside.contains(g.id.as_str()))
        {
            if let Some(f) = *g.frame {
                *g.frame = Some(f.moved(dx, dy));
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
