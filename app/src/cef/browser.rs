//! Creating browsers and controlling them: the shell's handle on one tab's CEF browser.

use super::compat::strings::cef_string;
use super::events::BrowserEvent;
use super::link::BrowserLink;
use cef::*;
use std::sync::Arc;

/// Ask CEF to create a windowless browser for `link`'s tab showing `url`. CEF creates it
/// asynchronously and announces it with [`BrowserEvent::Created`].
pub fn create(link: Arc<BrowserLink>, url: &str, frame_rate: i32) -> Result<(), String> {
    let mut client = super::client::make_client(link);
    let window_info = WindowInfo {
        windowless_rendering_enabled: 1,
        ..Default::default()
    };
    let settings = BrowserSettings {
        size: std::mem::size_of::<cef_dll_sys::cef_browser_settings_t>(),
        windowless_frame_rate: frame_rate,
        background_color: 0xFFFF_FFFF,
        ..Default::default()
    };
    let ok = browser_host_create_browser(
        Some(&window_info),
        Some(&mut client),
        Some(&cef_string(url)),
        Some(&settings),
        Option::<&mut DictionaryValue>::None,
        Option::<&mut RequestContext>::None,
    );
    if ok == 1 {
        Ok(())
    } else {
        Err(format!("CEF refused to create a browser for {url}"))
    }
}

/// Controls one browser. Cheap to clone; usable from any thread.
#[derive(Clone)]
pub struct BrowserHandle {
    browser: Browser,
    host: BrowserHost,
    link: Arc<BrowserLink>,
}

impl std::fmt::Debug for BrowserHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BrowserHandle(tab {})", self.link.tab)
    }
}

impl BrowserHandle {
    pub(super) fn new(browser: Browser, link: Arc<BrowserLink>) -> Option<BrowserHandle> {
        let host = browser.get_host()?;
        Some(BrowserHandle {
            browser,
            host,
            link,
        })
    }

    /// CEF's id for this browser (stable for its life).
    pub fn id(&self) -> i32 {
        self.browser.get_identifier()
    }

    /// Load `url` in the main frame.
    pub fn load(&self, url: &str) {
        if let Some(frame) = self.browser.get_main_frame() {
            frame.load_url(Some(&cef_string(url)));
        }
    }

    /// History back.
    pub fn go_back(&self) {
        self.browser.go_back();
    }

    /// History forward.
    pub fn go_forward(&self) {
        self.browser.go_forward();
    }

    /// Reload (bypassing the cache when `hard`).
    pub fn reload(&self, hard: bool) {
        if hard {
            self.browser.reload_ignore_cache()
        } else {
            self.browser.reload()
        }
    }

    /// Stop loading.
    pub fn stop(&self) {
        self.browser.stop_load();
    }

    /// The main frame's current URL.
    pub fn url(&self) -> String {
        self.browser
            .get_main_frame()
            .and_then(|f| f.get_url())
            .map(|u| super::compat::strings::to_string(&u))
            .unwrap_or_default()
    }

    /// Tell CEF the view's size (DIP) or scale changed.
    pub fn resize(&self, width: i32, height: i32, scale: f32) {
        let (resized, rescaled) = self.link.frame.set_geometry(width, height, scale);
        if rescaled {
            self.host.notify_screen_info_changed();
        }
        if resized || rescaled {
            self.host.was_resized();
        }
    }

    /// Hide (background tab: no painting) or show the view.
    pub fn set_hidden(&self, hidden: bool) {
        self.host.was_hidden(hidden as i32);
    }

    /// Give or take keyboard focus.
    pub fn set_focus(&self, focused: bool) {
        self.host.set_focus(focused as i32);
    }

    /// Ask for a fresh paint of the whole view.
    pub fn invalidate(&self) {
        self.host.invalidate(PaintElementType::from(
            cef_dll_sys::cef_paint_element_type_t::PET_VIEW,
        ));
    }

    /// Find `text` in the page (`next` continues a search; `forward` sets the direction).
    pub fn find(&self, text: &str, forward: bool, next: bool) {
        self.host
            .find(Some(&cef_string(text)), forward as i32, 0, next as i32);
    }

    /// End find-in-page, keeping or clearing the selection.
    pub fn stop_finding(&self, clear_selection: bool) {
        self.host.stop_finding(clear_selection as i32);
    }

    /// The zoom level (0 = 100%; each step is a factor of 1.2).
    pub fn zoom_level(&self) -> f64 {
        self.host.get_zoom_level()
    }

    /// Set the zoom level.
    pub fn set_zoom_level(&self, level: f64) {
        self.host.set_zoom_level(level);
    }

    /// Edit commands on the focused frame.
    pub fn edit(&self, command: EditCommand) {
        let Some(frame) = self.browser.get_focused_frame() else {
            return;
        };
        match command {
            EditCommand::Undo => frame.undo(),
            EditCommand::Redo => frame.redo(),
            EditCommand::Cut => frame.cut(),
            EditCommand::Copy => frame.copy(),
            EditCommand::Paste => frame.paste(),
            EditCommand::SelectAll => frame.select_all(),
        }
    }

