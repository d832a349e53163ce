//! The visual conventions of AWS diagrams as data: sizes, colours and group styles, shared by
//! the canvas and the exports so they never disagree.

use crate::model::GroupKind;

/// Side of a service tile, in canvas units.
pub const TILE: f32 = 48.0;
/// Corner radius of a service tile.
pub const TILE_RADIUS: f32 = 6.0;
/// Font size of node labels, in canvas units.
pub const LABEL_SIZE: f32 = 12.0;
/// Line height of node labels.
pub const LABEL_LINE: f32 = 15.0;
/// Widest a node label may be before it wraps.
pub const LABEL_WIDTH: f32 = 128.0;
/// Gap between a tile and its label.
pub const LABEL_GAP: f32 = 6.0;
/// Font size of group captions and edge labels.
pub const CAPTION_SIZE: f32 = 12.0;
/// Padding between a group's border and its contents.
pub const GROUP_PAD: f32 = 20.0;
/// Extra room at the top of a group for its caption.
pub const GROUP_HEADER: f32 = 30.0;
/// Colour of edges and arrow heads.
pub const EDGE_COLOR: [u8; 3] = [0x54, 0x5B, 0x64];
/// Colour of label text.
pub const TEXT_COLOR: [u8; 3] = [0x16, 0x19, 0x1F];
/// Colour of text on a dark page.
pub const TEXT_ON_DARK: [u8; 3] = [0xE9, 0xEB, 0xED];
/// Colour of the selection outline.
pub const SELECT_COLOR: [u8; 3] = [0x00, 0x73, 0xBB];
/// Alignment guides while moving: the magenta draw.io users know, apart from selection blue.
pub const GUIDE_COLOR: [u8; 3] = [0xE0, 0x1E, 0x8C];

/// How a group box is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupStyle {
    pub stroke: [u8; 3],
    /// Fill as RGBA; `None` leaves the box transparent.
    pub fill: Option<[u8; 4]>,
    pub dashed: bool,
    /// Colour of the caption.
    pub text: [u8; 3],
    /// The AWS group icon in the corner badge (`assets/icons/group-*.svg`); Availability
    /// Zones, security groups and plain groups have none, as in AWS's own diagrams.
    pub icon: Option<&'static str>,
}

/// The colours of a page, the canvas's or an export's, light or dark: one table, so the dark
/// canvas and a dark export look the same.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Page {
    pub background: [u8; 3],
    pub text: [u8; 3],
    pub edge: [u8; 3],
    /// The canvas's dot grid (exports have none).
    pub grid: [u8; 3],
    pub dark: bool,
}

/// A white page.
pub const LIGHT_PAGE: Page = Page {
    background: [0xFF, 0xFF, 0xFF],
    text: TEXT_COLOR,
    edge: EDGE_COLOR,
    grid: [0xCD, 0xCD, 0xCD],
    dark: false,
};

/// A dark page, in the navy of AWS's dark diagrams.
pub const DARK_PAGE: Page = Page {
    background: [0x16, 0x1E, 0x2D],
    text: TEXT_ON_DARK,
    edge: [0xA7, 0xB0, 0xBA],
    grid: [0x3A, 0x45, 0x57],
    dark: true,
};

impl Page {
    /// The light or dark page.
    pub fn of(dark: bool) -> Page {
        if dark { DARK_PAGE } else { LIGHT_PAGE }
    }

    /// A group's AWS style on this page: on a dark page the AWS Cloud's navy outline would
    /// disappear, so it is drawn light, and captions take the page's text colour.
    pub fn group_style(&self, kind: GroupKind) -> GroupStyle {
        let mut s = group_style(kind);
        if self.dark {
            if s.stroke == [0x23, 0x2F, 0x3E] {
                s.stroke = [0xA7, 0xB0, 0xBA];
            }
            s.text = TEXT_ON_DARK;
        }
        s
    }
}

/// The side of a group's corner badge, in canvas units.
pub const GROUP_BADGE: f32 = 20.0;

impl GroupStyle {
    /// Where a group's caption starts, from its left edge: after the badge, if it has one.
    pub fn caption_x(&self) -> f32 {
        if self.icon.is_some() {
            GROUP_BADGE + 6.0
        } else {
            8.0
        }
    }
}

/// The AWS group style of each kind (ARCHITECTURE.md "Looking like an AWS diagram").
pub fn group_style(kind: GroupKind) -> GroupStyle {
    let solid = |stroke: [u8; 3]| GroupStyle {
        stroke,
        fill: None,
        dashed: false,
        text: stroke,
        icon: None,
    };
    let style = match kind {
        GroupKind::AwsCloud => solid([0x23, 0x2F, 0x3E]),
        GroupKind::Account => solid([0xE7, 0x15, 0x7B]),
        GroupKind::Region => GroupStyle {
            dashed: true,
            ..solid([0x00, 0xA4, 0xA6])
        },
        GroupKind::AvailabilityZone => GroupStyle {
            dashed: true,
            ..solid([0x00, 0x73, 0xBB])
        },
        GroupKind::Vpc => solid([0x8C, 0x4F, 0xFF]),
        GroupKind::PublicSubnet => GroupStyle {
            fill: Some([0x7A, 0xA1, 0x16, 0x1F]),
            text: [0x24, 0x88, 0x14],
            ..solid([0x7A, 0xA1, 0x16])
        },
        GroupKind::PrivateSubnet => GroupStyle {
            fill: Some([0x00, 0xA4, 0xA6, 0x1A]),
            text: [0x14, 0x73, 0x99],
            ..solid([0x14, 0x73, 0x99])
        },
        GroupKind::SecurityGroup => solid([0xDD, 0x34, 0x4C]),
        GroupKind::AutoScalingGroup => GroupStyle {
            dashed: true,
            ..solid([0xED, 0x71, 0x00])
        },
        GroupKind::OnPremises => solid([0x7D, 0x89, 0x98]),
        GroupKind::Generic => GroupStyle {
            dashed: true,
            ..solid([0x7D, 0x89, 0x98])
        },
    };
    GroupStyle {
        icon: match kind {
            GroupKind::AwsCloud => Some("group-cloud"),
            GroupKind::Account => Some("group-account"),
            GroupKind::Region => Some("group-region"),
            GroupKind::Vpc => Some("group-vpc"),
            GroupKind::PublicSubnet => Some("group-public-subnet"),
            GroupKind::PrivateSubnet => Some("group-private-subnet"),
            GroupKind::AutoScalingGroup => Some("group-auto-scaling"),
            GroupKind::OnPremises => Some("group-on-premises"),
            GroupKind::AvailabilityZone | GroupKind::SecurityGroup | GroupKind::Generic => None,
        },
        ..style
    }
}
