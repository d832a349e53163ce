//! Design -> scene: where every tile, label, group box and edge goes, in canvas units.
//!
//! The canvas paints a scene and the exports will serialise the same scene, so both share
//! geometry, colours and routing.

mod follow;
pub mod quality;
mod structure;
pub mod style;

use std::sync::Arc;
use std::time::Duration;

use crate::catalog::{catalog, icon_for_service};
use crate::model::{Design, EdgeId, EdgeKind, EdgeStyle, Frame, GroupKind, Pos, Rect};
use crate::route;
pub use follow::{follow_moves, settle};
pub use structure::Structure;
use style::{LABEL_GAP, LABEL_LINE, LABEL_WIDTH, TILE};

/// A service tile with its label.
#[derive(Clone, Debug)]
pub struct NodeShape {
    /// Index into `Design::nodes`.
    pub index: usize,
    /// Where the node is (its position, within the canvas's bounds): the tile's centre.
    pub at: Pos,
    pub tile: Rect,
    pub icon: &'static str,
    pub color: [u8; 3],
    /// The label, or the service name when the label is empty.
    pub label: String,
    /// The label broken into the lines it is drawn as, on the canvas and in exports alike.
    pub lines: Vec<String>,
    /// Where the label's lines go, below the tile; edges keep clear of it.
    pub label_box: Rect,
    /// Everything the node covers (tile and label), for group fitting and culling.
    pub footprint: Rect,
    /// Whether the catalog knows the service.
    pub known: bool,
    /// A note: drawn as its text alone, `tile` being the box the text fills.
    pub note: bool,
}

impl NodeShape {
    /// Puts the tile and its label at `pos`: the same arithmetic whether a scene is built
    /// or follows a move, so both give the same boxes to the last bit.
    pub fn place(&mut self, pos: Pos) {
        self.at = clamp_pos(pos);
        if self.note {
            let (w, h) = note_size(&self.lines);
            self.tile = Rect::from_center_size(self.at, w, h);
            self.label_box = self.tile;
        } else {
            self.tile = Rect::from_center_size(self.at, TILE, TILE);
            self.label_box = label_rect(self.tile, &self.lines);
        }
        self.footprint = self.tile.union(self.label_box);
    }

    /// Where the label's first line starts: under the tile, or a note's own top.
    pub fn text_top(&self) -> f32 {
        if self.note {
            self.tile.min.y
        } else {
            self.tile.max.y + LABEL_GAP
        }
    }
}

/// How wide a note's lines may run, in canvas units.
pub const NOTE_WIDTH: f32 = 260.0;
/// Most lines a note shows; a longer one ends in an ellipsis.
pub const NOTE_LINES: usize = 14;

/// The box a note's lines fill.
fn note_size(lines: &[String]) -> (f32, f32) {
    let widest = lines
        .iter()
        .map(|l| text_width(l, style::LABEL_SIZE))
        .fold(0.0, f32::max);
    (
        widest.max(24.0) + 4.0,
        lines.len().max(1) as f32 * LABEL_LINE,
    )
}

/// A group box.
#[derive(Clone, Debug)]
pub struct GroupShape {
    /// Index into `Design::groups`.
    pub index: usize,
    pub kind: GroupKind,
    pub rect: Rect,
    pub caption: String,
    /// Where the badge and caption are drawn, which edges keep clear of.
    pub caption_rect: Rect,
    /// Nesting depth (0 = top level), so outer boxes are drawn first.
    pub depth: usize,
    /// The box's own frame when the rect was fitted: a scene following a drag or a resize
    /// of the frame (see [`follow_moves`]) refits the boxes whose frame differs from it.
    pub frame: Option<Frame>,
}

/// The rectangle a group's badge and caption cover in its top-left corner.
pub fn caption_rect(rect: Rect, caption: &str, kind: GroupKind) -> Rect {
    let start = style::group_style(kind).caption_x();
    let width = (start + text_width(caption, style::CAPTION_SIZE) + 4.0).min(rect.width());
    Rect::from_min_max(rect.min, Pos::new(rect.min.x + width, rect.min.y + 20.0))
}

/// An edge as drawn: its route from the border of one end to the border of the other.
#[derive(Clone, Debug)]
pub struct EdgeShape {
    /// Index into `Design::edges`.
    pub index: usize,
    /// The edge's id, for selections and findings.
    pub id: EdgeId,
    /// The route, at least two points: right-angled, straight or a sampled curve.
    pub points: Vec<Pos>,
    pub style: EdgeStyle,
    pub kind: EdgeKind,
    pub label: String,
    /// Centre of the label box, on the longest free stretch of the route.
    pub label_at: Option<Pos>,
    pub dashed: bool,
    pub arrow: bool,
    /// Drawn straight because the router has not (yet) found its route.
    pub fallback: bool,
}

