//! nexus-ipc envelopes over CEF process messages.
//!
//! One envelope travels as one process message whose name is the envelope's kind name
//! and whose only argument is the encoded envelope (a binary value). The receiving side
//! decodes with [`decode`], which rejects a name that does not match the envelope inside
//! (a renderer could otherwise dress one kind up as another).

use super::compat::strings::{cef_string, to_string};
use cef::*;
use nexus_ipc::Envelope;

/// Why a process message is not a valid envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// The message has no binary argument 0.
    #[error("process message {name:?} carries no envelope")]
    NoPayload {
        /// The message name.
        name: String,
    },
    /// The bytes are not an envelope.
    #[error("process message {name:?} carries an undecodable envelope: {reason}")]
    Undecodable {
        /// The message name.
        name: String,
        /// What the decoder said.
        reason: String,
    },
    /// The name says one kind, the envelope another.
    #[error("process message named {name:?} carries a {kind} envelope")]
    NameMismatch {
        /// The message name.
        name: String,
        /// The envelope's kind.
        kind: String,
    },
    /// Over the size cap.
    #[error("process message {name:?} is {len} bytes, over the {cap}-byte cap")]
    TooLarge {
        /// The message name.
        name: String,
        /// Its size.
        len: usize,
        /// The cap.
        cap: usize,
    },
}

/// Largest envelope accepted over CEF (the same cap as sockets).
pub const MAX_ENVELOPE_BYTES: usize = 10 * 1024 * 1024;

/// Decode a process message's name and payload into an envelope (pure: fuzzable).
pub fn decode(name: &str, payload: Option<&[u8]>) -> Result<Envelope, AdapterError> {
    let bytes = payload.ok_or_else(|| AdapterError::NoPayload {
        name: name.to_string(),
    })?;
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(AdapterError::TooLarge {
            name: name.to_string(),
            len: bytes.len(),
            cap: MAX_ENVELOPE_BYTES,
        });
    }
    let envelope = Envelope::decode(bytes).map_err(|e| AdapterError::Undecodable {
        name: name.to_string(),
        reason: e.to_string(),
    })?;
    let kind_name = envelope.kind.to_string();
    if kind_name != name {
        return Err(AdapterError::NameMismatch {
            name: name.to_string(),
            kind: kind_name,
        });
    }
    Ok(envelope)
}

/// Build the process message for an envelope.
pub fn to_process_message(envelope: &Envelope) -> Option<ProcessMessage> {
    let message = process_message_create(Some(&cef_string(&envelope.kind.to_string())))?;
    let bytes = envelope.encode();
    let mut binary = binary_value_create(Some(&bytes))?;
    let args = message.get_argument_list()?;
    args.set_binary(0, Some(&mut binary));
    Some(message)
}

/// Read a received process message: its name and payload bytes.
pub fn read(message: &mut impl ImplProcessMessage) -> (String, Option<Vec<u8>>) {
    let name = message
        .get_name()
        .map(|n| to_string(&n))
        .unwrap_or_default();
    let payload = message.get_argument_list().and_then(|args| {
        if args.get_size() == 0 {
            return None;
        }
        let binary = args.get_binary(0)?;
        let size = binary.get_size();
        if size > MAX_ENVELOPE_BYTES {
            return Some(vec![0; MAX_ENVELOPE_BYTES + 1]);
        }
        let mut bytes = vec![0u8; size];
        let n = binary.get_data(Some(&mut bytes), 0);
        bytes.truncate(n);
        Some(bytes)
    });
    (name, payload)
}

/// The name of the raw (no envelope) message the round-trip benchmark uses as its baseline.
pub const RAW_BENCH_NAME: &str = "nexus_bench_raw";

/// Send `bytes` as a raw benchmark message to the other process of `frame` (renderer ->
/// browser in a renderer, browser -> renderer in the browser process).
pub fn send_raw(frame: &impl ImplFrame, bytes: &[u8]) {
    let target = if std::env::args().any(|a| a == "--type=renderer") {
        cef_dll_sys::cef_process_id_t::PID_BROWSER
    } else {
        cef_dll_sys::cef_process_id_t::PID_RENDERER
    };
    send_bytes(frame, RAW_BENCH_NAME, bytes, target);
}

/// Send `bytes` as a process message named `name` from a renderer to the browser process
/// (the renderer's test hook uses it to act like a compromised renderer).
pub fn send_named(frame: &impl ImplFrame, name: &str, bytes: &[u8]) {
    send_bytes(
        frame,
        name,
        bytes,
        cef_dll_sys::cef_process_id_t::PID_BROWSER,
    );
}

/// Send `bytes` as the binary argument of a process message named `name` to `target`.
fn send_bytes(
    frame: &impl ImplFrame,
    name: &str,
    bytes: &[u8],
    target: cef_dll_sys::cef_process_id_t,
) {
    let Some(mut message) = process_message_create(Some(&cef_string(name))) else {
        return;
    };
    if let (Some(mut binary), Some(args)) = (
        binary_value_create(Some(bytes)),
        message.get_argument_list(),
    ) {
        args.set_binary(0, Some(&mut binary));
    }
    frame.send_process_message(ProcessId::from(target), Some(&mut message));
}

/// Send an envelope from a renderer to the browser process, through `frame`.
pub fn send_to_browser(frame: &impl ImplFrame, envelope: &Envelope) {
    if let Some(mut message) = to_process_message(envelope) {
        frame.send_process_message(
            ProcessId::from(cef_dll_sys::cef_process_id_t::PID_BROWSER),
            Some(&mut message),
        );
    }
}

/// Send an envelope from the browser process to a frame's renderer.
pub fn send_to_renderer(frame: &impl ImplFrame, envelope: &Envelope) {
    if let Some(mut message) = to_process_message(envelope) {
        frame.send_process_message(
            ProcessId::from(cef_dll_sys::cef_process_id_t::PID_RENDERER),
            Some(&mut message),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nexus_ipc::messages::navigation::NavigationRequest;

    fn nav() -> Envelope {
        Envelope::new(
            7,
            &NavigationRequest {
                url: "https://a.example/".into(),
                tab_id: 0,
                new_window: false,
                incognito: false,
            },
        )
    }

    #[test]
    fn a_matching_name_decodes() {
        let env = nav();
        let got = decode("navigation_request", Some(&env.encode())).unwrap();
        assert_eq!(got.kind, env.kind);
        assert_eq!(
            got.body::<NavigationRequest>().unwrap().url,
            "https://a.example/"
        );
    }

    #[test]
    fn a_renamed_envelope_is_rejected() {
        let err = decode("ai_analyze", Some(&nav().encode())).unwrap_err();
        assert!(matches!(err, AdapterError::NameMismatch { .. }), "{err}");
    }

    #[test]
    fn garbage_missing_and_oversized_payloads_are_rejected() {
        assert!(matches!(
            decode("x", None),
            Err(AdapterError::NoPayload { .. })
        ));
        assert!(matches!(
            decode("x", Some(&[0xff, 1, 2])),
            Err(AdapterError::Undecodable { .. })
        ));
        let big = vec![0u8; MAX_ENVELOPE_BYTES + 1];
        assert!(matches!(
            decode("x", Some(&big)),
            Err(AdapterError::TooLarge { .. })
        ));
    }
}
