import Testing
@testable import NDArray

/// L-BFGS on problems with a known minimum.
@Suite("L-BFGS minimiser")
struct LBFGSTests {
    /// Rosenbrock's valley: minimum 0 at (1, 1), reached only with sound curvature pairs.
    static func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
        let a = 1 - x[0], b = x[1] - x[0] * x[0]
        g[0] = -2 * a - 400 * x[0] * b
        g[1] = 200 * b
        return a * a + 100 * b * b
    }

    @Test("reaches Rosenbrock's minimum with any memory, a full ring included", arguments: [1, 3, 10])
    func rosenbrockMinimum(memory: Int) {
        var minimizer = LBFGSMinimizer()
        minimizer.memory = memory
        minimizer.gradientTolerance = 1e-9
        let outcome = minimizer.minimize(start: [-1.2, 1], objective: Self.rosenbrock)
        #expect(outcome.converged)
        #expect(abs(outcome.parameters[0] - 1) < 1e-6 && abs(outcome.parameters[1] - 1) < 1e-6)
        #expect(outcome.evaluations >= outcome.iterations)
    }

    /// A separable quadratic Σ cᵢ (xᵢ − i)² with curvatures cᵢ spread over six decades.
    static let curvatures = (0..<200).map { Double.exponential(Double.logarithm(10) * (-3 + 6 * Double($0 % 17) / 16)) }
    static func quadratic(_ x: [Double], _ g: inout [Double]) -> Double {
        var value = 0.0
        for i in x.indices {
            let d = x[i] - Double(i)
            g[i] = 2 * curvatures[i] * d
            value += curvatures[i] * d * d
        }
        return value
    }

    @Test("a diagonal preconditioner reaches the same minimum of a badly scaled problem in far fewer evaluations")
    func preconditioned() {
        var plain = LBFGSMinimizer()
        plain.gradientTolerance = 1e-8
        plain.maximumIterations = 20_000
        let unscaled = plain.minimize(start: [Double](repeating: 0, count: 200), objective: Self.quadratic)
        var scaled = plain
        scaled.preconditioner = Self.curvatures.map { 1 / (2 * $0) }
        let outcome = scaled.minimize(start: [Double](repeating: 0, count: 200), objective: Self.quadratic)
        #expect(outcome.converged)
        #expect(unscaled.converged, "plain L-BFGS: \(unscaled.iterations) iterations")
        for i in 0..<200 { #expect(abs(outcome.parameters[i] - Double(i)) < 1e-4) }
        #expect(outcome.evaluations * 10 < unscaled.evaluations,
                "\(outcome.evaluations) preconditioned vs \(unscaled.evaluations) plain evaluations")
    }
}
