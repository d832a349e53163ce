//! The five study notes the rules rest on, by title, so a citation reads without the notes at
//! hand: `2:566-571` becomes "Cloud Practitioner notes, lines 566-571". Rules keep the compact
//! `file:line` form (it is what SARIF and JSON carry); people see [`cite`].

/// The notes' titles, by file number (0-4).
pub const NOTES: [&str; 5] = [
    "Intro to EC2, S3, Glue and SageMaker",
    "AWS service survey",
    "Cloud Practitioner notes",
    "S3, Lambda, EC2 and ECS",
    "ML notes on data lakes, Kinesis and EMR",
];

/// A `file:line` or `file:first-last` source as a person reads it; anything else (a document
/// of archsketch's own, such as `docs/format.md`) is returned as it is.
pub fn cite(source: &str) -> String {
    let Some((file, lines)) = source.split_once(':') else {
        return source.to_string();
    };
    let Some(title) = file.parse::<usize>().ok().and_then(|i| NOTES.get(i)) else {
        return source.to_string();
    };
    let word = if lines.contains('-') { "lines" } else { "line" };
    format!("{title}, {word} {lines}")
}

/// Text with `(2:389)`-style citations, as the catalog's descriptions and facts carry them,
/// with each one read out by [`cite`]: "(Cloud Practitioner notes, line 389)".
pub fn cite_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let cited = cite(inner);
        let is_source = cited != inner
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '-'));
        out.push('(');
        out.push_str(if is_source { &cited } else { inner });
        out.push(')');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The titles of the notes named by a comma-separated list of note numbers (`"1,3,4"`), as the
/// catalog records which notes mention a service.
pub fn titles(files: &str) -> String {
    files
        .split(',')
        .filter_map(|f| f.trim().parse::<usize>().ok())
        .filter_map(|i| NOTES.get(i).copied())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_as_titles_and_lines() {
        assert_eq!(cite("2:566-571"), "Cloud Practitioner notes, lines 566-571");
        assert_eq!(cite("1:450"), "AWS service survey, line 450");
        assert_eq!(cite("docs/format.md"), "docs/format.md");
        assert_eq!(cite("9:1"), "9:1");
    }

    #[test]
    fn inline_citations_are_read_out_and_other_brackets_left_alone() {
        assert_eq!(
            cite_inline("Produces usage data (1:614). Formerly X (C29), up to (7 days)"),
            "Produces usage data (AWS service survey, line 614). Formerly X (C29), up to (7 days)"
        );
        assert_eq!(cite_inline("open (2:1-3"), "open (2:1-3");
        assert_eq!(
            titles("1,4"),
            "AWS service survey; ML notes on data lakes, Kinesis and EMR"
        );
    }

    #[test]
    fn every_rule_and_reference_cites_a_known_note() {
        let sources = super::super::registry()
            .into_iter()
            .map(|r| r.source)
            .chain(
                super::super::reference::references()
                    .iter()
                    .map(|r| r.source.as_str()),
            );
        for source in sources {
            assert!(
                source.starts_with("docs/") || cite(source) != source,
                "{source} names no note"
            );
        }
    }
}
