extension NDArray {
    /// A view of `range` along `axis` (every `step`-th element), sharing storage.
    public func sliced(axis: Int, _ range: Range<Int>, step: Int = 1) throws -> NDArray {
        try checkAxis(axis)
        precondition(step > 0, "slice step must be positive")
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw ShapeError.range(axis: axis, range, dimension: shape[axis])
        }
        var newShape = shape
        var newStrides = strides
        newShape[axis] = (range.count + step - 1) / step
        newStrides[axis] = strides[axis] * step
        let start = range.isEmpty ? offset : offset + range.lowerBound * strides[axis]
        return NDArray(unchecked: storage, shape: newShape, strides: newStrides, offset: start)
    }

    /// A view with `axis` removed, fixed at `index` (a row of a matrix is `selecting(axis: 0, index: i)`).
    public func selecting(axis: Int, index: Int) throws -> NDArray {
        try checkAxis(axis)
        guard index >= 0, index < shape[axis] else {
            throw ShapeError.index(axis: axis, index: index, dimension: shape[axis])
        }
        var newShape = shape
        var newStrides = strides
        newShape.remove(at: axis)
        newStrides.remove(at: axis)
        return NDArray(unchecked: storage, shape: newShape, strides: newStrides,
                       offset: offset + index * strides[axis])
    }

    /// A view with the axes reordered: axis `i` of the result is axis `axes[i]` of this array.
    public func permuted(_ axes: [Int]) throws -> NDArray {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw ShapeError.permutation(axes, rank: rank)
        }
        return NDArray(unchecked: storage, shape: axes.map { shape[$0] },
                       strides: axes.map { strides[$0] }, offset: offset)
    }

    /// A view with the axes in reverse order (the matrix transpose for rank 2).
    public var transposed: NDArray {
        NDArray(unchecked: storage, shape: shape.reversed(), strides: strides.reversed(), offset: offset)
    }

    /// The same scalars in row-major order under a new shape; one entry may be −1 (inferred).
    /// A view when this array is contiguous, a copy otherwise.
    public func reshaped(_ newShape: [Int]) throws -> NDArray {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, !newShape.contains(where: { $0 < -1 }) else {
            throw ShapeError.reshape(from: shape, to: newShape)
        }
        if let axis = inferred.first {
            let known = newShape.enumerated().filter { $0.offset != axis }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else { throw ShapeError.reshape(from: shape, to: newShape) }
            resolved[axis] = count / known
        }
        guard resolved.reduce(1, *) == count else { throw ShapeError.reshape(from: shape, to: newShape) }
        let source = isContiguous ? self : contiguous()
        return NDArray(unchecked: source.storage, shape: resolved,
                       strides: Self.rowMajorStrides(resolved), offset: source.offset)
    }

    /// This array laid out row-major in its own storage (no copy when it already is).
    public func contiguous() -> NDArray {
        if isOwned { return self }
        return NDArray(unchecked: scalars, shape: shape, strides: Self.rowMajorStrides(shape), offset: 0)
    }

    /// A copy expanded to `target` by NumPy's broadcasting rules.
    public func broadcast(to target: [Int]) throws -> NDArray {
        let result = try Self.broadcastShape(shape, target)
        guard result == target else { throw ShapeError.notBroadcastable(shape, target) }
        let view = NDArray(unchecked: storage, shape: target,
                           strides: broadcastStrides(to: target), offset: offset)
        return view.contiguous()
    }

    /// Strides that read this array as if it had `target`'s shape (0 along broadcast axes).
    @usableFromInline func broadcastStrides(to target: [Int]) -> [Int] {
        let lead = target.count - rank
        precondition(lead >= 0, "cannot broadcast to a lower rank")
        var result = Array(repeating: 0, count: target.count)
        for axis in 0..<rank where shape[axis] != 1 || target[lead + axis] == 1 {
            result[lead + axis] = strides[axis]
        }
        return result
    }

    func checkAxis(_ axis: Int) throws {
        guard axis >= 0, axis < rank else { throw ShapeError.axis(axis, rank: rank) }
    }
}
