//! The network a template builds, as boxes: AWS Cloud > Region > VPC > Availability Zone >
//! subnet, drawn the way AWS draws a VPC. A VPC template's subnets are its architecture, so
//! every subnet is kept, empty or not; each zone lists its subnets in the same order (public
//! first, then private, then the data tier), so Arrange lines the zones up side by side.

use std::collections::{BTreeMap, BTreeSet};

use super::cfn::{Resource, intrinsic, refs_at};
use super::yaml::{Node, Value};
use crate::model::{Design, ElementId, Group, GroupId, GroupKind, NodeId};

/// Whether a resource type is drawn as a box rather than a service.
pub(super) fn is_structure(resource_type: &str) -> bool {
    matches!(resource_type, "AWS::EC2::VPC" | "AWS::EC2::Subnet")
}

/// Where a service sits: the subnets it names, and the VPCs it names or is attached to.
struct Placement<'a> {
    id: &'a str,
    subnets: Vec<String>,
    vpcs: Vec<String>,
}

/// AWS Cloud > Region > VPC > AZ > subnet boxes, each service in the one subnet it names, or
/// in the VPC when it names several subnets or only the VPC. A security group whose members
/// all sit in one subnet sits there with them.
pub(super) fn structure(resources: &[Resource<'_>], design: &Design) -> Vec<Group> {
    let vpcs: Vec<&Resource<'_>> = of_type(resources, "AWS::EC2::VPC").collect();
    let subnets: Vec<&Resource<'_>> = of_type(resources, "AWS::EC2::Subnet").collect();
    let subnet_vpcs: BTreeMap<&str, Vec<String>> = subnets
        .iter()
        .map(|s| (s.id.as_str(), refs_at(s.properties, "VpcId")))
        .collect();
    let services = placements(resources, design);
    let public_subnets = subnets_routed_to_internet(resources);
    let mut groups: Vec<Group> = Vec::new();
    let mut region = Group::new(GroupId::made("aws_region"), GroupKind::Region);
    let node = |id: &str| ElementId::Node(NodeId::made(id));
    let boxed = |id: &GroupId| ElementId::Group(id.clone());
    region.label = "Region".into();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    for vpc in &vpcs {
        let in_this_vpc =
            |subnet: &str| subnet_vpcs.get(subnet).is_some_and(|v| v.contains(&vpc.id));
        let mut g = Group::new(GroupId::made(vpc.id.clone()), GroupKind::Vpc);
        g.label = vpc.id.clone();
        // Availability Zone boxes of this VPC, by label, in the order first named.
        let mut zones: Vec<Group> = Vec::new();
        let mut loose: Vec<ElementId> = Vec::new();
        let mut mine: Vec<&Resource<'_>> = subnets
            .iter()
            .copied()
            .filter(|s| in_this_vpc(&s.id))
            .collect();
        // The same tiers in the same order in every zone (a stable sort keeps the template's
        // order within a tier).
        mine.sort_by_key(|s| tier(s, &public_subnets));
        for subnet in mine {
            let kind = if tier(subnet, &public_subnets) == 0 {
                GroupKind::PublicSubnet
            } else {
                GroupKind::PrivateSubnet
            };
            let mut sg = Group::new(GroupId::made(subnet.id.clone()), kind);
            sg.label = subnet.id.clone();
            for s in &services {
                if s.subnets.len() == 1 && s.subnets[0] == subnet.id && placed.insert(s.id.into()) {
                    sg.children.push(node(s.id));
                }
            }
            let zone = subnet
                .properties
                .and_then(|p| p.get("AvailabilityZone"))
                .and_then(zone_label);
            match zone {
                Some(label) => {
                    let slot = match zones.iter().position(|z| z.label == label) {
                        Some(i) => i,
                        None => {
                            let id = crate::model::unused_id(
                                format!("{}_az{}", vpc.id, zones.len() + 1),
                                |c| resources.iter().any(|r| r.id == c),
                            );
                            let mut z = Group::new(GroupId::made(id), GroupKind::AvailabilityZone);
                            z.label = label;
                            zones.push(z);
                            zones.len() - 1
                        }
                    };
                    zones[slot].children.push(boxed(&sg.id));
                }
                None => loose.push(boxed(&sg.id)),
            }
            groups.push(sg);
        }
        // Zones in the order of their names (AZ 1, AZ 2, ...; us-east-1a, us-east-1b).
        zones.sort_by(|a, b| natural_order(&a.label, &b.label));
        for z in zones {
            g.children.push(boxed(&z.id));
            groups.push(z);
        }
        g.children.extend(loose);
        for s in &services {
            let in_vpc = s.subnets.iter().any(|n| in_this_vpc(n)) || s.vpcs.contains(&vpc.id);
            if in_vpc && placed.insert(s.id.to_string()) {
                g.children.push(node(s.id));
            }
        }
        region.children.push(boxed(&g.id));
        groups.push(g);
    }
    security_groups_into_subnets(design, &mut groups);
    // Every other service still runs in the Region.
    for n in design.nodes() {
        if !placed.contains(n.id.as_str()) {
            region.children.push((&n.id).into());
        }
    }
    if region.children.is_empty() {
        return Vec::new();
    }
    let mut cloud = Group::new(GroupId::made("aws_cloud"), GroupKind::AwsCloud);
    cloud.label = "AWS Cloud".into();
    cloud.children.push(boxed(&region.id));
    let mut out = vec![cloud, region];
    out.extend(groups);
    out
}

fn of_type<'r, 'a>(
    resources: &'r [Resource<'a>],
    resource_type: &'static str,
) -> impl Iterator<Item = &'r Resource<'a>> {
    resources
        .iter()
        .filter(move |r| r.resource_type == resource_type)
}

