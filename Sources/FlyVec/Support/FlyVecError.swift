/// Errors of FlyVec's own making: bad settings, files of the wrong kind.
public enum FlyVecError: Error, CustomStringConvertible, Equatable {
    /// A setting out of its range: the parameter's name as the library spells it (`hidden`,
    /// `learningRate`, `usage.window`) and what is wrong with its value.
    case parameter(String, String)
    case invalid(String)
    case file(String, String)

    public var description: String {
        switch self {
        case .parameter(let name, let why): return "\(name) \(why)"
        case .invalid(let why): return why
        case .file(let path, let why): return "\(path): \(why)"
        }
    }
}
