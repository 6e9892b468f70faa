//! v1: volume sources that exist only in persistent volumes (`local`, `csi` with
//! volume handles), and the persistent-volume variants of pod sources, which refer to
//! secrets by namespace and name ([`SecretReference`]) since a persistent volume has no
//! namespace of its own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ObjectReference, SecretReference};
use crate::serde_util::is_false;

/// A GlusterFS volume of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlusterfsPersistentVolumeSource {
    /// Name of the Endpoints object listing the Gluster servers.
    #[serde(default)]
    pub endpoints: String,
    /// Gluster volume path.
    #[serde(default)]
    pub path: String,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Namespace of the Endpoints object; the claim's when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints_namespace: Option<String>,
}

/// A Ceph RADOS block device of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RBDPersistentVolumeSource {
    /// Ceph monitor addresses.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub monitors: Vec<String>,
    /// RADOS image name.
    #[serde(default)]
    pub image: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// RADOS pool (default `rbd`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pool: String,
    /// RADOS user (default `admin`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Keyring path (default `/etc/ceph/keyring`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyring: String,
    /// Secret with the user's key, used instead of the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An iSCSI disk of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ISCSIPersistentVolumeSource {
    /// Target portal, `ip` or `ip:port` (default port 3260).
    #[serde(default)]
    pub target_portal: String,
    /// Target iSCSI qualified name.
    #[serde(default)]
    pub iqn: String,
    /// Target LUN.
    #[serde(default)]
    pub lun: i32,
    /// iSCSI interface (transport) name (`default` is TCP).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub iscsi_interface: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Further target portals for multipath.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub portals: Vec<String>,
    /// Use CHAP authentication for discovery.
    #[serde(default, skip_serializing_if = "is_false")]
    pub chap_auth_discovery: bool,
    /// Use CHAP authentication for the session.
    #[serde(default, skip_serializing_if = "is_false")]
    pub chap_auth_session: bool,
    /// Secret holding the CHAP credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    /// Custom initiator name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_name: Option<String>,
}

/// An OpenStack Cinder volume of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CinderPersistentVolumeSource {
    /// Cinder volume id.
    #[serde(default, rename = "volumeID")]
    pub volume_id: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Secret with the OpenStack connection parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
}

/// A CephFS mount of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CephFSPersistentVolumeSource {
    /// Ceph monitor addresses.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub monitors: Vec<String>,
    /// Path within the filesystem to mount (default `/`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// RADOS user (default `admin`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Path of the user's secret file (default `/etc/ceph/user.secret`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_file: String,
    /// Secret with the user's key, used instead of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A FlexVolume driver volume of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexPersistentVolumeSource {
    /// Driver name.
    #[serde(default)]
    pub driver: String,
    /// Filesystem type; the driver's default when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Secret passed to the driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Driver-specific options.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// An Azure File share of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureFilePersistentVolumeSource {
    /// Secret holding the storage account name and key.
    #[serde(default)]
    pub secret_name: String,
    /// Share name.
    #[serde(default)]
    pub share_name: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Namespace of the secret; the pod's when unset. Always written (`null` when
    /// unset), as Kubernetes does.
    #[serde(default)]
    pub secret_namespace: Option<String>,
}

/// A ScaleIO volume of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleIOPersistentVolumeSource {
    /// Address of the ScaleIO API gateway.
    #[serde(default)]
    pub gateway: String,
    /// Name of the ScaleIO storage system.
    #[serde(default)]
    pub system: String,
    /// Secret with the ScaleIO credentials. Always written (`null` when unset).
    #[serde(default)]
    pub secret_ref: Option<SecretReference>,
    /// Use SSL to talk to the gateway.
    #[serde(default, rename = "sslEnabled", skip_serializing_if = "is_false")]
    pub ssl_enabled: bool,
    /// Protection domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protection_domain: String,
    /// Storage pool within the protection domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_pool: String,
    /// `ThinProvisioned` (default) or `ThickProvisioned`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_mode: String,
    /// Name of an existing ScaleIO volume.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// Filesystem type (default `xfs`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A StorageOS volume of a persistent volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageOSPersistentVolumeSource {
    /// StorageOS volume name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// StorageOS namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_namespace: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Secret with the StorageOS API credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<ObjectReference>,
}

/// Storage attached directly to one node (a disk, partition or directory); used with
/// the volume's node affinity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalVolumeSource {
    /// Full path of the directory or block device on the node.
    #[serde(default)]
    pub path: String,
    /// Filesystem type, for block devices; detected when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
}

/// A volume managed by an external CSI driver.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CSIPersistentVolumeSource {
    /// Name of the CSI driver.
    #[serde(default)]
    pub driver: String,
    /// The driver's id of the volume.
    #[serde(default)]
    pub volume_handle: String,
    /// Publish the volume read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Filesystem type.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Driver-specific attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volume_attributes: BTreeMap<String, String>,
    /// Secret for the driver's controller publish and unpublish calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_publish_secret_ref: Option<SecretReference>,
    /// Secret for the driver's node stage and unstage calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_stage_secret_ref: Option<SecretReference>,
    /// Secret for the driver's node publish and unpublish calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_publish_secret_ref: Option<SecretReference>,
    /// Secret for the driver's controller expand call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_expand_secret_ref: Option<SecretReference>,
    /// Secret for the driver's node expand call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_expand_secret_ref: Option<SecretReference>,
}
