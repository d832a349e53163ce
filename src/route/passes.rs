//! One routing pass, as its steps in order: the routes a person shaped, then sides chosen by a
//! first route through the middle ports, then ports spread along shared sides, then final
//! routes through those ports, then segments nudged apart and labels placed, and last the
//! edges that run through another edge's label routed around it. Each step is a function;
//! [`route_within`] runs them and says which results the next step takes.

use super::*;

/// How many edges a pass with a budget routes at least, however long that takes.
const LEAST_PER_PASS: usize = 200;

/// The time a pass may spend on new routes, how many it has made, and whether it ran out
/// with routes left to make. The budget counts from the first new route: on a big design
/// building the world alone can take longer than a frame's budget, and every pass must still
/// route some edges, or the scene would stay unfinished forever.
struct Clock {
    started: Instant,
    budget: Option<Duration>,
    routed_now: usize,
    ran_out: bool,
}

impl Clock {
    fn start(budget: Option<Duration>) -> Self {
        Clock {
            started: Instant::now(),
            budget,
            routed_now: 0,
            ran_out: false,
        }
    }

    /// Whether there is time for one more new route (counted if so); when there is not, the
    /// pass is left unfinished.
    fn may_route(&mut self) -> bool {
        let out = self
            .budget
            .is_some_and(|b| self.routed_now >= LEAST_PER_PASS && self.started.elapsed() > b);
        if out {
            self.ran_out = true;
        } else {
            self.routed_now += 1;
        }
        !out
    }
}

/// The route an edge kept from the last pass, if it may.
fn kept(reusable: Option<&[Option<Entry>]>, i: usize) -> Option<&Entry> {
    reusable.and_then(|r| r[i].as_ref())
}

/// [`route_all`] among the obstacles in `window` only, when given.
pub(super) fn route_within(
    shapes: &Shapes<'_>,
    edges: &[EdgeRequest],
    previous: Option<&Cache>,
    budget: Option<Duration>,
    window: Option<Rect>,
) -> (Vec<Routed>, Cache, bool) {
    let world = World::new(shapes, &[], edges.len(), window);
    let reusable = previous.map(|p| reusable_entries(&world, p, edges));
    let reusable = reusable.as_deref();
    let mut clock = Clock::start(budget);

    let user = shaped_routes(&world, edges);
    let fixed: Vec<bool> = user.iter().map(Option::is_some).collect();
    let mut drawn = drawn_at_start(&user, reusable);
    let (sides, first) = choose_sides(&world, edges, &fixed, reusable, &mut drawn, &mut clock);
    let sketches: Vec<Option<&Vec<Pos>>> = (0..edges.len())
        .map(|i| {
            first[i]
                .as_ref()
                .or_else(|| kept(reusable, i).map(|e| &e.points))
        })
        .collect();
    let ports = spread_ports(&world, edges, &sides, &sketches);
    let chosen = Chosen {
        user: &user,
        sides: &sides,
        first: &first,
        ports: &ports,
    };
    let (mut routes, mut entries) =
        final_routes(&world, edges, &chosen, reusable, &mut drawn, &mut clock);
    nudge::nudge(&world, edges, &mut routes, &fixed);
    labels::place(&world, edges, &mut routes);
    around_labels(
        shapes,
        window,
        edges,
        &chosen,
        &fixed,
        &mut routes,
        &mut entries,
    );

    let cache = Cache {
        entries,
        tiles: shapes.tiles.to_vec(),
        labels: shapes.labels.to_vec(),
        groups: shapes.groups.to_vec(),
        captions: shapes.captions.to_vec(),
    };
    (routes, cache, clock.ran_out)
}

/// Step 0: routes a person shaped, where their bends still make a clear route.
fn shaped_routes(world: &World<'_>, edges: &[EdgeRequest]) -> Vec<Option<Vec<Pos>>> {
    edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (e.style == EdgeStyle::Orthogonal && !e.bends.is_empty())
                .then(|| world.user_route(Ask::of(edges, i), &e.bends))
                .flatten()
        })
        .collect()
}

/// Routes drawn so far, which later routes avoid crossing: the shaped ones and the kept ones
/// from the start, then each new one as it is found.
fn drawn_at_start(user: &[Option<Vec<Pos>>], reusable: Option<&[Option<Entry>]>) -> Drawn {
    let mut drawn = Drawn::default();
    for (i, route) in user.iter().enumerate() {
        let kept = kept(reusable, i).map(|e| &e.points);
        if let Some(points) = route.as_ref().or(kept) {
            drawn.set(i, points);
        }
    }
    drawn
}

/// What the first steps chose, for the steps after them.
struct Chosen<'c> {
    user: &'c [Option<Vec<Pos>>],
    sides: &'c [Option<(Side, Side)>],
    first: &'c [Option<Vec<Pos>>],
    ports: &'c [(f32, f32)],
}

/// Each edge's sides (from end, to end), if it has them.
type Sides = Vec<Option<(Side, Side)>>;

