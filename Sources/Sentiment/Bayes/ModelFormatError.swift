/// A model file that cannot be used: not a model, a format version this build does not
/// read, damaged bytes, or contents that contradict each other.
public struct ModelFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case notAModel
        case unsupportedVersion(Int)
        case checksum
        case truncated
        case invalid(String)
        case missingSection(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static let notAModel = Self(.notAModel)
    static func unsupportedVersion(_ version: Int) -> Self { .init(.unsupportedVersion(version)) }
    static let checksum = Self(.checksum)
    static let truncated = Self(.truncated)
    static func invalid(_ what: String) -> Self { .init(.invalid(what)) }
    static func missingSection(_ name: String) -> Self { .init(.missingSection(name)) }

    /// Whether the file is intact but written by a newer or older format this build cannot read.
    public var isIncompatible: Bool {
        if case .unsupportedVersion = kind { return true }
        return false
    }

    /// One line saying what is wrong with the file.
    public var description: String {
        switch kind {
        case .notAModel: "not a sentiment model file (bad magic bytes)"
        case let .unsupportedVersion(version):
            "model format version \(version) is not supported (this build reads version \(ModelFile.formatVersion))"
        case .checksum: "model file is corrupt (checksum mismatch)"
        case .truncated: "model file is truncated"
        case let .invalid(what): "model file is corrupt: \(what)"
        case let .missingSection(name): "model file has no \(name) section"
        }
    }
}
