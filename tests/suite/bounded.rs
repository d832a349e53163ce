//! Files made to crash, hang or exhaust archsketch are refused with a clear message and exit
//! code 2, quickly, and nothing is written (issue "Bounded"). Each case runs the real binary.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("archsketch-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The smallest design: one bucket.
const ONE_BUCKET: &str =
    "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0))])\n";

/// The address space each run may take: 1 GiB.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

/// Runs archsketch with `args` under [`MEMORY_LIMIT_KB`], killed if it runs longer than a few
/// seconds. Its output is
/// read while it runs, so a long report never fills the pipe and stalls it.
fn run(args: &[&str]) -> (Output, Duration) {
    use std::io::Read;
    let start = Instant::now();
    // Under a memory limit, as the issue asks: an input that blows up fails here.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        // glibc reserves 64 MiB of address space per thread arena; on a many-core machine
        // that alone would pass the limit without using the memory.
        .env("MALLOC_ARENA_MAX", "2")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("archsketch {args:?} ran for more than 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (output, start.elapsed())
}

/// Runs `command FILE -o OUT`, which must succeed.
fn succeeds(command: &str, file: &Path, out: &Path) {
    let (output, _) = run(&[command, file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Imports `file` into the scratch design `out`, which must succeed.
fn imports(file: &Path, out: &str) {
    succeeds("import", file, &scratch(out));
}

/// `import` and `check` of the file both refuse it with exit 2 and a message containing
/// `says`; the import writes nothing.
fn refused(file: &Path, says: &str) {
    let out = scratch("out.ron");
    let _ = std::fs::remove_file(&out);
    for args in [
        vec![
            "import",
            file.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        vec!["check", file.to_str().unwrap()],
    ] {
        let (output, took) = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            stderr.len() < 2_000,
            "{args:?}: a message of {} bytes",
            stderr.len()
        );
        assert!(took < Duration::from_secs(10), "{args:?} took {took:?}");
    }
    assert!(
        !out.exists(),
        "an import over a limit wrote {}",
        out.display()
    );
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    // The "billion laughs": ten levels of anchors, each ten aliases of the one before.
    let mut text = String::from("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n");
    text.push_str("      L0: &l0 [lol]\n");
    for level in 1..10 {
        let prev = format!("*l{}", level - 1);
        let row = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("      L{level}: &l{level} [{row}]\n"));
    }
    assert!(text.len() < 1_000);
    let file = scratch("laughs.yaml");
    std::fs::write(&file, text).unwrap();
    refused(&file, "aliases");
}

#[test]
fn a_near_miss_of_aliases_reads() {
    // Anchors shared a few times, as templates do, are read.
    let text = "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: &t [{Key: a, Value: b}]\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *t\n";
    let file = scratch("anchors.yaml");
    std::fs::write(&file, text).unwrap();
    imports(&file, "anchors.ron");
}

#[test]
fn values_nested_past_the_limit_are_refused_not_a_stack_overflow() {
    // 25,000 block sequences, one inside the other; and JSON arrays likewise.
    // `- - - x`: each dash opens a block sequence inside the one before (50 KB in all).
    let block = format!(
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X:\n        {}x\n",
        "- ".repeat(25_000)
    );
    let file = scratch("deep.yaml");
    std::fs::write(&file, block).unwrap();
    refused(&file, "nest more than");
    let json = format!(
        "{{\"Resources\": {{\"A\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"X\": {}1{}}}}}}}}}",
        "[".repeat(25_000),
        "]".repeat(25_000)
    );
    let file = scratch("deep.json");
    std::fs::write(&file, json).unwrap();
    refused(&file, "nest more than");
}

#[test]
fn devices_and_pipes_are_refused_without_reading_them() {
    refused(Path::new("/dev/zero"), "not a regular file");
    let fifo = scratch("pipe.yaml");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        refused(&fifo, "not a regular file");
    }
    // A rule pack is read the same way.
    let design = scratch("one.ron");
    std::fs::write(&design, ONE_BUCKET).unwrap();
    let (output, took) = run(&["check", design.to_str().unwrap(), "--rules", "/dev/zero"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(took < Duration::from_secs(10));
}

#[test]
fn a_nul_byte_is_refused_where_it_is_and_a_byte_order_mark_is_read() {
    let file = scratch("nul.yaml");
    std::fs::write(
        &file,
        b"Resources:\n  A:\n    Type: AWS::S3::Bucket\n\0  B:\n    Type: AWS::SQS::Queue\n",
    )
    .unwrap();
    refused(&file, "NUL byte");
    // The near miss: a byte-order mark before a design and before a template.
    let design = scratch("bom.ron");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(ONE_BUCKET.as_bytes());
    std::fs::write(&design, bytes).unwrap();
    let (output, _) = run(&["check", design.to_str().unwrap()]);
    assert!(
        matches!(output.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let template = scratch("bom.yaml");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"Resources:\n  A:\n    Type: AWS::S3::Bucket\n");
    std::fs::write(&template, bytes).unwrap();
    imports(&template, "bom-out.ron");
}

#[test]
fn layout_refuses_to_write_over_its_input() {
    let design = scratch("in-place.ron");
    let text = ONE_BUCKET;
    std::fs::write(&design, text).unwrap();
    let (output, _) = run(&[
        "layout",
        design.to_str().unwrap(),
        "-o",
        design.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&design).unwrap(), text);
    // The near miss: another output is written.
    succeeds("layout", &design, &scratch("laid-out.ron"));
}

#[test]
fn a_bend_that_is_no_number_is_refused_and_a_finite_one_loads() {
    let bent = |bend: &str| {
        format!(
            "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0)), Node(id: \"b\", service: \"sqs\", pos: (300.0, 0.0))], edges: [Edge(from: \"a\", to: \"b\", kind: Data, bends: [({bend}, 0.0)])])"
        )
    };
    for bad in ["NaN", "inf", "-inf"] {
        let err = archsketch::io::load_str(&bent(bad), "bent.ron").unwrap_err();
        assert!(err.message.contains("bend"), "{bad}: {err}");
    }
    archsketch::io::load_str(&bent("150.0"), "bent.ron").unwrap();
}

#[test]
fn a_rule_pack_with_a_syntax_error_is_called_a_rule_pack() {
    let dir = scratch("pack");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("archsketch.rules.ron"), "RulePack(rules: [").unwrap();
    let design = dir.join("d.ron");
    std::fs::write(&design, ONE_BUCKET).unwrap();
    let (output, _) = run(&["check", design.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a valid rule pack"), "{stderr}");
    assert!(!stderr.contains("design file"), "{stderr}");
}

#[test]
fn a_folder_given_as_output_is_named_as_a_folder() {
    let folder = scratch("out-folder");
    std::fs::create_dir_all(&folder).unwrap();
    let design = scratch("for-folder.ron");
    std::fs::write(&design, ONE_BUCKET).unwrap();
    for command in ["export", "layout", "import"] {
        let (output, _) = run(&[
            command,
            design.to_str().unwrap(),
            "-o",
            folder.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("is a folder"), "{command}: {stderr}");
    }
}

#[test]
fn a_pdf_page_stays_within_what_readers_open() {
    let far = scratch("far.ron");
    std::fs::write(
        &far,
        "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0)), Node(id: \"b\", service: \"sqs\", pos: (9000000.0, 4000000.0))])\n",
    )
    .unwrap();
    let page = |design: &Path| {
        let pdf = design.with_extension("pdf");
        succeeds("export", design, &pdf);
        let bytes = std::fs::read(&pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let at = text.find("/MediaBox [").unwrap() + "/MediaBox [".len();
        let sides: Vec<f32> = text[at..]
            .split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        (sides[2], sides[3])
    };
    let (w, h) = page(&far);
    assert!(w <= 14_400.5 && h <= 14_400.5, "{w} x {h}");
    assert!(w > 14_000.0, "the longest side is used: {w}");
    assert!((w / h - 2.25).abs() < 0.05, "the shape is kept: {w} x {h}");
    // The near miss: a page of ordinary size is left at 1 unit = 1 pt.
    let near = scratch("near.ron");
    std::fs::write(
        &near,
        "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0)), Node(id: \"b\", service: \"sqs\", pos: (600.0, 0.0))])\n",
    )
    .unwrap();
    let (w, _) = page(&near);
    assert!(w > 600.0 && w < 1_000.0, "{w}");
}

#[test]
fn a_drawio_file_nested_past_the_limit_is_refused_not_a_stack_overflow() {
    let deep = scratch("deep.drawio");
    let n = 20_000;
    let cells = "<object id=\"x\">".repeat(n) + &"</object>".repeat(n);
    std::fs::write(
        &deep,
        format!("<mxfile><diagram name=\"P\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>{cells}</root></mxGraphModel></diagram></mxfile>"),
    )
    .unwrap();
    refused(&deep, "nest more than 256 deep");
    // The near miss: a few levels of objects read.
    let shallow = scratch("shallow.drawio");
    std::fs::write(
        &shallow,
        "<mxfile><diagram name=\"P\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/><object id=\"s\" label=\"Lake\"><mxCell style=\"shape=mxgraph.aws4.s3;\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"0\" y=\"0\" width=\"40\" height=\"40\" as=\"geometry\"/></mxCell></object></root></mxGraphModel></diagram></mxfile>",
    )
    .unwrap();
    imports(&shallow, "shallow.ron");
}

#[test]
fn a_pack_rule_that_matches_everything_keeps_a_bounded_number_of_findings() {
    let dir = scratch("greedy-pack");
    std::fs::create_dir_all(&dir).unwrap();
    let rules: String = (0..20)
        .map(|i| format!("Rule(id: \"ALL-{i}\", severity: Info, message: \"{{label}} seen\", on: Service(\"s3\"), require: Absent),\n"))
        .collect();
    std::fs::write(
        dir.join("archsketch.rules.ron"),
        format!("RulePack(rules: [\n{rules}])\n"),
    )
    .unwrap();
    let mut design = String::from("Design(format: 1, nodes: [\n");
    for i in 0..5_000 {
        design.push_str(&format!(
            "Node(id: \"b{i}\", service: \"s3\", pos: ({}.0, {}.0)),\n",
            (i % 100) * 150,
            (i / 100) * 150
        ));
    }
    design.push_str("])\n");
    let file = dir.join("many.ron");
    std::fs::write(&file, design).unwrap();
    let (output, _) = run(&["check", "--format", "json", file.to_str().unwrap()]);
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let of_rule = |id: &str| {
        findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == id)
            .count()
    };
    let cap = archsketch::limits::MAX_FINDINGS_PER_PACK_RULE;
    // The first `cap` services, then one finding that says how many more there are.
    assert_eq!(of_rule("ALL-0"), cap + 1);
    let more = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ALL-7" && f["message"].as_str().unwrap().contains("more"))
        .expect("a finding says how many were left out");
    assert!(
        more["message"].as_str().unwrap().contains("4000 more"),
        "{more}"
    );
    // The near miss: under the cap, every finding is listed.
    assert_eq!(of_rule("R063"), 5_000, "built-in rules are not capped");
}

#[test]
fn the_lenient_retry_never_grows_a_template_into_gigabytes() {
    // A flow sequence opened 20,000 columns in with 400,000 lines under it at the margin:
    // indenting each under its key would write 8 GB.
    let wide = scratch("wide-flow.yaml");
    let text = " ".repeat(20_000) + "A: [1,\n" + &"2,\n".repeat(400_000) + "3]\n";
    std::fs::write(&wide, text).unwrap();
    refused(&wide, "indentation");
    // The near miss: the same list under a resource, at a sane indentation, reads.
    let near = scratch("near-flow.yaml");
    let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [1,\n"
        .to_string()
        + &"2,\n".repeat(40_000)
        + "3]\n";
    std::fs::write(&near, text).unwrap();
    imports(&near, "near-flow.ron");
}

#[test]
fn the_sizes_the_issue_names_import_in_seconds_within_a_gigabyte() {
    // A template of 100,000 resources, one of them naming all the others.
    let template = scratch("hundred-thousand.yaml");
    let mut text = String::from("Resources:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  Q{i}:\n    Type: AWS::SQS::Queue\n"));
    }
    text.push_str("  F:\n    Type: AWS::Lambda::Function\n    DependsOn:\n");
    for i in 0..100_000 {
        text.push_str(&format!("      - Q{i}\n"));
    }
    std::fs::write(&template, text).unwrap();
    // A draw.io page of 100,000 cells, 20,000 of them sharing one id.
    let diagram = scratch("hundred-thousand.drawio");
    let mut cells = String::new();
    for i in 0..100_000 {
        let id = if i < 20_000 {
            "same".to_string()
        } else {
            format!("c{i}")
        };
        cells.push_str(&format!(
            "<mxCell id=\"{id}\" value=\"b{i}\" style=\"shape=mxgraph.aws4.s3;\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"{}\" y=\"{}\" width=\"40\" height=\"40\" as=\"geometry\"/></mxCell>",
            (i % 300) * 60,
            (i / 300) * 60
        ));
    }
    std::fs::write(
        &diagram,
        format!("<mxfile><diagram name=\"P\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>{cells}</root></mxGraphModel></diagram></mxfile>"),
    )
    .unwrap();
    for (file, out) in [
        (&template, "big-template.ron"),
        (&diagram, "big-diagram.ron"),
    ] {
        let start = Instant::now();
        imports(file, out);
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(15),
            "{}: {took:?}",
            file.display()
        );
        // What was written opens again.
        archsketch::io::load_file(&scratch(out)).unwrap();
    }
}
