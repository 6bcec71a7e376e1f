//! End-to-end: the windowed shell under Xvfb with the real CEF runtime, driven by real
//! keyboard and mouse input (xdotool); state and screenshots read through the automation
//! hook.

use nexus_tests::TempDir;
use nexus_tests::http::TestServer;
use nexus_tests::image::Image;
use nexus_tests::shell::Shell;

fn pages() -> TestServer {
    let server = TestServer::start();
    server.page("/one", "text/html", "<!doctype html><title>One</title><body style='margin:0;background:#2e7d32'><h1>Page one</h1>");
    server.page("/two", "text/html", "<!doctype html><title>Two</title><body style='margin:0;background:#1565c0'><h1>Page two</h1>");
    server.page(
        "/form",
        "text/html",
        "<!doctype html><title>Form</title><body style='margin:0'>\
         <textarea id=f style='position:fixed;left:0;top:0;width:100%;height:100%;font-size:30px'></textarea>\
         <script>f.addEventListener('input', () => document.title = 'value:' + f.value);</script>",
    );
    server
}

fn title_is(title: &str) -> impl FnMut(&serde_json::Value) -> bool + '_ {
    move |state| {
        let active = &state["windows"][0]["active"];
        state["windows"][0]["tabs"].as_array().is_some_and(|tabs| {
            tabs.iter()
                .any(|t| t["id"] == *active && t["title"] == title && t["loading"] == false)
        })
    }
}

#[test]
fn tabs_navigation_typing_and_closing_through_real_input() {
    let server = pages();
    let (one, two, form) = (server.url("/one"), server.url("/two"), server.url("/form"));
    let mut shell = Shell::start(&[&one, &two]);
    shell.wait_for("two tabs loaded", |s| {
        s["windows"][0]["tabs"].as_array().is_some_and(|t| {
            t.len() == 2
                && t.iter()
                    .all(|t| t["loading"] == false && t["has_browser"] == true)
        })
    });
    shell.wait_for("the first tab shows page one", title_is("One"));

    // A third tab (Ctrl+T), navigated from the omnibox.
    shell.key("ctrl+t");
    shell.wait_for("a third tab", |s| {
        s["windows"][0]["tabs"]
            .as_array()
            .is_some_and(|t| t.len() == 3)
    });
    shell.key("ctrl+l");
    shell.type_text(&form);
    shell.key("Return");
    shell.wait_for("the form page", title_is("Form"));
    // Chromium drops input to a freshly committed document until its first frame is
    // presented (so nobody clicks what they cannot see yet); a person never clicks that
    // fast, a test does. Give the new renderer a moment.
    std::thread::sleep(std::time::Duration::from_millis(500));

    // Type into the page's text field and read the value back (the page echoes it into
    // its title).
    shell.click(640, 500);
    shell.type_text("hello nexus");
    shell.wait_for("typed text reaches the page", title_is("value:hello nexus"));

    // Navigate the same tab, then back and forward with the keyboard.
    shell.key("ctrl+l");
    shell.type_text(&one);
    shell.key("Return");
    shell.wait_for("page one in the third tab", title_is("One"));
    shell.key("alt+Left");
    shell.wait_for("back on the form", |s| {
        let active = &s["windows"][0]["active"];
        s["windows"][0]["tabs"].as_array().is_some_and(|tabs| {
            tabs.iter().any(|t| {
                t["id"] == *active
                    && t["url"].as_str().is_some_and(|u| u.ends_with("/form"))
                    && t["can_go_forward"] == true
            })
        })
    });
    shell.key("alt+Right");
    shell.wait_for("forward to page one", title_is("One"));

    // What a person sees: the tab strip and toolbar above, the page's green below.
    let dir = TempDir::new("windowed-shot");
    let png = dir.path().join("window.png");
    shell.screenshot(&png);
    let img = Image::load(&png);
    assert_eq!((img.width, img.height), (1280, 800));
    let page_green = img.share_near(0, 200, 1280, 600, [0x2e, 0x7d, 0x32], 6);
    assert!(
        page_green > 0.9,
        "the page fills the window below the toolbar ({page_green})"
    );
    let chrome_green = img.share_near(0, 0, 1280, 80, [0x2e, 0x7d, 0x32], 6);
    assert!(
        chrome_green < 0.01,
        "the tab strip and toolbar are drawn above the page"
    );
    assert!(
        img.distinct_colors(0, 0, 600, 40) > 20,
        "tab titles are rendered text"
    );

    // Close the active tab (Ctrl+W).
    shell.key("ctrl+w");
    shell.wait_for("two tabs after closing one", |s| {
        s["windows"][0]["tabs"]
            .as_array()
            .is_some_and(|t| t.len() == 2)
    });

    let status = shell.quit();
    assert!(status.success(), "nexus exits cleanly: {status}");
}
