//! Runs one codec operation many times, for instruction counting under callgrind:
//! counts do not depend on what else the machine is doing, unlike wall-clock time.
//!
//! ```sh
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/codec-count decode ours 1000
//! ```
//! Subtract a run with 0 iterations (start-up) and divide by the iteration count.

use std::hint::black_box;
use std::process::ExitCode;

use k8s_openapi::api::core::v1::Pod as TheirPod;

const POD_JSON: &[u8] = include_bytes!("../../data/pod.json");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, side, n] = args.as_slice() else {
        eprintln!("usage: codec-count (decode|encode) (ours|k8s-openapi) ITERATIONS");
        return ExitCode::FAILURE;
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("ITERATIONS must be a number");
        return ExitCode::FAILURE;
    };
    let (ours, theirs) = match (
        serde_json::from_slice::<core_types::core_v1::Pod>(POD_JSON),
        serde_json::from_slice::<TheirPod>(POD_JSON),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("fixture: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut bytes = 0usize;
    for _ in 0..n {
        bytes += match (op.as_str(), side.as_str()) {
            ("decode", "ours") => {
                serde_json::from_slice::<core_types::core_v1::Pod>(black_box(POD_JSON))
                    .map_or(0, |p| p.metadata.name.len())
            }
            ("decode", "k8s-openapi") => serde_json::from_slice::<TheirPod>(black_box(POD_JSON))
                .map_or(0, |p| p.metadata.name.map_or(0, |n| n.len())),
            ("encode", "ours") => serde_json::to_vec(black_box(&ours)).map_or(0, |v| v.len()),
            ("encode", "k8s-openapi") => {
                serde_json::to_vec(black_box(&theirs)).map_or(0, |v| v.len())
            }
            _ => {
                eprintln!("unknown operation {op} {side}");
                return ExitCode::FAILURE;
            }
        };
    }
    println!("{bytes}");
    ExitCode::SUCCESS
}
