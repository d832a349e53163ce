//! draw.io style strings (`key=value;key=value;bare;`), read and written.

use std::collections::HashMap;

/// A parsed style: its keys, and the bare words (a bare first word is a shape name).
#[derive(Debug, Default)]
pub struct Style<'a> {
    values: HashMap<&'a str, &'a str>,
    bare: Vec<&'a str>,
}

impl<'a> Style<'a> {
    /// Reads a style string; malformed parts are skipped, never an error.
    pub fn parse(text: &'a str) -> Self {
        let mut style = Style::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((k, v)) => {
                    style.values.insert(k.trim(), v.trim());
                }
                None => style.bare.push(part),
            }
        }
        style
    }

    /// A key's value.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.values.get(key).copied()
    }

    /// Whether a key is set to `1`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == Some("1")
    }

    /// The bare words, such as `ellipse` or `text`.
    pub fn bare(&self) -> &[&'a str] {
        &self.bare
    }
}
