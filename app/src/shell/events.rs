//! Browser events -> tab state.

use super::state::{Placement, Shell};
use crate::cef::compat::life_span::OpenDisposition;
use crate::cef::events::{BrowserEvent, JsDialogKind};
use crate::cef::net_error::LoadError;
use nexus_ui::model::{DialogKind, TabId};

impl Shell {
    /// Apply one event of tab `id`'s browser.
    pub fn handle_event(&mut self, ctx: &egui::Context, id: TabId, event: BrowserEvent) {
        if let BrowserEvent::Closed = event {
            self.forget_tab(id);
            return;
        }
        if let BrowserEvent::OpenUrl {
            url,
            disposition,
            user_gesture,
        } = event
        {
            self.open_from_page(id, url, disposition, user_gesture);
            return;
        }
        if let BrowserEvent::RendererMessage(message) = event {
            let actions = self.hub.handle(id, message, std::time::Instant::now());
            self.run_hub_actions(actions);
            return;
        }
        if let BrowserEvent::LoadingState { loading: true, .. } = &event {
            // A new document: its frames, subscriptions, content and jobs are stale.
            self.hub.forget_tab(id, false);
            self.page_contents.remove(&id);
        }
        if let BrowserEvent::LoadFinished { url, http_status } = &event {
            self.record_visit(id, url, *http_status);
            self.maybe_auto_analyze(id, &url.clone());
        }
        if let BrowserEvent::TitleChanged(title) = &event {
            self.record_title(id, title);
        }
        let dialog_id = self.next_dialog_id();
        let Some(tab) = self.tabs.get_mut(&id) else {
            return;
        };
        match event {
            BrowserEvent::Created(handle) => {
                handle.set_hidden(tab.hidden);
                if let Some(url) = tab.pending_url.take() {
                    handle.load(&url);
                }
                tab.handle = Some(handle);
            }
            BrowserEvent::AddressChanged(url) => {
                if !url.starts_with("nexus://error") {
                    tab.failed_url = None;
                }
                tab.url = url;
                tab.crashed = None;
            }
            BrowserEvent::TitleChanged(title) => tab.title = title,
            BrowserEvent::FaviconUrls(urls) => {
                let first = urls.into_iter().next();
                if first != tab.favicon_url {
                    tab.favicon = None;
                    if let (Some(url), Some(handle)) = (&first, &tab.handle) {
                        handle.download_favicon(url);
                    }
                    tab.favicon_url = first;
                }
            }
            BrowserEvent::Favicon(png) => {
                if let Some(image) = decode_png(&png) {
                    let name = format!("favicon-{}", id.0);
                    tab.favicon = Some(ctx.load_texture(name, image, egui::TextureOptions::LINEAR));
                }
            }
            BrowserEvent::LoadingState {
                loading,
                can_go_back,
                can_go_forward,
            } => {
                tab.loading = loading;
                tab.can_go_back = can_go_back;
                tab.can_go_forward = can_go_forward;
                if loading {
                    tab.progress = tab.progress.min(0.1);
                }
            }
            BrowserEvent::LoadProgress(p) => tab.progress = p,
            BrowserEvent::LoadFinished { .. } => {}
            BrowserEvent::LoadFailed { url, error }
            | BrowserEvent::CertificateError { url, error } => {
                show_error_page(tab, &url, &error);
            }
            BrowserEvent::StatusText(text) => tab.status_text = text,
            BrowserEvent::Tooltip(text) => {
                if !text.is_empty() {
                    tab.status_text = text;
                }
            }
            BrowserEvent::Cursor(cursor) => tab.cursor = cursor,
            BrowserEvent::Console {
                message,
                source,
                line,
            } => {
                tracing::debug!(tab = id.0, "console: {message} ({source}:{line})");
            }
            BrowserEvent::JsDialog(dialog) => {
                let kind = match dialog.kind {
                    JsDialogKind::Alert => DialogKind::Alert {
                        message: dialog.message,
                    },
                    JsDialogKind::Confirm => DialogKind::Confirm {
                        message: dialog.message,
                    },
                    JsDialogKind::Prompt => DialogKind::Prompt {
                        message: dialog.message,
                        default_text: dialog.default_text,
                    },
                };
                tab.push_dialog(dialog_id, dialog.origin, kind, Some(dialog.reply));
            }
            BrowserEvent::BeforeUnload(question) => {
                let origin = tab.url.clone();
                tab.closing = false;
                let kind = DialogKind::BeforeUnload {
                    is_reload: question.is_reload,
                };
                tab.push_dialog(dialog_id, origin, kind, Some(question.reply));
            }
            BrowserEvent::ContextMenu(menu) => tab.open_context_menu(menu),
            BrowserEvent::FindResult {
                matches,
                active,
                done,
            } => {
                tab.find.total = matches.max(0) as u32;
                tab.find.active = active.max(0) as u32;
                tab.find.final_update = done;
            }
            BrowserEvent::Download(update) => self.downloads.update(update),
            BrowserEvent::RendererGone { reason } => {
                tab.crashed = Some(tab.kill_reason.take().unwrap_or(reason));
                tab.loading = false;
                tab.texture = None;
                tab.dialogs.clear();
                tab.context_menu = None;
            }
            BrowserEvent::PopupVisible(visible) => {
                if !visible {
                    tab.popup = None;
                    tab.popup_texture = None;
                }
            }
            BrowserEvent::PopupRect(rect) => tab.popup = Some(rect),
            BrowserEvent::Fullscreen(on) => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
            }
            BrowserEvent::Closed
            | BrowserEvent::OpenUrl { .. }
            | BrowserEvent::RendererMessage(_) => {}
        }
    }

    /// A page asked to open a URL: a new tab (foreground unless asked otherwise). Popups
    /// a page opens without a user gesture are blocked, as every browser does.
    fn open_from_page(
        &mut self,
        opener: TabId,
        url: String,
        disposition: OpenDisposition,
        user_gesture: bool,
    ) {
        if !user_gesture {
            tracing::info!("blocked a popup to {url} opened without a user gesture");
            if let Some(tab) = self.tabs.get_mut(&opener) {
                tab.status_text = format!("Blocked a pop-up to {url}");
            }
            return;
        }
        let Some(window) = self.window_of(opener) else {
            return;
        };
        match disposition {
            OpenDisposition::NewWindow => {
                self.open_window(&[url]);
            }
            OpenDisposition::BackgroundTab => {
                self.open_tab(window, &url, Placement::Background);
            }
            _ => {
                self.open_tab(window, &url, Placement::Foreground);
            }
        }
    }
}

