//! The per-browser CEF client: every handler callback becomes a [`BrowserEvent`] for the
//! browser's owner (see `link`), or a paint into its frame buffer.

use super::browser::BrowserHandle;
use super::class::cef_class;
use super::compat::display::DisplaySink;
use super::compat::life_span::{OpenDisposition, PopupSink};
use super::compat::render::{HasSurface, OsrSurface, PixelRect};
use super::compat::retain;
use super::compat::strings::{to_string, to_string_opt};
use super::events::{
    BeforeUnload, BrowserEvent, ContextMenu, Cursor, DialogReply, DownloadControl, DownloadUpdate,
    JsDialog, JsDialogKind, MenuDismiss, RendererMessage,
};
use super::link::BrowserLink;
use super::net_error;
use cef::*;
use cef_dll_sys as sys;
use std::os::raw::c_int;
use std::sync::Arc;

type Link = Arc<BrowserLink>;

/// Build the client for one browser.
pub fn make_client(link: Link) -> Client {
    let parts = Arc::new(Handlers {
        link: link.clone(),
        render: render_handler(link.clone()),
        display: display_handler(link.clone()),
        life_span: life_span_handler(link.clone()),
        load: LoadHandler::new(PageLoad::make(link.clone())),
        request: RequestHandler::new(PageRequests::make(link.clone())),
        jsdialog: JsdialogHandler::new(PageDialogs::make(link.clone())),
        context_menu: ContextMenuHandler::new(PageContextMenu::make(link.clone())),
        download: DownloadHandler::new(PageDownloads::make(link.clone())),
        find: FindHandler::new(PageFind::make(link)),
    });
    Client::new(TabClient::make(parts))
}

pub(crate) struct Handlers {
    link: Link,
    render: RenderHandler,
    display: DisplayHandler,
    life_span: LifeSpanHandler,
    load: LoadHandler,
    request: RequestHandler,
    jsdialog: JsdialogHandler,
    context_menu: ContextMenuHandler,
    download: DownloadHandler,
    find: FindHandler,
}

cef_class!(
    TabClient,
    sys::_cef_client_t,
    WrapClient,
    ImplClient,
    Arc<Handlers>,
    {
        fn get_render_handler(&self) -> Option<RenderHandler> {
            Some(self.d.render.clone())
        }
        fn get_display_handler(&self) -> Option<DisplayHandler> {
            Some(self.d.display.clone())
        }
        fn get_life_span_handler(&self) -> Option<LifeSpanHandler> {
            Some(self.d.life_span.clone())
        }
        fn get_load_handler(&self) -> Option<LoadHandler> {
            Some(self.d.load.clone())
        }
        fn get_request_handler(&self) -> Option<RequestHandler> {
            Some(self.d.request.clone())
        }
        fn get_jsdialog_handler(&self) -> Option<JsdialogHandler> {
            Some(self.d.jsdialog.clone())
        }
        fn get_context_menu_handler(&self) -> Option<ContextMenuHandler> {
            Some(self.d.context_menu.clone())
        }
        fn get_download_handler(&self) -> Option<DownloadHandler> {
            Some(self.d.download.clone())
        }
        fn get_find_handler(&self) -> Option<FindHandler> {
            Some(self.d.find.clone())
        }
        fn on_process_message_received(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            _source_process: ProcessId,
            message: Option<&mut impl ImplProcessMessage>,
        ) -> c_int {
            let (Some(frame), Some(message)) = (frame, message) else {
                return 0;
            };
            let (name, payload) = super::process_message::read(message);
            self.d
                .link
                .send(BrowserEvent::RendererMessage(RendererMessage {
                    frame_id: frame
                        .get_identifier()
                        .map(|i| to_string(&i))
                        .unwrap_or_default(),
                    frame_url: frame.get_url().map(|u| to_string(&u)).unwrap_or_default(),
                    main_frame: frame.is_main() != 0,
                    name,
                    payload,
                }));
            1
        }
    }
);

