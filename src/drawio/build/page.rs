//! One draw.io page's cells indexed for the questions building asks: which shape an arrow's
//! end touches, which text names which icon, where a connector of an isometric drawing leads.

use super::*;

/// The page's cells with their places on the page and what each is.
pub(super) struct Page<'c, 'a> {
    pub(super) cells: &'c [Cell<'a>],
    pub(super) index: HashMap<&'c str, usize>,
    /// Where each vertex is drawn on the page (absolute), by cell index.
    pub(super) rects: Vec<Rect>,
    pub(super) kinds: Vec<Kind>,
    /// A card drawn behind one icon -> the icon, which arrows to the card reach.
    pub(super) card_of: HashMap<usize, usize>,
}

impl<'c, 'a> Page<'c, 'a> {
    pub(super) fn new(cells: &'c [Cell<'a>]) -> Self {
        let mut index = HashMap::new();
        for (i, c) in cells.iter().enumerate() {
            index.entry(c.id.as_str()).or_insert(i);
        }
        let mut page = Page {
            cells,
            index,
            rects: Vec::with_capacity(cells.len()),
            kinds: Vec::with_capacity(cells.len()),
            card_of: HashMap::new(),
        };
        for (i, c) in cells.iter().enumerate() {
            let origin = page.origin_of(i);
            let min = Pos::new(origin.x + c.x, origin.y + c.y);
            page.rects.push(Rect::from_min_max(
                min,
                Pos::new(min.x + c.width, min.y + c.height),
            ));
        }
        for i in 0..cells.len() {
            let kind = page.kind_by_style(i);
            page.kinds.push(kind);
        }
        page.find_plain_boxes();
        page.find_box_icons();
        page
    }

    /// An icon of a VPC, the AWS Cloud or a data centre sitting on the border of a box (how
    /// AWS 3 draws such boxes) makes the box that kind and belongs to it.
    pub(super) fn find_box_icons(&mut self) {
        for i in 0..self.cells.len() {
            let service = match &self.kinds[i] {
                Kind::Service { service, .. } => Some(service.as_str()),
                Kind::Unknown(_) => None,
                _ => continue,
            };
            let stencil = crate::drawio::role::stencil_name(&self.cells[i]);
            let Some(kind) = shapes().box_icon(service, stencil) else {
                continue;
            };
            let icon = self.rects[i];
            let reach = icon.width().max(icon.height()) / 2.0 + 6.0;
            let c = icon.center();
            let holder = (0..self.cells.len())
                .filter(|&j| j != i)
                .filter(|&j| match self.kinds[j] {
                    Kind::Plain => true,
                    Kind::Box { kind, aws } => kind == GroupKind::Generic || !aws,
                    _ => false,
                })
                .filter(|&j| {
                    let r = self.rects[j];
                    let on_border = to_outline(r, c).abs() <= reach;
                    let upper_half = c.y <= r.center().y;
                    let bigger = r.width() * r.height() > 4.0 * icon.width() * icon.height();
                    on_border && upper_half && bigger
                })
                .min_by(|&a, &b| {
                    let area = |k: usize| self.rects[k].width() * self.rects[k].height();
                    area(a).total_cmp(&area(b))
                });
            if let Some(j) = holder {
                self.kinds[j] = Kind::Box { kind, aws: true };
                self.kinds[i] = Kind::BoxIcon;
            }
        }
    }

    pub(super) fn parent(&self, i: usize) -> Option<usize> {
        self.index.get(self.cells[i].parent.as_str()).copied()
    }

    /// The absolute top-left corner a cell's geometry is relative to: the sum of its vertex
    /// ancestors' corners (at most 64 of them, so a parent loop ends).
    pub(super) fn origin_of(&self, i: usize) -> Pos {
        let (mut x, mut y) = (0.0f32, 0.0f32);
        let mut at = self.parent(i);
        for _ in 0..64 {
            let Some(p) = at.filter(|&p| self.cells[p].vertex && p != i) else {
                break;
            };
            x += self.cells[p].x;
            y += self.cells[p].y;
            at = self.parent(p);
        }
        let clamp = |v: f32| v.clamp(-SANE_COORDINATE, SANE_COORDINATE);
        Pos::new(clamp(x), clamp(y))
    }

    pub(super) fn kind_by_style(&self, i: usize) -> Kind {
        let c = &self.cells[i];
        if !c.vertex {
            return Kind::Decoration;
        }
        if self.parent(i).is_some_and(|p| self.cells[p].edge) {
            return Kind::EdgeLabel;
        }
        if crate::drawio::role::iso_connector(c).is_some() {
            return Kind::Decoration;
        }
        match role(c) {
            Role::Service(row) => Kind::Service {
                service: row.service.clone(),
                props: row.props.clone(),
                aws: true,
            },
            Role::Own(service) => Kind::Service {
                service,
                props: BTreeMap::new(),
                aws: true,
            },
            Role::Picture(service) => Kind::Service {
                service: service.to_string(),
                props: BTreeMap::new(),
                aws: false,
            },
            Role::Group(kind) => Kind::Box { kind, aws: true },
            Role::Text => Kind::Text,
            Role::Plain => Kind::Plain,
            Role::Unknown(name) => Kind::Unknown(name),
            Role::Decoration => Kind::Decoration,
        }
    }

    /// Plain shapes that are boxes: containers, shapes holding others, boxes drawn around
    /// services, and large boxes labelled or coloured as a kind (an empty subnet is one).
    pub(super) fn find_plain_boxes(&mut self) {
        let holds_vertices: HashSet<usize> = (0..self.cells.len())
            .filter(|&i| self.cells[i].vertex)
            .filter_map(|i| self.parent(i))
            .collect();
        let drawn: Vec<usize> = (0..self.cells.len())
            .filter(|&i| matches!(self.kinds[i], Kind::Service { .. } | Kind::Box { .. }))
            .collect();
        for i in 0..self.cells.len() {
            if self.kinds[i] != Kind::Plain {
                continue;
            }
            let c = &self.cells[i];
            let r = self.rects[i];
            let area = r.width() * r.height();
            let held: Vec<f32> = drawn
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| self.rects[j])
                .filter(|o| r.contains(o.center()) && o.width() * o.height() < area)
                .map(|o| o.width() * o.height())
                .collect();
            // An unlabelled card drawn close behind one icon is its background, not a box.
            let card = held.len() == 1 && c.label.is_empty() && area < 4.0 * held[0];
            if card {
                let icon = drawn
                    .iter()
                    .copied()
                    .find(|&j| j != i && r.contains(self.rects[j].center()));
                if let Some(icon) = icon {
                    self.card_of.insert(i, icon);
                }
            }
            let around_something = !held.is_empty() && !card;
            let named = plain_box_kind(c);
            let swimlane = c.style.bare().contains(&"swimlane") || shape_name(c) == "swimlane";
            let container = c.style.flag("container") || holds_vertices.contains(&i) || swimlane;
            let large = r.width() >= 100.0 && r.height() >= 60.0;
            if (container && !card) || around_something || (named.is_some() && large) {
                self.kinds[i] = Kind::Box {
                    kind: named.unwrap_or(GroupKind::Generic),
                    aws: named.is_some(),
                };
            }
        }
    }
}

