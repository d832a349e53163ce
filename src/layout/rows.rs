//! Children of a container that stand side by side as one block: the Availability Zones of a
//! VPC or Region, as AWS draws them, whatever the flow direction. The layering then places the
//! row like any other block, and each zone keeps its place inside it.

use crate::model::Pos;
use crate::route::End;

/// The blocks a container's children make: each child its own unit, except the zones, which
/// share one unit laid out left to right in the order of the design's groups.
#[derive(Debug)]
pub(super) struct Units {
    /// Each unit's size in canvas x and y.
    pub sizes: Vec<(f32, f32)>,
    /// Per child (in the order given), the unit it belongs to.
    pub unit_of: Vec<usize>,
    /// Per child, where it starts from its unit's top-left corner.
    pub offset: Vec<Pos>,
    /// The unit that is a row of zones, if there is one.
    row: Option<usize>,
}

impl Units {
    /// Groups `kids` (with their sizes) into units; `in_row` tells the children that stand in
    /// the row, which forms only when there are two or more.
    pub fn new(kids: &[End], sizes: &[(f32, f32)], in_row: impl Fn(End) -> bool, gap: f32) -> Self {
        let mut row_members: Vec<usize> = (0..kids.len()).filter(|&i| in_row(kids[i])).collect();
        if row_members.len() < 2 {
            row_members.clear();
        }
        row_members.sort_by_key(|&i| kids[i]);
        let mut out = Units {
            sizes: Vec::new(),
            unit_of: vec![0; kids.len()],
            offset: vec![Pos::default(); kids.len()],
            row: None,
        };
        for (i, &size) in sizes.iter().enumerate().take(kids.len()) {
            if !row_members.contains(&i) {
                out.unit_of[i] = out.sizes.len();
                out.sizes.push(size);
                continue;
            }
            if out.row.is_some() {
                continue;
            }
            // The row takes the place of its first member.
            let unit = out.sizes.len();
            let mut x = 0.0f32;
            let mut height = 0.0f32;
            for &m in &row_members {
                out.unit_of[m] = unit;
                out.offset[m] = Pos::new(x, 0.0);
                x += sizes[m].0 + gap;
                height = height.max(sizes[m].1);
            }
            out.sizes.push(((x - gap).max(0.0), height));
            out.row = Some(unit);
        }
        out
    }

    /// Whether a unit is the row of zones.
    pub fn is_row(&self, unit: usize) -> bool {
        self.row == Some(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_stand_side_by_side_in_group_order_and_others_keep_their_own_block() {
        let kids = [End::Node(0), End::Group(3), End::Group(1), End::Node(2)];
        let sizes = [(10.0, 10.0), (100.0, 50.0), (80.0, 70.0), (5.0, 5.0)];
        let u = Units::new(&kids, &sizes, |e| matches!(e, End::Group(_)), 20.0);
        assert_eq!(u.sizes, vec![(10.0, 10.0), (200.0, 70.0), (5.0, 5.0)]);
        assert_eq!(u.unit_of, vec![0, 1, 1, 2]);
        // Group 1 comes first in the design, so it stands on the left.
        assert_eq!(u.offset[2], Pos::new(0.0, 0.0));
        assert_eq!(u.offset[1], Pos::new(100.0, 0.0));
        assert!(u.is_row(1) && !u.is_row(0));
    }

    #[test]
    fn a_single_zone_is_an_ordinary_block() {
        let kids = [End::Group(0), End::Node(0)];
        let u = Units::new(
            &kids,
            &[(1.0, 2.0), (3.0, 4.0)],
            |e| e == End::Group(0),
            20.0,
        );
        assert_eq!(u.sizes.len(), 2);
        assert!(!u.is_row(0));
    }
}