/// What each drawn service names of the network, read once.
fn placements<'r>(resources: &'r [Resource<'_>], design: &Design) -> Vec<Placement<'r>> {
    let drawn: BTreeSet<&str> = design.nodes().iter().map(|n| n.id.as_str()).collect();
    // A gateway sits in the VPC it is attached to.
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in of_type(resources, "AWS::EC2::VPCGatewayAttachment") {
        for gateway in ["InternetGatewayId", "VpnGatewayId"] {
            for g in refs_at(a.properties, gateway) {
                attached
                    .entry(g)
                    .or_default()
                    .extend(refs_at(a.properties, "VpcId"));
            }
        }
    }
    // A database or cache names a subnet group; the group names the subnets.
    let subnet_groups: BTreeMap<&str, Vec<String>> = resources
        .iter()
        .filter(|r| {
            matches!(
                r.resource_type.as_str(),
                "AWS::RDS::DBSubnetGroup"
                    | "AWS::ElastiCache::SubnetGroup"
                    | "AWS::Redshift::ClusterSubnetGroup"
                    | "AWS::DAX::SubnetGroup"
                    | "AWS::DocDB::DBSubnetGroup"
                    | "AWS::Neptune::DBSubnetGroup"
            )
        })
        .map(|r| {
            let mut names = refs_at(r.properties, "SubnetIds");
            names.extend(refs_at(r.properties, "SubnetIdentifier"));
            (r.id.as_str(), names)
        })
        .collect();
    resources
        .iter()
        .filter(|r| drawn.contains(r.id.as_str()))
        .map(|r| {
            let mut vpcs = refs_at(r.properties, "VpcId");
            vpcs.extend(attached.get(&r.id).into_iter().flatten().cloned());
            let mut subnets = Vec::new();
            for name in subnets_named(r) {
                let through = subnet_groups.get(name.as_str());
                for s in through.cloned().unwrap_or_else(|| vec![name]) {
                    if !subnets.contains(&s) {
                        subnets.push(s);
                    }
                }
            }
            Placement {
                id: r.id.as_str(),
                subnets,
                vpcs,
            }
        })
        .collect()
}

/// A subnet's tier, for ordering: 0 public, 1 private, 2 the data tier (a private subnet
/// named for databases or data).
fn tier(subnet: &Resource<'_>, routed_to_internet: &BTreeSet<String>) -> u8 {
    let maps_public_ips = subnet
        .properties
        .and_then(|p| p.get("MapPublicIpOnLaunch"))
        .and_then(Node::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if maps_public_ips || routed_to_internet.contains(&subnet.id) {
        return 0;
    }
    let name = subnet.id.to_ascii_lowercase();
    let data = ["database", "data", "db", "rds", "isolated", "storage"];
    if data.iter().any(|w| name.contains(w)) {
        2
    } else {
        1
    }
}

/// Orders labels as a person reads them: digits by value ("AZ 2" before "AZ 10").
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut digits = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                if !digits.is_empty() {
                    out.push((
                        std::mem::take(&mut text),
                        digits.parse().unwrap_or(u64::MAX),
                    ));
                    digits.clear();
                }
                text.push(c);
            }
        }
        out.push((text, digits.parse().unwrap_or(0)));
        out
    }
    key(a).cmp(&key(b))
}

