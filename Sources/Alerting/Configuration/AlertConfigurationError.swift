/// A configuration file the detectors cannot use, as one line naming the key at fault.
public struct AlertConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Reason: Sendable, Hashable {
        case notJSON
        case unknownKey(String)
        case invalid(String, String)
        case outOfRange(String, String)
    }

    private let reason: Reason

    /// The file is not a JSON object.
    public static let notJSON = AlertConfigurationError(reason: .notJSON)

    /// A key no knob has.
    static func unknownKey(_ path: String) -> AlertConfigurationError { .init(reason: .unknownKey(path)) }

    /// A value of the wrong type.
    static func invalid(at path: [any CodingKey], _ problem: String) -> AlertConfigurationError {
        .init(reason: .invalid(path.map(\.stringValue).joined(separator: "."), problem))
    }

    /// A value outside its range.
    static func outOfRange(_ path: String, _ rule: String) -> AlertConfigurationError {
        .init(reason: .outOfRange(path, rule))
    }

    public var description: String {
        switch reason {
        case .notJSON: "alerts configuration is not a JSON object"
        case .unknownKey(let path): "alerts configuration has an unknown key \(path)"
        case .invalid(let path, let problem): "alerts configuration: \(path) \(problem)"
        case .outOfRange(let path, let rule): "alerts configuration: \(path) must be \(rule)"
        }
    }

    /// Throws `unknownKey` for the first key of the object being decoded that is not in `known`.
    static func refuseUnknownKeys(in decoder: any Decoder, known: [String], section: String?) throws {
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        let all = try decoder.container(keyedBy: AnyKey.self)
        if let stray = all.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw unknownKey(section.map { "\($0).\(stray)" } ?? stray)
        }
    }
}
