import PipelineModel

/// A fixed, seeded, stratified train/test split: each class is shuffled with `SplitMix64`
/// and its first `testFraction` (rounded) goes to the test part, so class proportions
/// match in both parts and the split is identical on every machine.
public struct CorpusSplit: Sendable {
    /// Positions (into the input) of the training items, ascending.
    public let trainIndices: [Int]
    /// Positions (into the input) of the held-out test items, ascending.
    public let testIndices: [Int]

    /// Splits `labels` (one per item, in corpus order).
    public init(labels: [SentimentLabel], testFraction: Double = 0.2, seed: UInt64 = 0) {
        precondition(testFraction >= 0 && testFraction <= 1, "test fraction must be in 0…1")
        var generator = SplitMix64(seed: seed)
        var train: [Int] = []
        var test: [Int] = []
        for label in SentimentLabel.classes {
            var members = labels.indices.filter { labels[$0] == label }
            generator.shuffle(&members)
            let testCount = Int((Double(members.count) * testFraction).rounded())
            test += members[..<testCount]
            train += members[testCount...]
        }
        trainIndices = train.sorted()
        testIndices = test.sorted()
    }

    /// The standard split of the 4,200 ground-truth tweets: 80/20, seed 0.
    public static func tweets(_ items: [LabelledText]) -> (train: [LabelledText], test: [LabelledText]) {
        let split = CorpusSplit(labels: items.map(\.label))
        return (split.trainIndices.map { items[$0] }, split.testIndices.map { items[$0] })
    }

    /// `k` stratified folds of `labels` for cross-validation inside a training part:
    /// fold `i` holds the positions whose shuffled rank within their class is ≡ i mod k.
    public static func folds(labels: [SentimentLabel], count k: Int, seed: UInt64 = 0) -> [[Int]] {
        precondition(k >= 2, "need at least two folds")
        var generator = SplitMix64(seed: seed)
        var folds = Array(repeating: [Int](), count: k)
        for label in SentimentLabel.classes {
            var members = labels.indices.filter { labels[$0] == label }
            generator.shuffle(&members)
            for (rank, position) in members.enumerated() { folds[rank % k].append(position) }
        }
        return folds.map { $0.sorted() }
    }
}
