//! Errors have kinds end to end: a load error says what kind of problem the file has, an edit
//! error whether the command is stale or refused, and a command-line error keeps the error it
//! came from and knows its exit code. Tests match kinds, not message wording.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use archsketch::cli::{CliError, Command, run};
use archsketch::edit::{EditCommand, EditError, apply};
use archsketch::export::ExportError;
use archsketch::io::{LoadErrorKind, load_file, load_str};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// Runs `archsketch ARGS...` in-process and returns its error, if any.
fn cli(args: &[&str]) -> Result<(), CliError> {
    let parsed = Args::try_parse_from(std::iter::once("archsketch").chain(args.iter().copied()))
        .expect("the arguments parse");
    run(parsed.command, &mut std::io::sink())
}

fn load_kind(text: &str) -> LoadErrorKind {
    load_str(text, "t.ron").expect_err("refused").kind
}

#[test]
fn load_errors_say_which_kind_of_problem_the_file_has() {
    assert_eq!(
        load_kind("Design(format: 1, nodes: ["),
        LoadErrorKind::Syntax
    );
    assert_eq!(
        load_kind("Design(format: 1, colour: \"red\")"),
        LoadErrorKind::Syntax
    );
    assert_eq!(load_kind("Design(format: 9)"), LoadErrorKind::Format);
    assert_eq!(
        load_kind(
            "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0, 0)), Node(id: \"a\", service: \"s3\", pos: (9, 0))])"
        ),
        LoadErrorKind::Invalid
    );
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ron");
    assert_eq!(
        load_file(&missing).unwrap_err().kind,
        LoadErrorKind::Unreadable
    );
    assert_eq!(
        load_file(dir.path()).unwrap_err().kind,
        LoadErrorKind::Unreadable
    );
    let latin1 = dir.path().join("latin1.ron");
    std::fs::write(&latin1, b"Design(format: 1, title: \"caf\xe9\")").unwrap();
    let e = load_file(&latin1).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::NotText);
    assert_eq!(e.location, Some((1, 30)), "points at the first bad byte");
}

#[test]
fn edit_errors_tell_a_stale_command_from_a_refused_one() {
    let mut d = load_str(include_str!("../fixtures/format_example.ron"), "x.ron").unwrap();
    let before = d.clone();
    assert!(matches!(
        apply(&mut d, EditCommand::RemoveNode { id: nid("ghost") }),
        Err(EditError::Missing(_))
    ));
    assert!(matches!(
        apply(&mut d, EditCommand::RemoveNode { id: nid("raw") }),
        Err(EditError::Refused(_))
    ));
    assert_eq!(d, before, "a failed edit changes nothing");
}

#[test]
fn command_line_errors_keep_their_source_and_know_their_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // A design with errors: exit 1, and only that.
    let e = cli(&["check", "tests/golden/check.ron"]).unwrap_err();
    assert!(matches!(e, CliError::Findings(2)), "{e:?}");
    assert_eq!(e.exit_code(), 1);
    // An unreadable design: the load error, with its kind, exit 2.
    let missing = dir.path().join("missing.ron");
    let e = cli(&["export", missing.to_str().unwrap(), "-o", "x.svg"]).unwrap_err();
    match &e {
        CliError::Load(load) => assert_eq!(load.kind, LoadErrorKind::Unreadable),
        other => panic!("expected a load error, got {other:?}"),
    }
    assert_eq!(e.exit_code(), 2);
    // A number that makes no drawing: a usage error.
    let e = cli(&[
        "export",
        "tests/golden/small.ron",
        "-o",
        dir.path().join("x.png").to_str().unwrap(),
        "--width",
        "0",
    ])
    .unwrap_err();
    assert!(matches!(e, CliError::Usage(_)), "{e:?}");
    // An output folder that does not exist: the export error keeps the system's reason.
    let nowhere = dir.path().join("no-such-folder").join("x.svg");
    let e = cli(&[
        "export",
        "tests/golden/small.ron",
        "-o",
        nowhere.to_str().unwrap(),
    ])
    .unwrap_err();
    match &e {
        CliError::Export(ExportError::Write { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
        }
        other => panic!("expected a write error, got {other:?}"),
    }
    assert_eq!(e.exit_code(), 2);
    // An unknown rule id for --disable: a usage error naming the close one.
    let e = cli(&["check", "--disable", "R0001", "tests/golden/check.ron"]).unwrap_err();
    assert!(
        matches!(&e, CliError::Usage(m) if m.contains("R001")),
        "{e:?}"
    );
}
