//! How long a failed key waits: per-key exponential backoff combined with an overall
//! token bucket (the larger delay wins).

use std::time::Duration;

use tokio::time::Instant;

/// Settings of a [`WorkQueue`](crate::WorkQueue): the per-key failure backoff and the
/// overall rate limit of retries.
///
/// The delay of a key's `n`-th consecutive failure is `base * 2^(n-1)`, capped at
/// `max` (defaults: 5 ms doubling to 1000 s); it is reset by
/// [`WorkQueue::forget`](crate::WorkQueue::forget), which a controller calls on
/// success. Retries of all keys together also draw from a token bucket (default 10
/// per second, bursts of 100), so that a mass failure does not become a retry storm;
/// a retry waits for the larger of the two delays.
///
/// ```
/// use std::time::Duration;
/// use reconcile::QueueConfig;
/// let config = QueueConfig::default()
///     .backoff(Duration::from_millis(10), Duration::from_secs(60))
///     .overall_rate(50.0, 500);
/// assert_eq!(config.base_delay(), Duration::from_millis(10));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct QueueConfig {
    base: Duration,
    max: Duration,
    /// Tokens per second and bucket size; `None`: no overall limit.
    overall: Option<(f64, u32)>,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            base: Duration::from_millis(5),
            max: Duration::from_secs(1000),
            overall: Some((10.0, 100)),
        }
    }
}

impl QueueConfig {
    /// Per-key backoff: the first retry waits `base`, each further one twice as long,
    /// up to `max`.
    #[must_use]
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base = base;
        self.max = max.max(base);
        self
    }

    /// Overall limit of retries: `per_second` tokens a second, at most `burst` saved
    /// up. A rate that is not a positive number removes the limit.
    #[must_use]
    pub fn overall_rate(mut self, per_second: f64, burst: u32) -> Self {
        self.overall =
            (per_second.is_finite() && per_second > 0.0).then_some((per_second, burst.max(1)));
        self
    }

    /// No overall limit of retries; only the per-key backoff.
    #[must_use]
    pub fn no_overall_rate(mut self) -> Self {
        self.overall = None;
        self
    }

    /// The delay of a key's first retry.
    pub fn base_delay(&self) -> Duration {
        self.base
    }

    /// The longest per-key delay.
    pub fn max_delay(&self) -> Duration {
        self.max
    }

    /// The per-key delay after `failures` consecutive failures (1 for the first).
    pub fn delay_for(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(63);
        let factor = 1u64 << exponent;
        let nanos = self.base.as_nanos().saturating_mul(u128::from(factor));
        let max = self.max.as_nanos();
        if nanos >= max {
            self.max
        } else {
            // nanos < max, which came from a Duration, so it fits.
            Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
        }
    }

    pub(crate) fn bucket(&self) -> Option<TokenBucket> {
        self.overall
            .map(|(rate, burst)| TokenBucket::new(rate, burst, Instant::now()))
    }
}

/// A token bucket that hands out reservations: a caller takes a token now if one is
/// there, else the next free one in the future, and waits until then.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    rate: f64,
    burst: f64,
    /// Tokens at `at`; negative when future tokens are reserved.
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    fn new(rate: f64, burst: u32, now: Instant) -> Self {
        TokenBucket {
            rate,
            burst: f64::from(burst),
            tokens: f64::from(burst),
            at: now,
        }
    }

    /// Reserves one token; returns how long to wait for it.
    pub(crate) fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.at = now;
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64(-self.tokens / self.rate).unwrap_or(Duration::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_from_5ms_to_1000s() {
        let config = QueueConfig::default();
        assert_eq!(config.delay_for(1), Duration::from_millis(5));
        assert_eq!(config.delay_for(2), Duration::from_millis(10));
        assert_eq!(config.delay_for(11), Duration::from_millis(5 * 1024));
        assert_eq!(config.delay_for(18), Duration::from_millis(5 << 17));
        assert_eq!(config.delay_for(19), Duration::from_secs(1000));
        assert_eq!(config.delay_for(u32::MAX), Duration::from_secs(1000));
        assert_eq!(config.delay_for(0), Duration::from_millis(5));
    }

    #[test]
    fn bucket_allows_a_burst_then_paces() {
        let now = Instant::now();
        let mut bucket = TokenBucket::new(10.0, 3, now);
        for _ in 0..3 {
            assert_eq!(bucket.reserve(now), Duration::ZERO);
        }
        let wait = bucket.reserve(now);
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        let wait = bucket.reserve(now);
        assert!((wait.as_secs_f64() - 0.2).abs() < 1e-9, "{wait:?}");
        // One second later the debt (2 tokens) is repaid and 3 more accrued, capped at 3.
        let later = now + Duration::from_secs(1);
        assert_eq!(bucket.reserve(later), Duration::ZERO);
    }

    #[test]
    fn odd_settings_are_tamed() {
        let config = QueueConfig::default().overall_rate(f64::NAN, 0);
        assert!(config.bucket().is_none());
        let config = QueueConfig::default().backoff(Duration::from_secs(5), Duration::ZERO);
        assert_eq!(config.max_delay(), Duration::from_secs(5));
    }
}
