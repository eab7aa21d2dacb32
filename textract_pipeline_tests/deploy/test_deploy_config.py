"""The deployment files are valid for the tools that read them, and agree with each other.

- deploy/dagster.yaml and deploy/dagster-ecs.yaml pass Dagster's own instance-config
  validation, and each configurable class (storage, coordinator, launcher, compute logs)
  accepts its config block;
- the Helm values, the compose file and the workspace mirror those settings;
- the CloudFormation template lints clean with cfn-lint and keeps the security
  properties the design asks for (TLS only, no public access, no wildcard actions).
"""

from __future__ import annotations

import importlib
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster._config import validate_config
from dagster._core.instance.config import dagster_instance_config
from dagster._core.workspace.config_schema import process_workspace_config

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTANCE_FILES = [DEPLOY / "dagster.yaml", DEPLOY / "dagster-ecs.yaml"]
TEMPLATE = DEPLOY / "aws" / "template.yaml"
MODULE = "textract_pipeline.definitions"

# Sections allowed to differ between the single-host and the ECS instance.
LAUNCHER_SPECIFIC = {"run_launcher", "compute_logs"}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def instance_config(path: Path, tmp_path: Path) -> dict[str, Any]:
    """Validate the file exactly the way DagsterInstance.get() does."""
    home = tmp_path / path.stem
    home.mkdir()
    shutil.copy(path, home / "dagster.yaml")
    config, custom_class = dagster_instance_config(str(home))
    assert custom_class is None
    return dict(config)


def env_names(node: Any) -> set[str]:
    """Every `{env: NAME}` reference in a Dagster config tree."""
    if isinstance(node, dict):
        if set(node) == {"env"}:
            return {node["env"]}
        return set().union(*(env_names(value) for value in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(env_names(value) for value in node)) if node else set()
    return set()


def assert_class_accepts_config(block: dict[str, Any]) -> None:
    module = importlib.import_module(block["module"])
    klass = getattr(module, block["class"])
    result = validate_config(klass.config_type(), block.get("config") or {})
    assert result.success, [error.message for error in result.errors]


@pytest.mark.parametrize("path", INSTANCE_FILES, ids=lambda p: p.name)
def test_instance_yaml_passes_dagster_validation(path: Path, tmp_path: Path) -> None:
    config = instance_config(path, tmp_path)
    for section in ("run_coordinator", "run_launcher", "compute_logs"):
        if section in config:
            assert_class_accepts_config(config[section])

    # Postgres for runs, event log and schedules, every connection setting from the env.
    postgres = config["storage"]["postgres"]["postgres_db"]
    assert env_names(postgres) == {
        "DAGSTER_PG_HOST",
        "DAGSTER_PG_PORT",
        "DAGSTER_PG_USER",
        "DAGSTER_PG_PASSWORD",
        "DAGSTER_PG_DB",
    }
    # The driver that dagster-postgres installs, named explicitly (SQLAlchemy 2.1
    # resolves a bare postgresql:// to psycopg 3).
    assert postgres["scheme"] == "postgresql+psycopg2"
    importlib.import_module("psycopg2")

    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["concurrency"]["runs"]["max_concurrent_runs"] > 0
    pools = config["concurrency"]["pools"]
    assert pools["granularity"] == "op" and pools["default_limit"] >= 1
    assert config["run_retries"]["enabled"] and config["run_retries"]["max_retries"] >= 1
    assert config["sensors"]["use_threads"] and config["sensors"]["num_workers"] >= 2
    assert config["telemetry"]["enabled"] is False
    assert config["run_monitoring"]["enabled"] is True


def test_instance_variants_differ_only_in_launcher(tmp_path: Path) -> None:
    default, ecs = (instance_config(path, tmp_path) for path in INSTANCE_FILES)
    assert default["run_launcher"]["class"] == "DefaultRunLauncher"
    assert ecs["run_launcher"]["class"] == "EcsRunLauncher"
    assert ecs["compute_logs"]["class"] == "S3ComputeLogManager"

    def shared(config: dict[str, Any]) -> dict[str, Any]:
        rest = {key: value for key, value in config.items() if key not in LAUNCHER_SPECIFIC}
        # The run limit is sized to the launcher (host processes vs Fargate tasks).
        rest["concurrency"] = {**rest["concurrency"], "runs": None}
        return rest

    assert shared(default) == shared(ecs)
    assert ecs["concurrency"]["runs"]["max_concurrent_runs"] >= default["concurrency"]["runs"]["max_concurrent_runs"]


def test_ecs_launcher_matches_the_stack() -> None:
    """Names the ECS instance relies on are the ones the template creates."""
    launcher = load_yaml(DEPLOY / "dagster-ecs.yaml")["run_launcher"]["config"]
    template = load_yaml_cfn(TEMPLATE)
    parameters = template["Parameters"]
    assert launcher["task_definition_prefix"] == parameters["RunTaskDefinitionPrefix"]["Default"]
    # Secrets by explicit ARN only: tag lookup would need secretsmanager:ListSecrets on "*".
    assert launcher["secrets_tag"] is None
    outputs = template["Outputs"]
    for env_var, output in [
        ("DAGSTER_RUN_TASK_ROLE_ARN", "RunTaskRoleArn"),
        ("DAGSTER_RUN_EXECUTION_ROLE_ARN", "TaskExecutionRoleArn"),
        ("DAGSTER_RUN_LOG_GROUP", "RunLogGroupName"),
    ]:
        assert outputs[output]["Description"] == env_var
    assert env_var_names_in(DEPLOY / "dagster-ecs.yaml") >= {
        "DAGSTER_RUN_TASK_ROLE_ARN",
        "DAGSTER_RUN_EXECUTION_ROLE_ARN",
    }
    # Run tasks get the pipeline settings the daemon has.
    assert {"TEXTRACT_PIPELINE_PROFILE", "TEXTRACT_PIPELINE_BUCKET"} <= set(launcher["env_vars"])


def env_var_names_in(path: Path) -> set[str]:
    return set(re.findall(r"\b((?:TEXTRACT_PIPELINE|DAGSTER)_[A-Z0-9_]+)\b", path.read_text()))


DEPLOY_FILES = [
    DEPLOY / "dagster-ecs.yaml",
    DEPLOY / "helm" / "values.yaml",
    DEPLOY / "docker" / "docker-compose.yml",
    DEPLOY / "docker" / ".env.example",
    DEPLOY / "aws" / "template.yaml",
]


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda p: p.name)
def test_pipeline_settings_named_in_deploy_files_exist(path: Path) -> None:
    """A misspelt TEXTRACT_PIPELINE_* variable would be ignored silently by Settings."""
    from textract_pipeline.settings import ENV_PREFIX, Settings

    known = {ENV_PREFIX + field.upper() for field in Settings.model_fields}
    named = {name for name in env_var_names_in(path) if name.startswith(ENV_PREFIX)}
    assert named - known == set()


