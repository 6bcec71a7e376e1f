//! The `nexus://` scheme: registered identically in every process, served in the browser
//! process from the embedded pages (`crate::pages`).

use super::class::cef_class;
use super::compat::resource::{HasServed, Response, Served};
use super::compat::strings::{cef_string, to_string};
use cef::*;
use cef_dll_sys as sys;
use std::sync::Arc;

/// The scheme's name.
pub const SCHEME: &str = "nexus";

/// Register the scheme (every process must, before CEF starts, with the same options).
pub fn register(registrar: Option<&mut SchemeRegistrar>) {
    let Some(registrar) = registrar else { return };
    use sys::cef_scheme_options_t as O;
    let options = O::CEF_SCHEME_OPTION_STANDARD as i32
        | O::CEF_SCHEME_OPTION_SECURE as i32
        | O::CEF_SCHEME_OPTION_CORS_ENABLED as i32
        | O::CEF_SCHEME_OPTION_FETCH_ENABLED as i32;
    registrar.add_custom_scheme(Some(&cef_string(SCHEME)), options);
}

/// Serve the scheme (browser process, after CEF started).
pub fn serve() -> bool {
    let mut factory = SchemeHandlerFactory::new(PageFactory::make(()));
    register_scheme_handler_factory(Some(&cef_string(SCHEME)), None, Some(&mut factory)) == 1
}

cef_class!(
    PageFactory,
    sys::_cef_scheme_handler_factory_t,
    WrapSchemeHandlerFactory,
    ImplSchemeHandlerFactory,
    (),
    {
        fn create(
            &self,
            _browser: Option<&mut impl ImplBrowser>,
            _frame: Option<&mut impl ImplFrame>,
            _scheme_name: Option<&CefStringUtf16>,
            request: Option<&mut impl ImplRequest>,
        ) -> Option<ResourceHandler> {
            let url = request
                .and_then(|r| r.get_url())
                .map(|u| to_string(&u))
                .unwrap_or_default();
            let page = crate::pages::respond(&url);
            let response = Response {
                status: page.status,
                mime_type: page.mime_type.to_string(),
                headers: crate::pages::SECURITY_HEADERS
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                body: page.body,
            };
            let handler = ResourceHandler::new(PageResource::make(Arc::new(Served::new(response))));
            super::compat::resource::install::<PageResource>(&handler);
            Some(handler)
        }
    }
);

cef_class!(
    PageResource,
    sys::_cef_resource_handler_t,
    WrapResourceHandler,
    ImplResourceHandler,
    Arc<Served>,
    {}
);

impl HasServed for PageResource {
    fn served(&self) -> &Served {
        &self.d
    }
}
