import PipelineModel

/// Stable alert ids: FNV-1a (64 bits) over kind, keyword and start minute, in hex. The
/// same episode gets the same id in every run, so stores upsert and receivers de-duplicate.
enum AlertID {
    static func make(kind: AlertKind, keyword: String, startMinute: Int64) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence<UInt8>>(_ bytes: S) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        mix(kind.rawValue.utf8)
        mix([0])
        mix(keyword.utf8)
        mix([0])
        mix(String(startMinute).utf8)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
