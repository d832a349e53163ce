//! Layers along the flow: cycles broken, each block on the longest path to it, and layers
//! too wide for the page spread over the layers next to them.

use super::*;

/// The flow links as edges of an acyclic graph: a link that closes a cycle in a depth-first
/// walk (in block order) is turned around.
pub(super) fn acyclic_flow(members: &[usize], links: &[Link]) -> Vec<(usize, usize)> {
    let n = members.iter().copied().max().map_or(0, |m| m + 1);
    let mut out_links: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, l) in links.iter().enumerate() {
        if !l.relation {
            out_links[l.a].push(i);
        }
    }
    // 0 = unseen, 1 = on the stack, 2 = done
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; links.len()];
    for &start in members {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(top) = stack.last_mut() {
            let v = top.0;
            if top.1 >= out_links[v].len() {
                state[v] = 2;
                stack.pop();
                continue;
            }
            let li = out_links[v][top.1];
            top.1 += 1;
            let w = links[li].b;
            match state[w] {
                0 => {
                    state[w] = 1;
                    stack.push((w, 0));
                }
                1 => reversed[li] = true,
                _ => {}
            }
        }
    }
    links
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.relation)
        .map(|(i, l)| if reversed[i] { (l.b, l.a) } else { (l.a, l.b) })
        .collect()
}

/// Layer = length of the longest flow path reaching the block.
pub(super) fn longest_path_layers(
    members: &[usize],
    flow: &[(usize, usize)],
    has_flow: &[bool],
    layer: &mut [usize],
) {
    let n = layer.len();
    let mut indegree = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in flow {
        indegree[b] += 1;
        succ[a].push(b);
    }
    let mut queue: std::collections::VecDeque<usize> = members
        .iter()
        .copied()
        .filter(|&b| has_flow[b] && indegree[b] == 0)
        .collect();
    for &b in &queue {
        layer[b] = 0;
    }
    while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            let candidate = layer[v] + 1;
            if layer[w] == usize::MAX || layer[w] < candidate {
                layer[w] = candidate;
            }
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
}

/// How many sources (or sinks) one layer holds before they are spread over several.
pub(super) const WIDEST_LAYER: usize = 6;

/// Spreads a layer of many sources (fourteen alarms watching one cache) or many sinks over
/// several adjacent layers, a few to each, so a fan-in or fan-out is drawn as a block of
/// columns rather than one column as tall as all of them. Sources move to layers before
/// the rest of their layer, sinks to layers after it; the layers beyond move along to make
/// room. One pass over the blocks, whatever the number of layers.
pub(super) fn spread_wide_layers(
    members: &[usize],
    flow: &[(usize, usize)],
    attached_to: &[usize],
    layer: &mut [usize],
) {
    let n = layer.len();
    let (mut has_in, mut has_out) = (vec![false; n], vec![false; n]);
    for &(a, b) in flow {
        has_out[a] = true;
        has_in[b] = true;
    }
    let free = |b: usize| attached_to[b] == usize::MAX && (has_in[b] || has_out[b]);
    let depth = members.iter().map(|&b| layer[b]).max().unwrap_or(0) + 1;
    // Each layer's sources and sinks, once, in block order.
    let mut sources: Vec<Vec<usize>> = vec![Vec::new(); depth];
    let mut sinks: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for &b in members.iter().filter(|&&b| free(b)) {
        if !has_in[b] {
            sources[layer[b]].push(b);
        } else if !has_out[b] {
            sinks[layer[b]].push(b);
        }
    }
    // The extra layers a set needs: none when it fits in one.
    let extra = |set: &[usize]| {
        if set.len() <= WIDEST_LAYER {
            0
        } else {
            set.len().div_ceil(WIDEST_LAYER) - 1
        }
    };
    // Where each old layer starts now: after every earlier layer and its extra columns.
    let mut start = vec![0usize; depth];
    for l in 1..depth {
        start[l] = start[l - 1] + 1 + extra(&sources[l - 1]) + extra(&sinks[l - 1]);
    }
    let old: Vec<usize> = layer.to_vec();
    for &b in members {
        let l = old[b];
        // Sources take the columns first, the rest of the layer follows, then the sinks.
        layer[b] = start[l] + extra(&sources[l]);
    }
    for l in 0..depth {
        for (set, first) in [
            (&sources[l], start[l]),
            (&sinks[l], start[l] + extra(&sources[l])),
        ] {
            if extra(set) == 0 {
                continue;
            }
            let per_column = set.len().div_ceil(extra(set) + 1);
            for (i, &b) in set.iter().enumerate() {
                layer[b] = first + i / per_column;
            }
        }
    }
    // Attached blocks stay in their partner's layer.
    for &m in members {
        layer[m] = layer[anchor(m, attached_to)];
    }
}

/// Blocks per layer in block order, attached blocks right after their partner.
pub(super) fn layer_lists(
    members: &[usize],
    layer: &[usize],
    attached_to: &[usize],
) -> Vec<Vec<usize>> {
    let depth = members.iter().map(|&b| layer[b]).max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for &b in members {
        if attached_to[b] == usize::MAX {
            layers[layer[b]].push(b);
        }
    }
    layers
}