// ---------------------------------------------------------------------------------------
// Rendering: the patched entries (compat::render) paint into the link's frame buffer.

cef_class!(
    PageView,
    sys::_cef_render_handler_t,
    WrapRenderHandler,
    ImplRenderHandler,
    Link,
    {
        fn on_popup_show(&self, _browser: Option<&mut impl ImplBrowser>, show: c_int) {
            self.d.send(BrowserEvent::PopupVisible(show != 0));
        }
        fn on_popup_size(&self, _browser: Option<&mut impl ImplBrowser>, rect: Option<&Rect>) {
            if let Some(r) = rect {
                let scale = self.d.frame.scale_factor();
                let px = |v: i32| (v as f32 * scale).round() as i32;
                self.d.send(BrowserEvent::PopupRect(PixelRect {
                    x: px(r.x),
                    y: px(r.y),
                    width: px(r.width),
                    height: px(r.height),
                }));
            }
        }
    }
);

impl HasSurface for PageView {
    fn surface(&self) -> &dyn OsrSurface {
        self.d.frame.as_ref()
    }
}

fn render_handler(link: Link) -> RenderHandler {
    let handler = RenderHandler::new(PageView::make(link));
    super::compat::render::install::<PageView>(&handler);
    handler
}

// ---------------------------------------------------------------------------------------
// Display: address, title, status line, cursor, console, progress, tooltip, favicon.

cef_class!(
    PageDisplay,
    sys::_cef_display_handler_t,
    WrapDisplayHandler,
    ImplDisplayHandler,
    Link,
    {
        fn on_address_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            url: Option<&CefStringUtf16>,
        ) {
            if frame.is_some_and(|f| f.is_main() != 0) {
                self.d
                    .send(BrowserEvent::AddressChanged(to_string_opt(url)));
            }
        }
        fn on_title_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            title: Option<&CefStringUtf16>,
        ) {
            self.d
                .send(BrowserEvent::TitleChanged(to_string_opt(title)));
        }
        fn on_status_message(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            value: Option<&CefStringUtf16>,
        ) {
            self.d.send(BrowserEvent::StatusText(to_string_opt(value)));
        }
        fn on_console_message(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _level: LogSeverity,
            message: Option<&CefStringUtf16>,
            source: Option<&CefStringUtf16>,
            line: c_int,
        ) -> c_int {
            self.d.send(BrowserEvent::Console {
                message: to_string_opt(message),
                source: to_string_opt(source),
                line,
            });
            0
        }
        fn on_loading_progress_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            progress: f64,
        ) {
            self.d.send(BrowserEvent::LoadProgress(progress as f32));
        }
        fn on_fullscreen_mode_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            fullscreen: c_int,
        ) {
            self.d.send(BrowserEvent::Fullscreen(fullscreen != 0));
        }
        fn on_cursor_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _cursor: std::os::raw::c_ulong,
            type_: CursorType,
            _custom: Option<&CursorInfo>,
        ) -> c_int {
            let raw: sys::cef_cursor_type_t = type_.into();
            self.d.send(BrowserEvent::Cursor(cursor(raw)));
            1
        }
    }
);

impl DisplaySink for PageDisplay {
    fn tooltip(&self, text: String) {
        self.d.send(BrowserEvent::Tooltip(text));
    }
    fn favicon_urls(&self, urls: Vec<String>) {
        self.d.send(BrowserEvent::FaviconUrls(urls));
    }
}

fn display_handler(link: Link) -> DisplayHandler {
    let handler = DisplayHandler::new(PageDisplay::make(link));
    super::compat::display::install::<PageDisplay>(&handler);
    handler
}

