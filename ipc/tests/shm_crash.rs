//! Shared-memory payloads from a child that is killed mid-stream leave nothing behind: no
//! mapping, no descriptor in this process, no file in /dev/shm.
#![cfg(target_os = "linux")]

mod common;

use common::Helper;
use nexus_ipc::messages::ai::AiAnalyze;
use nexus_ipc::messages::page::PageContent;
use nexus_ipc::{CloseCause, RequestError};
use std::time::Duration;

fn memfd_mappings() -> usize {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .filter(|l| l.contains("memfd:nexus-ipc"))
        .count()
}

fn memfd_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|p| p.to_string_lossy().contains("memfd:nexus-ipc"))
        .count()
}

fn dev_shm() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("/dev/shm")
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_child_leaks_no_shared_memory() {
    let shm_before = dev_shm();
    let mut h = Helper::spawn("worker", &[]);
    let (peer, _in) = h.connect().await;
    // 2 MB items: above the 1 MiB threshold, so each travels through shared memory.
    let req = AiAnalyze {
        content: "stream 1000 2000000".into(),
        ..Default::default()
    };
    let mut items = peer
        .request_stream::<_, PageContent>(&req, None)
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(items.next().await.unwrap().unwrap().text.len(), 2_000_000);
    }
    assert!(memfd_mappings() > 0, "payloads came through shared memory");
    h.child.kill().unwrap();
    let e = loop {
        match tokio::time::timeout(Duration::from_secs(2), items.next())
            .await
            .expect("stream fails promptly")
        {
            Some(Ok(_)) => continue,
            Some(Err(e)) => break e,
            None => panic!("stream ended normally after a kill"),
        }
    };
    assert!(
        matches!(e, RequestError::Disconnected(CloseCause::Disconnected(_))),
        "{e:?}"
    );
    peer.closed().await;
    drop(items);
    drop(peer);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(memfd_mappings(), 0, "no mapping left");
    assert_eq!(memfd_descriptors(), 0, "no descriptor left");
    assert_eq!(dev_shm(), shm_before, "nothing created in /dev/shm");
}
