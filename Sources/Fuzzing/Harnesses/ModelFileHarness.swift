import Sentiment

/// `ModelFile(bytes:)` on damaged model files. Half the inputs get their checksum
/// recomputed, so the parser behind the checksum sees hostile lengths and counts (issue
/// 14 row 3). Invariants: only `ModelFormatError` is thrown; a file that loads saves to
/// bytes that load to the same model.
public struct ModelFileHarness: FuzzHarness {
    public let name = "model-file"
    public let seeds: [[UInt8]]

    /// A harness seeded with a small trained model.
    public init() throws {
        let model = try NaiveBayesModel.train(
            texts: ["I love it", "great stuff", "meh", "terrible awful", "not bad at all 😀"],
            labels: [.positive, .positive, .neutral, .negative, .positive], tokenizer: WordTokenizer())
        seeds = [ModelFile(bayes: model).serialized()]
    }

    public mutating func check(_ input: [UInt8]) async throws {
        var bytes = input
        if bytes.count > 8 && bytes.count % 2 == 0 {
            // FNV-1a 64 of everything before the last 8 bytes, little-endian (ModelFile's layout).
            let sum = bytes.dropLast(8).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            for index in 0..<8 { bytes[bytes.count - 8 + index] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(index))) }
        }
        let loaded: ModelFile
        do {
            loaded = try ModelFile(bytes: bytes)
        } catch is ModelFormatError {
            return
        } catch {
            throw FuzzFailure("ModelFile threw \(type(of: error)), not ModelFormatError")
        }
        let again = try? ModelFile(bytes: loaded.serialized())
        try invariant(again == loaded, "a loaded model does not survive saving and loading")
    }
}
