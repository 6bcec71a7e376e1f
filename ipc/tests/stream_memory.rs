//! A 100 MB stream from a child under backpressure: the receiver's memory stays bounded.
//! Its own test binary, so the RSS we sample is this test's alone.
#![cfg(target_os = "linux")]

mod common;

use common::Helper;
use nexus_ipc::messages::ai::AiAnalyze;
use nexus_ipc::messages::page::PageContent;
use std::time::Duration;

fn rss_bytes() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = s
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .unwrap()
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()
        .unwrap();
    kb * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_megabyte_stream_with_bounded_receiver_memory() {
    const ITEMS: usize = 1600;
    const SIZE: usize = 64 * 1024;
    let h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    let req = AiAnalyze {
        content: format!("stream {ITEMS} {SIZE}"),
        ..Default::default()
    };
    let base = rss_bytes();
    let mut peak = base;
    let mut items = peer
        .request_stream::<_, PageContent>(&req, None)
        .await
        .unwrap();
    let (mut n, mut bytes) = (0usize, 0usize);
    while let Some(item) = items.next().await {
        bytes += item.unwrap().text.len();
        n += 1;
        if n % 2 == 0 {
            peak = peak.max(rss_bytes());
            // A slow consumer (about 64 MB/s, several times slower than the producer): the
            // producer must wait for credit instead of piling items up here.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    assert_eq!((n, bytes), (ITEMS, ITEMS * SIZE));
    let growth = peak.saturating_sub(base);
    println!(
        "100 MiB streamed; receiver RSS grew by at most {} KiB",
        growth / 1024
    );
    // Window 16 x 64 KiB = 1 MiB of items in flight, plus buffers: far below the 100 MiB.
    assert!(
        growth < 24 * 1024 * 1024,
        "receiver RSS grew by {growth} bytes"
    );
}
