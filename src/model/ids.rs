//! Typed ids of nodes and groups. Both are the readable strings of the file (`raw`, `vpc_2`),
//! so they read, sort, hash and print as text; the types keep a node id from being passed
//! where a group id is meant, and a piece of text from being taken for an id at all: text
//! becomes an id only by being parsed ([`std::str::FromStr`], which checks the file format's
//! pattern) or by the program making a fresh one.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::naming::is_valid_id;

/// Why a piece of text is not an id: it is empty or holds a character outside
/// `[A-Za-z0-9_.-]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadId(pub String);

impl fmt::Display for BadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not an id: ids are letters, digits, '_', '.' and '-'",
            self.0
        )
    }
}

impl std::error::Error for BadId {}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// An id the program made itself (a fresh id, a slug of a template's name) or
            /// read from a file that [`super::Design::validate`] checks before anyone uses it.
            pub(crate) fn made(id: impl Into<String>) -> Self {
                Self(id.into())
            }
        }

        impl FromStr for $name {
            type Err = BadId;
            fn from_str(text: &str) -> Result<Self, BadId> {
                if is_valid_id(text) {
                    Ok(Self(text.to_string()))
                } else {
                    Err(BadId(text.to_string()))
                }
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        text_eq!($name);
    };
}

/// An id compares equal to its text, for tests and checks that read what a design holds;
/// comparing makes no id out of the text.
macro_rules! text_eq {
    ($name:ident) => {
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

string_id!(
    /// A node's id: unique among the nodes and groups of a design. It is not a group id,
    /// and text is not a node id until it is parsed:
    ///
    /// ```compile_fail
    /// let node: archsketch::model::NodeId = "raw".parse().unwrap();
    /// let group: archsketch::model::GroupId = node;
    /// ```
    ///
    /// ```compile_fail
    /// let node: archsketch::model::NodeId = "raw".into();
    /// ```
    NodeId
);
string_id!(
    /// A group's id: unique among the nodes and groups of a design.
    GroupId
);

/// What an edge end, a box member or a suppression points at: a node or a group. It
/// compares, sorts and hashes as its text, which is unique among nodes and groups.
#[derive(Clone, Debug)]
pub enum ElementId {
    Node(NodeId),
    Group(GroupId),
}

impl ElementId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            ElementId::Node(id) => id.as_str(),
            ElementId::Group(id) => id.as_str(),
        }
    }

    /// The node id, when it points at a node.
    pub fn node(&self) -> Option<&NodeId> {
        match self {
            ElementId::Node(id) => Some(id),
            ElementId::Group(_) => None,
        }
    }

    /// The group id, when it points at a group.
    pub fn group(&self) -> Option<&GroupId> {
        match self {
            ElementId::Group(id) => Some(id),
            ElementId::Node(_) => None,
        }
    }

    /// Whether it points at a group.
    pub fn is_group(&self) -> bool {
        matches!(self, ElementId::Group(_))
    }
}

impl PartialEq for ElementId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ElementId {}

impl PartialOrd for ElementId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ElementId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for ElementId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

text_eq!(ElementId);

impl Borrow<str> for ElementId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for ElementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<NodeId> for ElementId {
    fn from(id: NodeId) -> Self {
        ElementId::Node(id)
    }
}

impl From<GroupId> for ElementId {
    fn from(id: GroupId) -> Self {
        ElementId::Group(id)
    }
}

impl From<&NodeId> for ElementId {
    fn from(id: &NodeId) -> Self {
        ElementId::Node(id.clone())
    }
}

impl From<&GroupId> for ElementId {
    fn from(id: &GroupId) -> Self {
        ElementId::Group(id.clone())
    }
}

impl From<&ElementId> for ElementId {
    fn from(id: &ElementId) -> Self {
        id.clone()
    }
}

impl PartialEq<NodeId> for ElementId {
    fn eq(&self, other: &NodeId) -> bool {
        self.node() == Some(other)
    }
}

impl PartialEq<GroupId> for ElementId {
    fn eq(&self, other: &GroupId) -> bool {
        self.group() == Some(other)
    }
}

impl PartialEq<ElementId> for NodeId {
    fn eq(&self, other: &ElementId) -> bool {
        other == self
    }
}

impl PartialEq<ElementId> for GroupId {
    fn eq(&self, other: &ElementId) -> bool {
        other == self
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NodeId {}
    impl Sealed for super::GroupId {}
    impl Sealed for super::ElementId {}
    impl<T: Sealed + ?Sized> Sealed for &T {}
}

/// Anything that names a node or a group by a typed id: what a design's lookups accept, so
/// no lookup can be handed bare text.
pub trait AnyId: sealed::Sealed {
    /// The id's text, the key of the design's lookups.
    fn key(&self) -> &str;
}

/// An id that may name a node: a node id, or an element id that may be one.
pub trait NodeKey: AnyId {}

/// An id that may name a group: a group id, or an element id that may be one.
pub trait GroupKey: AnyId {}

impl AnyId for NodeId {
    fn key(&self) -> &str {
        self.as_str()
    }
}

impl AnyId for GroupId {
    fn key(&self) -> &str {
        self.as_str()
    }
}

impl AnyId for ElementId {
    fn key(&self) -> &str {
        self.as_str()
    }
}

impl<T: AnyId + ?Sized> AnyId for &T {
    fn key(&self) -> &str {
        (**self).key()
    }
}

impl NodeKey for NodeId {}
impl NodeKey for ElementId {}
impl<T: NodeKey + ?Sized> NodeKey for &T {}
impl GroupKey for GroupId {}
impl GroupKey for ElementId {}
impl<T: GroupKey + ?Sized> GroupKey for &T {}

/// A node id from a unit test's text.
#[cfg(test)]
pub(crate) fn nid(text: &str) -> NodeId {
    NodeId::made(text)
}

/// A group id from a unit test's text.
#[cfg(test)]
pub(crate) fn gid(text: &str) -> GroupId {
    GroupId::made(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_an_id_only_when_it_fits_the_pattern() {
        assert_eq!("raw_2".parse::<NodeId>().unwrap().as_str(), "raw_2");
        assert!("".parse::<NodeId>().is_err());
        assert!("a b".parse::<GroupId>().is_err());
        let err = "räw".parse::<NodeId>().unwrap_err();
        assert!(err.to_string().contains("räw"), "{err}");
    }

    #[test]
    fn an_element_id_is_its_text_whichever_kind_it_names() {
        let node = ElementId::from(NodeId::made("x"));
        let group = ElementId::from(GroupId::made("y"));
        assert!(node < group);
        assert_eq!(node, NodeId::made("x"));
        assert_ne!(node, GroupId::made("x"));
        assert_eq!(group.group().map(GroupId::as_str), Some("y"));
        assert!(node.node().is_some() && node.group().is_none());
    }
}
