using System.Runtime.InteropServices;
using TorchSharp;

namespace Pipeline.Train.Training;

/// <summary>
/// Checks that libtorch and TorchSharp's native half load before anything touches <c>torch</c>:
/// where they do not, TorchSharp's static constructor prints a page of load trace and the process
/// aborts; this fails in one line instead. Matters most for <c>-p:TorchBackend=system</c>, whose
/// build carries no libtorch and takes it from LD_LIBRARY_PATH.
/// </summary>
public static class TorchNative
{
    const string SystemHint =
        "put a PyTorch install's torch/lib on LD_LIBRARY_PATH (python3 -c \"import torch,os;print(os.path.dirname(torch.__file__)+'/lib')\"), or build with the default -p:TorchBackend=cpu";

    static readonly string[] Libraries = ["libtorch_cpu.so", "libLibTorchSharp.so"];

    public static void EnsureLoadable() => EnsureLoadable(Libraries);

    public static void EnsureLoadable(IEnumerable<string> libraries)
    {
        foreach (var name in libraries)
        {
            try
            {
                NativeLibrary.Load(name, typeof(torch).Assembly, null);
            }
            catch (DllNotFoundException e)
            {
                throw new NotSupportedException($"libtorch cannot be loaded ({Reason(name, e.Message)}): {SystemHint}");
            }
        }
    }

    /// <summary>The dynamic linker's words for the bare name (.NET also lists each probed variant).</summary>
    static string Reason(string name, string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal)) ?? $"{name} not found";
}