fn cursor(t: sys::cef_cursor_type_t) -> Cursor {
    use sys::cef_cursor_type_t as T;
    match t {
        T::CT_HAND => Cursor::Hand,
        T::CT_IBEAM | T::CT_VERTICALTEXT => Cursor::Text,
        T::CT_WAIT | T::CT_PROGRESS => Cursor::Wait,
        T::CT_HELP => Cursor::Help,
        T::CT_CROSS | T::CT_CELL => Cursor::Crosshair,
        T::CT_EASTWESTRESIZE | T::CT_EASTRESIZE | T::CT_WESTRESIZE | T::CT_COLUMNRESIZE => {
            Cursor::ResizeHorizontal
        }
        T::CT_NORTHSOUTHRESIZE | T::CT_NORTHRESIZE | T::CT_SOUTHRESIZE | T::CT_ROWRESIZE => {
            Cursor::ResizeVertical
        }
        T::CT_MOVE => Cursor::Move,
        T::CT_NOTALLOWED | T::CT_NODROP => Cursor::NotAllowed,
        T::CT_GRAB => Cursor::Grab,
        T::CT_GRABBING => Cursor::Grabbing,
        T::CT_NONE => Cursor::None,
        _ => Cursor::Default,
    }
}

// ---------------------------------------------------------------------------------------
// Life span: creation, popups (become tabs), close.

cef_class!(
    PageLifeSpan,
    sys::_cef_life_span_handler_t,
    WrapLifeSpanHandler,
    ImplLifeSpanHandler,
    Link,
    {
        fn on_after_created(&self, browser: Option<&mut impl ImplBrowser>) {
            if let Some(browser) = browser {
                let browser: Browser = retain!(browser, ImplBrowser);
                if let Some(handle) = BrowserHandle::new(browser, self.d.clone()) {
                    self.d.send(BrowserEvent::Created(handle));
                }
            }
        }
        fn do_close(&self, _browser: Option<&mut impl ImplBrowser>) -> c_int {
            0 // let CEF close the browser
        }
        fn on_before_close(&self, _browser: Option<&mut impl ImplBrowser>) {
            self.d.send(BrowserEvent::Closed);
        }
    }
);

impl PopupSink for PageLifeSpan {
    fn open_popup(&self, url: String, disposition: OpenDisposition, user_gesture: bool) -> bool {
        self.d.send(BrowserEvent::OpenUrl {
            url,
            disposition,
            user_gesture,
        });
        false
    }
}

fn life_span_handler(link: Link) -> LifeSpanHandler {
    let handler = LifeSpanHandler::new(PageLifeSpan::make(link));
    super::compat::life_span::install::<PageLifeSpan>(&handler);
    handler
}

// ---------------------------------------------------------------------------------------
// Loading.

cef_class!(
    PageLoad,
    sys::_cef_load_handler_t,
    WrapLoadHandler,
    ImplLoadHandler,
    Link,
    {
        fn on_loading_state_change(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            is_loading: c_int,
            can_go_back: c_int,
            can_go_forward: c_int,
        ) {
            self.d.send(BrowserEvent::LoadingState {
                loading: is_loading != 0,
                can_go_back: can_go_back != 0,
                can_go_forward: can_go_forward != 0,
            });
        }
        fn on_load_end(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            http_status_code: c_int,
        ) {
            let Some(frame) = frame.filter(|f| f.is_main() != 0) else {
                return;
            };
            let url = frame.get_url().map(|u| to_string(&u)).unwrap_or_default();
            self.d.send(BrowserEvent::LoadFinished {
                url,
                http_status: http_status_code,
            });
        }
        fn on_load_error(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            frame: Option<&mut impl ImplFrame>,
            error_code: Errorcode,
            error_text: Option<&CefStringUtf16>,
            failed_url: Option<&CefStringUtf16>,
        ) {
            if frame.is_none_or(|f| f.is_main() == 0) {
                return;
            }
            let code: sys::cef_errorcode_t = error_code.into();
            let code = code as i32;
            if code == net_error::ABORTED {
                return;
            }
            let error = net_error::describe(code, &to_string_opt(error_text));
            self.d.send(BrowserEvent::LoadFailed {
                url: to_string_opt(failed_url),
                error,
            });
        }
    }
);

