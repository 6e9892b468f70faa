//! Work the scheduling loop hands off (binding cycles, status updates): one task runs
//! all of it, concurrently, so the loop neither spawns a task nor wakes a worker
//! thread per pod while that task is busy.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Hands jobs to the runner task; cheap to clone.
#[derive(Clone)]
pub(super) struct Background {
    tx: mpsc::UnboundedSender<Job>,
}

impl Background {
    /// Starts the runner (a tokio task): it ends once every handle is dropped and the
    /// jobs it holds are done.
    pub(super) fn start() -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Background { tx }, tokio::spawn(run(rx)))
    }

    /// Runs `job` alongside the others.
    pub(super) fn run(&self, job: impl Future<Output = ()> + Send + 'static) {
        if let Err(mpsc::error::SendError(job)) = self.tx.send(Box::pin(job)) {
            // The runner is gone (its runtime is shutting down): a task of its own.
            tokio::spawn(job);
        }
    }
}

async fn run(mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut running: FuturesUnordered<Job> = FuturesUnordered::new();
    let mut closed = false;
    std::future::poll_fn(|cx| {
        while !closed {
            match rx.poll_recv(cx) {
                Poll::Ready(Some(job)) => running.push(job),
                Poll::Ready(None) => closed = true,
                Poll::Pending => break,
            }
        }
        while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
        if closed && running.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn jobs_run_concurrently_and_all_finish() {
        let (bg, runner) = Background::start();
        let done = Arc::new(AtomicUsize::new(0));
        for i in 0..100_u64 {
            let done = done.clone();
            bg.run(async move {
                // Later jobs finish first: they run side by side, not one by one.
                tokio::time::sleep(Duration::from_millis(100 - i)).await;
                done.fetch_add(1, Ordering::Relaxed);
            });
        }
        let started = tokio::time::Instant::now();
        drop(bg);
        runner.await.unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 100);
        assert!(started.elapsed() <= Duration::from_millis(100));
    }
}
