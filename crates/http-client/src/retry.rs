//! [`RetryPolicy`]: how often, and after how long, a failed request is tried again.

use std::time::Duration;

use hyper::http::HeaderMap;

/// Retries with exponential backoff and jitter.
///
/// What is retried (see the crate documentation): reads (GET, LIST, the start of a
/// watch) after a connection failure, a 429 or a 5xx; writes only after a 429 (the
/// server refused the request before handling it) or a failure to connect (the
/// request never left). The n-th retry waits `initial * 2^(n-1)`, at most `max`,
/// jittered to between half and all of that; a `Retry-After` the server sends (header,
/// or `details.retryAfterSeconds`) replaces the backoff, also capped at `max`.
///
/// ```
/// use std::time::Duration;
/// use http_client::RetryPolicy;
/// let policy = RetryPolicy::default()
///     .attempts(3)
///     .delays(Duration::from_millis(50), Duration::from_secs(2));
/// assert_eq!(policy.max_attempts(), 3);
/// // Zero delays (for tests): retries happen at once.
/// assert_eq!(RetryPolicy::default().delays(Duration::ZERO, Duration::ZERO).backoff(4, 0.5), Duration::ZERO);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    initial: Duration,
    max: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms doubling to at most 30 s.
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            initial: Duration::from_millis(200),
            max: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt: no retries.
    pub fn never() -> Self {
        RetryPolicy::default().attempts(1)
    }

    /// At most `attempts` tries in all (the first included); at least 1.
    #[must_use]
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The first retry's delay and the cap on every delay (`Retry-After` included).
    /// Zero delays make retries immediate.
    #[must_use]
    pub fn delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial = initial;
        self.max = max.max(initial);
        self
    }

    /// The number of tries in all.
    pub fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// The delay before retry number `retry` (1 for the first) given a uniform random
    /// `unit` in `[0, 1)`: `initial * 2^(retry-1)` capped at `max`, scaled into
    /// `[1/2, 1]` of itself by `unit`.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let base = self.initial.saturating_mul(1u32 << doublings).min(self.max);
        base.mul_f64(0.5 + unit.clamp(0.0, 1.0) / 2.0)
    }

    /// The delay before retry number `retry`: the server's `retry_after` when it gave
    /// one (capped at the maximum), else the jittered backoff.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(after) => after.min(self.max),
            None => self.backoff(retry, fastrand::f64()),
        }
    }
}

/// The `Retry-After` header in seconds (the HTTP-date form is not used by API servers
/// and is ignored).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(hyper::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_within_half() {
        let p = RetryPolicy::default().delays(Duration::from_millis(100), Duration::from_secs(1));
        assert_eq!(p.backoff(1, 0.999_999).as_millis(), 99);
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(100));
        assert_eq!(p.backoff(3, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(5, 0.0), Duration::from_millis(500));
        assert_eq!(p.backoff(40, 0.0), Duration::from_millis(500));
        for retry in 1..10 {
            let d = p.delay(retry, None);
            assert!(d <= Duration::from_secs(1), "{d:?}");
        }
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = RetryPolicy::default().delays(Duration::from_millis(10), Duration::from_secs(5));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(5)
        );
        let zero = RetryPolicy::default().delays(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.delay(3, Some(Duration::from_secs(9))), Duration::ZERO);
    }

    #[test]
    fn attempts_are_at_least_one() {
        assert_eq!(RetryPolicy::default().attempts(0).max_attempts(), 1);
        assert_eq!(RetryPolicy::never().max_attempts(), 1);
    }

    #[test]
    fn retry_after_header_in_seconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(hyper::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            hyper::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
