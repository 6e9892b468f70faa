//! Running one workload through the in-cluster path: a memory store, the in-process
//! client, the scheduler's driver; pods created through the client, bindings written
//! to the store.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use client::{Api, Client, PostParams};
use core_types::core_v1::{Namespace, Node, Pod};
use scheduler::{
    CycleState, InClusterScheduler, Plugin, PluginRef, PluginSet, PluginsConfig, PodInfo,
    PostBindPlugin, ProfileConfig, Registry, SchedulerConfiguration,
};
use store::{InProcessClient, MemoryStore};

use super::metrics::{percentile, window_throughputs};
use super::workload::{Op, TestCase, Workload, node_template, pod_template, resolve_count};

/// How measured pods meet the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// As scheduler_perf: the pods are created while the scheduler runs; creation and
    /// scheduling share the machine.
    Overlap,
    /// The scheduler is paused while the pods are created (they wait in its queue),
    /// then resumed: measures scheduling (queue, cycle, assume, bind, watch) alone.
    Preloaded,
}

/// Options of a run.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// How measured pods are created.
    pub(crate) mode: Mode,
    /// Give up on a workload after this long.
    pub(crate) timeout: Duration,
    /// Draw a progress bar on stderr.
    pub(crate) progress: bool,
}

/// What one workload measured.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Outcome {
    /// `TestCase/Workload`.
    pub(crate) workload: String,
    /// Nodes created.
    pub(crate) nodes: usize,
    /// Pods created (and scheduled) before measuring.
    pub(crate) init_pods: usize,
    /// Pods measured.
    pub(crate) measured_pods: usize,
    /// Measured pods / time from the first creation to the last binding.
    pub(crate) throughput_avg: f64,
    /// Median of the 1 s windows.
    pub throughput_p50: f64,
    /// 90th percentile of the windows.
    pub throughput_p90: f64,
    /// 99th percentile of the windows.
    pub throughput_p99: f64,
    /// Creation to binding, median.
    pub latency_p50_ms: f64,
    /// Creation to binding, 99th percentile.
    pub latency_p99_ms: f64,
    /// kube-scheduler's threshold, pods/s.
    pub(crate) threshold: Option<f64>,
    /// `overlap` or `preloaded`.
    pub(crate) mode: String,
    /// Measured pods created per second (overlap mode).
    pub(crate) creation_rate: f64,
    /// Scheduling cycles run during the whole workload.
    pub(crate) attempts: u64,
    /// Cycles that found no node.
    pub(crate) unschedulable_attempts: u64,
    /// Whether an unmeasured run of the workload came first in the process.
    #[serde(default)]
    pub(crate) warmed_up: bool,
}

/// Records when each pod is bound (a PostBind plugin).
#[derive(Default)]
pub(crate) struct BindRecorder {
    times: Mutex<HashMap<String, Instant>>,
    prefix: Mutex<String>,
    measured: AtomicUsize,
    total: AtomicUsize,
}

impl BindRecorder {
    fn count_measured(&self) -> usize {
        self.measured.load(Ordering::Relaxed)
    }
}

struct RecorderPlugin(Arc<BindRecorder>);

impl Plugin for RecorderPlugin {
    fn name(&self) -> &str {
        "BindRecorder"
    }
    fn as_post_bind(&self) -> Option<&dyn PostBindPlugin> {
        Some(self)
    }
}

