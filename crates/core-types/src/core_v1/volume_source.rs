//! v1: volume sources of particular storage products (network filesystems, block
//! protocols, cloud disks), as used in pod volumes; most are also used unchanged by
//! persistent volumes. The persistent-volume variants of the others are in
//! `pv_source.rs`.
//!
//! Many of these in-tree drivers are deprecated or removed in Kubernetes (their volumes
//! are served by CSI drivers); they are modelled so that existing manifests decode.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::LocalObjectReference;
use crate::serde_util::{is_false, is_zero_i32};

/// A Google Compute Engine persistent disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GCEPersistentDiskVolumeSource {
    /// Name of the disk in GCE.
    #[serde(default)]
    pub pd_name: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Partition to mount; the whole disk when 0.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub partition: i32,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An AWS Elastic Block Store volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AWSElasticBlockStoreVolumeSource {
    /// EBS volume id.
    #[serde(default, rename = "volumeID")]
    pub volume_id: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Partition to mount; the whole disk when 0.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub partition: i32,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An NFS export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NFSVolumeSource {
    /// Host name or IP of the NFS server.
    #[serde(default)]
    pub server: String,
    /// Exported path.
    #[serde(default)]
    pub path: String,
    /// Mount the export read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An iSCSI disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ISCSIVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
    /// Custom initiator name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_name: Option<String>,
}

/// A GlusterFS volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlusterfsVolumeSource {
    /// Name of the Endpoints object listing the Gluster servers.
    #[serde(default)]
    pub endpoints: String,
    /// Gluster volume path.
    #[serde(default)]
    pub path: String,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A Ceph RADOS block device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RBDVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A volume served by an exec-based FlexVolume driver.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexVolumeSource {
    /// Driver name.
    #[serde(default)]
    pub driver: String,
    /// Filesystem type; the driver's default when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Secret passed to the driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Driver-specific options.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// An OpenStack Cinder volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CinderVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
}

/// A CephFS mount.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CephFSVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A Flocker dataset, by name or by UUID.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlockerVolumeSource {
    /// Dataset name (deprecated).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dataset_name: String,
    /// Dataset UUID.
    #[serde(
        default,
        rename = "datasetUUID",
        skip_serializing_if = "String::is_empty"
    )]
    pub dataset_uuid: String,
}

/// A Fibre Channel disk, by target WWNs and LUN or by WWIDs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FCVolumeSource {
    /// Target world wide names.
    #[serde(
        default,
        rename = "targetWWNs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub target_wwns: Vec<String>,
    /// Target LUN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lun: Option<i32>,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// World wide identifiers of the volume (instead of WWNs and LUN).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub wwids: Vec<String>,
}

/// An Azure File share.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureFileVolumeSource {
    /// Secret holding the storage account name and key.
    #[serde(default)]
    pub secret_name: String,
    /// Share name.
    #[serde(default)]
    pub share_name: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A vSphere virtual disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VsphereVirtualDiskVolumeSource {
    /// Path of the VMDK.
    #[serde(default)]
    pub volume_path: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Storage policy (SPBM) profile name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_policy_name: String,
    /// Storage policy (SPBM) profile id.
    #[serde(
        default,
        rename = "storagePolicyID",
        skip_serializing_if = "String::is_empty"
    )]
    pub storage_policy_id: String,
}

/// A Quobyte volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuobyteVolumeSource {
    /// Registry services, `host:port` pairs separated by commas.
    #[serde(default)]
    pub registry: String,
    /// Name of an existing Quobyte volume.
    #[serde(default)]
    pub volume: String,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// User to map access to (default: the service account user).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Group to map access to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Tenant owning the volume.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tenant: String,
}

/// An Azure data disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureDiskVolumeSource {
    /// Disk name in blob storage.
    #[serde(default)]
    pub disk_name: String,
    /// Disk URI in blob storage.
    #[serde(default, rename = "diskURI")]
    pub disk_uri: String,
    /// Host caching: `None`, `ReadOnly` or `ReadWrite` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caching_mode: Option<String>,
    /// Filesystem type (default `ext4`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// `Shared` (default), `Dedicated` or `Managed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A Photon Controller persistent disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotonPersistentDiskVolumeSource {
    /// Disk id.
    #[serde(default, rename = "pdID")]
    pub pd_id: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
}

/// A Portworx volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortworxVolumeSource {
    /// Portworx volume id.
    #[serde(default, rename = "volumeID")]
    pub volume_id: String,
    /// Filesystem type (`ext4` when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A ScaleIO volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleIOVolumeSource {
    /// Address of the ScaleIO API gateway.
    #[serde(default)]
    pub gateway: String,
    /// Name of the ScaleIO storage system.
    #[serde(default)]
    pub system: String,
    /// Secret with the ScaleIO credentials. Always written (`null` when unset), as
    /// Kubernetes does.
    #[serde(default)]
    pub secret_ref: Option<LocalObjectReference>,
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

/// A StorageOS volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageOSVolumeSource {
    /// StorageOS volume name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// StorageOS namespace; the pod's when empty.
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
    pub secret_ref: Option<LocalObjectReference>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        let f: FCVolumeSource =
            serde_json::from_str(r#"{"targetWWNs":["500a0982991b8dc5"],"lun":2,"fsType":"ext4"}"#)
                .unwrap();
        assert_eq!(f.lun, Some(2));
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"targetWWNs":["500a0982991b8dc5"],"lun":2,"fsType":"ext4"}"#
        );
        let a: AzureDiskVolumeSource =
            serde_json::from_str(r#"{"diskName":"d","diskURI":"https://x/d.vhd"}"#).unwrap();
        assert_eq!(a.disk_uri, "https://x/d.vhd");
        let s: ScaleIOVolumeSource =
            serde_json::from_str(r#"{"gateway":"g","system":"s","sslEnabled":true}"#).unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert!(v["secretRef"].is_null() && v.get("secretRef").is_some());
        assert_eq!(v["sslEnabled"], true);
        let r: RBDVolumeSource = serde_json::from_str(r#"{"image":"foo"}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"monitors": [], "image": "foo"})
        );
        assert!(serde_json::from_str::<ISCSIVolumeSource>(r#"{"lun":"0"}"#).is_err());
    }
}
