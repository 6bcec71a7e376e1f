//! How long the AI sidebar takes to draw with a full analysis and a conversation: the
//! egui pass (layout, interaction) and tessellation, per frame. A measured loop, not
//! criterion: `cargo bench -p nexus-ui --bench sidebar`.

#[path = "../tests/ui/fixtures.rs"]
mod fixtures;

use egui::{Pos2, RawInput, Rect, vec2};
use nexus_ipc::messages::ai::{AiStatus, Generator};
use nexus_ui::model::{Privacy, TabId, ThemePreference};
use nexus_ui::sidebar::{AiSidebar, SidebarView};
use std::time::{Duration, Instant};

fn main() {
    let ctx = egui::Context::default();
    nexus_ui::theme::apply(&ctx, ThemePreference::Light);
    let page = fixtures::analysed_page();
    let worker = AiStatus::Ready;
    let privacy = Privacy::from_generator(&Generator::Extractive);
    let mut sidebar = AiSidebar::default();
    let input = || RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(360.0, 900.0))),
        ..RawInput::default()
    };
    let mut frame = |measure: bool| -> (Duration, Duration) {
        let start = Instant::now();
        let mut output = ctx.run_ui(input(), |ui| {
            let view = SidebarView {
                tab: TabId(1),
                page_title: "Ada Lovelace - Wikipedia",
                site: Some("en.wikipedia.org"),
                worker: &worker,
                page: &page,
                privacy: &privacy,
                auto_analyze: false,
                never_analyze_site: false,
            };
            let _ = sidebar.show_contents(ui, &view);
        });
        let pass = start.elapsed();
        let shapes = std::mem::take(&mut output.shapes);
        let tessellate_start = Instant::now();
        let primitives = ctx.tessellate(shapes, output.pixels_per_point);
        let tessellate = tessellate_start.elapsed();
        output.textures_delta.clear();
        if measure {
            assert!(!primitives.is_empty());
        }
        (pass, tessellate)
    };
    for _ in 0..200 {
        frame(false);
    }
    let n = 3000;
    let mut passes = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    for _ in 0..n {
        let (pass, tessellate) = frame(true);
        passes.push(pass);
        totals.push(pass + tessellate);
    }
    report("egui pass (layout + interaction)", &mut passes);
    report("pass + tessellation", &mut totals);
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "{what}: mean {:.1} us, p50 {:.1} us, p99 {:.1} us, max {:.1} us ({} frames)",
        mean.as_secs_f64() * 1e6,
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        samples[samples.len() - 1].as_secs_f64() * 1e6,
        samples.len()
    );
}