/// Height of an edge label's box.
pub const EDGE_LABEL_HEIGHT: f32 = 16.0;

/// Width and height of the box an edge label is drawn in.
pub fn edge_label_size(label: &str) -> (f32, f32) {
    (
        text_width(label, style::CAPTION_SIZE) + 6.0,
        EDGE_LABEL_HEIGHT,
    )
}

impl EdgeShape {
    /// Where the route starts.
    pub fn start(&self) -> Pos {
        self.points.first().copied().unwrap_or_default()
    }

    /// Where the route ends (the tip of the arrow).
    pub fn end(&self) -> Pos {
        self.points.last().copied().unwrap_or_default()
    }

    /// Where the edge's label and badge go: the label's place, else the middle of its
    /// longest segment.
    pub fn midpoint(&self) -> Pos {
        if let Some(at) = self.label_at {
            return at;
        }
        self.points
            .windows(2)
            .max_by(|a, b| a[0].distance(a[1]).total_cmp(&b[0].distance(b[1])))
            .map_or(self.start(), |w| {
                Pos::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0)
            })
    }

    /// The box the label is drawn in, if the edge has a label.
    pub fn label_rect(&self) -> Option<Rect> {
        if self.label.is_empty() {
            return None;
        }
        let (w, h) = edge_label_size(&self.label);
        Some(Rect::from_center_size(self.midpoint(), w, h))
    }

    /// Everything the route covers, for culling.
    pub fn bounds(&self) -> Rect {
        let r = route::geom::bounds(&self.points);
        self.label_rect().map_or(r, |l| r.union(l))
    }

    /// The line to draw, with rounded corners on right-angled routes and stopping inside the
    /// arrow head, and for a directed edge longer than its head the head's three corners
    /// (point first), for a head `head` units long. The canvas and the exports both draw
    /// from this.
    pub fn drawn(&self, head: f32) -> (Vec<Pos>, Option<[Pos; 3]>) {
        let mut line = if self.style == EdgeStyle::Orthogonal {
            route::geom::rounded(&self.points, route::CORNER_RADIUS)
        } else {
            self.points.clone()
        };
        let n = line.len();
        if n < 2 || !self.arrow {
            return (line, None);
        }
        let end = line[n - 1];
        // The direction the route arrives in: its last segment as routed (before corners
        // are rounded), so a short last segment still gives a straight head.
        let back = self
            .points
            .iter()
            .rev()
            .skip(1)
            .find(|p| p.distance(end) > 1e-3)
            .copied()
            .unwrap_or(line[0]);
        let (dx, dy) = (end.x - back.x, end.y - back.y);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (ux, uy) = (dx / len, dy / len);
        let line_end = end.offset(-ux * head * 0.8, -uy * head * 0.8);
        // Drop the points the head covers, then end the line inside the head.
        while line.len() > 1 && line[line.len() - 1].distance(end) < head * 0.8 {
            line.pop();
        }
        line.push(line_end);
        if route::geom::length(&self.points) <= head {
            return (line, None);
        }
        let base = end.offset(-ux * head, -uy * head);
        let (nx, ny) = (-uy * head * 0.45, ux * head * 0.45);
        (
            line,
            Some([end, base.offset(nx, ny), base.offset(-nx, -ny)]),
        )
    }

    /// Distance from a point to the route, for picking edges with the pointer.
    pub fn distance_to(&self, p: Pos) -> f32 {
        self.points
            .windows(2)
            .map(|w| crate::model::geom::distance_to_segment(p, w[0], w[1]))
            .fold(f32::INFINITY, f32::min)
    }
}

/// Everything to draw for a design.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// Outer groups first.
    pub groups: Vec<GroupShape>,
    pub edges: Vec<EdgeShape>,
    pub nodes: Vec<NodeShape>,
    /// The bounds of everything, for zoom-to-fit and export sizes.
    pub bounds: Rect,
    /// What the router keeps for the next scene of the same design.
    pub routes: route::Cache,
    /// Some edges are drawn straight because routing ran out of its time budget: build
    /// again (from this scene) to finish them.
    pub pending: bool,
    /// The scene followed a drag (see [`follow_moves`]): only the edges whose ends moved
    /// apart were routed again, among themselves. [`settle`] it once the drag is over, so
    /// every route is settled with the others.
    pub provisional: bool,
    /// The design's structure this scene was drawn from, shared with the scenes that
    /// follow it.
    pub structure: Arc<Structure>,
}

