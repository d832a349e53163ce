//! Arrange: lays a design out by itself, layered in the direction data flows, with every
//! group kept a box around exactly its members.
//!
//! Groups are laid out innermost first: each group's members are placed by [`layered`], and
//! the group then takes part in its parent's layout as one block of the resulting size. So
//! boxes never overlap, members never leave their group, and nodes outside every group stay
//! outside. The result is one undoable command; the same design always gives the same one.

pub mod layered;
mod refine;
mod rows;

use std::collections::HashMap;

use crate::edit::EditCommand;
use crate::model::{Design, ElementRef, Frame, GroupKind, Pos, Rect};
use crate::route::{End, Tree};
use crate::scene::{Scene, style};
use layered::{Beside, Block, Gaps, Link};

/// Which way data flows in the arranged design.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Sources on the left, consumers on the right, as the notes' reference architectures read.
    #[default]
    Right,
    /// Sources at the top.
    Down,
}

impl Direction {
    /// Parses `right` or `down`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "right" => Some(Direction::Right),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }

    fn gaps(self) -> Gaps {
        match self {
            Direction::Right => Gaps {
                layer: 88.0,
                cross: 40.0,
                component: 56.0,
            },
            Direction::Down => Gaps {
                layer: 64.0,
                cross: 56.0,
                component: 72.0,
            },
        }
    }
}

/// Gap between Availability Zones standing side by side.
const ROW_GAP: f32 = 32.0;

/// Size of a group that holds nothing.
const EMPTY_GROUP: (f32, f32) = (160.0, 100.0);

/// Where everything goes: each node's new position, and the box of each group that holds
/// nothing (other boxes fit their members).
#[derive(Clone, Debug, Default)]
pub struct Arrangement {
    pub positions: Vec<Pos>,
    pub empty_groups: Vec<(usize, Rect)>,
}

/// A laid-out container: where each child block starts, relative to the container's content
/// origin, and the content's size.
#[derive(Clone, Debug, Default)]
struct Placed {
    children: Vec<(End, Pos)>,
    /// The same, with each child's layer (0 = the first along the flow), sorted by element
    /// for lookups.
    sorted: Vec<(End, Pos, usize)>,
    /// Lanes kept free through the first layers for edges entering the box (see [`LANE`]):
    /// the edge and the middle of its lane where it enters.
    lanes: Vec<(usize, Pos)>,
    size: (f32, f32),
}

impl Placed {
    fn find(&self, e: End) -> Option<&(End, Pos, usize)> {
        let i = self.sorted.binary_search_by(|(c, _, _)| c.cmp(&e)).ok()?;
        self.sorted.get(i)
    }

    /// Where a child block starts.
    fn at(&self, e: End) -> Option<Pos> {
        self.find(e).map(|&(_, at, _)| at)
    }

    /// The layer a child block is in.
    fn layer(&self, e: End) -> Option<usize> {
        self.find(e).map(|&(_, _, layer)| layer)
    }
}

/// Where a group's content starts, from the top-left corner of its box: inside the padding,
/// below the caption.
fn content_origin() -> Pos {
    Pos::new(
        style::GROUP_PAD,
        style::GROUP_HEADER + style::GROUP_PAD / 2.0,
    )
}

/// Width of the lane a box keeps free for an edge that enters it towards a member past its
/// first layer: without one, the members of the first layer stand in the edge's way, and the
/// route squeezes between them across their own edges (as an admin's SSH edge past Session
/// Manager and Instance Connect to the instance they lead to). Graphviz gives such an edge a
/// virtual node in each layer it passes; here it is one thin block in the box's first layer.
const LANE: f32 = 8.0;

/// What Arrange may decide either way, and its second look ([`refine`]) tries the other
/// way: the order of each container's blocks (which comes first where the graph does not
/// say) and where a block tied only by relations sits.
#[derive(Clone, Debug)]
struct Choices {
    /// Per group its blocks in order, then the top level's.
    order: Vec<Vec<End>>,
    /// Partner and side (true = before it) for blocks tied only by relations.
    beside: HashMap<End, (End, bool)>,
    /// Edges whose lane goes before a box's blocks rather than after them.
    lanes_first: Vec<usize>,
}

impl Choices {
    fn kids(&self, within: Option<usize>) -> &[End] {
        let at = within.unwrap_or(self.order.len() - 1);
        self.order.get(at).map_or(&[], Vec::as_slice)
    }
}

/// A whole layout: each group's placed content, and the top level's.
#[derive(Debug)]
struct Layout {
    groups: Vec<Option<Placed>>,
    top: Placed,
}

