//! The queue against a simple model (property test), and its waking under paused time.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Duration;

use proptest::prelude::*;
use tokio::time::Instant;

use super::state::QueueState;
use super::{QueueConfig, WorkQueue};

// === model test of the state machine ===

#[derive(Clone, Debug)]
enum Op {
    Add(u8),
    AddAfter(u8, u16),
    RateLimited(u8),
    Forget(u8),
    Get,
    /// Done for the n-th key being processed (modulo their number).
    Done(usize),
    Advance(u16),
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0u8..5;
    prop_oneof![
        4 => key.clone().prop_map(Op::Add),
        2 => (key.clone(), 0u16..40).prop_map(|(k, ms)| Op::AddAfter(k, ms)),
        2 => key.clone().prop_map(Op::RateLimited),
        1 => key.prop_map(Op::Forget),
        4 => Just(Op::Get),
        3 => any::<usize>().prop_map(Op::Done),
        2 => (0u16..30).prop_map(Op::Advance),
    ]
}

/// What the queue must do, written as plainly as possible.
#[derive(Default)]
struct Model {
    /// Keys to hand out, in order.
    ready: VecDeque<u8>,
    /// Keys being processed, and whether they were added again meanwhile.
    processing: BTreeMap<u8, bool>,
    /// Waiting keys: deadline (ms) and the order their deadline was set.
    waiting: BTreeMap<u8, (u64, u64)>,
    seq: u64,
    failures: HashMap<u8, u32>,
}

impl Model {
    fn add(&mut self, key: u8) {
        if let Some(again) = self.processing.get_mut(&key) {
            *again = true;
        } else if !self.ready.contains(&key) {
            self.ready.push_back(key);
        }
    }

    fn add_after(&mut self, key: u8, delay: u64, now: u64) {
        if delay == 0 {
            return self.add(key);
        }
        let when = now + delay;
        match self.waiting.get(&key) {
            Some((old, _)) if *old <= when => {}
            _ => {
                self.waiting.insert(key, (when, self.seq));
                self.seq += 1;
            }
        }
    }

