//! End-to-end: the page's `window.nexus` API through real CEF, real renderer processes, the
//! browser-side hub and the real AI worker — and what happens when a page abuses it.

use nexus_tests::http::TestServer;
use nexus_tests::shell::Shell;
use nexus_tests::{TempDir, nexus, run_with_timeout};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

const ARTICLE: &str = "<article><h1>Council backs tram expansion</h1>\
<p>The city council of Oslo voted on Tuesday to expand the tram network, adding twelve stops across the northern districts.</p>\
<p>Mayor Anna Berg said the project would cost 400 million kroner and open in March 2028.</p>\
<p>Opponents, including the Taxpayers Association, argued that the budget had doubled since the first estimate.</p></article>";

fn analyze_page() -> String {
    format!(
        "<!doctype html><title>Analyze me</title><body>{ARTICLE}<p id=result>pending</p><script>\
         nexus.analyzeContent(location.href, document.querySelector('article').innerText)\
           .then(r => result.textContent = 'resolved: category=' + r.category.category + ' entities=' + r.entities.length + ' summary=' + r.summary.length)\
           .catch(e => result.textContent = 'rejected: ' + e.message);</script>"
    )
}

fn dump(args: &[&str]) -> (bool, String, String) {
    let dir = TempDir::new("page-api");
    let out = run_with_timeout(
        nexus(&dir.path().join("profile"))
            .arg("--dump-dom")
            .args(args),
        TIMEOUT,
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn result_of(dom: &str) -> &str {
    let start = dom
        .find("<p id=\"result\">")
        .map(|i| i + "<p id=\"result\">".len())
        .unwrap_or(0);
    let end = dom[start..]
        .find("</p>")
        .map(|i| start + i)
        .unwrap_or(dom.len());
    &dom[start..end]
}

#[test]
fn an_allowed_page_gets_its_analysis_and_another_site_a_refusal() {
    let server = TestServer::start();
    server.page("/article", "text/html", analyze_page());
    let url = server.url("/article");
    let origin = server.url("");

    let (ok, dom, err) = dump(&[&url]);
    assert!(ok, "{err}");
    assert_eq!(result_of(&dom), "rejected: not allowed on this site");

    let (ok, dom, err) = dump(&["--allow-api", &origin, &url]);
    assert!(ok, "{err}");
    let result = result_of(&dom);
    assert!(result.starts_with("resolved: category="), "{result}");
    assert!(
        result.contains("summary=3") || result.contains("summary=4"),
        "{result}"
    );
}

#[test]
fn a_flooding_page_is_rate_limited_to_the_seed_default() {
    let server = TestServer::start();
    let page = format!(
        "<!doctype html><title>Flood</title><body>{ARTICLE}<p id=result>pending</p><script>\
         const text = document.querySelector('article').innerText;\
         const calls = []; for (let i = 0; i < 40; i++) calls.push(nexus.analyzeContent(location.href, text));\
         Promise.allSettled(calls).then(rs => {{\
           const ok = rs.filter(r => r.status === 'fulfilled').length;\
           const limited = rs.filter(r => r.status === 'rejected' && /over 10\\/s|rate/i.test(String(r.reason))).length;\
           result.textContent = 'resolved=' + ok + ' limited=' + limited;\
         }});</script>"
    );
    server.page("/flood", "text/html", page);
    let (ok, dom, err) = dump(&["--allow-api", &server.url(""), &server.url("/flood")]);
    assert!(ok, "{err}");
    let result = result_of(&dom);
    let number = |key: &str| -> u32 {
        result
            .split(' ')
            .find_map(|kv| kv.strip_prefix(key))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{result}"))
    };
    let (resolved, limited) = (number("resolved="), number("limited="));
    // 10 per second, counted to within one token.
    assert!((10..=11).contains(&resolved), "{result}");
    assert_eq!(resolved + limited, 40, "{result}");
}

#[test]
fn oversized_content_is_refused_with_a_reason_a_developer_can_read() {
    let server = TestServer::start();
    server.page(
        "/big",
        "text/html",
        "<!doctype html><title>Big</title><body><p id=result>pending</p><script>\
         try { nexus.analyzeContent(location.href, 'x'.repeat(2000000)); result.textContent = 'accepted'; }\
         catch (e) { result.textContent = 'thrown: ' + e.message; }</script>",
    );
    let (ok, dom, err) = dump(&["--allow-api", &server.url(""), &server.url("/big")]);
    assert!(ok, "{err}");
    assert_eq!(
        result_of(&dom),
        "thrown: nexus.analyzeContent(url, content): content is 2000000 characters, more than the 1000000 allowed"
    );
}

#[test]
fn a_renderer_sending_kinds_it_may_not_is_stopped_and_other_tabs_keep_working() {
    let server = TestServer::start();
    server.page(
        "/ok",
        "text/html",
        "<!doctype html><title>Fine</title><body>fine</body>",
    );
    server.page(
        "/attack",
        "text/html",
        "<!doctype html><title>Attack</title><body>attack<script>setTimeout(() => nexus.__forge('ai_result', 500), 100);</script>",
    );
    let (ok, attack) = (server.url("/ok"), server.url("/attack"));
    let mut shell = Shell::start_with_env(&[&ok, &attack], &[("NEXUS_RENDERER_TEST_HOOKS", "1")]);
    let state = shell.wait_for("the attacking tab is stopped", |s| {
        s["windows"][0]["tabs"].as_array().is_some_and(|tabs| {
            tabs.iter().any(|t| {
                t["crashed"]
                    .as_str()
                    .is_some_and(|c| c.contains("stopped this page"))
            })
        })
    });
    let tabs = state["windows"][0]["tabs"].as_array().unwrap().clone();
    let fine = tabs
        .iter()
        .find(|t| t["title"] == "Fine")
        .expect("the other tab");
    assert!(
        fine["crashed"].is_null(),
        "the other tab is unharmed: {state}"
    );

    // The other tab still works: it navigates and loads.
    shell.key("ctrl+1");
    shell.key("ctrl+l");
    shell.type_text(&attack.replace("/attack", "/ok?again"));
    shell.key("Return");
    shell.wait_for("the other tab navigates", |s| {
        s["windows"][0]["tabs"].as_array().is_some_and(|tabs| {
            tabs.iter().any(|t| {
                t["url"].as_str().is_some_and(|u| u.ends_with("/ok?again")) && t["loading"] == false
            })
        })
    });
    assert!(shell.quit().success());
}

#[test]
fn a_ui_update_value_is_set_literally_never_run_as_script() {
    let server = TestServer::start();
    server.page(
        "/target",
        "text/html",
        "<!doctype html><title>Target</title><body><p id=\"target\">before</p>\
         <script>window.alert = () => document.title = 'ALERT RAN';</script>",
    );
    let mut shell = Shell::start(&[&server.url("/target")]);
    let state = shell.wait_for("the page", |s| {
        s["windows"][0]["tabs"][0]["title"] == "Target"
    });
    let tab = state["windows"][0]["tabs"][0]["id"].as_u64().unwrap();
    let payload = "'); alert(1); ('<b>bold</b>";
    assert_eq!(
        shell.command(&format!("ui-update {tab} target {payload}")),
        "ok"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let dom = shell.dom(tab);
        if dom.contains("'); alert(1); ('&lt;b&gt;bold&lt;/b&gt;") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the value never arrived as text:\n{dom}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let state = shell.state();
    assert_eq!(
        state["windows"][0]["tabs"][0]["title"], "Target",
        "no script ran"
    );
    assert_eq!(
        state["windows"][0]["tabs"][0]["dialogs"], 0,
        "no dialog opened"
    );
    assert!(shell.quit().success());
}
