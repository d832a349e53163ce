//! The loaders against input nobody wrote on purpose: random bytes, and real files (a design,
//! a CloudFormation template, a draw.io diagram) with bytes flipped, inserted, cut and lines
//! repeated. Every input gives a design or a clear error, never a panic; whatever loads also
//! checks and exports.
//!
//! CI runs the default 256 cases per property; `PROPTEST_CASES=100000 cargo test --release
//! --test fuzz` runs a long session.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::export::{self, ExportOptions};
use archsketch::{drawio, import, io, rules};
use proptest::prelude::*;

const DESIGN: &str = include_str!("../golden/check.ron");
const TEMPLATE: &str = include_str!("../fixtures/cfn/vpc-nat-private-subnet.yaml");
const DIAGRAM: &str = include_str!("../fixtures/drawio/aws-3.drawio");

/// One way to damage a text.
#[derive(Clone, Debug)]
enum Damage {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Cut(usize, usize),
    RepeatLine(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Damage::Flip(at, b)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'('),
                    Just(b')'),
                    Just(b'"'),
                    Just(b'\\'),
                    Just(b'{'),
                    Just(b'['),
                    Just(b':'),
                    Just(b'\n'),
                    Just(b'!'),
                    Just(b'<'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Damage::Cut(at, len)),
        any::<usize>().prop_map(Damage::RepeatLine),
    ]
}

fn apply(text: &str, damages: &[Damage]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for d in damages {
        let n = bytes.len().max(1);
        match d {
            Damage::Flip(at, b) => {
                if let Some(x) = bytes.get_mut(at % n) {
                    *x = *b;
                }
            }
            Damage::Insert(at, more) => {
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, more.iter().copied());
            }
            Damage::Cut(at, len) => {
                let at = (at % n).min(bytes.len());
                let end = (at + len).min(bytes.len());
                bytes.drain(at..end);
            }
            Damage::RepeatLine(at) => {
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                let i = at % lines.len().max(1);
                let mut out = Vec::with_capacity(bytes.len() * 2);
                for (k, line) in lines.iter().enumerate() {
                    out.extend_from_slice(line);
                    out.push(b'\n');
                    if k == i {
                        out.extend_from_slice(line);
                        out.push(b'\n');
                    }
                }
                bytes = out;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Whatever loads must also check and export without a panic.
fn use_it(design: &archsketch::model::Design) {
    let findings = rules::check(design);
    let _ = export::badges(&findings);
    let svg = export::to_svg(design, &ExportOptions::default());
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"));
}

proptest! {
    #[test]
    fn random_text_never_panics_a_loader(text in "\\PC{0,400}") {
        if let Ok(d) = io::load_str(&text, "fuzz.ron") {
            use_it(&d);
        }
        let _ = import::import_template(&text, "fuzz.yaml");
        let _ = drawio::import_drawio(&text, "fuzz.drawio");
    }

    #[test]
    fn a_damaged_design_loads_or_says_why(damages in prop::collection::vec(damage(), 1..6)) {
        let text = apply(DESIGN, &damages);
        match io::load_str(&text, "fuzz.ron") {
            Ok(d) => use_it(&d),
            Err(e) => {
                // A message a person can act on: about this file, at a place inside it, short.
                prop_assert_eq!(&e.path, "fuzz.ron");
                if let Some((line, _)) = e.location {
                    prop_assert!(line >= 1 && line <= text.lines().count() + 1, "{e}");
                }
                prop_assert!(e.message.len() < 1_000, "{e}");
            }
        }
    }

    #[test]
    fn a_damaged_template_imports_or_says_why(damages in prop::collection::vec(damage(), 1..6)) {
        let text = apply(TEMPLATE, &damages);
        match import::import_template(&text, "fuzz.yaml") {
            Ok(imported) => use_it(&imported.design),
            Err(e) => {
                let said = e.to_string();
                prop_assert!(said.starts_with("fuzz.yaml"), "{said}");
                prop_assert!(said.len() < 2_000, "{said}");
            }
        }
    }

    #[test]
    fn a_damaged_diagram_imports_or_says_why(damages in prop::collection::vec(damage(), 1..6)) {
        let text = apply(DIAGRAM, &damages);
        match drawio::import_drawio(&text, "fuzz.drawio") {
            Ok(imported) => use_it(&imported.design),
            Err(e) => {
                let said = e.to_string();
                prop_assert!(said.starts_with("fuzz.drawio"), "{said}");
                prop_assert!(said.len() < 2_000, "{said}");
            }
        }
    }
}
