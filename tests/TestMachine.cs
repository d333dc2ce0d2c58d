using System.Runtime.InteropServices;

namespace Pipeline.Tests;

/// <summary>What the machine running the tests offers, found independently of the code under test, so that a test asserts what is right where it runs.</summary>
public static class TestMachine
{
    /// <summary>The NVIDIA driver and the CUDA 13 / cuDNN 9 libraries ONNX Runtime's CUDA provider needs all load here.</summary>
    public static bool CudaLibrariesLoad { get; } = new[] { "libcuda.so.1", "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcudnn.so.9" }.All(name =>
    {
        if (!NativeLibrary.TryLoad(name, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    });
}
