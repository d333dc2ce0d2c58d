using Pipeline.Study.Bench;
using Pipeline.Tests.Eval.Study;

namespace Pipeline.Tests.Study.Bench;

/// <summary>
/// `bench eval` end to end on the tiny run: every figure it promises is printed, the answerers
/// are timed head to head, and the artifact's step graph is what it times. No speed is asserted.
/// </summary>
public sealed class EvalBenchTests
{
    [Test]
    public void ItReportsEveryFigureOnATinyArtifact()
    {
        var lines = new List<string>();
        EvalBench.Run(TinyStudy.Artifact("baseline"), TinyStudy.TestData, TinyStudy.Checkpoint("baseline"), threads: 2, new SynchronousProgress(lines));
        string all = string.Join("\n", lines);
        TestContext.Out.WriteLine(all);
        Assert.That(all, Does.Contain("matmul peak").And.Contain("full evaluation").And.Contain("median of 3"));
        Assert.That(all, Does.Contain("ORT CPU, batches side by side (KV cache: the step graph)"));
        Assert.That(all, Does.Contain("ORT CPU, one batch at a time on 2 intra-op threads"));
        Assert.That(all, Does.Contain("TorchSharp eager, same batches").And.Contain("ORT CPU / TorchSharp ="));
        Assert.That(lines.Count(l => l.Contains("median of 4 rounds", StringComparison.Ordinal)), Is.EqualTo(3), "each answerer in both orders, two rounds each");
        Assert.That(lines.Count(l => l.StartsWith("batch ", StringComparison.Ordinal)), Is.EqualTo(5));
    }

    /// <summary>Progress that records on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
