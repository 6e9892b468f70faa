//! Victim selection and candidate choice.

use std::sync::Arc;

use super::victims::{Victims, pick_one};
use crate::framework::PodInfo;
use crate::testing::pod;

fn v(node: &str, prios: &[i32], pdb: usize) -> Victims {
    Victims {
        node: node.into(),
        pods: prios
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut x = pod(&format!("{node}-{i}"), 1, 1);
                x.spec.priority = Some(*p);
                Arc::new(PodInfo::from_pod(x))
            })
            .collect(),
        pdb_violations: pdb,
    }
}

#[test]
fn candidate_order_follows_kube_scheduler() {
    // Fewest PDB violations first.
    let c = [v("a", &[1], 1), v("b", &[5, 5], 0)];
    assert_eq!(pick_one(&c).unwrap().node, "b");
    // Then the lowest highest-priority victim.
    let c = [v("a", &[5], 0), v("b", &[3, 3], 0)];
    assert_eq!(pick_one(&c).unwrap().node, "b");
    // Then the lowest sum of priorities.
    let c = [v("a", &[3, 3], 0), v("b", &[3, 1], 0)];
    assert_eq!(pick_one(&c).unwrap().node, "b");
    // Then the fewest victims.
    let c = [v("a", &[3, 0, 0], 0), v("b", &[3, 0], 0)];
    // Sums: a = 3+0+0 + 3*(2^31) vs b = 3+0 + 2*(2^31): b has the lower sum.
    assert_eq!(pick_one(&c).unwrap().node, "b");
    // A node needing no victim wins outright.
    let c = [v("a", &[0], 0), v("b", &[], 0)];
    assert_eq!(pick_one(&c).unwrap().node, "b");
    assert!(pick_one(&[]).is_none());
}
