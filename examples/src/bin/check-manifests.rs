//! Checks Kubernetes manifests: decodes every document of every file given (directories
//! are walked), applies Kubernetes' defaults and validates, printing each object with
//! every error and its field path. Exits non-zero if any document has an error.
//!
//! ```sh
//! cargo run --release --manifest-path examples/Cargo.toml --bin check-manifests -- path/to/manifests
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use core_types::decode::{AnyObject, objects_from_yaml};

/// Decode, default and validate Kubernetes manifests.
#[derive(Parser)]
struct Args {
    /// Manifest files or directories (walked for *.yaml, *.yml and *.json).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print each object after defaulting, as YAML.
    #[arg(long)]
    print: bool,
}

fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    let mut files = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            collect(p, &mut files).with_context(|| format!("reading {}", p.display()))?;
        } else {
            files.push(p.clone());
        }
    }
    let (mut ok, mut bad) = (0usize, 0usize);
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for (i, object) in objects_from_yaml(&text).into_iter().enumerate() {
            let place = format!("{}#{i}", file.display());
            match object {
                Err(e) => {
                    bad += 1;
                    println!("ERROR   {place}: {e}");
                }
                Ok(mut object) => {
                    object.apply_defaults();
                    let what = describe(&object);
                    match object.validate() {
                        Ok(()) => {
                            ok += 1;
                            let typed = if object.is_typed() {
                                ""
                            } else {
                                " (not modelled: metadata checked only)"
                            };
                            println!("OK      {place}: {what}{typed}");
                        }
                        Err(errs) => {
                            bad += 1;
                            println!("INVALID {place}: {what}");
                            for e in errs.errors() {
                                println!("        {e}");
                            }
                        }
                    }
                    if args.print {
                        println!("{}", core_types::decode::to_yaml(&object)?);
                    }
                }
            }
        }
    }
    println!(
        "{} files, {ok} objects valid, {bad} with errors",
        files.len()
    );
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn describe(object: &AnyObject) -> String {
    let t = object.type_meta();
    let m = object.meta();
    let name = if m.namespace.is_empty() {
        m.name.clone()
    } else {
        format!("{}/{}", m.namespace, m.name)
    };
    format!("{} {} {name}", t.api_version, t.kind)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::path);
        for e in entries {
            collect(&e.path(), out)?;
        }
    } else if path.is_file() {
        let ext = path.extension().and_then(|e| e.to_str());
        if matches!(ext, Some("yaml" | "yml" | "json")) {
            out.push(path.to_owned());
        }
    }
    Ok(())
}
