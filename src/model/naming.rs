//! How new ids are made: readable, slugged from a label or a source id, and unique.

use std::collections::HashMap;

/// The id scheme of new elements: `base` slugified (`node` when nothing is left), then
/// `base_2`, `base_3`, ... until `taken` says no. Callers bring their own lookup.
pub fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slugify(base);
    let base = if base.is_empty() {
        "node".to_string()
    } else {
        base
    };
    unused_id(base, taken)
}

/// `base` as it is when free, else `base_2`, `base_3`, ...: for ids that come from elsewhere
/// (a template's logical ids, a draw.io file's cell ids) and must stay recognisable.
pub fn unused_id(base: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

/// Hands out ids nobody has taken, as [`unused_id`] names them (`x`, `x_2`, `x_3`, ...), in
/// constant time per id however many share a base: 20,000 draw.io cells all called "same"
/// would otherwise cost 20,000 tries each.
#[derive(Default)]
pub struct FreshIds {
    taken: std::collections::HashSet<String>,
    /// For each base handed out, the suffix to try next.
    next: HashMap<String, usize>,
}

impl FreshIds {
    /// `base` if it is free, else the first free `base_N`; either way taken from now on.
    pub fn fresh(&mut self, base: String) -> String {
        let id = if self.taken.contains(&base) {
            let mut n = self.next.get(&base).copied().unwrap_or(2);
            let mut candidate = format!("{base}_{n}");
            while self.taken.contains(&candidate) {
                n += 1;
                candidate = format!("{base}_{n}");
            }
            self.next.insert(base, n + 1);
            candidate
        } else {
            base
        };
        self.taken.insert(id.clone());
        id
    }
}

/// Whether a character may appear in an id (`[A-Za-z0-9_.-]`).
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Whether `id` fits the file format's id pattern `[A-Za-z0-9_.-]+`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(is_id_char)
}

/// Turns a label into an id fragment: lowercase ASCII, runs of anything else become `_`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}
