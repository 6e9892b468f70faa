//! v1: PersistentVolume and PersistentVolumeClaim.
//!
//! A persistent volume's source fields sit next to `capacity` in its spec, as on the
//! wire; the source types are shared with pod volumes (`volume_source.rs`) or specific
//! to persistent volumes (`pv_source.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, AzureFilePersistentVolumeSource,
    CSIPersistentVolumeSource, CephFSPersistentVolumeSource, CinderPersistentVolumeSource,
    FCVolumeSource, FlexPersistentVolumeSource, FlockerVolumeSource, GCEPersistentDiskVolumeSource,
    GlusterfsPersistentVolumeSource, HostPathVolumeSource, ISCSIPersistentVolumeSource,
    LocalVolumeSource, NFSVolumeSource, NodeSelector, ObjectReference,
    PhotonPersistentDiskVolumeSource, PortworxVolumeSource, QuobyteVolumeSource,
    RBDPersistentVolumeSource, ScaleIOPersistentVolumeSource, StorageOSPersistentVolumeSource,
    TypedLocalObjectReference, TypedObjectReference, VsphereVirtualDiskVolumeSource,
};
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::resource_list::ResourceList;
use crate::selector::LabelSelector;
use crate::time::Time;

/// A piece of storage in the cluster, provisioned by an administrator or dynamically
/// through a storage class, and bound to at most one claim.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PersistentVolume {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// What the volume is and how it may be used.
    #[serde(default)]
    pub spec: PersistentVolumeSpec,
    /// Observed state (binding phase).
    #[serde(default)]
    pub status: PersistentVolumeStatus,
}

resource! {
    PersistentVolume {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "persistentvolumes",
        scope: Cluster,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Spec of a persistent volume: capacity, exactly one source, and binding settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeSpec {
    /// Size of the volume (`storage`).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub capacity: ResourceList,
    /// A Google Compute Engine persistent disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<GCEPersistentDiskVolumeSource>,
    /// An AWS EBS volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<AWSElasticBlockStoreVolumeSource>,
    /// A path on one node (for single-node testing only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathVolumeSource>,
    /// A GlusterFS volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<GlusterfsPersistentVolumeSource>,
    /// An NFS export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<NFSVolumeSource>,
    /// A Ceph RADOS block device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<RBDPersistentVolumeSource>,
    /// An iSCSI disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<ISCSIPersistentVolumeSource>,
    /// An OpenStack Cinder volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<CinderPersistentVolumeSource>,
    /// A CephFS mount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<CephFSPersistentVolumeSource>,
    /// A Fibre Channel disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<FCVolumeSource>,
    /// A Flocker dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<FlockerVolumeSource>,
    /// A FlexVolume driver volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<FlexPersistentVolumeSource>,
    /// An Azure File share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<AzureFilePersistentVolumeSource>,
    /// A vSphere disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<VsphereVirtualDiskVolumeSource>,
    /// A Quobyte volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<QuobyteVolumeSource>,
    /// An Azure data disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<AzureDiskVolumeSource>,
    /// A Photon Controller disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<PhotonPersistentDiskVolumeSource>,
    /// A Portworx volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<PortworxVolumeSource>,
    /// A ScaleIO volume.
    #[serde(default, rename = "scaleIO", skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<ScaleIOPersistentVolumeSource>,
    /// Storage attached to one node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalVolumeSource>,
    /// A StorageOS volume.
    #[serde(default, rename = "storageos", skip_serializing_if = "Option::is_none")]
    pub storage_os: Option<StorageOSPersistentVolumeSource>,
    /// A volume of an external CSI driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<CSIPersistentVolumeSource>,
    /// `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub access_modes: Vec<String>,
    /// The claim the volume is bound (or reserved) to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_ref: Option<ObjectReference>,
    /// `Retain`, `Delete` or `Recycle` (deprecated): what happens when the claim goes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub persistent_volume_reclaim_policy: String,
    /// Storage class the volume belongs to; none when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_class_name: String,
    /// Mount options, e.g. `ro`, `soft` (not validated).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub mount_options: Vec<String>,
    /// `Filesystem` (default) or `Block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    /// Nodes the volume can be used from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<VolumeNodeAffinity>,
    /// Volume attributes class of the volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

/// Nodes from which a persistent volume can be used.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeNodeAffinity {
    /// Nodes must match this selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<NodeSelector>,
}

/// Observed state of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeStatus {
    /// `Pending`, `Available`, `Bound`, `Released` or `Failed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// Human-readable detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Machine-readable reason for a failure.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// When the phase last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_phase_transition_time: Option<Time>,
}

/// A request for storage by a user, bound to a persistent volume that satisfies it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PersistentVolumeClaim {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// What is requested.
    #[serde(default)]
    pub spec: PersistentVolumeClaimSpec,
    /// Observed state (binding, capacity, resizing).
    #[serde(default)]
    pub status: PersistentVolumeClaimStatus,
}

