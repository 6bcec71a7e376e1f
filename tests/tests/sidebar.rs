//! End-to-end: the AI sidebar in the windowed shell under Xvfb, with real CEF, the real
//! renderer's page text and the real AI worker — analyse a local article, ask a question,
//! jump to the cited passage.

use nexus_tests::image::Image;
use nexus_tests::shell::Shell;
use nexus_tests::{TempDir, test_page_url};

#[test]
fn analyse_an_article_ask_about_it_and_jump_to_the_cited_passage() {
    let mut shell = Shell::start(&[&test_page_url("article.html")]);
    shell.wait_for("the article", |s| {
        s["windows"][0]["tabs"][0]["title"] == "City approves the northern tram line"
            && s["windows"][0]["tabs"][0]["loading"] == false
    });
    let tab = shell.state()["windows"][0]["tabs"][0]["id"]
        .as_u64()
        .unwrap()
        .to_string();

    // Open the sidebar with its shortcut (real key presses).
    shell.key("ctrl+shift+a");
    shell.wait_for("the sidebar", |s| s["sidebar_open"] == true);

    assert_eq!(shell.command("intent analyze"), "ok");
    let state = shell.wait_for("the analysis", |s| s["ai"][&tab]["status"] == "Complete");
    // Which category is the eval set's business (ai/tests/eval.rs); here: one arrived.
    assert!(state["ai"][&tab]["category"].is_string(), "{state}");

    assert_eq!(shell.command("intent ask Who opposed the project?"), "ok");
    let state = shell.wait_for("the answer", |s| {
        s["ai"][&tab]["turns"][0]["state"] == "Done"
    });
    let passages = state["ai"][&tab]["turns"][0]["passages"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        passages
            .iter()
            .take(2)
            .any(|p| p.as_str().unwrap().contains("Taxpayers Association")),
        "the cited passages name who opposed it: {passages:?}"
    );

    // Jump to the cited passage: the page finds and highlights it.
    assert_eq!(shell.command("intent jump-to-citation"), "ok");
    shell.wait_for("the passage found in the page", |s| {
        s["windows"][0]["tabs"][0]["find"][1]
            .as_u64()
            .is_some_and(|total| total >= 1)
    });
    std::thread::sleep(std::time::Duration::from_millis(500));

    let dir = TempDir::new("sidebar-shot");
    let png = dir.path().join("window.png");
    shell.screenshot(&png);
    let img = Image::load(&png);
    // The page on the left, the sidebar on the right (360 pt wide by default).
    let sidebar_x = img.width - 340;
    assert!(
        img.distinct_colors(sidebar_x, 120, 320, 500) > 40,
        "the sidebar shows text and charts"
    );
    assert!(
        img.share_near(40, 300, 400, 300, [255, 255, 255], 3) > 0.3,
        "the page is still shown beside it"
    );
    // Chromium paints the active find match orange and other matches yellow.
    let highlighted = (0..img.width - 360).step_by(2).any(|x| {
        (120..img.height).step_by(2).any(|y| {
            img.is_near(x, y, [0xff, 0x96, 0x32], 40) || img.is_near(x, y, [0xff, 0xff, 0x00], 40)
        })
    });
    assert!(
        highlighted,
        "the cited passage is highlighted in the page ({})",
        png.display()
    );
    assert!(shell.quit().success());
}