/// Estimated width of a label at [`style::LABEL_SIZE`], without font metrics, so the scene
/// stays pure. Average glyph advance of the default sans font is about 0.55 em.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * size * 0.56
}

/// Most lines a node label takes; a longer label ends in an ellipsis.
pub const MAX_LABEL_LINES: usize = 3;

/// Breaks a node label into lines no wider than [`LABEL_WIDTH`], at spaces where it can.
pub fn wrap_label(label: &str) -> Vec<String> {
    wrap_to(label, LABEL_WIDTH, MAX_LABEL_LINES)
}

/// Breaks text into at most `max_lines` lines no wider than `width`, at spaces where it can.
pub fn wrap_to(label: &str, width: f32, max_lines: usize) -> Vec<String> {
    let fits = |t: &str| text_width(t, style::LABEL_SIZE) <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A word wider than a line breaks where its parts meet (`MissingAuthorizer` / `Api`,
        // `my-bucket-` / `name`), and only a part wider than a line is cut where it overflows.
        let mut rest = String::new();
        for part in word_parts(word) {
            let joined = format!("{rest}{part}");
            if fits(&joined) || rest.is_empty() {
                rest = joined;
            } else {
                lines.push(std::mem::replace(&mut rest, part.to_string()));
            }
        }
        while !fits(&rest) {
            let cut = rest.chars().take_while({
                let mut acc = String::new();
                move |c| {
                    acc.push(*c);
                    fits(&acc)
                }
            });
            let head: String = cut.collect();
            let head = if head.is_empty() {
                rest.chars().take(1).collect()
            } else {
                head
            };
            rest = rest[head.len()..].to_string();
            lines.push(head);
        }
        current = rest;
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        let last = &mut lines[max_lines.max(1) - 1];
        while !last.is_empty() && !fits(&format!("{last}…")) {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// A word in the parts a reader sees in it: camel-case humps (`Missing`, `Authorizer`, `Api`),
/// runs of capitals (`HTTP` of `HTTPApi`), digits, and pieces ending in `-`, `_`, `.` or `/`.
fn word_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (at, c) = chars[k];
        let (_, before) = chars[k - 1];
        let next_lower = chars.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
        // A separator between two word characters (`my-bucket`, `a.b`), not markup (`</b>`).
        let joins_words = k >= 2 && chars[k - 2].1.is_alphanumeric() && c.is_alphanumeric();
        let boundary = (matches!(before, '-' | '_' | '.' | '/' | ':') && joins_words)
            || (before.is_lowercase() && c.is_uppercase())
            || (before.is_uppercase() && c.is_uppercase() && next_lower)
            || (before.is_alphabetic() && c.is_ascii_digit())
            || (before.is_ascii_digit() && c.is_alphabetic());
        if boundary {
            parts.push(&word[start..at]);
            start = at;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// The rectangle a node label occupies below its tile.
pub fn label_rect(tile: Rect, lines: &[String]) -> Rect {
    let widest = lines
        .iter()
        .map(|l| text_width(l, style::LABEL_SIZE))
        .fold(0.0, f32::max);
    let width = widest.clamp(TILE, LABEL_WIDTH);
    let top = tile.max.y + LABEL_GAP;
    Rect::from_min_max(
        Pos::new(tile.center().x - width / 2.0, top),
        Pos::new(
            tile.center().x + width / 2.0,
            top + lines.len().max(1) as f32 * LABEL_LINE,
        ),
    )
}

/// Lays out a design, routing every edge.
pub fn build(design: &Design) -> Scene {
    build_from(design, None, None)
}

/// Lays out a design reusing what `previous` (a scene of an earlier state of the same
/// design) routed where it still holds; with a `budget`, routing stops when it runs out and
/// the scene is marked [`Scene::pending`]. The window calls this on every change.
pub fn build_from(design: &Design, previous: Option<&Scene>, budget: Option<Duration>) -> Scene {
    build_inner(design, true, previous, budget)
}

/// Tiles, labels and group boxes without edges: for layout code that needs only where
/// things are, not how they connect.
pub fn build_layout_only(design: &Design) -> Scene {
    build_inner(design, false, None, None)
}

fn build_inner(
    design: &Design,
    with_edges: bool,
    previous: Option<&Scene>,
    budget: Option<Duration>,
) -> Scene {
    let cat = catalog();
    let nodes: Vec<NodeShape> = design
        .nodes()
        .iter()
        .enumerate()
        .map(|(index, n)| {
            let service = cat.service(&n.service);
            let label = if n.label.is_empty() {
                cat.display_name(&n.service).to_string()
            } else {
                crate::limits::shown(&n.label).into_owned()
            };
            let note = n.is_note();
            let lines = if note {
                wrap_to(&label, NOTE_WIDTH, NOTE_LINES)
            } else {
                wrap_label(&label)
            };
            let mut shape = NodeShape {
                index,
                at: Pos::default(),
                tile: Rect::NOTHING,
                icon: icon_for_service(&n.service),
                color: cat.category_of(&n.service).rgb(),
                label,
                lines,
                label_box: Rect::NOTHING,
                footprint: Rect::NOTHING,
                known: service.is_some(),
                note,
            };
            shape.place(n.pos);
            shape
        })
        .collect();
    let structure = Arc::new(Structure::new(design, with_edges));
    let mut fitted = vec![None; design.groups().len()];
    structure.fit_groups(design, &nodes, &mut fitted);
    let group_rects: Vec<Rect> = fitted.into_iter().map(Option::unwrap_or_default).collect();
    // A design in a containment circle never loads; drawn anyway, its boxes sit at the top.
    let depths = design
        .group_depths()
        .unwrap_or_else(|_| vec![0; design.groups().len()]);
    let mut groups: Vec<GroupShape> = design
        .groups()
        .iter()
        .enumerate()
        .map(|(index, g)| {
            let depth = depths[index];
            let caption = if g.label.is_empty() {
                g.kind.display_name().to_string()
            } else {
                crate::limits::shown(&g.label).into_owned()
            };
            GroupShape {
                index,
                kind: g.kind,
                rect: group_rects[index],
                caption_rect: caption_rect(group_rects[index], &caption, g.kind),
                caption,
                depth,
                frame: g.frame,
            }
        })
        .collect();
    groups.sort_by_key(|g| (g.depth, g.index));

    let (edges, routes, pending) = if with_edges {
        let shapes = RouteShapes::of(&nodes, &groups, &structure);
        route_edges(
            design,
            &structure,
            &shapes,
            previous.map(|p| &p.routes),
            budget,
        )
    } else {
        (Vec::new(), route::Cache::default(), false)
    };

    let mut scene = Scene {
        groups,
        edges,
        nodes,
        bounds: Rect::NOTHING,
        routes,
        pending,
        provisional: false,
        structure,
    };
    scene.bounds = scene.measure_bounds();
    scene
}

impl Scene {
    /// The bounds of every tile, label, group box and edge.
    fn measure_bounds(&self) -> Rect {
        let shapes = self
            .nodes
            .iter()
            .map(|n| n.footprint)
            .chain(self.groups.iter().map(|g| g.rect))
            .fold(Rect::NOTHING, Rect::union);
        self.edges
            .iter()
            .map(EdgeShape::bounds)
            .fold(shapes, Rect::union)
    }
}

/// The obstacles routing works among, by design index: tiles, node labels, group boxes and
/// captions.
struct RouteShapes<'a> {
    tiles: Vec<Rect>,
    labels: Vec<Rect>,
    groups: Vec<Rect>,
    captions: Vec<Rect>,
    structure: &'a Structure,
}

impl<'a> RouteShapes<'a> {
    /// The obstacles of these shapes, by design index (groups come sorted by depth).
    fn of(nodes: &[NodeShape], groups: &[GroupShape], structure: &'a Structure) -> Self {
        let count = structure.children.len();
        let (mut rects, mut captions) = (vec![Rect::NOTHING; count], vec![Rect::NOTHING; count]);
        for g in groups {
            rects[g.index] = g.rect;
            captions[g.index] = g.caption_rect;
        }
        RouteShapes {
            tiles: nodes.iter().map(|n| n.tile).collect(),
            labels: nodes.iter().map(|n| n.label_box).collect(),
            groups: rects,
            captions,
            structure,
        }
    }

    /// The obstacles of a scene as it now stands.
    fn of_scene(scene: &Scene, structure: &'a Structure) -> Self {
        Self::of(&scene.nodes, &scene.groups, structure)
    }

    fn shapes(&self) -> route::Shapes<'_> {
        route::Shapes {
            tiles: &self.tiles,
            labels: &self.labels,
            groups: &self.groups,
            captions: &self.captions,
            tree: &self.structure.tree,
        }
    }
}

/// Routes every edge of the design between the shapes already laid out.
fn route_edges(
    design: &Design,
    structure: &Structure,
    shapes: &RouteShapes<'_>,
    previous: Option<&route::Cache>,
    budget: Option<Duration>,
) -> (Vec<EdgeShape>, route::Cache, bool) {
    let (routes, cache, pending) =
        route::route_all(&shapes.shapes(), &structure.requests, previous, budget);
    let edges = structure
        .edge_index
        .iter()
        .zip(routes)
        .map(|(&index, r)| {
            let e = &design.edges()[index];
            EdgeShape {
                index,
                id: e.id,
                points: r.points,
                style: e.style_in(design.edge_style),
                kind: e.kind,
                label: crate::limits::shown(&e.label).into_owned(),
                label_at: r.label_at,
                dashed: e.kind.is_relation() || e.props.get("line").is_some_and(|v| v == "dashed"),
                arrow: !e.kind.is_undirected(),
                fallback: r.fallback,
            }
        })
        .collect();
    (edges, cache, pending)
}

/// A coordinate brought within [`crate::model::SANE_COORDINATE`] (finding G003 says so), so
/// no drawing grows with a far-away number.
fn clamp(v: f32) -> f32 {
    let limit = crate::model::SANE_COORDINATE;
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-limit, limit)
    }
}