struct Ctx<'a> {
    design: &'a Design,
    direction: Direction,
    tree: Tree,
    /// The choices the layering makes by itself.
    first: Choices,
    /// Per container (None = the top level), the edges that join two of its children.
    links: HashMap<Option<usize>, Vec<ContainerLink>>,
    /// Per node: its footprint relative to its position (tile centre).
    footprints: Vec<Rect>,
    /// Per group, the flow edges entering it from outside: the edge and its end inside.
    entering: Vec<Vec<(usize, End)>>,
}

/// An edge as one container sees it: the two children it joins and its real ends inside them.
struct ContainerLink {
    edge: usize,
    relation: bool,
    child_from: End,
    child_to: End,
    from: End,
    to: End,
}

impl<'a> Ctx<'a> {
    fn new(design: &'a Design, direction: Direction, shapes: &Scene) -> Self {
        let end_of = |id: &crate::model::ElementId| {
            design
                .node_index(id)
                .map(End::Node)
                .or_else(|| design.group_index(id).map(End::Group))
        };
        let tree = Tree::new(design);
        // The choices the layering makes by itself: blocks in the file's order, relation
        // partners found in that order.
        let mut order: Vec<Vec<End>> = design
            .groups()
            .iter()
            .map(|g| g.children.iter().filter_map(&end_of).collect())
            .collect();
        order.push(
            (0..design.nodes().len())
                .map(End::Node)
                .chain((0..design.groups().len()).map(End::Group))
                .filter(|&e| tree.parent(e).is_none())
                .collect(),
        );
        let first = Choices {
            order,
            beside: HashMap::new(),
            lanes_first: Vec::new(),
        };
        // Each node's footprint (tile and label) relative to its position, as the scene has it.
        let footprints = shapes
            .nodes
            .iter()
            .map(|n| {
                let p = design.nodes()[n.index].pos;
                let f = n.footprint;
                Rect::from_min_max(f.min.offset(-p.x, -p.y), f.max.offset(-p.x, -p.y))
            })
            .collect();
        let mut ctx = Ctx {
            design,
            direction,
            tree,
            first,
            links: HashMap::new(),
            footprints,
            entering: vec![Vec::new(); design.groups().len()],
        };
        // Each edge belongs to the innermost container holding both ends, found once.
        for (i, e) in design.edges().iter().enumerate() {
            let (Some(from), Some(to)) = (end_of(&e.from), end_of(&e.to)) else {
                continue;
            };
            if !e.kind.is_relation() {
                let mut g = ctx.tree.parent(to);
                for _ in 0..design.groups().len() {
                    let Some(inside) = g.filter(|&g| !ctx.tree.contains(g, from)) else {
                        break;
                    };
                    ctx.entering[inside].push((i, to));
                    g = ctx.tree.parent(End::Group(inside));
                }
            }
            let within = ctx.tree.common_group(from, to);
            let (Some(child_from), Some(child_to)) =
                (ctx.child_within(from, within), ctx.child_within(to, within))
            else {
                continue;
            };
            if child_from != child_to {
                ctx.links.entry(within).or_default().push(ContainerLink {
                    edge: i,
                    relation: e.kind.is_relation(),
                    child_from,
                    child_to,
                    from,
                    to,
                });
            }
        }
        ctx
    }

    /// Lays out every container, innermost first, with the given choices.
    fn lay_out(&self, choices: &Choices) -> Layout {
        let mut groups: Vec<Option<Placed>> = vec![None; self.design.groups().len()];
        for g in self.groups_inside_out() {
            groups[g] = Some(self.place(Some(g), &groups, choices));
        }
        let top = self.place(None, &groups, choices);
        Layout { groups, top }
    }

