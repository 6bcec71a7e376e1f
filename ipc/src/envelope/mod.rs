//! The envelope: what every message travels in, on a socket or inside a CEF process
//! message.
//!
//! Layout (all integers little-endian or LEB128):
//!
//! ```text
//! version u8 | flags u8 | kind u16 | id varint | correlation varint (0 = none) | body ...
//! ```
//!
//! The header is hand-encoded rather than serde-encoded so a receiver can read the kind and
//! flags (and run the allow-list and rate limit) before it spends anything on the body, and
//! so an unknown kind is still a well-formed envelope that can be answered with an error.
//! The body is the typed message encoded with postcard (see the crate docs for why), or,
//! when a flag says so, that encoding compressed, a shared-memory descriptor, or a batch.

mod json;
pub mod varint;

pub use json::body_to_json;

use crate::Kind;
use crate::error::DecodeError;
use crate::messages::Message;

/// The protocol version this build speaks (highest).
pub const PROTOCOL_VERSION: u8 = 1;
/// The oldest protocol version this build still speaks.
pub const MIN_PROTOCOL_VERSION: u8 = 1;

/// Envelope flags (one byte on the wire).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(u8);

impl Flags {
    /// The body is zstd-compressed.
    pub const COMPRESSED: Flags = Flags(0x01);
    /// The body is a [`crate::shm::ShmDescriptor`]; the payload is in shared memory.
    pub const SHM: Flags = Flags(0x02);
    /// The body is a batch of envelopes (kind `batch`).
    pub const BATCH: Flags = Flags(0x04);
    /// The sender expects a reply (correlation id = this id).
    pub const REQUEST: Flags = Flags(0x08);
    /// This is the reply to the request named by the correlation id.
    pub const RESPONSE: Flags = Flags(0x10);
    const ALL: u8 = 0x1f;

    /// No flags.
    pub const fn empty() -> Flags {
        Flags(0)
    }
    /// The raw byte.
    pub const fn bits(self) -> u8 {
        self.0
    }
    /// Flags from a byte, rejecting undefined bits and impossible combinations.
    pub fn from_bits(b: u8) -> Result<Flags, DecodeError> {
        let f = Flags(b);
        if b & !Self::ALL != 0 || (f.contains(Self::REQUEST) && f.contains(Self::RESPONSE)) {
            return Err(DecodeError::BadFlags(b));
        }
        Ok(f)
    }
    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    /// Set the bits of `other`.
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
    /// Clear the bits of `other`.
    pub fn remove(&mut self, other: Flags) {
        self.0 &= !other.0;
    }
    /// The names of the set flags, for logs.
    pub fn names(self) -> Vec<&'static str> {
        let all = [
            (Self::COMPRESSED, "compressed"),
            (Self::SHM, "shm"),
            (Self::BATCH, "batch"),
            (Self::REQUEST, "request"),
            (Self::RESPONSE, "response"),
        ];
        all.iter()
            .filter(|(f, _)| self.contains(*f))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl std::fmt::Debug for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Flags({})", self.names().join("|"))
    }
}

/// One message: header plus encoded body.
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Protocol version the sender speaks on this connection.
    pub version: u8,
    /// Flags.
    pub flags: Flags,
    /// What the body is.
    pub kind: Kind,
    /// Message id, unique per sender and connection (0 for CEF one-shots is allowed).
    pub id: u64,
    /// The request this envelope answers, cancels or streams for.
    pub correlation: Option<u64>,
    /// The encoded body (see [`Flags`] for what it holds).
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the body: pages are private.
        f.debug_struct("Envelope")
            .field("version", &self.version)
            .field("kind", &self.kind)
            .field("id", &self.id)
            .field("correlation", &self.correlation)
            .field("flags", &self.flags)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Bytes of the fixed part of the header (version, flags, kind).
pub const FIXED_HEADER: usize = 4;
/// Largest possible header.
pub const MAX_HEADER: usize = FIXED_HEADER + 20;

impl Envelope {
    /// An envelope carrying `msg`, encoded with postcard.
    pub fn new<M: Message>(id: u64, msg: &M) -> Envelope {
        Envelope::raw(M::KIND, id, encode_body(msg))
    }

    /// An envelope with an already-encoded body.
    pub fn raw(kind: Kind, id: u64, body: Vec<u8>) -> Envelope {
        Envelope {
            version: PROTOCOL_VERSION,
            flags: Flags::empty(),
            kind,
            id,
            correlation: None,
            body,
        }
    }

