/// A Naive Bayes input that cannot be used: mismatched counts and labels, bad smoothing.
public struct BayesError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case countsShape([Int])
        case alpha(Double)
        case labelCount(Int, Int)
        case noDocuments
        case tokenizer(model: String, given: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func countsShape(_ shape: [Int]) -> Self { .init(.countsShape(shape)) }
    static func alpha(_ alpha: Double) -> Self { .init(.alpha(alpha)) }
    static func labelCount(_ rows: Int, _ labels: Int) -> Self { .init(.labelCount(rows, labels)) }
    static let noDocuments = Self(.noDocuments)
    static func tokenizer(model: String, given: String) -> Self { .init(.tokenizer(model: model, given: given)) }

    /// One line saying what is wrong.
    public var description: String {
        switch kind {
        case let .countsShape(shape): "feature counts of shape \(shape) do not have one column per class"
        case let .alpha(alpha): "smoothing α must be a finite number ≥ 0, got \(alpha)"
        case let .labelCount(rows, labels): "\(rows) documents but \(labels) labels"
        case .noDocuments: "no training documents"
        case let .tokenizer(model, given):
            "the model was trained with tokenizer \(model), not \(given)"
        }
    }
}