impl Shell {
    /// A page finished loading: remember the visit (web and file pages; not errors).
    fn record_visit(&mut self, id: TabId, url: &str, http_status: i32) {
        let transition = self
            .transitions
            .remove(&id)
            .unwrap_or(crate::profile::Transition::Link);
        let recordable = ["http://", "https://", "file://"]
            .iter()
            .any(|s| url.starts_with(s));
        let history_on = self
            .stored_settings
            .as_ref()
            .is_none_or(|s| s.privacy.history_enabled);
        if !recordable || !history_on || http_status >= 400 {
            return;
        }
        let title = self
            .tabs
            .get(&id)
            .map(|t| t.title.clone())
            .filter(|t| !t.is_empty());
        let url = url.to_string();
        if let Some(profile) = &self.profile {
            profile.run(move |store| {
                super::profile_link::or_problem(
                    store.record_visit(&url, title.as_deref(), transition),
                    |_| {
                        let zoom = store.site_zoom(&url).ok().flatten();
                        zoom.map(|level| super::profile_link::ProfileUpdate::SiteZoom {
                            tab: id,
                            level,
                        })
                        .into_iter()
                        .collect()
                    },
                )
            });
        }
    }

    fn record_title(&mut self, id: TabId, title: &str) {
        let Some(url) = self.tabs.get(&id).map(|t| t.url.clone()) else {
            return;
        };
        if title.is_empty() || !(url.starts_with("http") || url.starts_with("file://")) {
            return;
        }
        let title = title.to_string();
        if let Some(profile) = &self.profile {
            profile.run(move |store| {
                let _ = store.set_page_title(&url, &title);
                Vec::new()
            });
        }
    }
}

fn show_error_page(tab: &mut super::tab::Tab, url: &str, error: &LoadError) {
    tab.failed_url = Some(url.to_string());
    tab.loading = false;
    if let Some(handle) = &tab.handle {
        handle.load(&crate::pages::error_url(url, error));
    }
}

fn decode_png(bytes: &[u8]) -> Option<egui::ColorImage> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let size = [info.width as usize, info.height as usize];
    match info.color_type {
        png::ColorType::Rgba => Some(egui::ColorImage::from_rgba_unmultiplied(size, &buf)),
        png::ColorType::Rgb => Some(egui::ColorImage::from_rgb(size, &buf)),
        _ => None,
    }
}
