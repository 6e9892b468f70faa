//! Randomness for jitter and generated names, without a dependency: the standard
//! library's randomly keyed hasher, fed a counter.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A random 64-bit number (not for cryptography).
pub(crate) fn random_u64() -> u64 {
    static STATE: OnceLock<RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = STATE.get_or_init(RandomState::new).build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// `base` stretched by a random factor in [1, 2): spreads retries of many clients.
pub(crate) fn jittered(base: Duration) -> Duration {
    // 53 random bits as a fraction in [0, 1).
    let fraction = (random_u64() >> 11) as f64 / (1u64 << 53) as f64;
    scale(base, 1.0 + fraction)
}

/// `base * factor`, or `base` when that does not fit a `Duration`.
fn scale(base: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(base.as_secs_f64() * factor).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_in_range() {
        let base = Duration::from_millis(100);
        for _ in 0..1000 {
            let up = jittered(base);
            assert!(up >= base && up < base * 2);
        }
        assert_ne!(random_u64(), random_u64());
        assert_eq!(jittered(Duration::MAX), Duration::MAX);
    }
}
