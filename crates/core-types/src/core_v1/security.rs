//! v1: security settings of pods and containers: `PodSecurityContext`,
//! `SecurityContext` and their parts.

use serde::{Deserialize, Serialize};

/// Security settings of a whole pod; a container's [`SecurityContext`] overrides the
/// fields both have.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSecurityContext {
    /// SELinux labels for every container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<SELinuxOptions>,
    /// Windows-only settings for every container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows_options: Option<WindowsSecurityContextOptions>,
    /// User id the container processes run as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// Primary group id the container processes run as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// Refuse to start a container whose user would be root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    /// Extra group ids given to the first process of each container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub supplemental_groups: Vec<i64>,
    /// `Merge` (default: add the image's groups) or `Strict` (only the listed ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplemental_groups_policy: Option<String>,
    /// Group that owns supporting volumes, added to every container's groups.
    #[serde(default, rename = "fsGroup", skip_serializing_if = "Option::is_none")]
    pub fs_group: Option<i64>,
    /// Namespaced kernel parameters set for the pod.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub sysctls: Vec<Sysctl>,
    /// `OnRootMismatch` or `Always` (default): when volume ownership is changed to `fsGroup`.
    #[serde(
        default,
        rename = "fsGroupChangePolicy",
        skip_serializing_if = "Option::is_none"
    )]
    pub fs_group_change_policy: Option<String>,
    /// Seccomp profile for every container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    /// AppArmor profile for every container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<AppArmorProfile>,
    /// `Recursive` or `MountOption`: how the SELinux label is applied to volumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se_linux_change_policy: Option<String>,
}

/// Security settings of one container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    /// Linux capabilities added to or dropped from the runtime's default set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Capabilities>,
    /// Run privileged (essentially root on the host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    /// SELinux labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<SELinuxOptions>,
    /// Windows-only settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows_options: Option<WindowsSecurityContextOptions>,
    /// User id the process runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// Primary group id the process runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// Refuse to start if the user would be root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    /// Mount the root filesystem read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem: Option<bool>,
    /// Whether the process may gain more privileges than its parent (`no_new_privs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_privilege_escalation: Option<bool>,
    /// `Default` or `Unmasked` `/proc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_mount: Option<String>,
    /// Seccomp profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    /// AppArmor profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<AppArmorProfile>,
}

/// Linux capabilities to add and drop (`NET_ADMIN`, `ALL`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Capabilities added.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub add: Vec<String>,
    /// Capabilities removed.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub drop: Vec<String>,
}

/// SELinux label parts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SELinuxOptions {
    /// SELinux user.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// SELinux role.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// SELinux type.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// SELinux level.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub level: String,
}

/// Windows-specific container settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowsSecurityContextOptions {
    /// Name of the GMSA credential spec to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gmsa_credential_spec_name: Option<String>,
    /// Contents of that credential spec (filled in by a webhook).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gmsa_credential_spec: Option<String>,
    /// Windows user name the entrypoint runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user_name: Option<String>,
    /// Run as a host process container (requires host networking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_process: Option<bool>,
}

/// A seccomp profile choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeccompProfile {
    /// `RuntimeDefault`, `Unconfined` or `Localhost`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// Profile file on the node, relative to the kubelet's seccomp directory
    /// (only with `Localhost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

/// An AppArmor profile choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppArmorProfile {
    /// `RuntimeDefault`, `Unconfined` or `Localhost`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// Name of a profile loaded on the node (only with `Localhost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

/// A kernel parameter (`net.core.somaxconn`) and its value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sysctl {
    /// Parameter name.
    #[serde(default)]
    pub name: String,
    /// Value to set.
    #[serde(default)]
    pub value: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn security_context_names() {
        let p: PodSecurityContext = serde_json::from_value(serde_json::json!({
            "runAsUser": 1000, "fsGroup": 2000, "fsGroupChangePolicy": "OnRootMismatch",
            "seLinuxOptions": {"type": "spc_t"},
            "seccompProfile": {"type": "RuntimeDefault"},
            "sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]
        }))
        .unwrap();
        assert_eq!(p.fs_group, Some(2000));
        assert_eq!(p.se_linux_options.as_ref().unwrap().type_, "spc_t");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["fsGroup"], 2000);
        assert_eq!(v["fsGroupChangePolicy"], "OnRootMismatch");
        assert_eq!(v["seLinuxOptions"], serde_json::json!({"type": "spc_t"}));

        let c: SecurityContext = serde_json::from_value(serde_json::json!({
            "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
            "privileged": false, "allowPrivilegeEscalation": false,
            "appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-nginx"}
        }))
        .unwrap();
        assert_eq!(c.privileged, Some(false));
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["privileged"], false);
        assert_eq!(v["appArmorProfile"]["localhostProfile"], "k8s-nginx");
        assert!(serde_json::from_str::<SecurityContext>(r#"{"runAsUser":"root"}"#).is_err());
    }
}
