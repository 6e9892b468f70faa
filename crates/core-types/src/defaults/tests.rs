//! Defaulting through `AnyObject`: every built-in kind, twice.

use std::collections::BTreeSet;

use crate::decode::{AnyObject, objects_from_yaml};

/// One object of each of the 28 built-in kinds, plus one kind the model does not know.
const ALL_KINDS: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Node
metadata: {name: n}
status: {capacity: {cpu: "2"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {type: LoadBalancer, ports: [{port: 80}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: s}
subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {a: b}
---
apiVersion: v1
kind: Event
metadata: {name: e}
involvedObject: {kind: Pod, name: p}
reason: Started
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  template:
    metadata: {labels: {app: rc}}
    spec: {containers: [{name: c, image: "nginx:1"}]}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], nfs: {server: nfs, path: /}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ss}
spec:
  serviceName: ss
  selector: {matchLabels: {app: ss}}
  template:
    metadata: {labels: {app: ss}}
    spec: {containers: [{name: c, image: nginx}]}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: ControllerRevision
metadata: {name: cr}
revision: 1
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: OnFailure, containers: [{name: c, image: busybox}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec: {defaultBackend: {service: {name: s, port: {number: 80}}}}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: l}
spec: {holderIdentity: me}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}
  maxReplicas: 5
  behavior: {scaleDown: {stabilizationWindowSeconds: 60}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules: [{verbs: [get], apiGroups: [""], resources: [pods]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules: [{verbs: [get], nonResourceURLs: [/healthz]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
subjects: [{kind: User, name: jane}]
roleRef: {kind: Role, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: [{kind: Group, name: devs}]
roleRef: {kind: ClusterRole, name: cr}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec: {minAvailable: 1, selector: {matchLabels: {app: d}}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3}
"#;

fn all_kinds() -> Vec<AnyObject> {
    objects_from_yaml(ALL_KINDS)
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn every_kind_is_idempotent() {
    let objects = all_kinds();
    let kinds: BTreeSet<_> = objects
        .iter()
        .filter(|o| o.is_typed())
        .map(|o| o.type_meta().kind)
        .collect();
    assert_eq!(kinds.len(), 28, "{kinds:?}");
    for mut obj in objects {
        obj.apply_defaults();
        let once = obj.clone();
        obj.apply_defaults();
        assert_eq!(obj, once, "{}", once.type_meta().kind);
        // And the defaulted object still round-trips through JSON.
        let json = serde_json::to_value(&once).unwrap();
        let back = AnyObject::from_value(json, 0).unwrap();
        assert_eq!(back, once, "{}", once.type_meta().kind);
    }
}

#[test]
fn defaults_reach_every_kind_with_defaults() {
    // Kinds whose example above gains something from defaulting.
    let unchanged: BTreeSet<&str> = [
        "ConfigMap",
        "Event",
        "ServiceAccount",
        "ControllerRevision",
        "Ingress",
        "Lease",
        "Role",
        "ClusterRole",
        "PodDisruptionBudget",
        "Widget",
    ]
    .into();
    for mut obj in all_kinds() {
        let before = obj.clone();
        obj.apply_defaults();
        let kind = before.type_meta().kind;
        assert_eq!(obj == before, unchanged.contains(kind.as_str()), "{kind}");
    }
}
