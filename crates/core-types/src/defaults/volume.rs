//! Volumes: the volumes of a pod spec, PersistentVolume and PersistentVolumeClaim.

use super::image::default_pull_policy;
use super::{ApplyDefaults, default_opt, default_opt_str, default_str, round_resource_list};
use crate::core_v1::{
    AzureDiskVolumeSource, DownwardAPIVolumeFile, PersistentVolume, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, Volume,
};

/// File mode of secret, config map, downward API and projected volume files: 0644.
const DEFAULT_MODE: i32 = 0o644;

/// Lifetime of a projected service account token: one hour.
const TOKEN_EXPIRATION_SECONDS: i64 = 3600;

/// Defaults of a pod volume:
/// - no source at all: `emptyDir: {}`.
/// - `hostPath.type`: `""`.
/// - `secret`, `configMap`, `downwardAPI`, `projected`: `defaultMode` 420 (0644).
/// - `downwardAPI.items[*].fieldRef.apiVersion` (also in projections): `v1`.
/// - `projected.sources[*].serviceAccountToken.expirationSeconds`: 3600.
/// - `iscsi.iscsiInterface`: `default`.
/// - `rbd`: `pool` `rbd`, `user` `admin`, `keyring` `/etc/ceph/keyring`.
/// - `azureDisk`: `cachingMode` `ReadWrite`, `kind` `Shared`, `fsType` `ext4`,
///   `readOnly` false.
/// - `scaleIO`: `storageMode` `ThinProvisioned`, `fsType` `xfs`.
/// - `ephemeral.volumeClaimTemplate.spec`: the claim spec defaults.
/// - `image.pullPolicy`: as a container's `imagePullPolicy` (the `ImageVolume` feature).
pub(super) fn pod_volume(v: &mut Volume) {
    if !has_source(v) {
        v.empty_dir = Some(Box::default());
    }
    if let Some(s) = &mut v.host_path {
        default_opt_str(&mut s.type_, "");
    }
    if let Some(s) = &mut v.secret {
        default_opt(&mut s.default_mode, DEFAULT_MODE);
    }
    if let Some(s) = &mut v.config_map {
        default_opt(&mut s.default_mode, DEFAULT_MODE);
    }
    if let Some(s) = &mut v.downward_api {
        default_opt(&mut s.default_mode, DEFAULT_MODE);
        downward_api_files(&mut s.items);
    }
    if let Some(s) = &mut v.projected {
        default_opt(&mut s.default_mode, DEFAULT_MODE);
        for p in &mut s.sources {
            if let Some(d) = &mut p.downward_api {
                downward_api_files(&mut d.items);
            }
            if let Some(t) = &mut p.service_account_token {
                default_opt(&mut t.expiration_seconds, TOKEN_EXPIRATION_SECONDS);
            }
        }
    }
    if let Some(s) = &mut v.iscsi {
        default_str(&mut s.iscsi_interface, "default");
    }
    if let Some(s) = &mut v.rbd {
        default_str(&mut s.pool, "rbd");
        default_str(&mut s.user, "admin");
        default_str(&mut s.keyring, "/etc/ceph/keyring");
    }
    if let Some(s) = &mut v.azure_disk {
        azure_disk(s);
    }
    if let Some(s) = &mut v.scale_io {
        default_str(&mut s.storage_mode, "ThinProvisioned");
        default_str(&mut s.fs_type, "xfs");
    }
    if let Some(t) = v
        .ephemeral
        .as_mut()
        .and_then(|e| e.volume_claim_template.as_mut())
    {
        claim_spec(&mut t.spec);
    }
    if let Some(s) = &mut v.image {
        if s.pull_policy.is_empty() {
            s.pull_policy = default_pull_policy(&s.reference).to_owned();
        }
    }
}

