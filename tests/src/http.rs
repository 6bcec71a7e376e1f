//! A tiny HTTP/1.1 server on 127.0.0.1 for test pages: serves fixed responses by path.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One response.
#[derive(Clone)]
pub struct Page {
    /// Status code.
    pub status: u16,
    /// Content type.
    pub content_type: String,
    /// Body.
    pub body: Vec<u8>,
}

/// A running server; stops when dropped (its thread exits with the process).
pub struct TestServer {
    port: u16,
    pages: Arc<Mutex<HashMap<String, Page>>>,
    /// Every path requested, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl TestServer {
    /// Start serving on a free port.
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind test server");
        let port = listener.local_addr().expect("addr").port();
        let pages: Arc<Mutex<HashMap<String, Page>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (p, r) = (pages.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (p, r) = (p.clone(), r.clone());
                std::thread::spawn(move || serve(stream, &p, &r));
            }
        });
        TestServer {
            port,
            pages,
            requests,
        }
    }

    /// Serve `body` as `content_type` at `path`.
    pub fn page(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) -> &Self {
        self.pages.lock().expect("pages").insert(
            path.to_string(),
            Page {
                status: 200,
                content_type: content_type.to_string(),
                body: body.into(),
            },
        );
        self
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(stream: TcpStream, pages: &Mutex<HashMap<String, Page>>, requests: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        requests.lock().expect("requests").push(path.clone());
        let page = pages
            .lock()
            .expect("pages")
            .get(&path)
            .cloned()
            .unwrap_or(Page {
                status: 404,
                content_type: "text/plain".into(),
                body: b"not found".to_vec(),
            });
        let head = format!(
            "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
            page.status,
            page.content_type,
            page.body.len()
        );
        if stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(&page.body))
            .is_err()
        {
            return;
        }
    }
}
