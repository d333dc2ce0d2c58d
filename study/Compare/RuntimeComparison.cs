using Pipeline.Data;
using System.Diagnostics;
using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Export;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static TorchSharp.torch;

namespace Pipeline.Study.Compare;

/// <summary>What to compare: a variant's checkpoint, its artifact, the test split and how hard to work.</summary>
/// <param name="Scratch">Where to export the opset the artifact lacks.</param>
public sealed record CompareOptions(string Checkpoint, string Artifact, string Data, string Scratch, ExecutionProviderKind Ep, int Threads = 2, int BatchSize = 64, int? Limit = null);

/// <summary>
/// TorchSharp eager against ONNX Runtime on identical batches (every image encoded once,
/// then the questions greedy-decoded in batches), for opset 17 and 23, ORT optimisations off and all, on CPU and on
/// CUDA where it loads: answer agreement over the split, throughput, and per-output differences
/// on the artifact's test vectors.
/// </summary>
public static class RuntimeComparison
{
    /// <summary>Where a run keeps its comparison, under RUN/eval.</summary>
    public const string Folder = "compare";

    public static ComparisonResult Run(CompareOptions o, IProgress<string> progress)
    {
        if (o.Threads < 1) throw new ArgumentException($"--threads must be positive (got {o.Threads})");
        set_num_threads(o.Threads);
        using var checkpoint = Train.Training.Checkpoint.Load(o.Checkpoint);
        var primary = ArtifactFiles.ReadManifest(o.Artifact);
        var artifacts = new Dictionary<int, string> { [primary.Opset] = o.Artifact };
        foreach (int opset in ExportOpsets.Supported.Where(s => s != primary.Opset))
            artifacts[opset] = ArtifactExporter.Export(new ExportOptions(o.Checkpoint, Path.Combine(o.Scratch, $"opset{opset}"), opset, Force: true)).Directory;

        TestSet set;
        using (var reader = ModelArtifact.Open(o.Artifact, new SessionSettings(o.Threads)))
            set = TestSet.Load(o.Data, reader).Limited(o.Limit);

        var torch = set.Answer(new TorchAnswerer(checkpoint.Model, new WordVocab(checkpoint.Vocab)), o.BatchSize);
        var torchAnswers = torch.Texts;
        double torchRate = torch.QuestionsPerSecond;
        var rows = new List<RuntimeRow> { new("TorchSharp eager", null, "-", "cpu", torchRate, Accuracy(set, torchAnswers), 1.0, []) };
        progress.Report($"TorchSharp eager: {torchRate:F0} questions/s");

        foreach (var ep in Providers(o.Ep, artifacts[primary.Opset], progress))
            foreach (var (opset, dir) in artifacts.OrderBy(p => p.Key))
                foreach (bool optimize in new[] { true, false })
                {
                    var settings = new SessionSettings(o.Threads, optimize, ep);
                    using var artifact = ModelArtifact.Open(dir, settings);
                    var run = set.Answer(artifact, o.BatchSize);
                    var answers = run.Texts;
                    double rate = run.QuestionsPerSecond;
                    var row = new RuntimeRow("ONNX Runtime", opset, optimize ? "all" : "off", artifact.ExecutionProvider, rate,
                        Accuracy(set, answers), Agreement(torchAnswers, answers), TestVectorDifferences(artifact, settings));
                    rows.Add(row);
                    progress.Report($"ORT {row.ExecutionProvider} opset {opset} optimisation {row.Optimization}: {rate:F0} questions/s, agreement {row.Agreement:P2}");
                }
        return new ComparisonResult(primary.Variant, set.Questions.Count, o.BatchSize, o.Threads, rows);
    }

    static double Accuracy(TestSet set, string[] answers) =>
        AccuracyTable.Score(set.Questions.Select((q, i) => new ScoredQuestion(q.Category, q.NumObjects, q.Answer, answers[i]))).Overall.Accuracy ?? 0;

    static double Agreement(string[] a, string[] b) => a.Zip(b).Count(p => p.First == p.Second) / (double)a.Length;

    /// <summary>The artifact's test vectors hold TorchSharp's outputs: the difference is ORT's deviation from eager.</summary>
    static IReadOnlyList<OutputDifference> TestVectorDifferences(ModelArtifact artifact, SessionSettings settings) =>
        TestVectors.Run(artifact.Directory, artifact.Manifest, settings).Select(r => new OutputDifference(r.Name, r.MaxAbs, r.MaxRel)).ToArray();

    /// <summary>CPU always; CUDA as well unless --ep cpu. With auto, CUDA is skipped (and said so) where it cannot load.</summary>
    static IEnumerable<ExecutionProviderKind> Providers(ExecutionProviderKind ep, string artifact, IProgress<string> progress)
    {
        yield return ExecutionProviderKind.Cpu;
        if (ep == ExecutionProviderKind.Cpu) yield break;
        if (ep == ExecutionProviderKind.Auto)
        {
            using var probe = ModelArtifact.Open(artifact, new SessionSettings(1, true, ExecutionProviderKind.Auto));
            if (probe.ExecutionProvider != ExecutionProviders.CudaName)
            {
                progress.Report($"ORT CUDA not compared: {probe.FallbackReason}");
                yield break;
            }
        }
        yield return ExecutionProviderKind.Cuda;
    }
}
