//! End-to-end: the profile through the windowed shell — a bookmark added in one window
//! reaches the new-tab page open in another (live, through data_sync), and a restart
//! restores the session.

use nexus_tests::http::TestServer;
use nexus_tests::shell::Shell;

/// The new tab page's bookmarks section (the most-visited section lists visited pages too).
fn bookmarks_section(dom: &str) -> &str {
    let start = dom.find("id=\"bookmarks\"").unwrap_or(dom.len());
    let end = dom.find("id=\"top-sites\"").unwrap_or(dom.len()).max(start);
    &dom[start..end]
}

#[test]
fn a_bookmark_appears_live_on_another_windows_new_tab_page_and_the_session_survives_a_restart() {
    let server = TestServer::start();
    server.page(
        "/keep",
        "text/html",
        "<!doctype html><title>Bookmark me</title><body><h1>Keep this page</h1>",
    );
    let page = server.url("/keep");
    let mut shell = Shell::start(&[&page]);
    shell.wait_for("the page", |s| {
        s["windows"][0]["tabs"][0]["title"] == "Bookmark me"
            && s["windows"][0]["tabs"][0]["loading"] == false
    });

    // A second window with the new tab page.
    shell.key("ctrl+n");
    let state = shell.wait_for("a second window with the new tab page loaded", |s| {
        s["windows"][1]["tabs"][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("nexus://newtab"))
            && s["windows"][1]["tabs"][0]["loading"] == false
    });
    let newtab = state["windows"][1]["tabs"][0]["id"].as_u64().unwrap();
    assert!(!bookmarks_section(&shell.dom(newtab)).contains("Bookmark me"));

    // Bookmark the page in the first window (Ctrl+D).
    shell.focus_window("Bookmark me");
    shell.key("ctrl+d");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let dom = shell.dom(newtab);
        if bookmarks_section(&dom).contains("Bookmark me")
            && bookmarks_section(&dom).contains(&page)
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new tab page never showed the bookmark:\n{dom}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // Restart with no URLs: both windows come back.
    shell.restart(&[]);
    let state = shell.wait_for("the session restored", |s| {
        s["windows"].as_array().is_some_and(|w| w.len() == 2)
            && s["windows"][0]["tabs"][0]["url"].as_str() == Some(page.as_str())
    });
    assert!(
        state["windows"][1]["tabs"][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("nexus://newtab")),
        "{state}"
    );
    // And the bookmark is still there: the new tab page shows it right away.
    let newtab = state["windows"][1]["tabs"][0]["id"].as_u64().unwrap();
    shell.wait_for("the restored new tab page loaded", |s| {
        s["windows"][1]["tabs"][0]["loading"] == false
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !bookmarks_section(&shell.dom(newtab)).contains("Bookmark me") {
        assert!(
            std::time::Instant::now() < deadline,
            "the bookmark did not survive the restart"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(shell.quit().success());
}
