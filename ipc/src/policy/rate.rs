//! Token-bucket rate limits per (peer, kind).
//!
//! The seed's fixed one-second window lets a sender fire twice the limit across a window
//! edge; a token bucket does not. Each bucket holds at most `burst` tokens and refills at
//! `per_second`; a message takes one token or is refused. Time comes from the caller.

use crate::Kind;
use std::collections::HashMap;
use std::time::Instant;

/// A rate: sustained messages per second and the burst allowed on top of silence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Sustained messages per second.
    pub per_second: f64,
    /// Bucket size (messages that may arrive at once after a quiet spell).
    pub burst: f64,
}

impl Rate {
    /// `n` per second with a burst of `n` (one second's worth).
    pub fn per_second(n: f64) -> Rate {
        Rate {
            per_second: n,
            burst: n,
        }
    }
}

/// Limits per kind, with a default for kinds not listed.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimits {
    /// Rate for kinds without an entry.
    pub default: Rate,
    /// Per-kind rates.
    pub per_kind: HashMap<Kind, Rate>,
}

impl Default for RateLimits {
    /// The seed's table: ai_analyze 10/s, navigation_request 5/s, data_sync 20/s, others 100/s.
    fn default() -> Self {
        let per_kind = HashMap::from([
            (Kind::AI_ANALYZE, Rate::per_second(10.0)),
            (Kind::NAVIGATION_REQUEST, Rate::per_second(5.0)),
            (Kind::DATA_SYNC, Rate::per_second(20.0)),
        ]);
        RateLimits {
            default: Rate::per_second(100.0),
            per_kind,
        }
    }
}

impl RateLimits {
    /// The rate for `kind`.
    pub fn rate(&self, kind: Kind) -> Rate {
        self.per_kind.get(&kind).copied().unwrap_or(self.default)
    }

    /// No effective limit on any kind (benchmarks measuring everything but the limiter).
    pub fn unlimited() -> RateLimits {
        RateLimits {
            default: Rate::per_second(f64::MAX / 4.0),
            per_kind: HashMap::new(),
        }
    }

    /// Builder: set the rate for one kind.
    pub fn with(mut self, kind: Kind, rate: Rate) -> RateLimits {
        self.per_kind.insert(kind, rate);
        self
    }
}

/// One bucket.
#[derive(Clone, Debug)]
pub struct TokenBucket {
    rate: Rate,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: Rate, now: Instant) -> TokenBucket {
        TokenBucket {
            rate,
            tokens: rate.burst,
            last: now,
        }
    }

    /// Take one token if there is one.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let dt = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + dt * self.rate.per_second).min(self.rate.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_burst_then_sustained_rate_within_one_token() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(Rate::per_second(10.0), t0);
        let mut ok = 0;
        // 1000 attempts spread over 3 seconds.
        for i in 0..1000u64 {
            if b.try_take(t0 + Duration::from_millis(i * 3)) {
                ok += 1;
            }
        }
        let allowed = 10.0 + 10.0 * 2.997;
        assert!(
            (ok as f64 - allowed).abs() <= 1.0,
            "accepted {ok}, expected about {allowed}"
        );
    }

    #[test]
    fn no_double_burst_across_a_window_edge() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(Rate::per_second(5.0), t0);
        let first = (0..100)
            .filter(|_| b.try_take(t0 + Duration::from_millis(990)))
            .count();
        let second = (0..100)
            .filter(|_| b.try_take(t0 + Duration::from_millis(1010)))
            .count();
        assert_eq!(first, 5);
        assert!(second <= 1, "{second}");
    }

    #[test]
    fn seed_defaults() {
        let r = RateLimits::default();
        assert_eq!(r.rate(Kind::AI_ANALYZE).per_second, 10.0);
        assert_eq!(r.rate(Kind::NAVIGATION_REQUEST).per_second, 5.0);
        assert_eq!(r.rate(Kind::DATA_SYNC).per_second, 20.0);
        assert_eq!(r.rate(Kind::TAB_CREATED).per_second, 100.0);
    }
}
