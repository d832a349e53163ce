//! Positions across the flow: each block pulled level with its neighbours, and blocks of
//! one layer kept apart by their sizes.

use super::*;

pub(super) fn anchor(b: usize, attached_to: &[usize]) -> usize {
    partner_chain(b, attached_to).last().unwrap_or(b)
}

/// Layer starts along the flow; positions across it that level each block with its
/// neighbours without overlapping the blocks before and after it in its layer.
pub(super) fn coordinates(
    blocks: &[Block],
    links: &[Link],
    layers: &[Vec<usize>],
    layer: &[usize],
    attached_to: &[usize],
    before: &[bool],
    gaps: Gaps,
) -> Vec<(f32, f32)> {
    let n = blocks.len();
    let mut u = vec![0.0f32; n];
    let mut start = 0.0;
    for list in layers {
        let width = list.iter().map(|&b| blocks[b].su).fold(0.0, f32::max);
        for &b in list {
            u[b] = start + (width - blocks[b].su) / 2.0;
        }
        start += width + gaps.layer;
    }
    let mut v = vec![0.0f32; n];
    for list in layers {
        let mut at = 0.0;
        for &b in list {
            v[b] = at;
            at += blocks[b].sv + gaps.cross;
        }
    }
    for sweep in 0..4 {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for l in order {
            let desired: Vec<f32> = layers[l]
                .iter()
                .map(|&b| {
                    if attached_to[b] != usize::MAX {
                        let p = attached_to[b];
                        return if before[b] {
                            v[p] - blocks[b].sv - gaps.cross
                        } else {
                            v[p] + blocks[p].sv + gaps.cross
                        };
                    }
                    let mut sum = 0.0;
                    let mut count = 0.0;
                    for k in links.iter().filter(|k| !k.relation) {
                        let (me, other, vme, vother) = if k.a == b {
                            (k.a, k.b, k.va, k.vb)
                        } else if k.b == b {
                            (k.b, k.a, k.vb, k.va)
                        } else {
                            continue;
                        };
                        let _ = me;
                        let before = layer[other] < l;
                        if before == forward && layer[other] != l {
                            sum += v[other] + vother - vme;
                            count += 1.0;
                        }
                    }
                    if count > 0.0 { sum / count } else { v[b] }
                })
                .collect();
            let placed = resolve(&layers[l], &desired, blocks, gaps.cross);
            for (&b, y) in layers[l].iter().zip(placed) {
                v[b] = y;
            }
        }
    }
    (0..n).map(|b| (u[b], v[b])).collect()
}

/// Positions as close to `desired` as the order and the gaps allow: overlapping blocks are
/// merged into runs placed at the mean of what their members want.
pub(super) fn resolve(list: &[usize], desired: &[f32], blocks: &[Block], gap: f32) -> Vec<f32> {
    // (first index, count, sum of desired starts relative to the run's start, size)
    let mut runs: Vec<(usize, f32, f32, f32)> = Vec::new();
    for (i, &b) in list.iter().enumerate() {
        let mut run = (i, 1.0, desired[i], blocks[b].sv);
        while let Some(&prev) = runs.last() {
            let prev_start = prev.2 / prev.1;
            let start = run.2 / run.1;
            if prev_start + prev.3 + gap <= start {
                break;
            }
            runs.pop();
            let shift = prev.3 + gap;
            run = (
                prev.0,
                prev.1 + run.1,
                prev.2 + run.2 - shift * run.1,
                prev.3 + gap + run.3,
            );
        }
        runs.push(run);
    }
    let mut out = vec![0.0; list.len()];
    for (k, run) in runs.iter().enumerate() {
        let end = runs.get(k + 1).map_or(list.len(), |r| r.0);
        let mut at = run.2 / run.1;
        for i in run.0..end {
            out[i] = at;
            at += blocks[list[i]].sv + gap;
        }
    }
    out
}
