//! Boxes of a drawing: which box each service lies in (by where it is drawn when the file
//! does not say), and outermost boxes pulled apart where archsketch's padding makes them
//! overlap.

use super::*;

/// Puts every element in the innermost box drawn around it (a box in one strictly larger),
/// whatever draw.io's parent says; archsketch's own cells keep the parent they were written
/// with. A file whose own boxes would nest in a circle keeps no nesting of its own.
pub(super) fn place_in_boxes(
    page: &Page<'_, '_>,
    ids: &HashMap<usize, String>,
    group_cells: &[(usize, usize)],
    design: &mut Design,
) {
    let group_of_cell: HashMap<usize, usize> = group_cells.iter().copied().collect();
    let area = |r: &Rect| r.width() * r.height();
    let mut parent_of: Vec<Option<usize>> = vec![None; design.groups().len()];
    let mut placements: Vec<(usize, String)> = Vec::new();
    let mut zones: Vec<(String, String)> = Vec::new();
    let mut order: Vec<usize> = ids.keys().copied().collect();
    order.sort_unstable();
    for i in order {
        let cell = &page.cells[i];
        let own_group = group_of_cell.get(&i).copied();
        let ours = cell.style.get("archsketchService").is_some()
            || cell.style.get("archsketchGroup").is_some();
        let placed = if ours {
            let mut at = page.parent(i);
            let mut found = None;
            for _ in 0..64 {
                let Some(p) = at else { break };
                if let Some(&g) = group_of_cell.get(&p) {
                    found = Some(g);
                    break;
                }
                at = page.parent(p);
            }
            found
        } else {
            let rect = page.rects[i];
            let mut around: Vec<(usize, usize)> = group_cells
                .iter()
                .copied()
                .filter(|&(c, g)| {
                    let r = page.rects[c];
                    Some(g) != own_group
                        && match own_group {
                            Some(_) => r.contains_rect(&rect) && area(&r) > area(&rect),
                            None => r.contains(rect.center()),
                        }
                })
                .collect();
            around.sort_by(|a, b| {
                area(&page.rects[a.0])
                    .total_cmp(&area(&page.rects[b.0]))
                    .then(b.0.cmp(&a.0))
            });
            // The innermost box that the others around it hold in turn. An Availability Zone
            // drawn as a band across other boxes (a VPC spanning two zones, or a zone
            // crossing the VPC's border) is passed over; the zone it names is kept as the
            // element's `az`.
            let crosses = |a: usize, b: usize| {
                let (ra, rb) = (page.rects[a], page.rects[b]);
                !ra.contains_rect(&rb) && !rb.contains_rect(&ra)
            };
            type Boxes = Vec<(usize, usize)>;
            let (bands, kept): (Boxes, Boxes) = around.iter().partition(|&&(c, g)| {
                design.groups()[g].kind == GroupKind::AvailabilityZone
                    && around.iter().any(|&(o, _)| o != c && crosses(c, o))
            });
            let chain = if kept.is_empty() { &around } else { &kept };
            let nested = (0..chain.len()).find(|&k| {
                let inner = page.rects[chain[k].0];
                chain[k + 1..]
                    .iter()
                    .all(|&(c, _)| page.rects[c].contains_rect(&inner))
            });
            if !kept.is_empty() {
                for &(c, _) in &bands {
                    if !page.cells[c].label.is_empty() {
                        zones.push((ids[&i].clone(), page.cells[c].label.clone()));
                    }
                }
            }
            nested.map(|k| chain[k].1)
        };
        if let Some(g) = placed {
            if let Some(o) = own_group {
                parent_of[o] = Some(g);
            }
            placements.push((g, ids[&i].clone()));
        }
    }
    let circular = (0..parent_of.len()).any(|start| {
        let mut at = parent_of[start];
        for _ in 0..=parent_of.len() {
            match at {
                Some(g) if g == start => return true,
                Some(g) => at = parent_of[g],
                None => return false,
            }
        }
        true
    });
    if circular {
        return;
    }
    for (g, child) in placements {
        let parent = design.groups()[g].id.clone();
        let Some(child) = design.element_named(&child) else {
            debug_assert!(false, "every placed cell is drawn");
            continue;
        };
        let placed = design.move_into(&child, Some(&parent), usize::MAX);
        debug_assert!(placed.is_ok(), "the box exists");
    }
    for (id, zone) in zones {
        let props = match design.element_named(&id) {
            Some(ElementId::Node(n)) => design.node_mut(n).map(|n| n.props),
            Some(ElementId::Group(g)) => design.group_mut(g).map(|g| g.props),
            None => None,
        };
        let Some(props) = props else { continue };
        props.entry("az".into()).or_insert(zone);
    }
}

/// Boxes a drawing put side by side can overlap once archsketch pads them around their
/// labels. Of two outermost boxes that overlap without one holding the other, the one further
/// right (or lower, when they are stacked) moves clear by the overlap and a small gap,
/// contents and frames included; the rest of the drawing keeps its place.
pub(super) fn separate_top_boxes(design: &mut Design) {
    const GAP: f32 = 8.0;
    for _ in 0..design.groups().len().min(32) {
        let scene = crate::scene::build_layout_only(design);
        let top: Vec<&crate::scene::GroupShape> =
            scene.groups.iter().filter(|g| g.depth == 0).collect();
        let overlap = top.iter().enumerate().find_map(|(k, a)| {
            top[k + 1..].iter().find_map(|b| {
                let both = a.rect.intersection(b.rect);
                let nested = both == a.rect || both == b.rect;
                (!both.is_empty() && !nested).then_some((*a, *b, both))
            })
        });
        let Some((a, b, both)) = overlap else { return };
        // Move the later of the two along the axis they overlap less on.
        let sideways = both.width() <= both.height();
        let (mover, dx, dy) = if sideways {
            let mover = if b.rect.min.x >= a.rect.min.x { b } else { a };
            (mover, both.width() + GAP, 0.0)
        } else {
            let mover = if b.rect.min.y >= a.rect.min.y { b } else { a };
            (mover, 0.0, both.height() + GAP)
        };
        let id = design.groups()[mover.index].id.clone();
        let mut inside: HashSet<ElementId> = design.descendants(&id).into_iter().collect();
        inside.insert(id.into());
        for n in design
            .nodes_mut()
            .filter(|n| inside.contains(n.id.as_str()))
        {
            *n.pos = n.pos.offset(dx, dy);
        }
        for g in design
            .groups_mut()
            .filter(|g| inside.contains(g.id.as_str()))
        {
            if let Some(f) = *g.frame {
                *g.frame = Some(f.moved(dx, dy));
            }
        }
    }
}
