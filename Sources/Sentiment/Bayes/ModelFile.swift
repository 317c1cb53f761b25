import PipelineModel
import NDArray

/// The on-disk model format: a versioned, checksummed binary container.
///
/// Layout (integers are LEB128 varints unless noted; doubles are IEEE-754 bit patterns,
/// 8 bytes little-endian):
/// ```
/// "SENTIMENT-MODEL\n"  16 bytes magic
/// version              2 bytes little-endian (1)
/// sections             repeated: tag byte, payload length, payload
///   1 naive bayes      tokenizer id, min count, α, 3 class document counts,
///                      term count, terms (kind 1|2 then 1|2 strings), counts (terms × 3)
///   2 hybrid           see `HybridCombiner`
///   3 logistic         see `LogisticModel` (over section 1's terms)
///   4 presence         one byte, 1: section 1's counts are presence counts (`--binary`);
///                      absent for occurrence counts, so such files are unchanged
/// 0                    end of sections
/// checksum             8 bytes little-endian: FNV-1a 64 of everything before
/// ```
/// Counts rather than log-probabilities are stored: they are integers (small, exact) and
/// loading recomputes the same doubles, so saving is deterministic byte for byte.
public struct ModelFile: Sendable, Equatable {
    /// The format version this build writes and reads.
    public static let formatVersion = 1
    static let magic = Array("SENTIMENT-MODEL\n".utf8)

    /// The Naive Bayes model (always present).
    public var bayes: NaiveBayesModel
    /// The hybrid combiner, when the model was trained with a lexicon engine.
    public var hybrid: HybridCombiner?
    /// The logistic regression over the Naive Bayes terms, when trained.
    public var logistic: LogisticModel?

    /// A model file's contents.
    public init(bayes: NaiveBayesModel, hybrid: HybridCombiner? = nil, logistic: LogisticModel? = nil) {
        self.bayes = bayes
        self.hybrid = hybrid
        self.logistic = logistic
    }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes(Self.magic)
        writer.uint16(UInt16(Self.formatVersion))
        writer.section(1) { Self.write(bayes, to: &$0) }
        if bayes.binary { writer.section(4) { $0.byte(1) } }
        if let hybrid { writer.section(2) { hybrid.write(to: &$0) } }
        if let logistic { writer.section(3) { logistic.write(to: &$0) } }
        writer.byte(0)
        writer.uint64(ByteWriter.checksum(writer.output))
        return writer.output
    }

    /// Reads a model file; throws `ModelFormatError` for anything but an intact file of
    /// a supported version.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= Self.magic.count + 2, Array(bytes[..<Self.magic.count]) == Self.magic else {
            throw ModelFormatError.notAModel
        }
        var reader = ByteReader(bytes[Self.magic.count...])
        let version = Int(try reader.uint16())
        guard version == Self.formatVersion else { throw ModelFormatError.unsupportedVersion(version) }
        guard bytes.count >= Self.magic.count + 2 + 9 else { throw ModelFormatError.truncated }
        let body = bytes[..<(bytes.count - 8)]
        var tail = ByteReader(bytes[(bytes.count - 8)...])
        guard try tail.uint64() == ByteWriter.checksum(body) else { throw ModelFormatError.checksum }
        reader = ByteReader(body[(Self.magic.count + 2)...])
        var bayes: NaiveBayesModel?
        var hybrid: HybridCombiner?
        var logistic: LogisticModel?
        var binary = false
        while true {
            let tag = try reader.byte()
            if tag == 0 { break }
            var payload = try reader.slice(try reader.count(of: "section length", atMost: ByteReader.maximumSectionLength))
            switch tag {
            case 1: bayes = try Self.readBayes(&payload)
            case 2: hybrid = try HybridCombiner(reading: &payload)
            case 3: logistic = try LogisticModel(reading: &payload)
            case 4:
                guard try payload.byte() == 1 else { throw ModelFormatError.invalid("presence section") }
                binary = true
            default: throw ModelFormatError.invalid("unknown section \(tag)")
            }
            guard payload.isAtEnd else { throw ModelFormatError.invalid("section \(tag) has trailing bytes") }
        }
        guard reader.isAtEnd else { throw ModelFormatError.invalid("bytes after the last section") }
        guard var bayes else { throw ModelFormatError.missingSection("naive bayes") }
        if binary {
            bayes = try NaiveBayesModel(tokenizerIdentifier: bayes.tokenizerIdentifier, minCount: bayes.minCount,
                                        vocabulary: bayes.vocabulary, classifier: bayes.classifier, binary: true)
        }
        if let logistic, logistic.regression.featureCount != bayes.vocabulary.count {
            throw ModelFormatError.invalid("logistic section has \(logistic.regression.featureCount) terms, "
                + "naive bayes \(bayes.vocabulary.count)")
        }
        if let hybrid, hybrid.usesLogistic, logistic == nil {
            throw ModelFormatError.missingSection("logistic (the hybrid combines it)")
        }
        self.init(bayes: bayes, hybrid: hybrid, logistic: logistic)
    }

    private static func write(_ model: NaiveBayesModel, to writer: inout ByteWriter) {
        writer.string(model.tokenizerIdentifier)
        writer.varint(UInt64(model.minCount))
        writer.double(model.classifier.alpha)
        for count in model.classifier.classDocumentCounts { writer.varint(integral(count)) }
        writer.varint(UInt64(model.vocabulary.count))
        for term in model.vocabulary.terms {
            switch term {
            case let .unigram(token):
                writer.byte(1)
                writer.string(token)
            case let .bigram(first, second):
                writer.byte(2)
                writer.string(first)
                writer.string(second)
            }
        }
        for count in model.classifier.featureCounts.scalars { writer.varint(integral(count)) }
    }

    /// Counts are sums of whole occurrences; anything else is a programming error.
    private static func integral(_ value: Double) -> UInt64 {
        precondition(value >= 0 && value == value.rounded(), "model counts must be whole numbers")
        return UInt64(value)
    }

    private static func readBayes(_ reader: inout ByteReader) throws -> NaiveBayesModel {
        let tokenizer = try reader.string()
        let minCount = try reader.count(of: "min count", atMost: Int(Int32.max), bytesPerItem: 0)
        let alpha = try reader.double()
        guard alpha.isFinite, alpha >= 0 else { throw ModelFormatError.invalid("smoothing α \(alpha)") }
        let classes = SentimentLabel.classes.count
        let documents = try (0..<classes).map { _ in Double(try reader.varint()) }
        // Each term takes at least a kind byte and a length byte.
        let termCount = try reader.count(of: "term count", atMost: ByteReader.maximumSectionLength, bytesPerItem: 2)
        var terms: [Vocabulary.Term] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            switch try reader.byte() {
            case 1: terms.append(.unigram(try reader.string()))
            case 2: terms.append(.bigram(try reader.string(), try reader.string()))
            default: throw ModelFormatError.invalid("unknown term kind")
            }
        }
        guard let vocabulary = Vocabulary(terms: terms) else { throw ModelFormatError.invalid("repeated term") }
        let counts = try (0..<(termCount * classes)).map { _ in Double(try reader.varint()) }
        do {
            let classifier = try MultinomialNaiveBayes(
                featureCounts: NDArray(shape: [termCount, classes], scalars: counts),
                classDocumentCounts: documents, alpha: alpha)
            return try NaiveBayesModel(tokenizerIdentifier: tokenizer, minCount: minCount,
                                       vocabulary: vocabulary, classifier: classifier)
        } catch let error as BayesError {
            throw ModelFormatError.invalid("\(error)")
        }
    }
}
