//! Arrange: lays a design out by itself, layered in the direction data flows, with every
//! group kept a box around exactly its members.
//!
//! Groups are laid out innermost first: each group's members are placed by [`layered`], and
//! the group then takes part in its parent's layout as one block of the resulting size. So
//! boxes never overlap, members never leave their group, and nodes outside every group stay
//! outside. The result is one undoable command; the same design always gives the same one.



use std::collections::HashMap;

use crate::edit::EditCommand;
use crate::edit::ops::GROUP_GEOMETRY;
use crate::edit::{Field, Target};
use crate::model::{Design, ElementRef, Pos, Rect};
use crate::scene::{label_rect, style, wrap_label};
use super::layered::{Block, Gaps, Link};

use super::Direction;
/// Size of a group that holds nothing.
const EMPTY_GROUP: (f32, f32) = (160.0, 100.0);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Elem {
    Node(usize),
    Group(usize),
}

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
    children: Vec<(Elem, Pos)>,
    /// The same, sorted by element, for lookups.
    sorted: Vec<(Elem, Pos)>,
    size: (f32, f32),
}

struct Ctx<'a> {
    design: &'a Design,
    direction: Direction,
    node_parent: Vec<Option<usize>>,
    group_parent: Vec<Option<usize>>,
    children: Vec<Vec<Elem>>,
    roots: Vec<Elem>,
    /// Per node: its footprint relative to its position (tile centre).
    footprints: Vec<Rect>,
}

impl<'a> Ctx<'a> {
    fn new(design: &'a Design, direction: Direction) -> Self {
        let node_at = design.node_indices();
        let group_at = design.group_indices();
        let mut node_parent = vec![None; design.nodes.len()];
        let mut group_parent = vec![None; design.groups.len()];
        let mut children = vec![Vec::new(); design.groups.len()];
        for (gi, g) in design.groups.iter().enumerate() {
            for c in &g.children {
                if let Some(&n) = node_at.get(c.as_str()) {
                    node_parent[n] = Some(gi);
                    children[gi].push(Elem::Node(n));
                } else if let Some(&h) = group_at.get(c.as_str()) {
                    group_parent[h] = Some(gi);
                    children[gi].push(Elem::Group(h));
                }
            }
        }
        let roots = (0..design.nodes.len())
            .filter(|&n| node_parent[n].is_none())
            .map(Elem::Node)
            .chain(
                (0..design.groups.len())
                    .filter(|&g| group_parent[g].is_none())
                    .map(Elem::Group),
            )
            .collect();
        let cat = crate::catalog::catalog();
        let footprints = design
            .nodes
            .iter()
            .map(|n| {
                let label = if n.label.is_empty() {
                    cat.display_name(&n.service).to_string()
                } else {
                    n.label.clone()
                };
                let tile = Rect::from_center_size(Pos::new(0.0, 0.0), style::TILE, style::TILE);
                tile.union(label_rect(tile, &wrap_label(&label)))
            })
            .collect();
        Ctx {
            design,
            direction,
            node_parent,
            group_parent,
            children,
            roots,
            footprints,
        }
    }

    fn parent(&self, e: Elem) -> Option<usize> {
        match e {
            Elem::Node(n) => self.node_parent[n],
            Elem::Group(g) => self.group_parent[g],
        }
    }