/// A text box's name for an icon: how far it is, favouring below, then beside, then above.
pub(super) fn naming_gap(icon: Rect, text: Rect) -> Option<f32> {
    let overlap_x = text.min.x < icon.max.x + 24.0 && text.max.x > icon.min.x - 24.0;
    let overlap_y = text.min.y < icon.max.y && text.max.y > icon.min.y;
    if icon.contains(text.center()) {
        return Some(0.0);
    }
    let below = text.min.y - icon.max.y;
    if overlap_x && (-6.0..=NAME_REACH).contains(&below) {
        return Some(below.max(0.0));
    }
    let right = text.min.x - icon.max.x;
    let left = icon.min.x - text.max.x;
    for side in [right, left] {
        if overlap_y && (-6.0..=NAME_REACH).contains(&side) {
            return Some(side.max(0.0) + 12.0);
        }
    }
    let above = icon.min.y - text.max.y;
    if overlap_x && (-6.0..=NAME_REACH / 2.0).contains(&above) {
        return Some(above.max(0.0) + 24.0);
    }
    None
}

/// Distance from a point to a rectangle's outline: negative inside (how far in from the
/// nearest side), positive outside.
pub(super) fn to_outline(r: Rect, p: Pos) -> f32 {
    let dx = (r.min.x - p.x).max(p.x - r.max.x);
    let dy = (r.min.y - p.y).max(p.y - r.max.y);
    if dx <= 0.0 && dy <= 0.0 {
        dx.max(dy)
    } else {
        dx.max(0.0).hypot(dy.max(0.0))
    }
}