    /// Groups, innermost first, so each is laid out before the group holding it.
    fn groups_inside_out(&self) -> Vec<usize> {
        let n = self.design.groups().len();
        let mut depth = vec![usize::MAX; n];
        for g in 0..n {
            let mut chain = Vec::new();
            let mut current = Some(g);
            while let Some(c) = current {
                if depth[c] != usize::MAX || chain.len() > n {
                    break;
                }
                chain.push(c);
                current = self.tree.parent(End::Group(c));
            }
            let base = match current {
                Some(c) if depth[c] != usize::MAX => depth[c] + 1,
                _ => 0,
            };
            for (k, &c) in chain.iter().rev().enumerate() {
                depth[c] = base + k;
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&g| (std::cmp::Reverse(depth[g]), g));
        order
    }

    /// The child of container `within` (None = top level) that holds `e`, if any.
    fn child_within(&self, e: End, within: Option<usize>) -> Option<End> {
        let mut current = e;
        for _ in 0..=self.design.groups().len() {
            let p = self.tree.parent(current);
            if p == within {
                return Some(current);
            }
            current = End::Group(p?);
        }
        None
    }

    /// A zone's subnets, one under the other in the design's order (public, private, data,
    /// as an import lists them) whatever links them, so the zones beside it line up row by
    /// row.
    fn column(&self, kids: &[End], sizes: &[(f32, f32)]) -> Placed {
        let mut order: Vec<usize> = (0..kids.len()).collect();
        order.sort_by_key(|&i| kids[i]);
        let gap = self.direction.gaps().component;
        let mut children = vec![(End::Node(0), Pos::default()); kids.len()];
        let mut y = 0.0f32;
        let mut width = 0.0f32;
        for i in order {
            children[i] = (kids[i], Pos::new(0.0, y));
            y += sizes[i].1 + gap;
            width = width.max(sizes[i].0);
        }
        let mut sorted: Vec<(End, Pos, usize)> = children.iter().map(|&(e, p)| (e, p, 0)).collect();
        sorted.sort_by_key(|a| a.0);
        Placed {
            children,
            sorted,
            lanes: Vec::new(),
            size: (width, (y - gap).max(0.0)),
        }
    }

    /// Whether a block is an Availability Zone box, which stands beside its sibling zones.
    fn is_zone(&self, e: End) -> bool {
        matches!(e, End::Group(g) if self.design.groups()[g].kind == GroupKind::AvailabilityZone)
    }

    /// The size of a block, in canvas x and y.
    fn block_size(&self, e: End, placed: &[Option<Placed>]) -> (f32, f32) {
        match e {
            End::Node(n) => (self.footprints[n].width(), self.footprints[n].height()),
            End::Group(g) => match placed[g].as_ref() {
                Some(p) if !p.children.is_empty() => (
                    p.size.0 + 2.0 * style::GROUP_PAD,
                    p.size.1 + style::GROUP_HEADER + style::GROUP_PAD * 1.5,
                ),
                _ => EMPTY_GROUP,
            },
        }
    }

    /// Where, from a block's top-left corner, edge `edge` reaches the leaf inside it: the lane
    /// kept for the edge where a box on the way has one, else the leaf's tile centre.
    fn leaf_offset(
        &self,
        block: End,
        leaf: End,
        edge: Option<usize>,
        placed: &[Option<Placed>],
    ) -> Pos {
        match leaf {
            End::Node(n) if block == leaf => {
                let f = self.footprints[n];
                Pos::new(-f.min.x, -f.min.y)
            }
            End::Group(_) if block == leaf => {
                let (w, h) = self.block_size(block, placed);
                Pos::new(w / 2.0, h / 2.0)
            }
            _ => {
                // Walk down from the block to the leaf, adding each level's offset.
                let End::Group(g) = block else {
                    return Pos::default();
                };
                let Some(child) = self.child_within(leaf, Some(g)) else {
                    return Pos::default();
                };
                let Some(p) = placed[g].as_ref() else {
                    return Pos::default();
                };
                let origin = content_origin();
                if let Some(&(_, lane)) = p.lanes.iter().find(|(e, _)| Some(*e) == edge) {
                    return origin.offset(lane.x, lane.y);
                }
                let at = p.at(child).unwrap_or_default();
                let inner = self.leaf_offset(child, leaf, edge, placed);
                origin.offset(at.x + inner.x, at.y + inner.y)
            }
        }
    }

    /// Lays out the children of one container, then again with a lane for each edge that
    /// enters it towards a block past its first layer.
    fn place(&self, within: Option<usize>, placed: &[Option<Placed>], choices: &Choices) -> Placed {
        let first = self.place_with_lanes(within, placed, choices, &[]);
        let Some(g) = within else { return first };
        let lanes: Vec<(usize, End, End)> = self.entering[g]
            .iter()
            .filter_map(|&(edge, leaf)| {
                let child = self.child_within(leaf, within)?;
                (first.layer(child)? > 0).then_some((edge, child, leaf))
            })
            .collect();
        if lanes.is_empty() {
            return first;
        }
        self.place_with_lanes(within, placed, choices, &lanes)
    }

    /// Lays out the children of one container with the given lanes (edge, the child it
    /// leads to, its end inside that child): lanes the choices put first come before the
    /// children in the order the layering starts from, the others after them.
    fn place_with_lanes(
        &self,
        within: Option<usize>,
        placed: &[Option<Placed>],
        choices: &Choices,
        lanes: &[(usize, End, End)],
    ) -> Placed {
        let kids = choices.kids(within);
        if kids.is_empty() {
            return Placed::default();
        }
        let sizes: Vec<(f32, f32)> = kids.iter().map(|&e| self.block_size(e, placed)).collect();
        if within.is_some_and(|g| self.is_zone(End::Group(g))) {
            return self.column(kids, &sizes);
        }
        // Availability Zones go side by side as one block; every other child is its own.
        let units = rows::Units::new(kids, &sizes, |e| self.is_zone(e), ROW_GAP);
        let (lanes_first, lanes_last): (Vec<_>, Vec<_>) = lanes
            .iter()
            .partition(|(edge, _, _)| choices.lanes_first.contains(edge));
        let offset = lanes_first.len();
        let unit_count = units.sizes.len();
        let lane_slots: Vec<(usize, &(usize, End, End))> = lanes_first
            .iter()
            .enumerate()
            .map(|(i, l)| (i, *l))
            .chain(
                lanes_last
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (offset + unit_count + i, *l)),
            )
            .collect();
        let slot: HashMap<End, usize> = kids
            .iter()
            .enumerate()
            .map(|(i, e)| (*e, offset + units.unit_of[i]))
            .collect();
        let shift: HashMap<End, Pos> = kids
            .iter()
            .enumerate()
            .map(|(i, e)| (*e, units.offset[i]))
            .collect();
        let along = |(w, h): (f32, f32)| match self.direction {
            Direction::Right => (w, h),
            Direction::Down => (h, w),
        };
        let back = |(u, v): (f32, f32)| match self.direction {
            Direction::Right => Pos::new(u, v),
            Direction::Down => Pos::new(v, u),
        };
        let lane_block = Block { su: 0.0, sv: LANE };
        let mut blocks = vec![lane_block; unit_count + lanes.len()];
        for (i, &s) in units.sizes.iter().enumerate() {
            let (su, sv) = along(s);
            blocks[offset + i] = Block { su, sv };
        }
        let cross = |block: End, leaf: End, edge: usize| {
            let o = self.leaf_offset(block, leaf, Some(edge), placed);
            let d = shift.get(&block).copied().unwrap_or_default();
            match self.direction {
                Direction::Right => o.y + d.y,
                Direction::Down => o.x + d.x,
            }
        };
        let mut links: Vec<Link> = self
            .links
            .get(&within)
            .into_iter()
            .flatten()
            .filter(|l| slot[&l.child_from] != slot[&l.child_to])
            .map(|l| Link {
                a: slot[&l.child_from],
                b: slot[&l.child_to],
                va: cross(l.child_from, l.from, l.edge),
                vb: cross(l.child_to, l.to, l.edge),
                relation: l.relation,
            })
            .collect();
        for &(at, &(edge, child, leaf)) in &lane_slots {
            links.push(Link {
                a: at,
                b: slot[&child],
                va: LANE / 2.0,
                vb: cross(child, leaf, edge),
                relation: false,
            });
        }
        let mut beside: Vec<Option<Beside>> = vec![None; blocks.len()];
        for (i, k) in kids.iter().enumerate() {
            if units.is_row(units.unit_of[i]) {
                continue;
            }
            beside[slot[k]] = choices.beside.get(k).and_then(|&(partner, before)| {
                Some(Beside {
                    partner: *slot.get(&partner)?,
                    before,
                })
            });
        }
        let placement = layered::place(&blocks, &links, &beside, self.direction.gaps());
        let at = &placement.at;
        let children: Vec<(End, Pos)> = kids
            .iter()
            .map(|&e| {
                let p = back(at[slot[&e]]);
                let d = shift[&e];
                (e, Pos::new(p.x + d.x, p.y + d.y))
            })
            .collect();
        let lanes: Vec<(usize, Pos)> = lane_slots
            .iter()
            .map(|&(i, &(edge, _, _))| {
                let (u, v) = at[i];
                (edge, back((u, v + LANE / 2.0)))
            })
            .collect();
        let mut size = children
            .iter()
            .zip(&sizes)
            .fold((0.0f32, 0.0f32), |acc, ((_, p), s)| {
                (acc.0.max(p.x + s.0), acc.1.max(p.y + s.1))
            });
        for &(i, _) in &lane_slots {
            let end = back((at[i].0, at[i].1 + LANE));
            size = (size.0.max(end.x), size.1.max(end.y));
        }
        let mut sorted: Vec<(End, Pos, usize)> = children
            .iter()
            .enumerate()
            .map(|(i, &(e, p))| (e, p, placement.layer[slot[&kids[i]]]))
            .collect();
        sorted.sort_by_key(|a| a.0);
        Placed {
            children,
            sorted,
            lanes,
            size,
        }
    }
}

