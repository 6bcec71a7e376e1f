//! Headless runs that need no display: `--screenshot FILE URL` and `--dump-dom URL`.
//!
//! One windowless browser renders the page with the headless Ozone platform; the main
//! thread follows its events until the load has finished, then captures what is needed.

use crate::ai_client::{AiClient, AiCommand, AiEvent, JobId, WorkerConfig};
use crate::cef::browser::{self, BrowserHandle};
use crate::cef::events::{BrowserEvent, TabId};
use crate::cef::link::BrowserLink;
use crate::cef::paint::{CapturedFrame, FrameBuffer};
use crate::cef::runtime::{LoopMode, Runtime, RuntimeConfig};
use crate::hub::{Hub, HubAction, PageCall, Permissions};
use anyhow::{Context, Result, anyhow, bail};
use nexus_ipc::messages::control::ErrorCode;
use nexus_ipc::messages::page::PageContent;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page may take to load.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// What a headless run needs.
pub struct HeadlessOptions {
    /// The page.
    pub url: String,
    /// View size in pixels.
    pub width: i32,
    /// View size in pixels.
    pub height: i32,
    /// CEF's cache folder for this run.
    pub cache_dir: PathBuf,
    /// Origins allowed to use the page's `window.nexus` API in this run.
    pub allowed_origins: Vec<String>,
    /// Print the IPC message log and counts to standard error at the end (`--ipc-log`).
    pub ipc_log: bool,
}

/// Timings of a screenshot run.
#[derive(Debug, Clone)]
pub struct ScreenshotReport {
    /// From process start (as given) to the first paint with content.
    pub first_content: Option<Duration>,
    /// From process start to the PNG written.
    pub total: Duration,
}

/// Render `options.url` and write a PNG of it to `out`.
pub fn screenshot(
    options: &HeadlessOptions,
    out: &Path,
    started: Instant,
) -> Result<ScreenshotReport> {
    let mut run = HeadlessRun::start(options)?;
    let result = run.load().and_then(|()| run.capture());
    let first_content = run.frame.first_content().map(|t| t.duration_since(started));
    run.finish();
    let frame = result?;
    write_png(out, &frame).with_context(|| format!("could not write {}", out.display()))?;
    Ok(ScreenshotReport {
        first_content,
        total: started.elapsed(),
    })
}

/// Render `options.url` and return its DOM, serialized once the page settled: loaded,
/// and its pending `window.nexus` calls answered.
pub fn dump_dom(options: &HeadlessOptions) -> Result<String> {
    let mut run = HeadlessRun::start(options)?;
    let result = run
        .load()
        .and_then(|()| run.settle())
        .and_then(|()| run.dom());
    run.finish();
    result
}

/// Round-trip latencies of the browser -> renderer -> browser benchmark, in microseconds.
#[derive(Debug, Clone)]
pub struct RoundTrips {
    /// A raw CEF process message (a small binary argument), echoed by the renderer.
    pub raw: Vec<f64>,
    /// A nexus-ipc `ping` envelope answered by a `pong` envelope, through the renderer's
    /// codec and the browser's policy check.
    pub ipc: Vec<f64>,
}

/// Measure browser -> renderer -> browser round trips on `options.url`: `rounds` raw CEF
/// process messages, then `rounds` nexus-ipc envelopes, alternating blocks of 100 so both
/// see the same machine state.
pub fn bench_round_trips(options: &HeadlessOptions, rounds: usize) -> Result<RoundTrips> {
    let mut run = HeadlessRun::start(options)?;
    let result = run.load().and_then(|()| run.round_trips(rounds));
    run.finish();
    result
}

/// Render `options.url` and return its readable content, as the AI sidebar gets it.
pub fn page_content(options: &HeadlessOptions, max_text_bytes: u32) -> Result<PageContent> {
    let mut run = HeadlessRun::start(options)?;
    let result = run.load().and_then(|()| run.content(max_text_bytes));
    run.finish();
    result
}

struct HeadlessRun {
    runtime: Option<Runtime>,
    events: Receiver<(TabId, BrowserEvent)>,
    frame: Arc<FrameBuffer>,
    handle: Option<BrowserHandle>,
    url: String,
    hub: Hub,
    ai: Option<AiClient>,
    page_jobs: HashMap<JobId, PageCall>,
    next_job: JobId,
    contents: Vec<(u64, PageContent)>,
    last_renderer_message: Instant,
    ipc_log: bool,
}

