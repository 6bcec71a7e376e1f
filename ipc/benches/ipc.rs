//! `cargo bench -p nexus-ipc`: every figure beside a baseline measured in the same run.
//! See BENCHMARKS.md for the commands, the machine and the results.
//!
//! Groups: `roundtrip` (64-byte request/response across processes: raw socket, sans-IO
//! connection plain/sealed, async handles plain/sealed), `throughput` (1 KB events one
//! way, unbatched vs batched), `large_payload` (shared memory copied out or read in place
//! vs socket vs memcpy; the receiver reads every byte once in each case),
//! `codec` (encode + validate + decode in process), `compression` (page text over the
//! socket with zstd on/off). The roundtrip group also prints p50/p99 from 20,000 timed
//! round trips per variant (lines starting with `P50`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nexus_ipc::codec::{CodecConfig, Compression, EnvelopeCodec};
use nexus_ipc::conn::{Connection, ConnectionConfig, Event};
use nexus_ipc::messages::navigation::NavigationRequest;
use nexus_ipc::policy::{Policy, PolicyConfig, Rate, RateLimits};
use nexus_ipc::transport::{self, recv_with_handles, send_with_handles};
use nexus_ipc::{Envelope, Flags, Kind, LaunchSecret, ProcessKind, SocketDir};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_nexus-ipc-test-peer");

struct Helper {
    child: Child,
    _stdout: BufReader<std::process::ChildStdout>,
    path: PathBuf,
    secret: LaunchSecret,
    _dir: SocketDir,
}