/// Whether any source is set. Destructures every field, so a source added to `Volume`
/// later cannot be forgotten here.
fn has_source(v: &Volume) -> bool {
    let Volume {
        name: _,
        host_path,
        empty_dir,
        gce_persistent_disk,
        aws_elastic_block_store,
        git_repo,
        secret,
        nfs,
        iscsi,
        glusterfs,
        persistent_volume_claim,
        rbd,
        flex_volume,
        cinder,
        cephfs,
        flocker,
        downward_api,
        fc,
        azure_file,
        config_map,
        vsphere_volume,
        quobyte,
        azure_disk,
        photon_persistent_disk,
        projected,
        portworx_volume,
        scale_io,
        storage_os,
        csi,
        ephemeral,
        image,
    } = v;
    host_path.is_some()
        || empty_dir.is_some()
        || gce_persistent_disk.is_some()
        || aws_elastic_block_store.is_some()
        || git_repo.is_some()
        || secret.is_some()
        || nfs.is_some()
        || iscsi.is_some()
        || glusterfs.is_some()
        || persistent_volume_claim.is_some()
        || rbd.is_some()
        || flex_volume.is_some()
        || cinder.is_some()
        || cephfs.is_some()
        || flocker.is_some()
        || downward_api.is_some()
        || fc.is_some()
        || azure_file.is_some()
        || config_map.is_some()
        || vsphere_volume.is_some()
        || quobyte.is_some()
        || azure_disk.is_some()
        || photon_persistent_disk.is_some()
        || projected.is_some()
        || portworx_volume.is_some()
        || scale_io.is_some()
        || storage_os.is_some()
        || csi.is_some()
        || ephemeral.is_some()
        || image.is_some()
}

/// `fieldRef.apiVersion` of each downward API file: `v1`.
fn downward_api_files(items: &mut [DownwardAPIVolumeFile]) {
    for f in items.iter_mut().filter_map(|i| i.field_ref.as_mut()) {
        default_str(&mut f.api_version, "v1");
    }
}

/// `cachingMode` `ReadWrite`, `kind` `Shared`, `fsType` `ext4`, `readOnly` false.
fn azure_disk(s: &mut AzureDiskVolumeSource) {
    default_opt_str(&mut s.caching_mode, "ReadWrite");
    default_opt_str(&mut s.kind, "Shared");
    default_opt_str(&mut s.fs_type, "ext4");
    default_opt(&mut s.read_only, false);
}

/// Defaults of a claim spec (claims, StatefulSet claim templates, ephemeral volumes):
/// - `volumeMode`: `Filesystem`.
/// - `resources`: amounts rounded up to milli-units.
pub(super) fn claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    default_opt_str(&mut spec.volume_mode, "Filesystem");
    round_resource_list(&mut spec.resources.limits);
    round_resource_list(&mut spec.resources.requests);
}

/// PersistentVolume defaults:
/// - `status.phase`: `Pending`.
/// - `spec.persistentVolumeReclaimPolicy`: `Retain`.
/// - `spec.volumeMode`: `Filesystem`.
/// - `spec.capacity`: amounts rounded up to milli-units.
/// - `spec.hostPath.type`: `""`; `spec.iscsi.iscsiInterface`: `default`; `spec.rbd`:
///   pool `rbd`, user `admin`, keyring `/etc/ceph/keyring`; `spec.azureDisk`: as in pod
///   volumes; `spec.scaleIO`: `storageMode` `ThinProvisioned`, `fsType` `xfs`.
impl ApplyDefaults for PersistentVolume {
    fn apply_defaults(&mut self) {
        default_str(&mut self.status.phase, "Pending");
        let spec = &mut self.spec;
        default_str(&mut spec.persistent_volume_reclaim_policy, "Retain");
        default_opt_str(&mut spec.volume_mode, "Filesystem");
        round_resource_list(&mut spec.capacity);
        if let Some(s) = &mut spec.host_path {
            default_opt_str(&mut s.type_, "");
        }
        if let Some(s) = &mut spec.iscsi {
            default_str(&mut s.iscsi_interface, "default");
        }
        if let Some(s) = &mut spec.rbd {
            default_str(&mut s.pool, "rbd");
            default_str(&mut s.user, "admin");
            default_str(&mut s.keyring, "/etc/ceph/keyring");
        }
        if let Some(s) = &mut spec.azure_disk {
            azure_disk(s);
        }
        if let Some(s) = &mut spec.scale_io {
            default_str(&mut s.storage_mode, "ThinProvisioned");
            default_str(&mut s.fs_type, "xfs");
        }
    }
}

