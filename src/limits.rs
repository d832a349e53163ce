//! What archsketch reads at most, in one place: files come from strangers (a template in a
//! pull request, a colleague's draw.io file, a team's rule pack), and none may crash, hang or
//! exhaust the program. Each limit is far above what real files need and is checked while
//! reading, and a file over one is refused with a message that names it (exit code 2).

/// The largest file read, of any kind: no hand-drawn design comes close, and a generated
/// design of 100,000 services takes about 17 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How deeply YAML and JSON values may nest. Real templates nest a few dozen levels (a state
/// machine definition inside a resource); 25,000 nested sequences would overflow the stack of
/// every recursive walk.
pub const MAX_NESTING: usize = 256;

/// How many values a YAML document may hold once its aliases are expanded: a 684-byte "billion
/// laughs" file expands to gigabytes. A large real template holds well under 100,000.
pub const MAX_YAML_VALUES: usize = 2_000_000;

/// How many findings one rule of a team's pack reports on one design; past it, one more
/// finding says how many were left out. A pack rule that matches everything on a design of
/// 100,000 services would otherwise hold gigabytes of findings nobody reads one by one.
pub const MAX_FINDINGS_PER_PACK_RULE: usize = 1_000;

/// How much of a label is drawn, quoted in a finding or edited in the inspector: a label a
/// person reads is a few words; a 10 MB one (a stranger's file) would stall every frame. The
/// design keeps the whole text; only what is shown is cut, ending in an ellipsis.
pub const MAX_SHOWN_LABEL_CHARS: usize = 1_000;

/// How much of a label a finding quotes: enough to recognise the element in a list, short
/// enough that a list of findings stays a list.
pub const MAX_QUOTED_LABEL_CHARS: usize = 80;

/// `text` as shown: whole when within [`MAX_SHOWN_LABEL_CHARS`], else cut there with "…".
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    cut_to(text, MAX_SHOWN_LABEL_CHARS)
}

/// `text` whole when within `max` characters, else its first `max` with "…".
pub fn cut_to(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_is_shown_cut_and_a_short_one_whole() {
        let long = "é".repeat(MAX_SHOWN_LABEL_CHARS + 1);
        let cut = shown(&long);
        assert_eq!(cut.chars().count(), MAX_SHOWN_LABEL_CHARS + 1);
        assert!(cut.ends_with('…'));
        let exact = "é".repeat(MAX_SHOWN_LABEL_CHARS);
        assert_eq!(shown(&exact), exact.as_str());
    }
}
