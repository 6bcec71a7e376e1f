//! Reassembling page content that a renderer sent as a stream of chunks.

use nexus_ipc::messages::page::PageContent;
use nexus_ipc::messages::stream::{StreamData, StreamStart};
use nexus_ipc::{Envelope, Kind};

/// Largest page content accepted, encoded.
pub const MAX_CONTENT_BYTES: usize = 10 * 1024 * 1024;

/// How a stream is going.
#[derive(Debug)]
pub enum Progress {
    /// More chunks to come.
    More,
    /// Complete.
    Done(PageContent),
    /// Broken (out of order, too large, undecodable, or an error frame).
    Failed,
}

/// Chunks received so far.
#[derive(Debug, Default)]
pub struct ContentAssembly {
    started: bool,
    expected_len: Option<u64>,
    next_seq: u64,
    bytes: Vec<u8>,
}

impl ContentAssembly {
    /// Add one stream frame.
    pub fn push(&mut self, envelope: &Envelope) -> Progress {
        match envelope.kind {
            Kind::STREAM_START => match envelope.body::<StreamStart>() {
                Ok(start) if start.item_kind == Some(Kind::PAGE_CONTENT) && !self.started => {
                    if start
                        .total_len
                        .is_some_and(|n| n as usize > MAX_CONTENT_BYTES)
                    {
                        return Progress::Failed;
                    }
                    self.started = true;
                    self.expected_len = start.total_len;
                    Progress::More
                }
                _ => Progress::Failed,
            },
            Kind::STREAM_DATA => match envelope.body::<StreamData>() {
                Ok(data) if self.started && data.seq == self.next_seq => {
                    if self.bytes.len() + data.item.len() > MAX_CONTENT_BYTES {
                        return Progress::Failed;
                    }
                    self.next_seq += 1;
                    self.bytes.extend_from_slice(&data.item);
                    Progress::More
                }
                _ => Progress::Failed,
            },
            Kind::STREAM_END if self.started => {
                if self
                    .expected_len
                    .is_some_and(|n| n as usize != self.bytes.len())
                {
                    return Progress::Failed;
                }
                match nexus_ipc::envelope::decode_strict::<PageContent>(
                    Kind::PAGE_CONTENT,
                    &self.bytes,
                ) {
                    Ok(content) => Progress::Done(content),
                    Err(_) => Progress::Failed,
                }
            }
            _ => Progress::Failed,
        }
    }
}