/// A security group drawn as a service goes into the subnet its attached members share, so
/// it reads as the firewall of what it guards.
fn security_groups_into_subnets(design: &Design, groups: &mut [Group]) {
    let parent_of: BTreeMap<String, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.children.iter().map(move |c| (c.to_string(), i)))
        .collect();
    let is_subnet = |i: usize| {
        matches!(
            groups[i].kind,
            GroupKind::PublicSubnet | GroupKind::PrivateSubnet
        )
    };
    let mut moves: Vec<(ElementId, usize, usize)> = Vec::new();
    for sg in design
        .nodes()
        .iter()
        .filter(|n| n.service == "security_group")
    {
        let members: BTreeSet<Option<usize>> = design
            .edges()
            .iter()
            .filter_map(|e| {
                let other = if e.from == sg.id {
                    &e.to
                } else if e.to == sg.id {
                    &e.from
                } else {
                    return None;
                };
                let other = design.node(other)?;
                (other.service != "security_group")
                    .then(|| parent_of.get(other.id.as_str()).copied())
            })
            .collect();
        let (Some(&from), [Some(to)]) = (
            parent_of.get(sg.id.as_str()),
            members.iter().collect::<Vec<_>>().as_slice(),
        ) else {
            continue;
        };
        if is_subnet(*to) && !is_subnet(from) {
            moves.push(((&sg.id).into(), from, *to));
        }
    }
    for (id, from, to) in moves {
        groups[from].children.retain(|c| c != &id);
        groups[to].children.push(id);
    }
}

/// More zones than any region has; `!Select` beyond it names no zone.
const MAX_ZONES_IN_REGION: usize = 32;

/// The name of an Availability Zone as a person reads it: `!Select [0, !GetAZs '']` (or a
/// select from a parameter or mapping listing zones) is "AZ 1", a literal zone keeps its name,
/// a zone given by a parameter (`!Ref AZ1`) or a mapping's key is named by it, the region with
/// a letter (`!Sub "${AWS::Region}a"`) is "AZ a"; anything else gives no box.
fn zone_label(node: &Node) -> Option<String> {
    if node.tag.is_none()
        && let Some(name) = node.as_str()
    {
        return Some(name.to_string());
    }
    match intrinsic(node)? {
        ("Select", Value::Seq(select)) => {
            let index: usize = select.first()?.as_str()?.trim().parse().ok()?;
            // No region has dozens of zones: a larger index is a mistake, not a zone.
            if index >= MAX_ZONES_IN_REGION {
                return None;
            }
            let from_list = matches!(
                intrinsic(select.get(1)?),
                Some(("GetAZs" | "Ref" | "FindInMap", _))
            );
            from_list.then(|| format!("AZ {}", index.saturating_add(1)))
        }
        ("Ref", Value::Scalar(name)) if !name.starts_with("AWS::") => Some(name.clone()),
        // The stack's region with a zone letter (`!Sub "${AWS::Region}a"`) is "AZ a".
        ("Sub", Value::Scalar(text)) => {
            let letter = text.strip_prefix("${AWS::Region}")?;
            (letter.len() == 1 && letter.chars().all(|c| c.is_ascii_lowercase()))
                .then(|| format!("AZ {letter}"))
        }
        // A zone looked up in a mapping is named by its key (`!FindInMap [Zones, !Ref
        // AWS::Region, AZ1]` is "AZ1").
        ("FindInMap", Value::Seq(keys)) => keys.get(2)?.as_str().map(str::to_string),
        _ => None,
    }
}

