//! Layered placement of the blocks of one container (the top level or one group), in
//! abstract axes: `u` runs along the flow (layers), `v` across it (order within a layer).
//!
//! Flow edges make layers (longest path, cycles broken where a depth-first walk finds them);
//! blocks tied only by relations sit next to what they relate to; barycentre sweeps order the
//! layers; positions across the flow pull each block level with its neighbours; components
//! that share no edge are stacked, or packed in rows when a stack would be a column.

mod coords;
mod order;
mod ranks;

use coords::{anchor, coordinates};
use order::order_layers;
use ranks::{acyclic_flow, layer_lists, longest_path_layers, spread_wide_layers};

/// One block to place: its extent along and across the flow.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub su: f32,
    pub sv: f32,
}

/// An edge between two blocks of the container; `va`/`vb` are where across the flow, from
/// each block's start, the connected leaf sits, so connected leaves can be levelled.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub a: usize,
    pub b: usize,
    pub va: f32,
    pub vb: f32,
    pub relation: bool,
}

/// Where a block tied only by relations goes, when the caller wants a say: next to which
/// partner (a block it has a relation with) and on which side of it. Without one, it sits
/// after the first partner found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beside {
    /// The block to sit next to, in the same layer.
    pub partner: usize,
    /// Before the partner across the flow (above it when the flow runs right), not after.
    pub before: bool,
}

/// Gaps between layers, between blocks of one layer, and between stacked components.
#[derive(Clone, Copy, Debug)]
pub struct Gaps {
    pub layer: f32,
    pub cross: f32,
    pub component: f32,
}

/// Where the blocks went: each block's start `(u, v)`, with the smallest at zero, and its
/// layer within its component (0 = the first along the flow).
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub at: Vec<(f32, f32)>,
    pub layer: Vec<usize>,
}

/// Places the blocks. `beside` (empty, or one entry per block) overrides where blocks tied
/// only by relations go.
pub fn place(blocks: &[Block], links: &[Link], beside: &[Option<Beside>], gaps: Gaps) -> Placement {
    let n = blocks.len();
    let mut out = Placement {
        at: vec![(0.0, 0.0); n],
        layer: vec![0; n],
    };
    // Each component placed by itself, as a problem of its own size (blocks renumbered from
    // zero): many small components cost their own sizes, never components x blocks.
    let members_of = components(n, links);
    let mut component_of = vec![0usize; n];
    let mut local_index = vec![0usize; n];
    for (c, members) in members_of.iter().enumerate() {
        for (i, &b) in members.iter().enumerate() {
            component_of[b] = c;
            local_index[b] = i;
        }
    }
    let mut links_of: Vec<Vec<Link>> = vec![Vec::new(); members_of.len()];
    for l in links {
        links_of[component_of[l.a]].push(Link {
            a: local_index[l.a],
            b: local_index[l.b],
            ..*l
        });
    }
    type Placed = (Vec<usize>, Vec<(f32, f32)>, Vec<usize>);
    let placed: Vec<Placed> = members_of
        .into_iter()
        .zip(links_of)
        .map(|(members, local_links)| {
            let local_blocks: Vec<Block> = members.iter().map(|&b| blocks[b]).collect();
            let local_beside: Vec<Option<Beside>> = if beside.is_empty() {
                Vec::new()
            } else {
                members
                    .iter()
                    .map(|&b| {
                        beside[b]
                            .filter(|x| component_of[x.partner] == component_of[b])
                            .map(|x| Beside {
                                partner: local_index[x.partner],
                                ..x
                            })
                    })
                    .collect()
            };
            let (at, layer) = place_component(&local_blocks, &local_links, &local_beside, gaps);
            (members, at, layer)
        })
        .collect();
    // Each component's extent from its own smallest corner.
    let extents: Vec<(f32, f32, f32, f32)> = placed
        .iter()
        .map(|(members, local, _)| {
            let (mut min_u, mut min_v) = (f32::INFINITY, f32::INFINITY);
            let (mut max_u, mut max_v) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
            for (i, &b) in members.iter().enumerate() {
                let (u, v) = local[i];
                min_u = min_u.min(u);
                min_v = min_v.min(v);
                max_u = max_u.max(u + blocks[b].su);
                max_v = max_v.max(v + blocks[b].sv);
            }
            (min_u, min_v, max_u - min_u, max_v - min_v)
        })
        .collect();
    let sizes: Vec<(f32, f32)> = extents.iter().map(|e| (e.2, e.3)).collect();
    let starts = pack(&sizes, gaps.component);
    for (((members, local, layer), e), start) in placed.iter().zip(&extents).zip(&starts) {
        for (i, &b) in members.iter().enumerate() {
            let (u, v) = local[i];
            out.at[b] = (u - e.0 + start.0, v - e.1 + start.1);
            out.layer[b] = layer[i];
        }
    }
    out
}

