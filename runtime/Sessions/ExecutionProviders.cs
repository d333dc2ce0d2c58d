namespace Pipeline.Runtime;

/// <summary>Which ONNX Runtime execution provider a session asks for.</summary>
public enum ExecutionProviderKind
{
    /// <summary>CUDA where it loads, otherwise CPU (the session says why it fell back).</summary>
    Auto,
    Cpu,
    /// <summary>CUDA or a NotSupportedException: never a silent fallback.</summary>
    Cuda,
}

/// <summary>The CLI spelling of <see cref="ExecutionProviderKind"/> and ONNX Runtime's names of the providers.</summary>
public static class ExecutionProviders
{
    public const string CpuName = "CPUExecutionProvider", CudaName = "CUDAExecutionProvider";

    /// <summary>auto, cpu or cuda (any case); ArgumentException otherwise.</summary>
    public static ExecutionProviderKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => ExecutionProviderKind.Auto,
        "cpu" => ExecutionProviderKind.Cpu,
        "cuda" => ExecutionProviderKind.Cuda,
        _ => throw new ArgumentException($"unknown execution provider '{text}': use auto, cpu or cuda"),
    };

    public static string ToCliName(this ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Auto => "auto",
        ExecutionProviderKind.Cpu => "cpu",
        ExecutionProviderKind.Cuda => "cuda",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an execution provider kind."),
    };

    /// <summary>The message for a CUDA provider that cannot run here, with the fix.</summary>
    internal static NotSupportedException CudaUnavailable(string reason) =>
        new($"the CUDA execution provider cannot load here ({reason}); install CUDA 13 and cuDNN 9 or use --ep cpu / --ep auto");
}
