import PipelineModel

/// Row-major helpers for the naive reference loops.
enum Naive {
    static func strides(_ shape: [Int]) -> [Int] {
        var result = Array(repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = running
            running *= shape[axis]
        }
        return result
    }

    static func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
        var rest = flat
        var index = Array(repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    static func ravel(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, strides(shape)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func randomScalars(_ count: Int, using rng: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in Double.random(in: -3...3, using: &rng).rounded(toPlaces: 3) }
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