// ---------------------------------------------------------------------------------------
// Requests: renderer crashes, certificate errors.

cef_class!(
    PageRequests,
    sys::_cef_request_handler_t,
    WrapRequestHandler,
    ImplRequestHandler,
    Link,
    {
        fn on_render_process_terminated(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            status: TerminationStatus,
            error_code: c_int,
            _error_string: Option<&CefStringUtf16>,
        ) {
            let status: sys::cef_termination_status_t = status.into();
            use sys::cef_termination_status_t as S;
            let reason = match status {
                S::TS_PROCESS_CRASHED => "The page's process crashed.".to_string(),
                S::TS_PROCESS_WAS_KILLED => "The page's process was stopped.".to_string(),
                S::TS_PROCESS_OOM => "The page ran out of memory.".to_string(),
                S::TS_LAUNCH_FAILED => "The page's process could not be started.".to_string(),
                _ => format!("The page's process exited unexpectedly (code {error_code})."),
            };
            self.d.send(BrowserEvent::RendererGone { reason });
        }
        fn on_certificate_error(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            cert_error: Errorcode,
            request_url: Option<&CefStringUtf16>,
            _ssl_info: Option<&mut impl ImplSslinfo>,
            _callback: Option<&mut impl ImplCallback>,
        ) -> c_int {
            let code: sys::cef_errorcode_t = cert_error.into();
            let error = net_error::describe(code as i32, &format!("{code:?}"));
            self.d.send(BrowserEvent::CertificateError {
                url: to_string_opt(request_url),
                error,
            });
            0 // cancel the request: never proceed past a bad certificate silently
        }
    }
);

// ---------------------------------------------------------------------------------------
// JavaScript dialogs: answered later by the owner through the reply object.

cef_class!(
    PageDialogs,
    sys::_cef_jsdialog_handler_t,
    WrapJsdialogHandler,
    ImplJsdialogHandler,
    Link,
    {
        fn on_jsdialog(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            origin_url: Option<&CefStringUtf16>,
            dialog_type: JsdialogType,
            message_text: Option<&CefStringUtf16>,
            default_prompt_text: Option<&CefStringUtf16>,
            callback: Option<&mut impl ImplJsdialogCallback>,
            _suppress_message: Option<&mut c_int>,
        ) -> c_int {
            let Some(callback) = callback else { return 0 };
            let raw: sys::cef_jsdialog_type_t = dialog_type.into();
            let kind = match raw {
                sys::cef_jsdialog_type_t::JSDIALOGTYPE_CONFIRM => JsDialogKind::Confirm,
                sys::cef_jsdialog_type_t::JSDIALOGTYPE_PROMPT => JsDialogKind::Prompt,
                _ => JsDialogKind::Alert,
            };
            let callback: JsdialogCallback = retain!(callback, ImplJsdialogCallback);
            self.d.send(BrowserEvent::JsDialog(JsDialog {
                kind,
                origin: to_string_opt(origin_url),
                message: to_string_opt(message_text),
                default_text: to_string_opt(default_prompt_text),
                reply: DialogReply(Some(callback)),
            }));
            1
        }
        fn on_before_unload_dialog(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _message_text: Option<&CefStringUtf16>,
            is_reload: c_int,
            callback: Option<&mut impl ImplJsdialogCallback>,
        ) -> c_int {
            let Some(callback) = callback else { return 0 };
            let callback: JsdialogCallback = retain!(callback, ImplJsdialogCallback);
            self.d.send(BrowserEvent::BeforeUnload(BeforeUnload {
                is_reload: is_reload != 0,
                reply: DialogReply(Some(callback)),
            }));
            1
        }
    }
);

