import Foundation
import PipelineTesting
import Testing

/// The files under deploy/ against the CLIs as built: `scripts/check-deploy.py` parses the
/// Dockerfile, compose file, Kubernetes manifests and systemd units, and checks every
/// command line's flags against the executables' `--help` and every environment variable
/// against what the Sources read. Docker and Kubernetes are not needed.
@Suite(.timeLimit(.minutes(5))) struct DeployFilesTests {
    static let products = ["listener", "consumer", "dashboard", "pipeline", "sentiment", "stream-sim"]

    /// Runs the checker on `deploy` (the repository's own folder by default).
    func check(deploy: URL? = nil) async throws -> ChildProcess.Output {
        let root = TestEnvironment.projectRoot
        var arguments = [root.appendingPathComponent("scripts/check-deploy.py").path, "--root", root.path]
        if let deploy { arguments += ["--deploy", deploy.path] }
        for product in Self.products {
            arguments += ["--exe", "\(product)=\(TestEnvironment.executable(product).path)"]
        }
        return try await ChildProcess.run(TestEnvironment.python, arguments)
    }

    @Test func everyDeployFileMatchesTheCLIs() async throws {
        let result = try await check()
        #expect(result.status == 0, "check-deploy found problems:\n\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("0 finding(s)"), "\(result.stdout)")
    }

    /// One deliberate defect each: the checker must report it, or it checks nothing.
    struct Defect: Sendable, CustomTestStringConvertible {
        var file: String
        var original: String
        var broken: String
        var expectedFinding: String
        var testDescription: String { "\(file): \(expectedFinding)" }
    }

    static let defects = [
        Defect(file: "compose.yaml", original: #"command: ["consumer", "--workers""#,
               broken: #"command: ["consumer", "--no-such-flag", "--workers""#, expectedFinding: "has no flag --no-such-flag"),
        Defect(file: "systemd/sentiment-dashboard.service", original: "--port 8080",
               broken: "--listen-port 8080", expectedFinding: "has no flag --listen-port"),
        Defect(file: "kubernetes/listener.yaml", original: #"args: ["listener""#,
               broken: #"args: ["listenerd""#, expectedFinding: "'listenerd' is not a product"),
        Defect(file: "kubernetes/dashboard.yaml", original: "key: DASHBOARD_TOKEN",
               broken: "key: DASHBOARD_PASSWORD", expectedFinding: "has no key DASHBOARD_PASSWORD"),
        Defect(file: "kubernetes/consumer.yaml", original: "kind: Deployment, name: consumer",
               broken: "kind: Deployment, name: consumers", expectedFinding: "targets no Deployment"),
        Defect(file: "Dockerfile", original: "COPY --from=build", broken: "COPY --from=builder",
               expectedFinding: "names no earlier stage"),
        Defect(file: "Dockerfile", original: "--product stream-sim", broken: "--product stream-simulator",
               expectedFinding: "--product stream-simulator is not a product"),
        Defect(file: "Dockerfile", original: "libcurl4 libmongoc-1.0-0", broken: "libcurl4",
               expectedFinding: "does not install libmongoc-1.0-0"),
        Defect(file: "systemd/sentiment-listener.service", original: "Environment=SENTIMENT_LEXICON_DIR=",
               broken: "Environment=SENTIMENT_LEXICONS=", expectedFinding: "SENTIMENT_LEXICONS is read by no CLI"),
        Defect(file: "systemd/sentiment-consumer@.service", original: "ExecStart=/usr/local/bin/consumer",
               broken: "ExecStart=consumer", expectedFinding: "absolute path"),
        // Secrets (issue 14, row 5): never on a command line, never in a ConfigMap.
        Defect(file: "systemd/sentiment-consumer@.service", original: "/usr/local/bin/consumer --workers",
               broken: "/usr/local/bin/consumer --mongo ${MONGODB_URI} --workers",
               expectedFinding: "--mongo on a command line shows its value in ps"),
        Defect(file: "systemd/sentiment-dashboard.service", original: "--port 8080",
               broken: "--port 8080 --database ${DASHBOARD_TOKEN}", expectedFinding: "$DASHBOARD_TOKEN on a command line"),
        Defect(file: "systemd/sentiment-listener.service", original: "Environment=SENTIMENT_LEXICON_DIR=",
               broken: "Environment=X_BEARER_TOKEN=abc\nEnvironment=SENTIMENT_LEXICON_DIR=",
               expectedFinding: "Environment=X_BEARER_TOKEN puts a secret in the unit file"),
        Defect(file: "kubernetes/consumer.yaml", original: #"args: ["consumer", "#,
               broken: #"args: ["consumer", "--mongo", "$(MONGODB_URI)", "#, expectedFinding: "--mongo on a command line"),
        Defect(file: "kubernetes/dashboard.yaml", original: #""--host", "0.0.0.0""#,
               broken: #""--host", "0.0.0.0", "--database", "$(DASHBOARD_TOKEN)""#,
               expectedFinding: "$DASHBOARD_TOKEN on a command line"),
        Defect(file: "kubernetes/config.yaml", original: "type: Opaque",
               broken: "type: Opaque\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  MONGODB_URI: \"mongodb://mongo:27017\"",
               expectedFinding: "ConfigMap settings holds MONGODB_URI"),
        Defect(file: "kubernetes/config.yaml", original: "type: Opaque",
               broken: "type: Opaque\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  STORE: \"mongodb://admin:pw@mongo:27017\"",
               expectedFinding: "ConfigMap settings key STORE holds a URI with a password"),
        Defect(file: "compose.yaml", original: #"command: ["dashboard", "#,
               broken: #"command: ["dashboard", "--mongo", "mongodb://admin:pw@mongo:27017", "#,
               expectedFinding: "a URI with a password on a command line"),
        // The archive in object storage (issue 19): a bucket the CLI accepts, the key pair
        // from a Secret or an env file and nowhere else, staging on a persistent volume.
        Defect(file: "kubernetes/listener.yaml", original: #""s3://sentiment-archive/raw""#,
               broken: #""s3://Sentiment_Archive/raw""#, expectedFinding: "is not s3://bucket/prefix with a valid bucket name"),
        Defect(file: "kubernetes/listener.yaml", original: "- name: AWS_SECRET_ACCESS_KEY\n",
               broken: "- name: AWS_SECRET_KEY\n", expectedFinding: "without AWS_SECRET_ACCESS_KEY in the environment"),
        Defect(file: "kubernetes/listener.yaml",
               original: "valueFrom: { secretKeyRef: { name: sentiment-archive-s3, key: AWS_SECRET_ACCESS_KEY } }",
               broken: #"value: "wJalrXUtnFEMI""#, expectedFinding: "AWS_SECRET_ACCESS_KEY has a literal value in the manifest"),
        Defect(file: "kubernetes/listener.yaml", original: #""--state-dir", "/var/lib/sentiment/listener""#,
               broken: #""--state-dir", "/tmp/listener-state""#, expectedFinding: "which is not on a persistent volume"),
        Defect(file: "kubernetes/config.yaml", original: "type: Opaque",
               broken: "type: Opaque\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  AWS_SECRET_ACCESS_KEY: \"abc\"",
               expectedFinding: "ConfigMap settings holds AWS_SECRET_ACCESS_KEY"),
        Defect(file: "compose.yaml", original: #""--state-dir", "/var/lib/sentiment/listener""#,
               broken: #""--state-dir", "/tmp/listener-state""#, expectedFinding: "which is not on a persistent volume"),
        Defect(file: "compose.yaml", original: "      AWS_ACCESS_KEY_ID: ${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID}\n      AWS_SECRET_ACCESS_KEY",
               broken: "      AWS_SECRET_ACCESS_KEY", expectedFinding: "without AWS_ACCESS_KEY_ID in the environment"),
        Defect(file: "systemd/sentiment-listener.service", original: "Environment=SENTIMENT_LEXICON_DIR=",
               broken: "Environment=AWS_SECRET_ACCESS_KEY=abc\nEnvironment=SENTIMENT_LEXICON_DIR=",
               expectedFinding: "Environment=AWS_SECRET_ACCESS_KEY puts a secret in the unit file"),
        Defect(file: "systemd/sentiment-listener.service", original: "--archive s3://sentiment-archive/raw",
               broken: "--archive s3://sentiment-archive/raw --state-dir /srv/state",
               expectedFinding: "which is not on a persistent volume"),
    ]

    @Test(arguments: defects) func aBrokenCopyFails(defect: Defect) async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestEnvironment.projectRoot.appendingPathComponent("deploy"), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent(defect.file)
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.contains(defect.original), "the deploy file changed: update this defect")
        try text.replacingOccurrences(of: defect.original, with: defect.broken).write(to: file, atomically: true, encoding: .utf8)

        let result = try await check(deploy: copy)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(defect.expectedFinding), "\(result.stdout)")
    }
}