    fn promote(&mut self, now: u64) {
        let mut due: Vec<(u64, u64, u8)> = self
            .waiting
            .iter()
            .filter(|(_, (when, _))| *when <= now)
            .map(|(k, (when, seq))| (*when, *seq, *k))
            .collect();
        due.sort_unstable();
        for (_, _, key) in due {
            self.waiting.remove(&key);
            self.add(key);
        }
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap()
}

fn run_model(ops: &[Op]) {
    let config = QueueConfig::default()
        .backoff(Duration::from_millis(5), Duration::from_millis(40))
        .no_overall_rate();
    let start = Instant::now();
    let mut now_ms = 0u64;
    let at = |ms: u64| start + Duration::from_millis(ms);
    let mut real = QueueState::new(config.clone());
    let mut model = Model::default();
    for op in ops {
        match *op {
            Op::Add(k) => {
                real.add(k, at(now_ms));
                model.add(k);
            }
            Op::AddAfter(k, delay) => {
                real.add_after(k, Duration::from_millis(delay.into()), at(now_ms));
                model.add_after(k, delay.into(), now_ms);
            }
            Op::RateLimited(k) => {
                let (delay, _) = real.add_rate_limited(k, at(now_ms));
                let n = model.failures.entry(k).or_default();
                *n += 1;
                assert_eq!(
                    delay,
                    config.delay_for(*n),
                    "backoff of {k} after {n} failures"
                );
                model.add_after(k, ms(delay), now_ms);
            }
            Op::Forget(k) => {
                real.forget(&k);
                model.failures.remove(&k);
            }
            Op::Get => {
                real.promote_due(at(now_ms));
                model.promote(now_ms);
                let got = real.pop(at(now_ms));
                let expected = model.ready.pop_front();
                assert_eq!(got, expected, "fifo order");
                if let Some(k) = got {
                    // Exclusivity: never handed out while being processed.
                    assert!(model.processing.insert(k, false).is_none());
                }
            }
            Op::Done(n) => {
                if model.processing.is_empty() {
                    continue;
                }
                let k = *model
                    .processing
                    .keys()
                    .nth(n % model.processing.len())
                    .unwrap();
                let again = model.processing.remove(&k).unwrap();
                let requeued = real.done(&k, at(now_ms));
                assert_eq!(requeued, again);
                if again {
                    model.ready.push_back(k);
                }
            }
            Op::Advance(d) => now_ms += u64::from(d),
        }
        real.check();
        assert_eq!(real.ready_len(), model.ready.len());
        assert_eq!(real.processing_len(), model.processing.len());
        assert_eq!(real.waiting_len(), model.waiting.len());
        for k in 0..5 {
            assert_eq!(
                real.failures(&k),
                model.failures.get(&k).copied().unwrap_or(0)
            );
            assert_eq!(real.is_processing(&k), model.processing.contains_key(&k));
            assert_eq!(
                real.is_dirty(&k),
                model.ready.contains(&k) || model.processing.get(&k) == Some(&true)
            );
        }
    }
    // No lost key: finish everything, let all delays pass, drain.
    let keys: Vec<u8> = model.processing.keys().copied().collect();
    for k in keys {
        if model.processing.remove(&k) == Some(true) {
            model.ready.push_back(k);
        }
        real.done(&k, at(now_ms));
    }
    now_ms += 1_000;
    real.promote_due(at(now_ms));
    model.promote(now_ms);
    let mut drained = Vec::new();
    while let Some(k) = real.pop(at(now_ms)) {
        drained.push(k);
    }
    assert_eq!(drained, Vec::from(model.ready));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn queue_matches_model(ops in proptest::collection::vec(op(), 1..120)) {
        run_model(&ops);
    }
}

#[test]
fn shut_down_drops_everything_but_lets_processing_finish() {
    let now = Instant::now();
    let mut state = QueueState::new(QueueConfig::default());
    state.add(1, now);
    state.add(2, now);
    assert_eq!(state.pop(now), Some(1));
    state.add(1, now);
    state.add_after(3, Duration::from_secs(1), now);
    state.shut_down();
    assert_eq!(state.pop(now), None);
    assert!(!state.done(&1, now), "not requeued after shutdown");
    assert_eq!(state.waiting_len(), 0);
    state.add(4, now);
    assert_eq!(state.ready_len(), 0);
}

// === async behaviour ===

#[tokio::test(start_paused = true)]
async fn get_waits_for_a_delayed_key() {
    let queue = WorkQueue::new(QueueConfig::default());
    let start = Instant::now();
    queue.add_after("late", Duration::from_secs(10));
    queue.add_after("early", Duration::from_secs(3));
    let first = queue.get().await.unwrap();
    assert_eq!(*first.key(), "early");
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    let second = queue.get().await.unwrap();
    assert_eq!(*second.key(), "late");
    assert_eq!(start.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn an_earlier_deadline_wakes_a_sleeping_getter() {
    let queue = WorkQueue::new(QueueConfig::default());
    let start = Instant::now();
    queue.add_after("a", Duration::from_secs(100));
    let getter = tokio::spawn({
        let queue = queue.clone();
        async move { queue.get().await.map(|item| *item.key()) }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    queue.add_after("b", Duration::from_secs(1));
    assert_eq!(getter.await.unwrap(), Some("b"));
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn backoff_doubles_and_resets_on_forget() {
    let queue = WorkQueue::new(QueueConfig::default());
    let mut expected = Duration::from_millis(5);
    for _ in 0..8 {
        let start = Instant::now();
        let delay = queue.add_rate_limited("k");
        assert_eq!(delay, expected);
        let item = queue.get().await.unwrap();
        assert_eq!(start.elapsed(), expected);
        item.done();
        expected *= 2;
    }
    assert_eq!(queue.retries(&"k"), 8);
    queue.forget(&"k");
    assert_eq!(queue.retries(&"k"), 0);
    assert_eq!(queue.add_rate_limited("k"), Duration::from_millis(5));
}

#[tokio::test(start_paused = true)]
async fn backoff_is_capped_at_1000_seconds() {
    let queue = WorkQueue::new(QueueConfig::default());
    let mut last = Duration::ZERO;
    for _ in 0..30 {
        last = queue.add_rate_limited("k");
    }
    assert_eq!(last, Duration::from_secs(1000));
    let start = Instant::now();
    let item = queue.get().await.unwrap();
    // The earliest deadline (the first retry, 5 ms) wins.
    assert_eq!(start.elapsed(), Duration::from_millis(5));
    drop(item);
}

#[tokio::test(start_paused = true)]
async fn the_overall_limit_paces_a_mass_failure() {
    let queue = WorkQueue::new(QueueConfig::default().overall_rate(10.0, 100));
    let delays: Vec<Duration> = (0..120).map(|k| queue.add_rate_limited(k)).collect();
    assert!(delays[..100].iter().all(|d| *d == Duration::from_millis(5)));
    // The 101st retry waits for a token: 100 ms, then 200 ms, ...
    assert_eq!(delays[100], Duration::from_millis(100));
    assert_eq!(delays[119], Duration::from_millis(2000));
}

#[tokio::test]
async fn shut_down_wakes_getters() {
    let queue: WorkQueue<u32> = WorkQueue::new(QueueConfig::default());
    let getters: Vec<_> = (0..4)
        .map(|_| {
            let queue = queue.clone();
            tokio::spawn(async move { queue.get().await.is_none() })
        })
        .collect();
    tokio::task::yield_now().await;
    queue.shut_down();
    for getter in getters {
        assert!(getter.await.unwrap());
    }
}

/// Many workers and a producer, interleaved by a seeded random schedule on one
/// thread: no key is processed by two workers at once, and every add is followed by
/// a processing that starts after it.
#[tokio::test(start_paused = true)]
async fn workers_never_overlap_and_lose_nothing() {
    use std::sync::{Arc, Mutex};

    for seed in 0..20u64 {
        let queue = WorkQueue::new(QueueConfig::default());
        let in_flight = Arc::new(Mutex::new(HashSet::new()));
        // Per key: sequence number of the last add, and of the last processing start.
        let clock = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let last_add = Arc::new(Mutex::new(HashMap::<u32, u64>::new()));
        let last_start = Arc::new(Mutex::new(HashMap::<u32, u64>::new()));
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut workers = Vec::new();
        for w in 0..6u64 {
            let (queue, in_flight, clock, last_start) = (
                queue.clone(),
                in_flight.clone(),
                clock.clone(),
                last_start.clone(),
            );
            let pause = (next() % 3) + w % 2;
            workers.push(tokio::spawn(async move {
                while let Some(item) = queue.get().await {
                    let key = *item.key();
                    let t = clock.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    last_start.lock().unwrap().insert(key, t);
                    assert!(in_flight.lock().unwrap().insert(key), "{key} twice at once");
                    for _ in 0..pause {
                        tokio::task::yield_now().await;
                    }
                    assert!(in_flight.lock().unwrap().remove(&key));
                    item.done();
                }
            }));
        }
        for _ in 0..400 {
            let key = u32::try_from(next() % 8).unwrap();
            let t = clock.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            last_add.lock().unwrap().insert(key, t);
            match next() % 4 {
                0 => queue.add_after(key, Duration::from_millis(next() % 5)),
                _ => queue.add(key),
            }
            for _ in 0..(next() % 3) {
                tokio::task::yield_now().await;
            }
        }
        // Let everything settle, then stop.
        tokio::time::sleep(Duration::from_secs(1)).await;
        while queue.metrics().processing > 0 || !queue.is_empty() {
            tokio::task::yield_now().await;
        }
        queue.shut_down();
        for worker in workers {
            worker.await.unwrap();
        }
        let (adds, starts) = (last_add.lock().unwrap(), last_start.lock().unwrap());
        for (key, added) in adds.iter() {
            let started = starts.get(key).copied().unwrap_or(0);
            assert!(started > *added, "seed {seed}: key {key} lost");
        }
    }
}
