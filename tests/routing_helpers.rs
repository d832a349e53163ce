#![allow(dead_code)]
use archsketch::model::{Design, Pos};

/// Moves every node to the place of the next node with the same parent (the last to the
/// first's place); where no parent holds two nodes, mirrors the design left to right.
pub fn shuffled(design: &Design) -> Design {
    let mut out = design.clone();
    let parents = design.parent_map();
    let mut by_parent: std::collections::BTreeMap<Option<&str>, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, n) in design.nodes.iter().enumerate() {
        by_parent
            .entry(parents.get(n.id.as_str()).copied())
            .or_default()
            .push(i);
    }
    let mut moved = false;
    for list in by_parent.values().filter(|l| l.len() >= 2) {
        for (k, &i) in list.iter().enumerate() {
            let next = list[(k + 1) % list.len()];
            out.nodes[i].pos = design.nodes[next].pos;
        }
        moved = true;
    }
    if !moved {
        for n in &mut out.nodes {
            n.pos = Pos::new(-n.pos.x, n.pos.y);
        }
    }
    out
}
