using System.Runtime.InteropServices;

namespace Pipeline.Runtime;

/// <summary>
/// The CUDA 13 and cuDNN 9 libraries ONNX Runtime's CUDA provider needs. ORT's exception says only
/// "Failed to load shared library"; naming the missing ones says what to install.
/// </summary>
internal static class CudaLibraries
{
    static readonly string[] Required = ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcudnn.so.9"];

    /// <summary>The required libraries the dynamic loader cannot find.</summary>
    public static IReadOnlyList<string> Missing() =>
        Required.Where(name =>
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) return true;
            NativeLibrary.Free(handle);
            return false;
        }).ToArray();

    /// <summary>ORT's reason, followed by the libraries that are missing, if any.</summary>
    public static string Explain(string ortReason)
    {
        var missing = Missing();
        return missing.Count == 0 ? ortReason : $"{ortReason}: {string.Join(", ", missing)} not found";
    }
}
