/// A dense n-dimensional array of `Float` or `Double`.
///
/// Scalars live in a Swift array that views share: slicing, transposing and reshaping a
/// contiguous array create new `NDArray` values over the same storage (an offset and
/// strides in scalars) without copying. Writing to any of them copies the storage first
/// if it is shared, so every `NDArray` has value semantics (copy-on-write).
public struct NDArray<Scalar: NDScalar>: Sendable {
    /// The shared scalar storage; only `offset` and `strides` say which scalars belong here.
    @usableFromInline var storage: [Scalar]
    /// Length of each axis.
    public let shape: [Int]
    /// Distance in scalars between neighbours along each axis (0 for a broadcast axis).
    public let strides: [Int]
    /// Position of the first scalar in `storage`.
    @usableFromInline let offset: Int

    /// Wraps storage without checks; callers guarantee every index stays in `storage`.
    @usableFromInline
    init(unchecked storage: [Scalar], shape: [Int], strides: [Int], offset: Int) {
        precondition(shape.count == strides.count, "shape and strides disagree in rank")
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// An array of `shape` holding `scalars` in row-major order.
    ///
    /// Throws a `ShapeError` when the count does not match the shape.
    public init(shape: [Int], scalars: [Scalar]) throws {
        try Self.validate(shape: shape)
        guard shape.reduce(1, *) == scalars.count else {
            throw ShapeError.scalarCount(shape: shape, count: scalars.count)
        }
        self.init(unchecked: scalars, shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
    }

    /// An array of `shape` with every scalar equal to `value`.
    public init(repeating value: Scalar, shape: [Int]) throws {
        try Self.validate(shape: shape)
        self.init(unchecked: Array(repeating: value, count: shape.reduce(1, *)),
                  shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
    }

    /// An array of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) throws -> NDArray { try NDArray(repeating: 0, shape: shape) }

    /// A rank-0 array holding one scalar.
    public init(scalar: Scalar) {
        self.init(unchecked: [scalar], shape: [], strides: [], offset: 0)
    }

    /// A rank-1 array of `scalars`.
    public init(_ scalars: [Scalar]) {
        self.init(unchecked: scalars, shape: [scalars.count], strides: [1], offset: 0)
    }

    /// A rank-2 array from equally long rows; throws if the rows differ in length.
    public init(rows: [[Scalar]]) throws {
        let columns = rows.first?.count ?? 0
        var flat: [Scalar] = []
        flat.reserveCapacity(rows.count * columns)
        for row in rows {
            guard row.count == columns else {
                throw ShapeError.scalarCount(shape: [rows.count, columns], count: flat.count + row.count)
            }
            flat += row
        }
        self.init(unchecked: flat, shape: [rows.count, columns], strides: [columns, 1], offset: 0)
    }

    /// Number of axes.
    @inlinable public var rank: Int { shape.count }

    /// Number of scalars.
    @inlinable public var count: Int { shape.reduce(1, *) }

    /// Whether the scalars are laid out row-major without gaps, so the fast paths apply.
    @inlinable public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Whether this array owns exactly its scalars (contiguous, no offset, no extra storage).
    public var isOwned: Bool { offset == 0 && storage.count == count && isContiguous }

    /// The scalar at a full index, one entry per axis; indices are preconditioned in range.
    @inlinable public subscript(_ index: Int...) -> Scalar {
        get { storage[storageIndex(index)] }
        set { storage[storageIndex(index)] = newValue }
    }

    /// The position in `storage` of a full index.
    @inlinable func storageIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match rank \(shape.count)")
        var position = offset
        for axis in 0..<index.count {
            precondition(index[axis] >= 0 && index[axis] < shape[axis], "index \(index) outside shape \(shape)")
            position += index[axis] * strides[axis]
        }
        return position
    }

    /// The scalars in row-major order, copied when this is a non-contiguous view.
    public var scalars: [Scalar] {
        if isOwned { return storage }
        if isContiguous { return Array(storage[offset..<offset + count]) }
        var result: [Scalar] = []
        result.reserveCapacity(count)
        Self.forEachOffset(shape: shape, strides: strides, offset: offset) { result.append(storage[$0]) }
        return result
    }

    /// The only scalar of an array with one element.
    public var scalar: Scalar? { count == 1 ? storage[offset] : nil }

    /// Row-major strides for `shape`.
    @inlinable static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    static func validate(shape: [Int]) throws {
        if shape.contains(where: { $0 < 0 }) { throw ShapeError.negativeDimension(shape: shape) }
    }

    /// Calls `body` with the storage offset of every element, in row-major order.
    @inlinable
    static func forEachOffset(shape: [Int], strides: [Int], offset: Int, _ body: (Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(offset); return }
        if shape.contains(0) { return }
        let innerCount = shape[rank - 1]
        let innerStride = strides[rank - 1]
        var counter = Array(repeating: 0, count: rank)
        var base = offset
        while true {
            var position = base
            for _ in 0..<innerCount {
                body(position)
                position += innerStride
            }
            // Advance the outer axes like an odometer.
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                base += strides[axis]
                if counter[axis] < shape[axis] { break }
                base -= strides[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}

extension NDArray: Equatable {
    /// Same shape and same scalars, whatever the layout.
    public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension NDArray: CustomStringConvertible {
    /// Shape and row-major scalars, for test failures and debugging.
    public var description: String { "NDArray(shape: \(shape), scalars: \(scalars))" }
}
