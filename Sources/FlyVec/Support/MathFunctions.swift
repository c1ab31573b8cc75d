#if canImport(Glibc)
import Glibc
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
@inline(__always) func _powf(_ x: Float, _ y: Float) -> Float { Glibc.powf(x, y) }
#else
import Darwin
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
@inline(__always) func _powf(_ x: Float, _ y: Float) -> Float { Darwin.powf(x, y) }
#endif
