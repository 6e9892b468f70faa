//! PersistentVolumes and PersistentVolumeClaims (and claim specs embedded in pod
//! volumes and StatefulSets).

use super::common::{
    enum_option, exactly_one, label_selector, optional_name, quantity_non_negative, required,
};
use super::volume::{fc, flocker, host_path, nfs, required_fields};
use super::{FieldError, FieldPath, Validate, ValidationErrors, names, validate_object_meta};
use crate::core_v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec,
};
use crate::resource::Scope;

const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];
const VOLUME_MODES: &[&str] = &["Block", "Filesystem"];

fn access_modes(modes: &[String], path: &FieldPath, errs: &mut ValidationErrors) {
    if modes.is_empty() {
        errs.push(FieldError::required(
            path,
            "at least 1 access mode is required",
        ));
    }
    for (i, m) in modes.iter().enumerate() {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(FieldError::not_supported(&path.index(i), m, ACCESS_MODES));
        }
    }
    if modes.len() > 1 && modes.iter().any(|m| m == "ReadWriteOncePod") {
        errs.push(FieldError::forbidden(
            path,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
}

impl Validate for PersistentVolume {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Cluster,
            names::dns1123_subdomain,
            &mut errs,
        );
        validate_pv_spec(&self.spec, &FieldPath::root("spec"), &mut errs);
        errs.into_result()
    }
}

fn validate_pv_spec(s: &PersistentVolumeSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    let cap = path.child("capacity");
    if s.capacity.is_empty() {
        errs.push(FieldError::required(&cap, ""));
    }
    for (name, q) in &s.capacity {
        if name == "storage" {
            quantity_non_negative(q, &cap.key(name), errs);
        } else {
            errs.push(FieldError::not_supported(&cap, name, &["storage"]));
        }
    }
    access_modes(&s.access_modes, &path.child("accessModes"), errs);
    super::common::enum_optional(
        &s.persistent_volume_reclaim_policy,
        &["Delete", "Recycle", "Retain"],
        &path.child("persistentVolumeReclaimPolicy"),
        errs,
    );
    enum_option(
        s.volume_mode.as_ref(),
        VOLUME_MODES,
        &path.child("volumeMode"),
        errs,
    );
    optional_name(
        &s.storage_class_name,
        names::dns1123_subdomain,
        &path.child("storageClassName"),
        errs,
    );
    if let Some(a) = &s.node_affinity {
        if let Some(sel) = &a.required {
            super::scheduling::node_selector(
                sel,
                &path.child("nodeAffinity").child("required"),
                errs,
            );
        }
    }
    let sources = [
        ("gcePersistentDisk", s.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", s.aws_elastic_block_store.is_some()),
        ("hostPath", s.host_path.is_some()),
        ("glusterfs", s.glusterfs.is_some()),
        ("nfs", s.nfs.is_some()),
        ("rbd", s.rbd.is_some()),
        ("iscsi", s.iscsi.is_some()),
        ("cinder", s.cinder.is_some()),
        ("cephfs", s.cephfs.is_some()),
        ("fc", s.fc.is_some()),
        ("flocker", s.flocker.is_some()),
        ("flexVolume", s.flex_volume.is_some()),
        ("azureFile", s.azure_file.is_some()),
        ("vsphereVolume", s.vsphere_volume.is_some()),
        ("quobyte", s.quobyte.is_some()),
        ("azureDisk", s.azure_disk.is_some()),
        ("photonPersistentDisk", s.photon_persistent_disk.is_some()),
        ("portworxVolume", s.portworx_volume.is_some()),
        ("scaleIO", s.scale_io.is_some()),
        ("local", s.local.is_some()),
        ("storageos", s.storage_os.is_some()),
        ("csi", s.csi.is_some()),
    ];
    exactly_one(&sources, "a volume type", path, errs);
    pv_sources(s, path, errs);
}

fn pv_sources(s: &PersistentVolumeSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(v) = &s.gce_persistent_disk {
        required_fields(
            &[("pdName", &v.pd_name)],
            &path.child("gcePersistentDisk"),
            errs,
        );
    }
    if let Some(v) = &s.aws_elastic_block_store {
        required_fields(
            &[("volumeID", &v.volume_id)],
            &path.child("awsElasticBlockStore"),
            errs,
        );
    }
    if let Some(v) = &s.host_path {
        host_path(v, &path.child("hostPath"), errs);
    }
    if let Some(v) = &s.glusterfs {
        required_fields(
            &[("endpoints", &v.endpoints), ("path", &v.path)],
            &path.child("glusterfs"),
            errs,
        );
    }
    if let Some(v) = &s.nfs {
        nfs(v, &path.child("nfs"), errs);
    }
    if let Some(v) = &s.rbd {
        let p = path.child("rbd");
        if v.monitors.is_empty() {
            errs.push(FieldError::required(&p.child("monitors"), ""));
        }
        required(&v.image, &p.child("image"), errs);
    }
    if let Some(v) = &s.iscsi {
        required_fields(
            &[("targetPortal", &v.target_portal), ("iqn", &v.iqn)],
            &path.child("iscsi"),
            errs,
        );
    }
    if let Some(v) = &s.cinder {
        required(&v.volume_id, &path.child("cinder").child("volumeID"), errs);
    }
    if let Some(v) = &s.cephfs {
        if v.monitors.is_empty() {
            errs.push(FieldError::required(
                &path.child("cephfs").child("monitors"),
                "",
            ));
        }
    }
    if let Some(v) = &s.fc {
        fc(v, &path.child("fc"), errs);
    }
    if let Some(v) = &s.flocker {
        flocker(v, &path.child("flocker"), errs);
    }
    if let Some(v) = &s.flex_volume {
        required(&v.driver, &path.child("flexVolume").child("driver"), errs);
    }
    if let Some(v) = &s.azure_file {
        required_fields(
            &[("secretName", &v.secret_name), ("shareName", &v.share_name)],
            &path.child("azureFile"),
            errs,
        );
    }
    if let Some(v) = &s.vsphere_volume {
        required(
            &v.volume_path,
            &path.child("vsphereVolume").child("volumePath"),
            errs,
        );
    }
    if let Some(v) = &s.quobyte {
        required_fields(
            &[("registry", &v.registry), ("volume", &v.volume)],
            &path.child("quobyte"),
            errs,
        );
    }
    if let Some(v) = &s.azure_disk {
        required_fields(
            &[("diskName", &v.disk_name), ("diskURI", &v.disk_uri)],
            &path.child("azureDisk"),
            errs,
        );
    }
    if let Some(v) = &s.photon_persistent_disk {
        required(
            &v.pd_id,
            &path.child("photonPersistentDisk").child("pdID"),
            errs,
        );
    }
    if let Some(v) = &s.portworx_volume {
        required(
            &v.volume_id,
            &path.child("portworxVolume").child("volumeID"),
            errs,
        );
    }
    if let Some(v) = &s.scale_io {
        let p = path.child("scaleIO");
        required_fields(
            &[
                ("gateway", &v.gateway),
                ("system", &v.system),
                ("volumeName", &v.volume_name),
            ],
            &p,
            errs,
        );
        if v.secret_ref.is_none() {
            errs.push(FieldError::required(&p.child("secretRef"), ""));
        }
    }
    if let Some(v) = &s.local {
        let p = path.child("local").child("path");
        if required(&v.path, &p, errs) && !v.path.starts_with('/') {
            errs.push(FieldError::invalid(&p, &v.path, "must be an absolute path"));
        }
        if s.node_affinity
            .as_ref()
            .is_none_or(|a| a.required.is_none())
        {
            errs.push(FieldError::required(
                &path.child("nodeAffinity"),
                "local volumes require node affinity",
            ));
        }
    }
    if let Some(v) = &s.storage_os {
        required(
            &v.volume_name,
            &path.child("storageos").child("volumeName"),
            errs,
        );
    }
    if let Some(v) = &s.csi {
        let p = path.child("csi");
        required_fields(
            &[("driver", &v.driver), ("volumeHandle", &v.volume_handle)],
            &p,
            errs,
        );
    }
}

impl Validate for PersistentVolumeClaim {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        validate_pvc_spec(&self.spec, &FieldPath::root("spec"), &mut errs);
        errs.into_result()
    }
}

