//! The order of the blocks within each layer: barycentre sweeps that keep the fewest
//! crossings found.

use super::*;

/// Orders each layer by barycentre sweeps over the flow, keeping the order with the fewest
/// crossings, then re-inserts attached blocks. A flow link spanning several layers passes
/// through a virtual block in each layer between, as in Sugiyama's method, so long edges
/// take part in the ordering instead of cutting across it.
pub(super) fn order_layers(
    mut layers: Vec<Vec<usize>>,
    flow: &[(usize, usize)],
    attached_to: &[usize],
    before: &[bool],
    layer: &[usize],
) -> Vec<Vec<usize>> {
    let n = attached_to.len();
    let mut layer_of: Vec<usize> = layer.to_vec();
    let mut steps: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in flow {
        // Attached blocks are ordered with their partner.
        let (mut a, mut b) = (anchor(a, attached_to), anchor(b, attached_to));
        if layer_of[a] > layer_of[b] {
            std::mem::swap(&mut a, &mut b);
        }
        if a == b || layer_of[a] == layer_of[b] {
            continue;
        }
        let mut prev = a;
        let (from, to) = (layer_of[a] + 1, layer_of[b]);
        for (l, list) in layers.iter_mut().enumerate().take(to).skip(from) {
            let virtual_block = layer_of.len();
            layer_of.push(l);
            list.push(virtual_block);
            steps.push((prev, virtual_block));
            prev = virtual_block;
        }
        steps.push((prev, b));
    }
    let total = layer_of.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); total];
    for &(a, b) in &steps {
        succs[a].push(b);
        preds[b].push(a);
    }
    let mut pos = vec![0.0f32; total];
    let refresh = |layers: &Vec<Vec<usize>>, pos: &mut Vec<f32>| {
        for list in layers {
            for (i, &b) in list.iter().enumerate() {
                pos[b] = i as f32;
            }
        }
    };
    refresh(&layers, &mut pos);
    let mut best = (
        crossings(&steps, &layer_of, &pos, layers.len()),
        layers.clone(),
    );
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in range {
            let mut keyed: Vec<(f32, usize)> = layers[l]
                .iter()
                .map(|&b| {
                    let near = if down { &preds[b] } else { &succs[b] };
                    let key = if near.is_empty() {
                        pos[b]
                    } else {
                        near.iter().map(|&x| pos[x]).sum::<f32>() / near.len() as f32
                    };
                    (key, b)
                })
                .collect();
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0));
            layers[l] = keyed.into_iter().map(|(_, b)| b).collect();
            refresh(&layers, &mut pos);
        }
        let count = crossings(&steps, &layer_of, &pos, layers.len());
        if count < best.0 {
            best = (count, layers.clone());
        }
    }
    let mut layers = best.1;
    for list in &mut layers {
        list.retain(|&b| b < n);
    }
    // Attached blocks sit beside their partner, after it unless told otherwise (and what is
    // attached to them, in turn, beside them).
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (b, &p) in attached_to.iter().enumerate() {
        if p != usize::MAX {
            children[p].push(b);
        }
    }
    fn emit(x: usize, children: &[Vec<usize>], before: &[bool], out: &mut Vec<usize>) {
        for &c in children[x].iter().filter(|&&c| before[c]) {
            emit(c, children, before, out);
        }
        out.push(x);
        for &c in children[x].iter().filter(|&&c| !before[c]) {
            emit(c, children, before, out);
        }
    }
    layers
        .into_iter()
        .map(|list| {
            let mut out = Vec::with_capacity(list.len());
            for b in list {
                emit(b, &children, before, &mut out);
            }
            out
        })
        .collect()
}

/// Crossings between the steps of adjacent layers, for blocks at positions `pos`: the
/// inversions among steps sorted by their upper end, counted with a Fenwick tree.
pub(super) fn crossings(
    steps: &[(usize, usize)],
    layer_of: &[usize],
    pos: &[f32],
    depth: usize,
) -> usize {
    let mut by_layer: Vec<Vec<(usize, usize)>> = vec![Vec::new(); depth];
    for &(a, b) in steps {
        by_layer[layer_of[a]].push((pos[a] as usize, pos[b] as usize));
    }
    let mut count = 0;
    for mut list in by_layer {
        list.sort_unstable();
        let size = list.iter().map(|s| s.1 + 1).max().unwrap_or(0);
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, lower)) in list.iter().enumerate() {
            // Steps seen so far whose lower end lies beyond this one's cross it.
            let mut at_most = 0;
            let mut i = lower + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            count += seen - at_most;
            let mut i = lower + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    count
}
