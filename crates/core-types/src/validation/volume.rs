//! Pod volumes: names, exactly one source per volume, and each source's own fields.
//! The source checks shared with PersistentVolumes live here too.

use std::collections::{BTreeMap, BTreeSet};

use super::common::{
    enum_option, exactly_one, file_mode, label_selector, local_descending_path,
    quantity_non_negative, required, required_name,
};
use super::container::{VOLUME_FIELD_PATHS, validate_field_ref, validate_resource_field_ref};
use super::{FieldError, FieldPath, ValidationErrors, names};
use crate::core_v1::{
    DownwardAPIVolumeFile, FCVolumeSource, FlockerVolumeSource, HostPathVolumeSource, KeyToPath,
    NFSVolumeSource, Volume, VolumeProjection,
};

/// Pushes `Required` for each empty `(field, value)`.
pub(super) fn required_fields(
    fields: &[(&str, &str)],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    for (name, value) in fields {
        required(value, &path.child(name), errs);
    }
}

const HOST_PATH_TYPES: &[&str] = &[
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
];

pub(super) fn host_path(s: &HostPathVolumeSource, path: &FieldPath, errs: &mut ValidationErrors) {
    required(&s.path, &path.child("path"), errs);
    enum_option(s.type_.as_ref(), HOST_PATH_TYPES, &path.child("type"), errs);
}

pub(super) fn nfs(s: &NFSVolumeSource, path: &FieldPath, errs: &mut ValidationErrors) {
    required(&s.server, &path.child("server"), errs);
    let p = path.child("path");
    if required(&s.path, &p, errs) && !s.path.starts_with('/') {
        errs.push(FieldError::invalid(&p, &s.path, "must be an absolute path"));
    }
}

pub(super) fn fc(s: &FCVolumeSource, path: &FieldPath, errs: &mut ValidationErrors) {
    if s.target_wwns.is_empty() && s.wwids.is_empty() {
        errs.push(FieldError::required(
            &path.child("targetWWNs"),
            "must specify either targetWWNs or wwids, but not both",
        ));
    }
    if !s.target_wwns.is_empty() && !s.wwids.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("targetWWNs"),
            s.target_wwns.join(","),
            "targetWWNs and wwids can not be specified simultaneously",
        ));
    }
    if !s.target_wwns.is_empty() {
        match s.lun {
            None => errs.push(FieldError::required(
                &path.child("lun"),
                "lun is required if targetWWNs is specified",
            )),
            Some(l) if !(0..=255).contains(&l) => {
                errs.push(FieldError::invalid(
                    &path.child("lun"),
                    l,
                    "must be between 0 and 255, inclusive",
                ));
            }
            Some(_) => {}
        }
    }
}

pub(super) fn flocker(s: &FlockerVolumeSource, path: &FieldPath, errs: &mut ValidationErrors) {
    match (s.dataset_name.is_empty(), s.dataset_uuid.is_empty()) {
        (true, true) => errs.push(FieldError::required(
            path,
            "one of `datasetName` and `datasetUUID` is required",
        )),
        (false, false) => errs.push(FieldError::invalid(
            path,
            "",
            "`datasetName` and `datasetUUID` may not both be set",
        )),
        _ => {}
    }
}

/// Checks a pod's volumes; returns their names, with true for claim-backed volumes.
pub(super) fn validate_volumes<'a>(
    volumes: &'a [Volume],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) -> BTreeMap<&'a str, bool> {
    let mut out = BTreeMap::new();
    for (i, v) in volumes.iter().enumerate() {
        let p = path.index(i);
        let name = p.child("name");
        if required(&v.name, &name, errs) {
            errs.invalid_all(&name, &v.name, names::dns1123_label(&v.name));
            let claim = v.persistent_volume_claim.is_some() || v.ephemeral.is_some();
            if out.insert(v.name.as_str(), claim).is_some() {
                errs.push(FieldError::duplicate(&name, &v.name));
            }
        }
        validate_volume_source(v, &p, errs);
    }
    out
}

