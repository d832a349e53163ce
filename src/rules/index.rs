//! A read-only index over a design, built once per check: adjacency by id, flow neighbours,
//! enclosing groups and inherited properties. Rules ask it questions instead of walking
//! the design themselves. Elements, slots and parents are found through the design's own
//! lookups; this adds only what the design does not keep (each element's edges in order,
//! nodes by service, what boxes pass down).

use std::collections::VecDeque;

use crate::catalog::catalog;
use crate::model::NodeId;
pub use crate::model::idmap::{HashMap, HashSet};
use crate::model::{Design, Edge, EdgeId, EdgeKind, ElementId, Group, GroupId, GroupKind, Node};

/// How rules name an element: by a typed id, or by the text of one that the index handed
/// out (flows and reaches are text borrowed from the design, since findings print them).
/// The text is only ever an id of the design being checked.
pub trait IdText {
    /// The id's text.
    fn text(&self) -> &str;
}

impl IdText for str {
    fn text(&self) -> &str {
        self
    }
}

impl IdText for String {
    fn text(&self) -> &str {
        self
    }
}

impl IdText for NodeId {
    fn text(&self) -> &str {
        self.as_str()
    }
}

impl IdText for GroupId {
    fn text(&self) -> &str {
        self.as_str()
    }
}

impl IdText for ElementId {
    fn text(&self) -> &str {
        self.as_str()
    }
}

impl<T: IdText + ?Sized> IdText for &T {
    fn text(&self) -> &str {
        (**self).text()
    }
}

/// The design with its lookups.
pub struct Index<'a> {
    pub design: &'a Design,
    out: HashMap<&'a str, Vec<usize>>,
    inn: HashMap<&'a str, Vec<usize>>,
    /// Nodes by service, with their index in the design (so merged lists keep design order).
    by_service: HashMap<&'a str, Vec<(usize, &'a Node)>>,
    /// What each group passes down to what it holds, worked out on first use.
    inherited: std::sync::OnceLock<HashMap<&'a str, Inherited<'a>>>,
}

/// What an element inside a group inherits from it and the groups around it: the nearest
/// region and zone any of them names, and the kinds of all of them. Worked out once per group,
/// from the outside in, so asking for every element of a deep nest stays linear.
#[derive(Clone, Copy, Default)]
struct Inherited<'a> {
    region: Option<&'a str>,
    az: Option<&'a str>,
    /// One bit per [`GroupKind`] among this group and its ancestors.
    kinds: u32,
    /// The nearest Region group, for messages that name it.
    region_group: Option<&'a Group>,
}

impl<'a> Inherited<'a> {
    /// What a group passes on, given what it received from outside.
    fn through(outside: Inherited<'a>, g: &'a Group) -> Self {
        let own = |key: &str, kind: GroupKind| {
            g.props
                .get(key)
                .filter(|v| !v.is_empty())
                .map(String::as_str)
                .or_else(|| (g.kind == kind && !g.label.is_empty()).then_some(g.label.as_str()))
        };
        Inherited {
            region: own("region", GroupKind::Region).or(outside.region),
            az: own("az", GroupKind::AvailabilityZone).or(outside.az),
            kinds: outside.kinds | kind_bit(g.kind),
            region_group: if g.kind == GroupKind::Region {
                Some(g)
            } else {
                outside.region_group
            },
        }
    }
}

fn kind_bit(kind: GroupKind) -> u32 {
    1 << (kind as u32)
}

