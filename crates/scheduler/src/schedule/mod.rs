//! Scheduling: the algorithm of a cycle, its results and explanations, and the
//! standalone [`Scheduler`].

mod algorithm;
pub(crate) mod cycle;
mod diagnosis;
mod explain;
mod scheduler;

pub use algorithm::{
    Algorithm, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, MIN_FEASIBLE_NODES_TO_FIND,
    num_feasible_nodes_to_find,
};
pub use diagnosis::{Diagnosis, FitError, ScheduleError, ScheduleResult};
pub use explain::{Explanation, FilterVerdict, NodeExplanation, ScoreDetail};
pub use scheduler::{Decision, Scheduler};
