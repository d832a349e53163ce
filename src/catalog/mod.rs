//! The service catalog: names, categories, colours, property schemas and the edge kind a
//! pair of services gets by default. Read once from the embedded `assets/catalog.ron`.

mod icons;

use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::idmap::HashMap as IdMap;
use crate::model::{EdgeKind, GroupKind};
pub use icons::{icon_for_service, icon_svg};

/// One category of AWS's architecture-icon set, with the tile colour its services wear.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    /// `#RRGGBB`.
    pub color: String,
}

impl Category {
    /// The colour as RGB bytes; a malformed entry is caught by the catalog tests.
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_color(&self.color).unwrap_or([0x23, 0x2F, 0x3E])
    }
}

/// How the inspector edits a property and which values are allowed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub enum PropKind {
    Text,
    Bool,
    Number,
    Enum(Vec<String>),
}

impl PropKind {
    /// The values an `Enum` allows; empty for free text, flags and numbers.
    pub fn choices(&self) -> &[String] {
        match self {
            PropKind::Enum(values) => values,
            _ => &[],
        }
    }
}

/// A property a service declares.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename = "Prop", deny_unknown_fields)]
pub struct PropSpec {
    pub name: String,
    pub kind: PropKind,
    /// The value assumed when the property is absent.
    #[serde(default)]
    pub default: Option<String>,
}

/// A service or external actor a node can be.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// Which notes mention it, by number (0-4; docs/checks.md names them).
    #[serde(default)]
    pub files: String,
    #[serde(default)]
    pub uses: Vec<String>,
    #[serde(default)]
    pub facts: Vec<String>,
    #[serde(default)]
    pub props: Vec<PropSpec>,
}

impl Service {
    /// The declared property with this name.
    pub fn prop(&self, name: &str) -> Option<&PropSpec> {
        self.props.iter().find(|p| p.name == name)
    }

    /// Whether a search query (lowercase) hits its name, id or an alias.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return true;
        }
        self.name.to_lowercase().contains(&q)
            || self.id.contains(&q.replace(' ', "_"))
            || self.aliases.iter().any(|a| a.contains(&q))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EdgeDefault {
    from: String,
    to: String,
    kind: EdgeKind,
    #[serde(default)]
    undirected: bool,
}

/// Services that rules and reference architectures speak of as one ("any Kinesis"), kept as
/// data so every rule means the same list.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub name: String,
    pub services: Vec<String>,
}

/// A number of the notes that a rule compares with, with where the notes give it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub id: String,
    pub value: f64,
    pub source: String,
}

/// The whole catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub categories: Vec<Category>,
    pub services: Vec<Service>,
    pub families: Vec<Family>,
    pub limits: Vec<Limit>,
    edge_defaults: Vec<EdgeDefault>,
    /// Position of each service by id, filled once the catalog is read.
    #[serde(skip)]
    index: IdMap<String, usize>,
}

/// The endpoint of an edge as the edge-kind table sees it.
#[derive(Clone, Copy, Debug)]
pub enum Endpoint<'a> {
    Service(&'a str),
    Group(GroupKind),
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let mut catalog: Catalog = parse_asset(include_str!("../../assets/catalog.ron"), "catalog.ron");
    catalog.index = catalog
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    catalog
});

/// Parses a table shipped in `assets/` (bare optionals allowed, as in design files). The
/// tables are inside the binary and tests parse each, so this cannot fail for users.
pub(crate) fn parse_asset<T: serde::de::DeserializeOwned>(text: &str, name: &str) -> T {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .unwrap_or_else(|e| panic!("assets/{name} is malformed: {e}"))
}

/// Key -> the row it first appears in, for the lookups of a table in `assets/`: an earlier
/// row always wins over a later one naming the same key.
pub(crate) fn first_rows<'a>(
    keyed: impl IntoIterator<Item = (&'a String, usize)>,
) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    for (key, row) in keyed {
        out.entry(key.clone()).or_insert(row);
    }
    out
}

