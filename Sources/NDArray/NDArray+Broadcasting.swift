extension NDArray {
    /// The shape two arrays broadcast to under NumPy's rules: align trailing axes; each
    /// pair must be equal or contain a 1.
    public static func broadcastShape(_ lhs: [Int], _ rhs: [Int]) throws -> [Int] {
        let rank = Swift.max(lhs.count, rhs.count)
        var result = Array(repeating: 0, count: rank)
        for axis in 0..<rank {
            let left = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let right = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            if left == right || right == 1 {
                result[axis] = left
            } else if left == 1 {
                result[axis] = right
            } else {
                throw ShapeError.notBroadcastable(lhs, rhs)
            }
        }
        return result
    }

    /// Combines two arrays element by element after broadcasting them to a common shape.
    @inlinable
    public func combined(with other: NDArray, _ operation: (Scalar, Scalar) -> Scalar) throws -> NDArray {
        if shape == other.shape, isContiguous, other.isContiguous {
            let n = count
            let result = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
                storage.withUnsafeBufferPointer { a in
                    other.storage.withUnsafeBufferPointer { b in
                        for i in 0..<n { out[i] = operation(a[offset + i], b[other.offset + i]) }
                    }
                }
                initialized = n
            }
            return NDArray(unchecked: result, shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
        }
        if other.count == 1, other.rank <= rank {
            let value = other.storage[other.offset]
            return map { operation($0, value) }
        }
        if count == 1, rank <= other.rank {
            let value = storage[offset]
            return other.map { operation(value, $0) }
        }
        let target = try Self.broadcastShape(shape, other.shape)
        return Self.zipStrided(target, self.broadcastStrides(to: target), self,
                               other.broadcastStrides(to: target), other, operation)
    }

    /// The general broadcasting loop: walks the result in row-major order with one
    /// odometer and two stride sets; the innermost axis is a tight loop.
    @inlinable
    static func zipStrided(_ shape: [Int], _ leftStrides: [Int], _ left: NDArray, _ rightStrides: [Int],
                           _ right: NDArray, _ operation: (Scalar, Scalar) -> Scalar) -> NDArray {
        let total = shape.reduce(1, *)
        let rank = shape.count
        let result = [Scalar](unsafeUninitializedCapacity: total) { out, initialized in
            initialized = 0
            guard total > 0 else { return }
            left.storage.withUnsafeBufferPointer { a in
                right.storage.withUnsafeBufferPointer { b in
                    let inner = shape[rank - 1]
                    let innerA = leftStrides[rank - 1]
                    let innerB = rightStrides[rank - 1]
                    var counter = Array(repeating: 0, count: rank)
                    var baseA = left.offset
                    var baseB = right.offset
                    var written = 0
                    while true {
                        var pa = baseA
                        var pb = baseB
                        for _ in 0..<inner {
                            out[written] = operation(a[pa], b[pb])
                            written += 1
                            pa += innerA
                            pb += innerB
                        }
                        var axis = rank - 2
                        while axis >= 0 {
                            counter[axis] += 1
                            baseA += leftStrides[axis]
                            baseB += rightStrides[axis]
                            if counter[axis] < shape[axis] { break }
                            baseA -= leftStrides[axis] * shape[axis]
                            baseB -= rightStrides[axis] * shape[axis]
                            counter[axis] = 0
                            axis -= 1
                        }
                        if axis < 0 { break }
                    }
                }
            }
            initialized = total
        }
        return NDArray(unchecked: result, shape: shape, strides: rowMajorStrides(shape), offset: 0)
    }

    /// Applies `transform` to every scalar; the result is a new contiguous array.
    @inlinable
    public func map(_ transform: (Scalar) -> Scalar) -> NDArray {
        let n = count
        let result: [Scalar]
        if isContiguous {
            result = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
                storage.withUnsafeBufferPointer { a in
                    for i in 0..<n { out[i] = transform(a[offset + i]) }
                }
                initialized = n
            }
        } else {
            var values: [Scalar] = []
            values.reserveCapacity(n)
            Self.forEachOffset(shape: shape, strides: strides, offset: offset) { values.append(transform(storage[$0])) }
            result = values
        }
        return NDArray(unchecked: result, shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
    }

    /// The natural logarithm of every scalar.
    public func log() -> NDArray { map { Scalar.logarithm($0) } }

    /// e raised to every scalar.
    public func exp() -> NDArray { map { Scalar.exponential($0) } }

    /// Element-wise sum with broadcasting; traps when the shapes do not broadcast
    /// (use `combined(with:_:)` for shapes from outside).
    @inlinable public static func + (lhs: NDArray, rhs: NDArray) -> NDArray { broadcasting(lhs, rhs, +) }
    /// Element-wise difference with broadcasting; traps when the shapes do not broadcast.
    @inlinable public static func - (lhs: NDArray, rhs: NDArray) -> NDArray { broadcasting(lhs, rhs, -) }
    /// Element-wise product with broadcasting; traps when the shapes do not broadcast.
    @inlinable public static func * (lhs: NDArray, rhs: NDArray) -> NDArray { broadcasting(lhs, rhs, *) }
    /// Element-wise quotient with broadcasting; traps when the shapes do not broadcast.
    @inlinable public static func / (lhs: NDArray, rhs: NDArray) -> NDArray { broadcasting(lhs, rhs, /) }

    /// Adds a scalar to every element.
    @inlinable public static func + (lhs: NDArray, rhs: Scalar) -> NDArray { lhs.map { $0 + rhs } }
    /// Subtracts a scalar from every element.
    @inlinable public static func - (lhs: NDArray, rhs: Scalar) -> NDArray { lhs.map { $0 - rhs } }
    /// Multiplies every element by a scalar.
    @inlinable public static func * (lhs: NDArray, rhs: Scalar) -> NDArray { lhs.map { $0 * rhs } }
    /// Divides every element by a scalar.
    @inlinable public static func / (lhs: NDArray, rhs: Scalar) -> NDArray { lhs.map { $0 / rhs } }
    /// Adds every element to a scalar.
    @inlinable public static func + (lhs: Scalar, rhs: NDArray) -> NDArray { rhs.map { lhs + $0 } }
    /// Subtracts every element from a scalar.
    @inlinable public static func - (lhs: Scalar, rhs: NDArray) -> NDArray { rhs.map { lhs - $0 } }
    /// Multiplies a scalar by every element.
    @inlinable public static func * (lhs: Scalar, rhs: NDArray) -> NDArray { rhs.map { lhs * $0 } }
    /// Divides a scalar by every element.
    @inlinable public static func / (lhs: Scalar, rhs: NDArray) -> NDArray { rhs.map { lhs / $0 } }
    /// Negates every element.
    @inlinable public static prefix func - (operand: NDArray) -> NDArray { operand.map { -$0 } }

    @inlinable
    static func broadcasting(_ lhs: NDArray, _ rhs: NDArray, _ operation: (Scalar, Scalar) -> Scalar) -> NDArray {
        do {
            return try lhs.combined(with: rhs, operation)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