fn clamp_pos(p: Pos) -> Pos {
    Pos::new(clamp(p.x), clamp(p.y))
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn long_ids_break_between_their_parts_never_inside_a_word() {
        assert_eq!(
            word_parts("MissingAuthorizerApi"),
            ["Missing", "Authorizer", "Api"]
        );
        assert_eq!(
            word_parts("HTTPApi2Handler"),
            ["HTTP", "Api", "2", "Handler"]
        );
        assert_eq!(word_parts("my-bucket_name"), ["my-", "bucket_", "name"]);
        let lines = wrap_label("MissingAuthorizerApiFunctionRole");
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines {
            assert!(
                ["Missing", "Authorizer", "Api", "Function", "Role"]
                    .iter()
                    .any(|w| line.starts_with(w)),
                "{lines:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::geom::straight_ends;
    use style::GROUP_HEADER;

    fn outline(x: f32, y: f32, label: &str) -> (Rect, Option<Rect>) {
        let tile = Rect::from_center_size(Pos::new(x, y), TILE, TILE);
        (tile, Some(label_rect(tile, &wrap_label(label))))
    }

    #[test]
    fn labels_wrap_at_spaces_and_stay_within_three_lines() {
        assert_eq!(wrap_label("Data lake"), ["Data lake"]);
        assert_eq!(
            wrap_label("Glue crawler + Data Catalog for raw"),
            ["Glue crawler + Data", "Catalog for raw"]
        );
        let long = wrap_label(&"word ".repeat(40));
        assert_eq!(long.len(), MAX_LABEL_LINES);
        assert!(long[2].ends_with('…'));
        let unbroken = wrap_label(&"x".repeat(60));
        assert!(
            unbroken
                .iter()
                .all(|l| text_width(l, style::LABEL_SIZE) <= LABEL_WIDTH)
        );
        assert_eq!(wrap_label(""), [""]);
    }

    #[test]
    fn sideways_edges_start_at_the_tile_border() {
        let (start, end) = straight_ends(outline(0.0, 0.0, "A"), outline(200.0, 0.0, "B"));
        assert!(
            (start.x - 26.0).abs() < 0.01 && start.y.abs() < 0.01,
            "{start:?}"
        );
        assert!((end.x - 174.0).abs() < 0.01, "{end:?}");
    }

    #[test]
    fn downward_edges_start_below_the_label() {
        let from = outline(0.0, 0.0, "Glue crawler + catalog");
        let label_bottom = from.1.unwrap().max.y;
        let (start, _) = straight_ends(from, outline(40.0, 300.0, "B"));
        assert!(
            start.y > label_bottom,
            "{start:?} should clear the label ending at {label_bottom}"
        );
    }

    #[test]
    fn groups_fit_their_children_with_room_for_the_caption() {
        let d = crate::io::load_str(
            r#"Design(format: 1, nodes: [Node(id: "a", service: "s3", pos: (0.0, 0.0))],
               groups: [Group(id: "g", kind: Region, children: ["a"])])"#,
            "t.ron",
        )
        .unwrap();
        let s = build(&d);
        let g = s.groups[0].rect;
        assert!(g.contains_rect(&s.nodes[0].footprint));
        assert!(g.min.y <= s.nodes[0].tile.min.y - GROUP_HEADER);
        assert!(s.bounds.contains_rect(&g));
    }
}