def test_helm_values_mirror_the_instance(tmp_path: Path) -> None:
    values = load_yaml(DEPLOY / "helm" / "values.yaml")
    instance = instance_config(DEPLOY / "dagster.yaml", tmp_path)

    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    daemon = values["dagsterDaemon"]
    assert daemon["runCoordinator"]["enabled"] and daemon["runCoordinator"]["type"] == "QueuedRunCoordinator"
    assert values["concurrency"]["enabled"] is True
    helm_pools = values["concurrency"]["pools"]
    pools = instance["concurrency"]["pools"]
    assert (helm_pools["granularity"], helm_pools["defaultLimit"], helm_pools["opGranularityRunBuffer"]) == (
        pools["granularity"],
        pools["default_limit"],
        pools["op_granularity_run_buffer"],
    )
    retries = instance["run_retries"]
    assert daemon["runRetries"] == {
        "enabled": retries["enabled"],
        "maxRetries": retries["max_retries"],
        "retryOnAssetOrOpFailure": retries["retry_on_asset_or_op_failure"],
    }
    assert daemon["sensors"]["useThreads"] is True
    assert daemon["sensors"]["numWorkers"] == instance["sensors"]["num_workers"]
    assert daemon["runMonitoring"]["enabled"] is True
    assert values["telemetry"]["enabled"] is False
    # The chart's bundled Postgres is for demos; production points at an external one.
    assert values["postgresql"]["enabled"] is False
    assert values["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"
    assert values["generatePostgresqlPasswordSecret"] is False

    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["codeServerArgs"] == ["-m", MODULE]
    assert deployment["includeConfigInLaunchedRuns"]["enabled"] is True
    assert deployment["env"]["TEXTRACT_PIPELINE_PROFILE"] == "aws"


def test_code_location_module_is_the_projects() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert pyproject["tool"]["dagster"]["module_name"] == MODULE


def test_compose_runs_the_four_services() -> None:
    compose = load_yaml(DEPLOY / "docker" / "docker-compose.yml")
    services = compose["services"]
    assert {"postgres", "code-server", "webserver", "daemon"} <= set(services)

    code_server = services["code-server"]
    assert code_server["command"] == [
        "dagster", "code-server", "start", "-m", MODULE, "-h", "0.0.0.0", "-p", "4000",
        "--location-name", "textract_pipeline",
    ]  # fmt: skip
    assert (
        REPO / "deploy" / "docker" / code_server["build"]["context"] / code_server["build"]["dockerfile"]
    ).resolve() == (DEPLOY / "docker" / "Dockerfile")
    workspace_in_image = "/opt/dagster/dagster_home/workspace.yaml"
    assert services["webserver"]["command"][0] == "dagster-webserver"
    assert services["webserver"]["command"][-2:] == ["-w", workspace_in_image]
    assert services["daemon"]["command"] == ["dagster-daemon", "run", "-w", workspace_in_image]
    # Nothing Dagster starts before the pool limits exist and the code server answers.
    assert services["code-server"]["depends_on"]["dagster-init"]["condition"] == "service_completed_successfully"
    for name in ("webserver", "daemon"):
        assert services[name]["depends_on"]["code-server"]["condition"] == "service_healthy"

    # Every variable the instance and the workspace read is set for the Dagster services.
    needed = env_names(load_yaml(DEPLOY / "dagster.yaml")) | env_names(load_yaml(DEPLOY / "docker" / "workspace.yaml"))
    for name in ("code-server", "webserver", "daemon", "dagster-init"):
        assert needed <= set(services[name]["environment"]), (name, needed - set(services[name]["environment"]))
        assert services[name]["environment"]["DAGSTER_HOME"] == "/opt/dagster/dagster_home"
    # The password is never written into the file.
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${DAGSTER_PG_PASSWORD:?")


def test_workspace_points_at_the_code_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_CODE_SERVER_HOST", "code-server")
    monkeypatch.setenv("DAGSTER_CODE_SERVER_PORT", "4000")
    result = process_workspace_config(load_yaml(DEPLOY / "docker" / "workspace.yaml"))
    assert result.success, [error.message for error in result.errors]
    (location,) = result.value["load_from"]
    assert location["grpc_server"] == {"host": "code-server", "port": 4000, "location_name": "textract_pipeline"}


def test_dockerfile_builds_from_wheels_only() -> None:
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    # tesserocr's manylinux wheel bundles libtesseract; no system OCR packages.
    assert "apt-get" not in dockerfile and "tesseract-ocr" not in dockerfile
    assert "--only-binary=:all:" in dockerfile
    # Every COPY source exists and is let through the build-context filter.
    ignore = (DEPLOY / "docker" / "Dockerfile.dockerignore").read_text().split()
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for line in dockerfile.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            *sources, _destination = [part for part in line.split()[1:] if not part.startswith("--")]
            for source in sources:
                assert (REPO / source).exists(), source
                assert source.rstrip("/") in allowed, source


# ---------------------------------------------------------------------------- AWS template


class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !Sub, ...) as {"Fn::X": value}."""


def _cfn_tag(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_yaml_cfn(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(), Loader=CfnLoader)  # noqa: S506 - SafeLoader subclass


def test_template_lints_clean() -> None:
    from cfnlint.api import ManualArgs, lint_file

    # Errors, warnings and the informational checks (e.g. stateful resources without
    # an explicit DeletionPolicy), in two regions.
    matches = lint_file(TEMPLATE, config=ManualArgs(include_checks=["I"], regions=["us-east-1", "eu-west-1"]))
    assert [str(match) for match in matches] == []


def resources_of(template: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in template["Resources"].items() if body["Type"] == type_name}


def test_bucket_is_private_versioned_encrypted_and_tls_only() -> None:
    template = load_yaml_cfn(TEMPLATE)
    (bucket,) = resources_of(template, "AWS::S3::Bucket").values()
    properties = bucket["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert (
        all(properties["PublicAccessBlockConfiguration"].values())
        and len(properties["PublicAccessBlockConfiguration"]) == 4
    )

    rules = {rule.get("Prefix"): rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    assert rules["incoming/"]["ExpirationInDays"] == 7
    assert rules["failed/"]["ExpirationInDays"] == 30
    assert [(t["StorageClass"], t["TransitionInDays"]) for t in rules["processed/"]["Transitions"]] == [
        ("STANDARD_IA", 30),
        ("GLACIER", 90),
    ]
    # The Textract cache and pipeline state must never expire.
    assert not any(prefix and prefix.startswith(("textract-cache", "pipeline-state")) for prefix in rules)

    (notification,) = properties["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "incoming/"}]

    (policy,) = resources_of(template, "AWS::S3::BucketPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"].get("Bool", {}).get("aws:SecureTransport") == "false"
        for s in statements
    )


def test_tables_match_what_the_dynamodb_tracking_store_queries() -> None:
    """Keys, GSIs (hash and sort key) and TTL are the ones the package's DynamoDB store uses."""
    from textract_pipeline.resources.dynamodb_tracking import RESULTS_INDEXES, TRACKING_INDEXES, TTL_ATTRIBUTE

    template = load_yaml_cfn(TEMPLATE)
    tables = resources_of(template, "AWS::DynamoDB::Table")
    by_default_name = {
        template["Parameters"][body["Properties"]["TableName"]["Ref"]]["Default"]: body["Properties"]
        for body in tables.values()
    }
    expected = {
        "textract-processing-tracking": (("documentId", None), TRACKING_INDEXES),
        "textract-processing-results": (("processingId", "timestamp"), RESULTS_INDEXES),
    }
    assert set(by_default_name) == set(expected)

    def key_pair(key_schema: list[dict[str, str]]) -> tuple[str, str | None]:
        keys = {key["KeyType"]: key["AttributeName"] for key in key_schema}
        return keys["HASH"], keys.get("RANGE")

    for name, (primary_key, indexes) in expected.items():
        table = by_default_name[name]
        assert key_pair(table["KeySchema"]) == primary_key
        assert {
            index["IndexName"]: key_pair(index["KeySchema"]) for index in table["GlobalSecondaryIndexes"]
        } == indexes
        assert all(index["Projection"] == {"ProjectionType": "ALL"} for index in table["GlobalSecondaryIndexes"])
        assert table["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["BillingMode"] == "PAY_PER_REQUEST"


# Actions whose APIs accept no resource-level permissions, so "*" is the only resource.
RESOURCE_STAR_ALLOWED = {
    "textract:StartDocumentAnalysis",
    "textract:GetDocumentAnalysis",
    "ecs:DescribeTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ec2:DescribeNetworkInterfaces",
}


def iam_statements(template: dict[str, Any]):
    for name, role in resources_of(template, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            if "Fn::If" in policy:
                policy = policy["Fn::If"][1]
            for statement in policy["PolicyDocument"]["Statement"]:
                yield name, statement


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_iam_is_least_privilege() -> None:
    template = load_yaml_cfn(TEMPLATE)
    roles = set(resources_of(template, "AWS::IAM::Role"))
    assert {"CodeLocationRole", "RunTaskRole", "TextractPublishRole", "DaemonRole", "WebserverRole"} <= roles

    granted: dict[str, set[str]] = {role: set() for role in roles}
    for role, statement in iam_statements(template):
        assert statement["Effect"] == "Allow"
        actions = as_list(statement["Action"])
        granted[role].update(actions)
        for action in actions:
            assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z]+", action), f"{role}: wildcard action {action!r}"
        if "*" in as_list(statement["Resource"]):
            assert set(actions) <= RESOURCE_STAR_ALLOWED, (role, actions)

    # Nothing in the pipeline deletes an object.
    assert not any("s3:DeleteObject" in actions for actions in granted.values())
    assert {
        "textract:StartDocumentAnalysis",
        "textract:GetDocumentAnalysis",
        "bedrock:InvokeModel",
        "iam:PassRole",
    } <= granted["RunTaskRole"]
    assert granted["TextractPublishRole"] == {"sns:Publish"}
    assert not granted["CodeLocationRole"] & {"textract:StartDocumentAnalysis", "bedrock:InvokeModel", "s3:PutObject"}


def test_textract_topic_reaches_its_queue() -> None:
    template = load_yaml_cfn(TEMPLATE)
    (subscription,) = resources_of(template, "AWS::SNS::Subscription").values()
    properties = subscription["Properties"]
    assert properties["Protocol"] == "sqs"
    queue = properties["Endpoint"]["Fn::GetAtt"][0]
    topic = properties["TopicArn"]["Ref"]
    policies = [
        body["Properties"]
        for body in resources_of(template, "AWS::SQS::QueuePolicy").values()
        if body["Properties"]["Queues"] == [{"Ref": queue}]
    ]
    (statement,) = [s for s in policies[0]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": topic}

    publish_role = template["Resources"]["TextractPublishRole"]["Properties"]
    (trust,) = publish_role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "textract.amazonaws.com"}
