using System.Diagnostics;
using static TorchSharp.torch;

namespace Pipeline.Study.Bench;

/// <summary>The machine's matrix speed right now, on TorchSharp's current threads.</summary>
public static class MatmulProbe
{
    /// <summary>sgemm 1024² in GFLOP/s, the best of <paramref name="tries"/> after one warm-up (about 15 ms each).</summary>
    public static double Gflops(int tries)
    {
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        a.mm(b).Dispose();
        double best = double.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            var clock = Stopwatch.StartNew();
            a.mm(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
}
