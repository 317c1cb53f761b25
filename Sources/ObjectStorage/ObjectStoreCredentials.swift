/// The access key pair (and session token) requests are signed with. The secret parts
/// never appear in a description, a log line or an error: only the key id's first
/// characters do.
public struct ObjectStoreCredentials: Sendable, CustomStringConvertible {
    /// `AWS_ACCESS_KEY_ID`.
    public var accessKeyID: String
    /// `AWS_SECRET_ACCESS_KEY`.
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN` (temporary credentials), sent as `x-amz-security-token`.
    public var sessionToken: String?

    /// Credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `access key AKIA…`, enough to tell two keys apart in a log, nothing to sign with.
    public var description: String { "access key \(accessKeyID.prefix(4))…" }
}