    /// Groups, innermost first, so each is laid out before the group holding it.
    fn groups_inside_out(&self) -> Vec<usize> {
        let n = self.design.groups.len();
        let mut depth = vec![usize::MAX; n];
        for g in 0..n {
            let mut chain = Vec::new();
            let mut current = Some(g);
            while let Some(c) = current {
                if depth[c] != usize::MAX || chain.len() > n {
                    break;
                }
                chain.push(c);
                current = self.group_parent[c];
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
    fn child_within(&self, e: Elem, within: Option<usize>) -> Option<Elem> {
        let mut current = e;
        for _ in 0..=self.design.groups.len() {
            let p = self.parent(current);
            if p == within {
                return Some(current);
            }
            current = Elem::Group(p?);
        }
        None
    }

    /// The size of a block, in canvas x and y.
    fn block_size(&self, e: Elem, placed: &[Option<Placed>]) -> (f32, f32) {
        match e {
            Elem::Node(n) => (self.footprints[n].width(), self.footprints[n].height()),
            Elem::Group(g) => match placed[g].as_ref() {
                Some(p) if !p.children.is_empty() => (
                    p.size.0 + 2.0 * style::GROUP_PAD,
                    p.size.1 + style::GROUP_HEADER + style::GROUP_PAD * 1.5,
                ),
                _ => EMPTY_GROUP,
            },
        }
    }

    /// Where, from a block's top-left corner, a leaf inside it sits (its tile centre).
    fn leaf_offset(&self, block: Elem, leaf: Elem, placed: &[Option<Placed>]) -> Pos {
        match leaf {
            Elem::Node(n) if block == leaf => {
                let f = self.footprints[n];
                Pos::new(-f.min.x, -f.min.y)
            }
            Elem::Group(_) if block == leaf => {
                let (w, h) = self.block_size(block, placed);
                Pos::new(w / 2.0, h / 2.0)
            }
            _ => {
                // Walk down from the block to the leaf, adding each level's offset.
                let Elem::Group(g) = block else {
                    return Pos::default();
                };
                let Some(child) = self.child_within(leaf, Some(g)) else {
                    return Pos::default();
                };
                let Some(p) = placed[g].as_ref() else {
                    return Pos::default();
                };
                let at = p
                    .sorted
                    .binary_search_by(|(c, _)| c.cmp(&child))
                    .map_or(Pos::default(), |i| p.sorted[i].1);
                let inner = self.leaf_offset(child, leaf, placed);
                Pos::new(
                    style::GROUP_PAD + at.x + inner.x,
                    style::GROUP_HEADER + style::GROUP_PAD / 2.0 + at.y + inner.y,
                )
            }
        }
    }

    fn end(&self, id: &str) -> Option<Elem> {
        self.design
            .node_index(id)
            .map(Elem::Node)
            .or_else(|| self.design.group_index(id).map(Elem::Group))
    }

    /// Lays out the children of one container.
    fn place(&self, within: Option<usize>, placed: &[Option<Placed>]) -> Placed {
        let kids: &[Elem] = match within {
            Some(g) => &self.children[g],
            None => &self.roots,
        };
        if kids.is_empty() {
            return Placed::default();
        }
        let slot: HashMap<Elem, usize> = kids.iter().enumerate().map(|(i, e)| (*e, i)).collect();
        let sizes: Vec<(f32, f32)> = kids.iter().map(|&e| self.block_size(e, placed)).collect();
        let along = |(w, h): (f32, f32)| match self.direction {
            Direction::Right => (w, h),
            Direction::Down => (h, w),
        };
        let blocks: Vec<Block> = sizes
            .iter()
            .map(|&s| {
                let (su, sv) = along(s);
                Block { su, sv }
            })
            .collect();
        let mut links = Vec::new();
        for e in &self.design.edges {
            let (Some(a), Some(b)) = (self.end(&e.from), self.end(&e.to)) else {
                continue;
            };
            let (Some(ca), Some(cb)) = (self.child_within(a, within), self.child_within(b, within))
            else {
                continue;
            };
            if ca == cb {
                continue;
            }
            let cross = |block: Elem, leaf: Elem| {
                let o = self.leaf_offset(block, leaf, placed);
                match self.direction {
                    Direction::Right => o.y,
                    Direction::Down => o.x,
                }
            };
            links.push(Link {
                a: slot[&ca],
                b: slot[&cb],
                va: cross(ca, a),
                vb: cross(cb, b),
                relation: e.kind.is_relation(),
            });
        }
        eprintln!("OLD within {within:?} kids {kids:?} sizes {sizes:?} links {:?}", links.iter().map(|l| (l.a,l.b,l.va,l.vb,l.relation)).collect::<Vec<_>>());
        let at = super::layered::place(&blocks, &links, self.direction.gaps());
        let children: Vec<(Elem, Pos)> = kids
            .iter()
            .zip(&at)
            .map(|(&e, &(u, v))| {
                let p = match self.direction {
                    Direction::Right => Pos::new(u, v),
                    Direction::Down => Pos::new(v, u),
                };
                (e, p)
            })
            .collect();
        let size = children
            .iter()
            .zip(&sizes)
            .fold((0.0f32, 0.0f32), |acc, ((_, p), s)| {
                (acc.0.max(p.x + s.0), acc.1.max(p.y + s.1))
            });
        let mut sorted = children.clone();
        sorted.sort_by_key(|a| a.0);
        Placed {
            children,
            sorted,
            size,
        }
    }
}

/// Computes where everything goes when the whole design is arranged. The arranged design
/// keeps its top-left corner where it was.
pub fn arrange(design: &Design, direction: Direction) -> Arrangement {
    let ctx = Ctx::new(design, direction);
    let mut placed: Vec<Option<Placed>> = vec![None; design.groups.len()];
    for g in ctx.groups_inside_out() {
        placed[g] = Some(ctx.place(Some(g), &placed));
    }
    let top = ctx.place(None, &placed);
    let old = crate::scene::build_layout_only(design).bounds;
    let origin = if old.is_empty() {
        Pos::default()
    } else {
        Pos::new(old.min.x.round(), old.min.y.round())
    };
    let mut out = Arrangement {
        positions: design.nodes.iter().map(|n| n.pos).collect(),
        empty_groups: Vec::new(),
    };
    // Top-down: each block's absolute top-left, then its members'.
    let mut stack: Vec<(Elem, Pos)> = top
        .children
        .iter()
        .map(|(e, p)| (*e, Pos::new(origin.x + p.x, origin.y + p.y)))
        .collect();
    while let Some((e, at)) = stack.pop() {
        match e {
            Elem::Node(n) => {
                let f = ctx.footprints[n];
                out.positions[n] = Pos::new((at.x - f.min.x).round(), (at.y - f.min.y).round());
            }
            Elem::Group(g) => {
                let inner = Pos::new(
                    at.x + style::GROUP_PAD,
                    at.y + style::GROUP_HEADER + style::GROUP_PAD / 2.0,
                );
                match placed[g].as_ref() {
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

/// Arrange as one undoable command: new positions for the nodes (of the selection, if one
/// is given), and group boxes that fit their members again. `None` when nothing would change.
pub fn arrange_command_x(
    design: &Design,
    selection: Option<&[ElementRef]>,
    direction: Direction,
) -> Option<EditCommand> {
    let (part, ids): (Design, Vec<String>) = match selection {
        Some(sel) if !sel.is_empty() => {
            let (sub, _) = crate::export::subset(design, sel);
            let ids = sub.nodes.iter().map(|n| n.id.clone()).collect();
            (sub, ids)
        }
        _ => (
            design.clone(),
            design.nodes.iter().map(|n| n.id.clone()).collect(),
        ),
    };
    if part.nodes.is_empty() && part.groups.is_empty() {
        return None;
    }
    let arranged = arrange(&part, direction);
    let mut steps = Vec::new();
    let moves: Vec<(String, Pos)> = ids
        .iter()
        .zip(&arranged.positions)
        .filter(|(id, p)| design.node(id).is_some_and(|n| n.pos != **p))
        .map(|(id, p)| (id.clone(), *p))
        .collect();
    if !moves.is_empty() {
        steps.push(EditCommand::SetPositions(moves));
    }
    let empty: HashMap<usize, Rect> = arranged.empty_groups.iter().copied().collect();
    for (gi, g) in part.groups.iter().enumerate() {
        let Some(original) = design.group(&g.id) else {
            continue;
        };
        let wanted: [Option<String>; 4] = match empty.get(&gi) {
            Some(r) => [r.min.x, r.min.y, r.width(), r.height()].map(|v| Some(format!("{v}"))),
            None => [None, None, None, None],
        };
        for (key, value) in GROUP_GEOMETRY.iter().zip(wanted) {
            if original.props.get(*key) != value.as_ref() {
                steps.push(EditCommand::SetField {
                    target: Target::Group(g.id.clone()),
                    field: Field::Prop((*key).to_string()),
                    value,
                });
            }
        }
    }
    (!steps.is_empty()).then_some(EditCommand::Batch(steps))
}

/// The design with Arrange applied, for the CLI and tests.
pub fn arranged_x(design: &Design, direction: Direction) -> Design {
    let mut out = design.clone();
    if let Some(cmd) = arrange_command_x(design, None, direction) {
        // Arrange only moves nodes and sets group properties, which cannot fail.
        let _ = crate::edit::apply(&mut out, cmd);
    }
    out
}
