//! A reference point for the durable writes: the cost of one 4 KiB append plus
//! `fdatasync` on the scratch directory's disk (what etcd's WAL pays per batch).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;

use super::report::Measurement;
use super::stats::Latencies;

/// `syncs` appends of 4 KiB to a fresh file in `dir`, each followed by
/// `File::sync_data` (fdatasync), timed together.
pub(crate) fn fdatasync_probe(dir: &Path, syncs: usize) -> anyhow::Result<Measurement> {
    let path = dir.join("fdatasync-probe");
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("open {}", path.display()))?;
    let block = [0x5a_u8; 4096];
    let mut latencies = Latencies::with_capacity(syncs);
    let start = Instant::now();
    for _ in 0..syncs {
        let began = Instant::now();
        file.write_all(&block)?;
        file.sync_data()?;
        latencies.record(began.elapsed());
    }
    let seconds = start.elapsed().as_secs_f64();
    drop(file);
    std::fs::remove_file(&path)?;
    let mut m = Measurement::new(
        "disk",
        "fdatasync-4k",
        1,
        syncs,
        seconds,
        latencies.summary(),
    );
    m.note = "reference: 4 KiB append + fdatasync, same directory".into();
    Ok(m)
}
