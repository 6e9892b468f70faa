use super::super::test_support::{check, check_valid};

const PV: &str = "
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-1}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  nfs: {server: nfs.example.com, path: /exports/data}
";

#[test]
fn persistent_volumes() {
    check(
        PV,
        &[
            (
                "metadata: {namespace: default}\nspec: {capacity: null, accessModes: [], persistentVolumeReclaimPolicy: Keep, volumeMode: Raw}",
                &[
                    "metadata.namespace: Forbidden: not allowed on this type: it is cluster-scoped",
                    "spec.capacity: Required value",
                    "spec.accessModes: Required value: at least 1 access mode is required",
                    r#"spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain""#,
                    r#"spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem""#,
                ],
            ),
            (
                "spec: {capacity: {storage: -1Gi, cpu: '1'}, accessModes: [ReadWriteOncePod, ReadOnlyMany]}",
                &[
                    r#"spec.capacity: Unsupported value: "cpu": supported values: "storage""#,
                    r#"spec.capacity[storage]: Invalid value: "-1Gi": must be greater than or equal to 0"#,
                    "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
                ],
            ),
            (
                "spec: {nfs: null}",
                &["spec: Required value: must specify a volume type"],
            ),
            (
                "spec: {nfs: {server: '', path: exports}, hostPath: {path: /data, type: Folder}}",
                &[
                    "spec.nfs: Forbidden: may not be set together with `hostPath`: specify only one",
                    r#"spec.hostPath.type: Unsupported value: "Folder": supported values: "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice""#,
                    "spec.nfs.server: Required value",
                    r#"spec.nfs.path: Invalid value: "exports": must be an absolute path"#,
                ],
            ),
            (
                "spec: {nfs: null, local: {path: /mnt/disks/ssd1}}",
                &["spec.nodeAffinity: Required value: local volumes require node affinity"],
            ),
        ],
    );
    check_valid(
        PV,
        &[
            "spec: {nfs: null, local: {path: /mnt/disks/ssd1}, nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-1]}]}]}}}",
            "spec: {nfs: null, csi: {driver: ebs.csi.aws.com, volumeHandle: vol-123}, storageClassName: gp3, volumeMode: Block}",
        ],
    );
}

const PVC: &str = "
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
";

#[test]
fn persistent_volume_claims() {
    check(
        PVC,
        &[
            (
                "spec: {accessModes: null, resources: {requests: null}}",
                &[
                    "spec.accessModes: Required value: at least 1 access mode is required",
                    "spec.resources.requests[storage]: Required value",
                ],
            ),
            (
                "spec: {resources: {requests: {storage: '0'}}, storageClassName: Fast_SSD, selector: {matchLabels: {'a b': c}}, dataSource: {kind: Deployment, name: web}}",
                &[
                    r#"spec.resources.requests[storage]: Invalid value: "0": must be greater than zero"#,
                    r#"spec.storageClassName: Invalid value: "Fast_SSD": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                    r#"spec.selector.matchLabels: Invalid value: "a b": the name part may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit (for example 'app' or 'example.com/tier')"#,
                    r#"spec.dataSource.kind: Invalid value: "Deployment": must be 'PersistentVolumeClaim' when referencing the default apiGroup"#,
                ],
            ),
        ],
    );
    check_valid(
        PVC,
        &[
            "spec: {storageClassName: '', volumeMode: Filesystem}",
            "spec: {dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: snap}}",
        ],
    );
}
