//! What one routing pass leaves for the next: each edge's route and what it depended on,
//! and which of those routes are still good when the next pass starts.

use super::*;

/// What a routing pass leaves for the next one: each edge's route and what it depended on.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    pub(super) entries: Vec<Option<Entry>>,
    pub(super) tiles: Vec<Rect>,
    pub(super) labels: Vec<Rect>,
    pub(super) groups: Vec<Rect>,
    pub(super) captions: Vec<Rect>,
}

#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub(super) request: EdgeRequest,
    pub(super) ends: (Rect, Rect),
    pub(super) sides: (Side, Side),
    pub(super) ports: (f32, f32),
    pub(super) points: Vec<Pos>,
}

/// A side and where along it (0 to 1) a port sits.
pub(super) type SidePort = (Side, f32);

impl Cache {
    /// The cache of the same routes after every shape moved by `d`: each route moved
    /// along, the obstacles recorded as `shapes` now stand (so the next pass finds nothing
    /// changed and keeps every route).
    pub fn follow(&mut self, shapes: &Shapes<'_>, d: Pos) {
        for entry in self.entries.iter_mut().flatten() {
            entry.ends = (
                shapes.body(entry.request.from),
                shapes.body(entry.request.to),
            );
            for p in &mut entry.points {
                *p = p.offset(d.x, d.y);
            }
        }
        self.tiles = shapes.tiles.to_vec();
        self.labels = shapes.labels.to_vec();
        self.groups = shapes.groups.to_vec();
        self.captions = shapes.captions.to_vec();
    }
}

/// For each edge, its previous entry if the route is still good: the same request and end
/// boxes, and no obstacle that changed since now lying across it.
pub(super) fn reusable_entries(
    world: &World<'_>,
    previous: &Cache,
    edges: &[EdgeRequest],
) -> Vec<Option<Entry>> {
    let s = world.shapes;
    let same_counts =
        previous.tiles.len() == s.tiles.len() && previous.groups.len() == s.groups.len();
    if !same_counts {
        return vec![None; edges.len()];
    }
    let mut changed: Vec<(Obstacle, Rect)> = Vec::new();
    for i in 0..s.tiles.len() {
        if previous.tiles[i] != s.tiles[i] {
            changed.push((Obstacle::Tile(i), s.tiles[i]));
        }
        if previous.labels[i] != s.labels[i] {
            changed.push((Obstacle::Label(i), s.labels[i]));
        }
    }
    for i in 0..s.groups.len() {
        if previous.groups[i] != s.groups[i] {
            changed.push((Obstacle::Group(i), s.groups[i]));
        }
        if previous.captions[i] != s.captions[i] {
            changed.push((Obstacle::Caption(i), s.captions[i]));
        }
    }
    // Changed obstacles indexed once, so each edge asks only about those near it.
    let changed_index = SpatialIndex::new(changed.iter().map(|(_, r)| *r).collect());
    edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let entry = previous.entries.get(i)?.as_ref()?;
            if entry.request != *e || entry.ends != (world.body(e.from), world.body(e.to)) {
                return None;
            }
            let area = geom::bounds(&entry.points).expand(TILE_CLEARANCE);
            let blocked = changed_index.query(&area).into_iter().any(|k| {
                let (kind, r) = changed[k];
                world.relevant(kind, Ask::of(edges, i))
                    && geom::polyline_enters(&entry.points, &r.expand(World::clearance(kind)))
            });
            (!blocked).then(|| entry.clone())
        })
        .collect()
}
