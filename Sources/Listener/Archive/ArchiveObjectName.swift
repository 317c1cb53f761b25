import Foundation

/// The names of archive files and objects, which sort by time: a staged file
/// `stream-20261205T140000Z-<host>-000042.jsonl.gz` becomes the object
/// `<prefix>2026/12/05/stream-20261205T140000Z-<host>-000042.jsonl.gz`. The key is a
/// function of the file's name only, so an upload repeated after a crash (stored, not yet
/// deleted locally) overwrites the same object with the same bytes: never a second name.
/// The sequence number, kept across restarts, keeps two files of one second apart.
public enum ArchiveObjectName {
    /// The staged file name of a file opened at `time` by `host` with sequence `sequence`.
    public static func fileName(openedAt time: Date, host: String, sequence: Int, gzip: Bool) -> String {
        let stamp = Timestamp.format(time).prefix(19).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "")
        let digits = String(sequence)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "stream-\(stamp)Z-\(host)-\(padded)\(gzip ? ".jsonl.gz" : ".jsonl")"
    }

    /// The object key of a staged file `name` under `prefix` (empty or ending in `/`).
    public static func key(forFile name: String, prefix: String) -> String {
        guard let time = time(of: name) else { return prefix + name }
        let day = Timestamp.format(time).prefix(10).replacingOccurrences(of: "-", with: "/")
        return "\(prefix)\(day)/\(name)"
    }

    /// The time a file or key's name starts with (`stream-YYYYMMDDTHHMMSSZ…`), from the
    /// last path component; nil for other names.
    public static func time(of nameOrKey: String) -> Date? {
        let name = nameOrKey.split(separator: "/").last.map(String.init) ?? nameOrKey
        guard name.hasPrefix("stream-"), name.count >= 23 else { return nil }
        let stamp = Array(name.utf8.dropFirst(7).prefix(16))
        // YYYYMMDDTHHMMSSZ → YYYY-MM-DDTHH:MM:SS.000Z, the one parser of our timestamps.
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z") else { return nil }
        let text = String(decoding: stamp, as: UTF8.self)
        func part(_ from: Int, _ count: Int) -> Substring { text.dropFirst(from).prefix(count) }
        return Timestamp.parse("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2)).000Z")
    }

    /// A host name as it may stand in a file name: letters, digits and `-` only.
    public static func sanitizedHost(_ host: String) -> String {
        let first = host.split(separator: ".").first.map(String.init) ?? host
        let cleaned = String(first.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return cleaned.isEmpty ? "host" : String(cleaned.prefix(40))
    }
}