    /// Builder: set the correlation id.
    pub fn correlate(mut self, to: u64) -> Envelope {
        self.correlation = Some(to);
        self
    }

    /// Builder: add flags.
    pub fn with_flags(mut self, f: Flags) -> Envelope {
        self.flags.insert(f);
        self
    }

    /// Whether the sender expects a reply.
    pub fn is_request(&self) -> bool {
        self.flags.contains(Flags::REQUEST)
    }

    /// Whether this answers a request.
    pub fn is_response(&self) -> bool {
        self.flags.contains(Flags::RESPONSE)
    }

    /// Decode the body as `M`, checking the kind. Trailing bytes are tolerated (a newer peer
    /// may have appended fields); use [`Envelope::body_strict`] for untrusted senders.
    pub fn body<M: Message>(&self) -> Result<M, DecodeError> {
        self.check_plain::<M>()?;
        postcard::from_bytes(&self.body).map_err(|e| body_err(self.kind, e))
    }

    /// Decode the body as `M`, checking the kind and that every byte is consumed.
    pub fn body_strict<M: Message>(&self) -> Result<M, DecodeError> {
        self.check_plain::<M>()?;
        decode_strict(self.kind, &self.body)
    }

    fn check_plain<M: Message>(&self) -> Result<(), DecodeError> {
        if self.kind != M::KIND {
            return Err(DecodeError::KindMismatch {
                expected: M::KIND,
                found: self.kind,
            });
        }
        if self.flags.contains(Flags::COMPRESSED) || self.flags.contains(Flags::SHM) {
            // The codec resolves these before handing an envelope to anyone.
            return Err(DecodeError::Body {
                kind: self.kind,
                reason: "body still packed".into(),
            });
        }
        Ok(())
    }

    /// Encoded size in bytes.
    pub fn encoded_len(&self) -> usize {
        FIXED_HEADER
            + varint::len(self.id)
            + varint::len(self.correlation.unwrap_or(0))
            + self.body.len()
    }

    /// Append the wire form to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        out.push(self.version);
        out.push(self.flags.bits());
        out.extend_from_slice(&self.kind.0.to_le_bytes());
        varint::put(out, self.id);
        varint::put(out, self.correlation.unwrap_or(0));
        out.extend_from_slice(&self.body);
    }

    /// The wire form.
    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut v);
        v
    }

    /// Parse the wire form. The body is copied; its size is bounded by `input`.
    pub fn decode(input: &[u8]) -> Result<Envelope, DecodeError> {
        let (h, used) = Header::decode(input)?;
        Ok(Envelope {
            version: h.version,
            flags: h.flags,
            kind: h.kind,
            id: h.id,
            correlation: h.correlation,
            body: input[used..].to_vec(),
        })
    }
}

/// The header alone, for decisions that need no body (allow-list, rate limit, routing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Protocol version.
    pub version: u8,
    /// Flags.
    pub flags: Flags,
    /// Kind.
    pub kind: Kind,
    /// Message id.
    pub id: u64,
    /// Correlation id.
    pub correlation: Option<u64>,
}

impl Header {
    /// Parse a header from the front of `input`; returns it and its length.
    pub fn decode(input: &[u8]) -> Result<(Header, usize), DecodeError> {
        if input.len() < FIXED_HEADER {
            return Err(DecodeError::Truncated {
                what: "envelope header",
            });
        }
        let version = input[0];
        if !(MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&version) {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let flags = Flags::from_bits(input[1])?;
        let kind = Kind(u16::from_le_bytes([input[2], input[3]]));
        let (id, a) = varint::get(&input[FIXED_HEADER..], "message id")?;
        let (corr, b) = varint::get(&input[FIXED_HEADER + a..], "correlation id")?;
        let correlation = (corr != 0).then_some(corr);
        Ok((
            Header {
                version,
                flags,
                kind,
                id,
                correlation,
            },
            FIXED_HEADER + a + b,
        ))
    }
}

/// Encode a message body with postcard.
pub fn encode_body<M: serde::Serialize>(msg: &M) -> Vec<u8> {
    // Serialising our own plain structs into a Vec cannot fail.
    postcard::to_stdvec(msg).expect("postcard serialisation into a Vec is infallible")
}

/// Decode a body and insist every byte is consumed.
pub fn decode_strict<M: serde::de::DeserializeOwned>(
    kind: Kind,
    body: &[u8],
) -> Result<M, DecodeError> {
    let (m, rest) = postcard::take_from_bytes(body).map_err(|e| body_err(kind, e))?;
    if !rest.is_empty() {
        return Err(DecodeError::TrailingBytes {
            kind,
            extra: rest.len(),
        });
    }
    Ok(m)
}

fn body_err(kind: Kind, e: postcard::Error) -> DecodeError {
    DecodeError::Body {
        kind,
        reason: e.to_string(),
    }
}

/// Pack envelopes into one batch body: each as `varint length | envelope`.
pub fn encode_batch(items: &[Envelope]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.iter().map(|e| e.encoded_len() + 3).sum());
    for e in items {
        varint::put(&mut out, e.encoded_len() as u64);
        e.encode_into(&mut out);
    }
    out
}

