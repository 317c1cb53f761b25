#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The element types an `NDArray` can hold: `Float` and `Double`.
///
/// The transcendental functions are requirements rather than free functions so generic
/// code specialises to the C library's `expf`/`exp` without a dynamic dispatch.
public protocol NDScalar: BinaryFloatingPoint, Sendable where Self.Magnitude == Self {
    /// e raised to `x`.
    static func exponential(_ x: Self) -> Self
    /// The natural logarithm of `x`.
    static func logarithm(_ x: Self) -> Self
}

extension Float: NDScalar {
    /// e raised to `x`.
    @inlinable public static func exponential(_ x: Float) -> Float { expf(x) }
    /// The natural logarithm of `x`.
    @inlinable public static func logarithm(_ x: Float) -> Float { logf(x) }
}

extension Double: NDScalar {
    /// e raised to `x`.
    @inlinable public static func exponential(_ x: Double) -> Double { exp(x) }
    /// The natural logarithm of `x`.
    @inlinable public static func logarithm(_ x: Double) -> Double { log(x) }
}