/// Step 1: each orthogonal edge's sides, kept from the cache, else chosen by a first route
/// with middle ports (which is kept as the edge's sketch).
fn choose_sides(
    world: &World<'_>,
    edges: &[EdgeRequest],
    fixed: &[bool],
    reusable: Option<&[Option<Entry>]>,
    drawn: &mut Drawn,
    clock: &mut Clock,
) -> (Sides, Vec<Option<Vec<Pos>>>) {
    let mut sides: Sides = vec![None; edges.len()];
    let mut first: Vec<Option<Vec<Pos>>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        if e.style != EdgeStyle::Orthogonal || fixed[i] || e.from == e.to {
            continue;
        }
        if let Some(entry) = kept(reusable, i) {
            sides[i] = Some(entry.sides);
            continue;
        }
        if !clock.may_route() {
            continue;
        }
        if let Some((pts, sa, sb)) = world.orthogonal(Ask::of(edges, i), None, Some(&*drawn)) {
            sides[i] = Some((sa, sb));
            drawn.set(i, &pts);
            first[i] = Some(pts);
        }
    }
    (sides, first)
}

/// Step 3: every edge's final route: straight or curved as its style says; orthogonal through
/// its ports, from the cache or the first route when those still fit, else routed again.
fn final_routes(
    world: &World<'_>,
    edges: &[EdgeRequest],
    chosen: &Chosen<'_>,
    reusable: Option<&[Option<Entry>]>,
    drawn: &mut Drawn,
    clock: &mut Clock,
) -> (Vec<Routed>, Vec<Option<Entry>>) {
    let mut routes: Vec<Routed> = Vec::with_capacity(edges.len());
    let mut entries: Vec<Option<Entry>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        let ends = (world.body(e.from), world.body(e.to));
        let mut routed = Routed::default();
        match e.style {
            EdgeStyle::Straight => routed.points = straight(world, e.from, e.to),
            EdgeStyle::Curved => routed.points = curved(world, e.from, e.to),
            EdgeStyle::Orthogonal => {
                if let Some(shaped) = &chosen.user[i] {
                    routed.points = shaped.clone();
                } else if let Some((sa, sb)) = chosen.sides[i] {
                    let (ta, tb) = chosen.ports[i];
                    let cached =
                        kept(reusable, i).filter(|c| c.ports == (ta, tb) && c.sides == (sa, sb));
                    let unchanged_first =
                        chosen.first[i].as_ref().filter(|_| ta == 0.5 && tb == 0.5);
                    // Kept and first routes are in `drawn` since step 1; a new one replaces
                    // the edge's first route there.
                    let points = if let Some(c) = cached {
                        Some(c.points.clone())
                    } else if let Some(p) = unchanged_first {
                        Some(p.clone())
                    } else if !clock.may_route() {
                        None
                    } else {
                        let routed = world
                            .orthogonal(
                                Ask::of(edges, i),
                                Some(((sa, ta), (sb, tb))),
                                Some(&*drawn),
                            )
                            .map(|(p, _, _)| p);
                        if let Some(p) = &routed {
                            drawn.set(i, p);
                        }
                        routed.or_else(|| chosen.first[i].clone())
                    };
                    if let Some(points) = points {
                        entries[i] = Some(Entry {
                            request: e.clone(),
                            ends,
                            sides: (sa, sb),
                            ports: (ta, tb),
                            points: points.clone(),
                        });
                        routed.points = points;
                    }
                }
                if routed.points.is_empty() {
                    routed.points = straight(world, e.from, e.to);
                    routed.fallback = true;
                }
            }
        }
        routes.push(routed);
    }
    (routes, entries)
}

/// Step 5: edges that run through another edge's label go around it (with the labels as
/// obstacles), and the segments are nudged apart again.
fn around_labels(
    shapes: &Shapes<'_>,
    window: Option<Rect>,
    edges: &[EdgeRequest],
    chosen: &Chosen<'_>,
    fixed: &[bool],
    routes: &mut [Routed],
    entries: &mut [Option<Entry>],
) {
    let label_boxes: Vec<Rect> = edges
        .iter()
        .zip(routes.iter())
        .map(|(e, r)| match (e.label, r.label_at) {
            (Some((w, h)), Some(at)) => Rect::from_center_size(at, w, h),
            _ => Rect::NOTHING,
        })
        .collect();
    let labels_at = SpatialIndex::new(label_boxes.clone());
    let crossing: Vec<usize> = (0..edges.len())
        .filter(|&i| {
            chosen.sides[i].is_some()
                && !fixed[i]
                && !routes[i].fallback
                && edges[i].style == EdgeStyle::Orthogonal
                && routes[i].points.windows(2).any(|w| {
                    labels_at
                        .query(&Rect::spanning(w[0], w[1]).expand(1.0))
                        .into_iter()
                        .any(|j| {
                            let r = &label_boxes[j];
                            j != i && !r.is_empty() && geom::polyline_enters(&routes[i].points, r)
                        })
                })
        })
        .collect();
    if crossing.is_empty() {
        return;
    }
    let world = World::new(shapes, &label_boxes, edges.len(), window);
    for i in crossing {
        let Some((sa, sb)) = chosen.sides[i] else {
            continue;
        };
        let (ta, tb) = chosen.ports[i];
        // The spread ports may sit right under the label; then any side will do.
        let rerouted = world
            .orthogonal(Ask::of(edges, i), Some(((sa, ta), (sb, tb))), None)
            .or_else(|| world.orthogonal(Ask::of(edges, i), None, None));
        if let Some((points, _, _)) = rerouted {
            if let Some(entry) = entries[i].as_mut() {
                entry.points = points.clone();
            }
            routes[i].points = points;
        }
    }
    nudge::nudge(&world, edges, routes, fixed);
}
