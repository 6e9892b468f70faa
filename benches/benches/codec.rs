//! Decoding and encoding a realistic Pod (JSON), beside k8s-openapi on the same bytes.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench codec`.

// `criterion_group!` generates an undocumented function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const POD_JSON: &[u8] = include_bytes!("../data/pod.json");

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("pod_json");
    group.throughput(criterion::Throughput::Bytes(POD_JSON.len() as u64));

    group.bench_function("decode/core-types", |b| {
        b.iter(|| {
            serde_json::from_slice::<core_types::core_v1::Pod>(black_box(POD_JSON)).expect("decode")
        })
    });
    group.bench_function("decode/k8s-openapi", |b| {
        b.iter(|| {
            serde_json::from_slice::<k8s_openapi::api::core::v1::Pod>(black_box(POD_JSON))
                .expect("decode")
        })
    });

    let ours: core_types::core_v1::Pod = serde_json::from_slice(POD_JSON).expect("decode");
    let theirs: k8s_openapi::api::core::v1::Pod = serde_json::from_slice(POD_JSON).expect("decode");
    group.bench_function("encode/core-types", |b| {
        b.iter(|| serde_json::to_vec(black_box(&ours)).expect("encode"))
    });
    group.bench_function("encode/k8s-openapi", |b| {
        b.iter(|| serde_json::to_vec(black_box(&theirs)).expect("encode"))
    });
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
