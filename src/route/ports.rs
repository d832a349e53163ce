//! Ports: where along a side each edge leaves, so edges sharing a side are spread along it
//! in the order that keeps them from crossing near the box.

use super::*;

/// One edge end on a side: where along the side it should go (see [`turn_key`]), the edge,
/// and whether this is the edge's `from` end.
pub(super) type SideUse = (f32, usize, bool);

/// Where along its side a route should leave, from the start of its sketch (a first route
/// through the middle port, seen from this end: port, first bend, the point after it): routes that turn towards the side's start come first,
/// the ones turning nearest the box outermost; then routes going straight on; then those
/// turning towards the side's end, the ones turning farthest outermost. In that order no two
/// cross near the box.
pub(super) fn turn_key(route: &[Pos], side: Side) -> Option<f32> {
    const CLASS: f32 = 1.0e7;
    let (port, bend) = (*route.first()?, *route.get(1)?);
    let reach = port.distance(bend);
    let Some(&after) = route.get(2) else {
        return Some(0.0);
    };
    let towards_start = if side.vertical() {
        after.y < bend.y
    } else {
        after.x < bend.x
    };
    Some(if towards_start {
        -CLASS + reach
    } else {
        CLASS - reach
    })
}

/// Where along its side a route without a sketch should leave: the angle at which the
/// other end is seen from the side's middle, measured from straight out.
pub(super) fn angle_key(world: &World<'_>, end: End, other: End, side: Side) -> f32 {
    let c = world.body(other).center();
    let m = world.port(end, side, 0.5).0;
    let (vx, vy) = (c.x - m.x, c.y - m.y);
    let (ox, oy) = side.out().vector();
    let sideways = if side.vertical() { vy } else { vx };
    sideways.atan2(vx * ox + vy * oy)
}

/// Port fractions for every edge end: 0.5 alone on a side, else spread evenly in the order
/// of the other ends, so edges leaving one side do not cross each other.
pub(super) fn spread_ports(
    world: &World<'_>,
    edges: &[EdgeRequest],
    sides: &[Option<(Side, Side)>],
    sketches: &[Option<&Vec<Pos>>],
) -> Vec<(f32, f32)> {
    let mut by_side: BTreeMap<(End, Side), Vec<SideUse>> = BTreeMap::new();
    for (i, e) in edges.iter().enumerate() {
        let Some((sa, sb)) = sides[i] else { continue };
        for (end, other, side, is_from) in [(e.from, e.to, sa, true), (e.to, e.from, sb, false)] {
            // The sketch's first three points seen from this end.
            let head: Option<Vec<Pos>> = sketches[i].map(|points| {
                if is_from {
                    points.iter().take(3).copied().collect()
                } else {
                    points.iter().rev().take(3).copied().collect()
                }
            });
            let along = match head.as_deref().and_then(|p| turn_key(p, side)) {
                Some(key) => key,
                None => angle_key(world, end, other, side),
            };
            by_side
                .entry((end, side))
                .or_default()
                .push((along, i, is_from));
        }
    }
    let mut ports = vec![(0.5, 0.5); edges.len()];
    let mut shared = vec![(false, false); edges.len()];
    for (_, mut list) in by_side {
        if list.len() < 2 {
            continue;
        }
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let n = list.len() as f32;
        for (k, &(_, i, is_from)) in list.iter().enumerate() {
            let t = (k as f32 + 1.0) / (n + 1.0);
            if is_from {
                ports[i].0 = t;
                shared[i].0 = true;
            } else {
                ports[i].1 = t;
                shared[i].1 = true;
            }
        }
    }
    // An end alone on its side, facing a spread port, lines up with it when it can, so the
    // edge stays straight instead of taking a small jog.
    for (i, e) in edges.iter().enumerate() {
        let Some((sa, sb)) = sides[i] else { continue };
        if sa.out() != sb.out().reverse() || shared[i].0 == shared[i].1 {
            continue;
        }
        let (spread_end, spread_side, spread_t, lone_end, lone_side) = if shared[i].0 {
            (e.from, sa, ports[i].0, e.to, sb)
        } else {
            (e.to, sb, ports[i].1, e.from, sa)
        };
        let (p, _) = world.port(spread_end, spread_side, spread_t);
        let r = world.body(lone_end);
        let t = if lone_side.vertical() {
            (p.y - r.min.y) / r.height()
        } else {
            (p.x - r.min.x) / r.width()
        };
        if (0.15..=0.85).contains(&t) {
            if shared[i].0 {
                ports[i].1 = t;
            } else {
                ports[i].0 = t;
            }
        }
    }
    ports
}