impl Helper {
    fn spawn(args: &[&str]) -> Helper {
        let dir = SocketDir::new().unwrap();
        let path = dir.socket("bench.sock");
        let secret = LaunchSecret::generate().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.arg(args[0])
            .arg(&path)
            .args(&args[1..])
            .stdout(Stdio::piped());
        let mut child = secret.spawn_child(&mut cmd).unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "listening");
        Helper {
            child,
            _stdout: stdout,
            path,
            secret,
            _dir: dir,
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sans-IO connection on a blocking socket: the protocol without a runtime.
struct SyncClient {
    sock: UnixStream,
    conn: Connection,
    buf: Vec<u8>,
    out: Vec<u8>,
    _h: Helper,
}

impl SyncClient {
    fn new(sealed: bool, tune: impl FnOnce(&mut ConnectionConfig)) -> SyncClient {
        SyncClient::against("sync-echo", sealed, tune)
    }

    fn against(mode: &str, sealed: bool, tune: impl FnOnce(&mut ConnectionConfig)) -> SyncClient {
        SyncClient::with_args(
            &[mode, if sealed { "SEALED" } else { "PLAIN" }],
            sealed,
            tune,
        )
    }

    fn with_args(
        args: &[&str],
        sealed: bool,
        tune: impl FnOnce(&mut ConnectionConfig),
    ) -> SyncClient {
        let h = Helper::spawn(args);
        let sock = UnixStream::connect(&h.path).unwrap();
        let mut cfg = ConnectionConfig::client(h.secret.clone());
        cfg.encrypt = sealed;
        cfg.keepalive = None;
        tune(&mut cfg);
        let mut conn = Connection::new(cfg, Instant::now()).unwrap();
        conn.enable_handle_passing();
        let mut c = SyncClient {
            sock,
            conn,
            buf: vec![0; 1 << 18],
            out: Vec::new(),
            _h: h,
        };
        while !c.conn.is_established() {
            c.write();
            c.read();
        }
        while c.conn.poll_event().is_some() {}
        c
    }

    fn write(&mut self) {
        self.out.clear();
        let hs = self.conn.poll_transmit_into(&mut self.out);
        let mut off = 0;
        let fd = self.sock.as_raw_fd();
        let mut first = true;
        while off < self.out.len() {
            let h: &[_] = if first { &hs } else { &[] };
            off += send_with_handles(fd, &self.out[off..], h).unwrap();
            first = false;
        }
    }

    fn read(&mut self) {
        let mut hs = Vec::new();
        let n = recv_with_handles(self.sock.as_raw_fd(), &mut self.buf, &mut hs).unwrap();
        assert!(n > 0, "helper hung up");
        self.conn.handle_handles(hs);
        self.conn.handle_input(&self.buf[..n], Instant::now());
    }

    fn round_trip(&mut self, kind: Kind, body: Vec<u8>) -> Envelope {
        let id = self
            .conn
            .request_raw(kind, body, None, Instant::now())
            .unwrap();
        self.write();
        loop {
            while let Some(ev) = self.conn.poll_event() {
                if let Event::Response { request, result } = ev {
                    assert_eq!(request, id);
                    return result.unwrap();
                }
            }
            self.read();
        }
    }
}

/// Read every byte once (the helper's consumer does the same).
fn checksum(b: &[u8]) -> u64 {
    let mut words = b.chunks_exact(8);
    let mut acc = 0u64;
    for w in &mut words {
        acc = acc.wrapping_add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    words
        .remainder()
        .iter()
        .fold(acc, |a, x| a.wrapping_add(u64::from(*x)))
}

fn payload(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

fn percentiles(name: &str, n: usize, mut f: impl FnMut()) {
    for _ in 0..1000 {
        f();
    }
    let v: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    report(name, v);
}

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let n = v.len();
    println!(
        "P50 {name}: p50 {:.2} us, p99 {:.2} us",
        v[n / 2].as_secs_f64() * 1e6,
        v[n * 99 / 100].as_secs_f64() * 1e6
    );
}

fn roundtrip(c: &mut Criterion) {
    let n = std::env::var("NEXUS_BENCH_RT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut g = c.benchmark_group("roundtrip_64B");
    {
        let h = Helper::spawn(&["raw-echo"]);
        let mut s = UnixStream::connect(&h.path).unwrap();
        let msg = [7u8; 64];
        let mut back = [0u8; 64];
        let mut rt = || {
            s.write_all(&msg).unwrap();
            s.read_exact(&mut back).unwrap();
        };
        percentiles("raw unix socket", n, &mut rt);
        g.bench_function("raw_socket", |b| b.iter(&mut rt));
    }
    for sealed in [false, true] {
        let mut cl = SyncClient::new(sealed, |_| {});
        let name = if sealed {
            "sansio_sealed"
        } else {
            "sansio_plain"
        };
        // 64 bytes on the wire: header (6) + tag (16 when sealed) + body.
        let body = vec![1u8; if sealed { 64 - 4 - 6 - 16 } else { 64 - 4 - 6 }];
        let mut rt = || {
            cl.round_trip(Kind::PAGE_EVENT, body.clone());
        };
        percentiles(name, n, &mut rt);
        g.bench_function(name, |b| b.iter(&mut rt));
    }
    for sealed in [false, true] {
        let h = Helper::spawn(&["echo", if sealed { "SEALED" } else { "PLAIN" }]);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut cfg = ConnectionConfig::client(h.secret.clone());
        cfg.encrypt = sealed;
        let (peer, _in) = rt.block_on(transport::connect(&h.path, cfg)).unwrap();
        let name = if sealed {
            "async_sealed"
        } else {
            "async_plain"
        };
        let body = vec![1u8; if sealed { 64 - 4 - 6 - 16 } else { 64 - 4 - 6 }];
        // Timed inside one runtime entry, as an application would be.
        rt.block_on(async {
            for _ in 0..1000 {
                peer.request_raw(Kind::PAGE_EVENT, body.clone(), None)
                    .await
                    .unwrap();
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                peer.request_raw(Kind::PAGE_EVENT, body.clone(), None)
                    .await
                    .unwrap();
                v.push(t.elapsed());
            }
            report(name, v);
        });
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        peer.request_raw(Kind::PAGE_EVENT, body.clone(), None)
                            .await
                            .unwrap();
                    }
                    t.elapsed()
                })
            })
        });
    }
    // Where the async cost sits: each half of the async stack against the sans-IO other half.
    {
        let mut cl = SyncClient::against("echo", true, |_| {});
        let body = vec![1u8; 64 - 4 - 6 - 16];
        percentiles("mixed: sans-IO client, async server (sealed)", n, || {
            cl.round_trip(Kind::PAGE_EVENT, body.clone());
        });
    }
    {
        let h = Helper::spawn(&["sync-echo", "SEALED"]);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (peer, _in) = rt
            .block_on(transport::connect(
                &h.path,
                ConnectionConfig::client(h.secret.clone()),
            ))
            .unwrap();
        let body = vec![1u8; 64 - 4 - 6 - 16];
        rt.block_on(async {
            let mut v = Vec::with_capacity(n);
            for i in 0..n + 1000 {
                let t = Instant::now();
                peer.request_raw(Kind::PAGE_EVENT, body.clone(), None)
                    .await
                    .unwrap();
                if i >= 1000 {
                    v.push(t.elapsed());
                }
            }
            report("mixed: async client, sans-IO server (sealed)", v);
        });
    }
    g.finish();
}