// ---------------------------------------------------------------------------------------
// Context menu: drawn by the shell in egui; CEF's side is dismissed when it closes.

cef_class!(
    PageContextMenu,
    sys::_cef_context_menu_handler_t,
    WrapContextMenuHandler,
    ImplContextMenuHandler,
    Link,
    {
        fn run_context_menu(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _frame: Option<&mut impl ImplFrame>,
            params: Option<&mut impl ImplContextMenuParams>,
            _model: Option<&mut impl ImplMenuModel>,
            callback: Option<&mut impl ImplRunContextMenuCallback>,
        ) -> c_int {
            let (Some(params), Some(callback)) = (params, callback) else {
                return 0;
            };
            let non_empty =
                |s: Option<CefStringUtf16>| s.map(|s| to_string(&s)).filter(|s| !s.is_empty());
            let callback: RunContextMenuCallback = retain!(callback, ImplRunContextMenuCallback);
            let image_url = (params.has_image_contents() != 0)
                .then(|| non_empty(params.get_source_url()))
                .flatten();
            self.d.send(BrowserEvent::ContextMenu(ContextMenu {
                x: params.get_xcoord(),
                y: params.get_ycoord(),
                link_url: non_empty(params.get_link_url()),
                image_url,
                selection: non_empty(params.get_selection_text()),
                editable: params.is_editable() != 0,
                dismiss: MenuDismiss(Some(callback)),
            }));
            1
        }
    }
);

// ---------------------------------------------------------------------------------------
// Downloads: saved into the downloads folder under a name that does not clobber files.

cef_class!(
    PageDownloads,
    sys::_cef_download_handler_t,
    WrapDownloadHandler,
    ImplDownloadHandler,
    Link,
    {
        fn can_download(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _url: Option<&CefStringUtf16>,
            _request_method: Option<&CefStringUtf16>,
        ) -> c_int {
            1
        }
        fn on_before_download(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _download_item: Option<&mut impl ImplDownloadItem>,
            suggested_name: Option<&CefStringUtf16>,
            callback: Option<&mut impl ImplBeforeDownloadCallback>,
        ) -> c_int {
            let Some(callback) = callback else { return 0 };
            let callback: BeforeDownloadCallback = retain!(callback, ImplBeforeDownloadCallback);
            let path = super::downloads::unique_path(
                &self.d.downloads_dir,
                &to_string_opt(suggested_name),
            );
            super::events::start_download(&callback, &path);
            1
        }
        fn on_download_updated(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            item: Option<&mut impl ImplDownloadItem>,
            callback: Option<&mut impl ImplDownloadItemCallback>,
        ) {
            let Some(item) = item else { return };
            let total = item.get_total_bytes();
            let control = callback.map(|c| DownloadControl(retain!(c, ImplDownloadItemCallback)));
            self.d.send(BrowserEvent::Download(DownloadUpdate {
                id: item.get_id(),
                url: item.get_url().map(|u| to_string(&u)).unwrap_or_default(),
                path: item
                    .get_full_path()
                    .map(|p| to_string(&p))
                    .unwrap_or_default(),
                received: item.get_received_bytes(),
                total: (total > 0).then_some(total),
                speed: item.get_current_speed(),
                complete: item.is_complete() != 0,
                failed: item.is_canceled() != 0 || item.is_interrupted() != 0,
                control,
            }));
        }
    }
);

// ---------------------------------------------------------------------------------------
// Find in page.

cef_class!(
    PageFind,
    sys::_cef_find_handler_t,
    WrapFindHandler,
    ImplFindHandler,
    Link,
    {
        fn on_find_result(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _identifier: c_int,
            count: c_int,
            _selection_rect: Option<&Rect>,
            active_match_ordinal: c_int,
            final_update: c_int,
        ) {
            self.d.send(BrowserEvent::FindResult {
                matches: count,
                active: active_match_ordinal,
                done: final_update != 0,
            });
        }
    }
);
