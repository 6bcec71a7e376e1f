//! End-to-end: the real `nexus` binary with the real CEF runtime, headless.

use nexus_tests::http::TestServer;
use nexus_tests::image::Image;
use nexus_tests::{TempDir, nexus, run_with_timeout, test_page_url};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(60);

fn screenshot(url: &str, size: &str) -> (std::process::Output, TempDir) {
    let dir = TempDir::new("shot");
    let out = run_with_timeout(
        nexus(&dir.path().join("profile"))
            .arg("--screenshot")
            .arg(dir.path().join("shot.png"))
            .args(["--window-size", size])
            .arg(url),
        TIMEOUT,
    );
    (out, dir)
}

fn assert_boxes(img: &Image) {
    assert!(
        img.share_near(50, 50, 180, 130, [0xe5, 0x39, 0x35], 8) > 0.99,
        "red box"
    );
    assert!(
        img.share_near(310, 50, 180, 130, [0x43, 0xa0, 0x47], 8) > 0.99,
        "green box"
    );
    assert!(
        img.share_near(50, 270, 180, 130, [0x1e, 0x88, 0xe5], 8) > 0.99,
        "blue box"
    );
    assert!(
        img.share_near(600, 500, 100, 50, [255, 255, 255], 2) > 0.99,
        "white background"
    );
    // The heading is rendered text: dark pixels with anti-aliasing, not a flat area.
    assert!(
        img.share_near(300, 260, 280, 50, [0, 0, 0], 60) > 0.05,
        "text is drawn"
    );
    assert!(
        img.distinct_colors(300, 260, 280, 50) > 8,
        "text is anti-aliased glyphs"
    );
}

#[test]
fn screenshot_of_a_file_page_has_the_boxes_and_text() {
    let (out, dir) = screenshot(&test_page_url("boxes.html"), "800x600");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = Image::load(&dir.path().join("shot.png"));
    assert_eq!((img.width, img.height), (800, 600));
    assert_boxes(&img);
}

#[test]
fn screenshot_of_an_http_page_from_a_local_server() {
    let server = TestServer::start();
    let html = std::fs::read(nexus_tests::test_pages().join("boxes.html")).unwrap();
    server.page("/boxes", "text/html; charset=utf-8", html);
    let (out, dir) = screenshot(&server.url("/boxes"), "1024x700");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = Image::load(&dir.path().join("shot.png"));
    assert_eq!((img.width, img.height), (1024, 700));
    assert_boxes(&img);
    assert!(
        server
            .requests
            .lock()
            .unwrap()
            .contains(&"/boxes".to_string())
    );
}

#[test]
fn dump_dom_shows_what_scripts_changed() {
    let dir = TempDir::new("dom");
    let out = run_with_timeout(
        nexus(&dir.path().join("profile"))
            .arg("--dump-dom")
            .arg(test_page_url("script-dom.html")),
        TIMEOUT,
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<p id=\"status\">script ran: 1,4,9</p>"),
        "{dom}"
    );
    assert!(dom.contains("<li class=\"generated\">beta</li>"), "{dom}");
    assert!(!dom.contains("waiting for script"), "{dom}");
}

#[test]
fn a_failed_load_exits_non_zero_with_the_reason() {
    let (out, dir) = screenshot("https://nexus-test.invalid/", "640x480");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not load https://nexus-test.invalid/"),
        "{err}"
    );
    assert!(err.contains("address could not be found"), "{err}");
    assert!(!dir.path().join("shot.png").exists());
}

#[test]
fn a_refused_connection_is_named() {
    // Bind and drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (out, _dir) = screenshot(&format!("http://127.0.0.1:{port}/"), "640x480");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused to connect"), "{err}");
}

#[test]
fn a_crashing_page_is_reported_as_a_crash() {
    let (out, _dir) = screenshot("chrome://crash", "640x480");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("crashed"), "{err}");
}

#[test]
fn built_in_pages_render_through_the_nexus_scheme() {
    let (out, dir) = screenshot("nexus://welcome", "1280x800");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = Image::load(&dir.path().join("shot.png"));
    // The logo tile (gradient from #3b6cf6) and the blue Go button are drawn, so the page
    // and its stylesheet were both served.
    assert!(
        img.share_near(290, 80, 10, 10, [0x3b, 0x6c, 0xf6], 40) > 0.5,
        "logo"
    );
    assert!(img.distinct_colors(280, 150, 400, 40) > 8, "heading text");
}

#[test]
fn bad_arguments_get_clear_messages_not_panics() {
    let dir = TempDir::new("args");
    let out = run_with_timeout(nexus(dir.path()).arg("--frobnicate"), TIMEOUT);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frobnicate"));

    let out = run_with_timeout(
        nexus(dir.path()).args(["--screenshot", "x.png", "javascript:alert(1)"]),
        TIMEOUT,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not open javascript:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn version_names_nexus_cef_chromium_and_the_build() {
    let dir = TempDir::new("version");
    let out = run_with_timeout(nexus(dir.path()).arg("--version"), TIMEOUT);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Nexus "), "{text}");
    assert!(text.contains("CEF 13"), "{text}");
    assert!(text.contains("Chromium 13"), "{text}");
    // The commit this binary was built from (this test runs in a git checkout).
    let commit = text
        .lines()
        .find_map(|l| l.strip_prefix("Build: commit "))
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_default();
    assert!(
        commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()),
        "{text}"
    );
}

#[test]
fn the_round_trip_benchmark_measures_both_paths() {
    let dir = TempDir::new("bench");
    let out = run_with_timeout(
        nexus(&dir.path().join("profile"))
            .args(["--bench-ipc", "200"])
            .arg(test_page_url("boxes.html")),
        TIMEOUT,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("raw CEF process message: n=200"),
        "{stdout}"
    );
    assert!(stdout.contains("nexus-ipc envelope: n=200"), "{stdout}");
}
