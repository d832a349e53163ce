//! Hash maps keyed by element and service ids, with a hasher suited to short strings.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: ids are short strings, and SipHash's DoS resistance buys nothing on a design the
/// person drew; this is several times faster on them.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash map keyed by ids.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;
/// A hash set of ids.
pub type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fnv>>;
