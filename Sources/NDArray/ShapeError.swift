/// A shape problem in data that came from outside: a scalar count that does not match a
/// shape, shapes that do not broadcast, an axis or range that does not exist.
///
/// Internal invariants are `precondition`s instead; this error is for inputs a caller
/// could not have checked more cheaply than the array itself.
public struct ShapeError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case scalarCount(shape: [Int], count: Int)
        case negativeDimension(shape: [Int])
        case notBroadcastable(lhs: [Int], rhs: [Int])
        case reshape(from: [Int], to: [Int])
        case axis(Int, rank: Int)
        case range(axis: Int, lower: Int, upper: Int, dimension: Int)
        case index(axis: Int, index: Int, dimension: Int)
        case matmul(lhs: [Int], rhs: [Int])
        case rank(expected: Int, actual: Int)
        case permutation(axes: [Int], rank: Int)
        case emptyReduction(axis: Int, shape: [Int])
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func scalarCount(shape: [Int], count: Int) -> ShapeError { .init(.scalarCount(shape: shape, count: count)) }
    static func negativeDimension(shape: [Int]) -> ShapeError { .init(.negativeDimension(shape: shape)) }
    static func notBroadcastable(_ lhs: [Int], _ rhs: [Int]) -> ShapeError { .init(.notBroadcastable(lhs: lhs, rhs: rhs)) }
    static func reshape(from: [Int], to: [Int]) -> ShapeError { .init(.reshape(from: from, to: to)) }
    static func axis(_ axis: Int, rank: Int) -> ShapeError { .init(.axis(axis, rank: rank)) }
    static func range(axis: Int, _ range: Range<Int>, dimension: Int) -> ShapeError {
        .init(.range(axis: axis, lower: range.lowerBound, upper: range.upperBound, dimension: dimension))
    }
    static func index(axis: Int, index: Int, dimension: Int) -> ShapeError {
        .init(.index(axis: axis, index: index, dimension: dimension))
    }
    static func matmul(_ lhs: [Int], _ rhs: [Int]) -> ShapeError { .init(.matmul(lhs: lhs, rhs: rhs)) }
    static func rank(expected: Int, actual: Int) -> ShapeError { .init(.rank(expected: expected, actual: actual)) }
    static func permutation(_ axes: [Int], rank: Int) -> ShapeError { .init(.permutation(axes: axes, rank: rank)) }
    static func emptyReduction(axis: Int, shape: [Int]) -> ShapeError { .init(.emptyReduction(axis: axis, shape: shape)) }

    /// One line naming the shapes involved.
    public var description: String {
        switch kind {
        case let .scalarCount(shape, count):
            "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(count)"
        case let .negativeDimension(shape):
            "shape \(shape) has a negative dimension"
        case let .notBroadcastable(lhs, rhs):
            "shapes \(lhs) and \(rhs) do not broadcast"
        case let .reshape(from, to):
            "cannot reshape \(from) (\(from.reduce(1, *)) scalars) to \(to)"
        case let .axis(axis, rank):
            "axis \(axis) does not exist in an array of rank \(rank)"
        case let .range(axis, lower, upper, dimension):
            "range \(lower)..<\(upper) is outside axis \(axis) of length \(dimension)"
        case let .index(axis, index, dimension):
            "index \(index) is outside axis \(axis) of length \(dimension)"
        case let .matmul(lhs, rhs):
            "cannot multiply matrices of shapes \(lhs) and \(rhs)"
        case let .rank(expected, actual):
            "expected an array of rank \(expected), got rank \(actual)"
        case let .permutation(axes, rank):
            "\(axes) is not a permutation of the \(rank) axes"
        case let .emptyReduction(axis, shape):
            "axis \(axis) of shape \(shape) is empty: nothing to reduce"
        }
    }
}
