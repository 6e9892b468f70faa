//! Paused tokio time against a real server.
//!
//! The conformance suite runs its lease-expiry cases with paused tokio time and moves
//! it with `tokio::time::advance`. A built-in backend expires leases on tokio's clock;
//! etcd expires them on its own, real clock. Paused time as such would break those
//! cases: while the runtime waits for etcd's answer it is idle, so tokio jumps the
//! clock to the next timer and every timeout fires at once.
//!
//! [`RealTimePacer`] keeps the paused clock moving at the pace of real time instead: a
//! blocking task (which, while it runs, stops tokio from jumping the paused clock)
//! ticks every few milliseconds, and an async task advances the clock by as much. So
//! timeouts mean real time again, `advance` still works (it only moves the clock
//! further ahead), and etcd gets the real seconds it needs to expire a lease.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often the paced clock moves.
const TICK: Duration = Duration::from_millis(5);

/// After this much real time the pacer stops, so a case stuck waiting fails on its
/// own timeouts (which then fire at once) instead of hanging.
const LIMIT: Duration = Duration::from_secs(300);

/// Moves the paused clock of the current runtime with real time, while it lives.
pub struct RealTimePacer {
    _stop: mpsc::Sender<()>,
}

impl RealTimePacer {
    /// Starts pacing if the current runtime's clock is paused; `None` otherwise.
    pub fn start_if_paused() -> Option<Self> {
        if !clock_is_paused() {
            return None;
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let (tick, mut ticks) = tokio::sync::mpsc::unbounded_channel::<()>();
        tokio::task::spawn_blocking(move || {
            let end = Instant::now() + LIMIT;
            while Instant::now() < end {
                match stopped.recv_timeout(TICK) {
                    Err(RecvTimeoutError::Timeout) => {
                        if tick.send(()).is_err() {
                            return;
                        }
                    }
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        tokio::spawn(async move {
            while ticks.recv().await.is_some() {
                tokio::time::advance(TICK).await;
            }
        });
        Some(RealTimePacer { _stop: stop })
    }
}

/// Whether the current runtime's clock is paused: a paused clock does not move while
/// the thread sleeps in real time.
fn clock_is_paused() -> bool {
    let before = tokio::time::Instant::now();
    std::thread::sleep(Duration::from_millis(2));
    tokio::time::Instant::now() == before
}