impl HeadlessRun {
    fn start(options: &HeadlessOptions) -> Result<HeadlessRun> {
        let loop_mode = LoopMode::for_platform();
        let mut runtime = Runtime::start(RuntimeConfig {
            cache_dir: options.cache_dir.clone(),
            headless: true,
            loop_mode,
            on_pump_request: Box::new(|_| {}),
        })?;
        runtime.wait_ready(Duration::from_secs(20))?;
        let (tx, events) = mpsc::channel();
        let frame = Arc::new(FrameBuffer::for_capture(
            options.width,
            options.height,
            1.0,
            Arc::new(|| {}),
        ));
        let link = BrowserLink::new(1, frame.clone(), std::env::temp_dir(), tx, Arc::new(|| {}));
        browser::create(link, &options.url, 60).map_err(|e| anyhow!(e))?;
        let mut permissions = Permissions::default();
        for origin in &options.allowed_origins {
            permissions.set(&crate::hub::permissions_origin_of(origin), true);
        }
        Ok(HeadlessRun {
            runtime: Some(runtime),
            events,
            frame,
            handle: None,
            url: options.url.clone(),
            hub: Hub::new(permissions),
            ai: None,
            page_jobs: HashMap::new(),
            next_job: 0,
            contents: Vec::new(),
            last_renderer_message: Instant::now(),
            ipc_log: options.ipc_log,
        })
    }

    /// The next event (after pumping), failing on a timeout or on anything that ends the
    /// page: a failed load, a certificate error, a crash. Dialogs are dismissed.
    fn next_event(&mut self, until: Instant) -> Result<Option<BrowserEvent>> {
        if let Some(rt) = &self.runtime {
            rt.pump();
        }
        let event = match self.events.recv_timeout(Duration::from_millis(10)) {
            Ok((_, event)) => event,
            Err(_) if Instant::now() >= until => {
                bail!("{} did not finish within {:?}", self.url, LOAD_TIMEOUT)
            }
            Err(_) => return Ok(None),
        };
        tracing::debug!(?event, "headless event");
        match event {
            BrowserEvent::Created(h) => self.handle = Some(h),
            BrowserEvent::RendererMessage(message) => {
                self.last_renderer_message = Instant::now();
                let actions = self.hub.handle(1.into_tab(), message, Instant::now());
                self.run(actions);
            }
            BrowserEvent::LoadFailed { url, error } => bail!(
                "could not load {url}: {} ({}, {})",
                error.summary,
                error.name,
                error.code
            ),
            BrowserEvent::CertificateError { url, error } => {
                bail!("could not load {url}: {} ({})", error.summary, error.name)
            }
            BrowserEvent::RendererGone { reason } => bail!("{} crashed: {reason}", self.url),
            BrowserEvent::JsDialog(dialog) => dialog.reply.answer(true, ""),
            BrowserEvent::BeforeUnload(question) => question.reply.answer(true, ""),
            other => return Ok(Some(other)),
        }
        Ok(None)
    }

    /// Carry out what the hub decided (headless: no prompts, no tabs to open).
    fn run(&mut self, actions: Vec<HubAction>) {
        for action in actions {
            match action {
                HubAction::Reply {
                    frame_id, envelope, ..
                } => {
                    if let Some(h) = &self.handle {
                        h.send_to_frame(Some(&frame_id), &envelope);
                    }
                }
                HubAction::Analyze { call, request } => {
                    self.next_job += 1;
                    let job = self.next_job;
                    self.page_jobs.insert(job, call);
                    self.ai_client().send(AiCommand::Analyze(job, request));
                }
                HubAction::PageContent {
                    request, content, ..
                } => self.contents.push((request, content)),
                HubAction::ProfileQuery { query, .. } => {
                    let reply = self.hub.error(
                        &query,
                        ErrorCode::Unavailable,
                        "no profile in a headless run",
                    );
                    self.run(vec![reply]);
                }
                HubAction::AskPermission { .. }
                | HubAction::Navigate { .. }
                | HubAction::Navigated { .. } => {}
                HubAction::KillRenderer { reason, .. } => tracing::warn!("{reason}"),
            }
        }
    }

