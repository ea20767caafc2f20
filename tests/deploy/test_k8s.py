"""The Kubernetes manifests: both overlays render, every object validates (built-in kinds
with kubernetes-validate --strict for several Kubernetes versions, custom resources
against the CRD schemas shipped in k8s/crds), and the names are the guide's."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.deploy.tools import K8S, MONITORING, OVERLAYS, load_yaml, render, run, wheel_tool

NAMESPACE = "nba-mcp-synthesis"
#: The oldest Kubernetes still common in managed clusters, a middle one, the newest.
KUBERNETES_VERSIONS = ("1.30.0", "1.33.0", "1.37.0")
CRD_FILES = {
    ("monitoring.coreos.com", "ServiceMonitor"): "monitoring.coreos.com_servicemonitors.yaml",
    ("monitoring.coreos.com", "PrometheusRule"): "monitoring.coreos.com_prometheusrules.yaml",
    ("external-secrets.io", "ExternalSecret"): "external-secrets.io_externalsecrets.yaml",
    ("external-secrets.io", "SecretStore"): "external-secrets.io_secretstores.yaml",
}


def by_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def one(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [o for o in by_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} objects"
    return found[0]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    return request.param, render(request.param)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_builtin_objects_validate_strictly(overlay: str, version: str, tmp_path: Path) -> None:
    objects = [o for o in render(overlay) if _group(o) not in {g for g, _ in CRD_FILES}]
    assert len(objects) >= 15
    manifest = tmp_path / "objects.yaml"
    manifest.write_text(yaml.safe_dump_all(objects))
    done = run(wheel_tool("kubernetes-validate"), "--strict", "-k", version, str(manifest))
    assert "INFO" in done.stdout and "ERROR" not in done.stdout, done.stdout


def test_strict_validation_rejects_a_misspelt_field(tmp_path: Path) -> None:
    deployment = one(render("production"), "Deployment", "nba-mcp-synthesis")
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    probe["httpGett"] = probe.pop("httpGet")
    manifest = tmp_path / "broken.yaml"
    manifest.write_text(yaml.safe_dump(deployment))
    done = subprocess.run(
        [wheel_tool("kubernetes-validate"), "--strict", "-k", KUBERNETES_VERSIONS[-1], str(manifest)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "'httpGett' was unexpected" in done.stdout


def test_custom_resources_validate_against_their_crds(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, objects = rendered
    custom = [o for o in objects if (_group(o), o["kind"]) in CRD_FILES]
    kinds = {o["kind"] for o in custom}
    expected = {"ServiceMonitor", "ExternalSecret", "SecretStore"}
    if overlay == "production":
        expected.add("PrometheusRule")
    assert kinds == expected
    for obj in custom:
        _validator(obj).validate(obj)


def test_crd_validation_rejects_an_unknown_field(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, objects = rendered
    monitor = one(objects, "ServiceMonitor", "nba-mcp-synthesis")
    broken = {**monitor, "spec": {**monitor["spec"], "endpoint": monitor["spec"]["endpoints"]}}
    with pytest.raises(jsonschema.ValidationError, match="endpoint"):
        _validator(broken).validate(broken)


def test_names_match_the_operations_guide(rendered: tuple[str, list[dict[str, Any]]]) -> None:
    _, objects = rendered
    namespace = one(objects, "Namespace", NAMESPACE)
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == NAMESPACE, obj["metadata"]["name"]
    deployment = one(objects, "Deployment", "nba-mcp-synthesis")
    assert [c["name"] for c in deployment["spec"]["template"]["spec"]["containers"]] == [
        "nba-mcp-synthesis"
    ]
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "nba-mcp-synthesis"}
    hpa = one(objects, "HorizontalPodAutoscaler", "nba-mcp-synthesis-hpa")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "nba-mcp-synthesis"
    assert {m["resource"]["name"] for m in hpa["spec"]["metrics"]} == {"cpu", "memory"}
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
    secret = one(objects, "ExternalSecret", "nba-mcp-synthesis")
    assert secret["spec"]["target"]["name"] == "nba-mcp-synthesis-secrets"
    assert not by_kind(objects, "PodSecurityPolicy")
    for name in ("backup", "health-check", "prune-request-log"):
        one(objects, "CronJob", f"nba-mcp-synthesis-{name}")
    one(objects, "Job", "nba-mcp-synthesis-migrate")
    one(objects, "PodDisruptionBudget", "nba-mcp-synthesis")
    one(objects, "Ingress", "nba-mcp-synthesis")


def test_ingress_serves_the_public_paths_only_over_tls(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, objects = rendered
    ingress = one(objects, "Ingress", "nba-mcp-synthesis")["spec"]
    (rule,) = ingress["rules"]
    assert ingress["tls"][0]["hosts"] == [rule["host"]]
    paths = {p["path"] for p in rule["http"]["paths"]}
    assert paths == {"/mcp", "/v1", "/openapi.json", "/health"}  # no /metrics, no /ready
    deployment = one(objects, "Deployment", "nba-mcp-synthesis")
    assert "replicas" not in deployment["spec"]  # the HPA's to set


def test_production_autoscales_from_two_to_ten_with_the_guides_secret() -> None:
    objects = render("production")
    hpa = one(objects, "HorizontalPodAutoscaler", "nba-mcp-synthesis-hpa")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)
    secret = one(objects, "ExternalSecret", "nba-mcp-synthesis")
    assert secret["spec"]["dataFrom"] == [{"extract": {"key": "nba-mcp-synthesis/production"}}]
    store = one(objects, "SecretStore", secret["spec"]["secretStoreRef"]["name"])
    assert store["spec"]["provider"]["aws"]["service"] == "SecretsManager"


def test_service_monitor_scrapes_a_port_the_service_has(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, objects = rendered
    service = one(objects, "Service", "nba-mcp-synthesis")
    monitor = one(objects, "ServiceMonitor", "nba-mcp-synthesis")
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    ports = {p["name"] for p in service["spec"]["ports"]}
    assert [e["port"] for e in monitor["spec"]["endpoints"]] == ["http"]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    assert ports == {"http"}
    # ... and the Service's port reaches a port the container declares.
    deployment = one(objects, "Deployment", "nba-mcp-synthesis")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert service["spec"]["ports"][0]["targetPort"] in {p["name"] for p in container["ports"]}
    assert (
        service["spec"]["selector"].items()
        <= deployment["spec"]["template"]["metadata"]["labels"].items()
    )


def test_every_pod_is_restricted_and_read_only(rendered: tuple[str, list[dict[str, Any]]]) -> None:
    _, objects = rendered
    pods = [_pod_spec(o) for o in objects if o["kind"] in {"Deployment", "Job", "CronJob"}]
    assert len(pods) == 5
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        for container in pod.get("initContainers", []) + pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert "memory" in container["resources"]["limits"]


def test_probes_and_termination_match_the_drain_setting(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, objects = rendered
    deployment = one(objects, "Deployment", "nba-mcp-synthesis")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    config = one(objects, "ConfigMap", "nba-mcp-synthesis-config")["data"]
    drain = int(config["NBA_MCP_SHUTDOWN_TIMEOUT_SECONDS"])
    pre_stop = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
    assert pod["terminationGracePeriodSeconds"] > pre_stop + drain
    spread = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
    assert "kubernetes.io/hostname" in spread


def test_network_policies_deny_by_default_and_open_only_what_is_needed(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, objects = rendered
    policies = {p["metadata"]["name"]: p["spec"] for p in by_kind(objects, "NetworkPolicy")}
    deny = policies["default-deny-all"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    allowed_in = policies["nba-mcp-synthesis-ingress"]["ingress"]
    sources = {f["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
               for rule in allowed_in for f in rule["from"]}  # fmt: skip
    assert sources == {"ingress-nginx", "monitoring"}
    out_ports = {p["port"] for rule in policies["nba-mcp-synthesis-egress"]["egress"]
                 for p in rule["ports"]}  # fmt: skip
    assert out_ports == {53, 5432, 6432, 6379, 443}


def test_prometheus_rule_carries_the_rules_of_monitoring() -> None:
    rule = one(render("production"), "PrometheusRule", "nba-mcp-synthesis")
    assert rule["spec"]["groups"] == load_yaml(MONITORING / "rules" / "alerts.yml")["groups"]


def _group(obj: dict[str, Any]) -> str:
    api_version: str = obj["apiVersion"]
    return api_version.split("/")[0] if "/" in api_version else ""


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    return pod


def _validator(obj: dict[str, Any]) -> jsonschema.Draft7Validator:
    """A validator for ``obj``'s CRD schema. The schema is not checked against the
    metaschema: the CRDs write some patterns in Go's regexp syntax (``^(?i)...``)."""
    return jsonschema.Draft7Validator(_crd_schema(obj))


def _crd_schema(obj: dict[str, Any]) -> dict[str, Any]:
    """The served version's openAPIV3Schema, made strict: an unknown field is an error,
    as the API server's strict field validation (kubectl apply's default) makes it."""
    crd = load_yaml(K8S / "crds" / CRD_FILES[(_group(obj), obj["kind"])])
    version = obj["apiVersion"].split("/")[1]
    served = [v for v in crd["spec"]["versions"] if v["name"] == version and v["served"]]
    assert served, f"{obj['apiVersion']} is not served by the shipped CRD"
    schema: dict[str, Any] = served[0]["schema"]["openAPIV3Schema"]
    return _strict(schema)


def _strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {k: _strict(v) for k, v in schema.items()}
    if ("properties" in strict and "additionalProperties" not in strict
            and not strict.get("x-kubernetes-preserve-unknown-fields")):  # fmt: skip
        strict["additionalProperties"] = False
    if strict.get("type") == "object" and "properties" in strict:
        strict["properties"] = {**strict["properties"]}
        if "apiVersion" in strict["properties"]:
            strict["properties"].setdefault("metadata", {"type": "object"})
    return strict