/// Where each component starts. Components are stacked across the flow, one under the
/// other; when there are three or more they are packed in rows instead, each row
/// as wide as the widest component or as a landscape picture of them all would be, so
/// pipelines of a like length still stack while parts that connect to nothing (an imported
/// template's) sit side by side rather than in a column.
fn pack(sizes: &[(f32, f32)], gap: f32) -> Vec<(f32, f32)> {
    let widest = sizes.iter().map(|s| s.0).fold(0.0f32, f32::max);
    if sizes.len() < 3 {
        let mut v = 0.0;
        return sizes
            .iter()
            .map(|s| {
                let at = (0.0, v);
                v += s.1 + gap;
                at
            })
            .collect();
    }
    let area: f32 = sizes.iter().map(|s| (s.0 + gap) * (s.1 + gap)).sum();
    let limit = widest.max((1.5 * area).sqrt());
    let mut out = Vec::with_capacity(sizes.len());
    let (mut u, mut v, mut row_height) = (0.0f32, 0.0f32, 0.0f32);
    for s in sizes {
        if u > 0.0 && u + s.0 > limit {
            u = 0.0;
            v += row_height + gap;
            row_height = 0.0;
        }
        out.push((u, v));
        u += s.0 + gap;
        row_height = row_height.max(s.1);
    }
    out
}

