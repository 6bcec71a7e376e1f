//! End-to-end: what people do all day in the windowed shell — links that open tabs, page
//! dialogs, tooltips, resizing, find in page, zoom, failed loads, many tabs — through real
//! input. Each part also guards one of the CEF binding work-arounds in app/src/cef/compat
//! (popups, tooltips, view size), so a regression crashes or fails here.

use nexus_tests::TempDir;
use nexus_tests::http::TestServer;
use nexus_tests::image::Image;
use nexus_tests::shell::Shell;

fn active(s: &serde_json::Value) -> serde_json::Value {
    let id = &s["windows"][0]["active"];
    s["windows"][0]["tabs"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == *id).cloned())
        .unwrap_or_default()
}

#[test]
fn links_dialogs_tooltips_resizing_find_zoom_and_errors() {
    let server = TestServer::start();
    server.page(
        "/start",
        "text/html",
        "<!doctype html><title>Start</title><body style='margin:0'>\
         <a id=link href='/target' target=_blank style='position:fixed;left:0;top:0;width:100%;height:50%;background:#8e24aa;display:block'>open</a>\
         <div title='A tooltip the generated on_tooltip would free' style='position:fixed;left:0;top:50%;width:100%;height:50%;background:#fdd835'>\
         needle haystack needle haystack needle</div></body>",
    );
    server.page("/target", "text/html", "<!doctype html><title>Target</title><body><script>setTimeout(() => alert('hello from the page'), 200)</script></body>");
    let start = server.url("/start");
    let mut shell = Shell::start(&[&start]);
    shell.wait_for("the start page", |s| {
        active(s)["title"] == "Start" && active(s)["loading"] == false
    });
    std::thread::sleep(std::time::Duration::from_millis(500));

    // Hover the element with a title: the patched on_tooltip must not free CEF's string.
    shell.mouse_move(640, 600);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        active(&shell.state())["crashed"].is_null(),
        "hovering a tooltip is harmless"
    );

    // A target=_blank link opens a new tab in front (the patched on_before_popup).
    shell.click(640, 200);
    shell.wait_for("the link's tab", |s| {
        s["windows"][0]["tabs"]
            .as_array()
            .is_some_and(|t| t.len() == 2)
            && active(s)["title"] == "Target"
    });

    // The page's alert() is shown as a Nexus dialog and answered with Enter.
    shell.wait_for("the alert", |s| {
        active(s)["dialog"]
            .as_str()
            .is_some_and(|d| d.contains("hello from the page"))
    });
    shell.key("Return");
    shell.wait_for("the alert answered", |s| active(s)["dialogs"] == 0);

    // Back to the first tab; find in page counts matches.
    shell.key("ctrl+1");
    shell.key("ctrl+f");
    shell.type_text("needle");
    shell.wait_for("three matches", |s| active(s)["find"][1] == 3);
    shell.key("Escape");

    // Zoom in and back.
    shell.key("ctrl+plus");
    shell.wait_for("zoomed in", |s| active(s)["zoom_percent"] == 110);
    shell.key("ctrl+0");
    shell.wait_for("zoom reset", |s| active(s)["zoom_percent"] == 100);

    // Resizing the window resizes the page (the patched get_view_rect).
    shell.resize_window(1000, 700);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let dir = TempDir::new("browsing");
    let png = dir.path().join("resized.png");
    shell.screenshot(&png);
    let img = Image::load(&png);
    assert_eq!((img.width, img.height), (1000, 700));
    assert!(
        img.share_near(900, 150, 80, 40, [0x8e, 0x24, 0xaa], 10) > 0.9,
        "the page fills the new width"
    );
    assert!(
        img.share_near(900, 600, 80, 40, [0xfd, 0xd8, 0x35], 10) > 0.9,
        "and the new height"
    );

    // A failed load shows the error page, and the omnibox keeps the address typed.
    shell.key("ctrl+l");
    shell.type_text("http://nexus-test.invalid/");
    shell.key("Return");
    shell.wait_for("the error page", |s| {
        active(s)["url"] == "http://nexus-test.invalid/"
            && active(s)["title"]
                .as_str()
                .is_some_and(|t| t.contains("could not be found"))
    });

    // Ten tabs, then a clean quit (every browser closes before CEF shuts down).
    for _ in 0..8 {
        shell.key("ctrl+t");
    }
    shell.wait_for("ten tabs", |s| {
        s["windows"][0]["tabs"]
            .as_array()
            .is_some_and(|t| t.len() == 10)
    });
    assert!(shell.quit().success());
}