resource! {
    PersistentVolumeClaim {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "persistentvolumeclaims",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// What a claim asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimSpec {
    /// Access modes the volume must support.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub access_modes: Vec<String>,
    /// Only volumes with matching labels are considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// Minimum (and maximum) storage. Always written, as Kubernetes does.
    #[serde(default)]
    pub resources: VolumeResourceRequirements,
    /// Name of the volume the claim is bound to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// Storage class wanted; `""` means no class, unset means the default class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// `Filesystem` (default) or `Block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    /// A snapshot or claim to copy the initial contents from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<TypedLocalObjectReference>,
    /// Any object to populate the volume from (a volume populator), possibly in
    /// another namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source_ref: Option<TypedObjectReference>,
    /// Volume attributes class wanted; may change after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

/// Storage requested by a claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeResourceRequirements {
    /// Upper bounds (`storage`).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub limits: ResourceList,
    /// Minimum amounts (`storage`).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub requests: ResourceList,
}

/// Observed state of a claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimStatus {
    /// `Pending`, `Bound` or `Lost`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// Access modes of the bound volume.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub access_modes: Vec<String>,
    /// Capacity of the bound volume.
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub capacity: ResourceList,
    /// Conditions (`Resizing`, `FileSystemResizePending`, ...).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<PersistentVolumeClaimCondition>,
    /// Resources allocated to the claim, possibly more than the capacity during a resize.
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub allocated_resources: ResourceList,
    /// Resize progress by resource: `ControllerResizeInProgress`,
    /// `ControllerResizeInfeasible`, `NodeResizePending`, `NodeResizeInProgress`,
    /// `NodeResizeInfeasible`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resource_statuses: BTreeMap<String, String>,
    /// Volume attributes class currently applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_volume_attributes_class_name: Option<String>,
    /// Progress of a change of volume attributes class; unset when none is under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modify_volume_status: Option<ModifyVolumeStatus>,
}

/// One condition of a claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimCondition {
    /// Condition type, e.g. `Resizing`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When the condition was last checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Time>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Machine-readable reason for the last change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Progress of a change of a claim's volume attributes class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModifyVolumeStatus {
    /// The class being applied.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_volume_attributes_class_name: String,
    /// `Pending`, `InProgress` or `Infeasible`.
    #[serde(default)]
    pub status: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::decode::from_json;

    #[test]
    fn persistent_volume_round_trip() {
        let json = br#"{
          "apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {"name": "pv0001", "labels": {"type": "local"}},
          "spec": {
            "capacity": {},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "manual",
            "mountOptions": ["hard", "nfsvers=4.1"],
            "nfs": {"server": "10.0.0.2", "path": "/exports", "readOnly": true},
            "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default", "name": "data"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
              {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}]}]}}
          },
          "status": {"phase": "Bound", "lastPhaseTransitionTime": "2024-05-01T10:00:00Z"}
        }"#;
        let pv: PersistentVolume = from_json(json).unwrap();
        assert_eq!(pv.spec.nfs.as_ref().unwrap().server, "10.0.0.2");
        assert_eq!(pv.spec.claim_ref.as_ref().unwrap().name, "data");
        let terms = &pv
            .spec
            .node_affinity
            .as_ref()
            .unwrap()
            .required
            .as_ref()
            .unwrap();
        assert_eq!(
            terms.node_selector_terms[0].match_expressions[0].values,
            ["node-1"]
        );
        assert_eq!(pv.status.phase, "Bound");
        let v = serde_json::to_value(&pv).unwrap();
        assert_eq!(v["kind"], "PersistentVolume");
        assert_eq!(v["spec"]["nfs"]["readOnly"], true);
        assert_eq!(v["spec"]["persistentVolumeReclaimPolicy"], "Retain");
        assert!(v["spec"].get("capacity").is_none());
        assert_eq!(
            v["status"]["lastPhaseTransitionTime"],
            "2024-05-01T10:00:00Z"
        );
        // Spec and status are always written.
        let empty = serde_json::to_value(PersistentVolume::default()).unwrap();
        assert_eq!(empty["spec"], serde_json::json!({}));
        assert_eq!(empty["status"], serde_json::json!({}));
    }

    #[test]
    fn persistent_volume_claim_round_trip() {
        let json = br#"{
          "apiVersion": "v1", "kind": "PersistentVolumeClaim",
          "metadata": {"name": "data", "namespace": "default"},
          "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": "",
            "volumeMode": "Filesystem",
            "selector": {"matchLabels": {"release": "stable"}},
            "dataSource": {"kind": "VolumeSnapshot", "apiGroup": "snapshot.storage.k8s.io", "name": "snap"},
            "dataSourceRef": {"kind": "VolumeSnapshot", "apiGroup": "snapshot.storage.k8s.io", "name": "snap"}
          },
          "status": {
            "phase": "Bound", "accessModes": ["ReadWriteOnce"],
            "allocatedResourceStatuses": {"storage": "ControllerResizeInProgress"},
            "conditions": [{"type": "Resizing", "status": "True"}],
            "modifyVolumeStatus": {"status": "Pending"}
          }
        }"#;
        let pvc: PersistentVolumeClaim = from_json(json).unwrap();
        // `""` (no class) and unset (default class) are different.
        assert_eq!(pvc.spec.storage_class_name.as_deref(), Some(""));
        assert_eq!(
            pvc.spec.data_source.as_ref().unwrap().api_group.as_deref(),
            Some("snapshot.storage.k8s.io")
        );
        assert_eq!(pvc.status.conditions[0].type_, "Resizing");
        let v = serde_json::to_value(&pvc).unwrap();
        assert_eq!(v["spec"]["storageClassName"], "");
        assert_eq!(v["spec"]["resources"], serde_json::json!({}));
        assert_eq!(v["spec"]["selector"]["matchLabels"]["release"], "stable");
        assert_eq!(
            v["status"]["modifyVolumeStatus"],
            serde_json::json!({"status": "Pending"})
        );
        assert_eq!(
            v["status"]["allocatedResourceStatuses"]["storage"],
            "ControllerResizeInProgress"
        );

        let bad = br#"{"apiVersion":"v1","kind":"PersistentVolumeClaim","spec":{"accessModes":"ReadWriteOnce"}}"#;
        let err = from_json::<PersistentVolumeClaim>(bad)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("spec.accessModes"), "{err}");
    }
}
