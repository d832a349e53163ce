//! What a press, drag and release on the canvas does, as a state machine over pointer input
//! in canvas units. No egui here: the canvas turns egui's responses into [`Pointer`] frames
//! and paints the [`Feedback`], so every gesture is tested on plain designs and scenes.

use std::collections::BTreeSet;

use super::super::edits::Edits;
use super::guides;
use super::hit::{Carried, group_at, moved_segment, node_at};
use crate::edit::{EditCommand, ops};
use crate::model::{Design, EdgeId, ElementId, ElementRef, NodeId, Pos, Rect};
use crate::scene::{Scene, style};

/// A gesture under way, from press to release.
pub enum Gesture {
    /// Moving the selection; `base` is the design when the drag began, so every frame
    /// writes absolute positions and the whole drag merges into one undo step.
    Move {
        base: Box<Design>,
        /// The layout when the drag began: a group box follows its members while they move,
        /// so dropping into or out of a group is judged against the boxes as they were.
        base_scene: Box<Scene>,
        start: Pos,
        key: String,
        /// What the move carries, for telling which groups it may drop into.
        carried: Carried,
        /// The selection when the drag began, and what moving it moves.
        moving: Vec<ElementRef>,
        plan: ops::MovePlan,
        /// The tiles of the services that stay, which alignment guides look at (none when
        /// the move is too large to look for guides).
        still: Vec<Rect>,
        /// The offset last written: a frame where the pointer rests writes nothing, so
        /// the design (and its findings) stay as they are.
        written: std::cell::Cell<Option<(f32, f32)>>,
    },
    /// Drawing a new edge from a node's handle.
    Connect { from: NodeId },
    /// Dragging one inner segment of a right-angled edge sideways; the route's bends are
    /// stored on the edge.
    Segment {
        edge: EdgeId,
        /// Which segment: from `base[k]` to `base[k + 1]`.
        k: usize,
        base: Vec<Pos>,
        /// The boxes the edge runs between, along whose sides its end segments may slide.
        ends: (Rect, Rect),
        start: Pos,
        key: String,
    },
    /// Dragging a selection rectangle over the background.
    BoxSelect { start: Pos, additive: bool },
}

/// One frame of the primary pointer, in canvas units.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pointer {
    /// Where it is, if over the window.
    pub at: Option<Pos>,
    /// Whether the button is held.
    pub down: bool,
    /// Whether the button was let go this frame.
    pub released: bool,
    /// Whether moves land on the 10-unit grid (on by default; Alt holds it off).
    pub snap: bool,
}

impl Pointer {
    /// Whether the gesture ends this frame.
    fn ends(&self) -> bool {
        self.released || !self.down
    }
}

/// What the canvas draws while a gesture is under way, in canvas units.
#[derive(Clone, Debug, PartialEq)]
pub enum Feedback {
    Nothing,
    /// A selection moving: the group it would land in, and the alignment guides it meets.
    Moving {
        target: Option<Rect>,
        guides: Vec<(Pos, Pos)>,
    },
    /// A new edge being drawn, and the tile it would connect to.
    Connecting {
        from: Pos,
        to: Pos,
        target: Option<Rect>,
    },
    /// The selection rectangle.
    Area(Rect),
}

/// A click on an element: select it alone, or with Shift/Ctrl add or remove it.
pub fn click(selection: &mut BTreeSet<ElementRef>, element: Option<ElementRef>, toggle: bool) {
    match element {
        Some(e) if toggle => {
            if selection.contains(&e) {
                selection.remove(&e);
            } else {
                selection.insert(e);
            }
        }
        Some(e) => {
            selection.clear();
            selection.insert(e);
        }
        None if !toggle => selection.clear(),
        None => {}
    }
}

