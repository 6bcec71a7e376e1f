//! A test-only automation hook: with `NEXUS_AUTOMATION=DIR`, the shell reads command files
//! `DIR/cmd-N` (one command each, N counting from 1) and writes `DIR/out-N` with the
//! result. Tests use it to wait for page loads, read the shell's state and take window
//! screenshots; they drive the keyboard and mouse for real through xdotool.
//!
//! Commands: `state` (JSON: windows, tabs, URLs, titles, loading), `screenshot PATH`
//! (the root window's pixels as PNG), `dom TAB` (the tab's serialized DOM), `ui-update TAB
//! ELEMENT VALUE` (a `ui_update` to the tab), `intent toggle-sidebar|navigate URL|analyze|ask Q|jump-to-citation`
//! (what the sidebar's controls send, for the active tab), `new-tab URL` (opens it in the
//! background of window 1; answers the tab id), `close-tab TAB`, `measure SECONDS`, `quit`.

use super::state::Shell;
use std::path::PathBuf;

/// The hook's state.
pub struct Automation {
    dir: PathBuf,
    next: u64,
    measuring: Option<Measurement>,
}

/// A `measure` command in progress.
struct Measurement {
    reply: u64,
    until: std::time::Instant,
    cpu: super::measure::CpuSample,
    frames: u64,
    paints: u64,
    cpu_samples_before: usize,
}

impl Automation {
    /// Enabled when `NEXUS_AUTOMATION` names a folder.
    pub fn from_env() -> Option<Automation> {
        let dir = PathBuf::from(std::env::var_os("NEXUS_AUTOMATION")?);
        std::fs::create_dir_all(&dir).ok()?;
        Some(Automation {
            dir,
            next: 1,
            measuring: None,
        })
    }