fn throughput(c: &mut Criterion) {
    let mut g = c.benchmark_group("events_1KB_one_way");
    g.throughput(Throughput::Elements(1));
    for (sealed, batch) in [
        (false, 1),
        (false, 10),
        (false, 64),
        (true, 1),
        (true, 10),
        (true, 64),
    ] {
        let mut cl = SyncClient::new(sealed, |cfg| {
            cfg.batch.max_messages = batch;
            cfg.batch.max_delay = Duration::from_secs(3600);
        });
        let body = payload(1024);
        let id = format!("{}_batch{batch}", if sealed { "sealed" } else { "plain" });
        g.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter_custom(|iters| {
                let t = Instant::now();
                for _ in 0..iters {
                    cl.conn
                        .notify_raw(Kind::PAGE_EVENT, body.clone(), Instant::now())
                        .unwrap();
                    if cl.conn.transmit_pending() > 0 {
                        cl.write();
                    }
                }
                // The reply proves every event before it was received and processed.
                cl.round_trip(Kind::PAGE_EVENT, vec![]);
                t.elapsed()
            })
        });
    }
    g.finish();
}

fn shm(c: &mut Criterion) {
    let mut g = c.benchmark_group("large_payload");
    g.sample_size(10);
    let sizes = [8usize << 20, 64 << 20, 256 << 20];
    for &size in &sizes {
        g.throughput(Throughput::Bytes(size as u64));
        let src = payload(size);
        let mut dst = vec![0u8; size];
        g.bench_function(BenchmarkId::new("memcpy", size >> 20), |b| {
            b.iter(|| dst.copy_from_slice(std::hint::black_box(&src)))
        });
        // The mechanism alone, in one process: copy into a pooled region, view it in place
        // through a second mapping, read every byte, release. No scheduling between
        // processes, which on a loaded machine dominates the cross-process figures.
        {
            let mut pool = nexus_ipc::shm::ShmPool::default();
            let mut inbox = nexus_ipc::shm::ShmInbox::default();
            let releases = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            g.bench_function(BenchmarkId::new("read_pass_only", size >> 20), |b| {
                b.iter(|| checksum(std::hint::black_box(&src)))
            });
            g.bench_function(BenchmarkId::new("shm_put_only", size >> 20), |b| {
                let mut own = nexus_ipc::shm::ShmPool::default();
                b.iter(|| {
                    let (d, _h) = own.put(&src).unwrap();
                    own.release(d.region);
                })
            });
            g.bench_function(
                BenchmarkId::new("shm_mechanism_in_process", size >> 20),
                |b| {
                    b.iter(|| {
                        let (d, h) = pool.put(&src).unwrap();
                        let view = inbox.view(&d, h, usize::MAX >> 1, &releases).unwrap();
                        std::hint::black_box(checksum(view.as_slice()));
                        drop(view);
                        pool.release(d.region);
                    })
                },
            );
        }
        for (name, args) in [
            ("shm_copy_out", &["sync-echo", "SEALED"][..]),
            ("shm_zero_copy", &["sync-echo", "SEALED", "ZC"][..]),
        ] {
            let mut cl = SyncClient::with_args(args, true, |cfg| cfg.shm_threshold = 1 << 20);
            g.bench_function(BenchmarkId::new(name, size >> 20), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let body = src.clone();
                        let t = Instant::now();
                        cl.round_trip(Kind::PAGE_CONTENT, body);
                        total += t.elapsed();
                    }
                    total
                })
            });
        }
        if size <= 8 << 20 {
            let mut cl = SyncClient::new(true, |cfg| cfg.shm_threshold = usize::MAX);
            g.bench_function(BenchmarkId::new("socket_sealed", size >> 20), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let body = src.clone();
                        let t = Instant::now();
                        cl.round_trip(Kind::PAGE_CONTENT, body);
                        total += t.elapsed();
                    }
                    total
                })
            });
        }
    }
    g.finish();
}

