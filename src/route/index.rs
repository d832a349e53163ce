//! A sparse spatial hash of rectangles, so a route is checked only against what lies near it.
//!
//! Cells are hashed, not allocated, so a node far away costs one entry, not a grid that spans
//! the distance; a rectangle covering very many cells (a large group box) is kept in a short
//! list that every query scans.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::Rect;

/// Hashes a cell's two coordinates with one multiply each instead of SipHash: cells are
/// not chosen by an adversary, and indexing 20,000 obstacles hashes about 60,000 cells.
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u8(b);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write_u64(u64::from(b));
    }

    fn write_i32(&mut self, v: i32) {
        self.write_u64(u64::from(v as u32));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Cells = HashMap<(i32, i32), Vec<u32>, BuildHasherDefault<CellHasher>>;

/// Side of one hash cell, in canvas units: about one node with its label.
const CELL: f32 = 160.0;
/// A rectangle spanning more cells than this is scanned on every query instead.
const MAX_CELLS: i64 = 256;

/// Rectangles by id, found by the area they cover.
#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    rects: Vec<Rect>,
    cells: Cells,
    large: Vec<u32>,
}

fn cell_of(v: f32) -> i32 {
    (v / CELL).floor().clamp(-1.0e6, 1.0e6) as i32
}

fn cell_span(r: &Rect) -> (i32, i32, i32, i32) {
    (
        cell_of(r.min.x),
        cell_of(r.min.y),
        cell_of(r.max.x),
        cell_of(r.max.y),
    )
}

fn too_many(span: (i32, i32, i32, i32)) -> bool {
    let w = i64::from(span.2) - i64::from(span.0) + 1;
    let h = i64::from(span.3) - i64::from(span.1) + 1;
    w.saturating_mul(h) > MAX_CELLS
}

impl SpatialIndex {
    /// Indexes `rects`; ids are their positions in the list.
    pub fn new(rects: Vec<Rect>) -> Self {
        Self::within(rects, None)
    }

    /// Indexes only the `rects` that meet `window` (all of them without one); the others
    /// keep their ids but are never found. For routing a few edges in one corner of a big
    /// design without indexing all of it.
    pub fn within(rects: Vec<Rect>, window: Option<Rect>) -> Self {
        let mut index = SpatialIndex {
            rects: Vec::with_capacity(rects.len()),
            ..Default::default()
        };
        for r in rects {
            if window.is_none_or(|w| r.intersects(&w)) {
                index.insert(r);
            } else {
                index.rects.push(r);
            }
        }
        index
    }

    /// Adds a rectangle (routes are indexed as they are drawn) and returns its id.
    pub fn insert(&mut self, r: Rect) -> usize {
        let id = self.rects.len();
        self.rects.push(r);
        if r.is_empty() || !r.min.x.is_finite() || !r.max.y.is_finite() {
            return id;
        }
        let span = cell_span(&r);
        if too_many(span) {
            self.large.push(id as u32);
            return id;
        }
        for cx in span.0..=span.2 {
            for cy in span.1..=span.3 {
                self.cells.entry((cx, cy)).or_default().push(id as u32);
            }
        }
        id
    }

    /// The rectangle with this id.
    pub fn rect(&self, id: usize) -> Rect {
        self.rects[id]
    }

    /// Ids of every rectangle that may meet `area` (a superset: callers test exactly), each
    /// once, in increasing order so results do not depend on hashing.
    pub fn query(&self, area: &Rect) -> Vec<usize> {
        let span = cell_span(area);
        let mut out: Vec<usize> = self.large.iter().map(|&i| i as usize).collect();
        if too_many(span) {
            out = (0..self.rects.len()).collect();
        } else {
            for cx in span.0..=span.2 {
                for cy in span.1..=span.3 {
                    if let Some(ids) = self.cells.get(&(cx, cy)) {
                        out.extend(ids.iter().map(|&i| i as usize));
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
        }
        out.retain(|&i| self.rects[i].intersects(area));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pos;

    #[test]
    fn finds_what_overlaps_and_nothing_else() {
        let r = |x: f32, y: f32| Rect::from_center_size(Pos::new(x, y), 40.0, 40.0);
        let index = SpatialIndex::new(vec![
            r(0.0, 0.0),
            r(1000.0, 0.0),
            r(1.0e9, 0.0),
            Rect::from_min_max(Pos::new(-1.0e5, -1.0e5), Pos::new(1.0e5, 1.0e5)),
        ]);
        let near = index.query(&Rect::from_center_size(Pos::new(10.0, 0.0), 30.0, 30.0));
        assert_eq!(near, vec![0, 3]);
        let far = index.query(&Rect::from_center_size(Pos::new(1.0e9, 0.0), 10.0, 10.0));
        assert_eq!(far, vec![2]);
    }
}