impl<'a> Index<'a> {
    /// Builds the index.
    pub fn new(design: &'a Design) -> Self {
        let mut out: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut inn: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, e) in design.edges().iter().enumerate() {
            out.entry(e.from.as_str()).or_default().push(i);
            inn.entry(e.to.as_str()).or_default().push(i);
        }
        let mut by_service: HashMap<&str, Vec<(usize, &Node)>> = HashMap::default();
        for (i, n) in design.nodes().iter().enumerate() {
            by_service
                .entry(n.service.as_str())
                .or_default()
                .push((i, n));
        }
        Self {
            design,
            out,
            inn,
            by_service,
            inherited: std::sync::OnceLock::new(),
        }
    }

    /// Each group's [`Inherited`], worked out outermost first (by [`Design::group_depths`]), so
    /// a group's parent is always known before it; a group in a containment circle (which
    /// validation refuses) inherits nothing.
    fn inherited(&self) -> &HashMap<&'a str, Inherited<'a>> {
        self.inherited.get_or_init(|| {
            let groups = &self.design.groups();
            let depths = self
                .design
                .group_depths()
                .unwrap_or_else(|_| vec![0; groups.len()]);
            let mut outside_in: Vec<usize> = (0..groups.len()).collect();
            outside_in.sort_by_key(|&i| depths[i]);
            let mut known: HashMap<&'a str, Inherited<'a>> = HashMap::default();
            for g in outside_in.into_iter().map(|i| &groups[i]) {
                let outside = self
                    .parent(&g.id)
                    .and_then(|p| known.get(p).copied())
                    .unwrap_or_default();
                known.insert(g.id.as_str(), Inherited::through(outside, g));
            }
            known
        })
    }

    /// What the groups around `id` pass down to it.
    fn inherited_by(&self, id: impl IdText) -> Inherited<'a> {
        let id = id.text();
        self.parent(id)
            .and_then(|p| self.inherited().get(p).copied())
            .unwrap_or_default()
    }

    /// The node with this id.
    pub fn node(&self, id: impl IdText) -> Option<&'a Node> {
        self.design.node_by_text(id.text()).map(|(_, n)| n)
    }

    /// Where a node (or group) stands in its list in the design, for design-order sorting.
    pub fn position(&self, id: impl IdText) -> usize {
        let id = id.text();
        let node = self.design.node_by_text(id).map(|(i, _)| i);
        node.or_else(|| self.design.group_by_text(id).map(|(i, _)| i))
            .unwrap_or(usize::MAX)
    }

    /// The index of a node in `Design::nodes` (None for groups and unknown ids).
    pub fn node_position(&self, id: impl IdText) -> Option<usize> {
        self.design.node_by_text(id.text()).map(|(i, _)| i)
    }

    /// The group directly containing `id`.
    pub fn parent(&self, id: impl IdText) -> Option<&'a str> {
        self.design
            .parent_id_of_text(id.text())
            .map(GroupId::as_str)
    }

    /// A fresh readable id from `base`, as [`Design::unique_id`] gives it but with hashed
    /// lookups, also avoiding `taken` (ids a fix is about to add).
    pub fn unique_id(&self, base: &str, taken: &[String]) -> String {
        crate::model::fresh_id(base, |id| {
            self.design.has_text_id(id) || taken.iter().any(|t| t == id)
        })
    }

    /// The node or group with this id, as an edge end names it (a node when it is neither,
    /// which validation would have refused).
    pub fn element(&self, id: impl IdText) -> ElementId {
        let id = id.text();
        match self.group(id) {
            Some(g) => ElementId::Group(g.id.clone()),
            None => ElementId::Node(NodeId::made(id)),
        }
    }

    /// The group with this id.
    pub fn group(&self, id: impl IdText) -> Option<&'a Group> {
        self.design.group_by_text(id.text()).map(|(_, g)| g)
    }

    /// The service of a node (None for groups and unknown ids).
    pub fn service(&self, id: impl IdText) -> Option<&'a str> {
        let id = id.text();
        self.node(id).map(|n| n.service.as_str())
    }

    /// Nodes of any of these services, in design order.
    pub fn of(&self, services: &[&str]) -> Vec<&'a Node> {
        self.of_at(services).into_iter().map(|(_, n)| n).collect()
    }

    /// [`Index::of`] with each node's position in `Design::nodes`, for work done by position.
    pub fn of_at(&self, services: &[&str]) -> Vec<(usize, &'a Node)> {
        let mut v: Vec<(usize, &Node)> = services
            .iter()
            .flat_map(|s| self.by_service.get(s).into_iter().flatten().copied())
            .collect();
        if services.len() > 1 {
            v.sort_by_key(|(i, _)| *i);
        }
        v
    }

    /// The edge with this id.
    pub fn edge(&self, id: EdgeId) -> Option<&'a Edge> {
        self.design.edge(id)
    }

    /// Where the edge with this id is in the design's list (for ordering findings).
    pub fn edge_position(&self, id: EdgeId) -> usize {
        self.design.edge_index(id).unwrap_or(usize::MAX)
    }

    /// Nodes of a catalog family (`kinesis`, `data_stores`, ...), in design order.
    pub fn of_family(&self, family: &str) -> Vec<&'a Node> {
        let services: Vec<&str> = catalog()
            .family(family)
            .iter()
            .map(String::as_str)
            .collect();
        self.of(&services)
    }

    /// Whether the node `id` is of a service in a catalog family.
    pub fn in_family(&self, id: impl IdText, family: &str) -> bool {
        let id = id.text();
        self.service(id)
            .is_some_and(|s| catalog().in_family(s, family))
    }

    /// Nodes whose service starts with `prefix` (e.g. every `kinesis*`).
    pub fn with_prefix(&self, prefix: &str) -> Vec<&'a Node> {
        self.design
            .nodes()
            .iter()
            .filter(|n| n.service.starts_with(prefix))
            .collect()
    }

    /// Edges leaving `id`, with their indices.
    pub fn out(&self, id: impl IdText) -> impl Iterator<Item = (usize, &'a Edge)> + '_ {
        let id = id.text();
        self.out
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.design.edges()[i]))
    }

    /// Edges arriving at `id`, with their indices.
    pub fn inn(&self, id: impl IdText) -> impl Iterator<Item = (usize, &'a Edge)> + '_ {
        let id = id.text();
        self.inn
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.design.edges()[i]))
    }

    /// Edges at `id` either way, with the id at the other end.
    pub fn touching(&self, id: impl IdText) -> Vec<(usize, &'a Edge, &'a str)> {
        let id = id.text();
        let mut v: Vec<(usize, &Edge, &str)> =
            self.out(id).map(|(i, e)| (i, e, e.to.as_str())).collect();
        v.extend(self.inn(id).map(|(i, e)| (i, e, e.from.as_str())));
        v
    }

    /// Ids reached by flow edges (not relations) leaving `id`.
    pub fn flow_out(&self, id: impl IdText) -> Vec<&'a str> {
        let id = id.text();
        self.out(id)
            .filter(|(_, e)| !e.kind.is_relation())
            .map(|(_, e)| e.to.as_str())
            .collect()
    }

    /// Ids whose flow edges arrive at `id`.
    pub fn flow_in(&self, id: impl IdText) -> Vec<&'a str> {
        let id = id.text();
        self.inn(id)
            .filter(|(_, e)| !e.kind.is_relation())
            .map(|(_, e)| e.from.as_str())
            .collect()
    }

    /// Ids connected to `id` by an edge of `kind`, either way.
    pub fn related(&self, id: impl IdText, kind: EdgeKind) -> Vec<&'a str> {
        let id = id.text();
        self.touching(id)
            .into_iter()
            .filter(|(_, e, _)| e.kind == kind)
            .map(|(_, _, o)| o)
            .collect()
    }

    /// Whether any node upstream of `id` (along flow edges) satisfies `pred`; stops at the first.
    pub fn any_upstream(&self, id: impl IdText, pred: impl Fn(&'a str) -> bool) -> bool {
        let id = id.text();
        let mut seen: HashSet<&str> = HashSet::default();
        let mut stack: Vec<&str> = self.flow_in(id);
        while let Some(x) = stack.pop() {
            if x == id || !seen.insert(x) {
                continue;
            }
            if pred(x) {
                return true;
            }
            stack.extend(
                self.inn(x)
                    .filter(|(_, e)| !e.kind.is_relation())
                    .map(|(_, e)| e.from.as_str()),
            );
        }
        false
    }

    /// Whether the design has a group of `kind` (rules about rare boxes skip early).
    pub fn has_group(&self, kind: GroupKind) -> bool {
        self.design.groups().iter().any(|g| g.kind == kind)
    }

    /// Everything upstream of `id` along flow edges (not `id` itself).
    pub fn upstream(&self, id: impl IdText) -> HashSet<&'a str> {
        let id = id.text();
        self.reach(id, |s, x| s.flow_in(x))
    }

    /// Everything downstream of `id` along flow edges.
    pub fn downstream(&self, id: impl IdText) -> HashSet<&'a str> {
        let id = id.text();
        self.reach(id, |s, x| s.flow_out(x))
    }

    fn reach(&self, id: &str, next: impl Fn(&Self, &str) -> Vec<&'a str>) -> HashSet<&'a str> {
        let mut seen = HashSet::default();
        let mut queue: VecDeque<&str> = next(self, id).into_iter().collect();
        while let Some(x) = queue.pop_front() {
            if x != id && seen.insert(x) {
                queue.extend(next(self, x));
            }
        }
        seen
    }

    /// The groups enclosing `id`, innermost first.
    pub fn enclosing<'s>(&'s self, id: impl IdText) -> impl Iterator<Item = &'a Group> + 's {
        let limit = self.design.groups().len();
        let design = self.design;
        std::iter::successors(self.design.parent_of_text(id.text()), move |g| {
            design.parent_of(&g.id)
        })
        .take(limit)
    }

    /// Every node and group inside a group, however deeply nested: [`Design::descendants`]
    /// with hashed lookups, so rules that ask it of every group stay linear in what it returns.
    pub fn descendants(&self, group_id: impl IdText) -> Vec<&'a str> {
        let Some(group) = self.group(group_id) else {
            return Vec::new();
        };
        crate::model::descendants_by(&group.id, |g| self.design.group(g))
            .into_iter()
            .map(ElementId::as_str)
            .collect()
    }

    /// Every node inside a group, however deeply nested.
    pub fn nodes_within(&self, group_id: impl IdText) -> Vec<&'a str> {
        let mut out = self.descendants(group_id);
        out.retain(|id| self.node(*id).is_some());
        out
    }

    /// Whether `id` sits inside a group of `kind`.
    pub fn inside(&self, id: impl IdText, kind: GroupKind) -> bool {
        let id = id.text();
        self.inherited_by(id).kinds & kind_bit(kind) != 0
    }

    /// The kinds of all groups around an element, one bit each (`1 << kind as u32`): for
    /// asking "inside?" of many elements without a lookup per kind.
    pub fn kinds_around(&self, id: impl IdText) -> u32 {
        let id = id.text();
        self.inherited_by(id).kinds
    }

    /// The nearest Region group around an element (found without walking the nest).
    pub fn region_group(&self, id: impl IdText) -> Option<&'a Group> {
        let id = id.text();
        self.inherited_by(id).region_group
    }

    /// A node's property, or the catalog's default for it.
    pub fn prop<'n>(&self, node: &'n Node, key: &str) -> Option<&'n str> {
        if let Some(v) = node.props.get(key) {
            return Some(v.as_str());
        }
        catalog()
            .service(&node.service)
            .and_then(|s| s.prop(key))
            .and_then(|p| p.default.as_deref())
    }

    /// Whether a boolean property is "true".
    pub fn flag(&self, node: &Node, key: &str) -> bool {
        self.prop(node, key) == Some("true")
    }

    /// A number property.
    pub fn number(&self, node: &Node, key: &str) -> Option<f64> {
        self.prop(node, key).and_then(|v| v.trim().parse().ok())
    }

    /// `region` or `az` of a node: its own property, else the nearest enclosing Region or
    /// AvailabilityZone group's property, else that group's label (docs/format.md "Properties").
    pub fn scope(&self, id: impl IdText, key: &str) -> Option<String> {
        let id = id.text();
        if let Some(v) = self
            .node(id)
            .and_then(|n| n.props.get(key))
            .filter(|v| !v.is_empty())
        {
            return Some(v.clone());
        }
        let around = self.inherited_by(id);
        let inherited = match key {
            "az" => around.az,
            "region" => around.region,
            _ => self
                .enclosing(id)
                .find_map(|g| g.props.get(key).filter(|v| !v.is_empty()))
                .map(String::as_str),
        };
        if let Some(v) = inherited {
            return Some(v.to_string());
        }
        if key == "region" {
            // An AZ such as us-east-1a lies in Region us-east-1.
            return self
                .scope(id, "az")
                .map(|az| {
                    az.trim_end_matches(|c: char| c.is_ascii_lowercase())
                        .to_string()
                })
                .filter(|r| !r.is_empty());
        }
        None
    }

    /// How a person sees an element: its label, else its service or kind name.
    pub fn label(&self, id: impl IdText) -> String {
        let id = id.text();
        if let Some(n) = self.node(id) {
            return if n.label.is_empty() {
                catalog().display_name(&n.service).to_string()
            } else {
                n.label.clone()
            };
        }
        if let Some(g) = self.group(id) {
            return if g.label.is_empty() {
                g.kind.display_name().to_string()
            } else {
                g.label.clone()
            };
        }
        id.to_string()
    }

    /// The category of a node's service ("" for groups and unknown services).
    pub fn category(&self, id: impl IdText) -> &'static str {
        let id = id.text();
        self.service(id)
            .and_then(|s| catalog().service(s))
            .map_or("", |s| s.category.as_str())
    }
}