/// PersistentVolumeClaim defaults (also applied to StatefulSet `volumeClaimTemplates`):
/// - `status.phase`: `Pending`.
/// - `spec.volumeMode`: `Filesystem`.
/// - `spec.resources`, `status.capacity`, `status.allocatedResources`: amounts rounded up
///   to milli-units.
impl ApplyDefaults for PersistentVolumeClaim {
    fn apply_defaults(&mut self) {
        default_str(&mut self.status.phase, "Pending");
        claim_spec(&mut self.spec);
        round_resource_list(&mut self.status.capacity);
        round_resource_list(&mut self.status.allocated_resources);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core_v1::{HostPathVolumeSource, SecretVolumeSource};
    use serde_json::json;

    fn volume(v: serde_json::Value) -> Volume {
        let mut vol: Volume = serde_json::from_value(v).unwrap();
        pod_volume(&mut vol);
        let once = vol.clone();
        pod_volume(&mut vol);
        assert_eq!(vol, once, "idempotent");
        vol
    }

    #[test]
    fn no_source_becomes_empty_dir() {
        let v = volume(json!({"name": "scratch"}));
        assert_eq!(v.empty_dir, Some(Box::default()));
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            json!({"name": "scratch", "emptyDir": {}})
        );
        // A volume with a source keeps it and gets no empty dir.
        let v = volume(json!({"name": "data", "persistentVolumeClaim": {"claimName": "c"}}));
        assert!(v.empty_dir.is_none());
    }