    /// Start downloading `url` (e.g. "Save image as").
    pub fn download(&self, url: &str) {
        self.host.start_download(Some(&cef_string(url)));
    }

    /// Download the favicon at `url`; it arrives as [`BrowserEvent::Favicon`].
    pub fn download_favicon(&self, url: &str) {
        let mut callback = DownloadImageCallback::new(FaviconDownload::make(self.link.clone()));
        self.host
            .download_image(Some(&cef_string(url)), 1, 32, 0, Some(&mut callback));
    }

    /// Close the browser (`force` skips beforeunload).
    pub fn close(&self, force: bool) {
        self.host.close_browser(force as i32);
    }

    /// Send an envelope to one of this browser's frames (`None`: the main frame).
    /// Returns false when the frame is gone.
    pub fn send_to_frame(&self, frame_id: Option<&str>, envelope: &nexus_ipc::Envelope) -> bool {
        let frame = match frame_id {
            Some(id) => self.browser.get_frame_by_identifier(Some(&cef_string(id))),
            None => self.browser.get_main_frame(),
        };
        match frame {
            Some(frame) if frame.is_valid() != 0 => {
                super::process_message::send_to_renderer(&frame, envelope);
                true
            }
            _ => false,
        }
    }

    /// Send a raw benchmark message to the main frame's renderer.
    pub fn send_raw_to_main_frame(&self, bytes: &[u8]) {
        if let Some(frame) = self.browser.get_main_frame() {
            super::process_message::send_raw(&frame, bytes);
        }
    }

    /// The raw CEF host, for input forwarding.
    pub(crate) fn host(&self) -> &BrowserHost {
        &self.host
    }
}

/// Editing commands that act on the page's focused frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditCommand {
    /// Undo.
    Undo,
    /// Redo.
    Redo,
    /// Cut.
    Cut,
    /// Copy.
    Copy,
    /// Paste.
    Paste,
    /// Select all.
    SelectAll,
}

use super::class::cef_class;
cef_class!(
    FaviconDownload,
    cef_dll_sys::_cef_download_image_callback_t,
    WrapDownloadImageCallback,
    ImplDownloadImageCallback,
    Arc<BrowserLink>,
    {
        fn on_download_image_finished(
            &self,
            _image_url: Option<&CefStringUtf16>,
            http_status_code: std::os::raw::c_int,
            image: Option<&mut impl ImplImage>,
        ) {
            let Some(image) = image else { return };
            if http_status_code >= 400 {
                return;
            }
            let Some(png) = image.get_as_png(1.0, 1, None, None) else {
                return;
            };
            let mut bytes = vec![0u8; png.get_size()];
            let n = png.get_data(Some(&mut bytes), 0);
            bytes.truncate(n);
            if !bytes.is_empty() {
                self.d.send(BrowserEvent::Favicon(bytes));
            }
        }
    }
);

/// Called with the serialized DOM.
pub type SourceCallback = Box<dyn FnOnce(String) + Send>;

impl BrowserHandle {
    /// Serialize the main frame's current DOM and hand it to `done` (on CEF's thread).
    pub fn visit_source(&self, done: SourceCallback) {
        let Some(frame) = self.browser.get_main_frame() else {
            return;
        };
        let mut visitor = CefStringVisitor::new(SourceVisitor::make(Arc::new(
            std::sync::Mutex::new(Some(done)),
        )));
        frame.get_source(Some(&mut visitor));
    }
}

type PendingSource = Arc<std::sync::Mutex<Option<SourceCallback>>>;
cef_class!(
    SourceVisitor,
    cef_dll_sys::_cef_string_visitor_t,
    WrapCefStringVisitor,
    ImplCefStringVisitor,
    PendingSource,
    {
        fn visit(&self, string: Option<&CefStringUtf16>) {
            let html = super::compat::strings::to_string_opt(string);
            if let Some(done) = self.d.lock().ok().and_then(|mut d| d.take()) {
                done(html);
            }
        }
    }
);

/// Delete every cookie (Settings › Privacy › Clear browsing data).
pub fn delete_all_cookies() {
    if let Some(manager) =
        cookie_manager_get_global_manager(Option::<&mut CompletionCallback>::None)
    {
        manager.delete_cookies(None, None, Option::<&mut DeleteCookiesCallback>::None);
    }
}

/// CEF cannot empty its HTTP cache while running; mark it to be emptied at the next start
/// (see `runtime::Runtime::start`).
pub fn clear_cache() {
    if let Some(dir) = super::runtime::CACHE_DIR.get() {
        let _ = std::fs::write(dir.join(super::runtime::CLEAR_CACHE_MARKER), b"");
    }
}
