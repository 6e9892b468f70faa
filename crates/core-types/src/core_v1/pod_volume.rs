//! v1: the volumes of a pod: `Volume` and the sources that are not tied to one storage
//! product (host path, empty dir, secret, config map, downward API, projected, claim,
//! CSI, ephemeral, image).
//!
//! The storage products' sources (NFS, iSCSI, cloud disks, ...) are in
//! `volume_source.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, AzureFileVolumeSource,
    CephFSVolumeSource, CinderVolumeSource, FCVolumeSource, FlexVolumeSource, FlockerVolumeSource,
    GCEPersistentDiskVolumeSource, GlusterfsVolumeSource, ISCSIVolumeSource, LocalObjectReference,
    NFSVolumeSource, ObjectFieldSelector, PersistentVolumeClaimSpec,
    PhotonPersistentDiskVolumeSource, PortworxVolumeSource, QuobyteVolumeSource, RBDVolumeSource,
    ResourceFieldSelector, ScaleIOVolumeSource, StorageOSVolumeSource,
    VsphereVirtualDiskVolumeSource,
};
use crate::meta::ObjectMeta;
use crate::quantity::Quantity;
use crate::selector::LabelSelector;
use crate::serde_util::is_false;

/// A named volume of a pod that its containers can mount.
///
/// Exactly one source field should be set (validation checks it); with none, the
/// volume is treated as an empty dir. The source fields sit next to `name` on the wire.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// Volume name, a DNS label unique within the pod.
    #[serde(default)]
    pub name: String,
    /// A file or directory of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<Box<HostPathVolumeSource>>,
    /// A scratch directory that lives as long as the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<Box<EmptyDirVolumeSource>>,
    /// A Google Compute Engine persistent disk (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<Box<GCEPersistentDiskVolumeSource>>,
    /// An AWS EBS volume (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<Box<AWSElasticBlockStoreVolumeSource>>,
    /// A git repository cloned into the volume (deprecated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_repo: Option<Box<GitRepoVolumeSource>>,
    /// The keys of a secret, as files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Box<SecretVolumeSource>>,
    /// An NFS export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Box<NFSVolumeSource>>,
    /// An iSCSI disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<Box<ISCSIVolumeSource>>,
    /// A GlusterFS mount (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<Box<GlusterfsVolumeSource>>,
    /// The volume bound to a persistent volume claim of the pod's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<Box<PersistentVolumeClaimVolumeSource>>,
    /// A Ceph RADOS block device (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<Box<RBDVolumeSource>>,
    /// A volume handled by an exec-based FlexVolume driver (deprecated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<Box<FlexVolumeSource>>,
    /// An OpenStack Cinder volume (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<Box<CinderVolumeSource>>,
    /// A CephFS mount (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<Box<CephFSVolumeSource>>,
    /// A Flocker dataset (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<Box<FlockerVolumeSource>>,
    /// Pod metadata and container resources, as files.
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<Box<DownwardAPIVolumeSource>>,
    /// A Fibre Channel disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<Box<FCVolumeSource>>,
    /// An Azure File share (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<Box<AzureFileVolumeSource>>,
    /// The keys of a config map, as files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<Box<ConfigMapVolumeSource>>,
    /// A vSphere disk (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<Box<VsphereVirtualDiskVolumeSource>>,
    /// A Quobyte volume (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<Box<QuobyteVolumeSource>>,
    /// An Azure data disk (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<Box<AzureDiskVolumeSource>>,
    /// A Photon Controller disk (no longer supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<Box<PhotonPersistentDiskVolumeSource>>,
    /// Several secrets, config maps, downward API items and tokens in one directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<Box<ProjectedVolumeSource>>,
    /// A Portworx volume (deprecated in-tree driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<Box<PortworxVolumeSource>>,
    /// A ScaleIO volume (no longer supported).
    #[serde(default, rename = "scaleIO", skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<Box<ScaleIOVolumeSource>>,
    /// A StorageOS volume (no longer supported).
    #[serde(default, rename = "storageos", skip_serializing_if = "Option::is_none")]
    pub storage_os: Option<Box<StorageOSVolumeSource>>,
    /// An inline ephemeral volume of a CSI driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<Box<CSIVolumeSource>>,
    /// A claim created for the pod from a template and deleted with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<Box<EphemeralVolumeSource>>,
    /// The contents of an OCI image or artifact, read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Box<ImageVolumeSource>>,
}

/// Refers to a persistent volume claim in the pod's namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimVolumeSource {
    /// Name of the claim.
    #[serde(default)]
    pub claim_name: String,
    /// Force read-only mounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A path on the node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPathVolumeSource {
    /// Path on the node (symlinks are followed).
    #[serde(default)]
    pub path: String,
    /// What must exist there: `""` (no check), `DirectoryOrCreate`, `Directory`,
    /// `FileOrCreate`, `File`, `Socket`, `CharDevice` or `BlockDevice`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// A scratch directory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyDirVolumeSource {
    /// `""` (node's default storage), `Memory` (tmpfs) or `HugePages[-<size>]`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub medium: String,
    /// Most local storage (or memory) the directory may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<Quantity>,
}