    fn ai_client(&mut self) -> &AiClient {
        self.ai.get_or_insert_with(|| {
            AiClient::start(WorkerConfig::beside_executable(), Arc::new(|| {}))
        })
    }

    /// Answer pages with what the AI worker produced.
    fn pump_ai(&mut self) {
        let Some(ai) = &self.ai else { return };
        for event in ai.take_events() {
            let reply = match event {
                AiEvent::Part {
                    job,
                    url,
                    content_hash,
                    part,
                } => {
                    let done = matches!(part, nexus_ipc::messages::ai::AnalysisPart::Complete(_));
                    let call = if done {
                        self.page_jobs.remove(&job)
                    } else {
                        self.page_jobs.get(&job).cloned()
                    };
                    call.map(|c| self.hub.analysis_part(&c, &url, &content_hash, part))
                }
                AiEvent::Failed { job, reason } => self
                    .page_jobs
                    .remove(&job)
                    .map(|c| self.hub.error(&c, ErrorCode::Unavailable, &reason)),
                _ => None,
            };
            if let Some(reply) = reply {
                self.run(vec![reply]);
            }
        }
    }

    /// Wait until the page's `window.nexus` calls are answered and it has been quiet for a
    /// moment.
    fn settle(&mut self) -> Result<()> {
        let until = Instant::now() + LOAD_TIMEOUT;
        loop {
            self.pump_ai();
            let quiet = self.last_renderer_message.elapsed() > Duration::from_millis(300);
            if self.page_jobs.is_empty() && quiet {
                return Ok(());
            }
            self.next_event(until)?;
        }
    }