fn validate_volume_source(v: &Volume, path: &FieldPath, errs: &mut ValidationErrors) {
    let sources = [
        ("hostPath", v.host_path.is_some()),
        ("emptyDir", v.empty_dir.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("secret", v.secret.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("rbd", v.rbd.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephfs", v.cephfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("downwardAPI", v.downward_api.is_some()),
        ("fc", v.fc.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("configMap", v.config_map.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("quobyte", v.quobyte.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("projected", v.projected.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("storageos", v.storage_os.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ];
    exactly_one(&sources, "a volume type", path, errs);
    if let Some(s) = &v.host_path {
        host_path(s, &path.child("hostPath"), errs);
    }
    if let Some(s) = &v.empty_dir {
        let p = path.child("emptyDir");
        let medium_ok = matches!(s.medium.as_str(), "" | "Memory" | "HugePages")
            || s.medium.starts_with("HugePages-");
        if !medium_ok {
            errs.push(FieldError::not_supported(
                &p.child("medium"),
                &s.medium,
                &["", "Memory", "HugePages"],
            ));
        }
        if let Some(q) = &s.size_limit {
            quantity_non_negative(q, &p.child("sizeLimit"), errs);
        }
    }
    if let Some(s) = &v.gce_persistent_disk {
        required_fields(
            &[("pdName", &s.pd_name)],
            &path.child("gcePersistentDisk"),
            errs,
        );
    }
    if let Some(s) = &v.aws_elastic_block_store {
        required_fields(
            &[("volumeID", &s.volume_id)],
            &path.child("awsElasticBlockStore"),
            errs,
        );
    }
    if let Some(s) = &v.git_repo {
        let p = path.child("gitRepo");
        required(&s.repository, &p.child("repository"), errs);
        if s.directory.split('/').any(|part| part == "..") {
            errs.push(FieldError::invalid(
                &p.child("directory"),
                &s.directory,
                "must not contain '..'",
            ));
        }
    }
    if let Some(s) = &v.secret {
        let p = path.child("secret");
        required_name(
            &s.secret_name,
            names::dns1123_subdomain,
            &p.child("secretName"),
            errs,
        );
        file_mode(s.default_mode, &p.child("defaultMode"), errs);
        key_to_paths(&s.items, &p.child("items"), errs);
    }
    if let Some(s) = &v.nfs {
        nfs(s, &path.child("nfs"), errs);
    }
    if let Some(s) = &v.iscsi {
        let p = path.child("iscsi");
        required_fields(
            &[("targetPortal", &s.target_portal), ("iqn", &s.iqn)],
            &p,
            errs,
        );
    }
    if let Some(s) = &v.glusterfs {
        required_fields(
            &[("endpoints", &s.endpoints), ("path", &s.path)],
            &path.child("glusterfs"),
            errs,
        );
    }
    if let Some(s) = &v.persistent_volume_claim {
        required(
            &s.claim_name,
            &path.child("persistentVolumeClaim").child("claimName"),
            errs,
        );
    }
    if let Some(s) = &v.rbd {
        let p = path.child("rbd");
        if s.monitors.is_empty() {
            errs.push(FieldError::required(&p.child("monitors"), ""));
        }
        required(&s.image, &p.child("image"), errs);
    }
    if let Some(s) = &v.flex_volume {
        required(&s.driver, &path.child("flexVolume").child("driver"), errs);
    }
    if let Some(s) = &v.cinder {
        required(&s.volume_id, &path.child("cinder").child("volumeID"), errs);
    }
    if let Some(s) = &v.cephfs {
        if s.monitors.is_empty() {
            errs.push(FieldError::required(
                &path.child("cephfs").child("monitors"),
                "",
            ));
        }
    }
    if let Some(s) = &v.flocker {
        flocker(s, &path.child("flocker"), errs);
    }
    if let Some(s) = &v.downward_api {
        let p = path.child("downwardAPI");
        file_mode(s.default_mode, &p.child("defaultMode"), errs);
        downward_api_files(&s.items, &p.child("items"), errs);
    }
    if let Some(s) = &v.fc {
        fc(s, &path.child("fc"), errs);
    }
    if let Some(s) = &v.azure_file {
        let p = path.child("azureFile");
        required_fields(
            &[("secretName", &s.secret_name), ("shareName", &s.share_name)],
            &p,
            errs,
        );
    }
    if let Some(s) = &v.config_map {
        let p = path.child("configMap");
        required_name(&s.name, names::dns1123_subdomain, &p.child("name"), errs);
        file_mode(s.default_mode, &p.child("defaultMode"), errs);
        key_to_paths(&s.items, &p.child("items"), errs);
    }
    if let Some(s) = &v.vsphere_volume {
        required(
            &s.volume_path,
            &path.child("vsphereVolume").child("volumePath"),
            errs,
        );
    }
    if let Some(s) = &v.quobyte {
        required_fields(
            &[("registry", &s.registry), ("volume", &s.volume)],
            &path.child("quobyte"),
            errs,
        );
    }
    if let Some(s) = &v.azure_disk {
        required_fields(
            &[("diskName", &s.disk_name), ("diskURI", &s.disk_uri)],
            &path.child("azureDisk"),
            errs,
        );
    }
    if let Some(s) = &v.photon_persistent_disk {
        required(
            &s.pd_id,
            &path.child("photonPersistentDisk").child("pdID"),
            errs,
        );
    }
    if let Some(s) = &v.projected {
        let p = path.child("projected");
        file_mode(s.default_mode, &p.child("defaultMode"), errs);
        projections(&s.sources, &p.child("sources"), errs);
    }
    if let Some(s) = &v.portworx_volume {
        required(
            &s.volume_id,
            &path.child("portworxVolume").child("volumeID"),
            errs,
        );
    }
    if let Some(s) = &v.scale_io {
        let p = path.child("scaleIO");
        required_fields(
            &[
                ("gateway", &s.gateway),
                ("system", &s.system),
                ("volumeName", &s.volume_name),
            ],
            &p,
            errs,
        );
        if s.secret_ref.is_none() {
            errs.push(FieldError::required(&p.child("secretRef"), ""));
        }
    }
    if let Some(s) = &v.storage_os {
        required(
            &s.volume_name,
            &path.child("storageos").child("volumeName"),
            errs,
        );
    }
    if let Some(s) = &v.csi {
        required(&s.driver, &path.child("csi").child("driver"), errs);
    }
    if let Some(s) = &v.ephemeral {
        let p = path.child("ephemeral").child("volumeClaimTemplate");
        match &s.volume_claim_template {
            None => errs.push(FieldError::required(&p, "")),
            Some(t) => {
                let meta = p.child("metadata");
                for (field, value) in [
                    ("name", &t.metadata.name),
                    ("namespace", &t.metadata.namespace),
                    ("generateName", &t.metadata.generate_name),
                ] {
                    if !value.is_empty() {
                        errs.push(FieldError::forbidden(
                            &meta.child(field),
                            "may not be set in a volume claim template",
                        ));
                    }
                }
                super::validate_labels(&t.metadata.labels, &meta.child("labels"), errs);
                super::storage::validate_pvc_spec(&t.spec, &p.child("spec"), errs);
            }
        }
    }
    if let Some(s) = &v.image {
        let p = path.child("image");
        required(&s.reference, &p.child("reference"), errs);
        super::common::enum_optional(
            &s.pull_policy,
            super::container::PULL_POLICIES,
            &p.child("pullPolicy"),
            errs,
        );
    }
}

fn key_to_paths(items: &[KeyToPath], path: &FieldPath, errs: &mut ValidationErrors) {
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        required(&item.key, &p.child("key"), errs);
        let ip = p.child("path");
        if required(&item.path, &ip, errs) {
            local_descending_path(&item.path, &ip, errs);
        }
        file_mode(item.mode, &p.child("mode"), errs);
    }
}

fn downward_api_files(
    items: &[DownwardAPIVolumeFile],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        let ip = p.child("path");
        if required(&item.path, &ip, errs) {
            local_descending_path(&item.path, &ip, errs);
        }
        file_mode(item.mode, &p.child("mode"), errs);
        let refs = [
            ("fieldRef", item.field_ref.is_some()),
            ("resourceFieldRef", item.resource_field_ref.is_some()),
        ];
        exactly_one(&refs, "one of `fieldRef` or `resourceFieldRef`", &p, errs);
        if let Some(f) = &item.field_ref {
            validate_field_ref(f, VOLUME_FIELD_PATHS, &p.child("fieldRef"), errs);
        }
        if let Some(r) = &item.resource_field_ref {
            validate_resource_field_ref(r, true, &p.child("resourceFieldRef"), errs);
        }
    }
}

/// Shortest lifetime a projected service account token may ask for (10 minutes).
const MIN_TOKEN_SECONDS: i64 = 600;
/// Longest lifetime a projected service account token may ask for (2^32 seconds).
const MAX_TOKEN_SECONDS: i64 = 1 << 32;

fn projections(sources: &[VolumeProjection], path: &FieldPath, errs: &mut ValidationErrors) {
    let mut paths = BTreeSet::new();
    let mut claim_path = |p: &str, at: &FieldPath, errs: &mut ValidationErrors| {
        if !p.is_empty() && !paths.insert(p.to_owned()) {
            errs.push(FieldError::invalid(at, p, "conflicting duplicate paths"));
        }
    };
    for (i, s) in sources.iter().enumerate() {
        let p = path.index(i);
        let kinds = [
            ("secret", s.secret.is_some()),
            ("downwardAPI", s.downward_api.is_some()),
            ("configMap", s.config_map.is_some()),
            ("serviceAccountToken", s.service_account_token.is_some()),
            ("clusterTrustBundle", s.cluster_trust_bundle.is_some()),
        ];
        exactly_one(&kinds, "a projection type", &p, errs);
        if let Some(x) = &s.secret {
            let sp = p.child("secret");
            key_to_paths(&x.items, &sp.child("items"), errs);
            for (j, item) in x.items.iter().enumerate() {
                claim_path(&item.path, &sp.child("items").index(j).child("path"), errs);
            }
        }
        if let Some(x) = &s.config_map {
            let cp = p.child("configMap");
            key_to_paths(&x.items, &cp.child("items"), errs);
            for (j, item) in x.items.iter().enumerate() {
                claim_path(&item.path, &cp.child("items").index(j).child("path"), errs);
            }
        }
        if let Some(x) = &s.downward_api {
            let dp = p.child("downwardAPI");
            downward_api_files(&x.items, &dp.child("items"), errs);
            for (j, item) in x.items.iter().enumerate() {
                claim_path(&item.path, &dp.child("items").index(j).child("path"), errs);
            }
        }
        if let Some(x) = &s.service_account_token {
            let tp = p.child("serviceAccountToken");
            let pp = tp.child("path");
            if required(&x.path, &pp, errs) {
                local_descending_path(&x.path, &pp, errs);
                claim_path(&x.path, &pp, errs);
            }
            if let Some(secs) = x.expiration_seconds {
                let ep = tp.child("expirationSeconds");
                if secs < MIN_TOKEN_SECONDS {
                    errs.push(FieldError::invalid(
                        &ep,
                        secs,
                        "may not specify a duration less than 10 minutes",
                    ));
                } else if secs > MAX_TOKEN_SECONDS {
                    errs.push(FieldError::invalid(
                        &ep,
                        secs,
                        "may not specify a duration larger than 2^32 seconds",
                    ));
                }
            }
        }
        if let Some(x) = &s.cluster_trust_bundle {
            let bp = p.child("clusterTrustBundle");
            let pp = bp.child("path");
            if required(&x.path, &pp, errs) {
                local_descending_path(&x.path, &pp, errs);
                claim_path(&x.path, &pp, errs);
            }
            if x.name.is_some() == x.signer_name.is_some() {
                errs.push(FieldError::required(
                    &bp,
                    "exactly one of `name` or `signerName` must be set",
                ));
            }
            if let Some(sel) = &x.label_selector {
                label_selector(sel, &bp.child("labelSelector"), errs);
            }
        }
    }
}