/// Subnets whose route table sends 0.0.0.0/0 to an internet gateway: public subnets even
/// when they do not map public IPs.
fn subnets_routed_to_internet(resources: &[Resource<'_>]) -> BTreeSet<String> {
    let gateways: BTreeSet<&str> = of_type(resources, "AWS::EC2::InternetGateway")
        .map(|r| r.id.as_str())
        .collect();
    let mut public_tables: BTreeSet<String> = BTreeSet::new();
    for route in of_type(resources, "AWS::EC2::Route") {
        let to_anywhere = route
            .properties
            .and_then(|p| p.get("DestinationCidrBlock"))
            .and_then(Node::as_str)
            == Some("0.0.0.0/0");
        let via_gateway = refs_at(route.properties, "GatewayId")
            .iter()
            .any(|g| gateways.contains(g.as_str()));
        if to_anywhere && via_gateway {
            public_tables.extend(refs_at(route.properties, "RouteTableId"));
        }
    }
    let mut out = BTreeSet::new();
    for assoc in of_type(resources, "AWS::EC2::SubnetRouteTableAssociation") {
        let public = refs_at(assoc.properties, "RouteTableId")
            .iter()
            .any(|t| public_tables.contains(t));
        if public {
            out.extend(refs_at(assoc.properties, "SubnetId"));
        }
    }
    out
}

/// The subnets (or subnet groups) a resource names: `SubnetId`, `SubnetIds`, `Subnets`,
/// `VpcConfig.SubnetIds` (Lambda), `VpcConfig.Subnets` (CodeBuild), `VPCZoneIdentifier`, ...
fn subnets_named(r: &Resource<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "SubnetId",
        "SubnetIds",
        "Subnets",
        "VpcConfig.SubnetIds",
        "VpcConfig.Subnets",
        "VPCZoneIdentifier",
        "NetworkConfiguration.AwsvpcConfiguration.Subnets",
        "VPCOptions.SubnetIds",
        "VpcConfiguration.SubnetIds",
        "SubnetMappings.SubnetId",
        "DBSubnetGroupName",
        "CacheSubnetGroupName",
        "ClusterSubnetGroupName",
        "SubnetGroupName",
    ] {
        for name in refs_at(r.properties, path) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;

    #[test]
    fn zones_are_named_as_a_person_reads_them() {
        let doc = parse(
            "a: !Select [0, !GetAZs '']\nb: eu-west-1b\nc: !Sub '${AWS::Region}c'\nd: !Sub '${AWS::Region}-zone'\ne: !Ref Zone2\nf: !Select [18446744073709551615, !GetAZs '']\ng: !Select [5, !GetAZs '']\n",
        )
        .unwrap();
        let label = |k: &str| zone_label(doc.get(k).unwrap());
        assert_eq!(label("a").as_deref(), Some("AZ 1"));
        assert_eq!(label("b").as_deref(), Some("eu-west-1b"));
        assert_eq!(label("c").as_deref(), Some("AZ c"));
        // Not a zone letter: no box rather than a wrong one.
        assert_eq!(label("d"), None);
        assert_eq!(label("e").as_deref(), Some("Zone2"));
        // An index no region reaches names no zone; the near miss, the sixth zone, does.
        assert_eq!(label("f"), None);
        assert_eq!(label("g").as_deref(), Some("AZ 6"));
    }
}