    #[test]
    fn file_modes_and_sources() {
        let v = volume(json!({"name": "s", "secret": {"secretName": "x"}}));
        assert_eq!(v.secret.as_ref().unwrap().default_mode, Some(420));
        let v = volume(json!({"name": "s", "secret": {"secretName": "x", "defaultMode": 256}}));
        assert_eq!(
            v.secret,
            Some(Box::new(SecretVolumeSource {
                secret_name: "x".into(),
                default_mode: Some(256),
                ..Default::default()
            }))
        );
        let v = volume(json!({"name": "c", "configMap": {"name": "x"}}));
        assert_eq!(v.config_map.unwrap().default_mode, Some(420));
        let v = volume(json!({"name": "d", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}
        ]}}));
        let d = v.downward_api.unwrap();
        assert_eq!(d.default_mode, Some(420));
        assert_eq!(d.items[0].field_ref.as_ref().unwrap().api_version, "v1");
        let v = volume(json!({"name": "p", "projected": {"sources": [
            {"serviceAccountToken": {"path": "token"}},
            {"serviceAccountToken": {"path": "t2", "expirationSeconds": 600}},
            {"downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v2"}}]}}
        ]}}));
        let p = v.projected.unwrap();
        assert_eq!(p.default_mode, Some(420));
        let token = |i: usize| p.sources[i].service_account_token.as_ref().unwrap();
        assert_eq!(token(0).expiration_seconds, Some(3600));
        assert_eq!(token(1).expiration_seconds, Some(600));
        let d = p.sources[2].downward_api.as_ref().unwrap();
        assert_eq!(d.items[0].field_ref.as_ref().unwrap().api_version, "v2");
        let v = volume(json!({"name": "h", "hostPath": {"path": "/var/log"}}));
        assert_eq!(
            v.host_path,
            Some(Box::new(HostPathVolumeSource {
                path: "/var/log".into(),
                type_: Some(String::new())
            }))
        );
        let v = volume(json!({"name": "h", "hostPath": {"path": "/d", "type": "Directory"}}));
        assert_eq!(v.host_path.unwrap().type_.as_deref(), Some("Directory"));
    }

    #[test]
    fn storage_product_sources() {
        let v = volume(
            json!({"name": "i", "iscsi": {"targetPortal": "1.2.3.4", "iqn": "q", "lun": 0}}),
        );
        assert_eq!(v.iscsi.unwrap().iscsi_interface, "default");
        let v =
            volume(json!({"name": "r", "rbd": {"monitors": ["m"], "image": "i", "user": "me"}}));
        let r = v.rbd.unwrap();
        assert_eq!((r.pool.as_str(), r.user.as_str()), ("rbd", "me"));
        assert_eq!(r.keyring, "/etc/ceph/keyring");
        let v = volume(
            json!({"name": "a", "azureDisk": {"diskName": "d", "diskURI": "u", "readOnly": true}}),
        );
        let a = v.azure_disk.unwrap();
        assert_eq!(a.caching_mode.as_deref(), Some("ReadWrite"));
        assert_eq!(a.kind.as_deref(), Some("Shared"));
        assert_eq!(a.fs_type.as_deref(), Some("ext4"));
        assert_eq!(a.read_only, Some(true));
        let v = volume(
            json!({"name": "s", "scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "x"}}}),
        );
        let s = v.scale_io.unwrap();
        assert_eq!(
            (s.storage_mode.as_str(), s.fs_type.as_str()),
            ("ThinProvisioned", "xfs")
        );
        let v = volume(
            json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"]}}}}),
        );
        let t = v.ephemeral.unwrap().volume_claim_template.unwrap();
        assert_eq!(t.spec.volume_mode.as_deref(), Some("Filesystem"));
        let v = volume(json!({"name": "img", "image": {"reference": "quay.io/x/model:v1"}}));
        assert_eq!(v.image.unwrap().pull_policy, "IfNotPresent");
        let v = volume(json!({"name": "img", "image": {"reference": "quay.io/x/model"}}));
        assert_eq!(v.image.unwrap().pull_policy, "Always");
    }

    #[test]
    fn persistent_volume() {
        let mut pv: PersistentVolume = crate::decode::from_json(
            br#"{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv"},
                "spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],
                "hostPath":{"path":"/data"}}}"#,
        )
        .unwrap();
        let before = pv.clone();
        pv.apply_defaults();
        assert_eq!(pv.status.phase, "Pending");
        assert_eq!(pv.spec.persistent_volume_reclaim_policy, "Retain");
        assert_eq!(pv.spec.volume_mode.as_deref(), Some("Filesystem"));
        assert_eq!(
            pv.spec.host_path.as_ref().unwrap().type_.as_deref(),
            Some("")
        );
        assert_eq!(pv.spec.capacity, before.spec.capacity);
        let once = pv.clone();
        pv.apply_defaults();
        assert_eq!(pv, once);

        let mut pv = PersistentVolume::default();
        pv.spec.persistent_volume_reclaim_policy = "Delete".into();
        pv.spec.volume_mode = Some("Block".into());
        pv.status.phase = "Bound".into();
        pv.apply_defaults();
        assert_eq!(pv.spec.persistent_volume_reclaim_policy, "Delete");
        assert_eq!(pv.spec.volume_mode.as_deref(), Some("Block"));
        assert_eq!(pv.status.phase, "Bound");
    }

    #[test]
    fn persistent_volume_claim() {
        let mut pvc: PersistentVolumeClaim = crate::decode::from_json(
            br#"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},
                "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0.0001"}}}}"#,
        )
        .unwrap();
        pvc.apply_defaults();
        assert_eq!(pvc.status.phase, "Pending");
        assert_eq!(pvc.spec.volume_mode.as_deref(), Some("Filesystem"));
        // 0.1 milli-units round up to 1m.
        assert_eq!(pvc.spec.resources.requests["storage"].to_string(), "1m");
        let once = pvc.clone();
        pvc.apply_defaults();
        assert_eq!(pvc, once);
    }
}
