/// Limited-memory BFGS for smooth, unconstrained minimisation over a flat parameter
/// vector: the two-loop recursion over the last `memory` steps, with a backtracking
/// (Armijo) line search.
///
/// Deterministic: the same objective and start give the same iterates on every machine.
/// Written for convex objectives such as L2-regularised logistic regression, where the
/// minimum is unique and a tight gradient tolerance reaches it.
public struct LBFGSMinimizer: Sendable {
    /// Number of past steps kept for the curvature estimate.
    public var memory = 10
    /// Stop when the largest gradient component falls below this.
    public var gradientTolerance = 1e-8
    /// Stop after this many iterations (each costs at least one objective evaluation).
    public var maximumIterations = 2_000

    /// A minimiser with the default settings.
    public init() {}

    /// Why a run ended, with its final point.
    public struct Outcome: Sendable {
        /// The last accepted point.
        public var parameters: [Double]
        /// The objective there.
        public var value: Double
        /// Iterations run.
        public var iterations: Int
        /// Whether the gradient tolerance was met (not the iteration cap or a stalled search).
        public var converged: Bool
    }

    /// Minimises `objective` from `start`; `objective(x, &gradient)` returns f(x) and writes
    /// ∇f(x) into `gradient` (same count as `x`).
    public func minimize(start: [Double], objective: (_ x: [Double], _ gradient: inout [Double]) -> Double)
        -> Outcome {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = [], changes: [[Double]] = [], rhos: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alphas = [Double](repeating: 0, count: memory)
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        for iteration in 0..<maximumIterations {
            if Self.largestMagnitude(gradient) < gradientTolerance {
                return Outcome(parameters: x, value: value, iterations: iteration, converged: true)
            }
            // Two-loop recursion: direction = −H·gradient.
            for i in 0..<n { direction[i] = -gradient[i] }
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[k] = rhos[k] * Self.dot(steps[k], direction)
                Self.addScaled(&direction, changes[k], -alphas[k])
            }
            if let last = steps.indices.last {
                let scale = Self.dot(steps[last], changes[last]) / Self.dot(changes[last], changes[last])
                for i in 0..<n { direction[i] *= scale }
            } else {
                // First step: a unit-length move along the steepest descent.
                let norm = Self.dot(direction, direction).squareRoot()
                for i in 0..<n { direction[i] /= Swift.max(norm, 1) }
            }
            for k in 0..<steps.count {
                let beta = rhos[k] * Self.dot(changes[k], direction)
                Self.addScaled(&direction, steps[k], alphas[k] - beta)
            }
            var slope = Self.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (lost curvature): restart from steepest descent.
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
                for i in 0..<n { direction[i] = -gradient[i] }
                slope = Self.dot(gradient, direction)
            }
            var step = 1.0
            var accepted = false
            for _ in 0..<50 {
                for i in 0..<n { candidate[i] = x[i] + step * direction[i] }
                let candidateValue = objective(candidate, &candidateGradient)
                if candidateValue <= value + 1e-4 * step * slope {
                    var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
                    for i in 0..<n {
                        s[i] = candidate[i] - x[i]
                        y[i] = candidateGradient[i] - gradient[i]
                    }
                    let curvature = Self.dot(s, y)
                    if curvature > 1e-12 * Self.dot(y, y) && curvature > 0 {
                        if steps.count == memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
                        steps.append(s); changes.append(y); rhos.append(1 / curvature)
                    }
                    swap(&x, &candidate)
                    swap(&gradient, &candidateGradient)
                    let previous = value
                    value = candidateValue
                    accepted = true
                    // Progress below rounding: the minimum is reached as closely as doubles allow.
                    if previous - value <= 1e-16 * Swift.max(abs(previous), 1) && step == 1
                        && Self.largestMagnitude(gradient) < gradientTolerance * 100 {
                        return Outcome(parameters: x, value: value, iterations: iteration + 1, converged: true)
                    }
                    break
                }
                step *= 0.5
            }
            if !accepted {
                return Outcome(parameters: x, value: value, iterations: iteration,
                               converged: Self.largestMagnitude(gradient) < gradientTolerance * 100)
            }
        }
        return Outcome(parameters: x, value: value, iterations: maximumIterations,
                       converged: Self.largestMagnitude(gradient) < gradientTolerance)
    }

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<a.count { sum += a[i] * b[i] }
        return sum
    }

    @inline(__always) static func addScaled(_ target: inout [Double], _ source: [Double], _ factor: Double) {
        for i in 0..<target.count { target[i] += factor * source[i] }
    }

    static func largestMagnitude(_ values: [Double]) -> Double {
        values.reduce(0) { Swift.max($0, abs($1)) }
    }
}