/// Computes where everything goes when the whole design is arranged. The arranged design
/// keeps its top-left corner where it was.
pub fn arrange(design: &Design, direction: Direction) -> Arrangement {
    // Where things are now: each node's footprint, and the corner the result keeps.
    let shapes = crate::scene::build_layout_only(design);
    let ctx = Ctx::new(design, direction, &shapes);
    let old = shapes.bounds;
    let origin = if old.is_empty() {
        Pos::default()
    } else {
        Pos::new(old.min.x.round(), old.min.y.round())
    };
    refine::best(&ctx, origin)
}

impl Ctx<'_> {
    /// Where each node and empty group goes in a layout whose top-left corner is `origin`.
    fn arrangement(&self, layout: &Layout, origin: Pos) -> Arrangement {
        let mut out = Arrangement {
            positions: self.design.nodes().iter().map(|n| n.pos).collect(),
            empty_groups: Vec::new(),
        };
        // Top-down: each block's absolute top-left, then its members'.
        let mut stack: Vec<(End, Pos)> = layout
            .top
            .children
            .iter()
            .map(|(e, p)| (*e, Pos::new(origin.x + p.x, origin.y + p.y)))
            .collect();
        while let Some((e, at)) = stack.pop() {
            match e {
                End::Node(n) => {
                    let f = self.footprints[n];
                    out.positions[n] = Pos::new((at.x - f.min.x).round(), (at.y - f.min.y).round());
                }
                End::Group(g) => {
                    let origin = content_origin();
                    let inner = at.offset(origin.x, origin.y);
                    match layout.groups[g].as_ref() {
                        Some(p) if !p.children.is_empty() => {
                            for (c, cp) in &p.children {
                                stack.push((*c, Pos::new(inner.x + cp.x, inner.y + cp.y)));
                            }
                        }
                        _ => out.empty_groups.push((
                            g,
                            Rect::from_min_max(at, at.offset(EMPTY_GROUP.0, EMPTY_GROUP.1)),
                        )),
                    }
                }
            }
        }
        out.empty_groups.sort_by_key(|(g, _)| *g);
        out
    }
}