    /// Run pending commands (called every frame).
    pub fn step(&mut self, ctx: &egui::Context, shell: &mut Shell) {
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        // A measurement runs alongside other commands (a test reads the state meanwhile).
        if self
            .measuring
            .as_ref()
            .is_some_and(|m| std::time::Instant::now() >= m.until)
        {
            let m = self.measuring.take().expect("measuring");
            let result = measurement_result(shell, &m);
            self.reply(m.reply, &result);
        }
        let cmd_path = self.dir.join(format!("cmd-{}", self.next));
        // A command is never empty: an empty file is one still being written.
        let Ok(command) = std::fs::read_to_string(&cmd_path) else {
            return;
        };
        if command.trim().is_empty() {
            return;
        }
        let n = self.next;
        self.next += 1;
        let command = command.trim();
        let (verb, arg) = command.split_once(' ').unwrap_or((command, ""));
        match verb {
            "state" => self.reply(n, &state_json(shell)),
            "screenshot" => {
                let (dir, path) = (self.dir.clone(), PathBuf::from(arg));
                let callback = egui::ScreenshotCallback::new(move |image| {
                    let result = write_png(&path, &image)
                        .map(|()| "ok".to_string())
                        .unwrap_or_else(|e| e);
                    reply(&dir, n, &result);
                });
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
            }
            "dom" => {
                let tab = arg.parse::<u64>().ok().map(nexus_ui::model::TabId);
                match tab
                    .and_then(|t| shell.tabs.get(&t))
                    .and_then(|t| t.handle.clone())
                {
                    Some(handle) => {
                        let dir = self.dir.clone();
                        handle.visit_source(Box::new(move |html| reply(&dir, n, &html)));
                    }
                    None => self.reply(n, "error: no such tab"),
                }
            }
            "ui-update" => {
                // ui-update TAB ELEMENT_ID VALUE... : set the element's text as data.
                let mut parts = arg.splitn(3, ' ');
                let (tab, element, value) =
                    (parts.next(), parts.next(), parts.next().unwrap_or(""));
                let handle = tab
                    .and_then(|t| t.parse::<u64>().ok())
                    .and_then(|t| shell.tabs.get(&nexus_ui::model::TabId(t)))
                    .and_then(|t| t.handle.clone());
                match (handle, element) {
                    (Some(handle), Some(element)) => {
                        let update = nexus_ipc::messages::ui::UiUpdate {
                            element_id: element.to_string(),
                            property: nexus_ipc::messages::ui::UiProperty::TextContent,
                            value: value.to_string(),
                        };
                        let sent =
                            handle.send_to_frame(None, &nexus_ipc::Envelope::new(1, &update));
                        self.reply(
                            n,
                            if sent {
                                "ok"
                            } else {
                                "error: the page is gone"
                            },
                        );
                    }
                    _ => self.reply(n, "error: usage: ui-update TAB ELEMENT VALUE"),
                }
            }
            "intent" => {
                // The intents the sidebar's buttons produce, for the active tab of window 1.
                let window = shell.windows.first().map(|w| w.id);
                let tab = shell.windows.first().and_then(|w| w.active);
                let (verb, rest) = arg.split_once(' ').unwrap_or((arg, ""));
                let intent = match (verb, tab) {
                    ("toggle-sidebar", _) => Some(nexus_ui::Intent::ToggleAiSidebar),
                    ("navigate", _) => Some(nexus_ui::Intent::Navigate {
                        url: rest.to_string(),
                        disposition: nexus_ui::Disposition::CurrentTab,
                    }),
                    ("analyze", Some(t)) => {
                        Some(nexus_ui::Intent::Ai(nexus_ui::AiIntent::Analyze(t)))
                    }
                    ("ask", Some(t)) => Some(nexus_ui::Intent::Ai(nexus_ui::AiIntent::Ask {
                        tab: t,
                        question: rest.to_string(),
                    })),
                    ("jump-to-citation", Some(t)) => shell
                        .ai
                        .pages
                        .get(&t)
                        .and_then(|p| p.conversation.last())
                        .and_then(|turn| turn.passages.first())
                        .map(|p| nexus_ui::Intent::JumpToText {
                            span: p.span,
                            text: p.text.clone(),
                        }),
                    _ => None,
                };
                match (intent, window) {
                    (Some(intent), Some(window)) => {
                        shell.apply(ctx, window, intent);
                        self.reply(n, "ok");
                    }
                    _ => self.reply(n, "error: unknown intent or no tab"),
                }
            }
            "measure" if self.measuring.is_some() => {
                self.reply(n, "error: a measurement is already running")
            }
            "new-tab" => {
                let tab = shell.windows.first().map(|w| w.id).and_then(|window| {
                    shell.open_tab(window, arg, super::state::Placement::Background)
                });
                match tab {
                    Some(tab) => self.reply(n, &tab.0.to_string()),
                    None => self.reply(n, "error: no window"),
                }
            }
            "close-tab" => match arg.parse::<u64>().map(nexus_ui::model::TabId) {
                Ok(tab) if shell.tabs.contains_key(&tab) => {
                    shell.close_tab(tab);
                    self.reply(n, "ok");
                }
                _ => self.reply(n, "error: no such tab"),
            },
            "measure" => {
                // measure SECONDS: CPU by thread and process, paints and frames per second.
                let secs: f64 = arg.parse().unwrap_or(5.0);
                self.measuring = Some(Measurement {
                    reply: n,
                    until: std::time::Instant::now() + std::time::Duration::from_secs_f64(secs),
                    cpu: super::measure::cpu_sample(),
                    frames: shell.frame_stats.frames,
                    paints: active_paints(shell),
                    cpu_samples_before: shell.frame_stats.recent_cpu.len(),
                });
            }
            "quit" => {
                shell.quit = true;
                self.reply(n, "ok");
            }
            other => self.reply(n, &format!("error: unknown command {other:?}")),
        }
    }

    fn reply(&self, n: u64, text: &str) {
        reply(&self.dir, n, text);
    }
}

fn reply(dir: &std::path::Path, n: u64, text: &str) {
    let tmp = dir.join(format!(".out-{n}"));
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(tmp, dir.join(format!("out-{n}")));
    }
}

fn active_paints(shell: &Shell) -> u64 {
    shell
        .windows
        .first()
        .and_then(|w| w.active)
        .and_then(|t| shell.tabs.get(&t))
        .map(|t| t.frame.paint_count())
        .unwrap_or(0)
}

