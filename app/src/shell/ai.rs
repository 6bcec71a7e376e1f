//! The AI sidebar's data: the worker's state and each tab's analysis and conversation.

use super::tab::Tab;
use nexus_ipc::messages::ai::{AiStatus, Generator};
use nexus_ui::model::{PageAi, Privacy, TabId};
use nexus_ui::sidebar::SidebarView;
use std::collections::HashMap;

/// What the sidebar shows, across tabs.
pub struct AiState {
    /// The worker's state.
    pub worker: AiStatus,
    /// Each tab's analysis and conversation.
    pub pages: HashMap<TabId, PageAi>,
    /// Where work runs and what leaves the device.
    pub privacy: Privacy,
    /// Analyse every page automatically.
    pub auto_analyze: bool,
    /// Sites never analysed.
    pub never_analyze: Vec<String>,
}

impl Default for AiState {
    fn default() -> Self {
        AiState {
            worker: AiStatus::Loading {
                what: "AI worker".into(),
                progress: 0.0,
            },
            pages: HashMap::new(),
            privacy: Privacy::from_generator(&Generator::Extractive),
            auto_analyze: false,
            never_analyze: Vec::new(),
        }
    }
}

/// An empty tab's AI state, for tabs that never asked.
static EMPTY: std::sync::LazyLock<PageAi> = std::sync::LazyLock::new(PageAi::default);

impl AiState {
    /// The sidebar's view of `tab`.
    pub fn sidebar_view<'a>(&'a self, tab: &'a Tab) -> SidebarView<'a> {
        let site = host_of(tab.display_url());
        SidebarView {
            tab: tab.id,
            page_title: &tab.title,
            site,
            worker: &self.worker,
            page: self.pages.get(&tab.id).unwrap_or(&EMPTY),
            privacy: &self.privacy,
            auto_analyze: self.auto_analyze,
            never_analyze_site: site.is_some_and(|s| self.never_analyze.iter().any(|n| n == s)),
        }
    }
}

/// The host of an http(s) URL.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hosts_of_web_urls_only() {
        assert_eq!(
            super::host_of("https://user@news.example:8443/a?b"),
            Some("news.example")
        );
        assert_eq!(super::host_of("http://x.test"), Some("x.test"));
        assert_eq!(super::host_of("nexus://newtab"), None);
    }
}
