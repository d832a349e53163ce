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
