//! Exports: every template in every format, sizes, structure, selection, golden SVG text and
//! a PNG snapshot compared with a tolerance, and the `archsketch export` command.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::{gid, nid};

use std::path::{Path, PathBuf};
use std::process::Command;

use archsketch::export::{self, ExportOptions, Format, RasterSize};
use archsketch::io::load_file;
use archsketch::model::{Design, ElementRef};
use resvg::usvg;

fn templates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
    out.sort();
    assert!(!out.is_empty());
    out
}

fn small() -> Design {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small.ron")).unwrap()
}

/// The viewBox size of an exported SVG.
fn svg_size(svg: &str) -> (f32, f32) {
    let tree =
        usvg::Tree::from_str(svg, &usvg::Options::default()).expect("the SVG parses with usvg");
    (tree.size().width(), tree.size().height())
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn every_template_exports_to_all_three_formats() {
    for path in templates() {
        let d = load_file(&path).unwrap();
        for format in [Format::Svg, Format::Png, Format::Pdf] {
            let bytes = export::render(
                &d,
                format,
                &ExportOptions::default(),
                RasterSize::Scale(1.0),
            )
            .unwrap_or_else(|e| panic!("{}: {format:?}: {e}", path.display()));
            assert!(
                bytes.len() > 500,
                "{}: {format:?} is suspiciously small",
                path.display()
            );
        }
    }
}

#[test]
fn png_size_is_the_scene_bounds_plus_padding_times_the_scale() {
    let d = small();
    let opts = ExportOptions::default();
    let bounds = archsketch::scene::build(&d).bounds;
    let svg = export::to_svg(&d, &opts);
    let (w, h) = svg_size(&svg);
    assert!(
        (w - (bounds.width() + 2.0 * opts.padding)).abs() <= 2.0,
        "{w} vs {}",
        bounds.width()
    );
    assert!((h - (bounds.height() + 2.0 * opts.padding)).abs() <= 2.0);
    for scale in [1.0, 2.0, 4.0] {
        let png = export::to_png(&svg, RasterSize::Scale(scale), false).unwrap();
        assert_eq!(
            png_size(&png),
            ((w * scale) as u32, (h * scale) as u32),
            "at {scale}x"
        );
    }
    let png = export::to_png(&svg, RasterSize::Width(1000), false).unwrap();
    assert_eq!(png_size(&png).0, 1000);
    assert_eq!(png_size(&png).1, (h * 1000.0 / w).round() as u32);
}

#[test]
fn svg_has_one_element_per_node_edge_and_group_with_ids() {
    let d = small();
    let svg = export::to_svg(&d, &ExportOptions::default());
    svg_size(&svg);
    assert_eq!(svg.matches(r#"<g class="node""#).count(), d.nodes().len());
    assert_eq!(svg.matches(r#"<g class="edge""#).count(), d.edges().len());
    assert_eq!(svg.matches(r#"<g class="group""#).count(), d.groups().len());
    for n in d.nodes() {
        assert!(svg.contains(&format!(r#"data-id="{}""#, n.id)));
    }
    assert!(svg.contains("<title>Small &amp; &lt;escaped&gt;</title>"));
    assert!(!svg.contains("foreignObject"));
    // Icons are inlined once each and used by reference.
    assert_eq!(svg.matches(r#"<symbol id="icon-s3""#).count(), 1);
    assert!(svg.contains(r##"href="#icon-s3""##));
}

#[test]
fn pdf_has_one_page_of_the_diagram_size() {
    let d = small();
    let svg = export::to_svg(&d, &ExportOptions::default());
    let (w, h) = svg_size(&svg);
    let pdf = export::to_pdf(&svg).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-"));
    assert_eq!(
        text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type /Page/").count(),
        1,
        "one page"
    );
    let media = text
        .split("/MediaBox [")
        .nth(1)
        .expect("a MediaBox")
        .split(']')
        .next()
        .unwrap()
        .to_string();
    let nums: Vec<f32> = media
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(
        (nums[2] - nums[0] - w).abs() < 0.5 && (nums[3] - nums[1] - h).abs() < 0.5,
        "{media} vs {w}x{h}"
    );
}

#[test]
fn selection_only_export_contains_only_the_selection() {
    let d = small();
    let opts = ExportOptions {
        selection: Some(vec![
            ElementRef::Node(nid("app")),
            ElementRef::Node(nid("raw")),
        ]),
        ..ExportOptions::default()
    };
    let svg = export::to_svg(&d, &opts);
    assert_eq!(svg.matches(r#"<g class="node""#).count(), 2);
    assert!(svg.contains(r#"data-id="app""#) && svg.contains(r#"data-id="raw""#));
    assert!(!svg.contains(r#"data-id="sql""#) && !svg.contains(r#"data-id="region""#));
    assert_eq!(
        svg.matches(r#"<g class="edge""#).count(),
        1,
        "only the edge between the two"
    );
    let group = ExportOptions {
        selection: Some(vec![ElementRef::Group(gid("region"))]),
        ..ExportOptions::default()
    };
    let svg = export::to_svg(&d, &group);
    assert_eq!(
        svg.matches(r#"<g class="node""#).count(),
        3,
        "a group brings its contents"
    );
    assert!(
        svg.contains(r#"data-id="edge-1""#),
        "edges keep their index in the whole design"
    );
}

#[test]
fn title_legend_dark_theme_and_badges_are_drawn_when_asked() {
    let d = small();
    let plain = export::to_svg(&d, &ExportOptions::default());
    assert!(
        !plain.contains(r#"class="title""#)
            && !plain.contains(r#"class="legend""#)
            && !plain.contains("badge")
    );
    let opts = ExportOptions {
        title: true,
        legend: true,
        theme: export::Theme::Dark,
        badges: vec![export::Badge {
            element: ElementRef::Node(nid("raw")),
            severity: archsketch::rules::Severity::Error,
        }],
        ..ExportOptions::default()
    };
    let svg = export::to_svg(&d, &opts);
    assert!(svg.contains(r#"class="title""#));
    assert_eq!(
        svg.matches("Amazon S3<").count(),
        1,
        "the legend names each service once"
    );
    assert!(svg.contains("#161E2D"), "dark background");
    assert!(svg.contains("badge-error"));
    let transparent = export::to_svg(
        &d,
        &ExportOptions {
            transparent: true,
            ..ExportOptions::default()
        },
    );
    assert!(!transparent.contains(r#"class="background""#));
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn golden_svg_text() {
    let svg = export::to_svg(&small(), &ExportOptions::default());
    let expected = std::fs::read_to_string(golden("small.svg")).unwrap_or_default();
    // Only a difference is written, so the comparison is never with itself.
    if svg != expected && std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden("small.svg"), &svg).unwrap();
        eprintln!("updated small.svg: look at it");
        return;
    }
    assert_eq!(
        svg, expected,
        "run with UPDATE_GOLDEN=1 after an intended change, and look at the result"
    );
}

#[test]
fn png_snapshot_matches_within_tolerance() {
    let png = export::render(
        &small(),
        Format::Png,
        &ExportOptions::default(),
        RasterSize::Scale(1.0),
    )
    .unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some()
        && std::fs::read(golden("small.png")).ok().as_deref() != Some(png.as_slice())
    {
        // Written only when it differs, and then not compared with itself.
        std::fs::write(golden("small.png"), &png).unwrap();
        eprintln!("updated small.png: look at it");
        return;
    }
    let expected = image::load_from_memory(&std::fs::read(golden("small.png")).unwrap())
        .unwrap()
        .to_rgba8();
    let actual = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!(actual.dimensions(), expected.dimensions());
    let differing = actual
        .pixels()
        .zip(expected.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 16))
        .count();
    let total = (actual.width() * actual.height()) as usize;
    assert!(
        differing * 1000 <= total,
        "{differing} of {total} pixels differ"
    );
}

// ---- The command line.

fn archsketch(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_exports_each_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = golden("small.ron");
    for ext in ["svg", "png", "pdf"] {
        let out = dir.path().join(format!("small.{ext}"));
        let run = archsketch(&[
            "export",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--scale",
            "2",
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(std::fs::metadata(&out).unwrap().len() > 500);
    }
    let png = std::fs::read(dir.path().join("small.png")).unwrap();
    let (w, _) = png_size(&png);
    let (sw, _) = svg_size(&std::fs::read_to_string(dir.path().join("small.svg")).unwrap());
    assert_eq!(w, (sw * 2.0) as u32);
}

#[test]
fn cli_writes_svg_to_standard_output_with_dash() {
    let run = archsketch(&["export", golden("small.ron").to_str().unwrap(), "-o", "-"]);
    assert!(run.status.success());
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.starts_with("<svg ") && out.trim_end().ends_with("</svg>"));
}

#[test]
fn cli_exit_2_when_the_input_cannot_be_read() {
    let run = archsketch(&["export", "/no/such/design.ron", "-o", "/tmp/never.png"]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("/no/such/design.ron: cannot read the file: no such file"),
        "{err}"
    );
}

#[test]
fn cli_exit_2_and_no_partial_file_when_the_output_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing-folder").join("out.png");
    let run = archsketch(&[
        "export",
        golden("small.ron").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot write"));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing left behind"
    );
}

#[test]
fn cli_refuses_an_unknown_extension() {
    let run = archsketch(&[
        "export",
        golden("small.ron").to_str().unwrap(),
        "-o",
        "/tmp/out.gif",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("use a .png, .svg, .pdf, .drawio or .mmd")
    );
}

#[test]
fn the_600_node_reference_graph_exports_to_png() {
    let d = archsketch::model::sample::pipelines(600, 200.0);
    let png = export::render(
        &d,
        Format::Png,
        &ExportOptions::default(),
        RasterSize::Scale(1.0),
    )
    .unwrap();
    let (w, h) = png_size(&png);
    assert!(w > 1000 && h > 19_000, "{w} x {h}");
}

#[test]
fn cli_findings_flag_draws_the_badges() {
    let dir = tempfile::tempdir().unwrap();
    let input = golden("check.ron");
    let plain = dir.path().join("plain.svg");
    let marked = dir.path().join("marked.svg");
    assert!(
        archsketch(&[
            "export",
            input.to_str().unwrap(),
            "-o",
            plain.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(
        archsketch(&[
            "export",
            input.to_str().unwrap(),
            "-o",
            marked.to_str().unwrap(),
            "--findings"
        ])
        .status
        .success()
    );
    let plain = std::fs::read_to_string(plain).unwrap();
    let marked = std::fs::read_to_string(marked).unwrap();
    assert!(!plain.contains("badge"));
    assert!(
        marked.contains("badge-error")
            && marked.contains("badge-warning")
            && marked.contains("badge-info")
    );
}

#[test]
fn an_export_never_overwrites_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.svg");
    let design = archsketch::model::sample::pipelines(6, 200.0);
    archsketch::io::save_file(&design, &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args([
            "export",
            path.to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the output is the design itself"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_pdf_too_large_to_make_is_refused_before_the_work_with_what_to_do() {
    let design = archsketch::model::sample::pipelines(40_000, 200.0);
    let err = export::render(
        &design,
        Format::Pdf,
        &ExportOptions::default(),
        RasterSize::Scale(1.0),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(".svg or .png") && err.contains("--only"),
        "{err}"
    );
    // A part of it is small enough.
    let part = ExportOptions {
        selection: Some(vec![ElementRef::Group(gid("region_0"))]),
        ..ExportOptions::default()
    };
    let pdf = export::render(&design, Format::Pdf, &part, RasterSize::Scale(1.0)).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn group_captions_carry_the_aws_group_icon_of_their_kind() {
    use archsketch::model::{Group, GroupKind, Node, Pos};
    let mut d = Design::default();
    let kinds = [
        (GroupKind::AwsCloud, Some("group-cloud")),
        (GroupKind::Region, Some("group-region")),
        (GroupKind::Vpc, Some("group-vpc")),
        (GroupKind::PublicSubnet, Some("group-public-subnet")),
        (GroupKind::PrivateSubnet, Some("group-private-subnet")),
        (GroupKind::AutoScalingGroup, Some("group-auto-scaling")),
        (GroupKind::OnPremises, Some("group-on-premises")),
        (GroupKind::Account, Some("group-account")),
        (GroupKind::AvailabilityZone, None),
        (GroupKind::SecurityGroup, None),
        (GroupKind::Generic, None),
    ];
    for (i, (kind, _)) in kinds.iter().enumerate() {
        let id = format!("n{i}");
        d.push_node(Node::new(nid(&id), "ec2", Pos::new(i as f32 * 300.0, 0.0)))
            .unwrap();
        let mut g = Group::new(gid(&format!("g{i}")), *kind);
        g.children.push(nid(&id).into());
        d.push_group(g).unwrap();
    }
    let svg = String::from_utf8(
        export::render(
            &d,
            Format::Svg,
            &ExportOptions::default(),
            RasterSize::Scale(1.0),
        )
        .unwrap(),
    )
    .unwrap();
    for (i, (kind, icon)) in kinds.iter().enumerate() {
        let start = svg.find(&format!("data-id=\"g{i}\"")).unwrap();
        let group = &svg[start..start + svg[start..].find("</g>").unwrap()];
        match icon {
            Some(icon) => {
                assert!(
                    group.contains(&format!("#icon-{icon}")),
                    "{kind:?}: {group}"
                );
                assert!(svg.contains(&format!("<symbol id=\"icon-{icon}\"")));
            }
            None => assert!(!group.contains("<use"), "{kind:?} has no icon: {group}"),
        }
    }
}