/// Checks a claim spec: access modes, a positive storage request, selector, class,
/// volume mode and data sources.
pub(super) fn validate_pvc_spec(
    s: &PersistentVolumeClaimSpec,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    access_modes(&s.access_modes, &path.child("accessModes"), errs);
    if let Some(sel) = &s.selector {
        label_selector(sel, &path.child("selector"), errs);
    }
    let storage = path.child("resources").child("requests").key("storage");
    match s.resources.requests.get("storage") {
        None => errs.push(FieldError::required(&storage, "")),
        Some(q) if q.nanos() <= 0 => errs.push(FieldError::invalid(
            &storage,
            q,
            "must be greater than zero",
        )),
        Some(_) => {}
    }
    for (field, list) in [
        ("requests", &s.resources.requests),
        ("limits", &s.resources.limits),
    ] {
        for (name, q) in list {
            quantity_non_negative(q, &path.child("resources").child(field).key(name), errs);
        }
    }
    if let Some(c) = &s.storage_class_name {
        optional_name(
            c,
            names::dns1123_subdomain,
            &path.child("storageClassName"),
            errs,
        );
    }
    enum_option(
        s.volume_mode.as_ref(),
        VOLUME_MODES,
        &path.child("volumeMode"),
        errs,
    );
    if let Some(d) = &s.data_source {
        data_source(
            d.api_group.as_deref(),
            &d.kind,
            &d.name,
            &path.child("dataSource"),
            errs,
        );
    }
    if let Some(d) = &s.data_source_ref {
        data_source(
            d.api_group.as_deref(),
            &d.kind,
            &d.name,
            &path.child("dataSourceRef"),
            errs,
        );
    }
}

fn data_source(
    group: Option<&str>,
    kind: &str,
    name: &str,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    required(name, &path.child("name"), errs);
    let kp = path.child("kind");
    if required(kind, &kp, errs)
        && group.unwrap_or("").is_empty()
        && kind != "PersistentVolumeClaim"
    {
        errs.push(FieldError::invalid(
            &kp,
            kind,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