fn measurement_result(shell: &Shell, m: &Measurement) -> String {
    let now = super::measure::cpu_sample();
    let secs = m
        .until
        .duration_since(m.cpu.at.unwrap_or(m.until))
        .as_secs_f64()
        .max(0.001);
    let recent: Vec<f32> = shell
        .frame_stats
        .recent_cpu
        .iter()
        .skip(m.cpu_samples_before)
        .copied()
        .collect();
    let mut sorted = recent.clone();
    sorted.sort_by(f32::total_cmp);
    let ms = |q: f64| {
        sorted
            .get(((sorted.len() as f64 - 1.0) * q).round().max(0.0) as usize)
            .map(|v| (*v as f64 * 10000.0).round() / 10.0)
    };
    let (rss, peak) = super::measure::memory_mb();
    serde_json::json!({
        "egui_frames_per_second": (shell.frame_stats.frames - m.frames) as f64 / secs,
        "page_paints_per_second": (active_paints(shell) - m.paints) as f64 / secs,
        "frame_cpu_ms": { "p50": ms(0.5), "p99": ms(0.99), "max": ms(1.0), "frames": sorted.len(),
                           "over_16ms": recent.iter().filter(|c| **c > 0.016).count() },
        "cpu": super::measure::cpu_percent(&m.cpu, &now),
        "rss_mb": rss,
        "peak_rss_mb": peak,
    })
    .to_string()
}

fn state_json(shell: &Shell) -> String {
    let windows: Vec<serde_json::Value> = shell
        .windows
        .iter()
        .map(|w| {
            let tabs: Vec<serde_json::Value> = w
                .tabs
                .iter()
                .filter_map(|t| shell.tabs.get(t))
                .map(|t| {
                    serde_json::json!({
                        "id": t.id.0,
                        "url": t.display_url(),
                        "title": t.title,
                        "loading": t.loading,
                        "crashed": t.crashed,
                        "can_go_back": t.can_go_back,
                        "can_go_forward": t.can_go_forward,
                        "has_browser": t.handle.is_some(),
                        "painted": t.frame.paint_count(),
                        "find": [t.find.active, t.find.total],
                        "dialogs": t.dialogs.len(),
                        "dialog": t.dialogs.front().map(|d| format!("{:?}", d.view.kind)),
                        "zoom_percent": (1.2f64.powf(t.zoom_level) * 100.0).round() as u32,
                        "context_menu": t.context_menu.is_some(),
                        "status_text": t.status_text,
                    })
                })
                .collect();
            serde_json::json!({ "id": w.id, "active": w.active.map(|t| t.0), "tabs": tabs })
        })
        .collect();
    let ai: serde_json::Map<String, serde_json::Value> = shell
        .tabs
        .keys()
        .map(|id| {
            let page = shell.ai.pages.get(id);
            let status = page.map(|p| format!("{:?}", p.status)).unwrap_or_else(|| "NotStarted".into());
            let turns: Vec<serde_json::Value> = page
                .map(|p| {
                    p.conversation
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "question": t.question,
                                "state": format!("{:?}", t.state),
                                "passages": t.passages.iter().map(|p| p.text.clone()).collect::<Vec<_>>(),
                                "answer": t.answer,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let category = page.and_then(|p| p.analysis.category.as_ref()).map(|c| c.category.label());
            (id.0.to_string(), serde_json::json!({ "status": status, "category": category, "turns": turns }))
        })
        .collect();
    serde_json::json!({
        "windows": windows,
        "downloads": shell.downloads.views().len(),
        "sidebar_open": shell.ui_state.sidebar_open,
        "first_page_frame_ms": shell.frame_stats.first_page_frame.map(|d| d.as_millis() as u64),
        "rss_mb": super::measure::memory_mb().0,
        "worker": format!("{:?}", shell.ai.worker),
        "ai": ai,
    })
    .to_string()
}

fn write_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("error: {e}"))?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&bytes))
        .map_err(|e| format!("error: {e}"))
}