/// Unpack a batch body. Nested batches are refused (one level only).
pub fn decode_batch(body: &[u8]) -> Result<Vec<Envelope>, DecodeError> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (len, used) = varint::get(rest, "batch item length")?;
        rest = &rest[used..];
        if len > rest.len() as u64 {
            return Err(DecodeError::Truncated { what: "batch item" });
        }
        let (item, tail) = rest.split_at(len as usize);
        let env = Envelope::decode(item)?;
        if env.flags.contains(Flags::BATCH) || env.kind == Kind::BATCH {
            return Err(DecodeError::BadFlags(env.flags.bits()));
        }
        out.push(env);
        rest = tail;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::navigation::NavigationRequest;

    fn nav() -> NavigationRequest {
        NavigationRequest {
            url: "https://example.org/".into(),
            tab_id: 7,
            new_window: false,
            incognito: true,
        }
    }

    #[test]
    fn round_trip_with_typed_body() {
        let e = Envelope::new(42, &nav())
            .correlate(9)
            .with_flags(Flags::REQUEST);
        let bytes = e.encode();
        assert_eq!(bytes.len(), e.encoded_len());
        let d = Envelope::decode(&bytes).unwrap();
        assert_eq!(d, e);
        assert_eq!(d.body::<NavigationRequest>().unwrap(), nav());
        assert_eq!(d.body_strict::<NavigationRequest>().unwrap(), nav());
    }

    #[test]
    fn header_is_compact() {
        let e = Envelope::raw(Kind::PING, 1, vec![]);
        assert_eq!(e.encode().len(), 6);
    }

    #[test]
    fn kind_mismatch_and_trailing_bytes_are_reported() {
        let mut e = Envelope::new(1, &nav());
        assert!(matches!(
            e.body::<crate::messages::control::Ping>(),
            Err(DecodeError::KindMismatch { .. })
        ));
        e.body.extend_from_slice(&[1, 2, 3]);
        // Lenient decode ignores appended fields, strict decode refuses them.
        assert_eq!(e.body::<NavigationRequest>().unwrap(), nav());
        assert_eq!(
            e.body_strict::<NavigationRequest>(),
            Err(DecodeError::TrailingBytes {
                kind: Kind::NAVIGATION_REQUEST,
                extra: 3
            })
        );
    }

    #[test]
    fn rejects_bad_version_flags_and_truncation() {
        let mut b = Envelope::raw(Kind::PING, 1, vec![]).encode();
        b[0] = 9;
        assert_eq!(
            Envelope::decode(&b),
            Err(DecodeError::UnsupportedVersion(9))
        );
        b[0] = PROTOCOL_VERSION;
        b[1] = 0x80;
        assert_eq!(Envelope::decode(&b), Err(DecodeError::BadFlags(0x80)));
        b[1] = (Flags::REQUEST | Flags::RESPONSE).bits();
        assert!(matches!(
            Envelope::decode(&b),
            Err(DecodeError::BadFlags(_))
        ));
        assert!(matches!(
            Envelope::decode(&b[..3]),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn unknown_kind_is_still_an_envelope() {
        let e = Envelope::raw(Kind(0x7abc), 3, vec![1, 2]);
        let d = Envelope::decode(&e.encode()).unwrap();
        assert_eq!(d.kind, Kind(0x7abc));
        assert!(!d.kind.is_known());
    }

    #[test]
    fn batch_round_trip_and_no_nesting() {
        let items: Vec<_> = (1..=3).map(|i| Envelope::new(i, &nav())).collect();
        let body = encode_batch(&items);
        assert_eq!(decode_batch(&body).unwrap(), items);
        let nested = vec![Envelope::raw(Kind::BATCH, 1, body).with_flags(Flags::BATCH)];
        assert!(decode_batch(&encode_batch(&nested)).is_err());
        assert!(decode_batch(&[5, 1, 2]).is_err());
    }
}