/// The AWS 3D connector shapes of a page, each with the two points (absolute) it joins: its
/// arrow's corners, or, for a plain connector, the diagonal whose two ends reach shapes.
pub(super) fn iso_connectors(
    page: &Page<'_, '_>,
    reachable: &[usize],
) -> HashMap<usize, (Pos, Pos)> {
    let mut out = HashMap::new();
    for (i, cell) in page.cells.iter().enumerate() {
        let Some(kind) = crate::drawio::role::iso_connector(cell) else {
            continue;
        };
        let r = page.rects[i];
        let corner = |(right, bottom): (bool, bool)| {
            Pos::new(
                if right { r.max.x } else { r.min.x },
                if bottom { r.max.y } else { r.min.y },
            )
        };
        let candidates = match kind {
            Some([a, b]) => vec![(corner(a), corner(b))],
            None => vec![
                (corner((false, true)), corner((true, false))),
                (corner((false, false)), corner((true, true))),
            ],
        };
        let joins = |&(a, b): &(Pos, Pos)| {
            let (from, to) = (
                reach(page, reachable, a, Some(b)),
                reach(page, reachable, b, Some(a)),
            );
            matches!((from, to), (Some(f), Some(t)) if f != t && f != i && t != i)
        };
        if let Some(&ends) = candidates.iter().find(|c| joins(c)) {
            out.insert(i, ends);
        }
    }
    out
}

/// How far past a loose end an arrow is followed to the shape it points at: people leave a
/// gap between an arrow and an icon.
pub(super) const REACH: f32 = 40.0;

/// The shape a loose arrow end at `p` reaches: one whose outline it lies on (a box only at
/// its border), the smallest first; else the nearest shape within [`REACH`] that the line,
/// continued from `along` through `p`, runs into.
pub(super) fn reach(
    page: &Page<'_, '_>,
    reachable: &[usize],
    p: Pos,
    along: Option<Pos>,
) -> Option<usize> {
    let area = |i: usize| page.rects[i].width() * page.rects[i].height();
    let on_outline = reachable
        .iter()
        .copied()
        .filter(|&i| {
            let d = to_outline(page.rects[i], p);
            match page.kinds[i] {
                Kind::Box { .. } => d.abs() <= TOUCH,
                _ => d <= TOUCH,
            }
        })
        .min_by(|&a, &b| area(a).total_cmp(&area(b)));
    if on_outline.is_some() {
        return on_outline;
    }
    // A plain shape that became a box (a cloud with icons drawn on it) is reached anywhere
    // inside, when nothing in it is.
    let inside_plain_box = || {
        reachable
            .iter()
            .copied()
            .filter(|&i| matches!(page.kinds[i], Kind::Box { aws: false, .. }))
            .filter(|&i| to_outline(page.rects[i], p) <= 0.0)
            .min_by(|&a, &b| area(a).total_cmp(&area(b)))
    };
    let Some(along) = along else {
        return inside_plain_box();
    };
    let (dx, dy) = (p.x - along.x, p.y - along.y);
    let length = dx.hypot(dy);
    if length < 1e-3 {
        return inside_plain_box();
    }
    let (ux, uy) = (dx / length, dy / length);
    reachable
        .iter()
        .copied()
        .filter(|&i| !matches!(page.kinds[i], Kind::Box { .. }))
        .filter_map(|i| {
            let r = page.rects[i];
            let d = to_outline(r, p);
            if !(TOUCH..=REACH).contains(&d) {
                return None;
            }
            let ahead = Pos::new(p.x + ux * d, p.y + uy * d);
            (to_outline(r, ahead) <= TOUCH).then_some((d, i))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i)| i)
        .or_else(inside_plain_box)
}
