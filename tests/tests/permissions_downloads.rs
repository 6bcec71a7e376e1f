//! End-to-end in the windowed shell: a site asks for the page API and the user answers the
//! prompt (remembered in the profile); a download lands in the download folder; the page's
//! context menu opens in egui.

use nexus_tests::TempDir;
use nexus_tests::http::TestServer;
use nexus_tests::shell::Shell;

fn active(s: &serde_json::Value) -> serde_json::Value {
    let id = &s["windows"][0]["active"];
    s["windows"][0]["tabs"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == *id).cloned())
        .unwrap_or_default()
}

#[test]
fn the_permission_prompt_decides_and_is_remembered_downloads_land_and_the_context_menu_opens() {
    let server = TestServer::start();
    server.page(
        "/ask",
        "text/html",
        "<!doctype html><title>Ask</title><body><article><p>The city council voted on Tuesday to expand the tram network, adding twelve stops.</p></article>\
         <script>nexus.analyzeContent(location.href, document.body.innerText)\
           .then(r => document.title = 'resolved ' + r.summary.length)\
           .catch(e => document.title = 'rejected ' + e.message);</script>",
    );
    server.page(
        "/files",
        "text/html",
        "<!doctype html><title>Files</title><body style='margin:0'>\
         <a id=dl href='/report.csv' download='report.csv' style='display:block;width:100%;height:100vh;background:#00897b'>report</a>",
    );
    server.page("/report.csv", "text/csv", "year,stops\n2028,12\n");
    let downloads = TempDir::new("downloads");
    let mut shell = Shell::start_with_env(
        &[&server.url("/ask")],
        &[("XDG_DOWNLOAD_DIR", downloads.path().to_str().unwrap())],
    );

    // The prompt appears; Enter allows; the waiting call resolves.
    shell.wait_for("the permission prompt", |s| {
        active(s)["dialog"]
            .as_str()
            .is_some_and(|d| d.contains("Permission"))
    });
    shell.key("Return");
    shell.wait_for("the call resolved", |s| {
        active(s)["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("resolved"))
    });

    // Remembered: a reload resolves without asking.
    shell.key("F5");
    shell.wait_for("resolved again without a prompt", |s| {
        active(s)["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("resolved"))
            && active(s)["dialogs"] == 0
            && active(s)["loading"] == false
    });

    // A download is saved to the download folder.
    shell.key("ctrl+l");
    shell.type_text(&server.url("/files"));
    shell.key("Return");
    shell.wait_for("the files page", |s| {
        active(s)["title"] == "Files" && active(s)["loading"] == false
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    shell.click(640, 400);
    let saved = downloads.path().join("report.csv");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::read_to_string(&saved).ok().as_deref() != Some("year,stops\n2028,12\n") {
        assert!(
            std::time::Instant::now() < deadline,
            "the download never landed in {}",
            downloads.path().display()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    shell.wait_for("the downloads list", |s| s["downloads"] == 1);

    // A right click opens Nexus's context menu (drawn in egui); Escape closes it.
    shell.right_click(640, 400);
    shell.wait_for("the context menu", |s| active(s)["context_menu"] == true);
    shell.key("Escape");
    shell.wait_for("the menu closed", |s| active(s)["context_menu"] == false);
    assert!(shell.quit().success());
}