impl Gesture {
    /// Starts moving the selection from `at`, first adding `element` to it when it is not in
    /// it (alone, unless `toggle`).
    pub fn start_move(
        design: &Design,
        scene: &Scene,
        selection: &mut BTreeSet<ElementRef>,
        element: ElementRef,
        toggle: bool,
        at: Pos,
        key: String,
    ) -> Gesture {
        if !selection.contains(&element) {
            if !toggle {
                selection.clear();
            }
            selection.insert(element);
        }
        let moving: Vec<ElementRef> = selection.iter().cloned().collect();
        let plan = ops::MovePlan::new(design, &moving);
        Gesture::Move {
            carried: Carried::new(design, selection),
            still: still_tiles(design, scene, &plan),
            plan,
            moving,
            base: Box::new(design.clone()),
            base_scene: Box::new(scene.clone()),
            start: at,
            key,
            written: std::cell::Cell::new(None),
        }
    }

    /// Advances the gesture by one frame: edits go into `edits`, a finished box selection
    /// into `selection`. Returns what to draw, and `None` once the gesture is over.
    pub fn update(
        &self,
        pointer: Pointer,
        design: &Design,
        scene: &Scene,
        selection: &mut BTreeSet<ElementRef>,
        edits: &mut Edits,
    ) -> Option<Feedback> {
        match self {
            Gesture::Move {
                base,
                base_scene,
                start,
                key,
                carried,
                moving,
                plan,
                still,
                written,
            } => {
                let Some(now) = pointer.at else {
                    return Some(Feedback::Nothing);
                };
                let (mut dx, mut dy) =
                    snapped_delta(base, moving, now.x - start.x, now.y - start.y, pointer.snap);
                let mut guide_lines = Vec::new();
                if pointer.snap && !still.is_empty() {
                    let tiles: Vec<Rect> = plan
                        .positions(dx, dy)
                        .map(|p| Rect::from_center_size(p, style::TILE, style::TILE))
                        .collect();
                    let found = guides::find(&tiles, still.iter().copied());
                    (dx, dy) = (dx + found.shift.0, dy + found.shift.1);
                    guide_lines = found.lines;
                }
                let command = plan.by(dx, dy);
                if let Some(cmd) = command
                    && written.replace(Some((dx, dy))) != Some((dx, dy))
                {
                    edits.push_merged(cmd, key);
                }
                if pointer.ends() {
                    drop_into_groups(
                        design,
                        base,
                        base_scene,
                        scene,
                        moving,
                        carried,
                        (dx, dy),
                        key,
                        edits,
                    );
                    edits.seal();
                    return None;
                }
                let target = group_at(base, base_scene, now, carried).and_then(|id| {
                    base_scene
                        .groups
                        .iter()
                        .find(|g| base.groups()[g.index].id == id)
                        .map(|g| g.rect)
                });
                Some(Feedback::Moving {
                    target,
                    guides: guide_lines,
                })
            }
            Gesture::Segment {
                edge: id,
                k,
                base,
                ends,
                start,
                key,
            } => {
                if let Some(now) = pointer.at
                    && let Some(edge) = design.edge(*id)
                {
                    let moved = moved_segment(base, *k, now.x - start.x, now.y - start.y, *ends);
                    let mut bends = moved[1..moved.len() - 1].to_vec();
                    if let [a, b] = moved[..] {
                        // A straight route slid along its sides: its middle holds the place.
                        bends.push(Pos::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
                    }
                    if bends != edge.bends {
                        edits.push_merged(
                            EditCommand::SetRoute {
                                edge: *id,
                                style: edge.style,
                                bends,
                            },
                            key,
                        );
                    }
                }
                if pointer.ends() {
                    edits.seal();
                    return None;
                }
                Some(Feedback::Nothing)
            }
            Gesture::Connect { from } => {
                let now = pointer.at?;
                let target: Option<ElementId> = node_at(design, scene, now)
                    .map(ElementId::from)
                    .or_else(|| {
                        group_at(design, scene, now, &Carried::nothing()).map(ElementId::from)
                    });
                let from_end = ElementId::from(from);
                if pointer.ends() {
                    if let Some(cmd) = target.and_then(|t| ops::connect(design, &from_end, &t)) {
                        let id = design.next_edge_id();
                        edits.push(cmd);
                        edits.select = Some(BTreeSet::from([ElementRef::Edge(id)]));
                    }
                    return None;
                }
                let tile_of = |id: &ElementId| {
                    let index = design.node_index(id)?;
                    scene
                        .nodes
                        .iter()
                        .find(|n| n.index == index)
                        .map(|n| n.tile)
                };
                let Some(origin) = tile_of(&from_end) else {
                    return Some(Feedback::Nothing);
                };
                Some(Feedback::Connecting {
                    from: origin.center(),
                    to: now,
                    target: target.filter(|t| t != &from_end).and_then(|t| tile_of(&t)),
                })
            }
            Gesture::BoxSelect { start, additive } => {
                let now = pointer.at?;
                let area = Rect::from_min_max(
                    Pos::new(start.x.min(now.x), start.y.min(now.y)),
                    Pos::new(start.x.max(now.x), start.y.max(now.y)),
                );
                if pointer.ends() {
                    if !additive {
                        selection.clear();
                    }
                    for n in scene.nodes.iter().filter(|n| area.contains_rect(&n.tile)) {
                        selection.insert(ElementRef::Node(design.nodes()[n.index].id.clone()));
                    }
                    for g in scene.groups.iter().filter(|g| area.contains_rect(&g.rect)) {
                        selection.insert(ElementRef::Group(design.groups()[g.index].id.clone()));
                    }
                    return None;
                }
                Some(Feedback::Area(area))
            }
        }
    }
}

/// How far a move goes: as the pointer went, or, snapping, so that the first moved service
/// (or sized box) lands on the grid; a selection without either moves in whole grid steps.
fn snapped_delta(base: &Design, moving: &[ElementRef], dx: f32, dy: f32, snap: bool) -> (f32, f32) {
    if !snap {
        return (dx, dy);
    }
    let anchor = moving.iter().find_map(|e| match e {
        ElementRef::Node(id) => base.node(id).map(|n| n.pos),
        ElementRef::Group(id) => base
            .group(id)
            .and_then(|g| g.frame)
            .map(|f| Pos::new(f.x, f.y)),
        ElementRef::Edge(_) => None,
    });
    let anchor = anchor.unwrap_or_default();
    let landed = ops::snap_to_grid(Pos::new(anchor.x + dx, anchor.y + dy));
    (landed.x - anchor.x, landed.y - anchor.y)
}

/// The tiles of the services a move leaves where they are, for alignment guides: worked out
/// once when the drag starts. None when the move is too large to look for guides.
fn still_tiles(design: &Design, scene: &Scene, plan: &ops::MovePlan) -> Vec<Rect> {
    if plan.node_count() == 0 || plan.node_count() > guides::MOST_MOVED {
        return Vec::new();
    }
    let moved: std::collections::HashSet<&str> = plan.node_ids().map(NodeId::as_str).collect();
    scene
        .nodes
        .iter()
        .filter(|n| {
            design
                .nodes()
                .get(n.index)
                .is_some_and(|d| !moved.contains(d.id.as_str()))
        })
        .map(|n| n.tile)
        .collect()
}

/// On release of a move: each moved node or group whose parent did not move with it joins
/// the group it was dropped in (or leaves its group for the top level).
#[allow(clippy::too_many_arguments)]
fn drop_into_groups(
    design: &Design,
    base: &Design,
    base_scene: &Scene,
    scene: &Scene,
    moving: &[ElementRef],
    carried: &Carried,
    (dx, dy): (f32, f32),
    key: &str,
    edits: &mut Edits,
) {
    // Resolved once: a select-all drop of 10,000 services must not search per service.
    let group_slot: std::collections::HashMap<&str, usize> = scene
        .groups
        .iter()
        .enumerate()
        .map(|(k, g)| (design.groups()[g.index].id.as_str(), k))
        .collect();
    for sel in moving {
        let Some(id) = sel.element_id() else {
            continue;
        };
        let current = carried.parent(&id);
        if current.is_some_and(|p| carried.carries(p)) {
            continue; // its group moves with it
        }
        let center = match sel {
            ElementRef::Node(_) => base.node(&id).map(|n| n.pos.offset(dx, dy)),
            _ => group_slot
                .get(id.as_str())
                .map(|&k| scene.groups[k].rect.min.offset(10.0, 10.0)),
        };
        let Some(c) = center else { continue };
        let target = group_at(base, base_scene, c, carried);
        if target.as_ref() == current {
            continue;
        }
        if let Some(cmd) = ops::reparent(design, &id, target.as_ref()) {
            edits.push_merged(cmd, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::edits::Queued;
    use super::*;
    use crate::edit::{History, apply};
    use crate::model::GroupKind;
    use crate::model::nid;

    /// Two services 300 apart and an empty VPC box to the right of them.
    fn design() -> Design {
        let mut d = Design::default();
        for (service, x) in [("s3", 0.0), ("athena", 300.0)] {
            let (cmd, _) = ops::add_node(&d, service, Pos::new(x, 0.0), None);
            apply(&mut d, cmd).unwrap();
        }
        let (cmd, _) = ops::add_empty_group(&d, GroupKind::Vpc, Pos::new(600.0, -100.0), None);
        apply(&mut d, cmd).unwrap();
        d
    }

    fn at(x: f32, y: f32, down: bool, released: bool) -> Pointer {
        Pointer {
            at: Some(Pos::new(x, y)),
            down,
            released,
            snap: true,
        }
    }

    /// Presses on the `s3` service (at the origin) to move it.
    fn grab_s3(d: &Design, scene: &Scene, selection: &mut BTreeSet<ElementRef>) -> Gesture {
        Gesture::start_move(
            d,
            scene,
            selection,
            ElementRef::Node(nid("s3")),
            false,
            Pos::new(0.0, 0.0),
            "drag-1".into(),
        )
    }

    /// Runs the gesture over pointer frames and applies its edits as the app would.
    fn drive(
        gesture: Gesture,
        frames: &[Pointer],
        d: &mut Design,
        selection: &mut BTreeSet<ElementRef>,
    ) -> (Vec<Option<Feedback>>, History) {
        let mut history = History::default();
        let mut shown = Vec::new();
        for p in frames {
            let scene = crate::scene::build(d);
            let mut edits = Edits::default();
            shown.push(gesture.update(*p, d, &scene, selection, &mut edits));
            for q in edits.queue {
                match q {
                    Queued::Command(c, key) => history.apply(d, c, key.as_deref()).unwrap(),
                    Queued::Fix { command, .. } => history.apply(d, command, None).unwrap(),
                    Queued::Seal => history.seal(),
                }
            }
            if let Some(s) = edits.select {
                *selection = s;
            }
        }
        (shown, history)
    }

    #[test]
    fn a_move_drags_the_node_and_drops_it_into_the_box_as_one_undo_step() {
        let mut d = design();
        let scene = crate::scene::build(&d);
        let mut selection = BTreeSet::new();
        let g = grab_s3(&d, &scene, &mut selection);
        let frames = [
            at(100.0, 0.0, true, false),
            at(700.0, 0.0, true, false),
            at(700.0, 0.0, false, true),
        ];
        let (shown, mut history) = drive(g, &frames, &mut d, &mut selection);
        assert!(matches!(
            &shown[0],
            Some(Feedback::Moving { target: None, .. })
        ));
        assert!(
            matches!(
                &shown[1],
                Some(Feedback::Moving {
                    target: Some(_),
                    ..
                })
            ),
            "{shown:?}"
        );
        assert_eq!(shown[2], None, "release ends the gesture");
        assert_eq!(d.node(nid("s3")).unwrap().pos, Pos::new(700.0, 0.0));
        assert_eq!(d.groups()[0].children, ["s3"], "dropped into the VPC");
        assert!(history.undo(&mut d));
        assert_eq!(d, design(), "the whole drag is one step");
    }

    #[test]
    fn moves_land_on_the_grid_unless_snapping_is_held_off() {
        for (snap, expected) in [
            (true, Pos::new(100.0, 50.0)),
            (false, Pos::new(103.7, 48.2)),
        ] {
            let mut d = design();
            let scene = crate::scene::build(&d);
            let mut selection = BTreeSet::new();
            let g = grab_s3(&d, &scene, &mut selection);
            let release = Pointer {
                snap,
                ..at(103.7, 48.2, false, true)
            };
            drive(g, &[release], &mut d, &mut selection);
            let pos = d.node(nid("s3")).unwrap().pos;
            assert!(
                (pos.x - expected.x).abs() < 1e-3 && (pos.y - expected.y).abs() < 1e-3,
                "{pos:?}"
            );
        }
    }

    #[test]
    fn connecting_two_nodes_adds_one_edge_and_selects_it() {
        let mut d = design();
        let mut selection = BTreeSet::new();
        let g = Gesture::Connect { from: nid("s3") };
        let frames = [at(300.0, 0.0, true, false), at(300.0, 0.0, false, true)];
        let (shown, _) = drive(g, &frames, &mut d, &mut selection);
        assert!(
            matches!(
                shown[0],
                Some(Feedback::Connecting {
                    target: Some(_),
                    ..
                })
            ),
            "{shown:?}"
        );
        assert_eq!(d.edges().len(), 1);
        assert_eq!(
            (d.edges()[0].from.as_str(), d.edges()[0].to.as_str()),
            ("s3", "athena")
        );
        assert_eq!(
            selection,
            BTreeSet::from([ElementRef::Edge(d.edges()[0].id)])
        );
    }

    #[test]
    fn releasing_a_connection_over_nothing_adds_nothing() {
        let mut d = design();
        let mut selection = BTreeSet::new();
        let g = Gesture::Connect { from: nid("s3") };
        let frames = [at(150.0, 300.0, false, true)];
        drive(g, &frames, &mut d, &mut selection);
        assert!(d.edges().is_empty());
    }

    #[test]
    fn a_box_selects_what_lies_wholly_inside_it() {
        let mut d = design();
        let mut selection = BTreeSet::from([ElementRef::Node(nid("athena"))]);
        let g = Gesture::BoxSelect {
            start: Pos::new(-100.0, -100.0),
            additive: false,
        };
        let frames = [at(100.0, 100.0, true, false), at(100.0, 100.0, false, true)];
        let (shown, _) = drive(g, &frames, &mut d, &mut selection);
        assert!(matches!(shown[0], Some(Feedback::Area(_))));
        assert_eq!(selection, BTreeSet::from([ElementRef::Node(nid("s3"))]));
    }

    #[test]
    fn clicks_select_alone_or_toggle() {
        let mut selection = BTreeSet::new();
        let a = ElementRef::Node(nid("a"));
        let b = ElementRef::Node(nid("b"));
        click(&mut selection, Some(a.clone()), false);
        click(&mut selection, Some(b.clone()), true);
        assert_eq!(selection.len(), 2);
        click(&mut selection, Some(a.clone()), true);
        assert_eq!(selection, BTreeSet::from([b.clone()]));
        click(&mut selection, None, true);
        assert_eq!(
            selection.len(),
            1,
            "a toggle-click on nothing keeps the selection"
        );
        click(&mut selection, None, false);
        assert!(selection.is_empty());
    }
}
