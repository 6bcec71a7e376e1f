//! `nexus analyze FILE|URL|- [--question "..."]`: the sidebar's analysis for people and
//! scripts. A file or URL is rendered by headless CEF and its readable text taken exactly
//! as the sidebar takes it; `-` reads plain text from standard input.

use crate::ai_client::{AiClient, AiCommand, AiEvent, WorkerConfig, analyze_request};
use crate::headless::{self, HeadlessOptions};
use anyhow::{Context, Result, bail};
use nexus_ipc::messages::ai::{AiAnswer, AiQuestion, AiStatus, Analysis, AnalysisPart};
use nexus_ipc::messages::page::PageContent;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Run the command; prints JSON to standard output.
pub fn run(profile_dir: &Path, source: &str, question: Option<&str>) -> Result<()> {
    let content = load(profile_dir, source)?;
    if let Some(reason) =
        nexus_ui::model::unanalysable_reason(&content.content_type, content.word_count)
    {
        bail!("{source}: {reason}");
    }
    let ai = AiClient::start(WorkerConfig::beside_executable(), Arc::new(|| {}));
    let output = match question {
        None => serde_json::to_value(analyze(&ai, content)?)?,
        Some(q) => answer(&ai, content, q)?,
    };
    println!("{}", serde_json::to_string_pretty(&output)?);
    Ok(())
}

fn load(profile_dir: &Path, source: &str) -> Result<PageContent> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        let words = text.split_whitespace().count() as u32;
        return Ok(PageContent {
            url: "stdin:".into(),
            text,
            word_count: words,
            content_type: "text/plain".into(),
            ..PageContent::default()
        });
    }
    let url = crate::url_input::interpret_argument(source)?;
    let cache_dir = profile_dir.join("cef");
    let options = HeadlessOptions {
        url,
        width: 1280,
        height: 800,
        cache_dir,
        allowed_origins: Vec::new(),
        ipc_log: false,
    };
    headless::page_content(&options, crate::shell::MAX_ANALYSED_BYTES)
}

fn analyze(ai: &AiClient, content: PageContent) -> Result<Analysis> {
    let url = content.url.clone();
    let request = analyze_request(content);
    ai.send(AiCommand::Analyze(1, request));
    let mut analysis = Analysis {
        url,
        ..Analysis::default()
    };
    wait(ai, |event| match event {
        AiEvent::Part { part, .. } => {
            let done = matches!(part, AnalysisPart::Complete(_));
            analysis.apply(part);
            Ok(done)
        }
        other => failure(other),
    })?;
    Ok(analysis)
}

fn answer(ai: &AiClient, content: PageContent, question: &str) -> Result<serde_json::Value> {
    let request = AiQuestion {
        url: content.url.clone(),
        title: content.title,
        content: content.text,
        question: question.to_string(),
        history: Vec::new(),
    };
    ai.send(AiCommand::Ask(1, request));
    let (mut passages, mut text, mut by) = (Vec::new(), String::new(), None);
    wait(ai, |event| match event {
        AiEvent::Answer {
            part: AiAnswer::Passages(p),
            ..
        } => {
            passages = p;
            Ok(false)
        }
        AiEvent::Answer {
            part: AiAnswer::Token(t),
            ..
        } => {
            text.push_str(&t);
            Ok(false)
        }
        AiEvent::Answer {
            part: AiAnswer::Done(info),
            ..
        } => {
            by = info.generated_by;
            Ok(true)
        }
        other => failure(other),
    })?;
    Ok(serde_json::json!({
        "question": question,
        "answer": if text.is_empty() { None } else { Some(text) },
        "generated_by": by,
        "passages": passages,
    }))
}

fn failure(event: AiEvent) -> Result<bool> {
    match event {
        AiEvent::Failed { reason, .. } => bail!("{reason}"),
        AiEvent::Status(AiStatus::ModelMissing { path, fix }) => {
            bail!("the AI model file {path} is missing or damaged; run `{fix}` to fetch it")
        }
        AiEvent::Status(AiStatus::Failed { reason }) => bail!("{reason}"),
        _ => Ok(false),
    }
}

fn wait(ai: &AiClient, mut on_event: impl FnMut(AiEvent) -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + crate::ai_client::JOB_TIMEOUT + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(event) = ai.next_event(Duration::from_millis(200))
            && on_event(event)?
        {
            return Ok(());
        }
    }
    bail!("the AI worker did not finish in time")
}