    /// The page's readable content, asked of its renderer.
    fn content(&mut self, max_text_bytes: u32) -> Result<PageContent> {
        let handle = self
            .handle
            .clone()
            .context("the browser was never created")?;
        let (request, envelope) = self.hub.request_content(1.into_tab(), max_text_bytes);
        handle.send_to_frame(None, &envelope);
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(pos) = self.contents.iter().position(|(r, _)| *r == request) {
                return Ok(self.contents.remove(pos).1);
            }
            self.next_event(until)?;
        }
    }

    fn round_trips(&mut self, rounds: usize) -> Result<RoundTrips> {
        let handle = self
            .handle
            .clone()
            .context("the browser was never created")?;
        // Measure our layers, not the rate limiter: a policy with the limits lifted.
        let config = nexus_ipc::PolicyConfig {
            rates: nexus_ipc::policy::RateLimits::unlimited(),
            ..Default::default()
        };
        let mut policy = nexus_ipc::Policy::new(config);
        let mut codec = nexus_ipc::codec::EnvelopeCodec::new(Default::default());
        let mut out = RoundTrips {
            raw: Vec::with_capacity(rounds),
            ipc: Vec::with_capacity(rounds),
        };
        let payload = vec![7u8; 16];
        let mut id = 0u64;
        while out.raw.len() < rounds {
            for _ in 0..100.min(rounds - out.raw.len()) {
                let sent = Instant::now();
                handle.send_raw_to_main_frame(&payload);
                self.wait_message(|m| m.name == crate::cef::process_message::RAW_BENCH_NAME)?;
                out.raw.push(sent.elapsed().as_secs_f64() * 1e6);
            }
            for _ in 0..100.min(rounds - out.ipc.len()) {
                id += 1;
                let ping = nexus_ipc::Envelope::new(id, &nexus_ipc::messages::control::Ping {})
                    .with_flags(nexus_ipc::Flags::REQUEST);
                let sent = Instant::now();
                handle.send_to_frame(None, &ping);
                let reply = self.wait_message(|m| m.name == "pong")?;
                let bytes = reply.payload.unwrap_or_default();
                policy
                    .check_cef_message(
                        1,
                        nexus_ipc::ProcessKind::Renderer,
                        &reply.name,
                        &bytes,
                        &mut codec,
                        Instant::now(),
                    )
                    .map_err(|r| anyhow!("the pong was refused: {r:?}"))?;
                out.ipc.push(sent.elapsed().as_secs_f64() * 1e6);
            }
        }
        Ok(out)
    }

    /// Wait for the next renderer message that `matches`, skipping others.
    fn wait_message(
        &mut self,
        matches: impl Fn(&crate::cef::events::RendererMessage) -> bool,
    ) -> Result<crate::cef::events::RendererMessage> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            match self.events.recv_timeout(Duration::from_millis(100)) {
                Ok((_, BrowserEvent::RendererMessage(m))) if matches(&m) => return Ok(m),
                Ok(_) => {}
                Err(_) if Instant::now() > until => bail!("the renderer did not answer"),
                Err(_) => {}
            }
        }
    }

    /// Follow events until the main frame finished loading.
    fn load(&mut self) -> Result<()> {
        let until = Instant::now() + LOAD_TIMEOUT;
        let mut started = false;
        loop {
            match self.next_event(until)? {
                Some(BrowserEvent::LoadingState { loading: true, .. }) => started = true,
                Some(BrowserEvent::LoadingState { loading: false, .. }) if started => return Ok(()),
                _ => {}
            }
        }
    }

    /// Force a fresh paint of the loaded page and return it.
    fn capture(&mut self) -> Result<CapturedFrame> {
        let handle = self
            .handle
            .clone()
            .context("the browser was never created")?;
        let until = Instant::now() + Duration::from_secs(10);
        // A paint requested now shows the finished page; two more let late layout settle.
        let target = self.frame.paint_count() + 1;
        handle.invalidate();
        let settle_until = loop {
            self.next_event(until)?;
            if self.frame.paint_count() >= target && self.frame.captured().is_some() {
                break Instant::now() + Duration::from_millis(150);
            }
        };
        while Instant::now() < settle_until {
            self.next_event(until)?;
        }
        self.frame.captured().context("no frame was painted")
    }

    /// The serialized DOM of the main frame.
    fn dom(&mut self) -> Result<String> {
        let handle = self
            .handle
            .clone()
            .context("the browser was never created")?;
        let (tx, rx) = mpsc::channel();
        handle.visit_source(Box::new(move |html| {
            let _ = tx.send(html);
        }));
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(html) = rx.try_recv() {
                return Ok(html);
            }
            self.next_event(until)?;
        }
    }

    /// Close the browser and shut CEF down.
    fn finish(mut self) {
        if self.ipc_log {
            let _ = self.hub.write_ipc_log(&mut std::io::stderr().lock());
        }
        if let Some(handle) = self.handle.take() {
            handle.close(true);
            let until = Instant::now() + Duration::from_secs(5);
            while Instant::now() < until {
                match self.events.recv_timeout(Duration::from_millis(10)) {
                    Ok((_, BrowserEvent::Closed)) => break,
                    _ => {
                        if let Some(rt) = &self.runtime {
                            rt.pump();
                        }
                    }
                }
            }
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown();
        }
    }
}

/// Write an RGBA frame as a PNG.
pub fn write_png(path: &Path, frame: &CapturedFrame) -> Result<()> {
    let file = std::fs::File::create(path)?;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        frame.width as u32,
        frame.height as u32,
    );
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&unpremultiply(&frame.rgba))?;
    writer.finish()?;
    Ok(())
}

trait IntoTab {
    fn into_tab(self) -> nexus_ui::model::TabId;
}

impl IntoTab for u64 {
    fn into_tab(self) -> nexus_ui::model::TabId {
        nexus_ui::model::TabId(self)
    }
}

/// PNG stores straight alpha; CEF paints premultiplied.
fn unpremultiply(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| match p[3] {
            0 => [0, 0, 0, 0],
            255 => [p[0], p[1], p[2], 255],
            a => {
                let f = |c: u8| ((c as u32 * 255 + a as u32 / 2) / a as u32).min(255) as u8;
                [f(p[0]), f(p[1]), f(p[2]), a]
            }
        })
        .collect()
}

/// A unique throwaway cache folder for a headless run.
pub fn temporary_cache_dir() -> PathBuf {
    static COUNTER: Mutex<u32> = Mutex::new(0);
    let n = {
        let mut c = COUNTER.lock().expect("counter");
        *c += 1;
        *c
    };
    std::env::temp_dir().join(format!("nexus-headless-{}-{n}", std::process::id()))
}
