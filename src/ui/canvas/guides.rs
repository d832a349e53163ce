//! Alignment guides, as in draw.io: while a selection moves, the left, centre or right (top,
//! middle or bottom) of its tiles is pulled onto that of a service nearby when it comes
//! within a few units, and a line shows what it lines up with. The grid alone cannot do
//! this: services placed by a layout, an import or by hand off the grid still line up.

use crate::model::{Pos, Rect};

/// How close, in canvas units, a line must come to another to be pulled onto it.
pub const PULL: f32 = 6.0;
/// How far from the moving tiles other services are looked at.
const REACH: f32 = 1200.0;
/// Most services moved at once for which guides are looked for: a selection that large has
/// little left to line up with, and the look costs a pass over the design per frame.
pub const MOST_MOVED: usize = 500;

/// What the guides do to a move: the shift that lines it up, and the lines to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Guides {
    /// Added to the move, so the selection lands aligned.
    pub shift: (f32, f32),
    /// Guide lines in canvas units, from the moved tiles to what they line up with.
    pub lines: Vec<(Pos, Pos)>,
}

/// Centre, left and right of a box (or middle, top and bottom with `vertical`).
fn lines_of(r: &Rect, vertical: bool) -> [f32; 3] {
    if vertical {
        [r.center().y, r.min.y, r.max.y]
    } else {
        [r.center().x, r.min.x, r.max.x]
    }
}

/// Which lines meet, as indices into [`lines_of`]: centre on centre (first, so it wins a
/// tie) and a side on the same side. Not a side against the opposite side: tiles one grid
/// step apart would be pulled off the grid into touching.
const PAIRS: [(usize, usize); 3] = [(0, 0), (1, 1), (2, 2)];

/// The smallest pull, within [`PULL`], that puts one of the moving box's lines on one of
/// another box's, and the line it lands on.
fn nearest(moving: &Rect, others: &[Rect], vertical: bool) -> Option<(f32, f32)> {
    let mine = lines_of(moving, vertical);
    let mut best: Option<(f32, f32)> = None;
    for o in others {
        let theirs = lines_of(o, vertical);
        for (m, t) in PAIRS {
            let pull = theirs[t] - mine[m];
            if pull.abs() <= PULL && best.is_none_or(|(b, _)| pull.abs() < b.abs()) {
                best = Some((pull, theirs[t]));
            }
        }
    }
    best
}

/// Guides for tiles `moving` (where the move would put them) among the tiles `others`.
pub fn find(moving: &[Rect], others: impl IntoIterator<Item = Rect>) -> Guides {
    let bbox = moving.iter().copied().fold(Rect::NOTHING, Rect::union);
    if bbox.is_empty() {
        return Guides::default();
    }
    let reach = bbox.expand(REACH);
    let near: Vec<Rect> = others
        .into_iter()
        .filter(|o| o.intersects(&reach))
        .collect();
    let x = nearest(&bbox, &near, false);
    let y = nearest(&bbox, &near, true);
    let shift = (x.map_or(0.0, |(p, _)| p), y.map_or(0.0, |(p, _)| p));
    let placed = Rect::from_min_max(
        bbox.min.offset(shift.0, shift.1),
        bbox.max.offset(shift.0, shift.1),
    );
    let on = |o: &Rect, at: f32, vertical: bool| {
        lines_of(o, vertical).iter().any(|l| (l - at).abs() < 0.5)
    };
    let mut lines = Vec::new();
    if let Some((_, at)) = x {
        let span = near
            .iter()
            .filter(|o| on(o, at, false))
            .fold(placed, |a, o| a.union(*o));
        lines.push((Pos::new(at, span.min.y), Pos::new(at, span.max.y)));
    }
    if let Some((_, at)) = y {
        let span = near
            .iter()
            .filter(|o| on(o, at, true))
            .fold(placed, |a, o| a.union(*o));
        lines.push((Pos::new(span.min.x, at), Pos::new(span.max.x, at)));
    }
    Guides { shift, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(x: f32, y: f32) -> Rect {
        Rect::from_center_size(Pos::new(x, y), 48.0, 48.0)
    }

    #[test]
    fn a_tile_a_few_units_off_is_pulled_into_line_and_a_guide_shows_it() {
        let g = find(
            &[tile(204.0, 400.0)],
            [tile(200.0, 100.0), tile(900.0, 397.0)],
        );
        assert_eq!(g.shift, (-4.0, -3.0));
        // A vertical guide from the other tile down to the moved one, a horizontal one
        // across to the tile on the right.
        assert!(
            g.lines
                .contains(&(Pos::new(200.0, 76.0), Pos::new(200.0, 421.0)))
        );
        assert!(
            g.lines
                .contains(&(Pos::new(176.0, 397.0), Pos::new(924.0, 397.0)))
        );
    }

    #[test]
    fn sides_line_up_with_sides_not_only_centres() {
        // A selection of two tiles: its right side comes 5 units from the other's.
        let g = find(&[tile(105.0, 0.0), tile(205.0, 0.0)], [tile(200.0, 300.0)]);
        assert_eq!(g.shift.0, -5.0);
        // A side against the opposite side is no alignment.
        let g = find(&[tile(250.0, 0.0)], [tile(200.0, 300.0)]);
        assert_eq!(g, Guides::default());
    }

    #[test]
    fn nothing_within_reach_or_within_the_pull_leaves_the_move_alone() {
        let far = find(&[tile(0.0, 0.0)], [tile(5000.0, 3.0)]);
        assert_eq!(far, Guides::default());
        let off = find(&[tile(0.0, 0.0)], [tile(60.0, 300.0)]);
        assert_eq!(off, Guides::default());
    }
}
