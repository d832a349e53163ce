//! The table that says which CloudFormation resource becomes which service, kept as data in
//! `assets/cfn-mapping.ron` so adding a type is a one-line change, not code.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::catalog::first_rows;
use crate::model::EdgeKind;

/// A resource type drawn as a catalog service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRow {
    #[serde(rename = "type")]
    pub resource_type: String,
    pub service: String,
    #[serde(default)]
    pub props: Vec<PropRow>,
}

/// A template property copied into a catalog property.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropRow {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub lower: bool,
}

/// A property of a mapped resource naming another resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRow {
    /// A resource type, or `*` for any.
    #[serde(rename = "type")]
    pub resource_type: String,
    pub at: String,
    pub kind: EdgeKind,
    /// The edge points from this resource to the one named (else the other way).
    pub out: bool,
}

/// A resource that only connects two others.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorRow {
    #[serde(rename = "type")]
    pub resource_type: String,
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
}

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(rename = "CfnMapping", deny_unknown_fields)]
pub struct Mapping {
    pub services: Vec<ServiceRow>,
    pub links: Vec<LinkRow>,
    pub connectors: Vec<ConnectorRow>,
    pub plumbing: Vec<String>,
    /// Type -> row, built once, so a big template costs one lookup per resource.
    #[serde(skip)]
    service_rows: HashMap<String, usize>,
    #[serde(skip)]
    connector_rows: HashMap<String, usize>,
    #[serde(skip)]
    plumbing_types: HashSet<String>,
}

impl Mapping {
    /// The row of a resource type drawn as a service (the first, if listed twice).
    pub fn service(&self, resource_type: &str) -> Option<&ServiceRow> {
        self.service_rows
            .get(resource_type)
            .map(|&i| &self.services[i])
    }

    /// The connector row of a resource type.
    pub fn connector(&self, resource_type: &str) -> Option<&ConnectorRow> {
        self.connector_rows
            .get(resource_type)
            .map(|&i| &self.connectors[i])
    }

    /// Whether the type is folded into what it configures.
    pub fn is_plumbing(&self, resource_type: &str) -> bool {
        self.plumbing_types.contains(resource_type)
    }
}

static MAPPING: LazyLock<Mapping> = LazyLock::new(|| {
    let mut m: Mapping = crate::catalog::parse_asset(
        include_str!("../../assets/cfn-mapping.ron"),
        "cfn-mapping.ron",
    );
    m.service_rows = first_rows(m.services.iter().map(|r| &r.resource_type).zip(0..));
    m.connector_rows = first_rows(m.connectors.iter().map(|r| &r.resource_type).zip(0..));
    m.plumbing_types = m.plumbing.iter().cloned().collect();
    m
});

/// The table, read once.
pub fn mapping() -> &'static Mapping {
    &MAPPING
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    #[test]
    fn every_row_names_a_catalog_service_and_property() {
        let m = mapping();
        assert!(m.services.len() >= 60, "{}", m.services.len());
        for row in &m.services {
            let service = catalog()
                .service(&row.service)
                .unwrap_or_else(|| panic!("{}: no service {}", row.resource_type, row.service));
            for p in &row.props {
                assert!(service.prop(&p.to).is_some(), "{}: {}", row.service, p.to);
            }
        }
    }
}