/// A git repository cloned into the volume (deprecated: use an init container).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitRepoVolumeSource {
    /// Repository URL.
    #[serde(default)]
    pub repository: String,
    /// Commit to check out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revision: String,
    /// Directory to clone into, relative to the volume; `.` for the volume itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub directory: String,
}

/// A secret's keys as files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretVolumeSource {
    /// Name of the secret in the pod's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_name: String,
    /// Keys to project and where; all keys, as files named after them, when empty.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<KeyToPath>,
    /// Permission bits of the files (default 0644).
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_mode: Option<i32>,
    /// Whether a missing secret or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// A config map's keys as files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapVolumeSource {
    /// Name of the config map in the pod's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Keys to project and where; all keys when empty.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<KeyToPath>,
    /// Permission bits of the files (default 0644).
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_mode: Option<i32>,
    /// Whether a missing config map or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Maps one key of a secret or config map to a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyToPath {
    /// The key.
    #[serde(default)]
    pub key: String,
    /// Relative file path (no `..`).
    #[serde(default)]
    pub path: String,
    /// Permission bits of this file; the volume's default when unset.
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<i32>,
}

/// Pod fields and container resources as files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIVolumeFile {
    /// Relative file path.
    #[serde(default)]
    pub path: String,
    /// A pod field (labels, annotations, name, namespace, uid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<ObjectFieldSelector>,
    /// A container's resource request or limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_field_ref: Option<ResourceFieldSelector>,
    /// Permission bits of this file.
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<i32>,
}

/// A downward API volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIVolumeSource {
    /// The files.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<DownwardAPIVolumeFile>,
    /// Permission bits of the files (default 0644).
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_mode: Option<i32>,
}

/// Several sources projected into one directory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectedVolumeSource {
    /// The sources; always written, as Kubernetes does.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub sources: Vec<VolumeProjection>,
    /// Permission bits of the files (default 0644).
    #[serde(
        default,
        deserialize_with = "crate::serde_util::file_mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_mode: Option<i32>,
}

/// One source of a projected volume; exactly one field is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeProjection {
    /// Keys of a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretProjection>,
    /// Downward API files.
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<DownwardAPIProjection>,
    /// Keys of a config map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapProjection>,
    /// A service account token, refreshed by the kubelet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_token: Option<ServiceAccountTokenProjection>,
    /// The certificates of cluster trust bundles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_trust_bundle: Option<ClusterTrustBundleProjection>,
}

/// A secret inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretProjection {
    /// Name of the secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Keys to project; all when empty.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<KeyToPath>,
    /// Whether a missing secret or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// A config map inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapProjection {
    /// Name of the config map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Keys to project; all when empty.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<KeyToPath>,
    /// Whether a missing config map or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Downward API files inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIProjection {
    /// The files.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub items: Vec<DownwardAPIVolumeFile>,
}

/// A service account token inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountTokenProjection {
    /// Intended audience of the token; the API server's when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub audience: String,
    /// Requested lifetime in seconds (default one hour, at least ten minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_seconds: Option<i64>,
    /// Relative file path of the token.
    #[serde(default)]
    pub path: String,
}

/// Cluster trust bundle certificates inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterTrustBundleProjection {
    /// One bundle, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// All bundles of this signer (narrowed by `labelSelector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_name: Option<String>,
    /// Label selector over the signer's bundles; unset matches none, `{}` all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Start the pod even if no bundle is found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// Relative file path of the bundle.
    #[serde(default)]
    pub path: String,
}

/// An inline ephemeral volume served by a CSI driver.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CSIVolumeSource {
    /// Name of the CSI driver.
    #[serde(default)]
    pub driver: String,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Filesystem type; the driver chooses when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
    /// Driver-specific attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volume_attributes: BTreeMap<String, String>,
    /// Secret passed to the driver's publish and unpublish calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_publish_secret_ref: Option<LocalObjectReference>,
}

/// A volume backed by a claim created from a template for the pod (named
/// `<pod>-<volume>`) and deleted with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EphemeralVolumeSource {
    /// Template of the claim to create (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_claim_template: Option<PersistentVolumeClaimTemplate>,
}

/// Template of a persistent volume claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimTemplate {
    /// Labels and annotations copied to the claim.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec of the claim.
    #[serde(default)]
    pub spec: PersistentVolumeClaimSpec,
}

/// An OCI image or artifact mounted read-only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageVolumeSource {
    /// Image or artifact reference, as for a container image.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    /// `Always`, `Never` or `IfNotPresent`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pull_policy: String,
}
