#!/usr/bin/env python3
"""Static check of deploy/: syntax and structure of every file, and every command line
against the CLIs as built.

    check-deploy.py --root REPO --exe NAME=PATH ... [--deploy DIR]

Each `--exe` names a product of Package.swift and the built executable whose `--help`
(and each subcommand's) lists the flags a command line may use. Environment variables
must be defined in the same file/manifest or be read by the Sources. No secret may sit
on a command line (`ps` and /proc/*/cmdline show it to every local user) or in a
ConfigMap: no `--mongo`, no secret variable, no URI with user info (docs/security.md).
Prints one line per finding and exits 1 when there is any; Docker and Kubernetes are not
needed.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

import yaml

OUR_IMAGE = "sentiment-pipeline"
KNOWN_KINDS = {
    "ConfigMap", "Secret", "Deployment", "StatefulSet", "Service", "HorizontalPodAutoscaler",
    "PodDisruptionBudget", "PersistentVolumeClaim", "ServiceAccount", "Ingress",
}
# The shared libraries the executables load, and what the health checks and TLS need.
RUNTIME_PACKAGES = ["libcurl4", "libmongoc-1.0-0", "libbson-1.0-0", "zlib1g", "libssl3", "ca-certificates", "curl"]
LEXICON_DIR = "/usr/local/share/sentiment-pipeline/lexicons"
# Variables that carry credentials, and names that look like one. The archive bucket's
# key pair counts: a key id alone is half a credential and names the account.
SECRET_VARIABLES = {"MONGODB_URI", "X_BEARER_TOKEN", "DASHBOARD_TOKEN",
                    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
# What `--archive s3://bucket/prefix` needs: a bucket name S3 accepts (as the CLI checks),
# the key pair in the process's environment.
ARCHIVE_BUCKET = re.compile(r"^s3://([a-z0-9.-]{3,63})(/[^\s]*)?$")
ARCHIVE_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|API_KEY|_URI)$", re.IGNORECASE)
# Flags whose value is a secret: the executables read it from the environment instead.
SECRET_FLAGS = {"--mongo"}
# scheme://user:password@ — a literal credential.
CREDENTIAL_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s]*:[^/?#\s]*@")
VAR_PATTERNS = [re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)"), re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)"),
                re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")]


class Checker:
    def __init__(self, root, deploy, executables):
        self.root = root
        self.deploy = deploy
        self.executables = executables
        self.findings = []
        self.products = self.read_products()
        self.cli_variables = self.read_cli_variables()
        self.help_cache = {}

    def fail(self, where, message):
        self.findings.append(f"{os.path.relpath(where, self.root)}: {message}")

    # MARK: What the package offers

    def read_products(self):
        text = open(os.path.join(self.root, "Package.swift"), encoding="utf-8").read()
        return set(re.findall(r'\.executable\(name:\s*"([^"]+)"', text))

    def read_cli_variables(self):
        """Upper-case string literals on lines that talk about the environment."""
        names = set()
        literal = re.compile(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"')
        for folder, _, files in os.walk(os.path.join(self.root, "Sources")):
            for name in files:
                if not name.endswith(".swift"):
                    continue
                for line in open(os.path.join(folder, name), encoding="utf-8"):
                    if "environment" in line.lower():
                        names.update(literal.findall(line))
        return names

    def help_text(self, product, subcommand=None):
        key = (product, subcommand)
        if key not in self.help_cache:
            args = [self.executables[product]] + ([subcommand] if subcommand else []) + ["--help"]
            run = subprocess.run(args, capture_output=True, text=True, timeout=60)
            if run.returncode != 0:
                self.fail(self.executables[product], f"`{' '.join(args[1:])}` exited {run.returncode}: {run.stderr.strip()[:200]}")
            self.help_cache[key] = run.stdout + run.stderr
        return self.help_cache[key]

    @staticmethod
    def flags_in(help_text):
        flags = set()
        for line in help_text.splitlines():
            if re.match(r"^\s+-", line):
                flags.update(re.findall(r"(?<![\w-])--[a-z0-9][a-z0-9-]*", line))
        return flags

    @staticmethod
    def subcommands_in(help_text):
        found, default, inside = [], None, False
        for line in help_text.splitlines():
            if line.startswith("SUBCOMMANDS:"):
                inside = True
                continue
            if inside:
                match = re.match(r"^  (\S+)( \(default\))?(\s|$)", line)
                if match:
                    found.append(match.group(1))
                    if match.group(2):
                        default = match.group(1)
                elif line and not line.startswith(" "):
                    inside = False
        return found, default

    # MARK: Command lines and variables

    def check_command(self, where, argv, built=None):
        if not argv:
            self.fail(where, "empty command")
            return
        self.check_no_secret_in_command(where, argv)
        executable = os.path.basename(argv[0])
        if executable not in self.products:
            self.fail(where, f"'{argv[0]}' is not a product of Package.swift ({', '.join(sorted(self.products))})")
            return
        if built is not None and executable not in built:
            self.fail(where, f"'{executable}' is not built by the Dockerfile")
        if executable not in self.executables:
            self.fail(where, f"no built executable given for '{executable}'")
            return
        root_help = self.help_text(executable)
        subcommands, default = self.subcommands_in(root_help)
        args = argv[1:]
        allowed = self.flags_in(root_help)
        if args and args[0] in subcommands:
            allowed |= self.flags_in(self.help_text(executable, args[0]))
            args = args[1:]
        elif default:
            allowed |= self.flags_in(self.help_text(executable, default))
        for arg in args:
            if arg.startswith("--"):
                flag = arg.split("=", 1)[0]
                if flag not in allowed:
                    self.fail(where, f"'{executable}' has no flag {flag}")

    def check_no_secret_in_command(self, where, argv):
        for arg in argv:
            flag = arg.split("=", 1)[0]
            if flag in SECRET_FLAGS:
                self.fail(where, f"{flag} on a command line shows its value in ps: set MONGODB_URI "
                                 "in the environment from a Secret or an env file instead")
            for name in self.variables_in(arg):
                if self.is_secret_name(name):
                    self.fail(where, f"${name} on a command line shows a secret in ps: "
                                     "the executables read it from the environment")
            if CREDENTIAL_URI.search(arg):
                self.fail(where, "a URI with a password on a command line shows it in ps")

    @staticmethod
    def option(argv, flag):
        """The value of `flag` (`--flag V` or `--flag=V`) in argv, None when absent."""
        for index, arg in enumerate(argv):
            if arg == flag and index + 1 < len(argv):
                return str(argv[index + 1])
            if str(arg).startswith(flag + "="):
                return str(arg).split("=", 1)[1]
        return None

    def check_archive(self, where, argv, defined, persistent, default_state=None):
        """An `--archive s3://…` command: a valid bucket; the key pair among `defined`
        (None: an env file the checker cannot read supplies it); a state folder, where
        files wait for their upload, under one of the `persistent` paths, so that what an
        outage left staged survives a restart (`default_state`: where it goes without
        --state-dir, None when that is not persistent)."""
        archive = self.option(argv, "--archive")
        if archive is None or not archive.startswith("s3://"):
            return
        if not ARCHIVE_BUCKET.match(archive):
            self.fail(where, f"--archive {archive} is not s3://bucket/prefix with a valid bucket name")
        if defined is not None:
            for name in ARCHIVE_CREDENTIALS:
                if name not in defined:
                    self.fail(where, f"--archive {archive} without {name} in the environment")
        state = self.option(argv, "--state-dir") or default_state
        if state is None:
            self.fail(where, f"--archive {archive} stages files under --state-dir: give one on a persistent volume")
        elif not any(os.path.normpath(state) == p or os.path.normpath(state).startswith(p.rstrip("/") + "/")
                     for p in (os.path.normpath(p) for p in persistent)):
            self.fail(where, f"--archive {archive} stages files in {state}, which is not on a persistent volume "
                             f"({', '.join(sorted(persistent)) or 'none mounted'}): staged files would be lost on restart")

    @staticmethod
    def is_secret_name(name):
        return name in SECRET_VARIABLES or bool(SECRET_NAME.search(name))

    def variables_in(self, text):
        names = set()
        for pattern in VAR_PATTERNS:
            names.update(pattern.findall(text))
        return names

    def check_variable_is_read(self, where, name):
        if name not in self.cli_variables:
            self.fail(where, f"environment variable {name} is read by no CLI ({', '.join(sorted(self.cli_variables))})")

    # MARK: Dockerfile

    def check_dockerfile(self, path):
        lines, current = [], ""
        for raw in open(path, encoding="utf-8"):
            stripped = raw.strip()
            if not current and (not stripped or stripped.startswith("#")):
                continue
            if stripped.endswith("\\"):
                current += stripped[:-1] + " "
                continue
            lines.append(current + stripped)
            current = ""
        if current:
            self.fail(path, "line continuation at end of file")
        stages, built, cmd, runtime_lines = [], set(), None, []
        instructions = {"FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER", "EXPOSE", "CMD",
                        "ENTRYPOINT", "LABEL", "HEALTHCHECK", "VOLUME", "SHELL", "STOPSIGNAL"}
        for line in lines:
            instruction, _, rest = line.partition(" ")
            if instruction.upper() not in instructions:
                self.fail(path, f"unknown instruction {instruction}")
                continue
            instruction = instruction.upper()
            runtime_lines.append(f"{instruction} {rest}")
            if not stages and instruction not in ("FROM", "ARG"):
                self.fail(path, f"{instruction} before the first FROM")
            if instruction == "FROM":
                runtime_lines = []
                match = re.match(r"^(\S+)(?:\s+AS\s+(\S+))?$", rest.strip(), re.IGNORECASE)
                if not match:
                    self.fail(path, f"malformed FROM: {rest}")
                    continue
                stages.append(match.group(2) or str(len(stages)))
            elif instruction == "COPY":
                words = rest.split()
                source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
                paths = [w for w in words if not w.startswith("--")]
                if len(paths) < 2:
                    self.fail(path, f"COPY needs a source and a destination: {rest}")
                if source_stage is not None:
                    if source_stage not in stages[:-1]:
                        self.fail(path, f"COPY --from={source_stage} names no earlier stage ({', '.join(stages[:-1])})")
                else:
                    for source in paths[:-1]:
                        if not os.path.exists(os.path.join(self.root, source)):
                            self.fail(path, f"COPY source {source} does not exist in the build context")
            elif instruction == "RUN":
                for product in re.findall(r"--product[= ](\S+)", rest):
                    if product not in self.products:
                        self.fail(path, f"--product {product} is not a product of Package.swift")
                    built.add(product)
            elif instruction == "ENV":
                for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", rest):
                    self.check_variable_is_read(path, name)
            elif instruction in ("CMD", "ENTRYPOINT"):
                try:
                    cmd = yaml.safe_load(rest) if rest.strip().startswith("[") else shlex.split(rest)
                except yaml.YAMLError as error:
                    self.fail(path, f"{instruction} is not a JSON array: {error}")
                    continue
                self.check_command(path, cmd, built)
        if len(stages) < 2:
            self.fail(path, "not a multi-stage build")
        runtime = " ".join(runtime_lines)
        for package in RUNTIME_PACKAGES:
            if not re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", runtime):
                self.fail(path, f"the runtime stage does not install {package}")
        if f"ENV SENTIMENT_LEXICON_DIR={LEXICON_DIR}" not in runtime or f"COPY lexicons {LEXICON_DIR}" not in runtime:
            self.fail(path, f"the runtime stage does not ship lexicons/ at {LEXICON_DIR} with SENTIMENT_LEXICON_DIR")
        if cmd is None:
            self.fail(path, "no CMD")
        return built

    # MARK: compose

    def check_compose(self, path, built):
        try:
            document = yaml.safe_load(open(path, encoding="utf-8"))
        except yaml.YAMLError as error:
            self.fail(path, f"YAML: {error}")
            return
        services = (document or {}).get("services")
        if not isinstance(services, dict) or not services:
            self.fail(path, "no services")
            return
        text = open(path, encoding="utf-8").read()
        for name in set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text)):
            self.check_variable_is_read(path, name)
        for name, service in services.items():
            if "image" not in service and "build" not in service:
                self.fail(path, f"service {name} has neither image nor build")
            depends = service.get("depends_on", {})
            for target in (depends if isinstance(depends, (dict, list)) else []):
                if target not in services:
                    self.fail(path, f"service {name} depends on unknown service {target}")
                elif isinstance(depends, dict) and depends[target].get("condition") == "service_healthy" \
                        and "healthcheck" not in services[target]:
                    self.fail(path, f"service {name} waits for {target} to be healthy, which has no healthcheck")
            ours = str(service.get("image", "")).split(":")[0] == OUR_IMAGE or "build" in service
            environment = service.get("environment", {})
            names = environment.keys() if isinstance(environment, dict) else [e.split("=", 1)[0] for e in environment]
            if isinstance(environment, dict):
                for variable, value in environment.items():
                    if CREDENTIAL_URI.search(str(value or "")):
                        self.fail(path, f"service {name}: {variable} holds a literal password; "
                                        "interpolate it from the environment (${{{variable}}})")
            if ours:
                for variable in names:
                    self.check_variable_is_read(path, variable)
                command = service.get("command")
                if command is None:
                    self.fail(path, f"service {name} runs the image's default command")
                else:
                    argv = command if isinstance(command, list) else shlex.split(command)
                    self.check_command(path, argv, built)
                    mounted = [v.get("target", "") if isinstance(v, dict) else str(v).split(":")[1]
                               for v in service.get("volumes", []) if isinstance(v, dict) or ":" in str(v)]
                    self.check_archive(f"{path} service {name}", [str(a) for a in argv], set(names), mounted)
        for required in ("mongo", "dashboard"):
            if required not in services:
                self.fail(path, f"no {required} service")
            elif "healthcheck" not in services[required]:
                self.fail(path, f"service {required} has no healthcheck")
        mongo = services.get("mongo", {})
        if "--replSet" not in [str(a) for a in (mongo.get("command") or [])]:
            self.fail(path, "mongo does not run as a replica set (--replSet)")
        if "rs.initiate" not in str(mongo.get("healthcheck", {}).get("test", "")):
            self.fail(path, "mongo's healthcheck does not initiate the replica set")

    # MARK: Kubernetes

    def check_kubernetes(self, folder, built):
        objects = []
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            try:
                documents = list(yaml.safe_load_all(open(path, encoding="utf-8")))
            except yaml.YAMLError as error:
                self.fail(path, f"YAML: {error}")
                continue
            for document in documents:
                if document is None:
                    continue
                for field in ("apiVersion", "kind"):
                    if field not in document:
                        self.fail(path, f"a document has no {field}")
                if not (document.get("metadata") or {}).get("name"):
                    self.fail(path, "a document has no metadata.name")
                if document.get("kind") not in KNOWN_KINDS:
                    self.fail(path, f"unknown kind {document.get('kind')}")
                objects.append((path, document))

        def named(kind):
            return {d["metadata"]["name"]: d for _, d in objects if d.get("kind") == kind and d.get("metadata", {}).get("name")}

        config_maps, secrets, deployments = named("ConfigMap"), named("Secret"), named("Deployment")
        claims = named("PersistentVolumeClaim")
        pod_labels = {name: ((d.get("spec", {}).get("template", {}).get("metadata") or {}).get("labels") or {})
                      for name, d in deployments.items()}

        def selects_some_deployment(selector):
            return any(selector and all(labels.get(k) == v for k, v in selector.items()) for labels in pod_labels.values())

        for path, document in objects:
            kind, name, spec = document.get("kind"), document["metadata"].get("name"), document.get("spec") or {}
            if kind == "ConfigMap":
                # Anyone who may read the namespace's configuration reads ConfigMaps;
                # Secrets have their own access rules (and encryption at rest).
                for key, value in (document.get("data") or {}).items():
                    if self.is_secret_name(key):
                        self.fail(path, f"ConfigMap {name} holds {key}: secrets belong in a Secret")
                    elif CREDENTIAL_URI.search(str(value)):
                        self.fail(path, f"ConfigMap {name} key {key} holds a URI with a password: use a Secret")
            if kind == "Deployment":
                selector = (spec.get("selector") or {}).get("matchLabels") or {}
                if not selector or any(pod_labels[name].get(k) != v for k, v in selector.items()):
                    self.fail(path, f"Deployment {name}: selector {selector} does not match its pod labels")
                self.check_pod(path, name, spec.get("template", {}).get("spec", {}), config_maps, secrets, claims, built)
            elif kind == "HorizontalPodAutoscaler":
                target = spec.get("scaleTargetRef") or {}
                if target.get("kind") != "Deployment" or target.get("name") not in deployments:
                    self.fail(path, f"HorizontalPodAutoscaler {name} targets no Deployment here: {target}")
                if not any((m.get("resource") or {}).get("name") == "cpu" for m in spec.get("metrics", [])):
                    self.fail(path, f"HorizontalPodAutoscaler {name} does not scale on CPU")
            elif kind == "PodDisruptionBudget":
                if not selects_some_deployment((spec.get("selector") or {}).get("matchLabels")):
                    self.fail(path, f"PodDisruptionBudget {name} selects no Deployment's pods")
            elif kind == "Service":
                if not selects_some_deployment(spec.get("selector")):
                    self.fail(path, f"Service {name} selects no Deployment's pods")
        for required in ("consumer", "listener", "dashboard"):
            if required not in deployments:
                self.fail(folder, f"no {required} Deployment")
        if deployments.get("listener", {}).get("spec", {}).get("replicas") != 1:
            self.fail(folder, "the listener Deployment must run exactly one replica")

    def check_pod(self, path, deployment, pod, config_maps, secrets, claims, built):
        volumes = {v.get("name"): v for v in pod.get("volumes", [])}
        for volume in volumes.values():
            claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
            if claim is not None and claim not in claims:
                self.fail(path, f"Deployment {deployment}: volume claims unknown PersistentVolumeClaim {claim}")
        for container in pod.get("containers", []):
            where = f"Deployment {deployment} container {container.get('name')}"
            defined = set()
            for source in container.get("envFrom", []):
                reference = source.get("configMapRef") or source.get("secretRef") or {}
                pool = config_maps if "configMapRef" in source else secrets
                if reference.get("name") not in pool:
                    self.fail(path, f"{where}: envFrom names unknown object {reference.get('name')}")
                    continue
                data = pool[reference["name"]]
                defined.update((data.get("data") or {}).keys())
                defined.update((data.get("stringData") or {}).keys())
            for variable in container.get("env", []):
                defined.add(variable.get("name"))
                self.check_variable_is_read(path, variable.get("name"))
                if "value" in variable and (self.is_secret_name(variable.get("name", ""))
                                            or CREDENTIAL_URI.search(str(variable.get("value")))):
                    self.fail(path, f"{where}: {variable.get('name')} has a literal value in the manifest: "
                                    "take it from a Secret (valueFrom.secretKeyRef)")
                for ref_kind, pool in (("secretKeyRef", secrets), ("configMapKeyRef", config_maps)):
                    reference = (variable.get("valueFrom") or {}).get(ref_kind)
                    if reference is None:
                        continue
                    source = pool.get(reference.get("name"))
                    if source is None:
                        self.fail(path, f"{where}: {ref_kind} names unknown object {reference.get('name')}")
                    elif reference.get("key") not in {**(source.get("data") or {}), **(source.get("stringData") or {})}:
                        self.fail(path, f"{where}: {reference.get('name')} has no key {reference.get('key')}")
            for mount in container.get("volumeMounts", []):
                if mount.get("name") not in volumes:
                    self.fail(path, f"{where}: mounts unknown volume {mount.get('name')}")
            if str(container.get("image", "")).split(":")[0] != OUR_IMAGE:
                continue
            argv = list(container.get("command", [])) + list(container.get("args", []))
            for argument in argv:
                for name in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", str(argument)):
                    if name not in defined:
                        self.fail(path, f"{where}: $({name}) is not defined in the container's environment")
            self.check_command(f"{path} {where}", [str(a) for a in argv], built)
            persistent = [m.get("mountPath", "") for m in container.get("volumeMounts", [])
                          if (volumes.get(m.get("name")) or {}).get("persistentVolumeClaim")]
            self.check_archive(f"{path} {where}", [str(a) for a in argv], defined, persistent)

    # MARK: systemd

    def check_systemd(self, path):
        sections, current = {}, None
        for number, raw in enumerate(open(path, encoding="utf-8"), 1):
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            header = re.match(r"^\[([A-Za-z]+)\]$", line)
            if header:
                current = sections.setdefault(header.group(1), [])
            elif current is None or "=" not in line:
                self.fail(path, f"line {number} is neither a section nor Key=Value: {line}")
            else:
                key, _, value = line.partition("=")
                current.append((key.strip(), value.strip()))
        for required in ("Unit", "Service", "Install"):
            if required not in sections:
                self.fail(path, f"no [{required}] section")
        service = sections.get("Service", [])
        defined = set()
        for key, value in service:
            if key == "Environment":
                for assignment in shlex.split(value):
                    name = assignment.split("=", 1)[0]
                    defined.add(name)
                    self.check_variable_is_read(path, name)
                    # Unit files are world-readable (systemctl show prints them).
                    if self.is_secret_name(name) or CREDENTIAL_URI.search(assignment):
                        self.fail(path, f"Environment={name} puts a secret in the unit file: "
                                        "use EnvironmentFile= (mode 0600)")
        has_environment_file = any(key == "EnvironmentFile" for key, _ in service)
        starts = [value for key, value in service if key == "ExecStart"]
        if len(starts) != 1:
            self.fail(path, f"{len(starts)} ExecStart lines, want exactly one")
        for value in starts:
            argv = shlex.split(value)
            if not argv or not argv[0].startswith("/"):
                self.fail(path, f"ExecStart does not start with an absolute path: {value}")
                continue
            for name in self.variables_in(value):
                if name in defined:
                    continue
                if not has_environment_file:
                    self.fail(path, f"ExecStart uses ${name}, defined by no Environment= or EnvironmentFile=")
                self.check_variable_is_read(path, name)
            self.check_command(path, argv)
            # StateDirectory=NAME is /var/lib/NAME, kept across restarts, the only place
            # ProtectSystem=strict leaves writable, and the default --state-dir
            # ($STATE_DIRECTORY). Variables from an EnvironmentFile= cannot be read here.
            states = [f"/var/lib/{name}" for key, value in service if key == "StateDirectory" for name in value.split()]
            self.check_archive(path, argv, None if has_environment_file else defined, states,
                               default_state=states[0] if states else None)

    def run(self):
        built = None
        dockerfile = os.path.join(self.deploy, "Dockerfile")
        if os.path.exists(dockerfile):
            built = self.check_dockerfile(dockerfile)
        else:
            self.fail(self.deploy, "no Dockerfile")
        compose = os.path.join(self.deploy, "compose.yaml")
        if os.path.exists(compose):
            self.check_compose(compose, built)
        else:
            self.fail(self.deploy, "no compose.yaml")
        kubernetes = os.path.join(self.deploy, "kubernetes")
        if os.path.isdir(kubernetes):
            self.check_kubernetes(kubernetes, built)
        else:
            self.fail(self.deploy, "no kubernetes/ folder")
        systemd = os.path.join(self.deploy, "systemd")
        units = sorted(n for n in os.listdir(systemd) if n.endswith(".service")) if os.path.isdir(systemd) else []
        if not units:
            self.fail(self.deploy, "no systemd units")
        for name in units:
            self.check_systemd(os.path.join(systemd, name))
        return self.findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="repository root (holds Package.swift)")
    parser.add_argument("--deploy", help="the deploy folder (default: ROOT/deploy)")
    parser.add_argument("--exe", action="append", default=[], metavar="NAME=PATH", help="a built executable")
    options = parser.parse_args()
    executables = {}
    for entry in options.exe:
        name, _, path = entry.partition("=")
        if not os.access(path, os.X_OK):
            print(f"check-deploy: {path} is not an executable (build it first)", file=sys.stderr)
            return 2
        executables[name] = path
    root = os.path.abspath(options.root)
    checker = Checker(root, os.path.abspath(options.deploy or os.path.join(root, "deploy")), executables)
    findings = checker.run()
    for finding in findings:
        print(finding)
    print(f"check-deploy: {len(findings)} finding(s); CLI variables: {', '.join(sorted(checker.cli_variables))}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