impl PostBindPlugin for RecorderPlugin {
    fn post_bind(&self, _: &CycleState, pod: &PodInfo, _: &str) {
        let now = Instant::now();
        let r = &self.0;
        r.total.fetch_add(1, Ordering::Relaxed);
        let prefix = r.prefix.lock().map(|p| p.clone()).unwrap_or_default();
        if !prefix.is_empty() && pod.name().starts_with(&prefix) {
            if let Ok(mut t) = r.times.lock() {
                t.insert(pod.name().to_owned(), now);
            }
            r.measured.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn scheduler_config() -> SchedulerConfiguration {
    SchedulerConfiguration {
        profiles: vec![ProfileConfig {
            plugins: Some(PluginsConfig {
                multi_point: PluginSet {
                    enabled: vec![PluginRef::new("BindRecorder")],
                    disabled: Vec::new(),
                },
                ..PluginsConfig::default()
            }),
            ..ProfileConfig::default()
        }],
        ..SchedulerConfiguration::default()
    }
}

struct Progress {
    label: String,
    enabled: bool,
}

impl Progress {
    fn draw(&self, done: usize, total: usize, rate: f64) {
        if !self.enabled {
            return;
        }
        let width = 30;
        let filled = (done * width)
            .checked_div(total)
            .unwrap_or(width)
            .min(width);
        let bar: String = "#".repeat(filled) + &".".repeat(width - filled);
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r{:<44} [{bar}] {done:>6}/{total:<6} {rate:>9.0} pods/s",
            self.label
        );
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.enabled {
            eprintln!();
        }
    }
}

async fn create_nodes(
    client: &Arc<dyn Client>,
    template: &Node,
    n: usize,
    label: Option<&super::workload::LabelStrategy>,
    counter: &mut usize,
) -> Result<()> {
    let api: Api<Node> = Api::all(client.clone());
    let prefix = if template.metadata.generate_name.is_empty() {
        "node-".to_owned()
    } else {
        template.metadata.generate_name.clone()
    };
    for i in 0..n {
        let mut node = template.clone();
        node.metadata.generate_name.clear();
        node.metadata.name = format!("{prefix}{}", *counter + i);
        node.metadata
            .labels
            .insert("kubernetes.io/hostname".into(), node.metadata.name.clone());
        if let Some(l) = label {
            if !l.label_values.is_empty() {
                node.metadata.labels.insert(
                    l.label_key.clone(),
                    l.label_values[i % l.label_values.len()].clone(),
                );
            }
        }
        api.create(&PostParams::default(), &node).await?;
    }
    *counter += n;
    Ok(())
}

fn pod_from(template: &Pod, namespace: &str, name: String) -> Pod {
    let mut p = template.clone();
    p.metadata.generate_name.clear();
    p.metadata.name = name;
    p.metadata.namespace = namespace.to_owned();
    p
}

async fn wait_for(what: &str, deadline: Instant, mut done: impl FnMut() -> bool) -> Result<()> {
    while !done() {
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// Runs one workload.
pub(crate) async fn run(tc: &TestCase, w: &Workload, opts: &Options) -> Result<Outcome> {
    let label = format!("{}/{}", tc.name, w.name);
    let client: Arc<dyn Client> = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let recorder = Arc::new(BindRecorder::default());
    let mut registry = Registry::default();
    let r = recorder.clone();
    registry.register("BindRecorder", move |_, _| {
        Ok(Arc::new(RecorderPlugin(r.clone())))
    })?;
    let sched = InClusterScheduler::builder(client.clone())
        .config(scheduler_config())
        .registry(registry)
        .build()?;
    let stop = Arc::new(tokio::sync::Notify::new());
    // However the run ends (an error included), the scheduler and churn stop: they
    // must not keep running on the runtime the next run shares.
    let mut stopper = Stopper {
        scheduler: stop.clone(),
        churn: Vec::new(),
    };
    let runner = sched.clone();
    let stop_rx = stop.clone();
    let sched_task =
        tokio::spawn(async move { runner.run(async move { stop_rx.notified().await }).await });
    let deadline = Instant::now() + opts.timeout;

    let mut nodes = 0;
    let mut init_pods = 0;
    let mut pod_counter = 0_usize;
    let mut outcome = None;
    for op in &tc.workload_template {
        match op {
            Op::CreateNodes {
                count,
                count_param,
                node_template: t,
                label_node_prepare_strategy,
            } => {
                let n = resolve_count(*count, count_param.as_deref(), w)?;
                let t = t
                    .as_ref()
                    .or(tc.default_node_template.as_ref())
                    .ok_or_else(|| anyhow!("no node template"))?;
                let template = node_template(t)?;
                create_nodes(
                    &client,
                    &template,
                    n,
                    label_node_prepare_strategy.as_ref(),
                    &mut nodes,
                )
                .await?;
                let total = nodes;
                wait_for("nodes in the scheduler cache", deadline, || {
                    sched.inspect(|c, _| c.node_count()) >= total
                })
                .await?;
            }
            Op::CreateNamespaces {
                prefix,
                count,
                count_param,
            } => {
                let n = resolve_count(*count, count_param.as_deref(), w)?;
                let api: Api<Namespace> = Api::all(client.clone());
                for i in 0..n {
                    let mut ns = Namespace::default();
                    ns.metadata.name = format!("{prefix}-{i}");
                    api.create(&PostParams::default(), &ns).await?;
                }
            }
            Op::Churn {
                mode,
                interval_milliseconds,
                templates,
                namespace,
            } => {
                if mode != "create" {
                    bail!("churn mode {mode} is not supported (only create)");
                }
                let templates: Vec<Pod> =
                    templates.iter().map(pod_template).collect::<Result<_>>()?;
                let flag = Arc::new(AtomicBool::new(false));
                stopper.churn.push(flag.clone());
                let api: Api<Pod> =
                    Api::namespaced(client.clone(), namespace.as_deref().unwrap_or("default"));
                let interval = Duration::from_millis(*interval_milliseconds);
                let ns = namespace.clone().unwrap_or_else(|| "default".into());
                tokio::spawn(async move {
                    let mut i = 0_usize;
                    while !flag.load(Ordering::Relaxed) {
                        let t = &templates[i % templates.len()];
                        let prefix = if t.metadata.generate_name.is_empty() {
                            "churn-"
                        } else {
                            &t.metadata.generate_name
                        };
                        let p = pod_from(t, &ns, format!("churn-{prefix}{i}"));
                        let _ = api.create(&PostParams::default(), &p).await;
                        i += 1;
                        tokio::time::sleep(interval).await;
                    }
                });
            }
            Op::CreatePods {
                count,
                count_param,
                pod_template: t,
                namespace,
                collect_metrics,
                skip_wait_to_completion,
                wait_attempted,
            } => {
                let n = resolve_count(*count, count_param.as_deref(), w)?;
                let t = t
                    .as_ref()
                    .or(tc.default_pod_template.as_ref())
                    .ok_or_else(|| anyhow!("no pod template"))?;
                let template = pod_template(t)?;
                let ns = namespace.clone().unwrap_or_else(|| "default".into());
                let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
                let prefix = format!("op{pod_counter}-");
                pod_counter += 1;
                if !collect_metrics {
                    let before = recorder.total.load(Ordering::Relaxed);
                    let attempts_before = sched.stats().attempts;
                    for i in 0..n {
                        api.create(
                            &PostParams::default(),
                            &pod_from(&template, &ns, format!("{prefix}{i}")),
                        )
                        .await?;
                    }
                    if *wait_attempted {
                        wait_for("pending pods attempted", deadline, || {
                            sched.stats().attempts >= attempts_before + n as u64
                        })
                        .await?;
                    }
                    if !skip_wait_to_completion {
                        init_pods += n;
                        wait_for("init pods bound", deadline, || {
                            recorder.total.load(Ordering::Relaxed) >= before + n
                        })
                        .await?;
                    }
                    continue;
                }
                if let Ok(mut p) = recorder.prefix.lock() {
                    *p = prefix.clone();
                }
                outcome = Some(
                    measure(
                        &label, &sched, &recorder, &api, &template, &ns, &prefix, n, opts, deadline,
                    )
                    .await?,
                );
            }
        }
    }
    drop(stopper);
    let _ = sched_task.await;
    let mut o = outcome.ok_or_else(|| anyhow!("workload has no createPods with collectMetrics"))?;
    o.workload = label;
    o.nodes = nodes;
    o.init_pods = init_pods;
    o.threshold = w.threshold;
    let stats = sched.stats();
    o.attempts = stats.attempts;
    o.unschedulable_attempts = stats.unschedulable;
    Ok(o)
}

/// Stops a run's scheduler and churn tasks when dropped.
struct Stopper {
    scheduler: Arc<tokio::sync::Notify>,
    churn: Vec<Arc<AtomicBool>>,
}

impl Drop for Stopper {
    fn drop(&mut self) {
        for f in &self.churn {
            f.store(true, Ordering::Relaxed);
        }
        self.scheduler.notify_one();
    }
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    label: &str,
    sched: &InClusterScheduler,
    recorder: &Arc<BindRecorder>,
    api: &Api<Pod>,
    template: &Pod,
    ns: &str,
    prefix: &str,
    n: usize,
    opts: &Options,
    deadline: Instant,
) -> Result<Outcome> {
    let progress = Progress {
        label: label.to_owned(),
        enabled: opts.progress,
    };
    let pod = |i: usize| pod_from(template, ns, format!("{prefix}{i}"));
    let mut created_at: HashMap<String, Instant> = HashMap::with_capacity(n);
    let start;
    let creation_rate;
    if opts.mode == Mode::Preloaded {
        sched.pause();
        let pods: Vec<Pod> = (0..n).map(pod).collect();
        for p in &pods {
            api.create(&PostParams::default(), p).await?;
        }
        wait_for("measured pods queued", deadline, || {
            sched.inspect(|_, q| q.active_len()) >= n
        })
        .await?;
        start = Instant::now();
        for p in &pods {
            created_at.insert(p.metadata.name.clone(), start);
        }
        creation_rate = 0.0;
        sched.resume();
    } else {
        // Each pod is made from the template as it is created, as scheduler_perf's
        // createPods does, on the creating task: pods made ahead on the harness's
        // thread and freed on a worker tie their memory to a thread that no longer
        // allocates, and the workers fault in fresh pages for the run instead.
        let (template, ns, prefix) = (template.clone(), ns.to_owned(), prefix.to_owned());
        start = Instant::now();
        let api = api.clone();
        let creator = tokio::spawn(async move {
            let mut times = Vec::with_capacity(n);
            for i in 0..n {
                let t = Instant::now();
                let p = pod_from(&template, &ns, format!("{prefix}{i}"));
                let name = p.metadata.name.clone();
                api.create(&PostParams::default(), &p)
                    .await
                    .context("creating a measured pod")?;
                times.push((name, t));
            }
            Ok::<_, anyhow::Error>(times)
        });
        let mut last = (Instant::now(), 0);
        while !creator.is_finished() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let done = recorder.count_measured();
            let rate = (done - last.1) as f64 / last.0.elapsed().as_secs_f64();
            last = (Instant::now(), done);
            progress.draw(done, n, rate);
        }
        let times = creator.await??;
        creation_rate = n as f64 / start.elapsed().as_secs_f64();
        created_at.extend(times);
    }
    let mut last = (Instant::now(), recorder.count_measured());
    loop {
        let done = recorder.count_measured();
        if done >= n {
            break;
        }
        if Instant::now() > deadline {
            progress.finish();
            bail!(
                "timed out: {done}/{n} measured pods bound ({:?})",
                sched.stats()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        if last.0.elapsed() >= Duration::from_millis(100) {
            let d = recorder.count_measured();
            let rate = (d - last.1) as f64 / last.0.elapsed().as_secs_f64();
            last = (Instant::now(), d);
            progress.draw(d, n, rate);
        }
    }
    let binds: HashMap<String, Instant> =
        recorder.times.lock().map(|t| t.clone()).unwrap_or_default();
    let bind_times: Vec<Instant> = binds.values().copied().collect();
    let end = bind_times.iter().max().copied().unwrap_or(start);
    let elapsed = end.saturating_duration_since(start).as_secs_f64().max(1e-6);
    progress.draw(n, n, n as f64 / elapsed);
    progress.finish();
    let mut windows = window_throughputs(start, &bind_times, Duration::from_secs(1));
    windows.sort_by(f64::total_cmp);
    let mut latencies: Vec<f64> = binds
        .iter()
        .filter_map(|(name, b)| {
            created_at
                .get(name)
                .map(|c| b.saturating_duration_since(*c).as_secs_f64() * 1000.0)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    Ok(Outcome {
        workload: String::new(),
        nodes: 0,
        init_pods: 0,
        measured_pods: n,
        throughput_avg: n as f64 / elapsed,
        throughput_p50: percentile(&windows, 50.0),
        throughput_p90: percentile(&windows, 90.0),
        throughput_p99: percentile(&windows, 99.0),
        latency_p50_ms: percentile(&latencies, 50.0),
        latency_p99_ms: percentile(&latencies, 99.0),
        threshold: None,
        mode: match opts.mode {
            Mode::Overlap => "overlap".into(),
            Mode::Preloaded => "preloaded".into(),
        },
        creation_rate,
        attempts: 0,
        unschedulable_attempts: 0,
        warmed_up: false,
    })
}
