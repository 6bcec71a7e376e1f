//! Small shared pieces: the store's clock, GUIDs, hex, URL keys and timestamps for file names.
//!
//! The clock is injectable so that tests (and sync tests in particular, where the order of
//! modification times decides which write wins) run on simulated time.

use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the store reads the time (milliseconds since the Unix epoch).
#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system's wall clock.
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that only moves when told to; clones share the time.
    pub fn manual(start_ms: i64) -> Clock {
        Clock {
            manual: Some(Arc::new(AtomicI64::new(start_ms))),
        }
    }

    /// The current time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match &self.manual {
            Some(t) => t.load(Ordering::SeqCst),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        }
    }

    /// Set a manual clock (no effect on the system clock).
    pub fn set(&self, ms: i64) {
        if let Some(t) = &self.manual {
            t.store(ms, Ordering::SeqCst);
        }
    }

    /// Move a manual clock forward by `ms` (no effect on the system clock).
    pub fn advance(&self, ms: i64) {
        if let Some(t) = &self.manual {
            t.fetch_add(ms, Ordering::SeqCst);
        }
    }
}

const GUID_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Fill `buf` from the operating system's secure random source.
pub(crate) fn random_bytes(buf: &mut [u8]) {
    // The system RNG failing is not recoverable in any useful way.
    SystemRandom::new()
        .fill(buf)
        .expect("the operating system's random source failed");
}

/// A new 12-character URL-safe GUID (72 random bits), the format Firefox Sync uses.
pub fn new_guid() -> String {
    let mut bytes = [0u8; 9];
    random_bytes(&mut bytes);
    guid_from_bytes(&bytes)
}

/// The 12-character GUID spelling of 9 bytes.
pub(crate) fn guid_from_bytes(bytes: &[u8; 9]) -> String {
    let mut out = String::with_capacity(12);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(GUID_ALPHABET[((n >> shift) & 63) as usize] as char);
        }
    }
    out
}

/// Whether `s` looks like a GUID this store would accept from outside (sync, import).
pub(crate) fn valid_guid(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| GUID_ALPHABET.contains(&b))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of a hex string, or `None` if it is not hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The parts of a URL that ranking and permissions need, without a full URL parser.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    /// Lower-case scheme, e.g. "https".
    pub scheme: String,
    /// Lower-case host (no user info, no port); empty for `about:` and `file:` URLs.
    pub host: String,
    /// The port as written, if any.
    pub port: Option<&'a str>,
}

/// Split a URL into scheme, host and port.
pub(crate) fn url_parts(url: &str) -> Option<UrlParts<'_>> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return None;
    }
    let rest = &url[colon + 1..];
    let Some(after) = rest.strip_prefix("//") else {
        return Some(UrlParts {
            scheme: scheme.to_ascii_lowercase(),
            host: String::new(),
            port: None,
        });
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if hostport.starts_with('[') {
        match hostport.find(']') {
            Some(i) => (&hostport[..=i], hostport[i + 1..].strip_prefix(':')),
            None => (hostport, None),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_lowercase(),
        port: port.filter(|p| !p.is_empty()),
    })
}

/// The host used for address-bar prefix matching: lower case, without a leading `www.`.
pub(crate) fn host_key(url: &str) -> String {
    let host = url_parts(url).map(|p| p.host).unwrap_or_default();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

/// A UTC timestamp for file names, e.g. `20250131T235959Z`, from milliseconds since the epoch.
pub(crate) fn file_stamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_twelve_url_safe_chars_and_differ() {
        let a = new_guid();
        let b = new_guid();
        assert_eq!(a.len(), 12);
        assert!(valid_guid(&a));
        assert_ne!(a, b);
        assert!(!valid_guid("has space"));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
        assert_eq!(unhex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn url_parts_and_host_keys() {
        let p = url_parts("HTTPS://user:pw@WWW.Example.COM:8443/a?b#c").unwrap();
        assert_eq!(
            (p.scheme.as_str(), p.host.as_str(), p.port),
            ("https", "www.example.com", Some("8443"))
        );
        assert_eq!(host_key("https://www.github.com/rust-lang"), "github.com");
        assert_eq!(host_key("http://[::1]:8080/x"), "[::1]");
        assert_eq!(host_key("about:blank"), "");
        assert!(url_parts("no scheme here").is_none());
    }

    #[test]
    fn file_stamps_are_utc_calendar_dates() {
        assert_eq!(file_stamp(0), "19700101T000000Z");
        assert_eq!(file_stamp(951_782_400_000), "20000229T000000Z");
        assert_eq!(file_stamp(1_735_689_599_000), "20241231T235959Z");
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = Clock::manual(1000);
        let shared = c.clone();
        shared.advance(5);
        assert_eq!(c.now_ms(), 1005);
        c.set(7);
        assert_eq!(shared.now_ms(), 7);
    }
}
