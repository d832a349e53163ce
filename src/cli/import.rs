//! `import` of every page of a draw.io file into a folder, and the draw.io reading `check`
//! shares with it.

use super::*;

/// `import FILE.drawio --all-pages -o DIR`: one design per page that holds anything, named
/// by its number and page name; nothing is written when the file cannot be read.
pub(super) fn import_all_pages(args: &ImportArgs) -> Result<(), CliError> {
    let text = crate::import::read_source(&args.file)?;
    let shown = args.file.display().to_string();
    if !crate::import::is_drawio_text(&args.file, &text) {
        return Err(usage(format!(
            "{shown}: --all-pages reads draw.io files; a template has one page"
        )));
    }
    let pages = crate::drawio::import_pages(&text, &shown)?;
    if pages.iter().all(|p| p.aws_shapes == 0) {
        return Err(crate::drawio::no_aws_shape(&pages, &shown).into());
    }
    std::fs::create_dir_all(&args.output).map_err(|source| {
        CliError::Save(io::SaveError {
            path: args.output.display().to_string(),
            source,
        })
    })?;
    let mut used = std::collections::HashSet::new();
    for (i, page) in pages.iter().enumerate() {
        let label = format!("{shown}#{}", page.name);
        let label = crate::report::for_terminal(&label);
        match &page.imported {
            Ok(imported)
                if !imported.design.nodes().is_empty() || !imported.design.groups().is_empty() =>
            {
                let slug: String = page
                    .name
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
                    .split('-')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("-");
                let mut name = format!(
                    "{:02}-{}.ron",
                    i + 1,
                    if slug.is_empty() { "page" } else { &slug }
                );
                if !used.insert(name.clone()) {
                    name = format!("{:02}-page.ron", i + 1);
                }
                let out = args.output.join(name);
                io::save_file(&imported.design, &out)?;
                eprintln!(
                    "{label} -> {}: {}",
                    out.display(),
                    crate::report::for_terminal(&imported.report.to_string())
                );
            }
            Ok(_) => eprintln!("{label}: empty, not written"),
            Err(why) => eprintln!("{label}: not read: {}", crate::report::for_terminal(why)),
        }
    }
    Ok(())
}

/// The text of a file `check` reads as a draw.io diagram: one named so, or an `.xml` file that
/// holds draw.io XML (draw.io saves `.drawio.xml` and plain `.xml` too); `None` for the rest.
/// The file is read once, here, for the sniffing and the pages alike.
pub(super) fn drawio_text(path: &Path) -> Option<Result<String, String>> {
    let named = crate::drawio::is_drawio(path);
    let xml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if !named && !xml {
        return None;
    }
    match crate::import::read_source(path) {
        Err(e) => named.then(|| Err(e.to_string())),
        Ok(text) => {
            let head = text.trim_start();
            let drawio = head.starts_with("<mxfile")
                || head.starts_with("<mxGraphModel")
                || head.starts_with("<?xml");
            (named || drawio).then_some(Ok(text))
        }
    }
}

/// The designs of every page of a draw.io file that holds AWS shapes, by page name; an error
/// when the file cannot be read or no page holds one.
pub(super) fn drawio_pages(
    text: &str,
    shown: &str,
) -> Result<Vec<(String, crate::model::Design)>, String> {
    let pages = crate::drawio::import_pages(text, shown).map_err(|e| e.to_string())?;
    if pages.iter().all(|p| p.aws_shapes == 0) {
        return Err(crate::drawio::no_aws_shape(&pages, shown).to_string());
    }
    Ok(pages
        .into_iter()
        .filter(|p| p.aws_shapes > 0)
        .filter_map(|p| p.imported.ok().map(|i| (p.name, i.design)))
        .collect())
}

/// `-o` names a file to write: a folder there is refused up front, saying what to give.
/// `example` is a file name that would do ("design.svg").
pub(super) fn not_a_folder(output: &Path, example: &str) -> Result<(), CliError> {
    if output.is_dir() {
        return Err(usage(format!(
            "{} is a folder; -o takes the file to write, such as {}",
            output.display(),
            output.join(example).display()
        )));
    }
    Ok(())
}
