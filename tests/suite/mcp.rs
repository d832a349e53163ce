//! `archsketch mcp` driven as an MCP client drives it: initialize, list the tools, call them;
//! `check` answers exactly what `archsketch check --format sarif` prints.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// Sends the messages, one a line, closes the input, and returns the replies by id.
fn session(messages: &[Value]) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .arg("mcp")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    for m in messages {
        writeln!(input, "{m}").unwrap();
    }
    writeln!(input, "not json").unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn call(id: u32, name: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": name, "arguments": arguments}})
}

#[test]
fn an_assistant_initializes_lists_the_tools_and_checks_a_design() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("t01.ron");
    let replies = session(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                          "clientInfo": {"name": "test", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        call(3, "check", json!({"file": "tests/golden/check.ron"})),
        call(
            4,
            "new",
            json!({"template": "t01", "output": new.to_str().unwrap()}),
        ),
        call(
            5,
            "diff",
            json!({"old": "tests/golden/check.ron", "new": new.to_str().unwrap(), "format": "json"}),
        ),
        call(6, "check", json!({"file": "no/such/file.ron"})),
        call(7, "teleport", json!({})),
        json!({"jsonrpc": "2.0", "id": 8, "method": "resources/list"}),
    ]);
    // The notification gets no reply; the line that is not JSON gets a parse error.
    let ids: Vec<&Value> = replies.iter().map(|r| &r["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!(1),
            &json!(2),
            &json!(3),
            &json!(4),
            &json!(5),
            &json!(6),
            &json!(7),
            &json!(8),
            &Value::Null
        ]
    );
    assert_eq!(replies[0]["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(replies[0]["result"]["serverInfo"]["name"], "archsketch");
    let names: Vec<&str> = replies[1]["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "check",
            "import",
            "export",
            "layout",
            "diff",
            "templates",
            "new"
        ]
    );
    for t in replies[1]["result"]["tools"].as_array().unwrap() {
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
    }
    // `check` is the command line's SARIF, byte for byte.
    let sarif = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(["check", "--format", "sarif", "tests/golden/check.ron"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(replies[2]["result"]["isError"], false);
    assert_eq!(
        replies[2]["result"]["content"][0]["text"].as_str().unwrap(),
        String::from_utf8(sarif.stdout).unwrap()
    );
    assert_eq!(replies[3]["result"]["isError"], false, "{}", replies[3]);
    assert!(new.exists());
    let review: Value =
        serde_json::from_str(replies[4]["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert!(!review["services"]["added"].as_array().unwrap().is_empty());
    assert_eq!(replies[5]["result"]["isError"], true);
    assert!(
        replies[5]["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("no/such/file.ron")
    );
    assert_eq!(replies[6]["result"]["isError"], true);
    assert_eq!(replies[7]["error"]["code"], -32601);
    assert_eq!(replies[8]["error"]["code"], -32700);
}