fn codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("codec_small_message");
    let nav = NavigationRequest {
        url: "https://example.org/some/page?q=1".into(),
        tab_id: 3,
        new_window: false,
        incognito: false,
    };
    let mut codec = EnvelopeCodec::new(CodecConfig::default());
    let rates = RateLimits {
        default: Rate::per_second(1e12),
        per_kind: Default::default(),
    };
    let mut policy = Policy::new(PolicyConfig {
        rates,
        ..Default::default()
    });
    let now = Instant::now();
    g.bench_function("encode_validate_decode", |b| {
        b.iter(|| {
            let env = Envelope::new(1, std::hint::black_box(&nav)).with_flags(Flags::REQUEST);
            let bytes = codec.encode(env).unwrap();
            let env = policy
                .check_bytes(1, ProcessKind::Renderer, &bytes, &mut codec, now)
                .unwrap();
            env.body::<NavigationRequest>().unwrap()
        })
    });
    g.bench_function("encode_decode_only", |b| {
        b.iter(|| {
            let env = Envelope::new(1, std::hint::black_box(&nav));
            let bytes = env.encode();
            Envelope::decode(&bytes)
                .unwrap()
                .body::<NavigationRequest>()
                .unwrap()
        })
    });
    g.finish();
}

/// Page-like English text: words drawn with a skewed distribution from a vocabulary,
/// sentences and paragraphs. Compresses about as well as real article text (~3x).
fn page_text(n: usize) -> Vec<u8> {
    const WORDS: &str = "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their been has would when who will more if no out so said what up its about into than them can only other new some time could these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three";
    let words: Vec<&str> = WORDS.split(' ').collect();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = String::with_capacity(n + 16);
    let mut in_sentence = 0;
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Skew: low indices (common words) far more often.
        let r = (x % 1000) as f64 / 1000.0;
        let w = words[((r * r * r) * words.len() as f64) as usize];
        if in_sentence == 0 {
            let mut cs = w.chars();
            out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(cs.as_str());
        } else {
            out.push_str(w);
        }
        in_sentence += 1;
        if in_sentence > 8 + (x % 14) as usize {
            out.push_str(if x.is_multiple_of(9) { ".\n\n" } else { ". " });
            in_sentence = 0;
        } else {
            out.push(if x.is_multiple_of(17) { ',' } else { ' ' });
            if x.is_multiple_of(17) {
                out.push(' ');
            }
        }
    }
    out.truncate(n);
    out.into_bytes()
}

fn compression(c: &mut Criterion) {
    let mut g = c.benchmark_group("page_text_over_socket");
    for size in [1024usize, 64 * 1024, 1_000_000] {
        let text = page_text(size);
        let mut z = nexus_ipc::codec::Zstd::new(Compression::above(0));
        let mut probe = Envelope::raw(Kind::PAGE_CONTENT, 1, text.clone());
        z.maybe_compress(&mut probe);
        println!(
            "RATIO page_text {size} B -> {} B zstd-1 ({:.2}x)",
            probe.body.len(),
            size as f64 / probe.body.len() as f64
        );
        g.throughput(Throughput::Bytes(size as u64));
        for zstd in [false, true] {
            let mut cl = SyncClient::new(true, |cfg| {
                cfg.shm_threshold = usize::MAX;
                cfg.codec.compression = if zstd {
                    Compression::above(0)
                } else {
                    Compression::default()
                };
            });
            let id = BenchmarkId::new(if zstd { "zstd1" } else { "plain" }, size);
            g.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let body = text.clone();
                        let t = Instant::now();
                        cl.round_trip(Kind::PAGE_CONTENT, body);
                        total += t.elapsed();
                    }
                    total
                })
            });
        }
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
}

criterion_group! { name = benches; config = config(); targets = roundtrip, throughput, shm, codec, compression }
criterion_main!(benches);
