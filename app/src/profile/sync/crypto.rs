//! Keys and encryption for the sync folder.
//!
//! The passphrase is stretched with PBKDF2-HMAC-SHA256 (ring; 600,000 iterations for a new
//! folder, OWASP's 2023 figure for this hash) with a random 16-byte salt from the folder's
//! header file. ring has no memory-hard KDF and scrypt/argon2 would add a dependency for a
//! derivation that runs once per session, so PBKDF2 it is. HKDF-SHA256 then derives one key
//! per purpose from the stretched secret, so no key serves two jobs:
//! - `record`: AES-256-GCM for every record, a random 96-bit nonce each (2^32 records per
//!   key before the nonce-collision margin is at risk — far beyond a browser's lifetime);
//! - `record-id`: HMAC-SHA256 keyed naming of records, so the folder shows neither GUIDs nor
//!   setting names;
//! - `check`: seals a known text in the header, so a wrong passphrase is recognised at once,
//!   before anything is read or written.

use crate::profile::util::{hex, random_bytes, unhex};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::{digest, hkdf, hmac, pbkdf2};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// PBKDF2 iterations for a new sync folder.
pub const DEFAULT_ITERATIONS: u32 = 600_000;
/// The fewest iterations a folder header may ask for (a header asking for fewer is refused).
pub const MIN_ITERATIONS: u32 = 10_000;
/// The format tag of the header and of the key derivation.
pub const FORMAT: &str = "nexus-sync/1";
const CHECK_TEXT: &[u8] = b"nexus-sync passphrase check";

/// The folder's header file: how to derive the keys, and a sealed check value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always "pbkdf2-hmac-sha256".
    pub kdf: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The salt, hex.
    pub salt: String,
    /// [`CHECK_TEXT`] sealed with the check key, hex.
    pub check: String,
}

/// The derived keys.
pub struct Keys {
    record: LessSafeKey,
    check: LessSafeKey,
    id: hmac::Key,
}

/// Keys kept in memory between syncs, with a fingerprint of what they were derived from.
pub struct CachedKeys {
    pub(crate) fingerprint: [u8; 32],
    pub(crate) keys: Keys,
}

/// A fingerprint of (salt, iterations, passphrase) to know when cached keys still apply.
pub(crate) fn fingerprint(salt: &[u8], iterations: u32, passphrase: &str) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(salt);
    ctx.update(&iterations.to_le_bytes());
    ctx.update(passphrase.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

fn aead_key(prk: &hkdf::Prk, purpose: &'static [u8]) -> LessSafeKey {
    let info = [purpose];
    let okm = prk
        .expand(&info, &AES_256_GCM)
        .expect("32 bytes is a valid HKDF length");
    LessSafeKey::new(UnboundKey::from(okm))
}

/// Stretch `passphrase` and derive the per-purpose keys.
pub fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Keys {
    let mut master = [0u8; 32];
    let n = NonZeroU32::new(iterations.max(1)).expect("at least one iteration");
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        n,
        salt,
        passphrase.as_bytes(),
        &mut master,
    );
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&master);
    let id_info: [&[u8]; 1] = [b"nexus-sync/1 record-id"];
    let id = hmac::Key::from(
        prk.expand(&id_info, hmac::HMAC_SHA256)
            .expect("valid HKDF length"),
    );
    Keys {
        record: aead_key(&prk, b"nexus-sync/1 record"),
        check: aead_key(&prk, b"nexus-sync/1 check"),
        id,
    }
}

fn seal(key: &LessSafeKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    random_bytes(&mut nonce);
    let mut buf = plaintext.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(aad),
        &mut buf,
    )
    .expect("AES-GCM sealing of a bounded buffer cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&buf);
    out
}

