//! The downloads list: a popup from the toolbar's download button with each file's
//! progress, and open / show in folder / cancel / retry.

use crate::icons::{self, Icon, IconButton};
use crate::intent::{DownloadIntent, Intent};
use crate::model::{DownloadState, DownloadView};
use crate::theme::Palette;
use crate::widgets::fraction_bar;
use egui::{Align, Layout, RichText, Sense, Ui, Vec2};

/// Draw the downloads list (inside a popup or a page); returns what the user asked for.
pub fn downloads_list(ui: &mut Ui, downloads: &[DownloadView]) -> Vec<Intent> {
    let mut out = Vec::new();
    let p = Palette::of(ui);
    ui.set_width(340.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Downloads").strong().size(15.0));
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .add(IconButton::new(Icon::Folder, "Open downloads folder").size(26.0))
                .clicked()
            {
                out.push(Intent::Download(DownloadIntent::OpenFolder));
            }
            let finished = downloads
                .iter()
                .any(|d| !matches!(d.state, DownloadState::InProgress { .. }));
            if finished
                && ui
                    .small_button("Clear")
                    .on_hover_text("Remove finished downloads from the list")
                    .clicked()
            {
                out.push(Intent::Download(DownloadIntent::ClearFinished));
            }
        });
    });
    if downloads.is_empty() {
        ui.label(RichText::new("Files you download appear here.").color(p.weak_text));
        return out;
    }
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            for d in downloads {
                ui.separator();
                row(ui, d, &mut out);
            }
        });
    out
}

fn row(ui: &mut Ui, d: &DownloadView, out: &mut Vec<Intent>) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(Vec2::splat(22.0), Sense::hover());
        let (icon, color) = match d.state {
            DownloadState::Failed(_) | DownloadState::Cancelled => (Icon::Warning, p.danger),
            _ => (Icon::File, p.weak_text),
        };
        icons::paint(ui.painter(), r, icon, color);
        ui.vertical(|ui| {
            ui.add(egui::Label::new(RichText::new(&d.file_name).strong()).truncate());
            ui.label(
                RichText::new(status_text(&d.state))
                    .size(12.0)
                    .color(p.weak_text),
            );
            if let DownloadState::InProgress {
                received,
                total: Some(total),
                ..
            } = d.state
            {
                let fraction = received as f32 / total.max(1) as f32;
                fraction_bar(ui, fraction, p.accent, 220.0, 5.0);
            }
        });
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let id = d.id;
            match d.state {
                DownloadState::InProgress { .. } => {
                    let label = format!("Cancel {}", d.file_name);
                    if ui
                        .add(IconButton::new(Icon::Close, &label).size(26.0))
                        .clicked()
                    {
                        out.push(Intent::Download(DownloadIntent::Cancel(id)));
                    }
                }
                DownloadState::Complete => {
                    let label = format!("Show {} in folder", d.file_name);
                    if ui
                        .add(IconButton::new(Icon::Folder, &label).size(26.0))
                        .clicked()
                    {
                        out.push(Intent::Download(DownloadIntent::ShowInFolder(id)));
                    }
                    let label = format!("Open {}", d.file_name);
                    if ui
                        .add(IconButton::new(Icon::File, &label).size(26.0))
                        .clicked()
                    {
                        out.push(Intent::Download(DownloadIntent::Open(id)));
                    }
                }
                DownloadState::Failed(_) | DownloadState::Cancelled => {
                    let label = format!("Retry {}", d.file_name);
                    if ui
                        .add(IconButton::new(Icon::Reload, &label).size(26.0))
                        .clicked()
                    {
                        out.push(Intent::Download(DownloadIntent::Retry(id)));
                    }
                }
            }
        });
    });
}

/// "3.2 MB of 10 MB · 1.1 MB/s", "Done", "Failed — Network error", "Cancelled".
pub fn status_text(state: &DownloadState) -> String {
    match state {
        DownloadState::InProgress {
            received,
            total,
            speed,
        } => {
            let mut s = match total {
                Some(total) => format!("{} of {}", human_bytes(*received), human_bytes(*total)),
                None => human_bytes(*received),
            };
            if let Some(speed) = speed {
                s.push_str(&format!(" · {}/s", human_bytes(*speed)));
                if let Some(total) = total
                    && *speed > 0
                {
                    let secs = total.saturating_sub(*received) / speed;
                    s.push_str(&format!(" · {} left", human_duration(secs)));
                }
            }
            s
        }
        DownloadState::Complete => "Done".into(),
        DownloadState::Failed(reason) => format!("Failed — {reason}"),
        DownloadState::Cancelled => "Cancelled".into(),
    }
}

/// Bytes in B, KB, MB or GB with one decimal.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn human_duration(secs: u64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", secs / 60)
    } else {
        format!("{} h {} min", secs / 3600, (secs % 3600) / 60)
    }
}

/// Overall progress of running downloads (for the toolbar button's ring), if any run.
pub fn overall_progress(downloads: &[DownloadView]) -> Option<f32> {
    let (mut got, mut total, mut running) = (0u64, 0u64, false);
    for d in downloads {
        if let DownloadState::InProgress {
            received, total: t, ..
        } = d.state
        {
            running = true;
            got += received;
            total += t.unwrap_or(0);
        }
    }
    running.then(|| {
        if total == 0 {
            0.0
        } else {
            got as f32 / total as f32
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_naturally() {
        let s = DownloadState::InProgress {
            received: 3_200_000,
            total: Some(10_000_000),
            speed: Some(1_000_000),
        };
        assert_eq!(status_text(&s), "3.2 MB of 10.0 MB · 1.0 MB/s · 6 s left");
        assert_eq!(
            status_text(&DownloadState::Failed("Network error".into())),
            "Failed — Network error"
        );
        assert_eq!(human_bytes(999), "999 B");
    }
}