/// Arrange as one undoable command: new positions for the nodes (of the selection, if one
/// is given), and group boxes that fit their members again. `None` when nothing would change.
pub fn arrange_command(
    design: &Design,
    selection: Option<&[ElementRef]>,
    direction: Direction,
) -> Option<EditCommand> {
    // The part to arrange holds its nodes and groups as the design has them, in order.
    let part = match selection {
        Some(sel) if !sel.is_empty() => design.part(sel),
        _ => design.clone(),
    };
    if part.nodes().is_empty() && part.groups().is_empty() {
        return None;
    }
    command_for(&part, &arrange(&part, direction))
}

/// The edit that puts `design`'s nodes and empty groups where `arranged` says, and lets the
/// other group boxes fit their members again.
fn command_for(design: &Design, arranged: &Arrangement) -> Option<EditCommand> {
    let mut steps = Vec::new();
    let moves: Vec<(crate::model::NodeId, Pos)> = design
        .nodes()
        .iter()
        .zip(&arranged.positions)
        .filter(|(n, p)| n.pos != **p)
        .map(|(n, p)| (n.id.clone(), *p))
        .collect();
    if !moves.is_empty() {
        steps.push(EditCommand::SetPositions(moves));
    }
    let empty: HashMap<usize, Rect> = arranged.empty_groups.iter().copied().collect();
    for (gi, g) in design.groups().iter().enumerate() {
        // Empty boxes keep the size Arrange gave them; the others wrap what they hold.
        let wanted = empty
            .get(&gi)
            .map(|r| Frame::new(r.min, r.width(), r.height()));
        if g.frame != wanted {
            steps.push(EditCommand::SetGroupFrame {
                id: g.id.clone(),
                frame: wanted,
            });
        }
    }
    (!steps.is_empty()).then_some(EditCommand::Batch(steps))
}

/// `design` with its nodes and groups where `arranged` says.
fn applied(design: &Design, arranged: &Arrangement) -> Design {
    let mut out = design.clone();
    if let Some(cmd) = command_for(design, arranged) {
        // Arrange only moves nodes and sets group properties, which cannot fail.
        let _ = crate::edit::apply(&mut out, cmd);
    }
    out
}

/// The design with Arrange applied, for the CLI and tests.
pub fn arranged(design: &Design, direction: Direction) -> Design {
    applied(design, &arrange(design, direction))
}
