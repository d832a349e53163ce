//! `archsketch mcp`: the headless commands served over the Model Context Protocol (JSON-RPC
//! 2.0, one message a line on standard input and output), so a coding assistant can check,
//! import, export, arrange and compare the architecture it is changing. Each tool runs the
//! command line it stands for through [`super::run`], so `check` answers exactly what
//! `archsketch check --format sarif` prints.

use std::io::{BufRead, Write};

use clap::Parser;
use serde_json::{Value, json};

use super::{CliError, Command};

/// The protocol revisions this server speaks, newest first.
const PROTOCOLS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// One command line, as the tools build them.
#[derive(Parser)]
#[command(name = "archsketch")]
struct Line {
    #[command(subcommand)]
    command: Command,
}

/// Answers requests read from `input` until it ends.
pub fn serve(input: impl BufRead, output: &mut dyn Write) -> Result<(), CliError> {
    for line in input.lines() {
        let line = line.map_err(|source| CliError::Output {
            what: "the MCP input",
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let Some(reply) = answer(&line) else {
            continue;
        };
        let mut text = reply.to_string();
        text.push('\n');
        output
            .write_all(text.as_bytes())
            .and_then(|()| output.flush())
            .map_err(|source| CliError::Output {
                what: "an MCP reply",
                source,
            })?;
    }
    Ok(())
}

/// The reply to one message; none to a notification.
fn answer(line: &str) -> Option<Value> {
    let message: Value = match serde_json::from_str(line) {
        Ok(m) => m,
        Err(e) => return Some(error(Value::Null, -32700, &format!("not JSON: {e}"))),
    };
    let id = message.get("id").cloned()?;
    let method = message.get("method").and_then(Value::as_str).unwrap_or("");
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = asked
                .filter(|v| PROTOCOLS.contains(v))
                .unwrap_or(PROTOCOLS[0]);
            json!({
                "protocolVersion": version,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "archsketch", "version": env!("CARGO_PKG_VERSION")},
                "instructions": "Checks AWS architecture designs (.ron), CloudFormation/SAM templates and draw.io files against reference architectures; paths are relative to the server's working folder."
            })
        }
        "ping" => json!({}),
        "tools/list" => json!({"tools": tools()}),
        "tools/call" => call(&params),
        _ => return Some(error(id, -32601, &format!("no method {method}"))),
    };
    Some(json!({"jsonrpc": "2.0", "id": id, "result": result}))
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A tool's input schema: string properties, the first `required` of them required.
fn schema(properties: &[(&str, &str)], required: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = properties
        .iter()
        .map(|(name, about)| {
            (
                name.to_string(),
                json!({"type": "string", "description": about}),
            )
        })
        .collect();
    json!({"type": "object", "properties": props, "required": required})
}

fn tools() -> Value {
    let file = (
        "file",
        "a design (.ron), template (.yaml/.json) or draw.io file",
    );
    json!([
        {"name": "check", "description": "Check a design, template or draw.io file against the notes' rules and reference architectures. Returns what `archsketch check --format sarif` prints (or text or json).",
         "inputSchema": schema(&[file, ("format", "sarif (default), text or json")], &["file"])},
        {"name": "import", "description": "Import a CloudFormation/SAM template or draw.io file as a design file, arranged; returns the import's report.",
         "inputSchema": schema(&[file, ("output", "where to write the design (.ron)")], &["file", "output"])},
        {"name": "export", "description": "Render a design as .svg, .png, .pdf, .drawio or .mmd (Mermaid).",
         "inputSchema": schema(&[file, ("output", "the file to write; its extension picks the format")], &["file", "output"])},
        {"name": "layout", "description": "Arrange a design along its data flow.",
         "inputSchema": schema(&[file, ("output", "where to write the arranged design"), ("direction", "right (default) or down")], &["file", "output"])},
        {"name": "diff", "description": "What a change does to the architecture: services, connections and boxes added, removed, changed and renamed, and the findings it introduces and fixes. `old` may be a git revision of `new`.",
         "inputSchema": schema(&[("old", "the old version, or a git revision of the new file"), ("new", "the new version"), ("format", "text (default), json or markdown")], &["old", "new"])},
        {"name": "templates", "description": "List the 35 reference-architecture templates.",
         "inputSchema": schema(&[], &[])},
        {"name": "new", "description": "Start a design from a reference-architecture template.",
         "inputSchema": schema(&[("template", "t01 ... t35"), ("output", "where to write the design")], &["template", "output"])}
    ])
}

/// Runs a tool as the command line it stands for.
fn call(params: &Value) -> Value {
    let name = params.get("name").and_then(Value::as_str).unwrap_or("");
    let args = params.get("arguments").cloned().unwrap_or(json!({}));
    let get = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
    let need = |key: &str| get(key).ok_or_else(|| format!("{name} needs \"{key}\""));
    let line: Result<Vec<String>, String> = (|| {
        Ok(match name {
            "check" => vec![
                "check".into(),
                "--format".into(),
                get("format").unwrap_or_else(|| "sarif".into()),
                need("file")?,
            ],
            "import" => vec!["import".into(), need("file")?, "-o".into(), need("output")?],
            "export" => vec!["export".into(), need("file")?, "-o".into(), need("output")?],
            "layout" => vec![
                "layout".into(),
                need("file")?,
                "-o".into(),
                need("output")?,
                "--direction".into(),
                get("direction").unwrap_or_else(|| "right".into()),
            ],
            "diff" => vec![
                "diff".into(),
                need("old")?,
                need("new")?,
                "--format".into(),
                get("format").unwrap_or_else(|| "text".into()),
            ],
            "templates" => vec!["templates".into()],
            "new" => vec![
                "new".into(),
                "--template".into(),
                need("template")?,
                need("output")?,
            ],
            _ => return Err(format!("no tool \"{name}\"")),
        })
    })();
    let outcome = line.and_then(|line| {
        let parsed = Line::try_parse_from(std::iter::once("archsketch".to_string()).chain(line))
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let ran = super::run(parsed.command, &mut out);
        let printed = String::from_utf8_lossy(&out).into_owned();
        match ran {
            // Findings are the check's answer, not a failure of the tool.
            Ok(()) | Err(CliError::Findings(_)) => Ok(if printed.is_empty() {
                "done".to_string()
            } else {
                printed
            }),
            Err(e) => Err(format!("{printed}{e}")),
        }
    });
    match outcome {
        Ok(text) => json!({"content": [{"type": "text", "text": text}], "isError": false}),
        Err(message) => json!({"content": [{"type": "text", "text": message}], "isError": true}),
    }
}