fn open(key: &LessSafeKey, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN + AES_256_GCM.tag_len() {
        return None;
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buf = ct.to_vec();
    let plain = key.open_in_place(nonce, Aad::from(aad), &mut buf).ok()?;
    Some(plain.to_vec())
}

impl Keys {
    /// Encrypt a record body; `aad` binds it to its collection, id and version.
    pub fn seal_record(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        seal(&self.record, aad, plaintext)
    }

    /// Decrypt a record body; `None` if it was altered or sealed with another key.
    pub fn open_record(&self, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        open(&self.record, aad, sealed)
    }

    /// The opaque 16-byte name under which a record appears in the folder.
    pub fn opaque_id(&self, collection: &str, id: &str) -> [u8; 16] {
        let mut ctx = hmac::Context::with_key(&self.id);
        ctx.update(collection.as_bytes());
        ctx.update(&[0]);
        ctx.update(id.as_bytes());
        let tag = ctx.sign();
        let mut out = [0u8; 16];
        out.copy_from_slice(&tag.as_ref()[..16]);
        out
    }
}

fn header_aad(salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut aad = format!("{FORMAT} header ").into_bytes();
    aad.extend_from_slice(salt);
    aad.extend_from_slice(&iterations.to_le_bytes());
    aad
}

impl Header {
    /// A header for a new folder, and its keys.
    pub fn create(passphrase: &str, iterations: u32) -> (Header, Keys) {
        let mut salt = [0u8; 16];
        random_bytes(&mut salt);
        let keys = derive(passphrase, &salt, iterations);
        let check = seal(&keys.check, &header_aad(&salt, iterations), CHECK_TEXT);
        let header = Header {
            format: FORMAT.into(),
            kdf: "pbkdf2-hmac-sha256".into(),
            iterations,
            salt: hex(&salt),
            check: hex(&check),
        };
        (header, keys)
    }

    /// The salt bytes, if the header is well-formed.
    pub fn salt_bytes(&self) -> Option<Vec<u8>> {
        unhex(&self.salt).filter(|s| s.len() >= 16)
    }

    /// Whether the header is one this version understands.
    pub fn is_supported(&self) -> bool {
        self.format == FORMAT
            && self.kdf == "pbkdf2-hmac-sha256"
            && self.iterations >= MIN_ITERATIONS
            && self.salt_bytes().is_some()
    }

    /// Whether `keys` (derived from a passphrase) open this header's check value.
    pub fn accepts(&self, keys: &Keys) -> bool {
        let (Some(salt), Some(check)) = (self.salt_bytes(), unhex(&self.check)) else {
            return false;
        };
        open(&keys.check, &header_aad(&salt, self.iterations), &check)
            .is_some_and(|p| p == CHECK_TEXT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_passphrase_opens_and_a_wrong_one_does_not() {
        let (header, keys) = Header::create("correct horse", MIN_ITERATIONS);
        assert!(header.is_supported());
        assert!(header.accepts(&keys));
        let salt = header.salt_bytes().unwrap();
        assert!(header.accepts(&derive("correct horse", &salt, header.iterations)));
        assert!(!header.accepts(&derive("wrong horse", &salt, header.iterations)));
    }

    #[test]
    fn records_are_bound_to_their_associated_data() {
        let (_, keys) = Header::create("pw", MIN_ITERATIONS);
        let sealed = keys.seal_record(b"bookmarks/abc/1", b"secret title");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            keys.open_record(b"bookmarks/abc/1", &sealed).unwrap(),
            b"secret title"
        );
        assert!(keys.open_record(b"bookmarks/abc/2", &sealed).is_none());
        let mut flipped = sealed.clone();
        flipped[20] ^= 1;
        assert!(keys.open_record(b"bookmarks/abc/1", &flipped).is_none());
        assert_ne!(
            keys.opaque_id("settings", "a"),
            keys.opaque_id("settings", "b")
        );
        assert_ne!(
            keys.opaque_id("settings", "a"),
            keys.opaque_id("history", "a")
        );
    }

    #[test]
    fn weak_or_foreign_headers_are_not_supported() {
        let (mut header, _) = Header::create("pw", MIN_ITERATIONS);
        header.iterations = 1000;
        assert!(!header.is_supported());
    }
}