/// The catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    /// The position of a service in the catalog, a small integer for fast comparisons.
    pub fn service_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.service_index(id).map(|i| &self.services[i])
    }

    /// The services of a family, as the rules and references name it; empty for an unknown
    /// family (a test checks that every family the code names exists).
    pub fn family(&self, id: &str) -> &[String] {
        self.families
            .iter()
            .find(|f| f.id == id)
            .map_or(&[], |f| f.services.as_slice())
    }

    /// Whether a service belongs to a family.
    pub fn in_family(&self, service: &str, family: &str) -> bool {
        self.family(family).iter().any(|s| s == service)
    }

    /// A number of the notes; NaN for an unknown id, so a comparison with it never fires (a
    /// test checks that every limit the code names exists).
    pub fn limit(&self, id: &str) -> f64 {
        self.limits
            .iter()
            .find(|l| l.id == id)
            .map_or(f64::NAN, |l| l.value)
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category of a service; unknown services fall in "general".
    pub fn category_of(&self, service: &str) -> &Category {
        self.service(service)
            .and_then(|s| self.category(&s.category))
            .or_else(|| self.category("general"))
            .unwrap_or(&self.categories[0])
    }

    /// The display name of a service, or its id when the catalog does not know it.
    pub fn display_name<'a>(&'a self, service: &'a str) -> &'a str {
        self.service(service).map_or(service, |s| s.name.as_str())
    }

    /// Services of one category, in catalog order.
    pub fn services_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.category == category)
    }

    /// The edge kind a new edge from `from` to `to` gets (docs/format.md "Edge kinds").
    pub fn default_edge_kind(&self, from: Endpoint<'_>, to: Endpoint<'_>) -> EdgeKind {
        self.listed_edge_kind(from, to).unwrap_or(EdgeKind::Data)
    }

    /// The kind the table lists for a pair, `None` when no row names it (a plain data flow).
    pub fn listed_edge_kind(&self, from: Endpoint<'_>, to: Endpoint<'_>) -> Option<EdgeKind> {
        let matches = |pattern: &str, end: Endpoint<'_>| match (pattern, end) {
            ("*", _) => true,
            ("@group", Endpoint::Group(_)) => true,
            (p, Endpoint::Service(s)) => match p.strip_prefix('@') {
                Some(cat) => self.service(s).is_some_and(|svc| svc.category == cat),
                None => p == s,
            },
            _ => false,
        };
        for row in &self.edge_defaults {
            if matches(&row.from, from) && matches(&row.to, to) {
                return Some(row.kind);
            }
        }
        for row in self.edge_defaults.iter().filter(|r| r.undirected) {
            if matches(&row.from, to) && matches(&row.to, from) {
                return Some(row.kind);
            }
        }
        None
    }
}

/// Parses `#RRGGBB`.
pub fn parse_hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn catalog_parses_and_is_consistent() {
        let c = catalog();
        assert!(c.services.len() >= 118, "{} services", c.services.len());
        let mut ids = BTreeSet::new();
        for s in &c.services {
            assert!(ids.insert(&s.id), "duplicate service {}", s.id);
            assert!(
                c.category(&s.category).is_some(),
                "{} has unknown category",
                s.id
            );
        }
        for cat in &c.categories {
            assert!(parse_hex_color(&cat.color).is_some(), "{}", cat.color);
        }
    }

    #[test]
    fn default_edge_kinds_follow_the_format_examples() {
        let c = catalog();
        let k = |a, b| c.default_edge_kind(Endpoint::Service(a), Endpoint::Service(b));
        assert_eq!(k("glue", "athena"), EdgeKind::Catalog);
        assert_eq!(k("s3", "lambda"), EdgeKind::Trigger);
        assert_eq!(k("ebs", "ec2"), EdgeKind::Attach);
        assert_eq!(k("ec2", "ebs"), EdgeKind::Attach);
        assert_eq!(k("kinesis_data_streams", "s3"), EdgeKind::Data);
        assert_eq!(k("users", "elb"), EdgeKind::Route);
        assert_eq!(k("container_image", "ecr"), EdgeKind::Push);
        assert_eq!(k("ecr", "ecs"), EdgeKind::Pull);
        assert_eq!(k("s3_standard", "s3_glacier"), EdgeKind::Transition);
    }

    #[test]
    fn search_finds_aliases() {
        let c = catalog();
        assert!(c.service("s3").unwrap().matches("bucket"));
        assert!(c.service("sqs").unwrap().matches("queue"));
        assert!(!c.service("sqs").unwrap().matches("bucket"));
    }
}
