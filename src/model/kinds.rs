//! The closed vocabularies of the file format: edge kinds and group kinds.

use serde::{Deserialize, Serialize};

/// How an edge relates its ends (docs/format.md "Edge kinds").
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum EdgeKind {
    #[default]
    Data,
    Trigger,
    Query,
    Catalog,
    Route,
    Push,
    Pull,
    Replicate,
    Transition,
    LogTo,
    Notify,
    Monitor,
    Attach,
    Mount,
    AssumeRole,
    MemberOf,
    Connect,
    Backup,
}

impl EdgeKind {
    /// Every kind, in the order the inspector lists them.
    pub const ALL: [EdgeKind; 18] = [
        EdgeKind::Data,
        EdgeKind::Trigger,
        EdgeKind::Query,
        EdgeKind::Catalog,
        EdgeKind::Route,
        EdgeKind::Push,
        EdgeKind::Pull,
        EdgeKind::Replicate,
        EdgeKind::Transition,
        EdgeKind::LogTo,
        EdgeKind::Notify,
        EdgeKind::Monitor,
        EdgeKind::Attach,
        EdgeKind::Mount,
        EdgeKind::AssumeRole,
        EdgeKind::MemberOf,
        EdgeKind::Connect,
        EdgeKind::Backup,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Data => "Data",
            EdgeKind::Trigger => "Trigger",
            EdgeKind::Query => "Query",
            EdgeKind::Catalog => "Catalog",
            EdgeKind::Route => "Route",
            EdgeKind::Push => "Push",
            EdgeKind::Pull => "Pull",
            EdgeKind::Replicate => "Replicate",
            EdgeKind::Transition => "Transition",
            EdgeKind::LogTo => "LogTo",
            EdgeKind::Notify => "Notify",
            EdgeKind::Monitor => "Monitor",
            EdgeKind::Attach => "Attach",
            EdgeKind::Mount => "Mount",
            EdgeKind::AssumeRole => "AssumeRole",
            EdgeKind::MemberOf => "MemberOf",
            EdgeKind::Connect => "Connect",
            EdgeKind::Backup => "Backup",
        }
    }

    /// Parses a file name of a kind.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Relations (no data flows along them) are drawn dashed and ignored by flow rules.
    pub fn is_relation(self) -> bool {
        matches!(
            self,
            EdgeKind::Monitor
                | EdgeKind::Attach
                | EdgeKind::Mount
                | EdgeKind::AssumeRole
                | EdgeKind::MemberOf
                | EdgeKind::Connect
                | EdgeKind::Backup
        )
    }

    /// Undirected kinds are drawn without an arrow head.
    pub fn is_undirected(self) -> bool {
        matches!(self, EdgeKind::Attach | EdgeKind::Mount | EdgeKind::Connect)
    }
}

/// How an edge is drawn between its ends: right-angled connectors around obstacles (the
/// default, as AWS's own diagrams draw them), a straight segment, or a smooth curve.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum EdgeStyle {
    #[default]
    Orthogonal,
    Straight,
    Curved,
}

impl EdgeStyle {
    /// Every style, in the order the inspector lists them.
    pub const ALL: [EdgeStyle; 3] = [
        EdgeStyle::Orthogonal,
        EdgeStyle::Straight,
        EdgeStyle::Curved,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            EdgeStyle::Orthogonal => "Orthogonal",
            EdgeStyle::Straight => "Straight",
            EdgeStyle::Curved => "Curved",
        }
    }

    /// Parses a file name of a style.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The AWS group styles a box can take (docs/format.md `Group.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GroupKind {
    AwsCloud,
    Account,
    Region,
    AvailabilityZone,
    Vpc,
    PublicSubnet,
    PrivateSubnet,
    SecurityGroup,
    AutoScalingGroup,
    OnPremises,
    Generic,
}

impl GroupKind {
    /// Every kind, outermost first, as the palette lists them.
    pub const ALL: [GroupKind; 11] = [
        GroupKind::AwsCloud,
        GroupKind::Account,
        GroupKind::Region,
        GroupKind::AvailabilityZone,
        GroupKind::Vpc,
        GroupKind::PublicSubnet,
        GroupKind::PrivateSubnet,
        GroupKind::SecurityGroup,
        GroupKind::AutoScalingGroup,
        GroupKind::OnPremises,
        GroupKind::Generic,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            GroupKind::AwsCloud => "AwsCloud",
            GroupKind::Account => "Account",
            GroupKind::Region => "Region",
            GroupKind::AvailabilityZone => "AvailabilityZone",
            GroupKind::Vpc => "Vpc",
            GroupKind::PublicSubnet => "PublicSubnet",
            GroupKind::PrivateSubnet => "PrivateSubnet",
            GroupKind::SecurityGroup => "SecurityGroup",
            GroupKind::AutoScalingGroup => "AutoScalingGroup",
            GroupKind::OnPremises => "OnPremises",
            GroupKind::Generic => "Generic",
        }
    }

    /// Parses a file name of a kind.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The caption shown on a box whose label is empty.
    pub fn display_name(self) -> &'static str {
        match self {
            GroupKind::AwsCloud => "AWS Cloud",
            GroupKind::Account => "AWS Account",
            GroupKind::Region => "Region",
            GroupKind::AvailabilityZone => "Availability Zone",
            GroupKind::Vpc => "VPC",
            GroupKind::PublicSubnet => "Public subnet",
            GroupKind::PrivateSubnet => "Private subnet",
            GroupKind::SecurityGroup => "Security group",
            GroupKind::AutoScalingGroup => "Auto Scaling group",
            GroupKind::OnPremises => "Corporate data center",
            GroupKind::Generic => "Group",
        }
    }

    /// A short id stem for new groups of this kind.
    pub fn id_stem(self) -> &'static str {
        match self {
            GroupKind::AwsCloud => "cloud",
            GroupKind::Account => "account",
            GroupKind::Region => "region",
            GroupKind::AvailabilityZone => "az",
            GroupKind::Vpc => "vpc",
            GroupKind::PublicSubnet => "public_subnet",
            GroupKind::PrivateSubnet => "private_subnet",
            GroupKind::SecurityGroup => "sg",
            GroupKind::AutoScalingGroup => "asg",
            GroupKind::OnPremises => "on_premises",
            GroupKind::Generic => "group",
        }
    }
}
