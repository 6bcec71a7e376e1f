//! A server-sent-events reader: the wire format of streamed chat completions.
//!
//! Lines are read from any `BufRead`; `data:` lines of one event are joined with newlines
//! and the event is dispatched at the blank line that ends it (the rules of the HTML
//! living standard's event-stream section, minus `retry`/`id`, which a one-shot completion
//! does not need). Comments (`:`) and other fields are skipped.

use std::io::BufRead;

/// Reads events from a stream.
pub struct EventReader<R> {
    input: R,
    line: String,
}

impl<R: BufRead> EventReader<R> {
    /// Read events from `input`.
    pub fn new(input: R) -> EventReader<R> {
        EventReader {
            input,
            line: String::new(),
        }
    }

    /// The next event's data, `None` at the end of the stream.
    pub fn next_event(&mut self) -> std::io::Result<Option<String>> {
        let mut data: Option<String> = None;
        loop {
            self.line.clear();
            if self.input.read_line(&mut self.line)? == 0 {
                return Ok(data); // a last event without its blank line still counts
            }
            let line = self.line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if data.is_some() {
                    return Ok(data);
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            if field == "data" {
                let value = value.strip_prefix(' ').unwrap_or(value);
                match &mut data {
                    Some(d) => {
                        d.push('\n');
                        d.push_str(value);
                    }
                    None => data = Some(value.to_owned()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_comments_and_multiline_data() {
        let input = b": keep-alive\n\ndata: {\"a\":1}\n\ndata:x\r\ndata: y\r\nevent: ignored\r\n\r\ndata: last" as &[u8];
        let mut r = EventReader::new(input);
        assert_eq!(r.next_event().unwrap().as_deref(), Some("{\"a\":1}"));
        assert_eq!(r.next_event().unwrap().as_deref(), Some("x\ny"));
        assert_eq!(r.next_event().unwrap().as_deref(), Some("last"));
        assert_eq!(r.next_event().unwrap(), None);
    }
}