/// Weakly connected components, each listed in block order, ordered by their first block.
fn components(n: usize, links: &[Link]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for l in links {
        let (ra, rb) = (root(&mut parent, l.a), root(&mut parent, l.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; n];
    for b in 0..n {
        let r = root(&mut parent, b);
        if slot[r] == usize::MAX {
            slot[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[slot[r]].push(b);
    }
    groups
}

/// Places one connected component, given as a problem of its own (blocks numbered from zero).
fn place_component(
    blocks: &[Block],
    links: &[Link],
    beside: &[Option<Beside>],
    gaps: Gaps,
) -> (Vec<(f32, f32)>, Vec<usize>) {
    let n = blocks.len();
    let all: Vec<usize> = (0..n).collect();
    let members = all.as_slice();
    let mut local: Vec<Link> = links.iter().filter(|l| l.a != l.b).copied().collect();
    // Where only relations tie the blocks (a network link from a data center through a VPN
    // to a VPC), they are the flow: the chain reads along the direction like any pipeline.
    if local.iter().all(|l| l.relation) {
        for l in &mut local {
            l.relation = false;
        }
    }
    let flow: Vec<(usize, usize)> = acyclic_flow(members, &local);
    let mut layer = vec![usize::MAX; n];
    let mut has_flow = vec![false; n];
    for &(a, b) in &flow {
        has_flow[a] = true;
        has_flow[b] = true;
    }
    longest_path_layers(members, &flow, &has_flow, &mut layer);

    // Blocks tied only by relations go next to a partner, in its layer.
    let mut attached_to = vec![usize::MAX; n];
    let mut frontier: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&b| layer[b] != usize::MAX)
        .collect();
    if frontier.is_empty() {
        layer[members[0]] = 0;
        frontier.push(members[0]);
    }
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &p in &frontier {
            for l in local.iter().filter(|l| l.relation) {
                let Some(other) = other_end((l.a, l.b), p) else {
                    continue;
                };
                if layer[other] == usize::MAX {
                    layer[other] = layer[p];
                    attached_to[other] = p;
                    next.push(other);
                }
            }
        }
        next.sort_unstable();
        frontier = next;
    }
    for &m in members {
        if layer[m] == usize::MAX {
            layer[m] = 0;
        }
    }
    let mut before = vec![false; n];
    choose_partners(&local, beside, &mut attached_to, &mut before);
    for &m in members {
        layer[m] = layer[anchor(m, &attached_to)];
    }
    spread_wide_layers(members, &flow, &attached_to, &mut layer);

    let layers = layer_lists(members, &layer, &attached_to);
    let layers = order_layers(layers, &flow, &attached_to, &before, &layer);
    let at = coordinates(blocks, &local, &layers, &layer, &attached_to, &before, gaps);
    (at, layer)
}

/// Applies the caller's choices of partner and side to blocks that are attached, where the
/// chosen block really is a relation partner and the choice makes no loop of attachments.
fn choose_partners(
    links: &[Link],
    beside: &[Option<Beside>],
    attached_to: &mut [usize],
    before: &mut [bool],
) {
    for (b, choice) in beside.iter().enumerate() {
        let Some(choice) = choice else { continue };
        let p = choice.partner;
        if b >= attached_to.len() || p >= attached_to.len() || attached_to[b] == usize::MAX {
            continue;
        }
        let related = links
            .iter()
            .any(|l| l.relation && other_end((l.a, l.b), b) == Some(p));
        if !related || partner_chain(p, attached_to).any(|x| x == b) {
            continue;
        }
        attached_to[b] = p;
        before[b] = choice.before;
    }
}

/// `b`, its partner, that one's partner, and so on to the anchor (bounded, so a loop of
/// attachments ends too).
fn partner_chain(b: usize, attached_to: &[usize]) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(Some(b), |&x| {
        let p = attached_to[x];
        (p != usize::MAX).then_some(p)
    })
    .take(attached_to.len() + 1)
}

/// The end of a link (`ends`) that is not `me`, if `me` is one of them.
pub(super) fn other_end<T: Copy + PartialEq>(ends: (T, T), me: T) -> Option<T> {
    if ends.0 == me {
        Some(ends.1)
    } else if ends.1 == me {
        Some(ends.0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::coords::resolve;
    use super::order::crossings;
    use super::*;

    const GAPS: Gaps = Gaps {
        layer: 50.0,
        cross: 20.0,
        component: 40.0,
    };

    fn blocks(n: usize) -> Vec<Block> {
        vec![
            Block {
                su: 100.0,
                sv: 60.0
            };
            n
        ]
    }

    fn flow(a: usize, b: usize) -> Link {
        Link {
            a,
            b,
            va: 30.0,
            vb: 30.0,
            relation: false,
        }
    }

    #[test]
    fn many_sources_of_one_target_stand_in_columns_not_one_tall_column() {
        // Fourteen alarms watching one cache; the near miss, four, stays one column.
        for (sources, columns) in [(14, 3), (4, 1)] {
            let links: Vec<Link> = (1..=sources).map(|s| flow(s, 0)).collect();
            let p = place(&blocks(sources + 1), &links, &[], GAPS).at;
            let mut us: Vec<i64> = (1..=sources).map(|s| p[s].0 as i64).collect();
            us.sort_unstable();
            us.dedup();
            assert_eq!(us.len(), columns, "{sources} sources in {us:?}");
            // The target still comes after every source.
            assert!((1..=sources).all(|s| p[s].0 < p[0].0));
        }
    }

    #[test]
    fn a_chain_runs_along_the_flow_level() {
        let p = place(&blocks(3), &[flow(0, 1), flow(1, 2)], &[], GAPS).at;
        assert_eq!(p[0].0, 0.0);
        assert!(p[1].0 > p[0].0 && p[2].0 > p[1].0);
        assert!(p.iter().all(|x| x.1 == p[0].1));
    }

    #[test]
    fn cycles_and_relations_are_placed() {
        let mut links = vec![flow(0, 1), flow(1, 2), flow(2, 0)];
        links.push(Link {
            relation: true,
            ..flow(3, 1)
        });
        let p = place(&blocks(4), &links, &[], GAPS).at;
        // The watcher shares its partner's layer, next to it.
        assert_eq!(p[3].0, p[1].0);
        assert!((p[3].1 - p[1].1).abs() >= 60.0);
    }

    #[test]
    fn a_watcher_goes_beside_the_partner_and_side_it_is_given() {
        // 0 -> 1 -> 2; block 3 watches 1 and 2.
        let watch = |b| Link {
            relation: true,
            ..flow(3, b)
        };
        let links = [flow(0, 1), flow(1, 2), watch(1), watch(2)];
        let first = place(&blocks(4), &links, &[], GAPS).at;
        assert_eq!(first[3].0, first[1].0, "beside its first partner by itself");
        assert!(first[3].1 > first[1].1, "after it by itself");
        let mut told = [None; 4];
        told[3] = Some(Beside {
            partner: 2,
            before: true,
        });
        let p = place(&blocks(4), &links, &told, GAPS).at;
        assert_eq!(p[3].0, p[2].0);
        assert!(p[3].1 < p[2].1, "{p:?}");
        // A block that is not a partner is no choice: the watcher stays where it was.
        told[3] = Some(Beside {
            partner: 0,
            before: true,
        });
        assert_eq!(place(&blocks(4), &links, &told, GAPS).at, first);
    }

    #[test]
    fn separate_pipelines_are_stacked_not_overlapped() {
        let p = place(&blocks(4), &[flow(0, 1), flow(2, 3)], &[], GAPS).at;
        assert!(p[2].1 >= p[0].1 + 60.0 + GAPS.component - 0.01);
    }

    #[test]
    fn many_unconnected_blocks_are_packed_in_rows_not_a_column() {
        let p = place(&blocks(30), &[], &[], GAPS).at;
        let width = p.iter().map(|a| a.0 + 60.0).fold(0.0, f32::max);
        let height = p.iter().map(|a| a.1 + 60.0).fold(0.0, f32::max);
        assert!(
            width >= height / 2.0 && height >= width / 2.0,
            "{width} x {height}"
        );
        // Nothing overlaps.
        for (i, a) in p.iter().enumerate() {
            for b in &p[i + 1..] {
                assert!((a.0 - b.0).abs() >= 60.0 || (a.1 - b.1).abs() >= 60.0);
            }
        }
    }

    #[test]
    fn crossings_between_layers_are_counted() {
        // Two layers of two blocks each (0, 1 above; 2, 3 below), and a virtual block 4.
        let layer_of = [0, 0, 1, 1];
        let straight = [0.0, 1.0, 0.0, 1.0];
        let swapped = [0.0, 1.0, 1.0, 0.0];
        let steps = [(0, 2), (1, 3)];
        assert_eq!(crossings(&steps, &layer_of, &straight, 2), 0);
        assert_eq!(crossings(&steps, &layer_of, &swapped, 2), 1);
        // Steps sharing an end never cross.
        assert_eq!(crossings(&[(0, 2), (0, 3)], &layer_of, &swapped, 2), 0);
    }

    #[test]
    fn a_long_link_is_ordered_through_the_layers_it_spans() {
        // 0 -> 1 -> 2 and a long link 3 -> 2 past layer 1, where 4 also hangs off 3.
        let b = blocks(5);
        let links = [flow(0, 1), flow(1, 2), flow(3, 2), flow(3, 4)];
        let at = place(&b, &links, &[], GAPS).at;
        let order = |x: usize, y: usize| at[x].1 < at[y].1;
        // The long link's path and 3 -> 4 must not cross 0 -> 1: 1 and 4 keep the order
        // of 0 and 3.
        assert_eq!(order(0, 3), order(1, 4), "{at:?}");
    }

    #[test]
    fn overlapping_wishes_are_resolved_in_order() {
        let b = blocks(3);
        let out = resolve(&[0, 1, 2], &[0.0, 0.0, 0.0], &b, 10.0);
        assert!(out[1] >= out[0] + 70.0 - 0.01 && out[2] >= out[1] + 70.0 - 0.01);
    }
}
