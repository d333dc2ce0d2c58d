using System.Diagnostics;
using Pipeline.Eval;
using Pipeline.Eval.Study;
using Pipeline.Export;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Study.Compare;

/// <summary>What to compare: a variant's checkpoint, its artifact, the test split and how hard to work.</summary>
/// <param name="Scratch">Where to export the opset the artifact lacks.</param>
public sealed record CompareOptions(string Checkpoint, string Artifact, string Data, string Scratch, ExecutionProviderKind Ep, int Threads = 2, int BatchSize = 64, int? Limit = null);

/// <summary>
/// TorchSharp eager against ONNX Runtime on identical batches (each batch: encode its questions'
/// images, then greedy-decode), for opset 17 and 23, ORT optimisations off and all, on CPU and on
/// CUDA where it loads: answer agreement over the split, throughput, and per-output differences
/// on the artifact's test vectors.
/// </summary>
public static class RuntimeComparison
{
    /// <summary>Where a run keeps its comparison, under RUN/eval.</summary>
    public const string Folder = "compare";

    const int MaxAnswerTokens = 3;

    public static ComparisonResult Run(CompareOptions o, IProgress<string> progress)
    {
        if (o.Threads < 1) throw new ArgumentException($"--threads must be positive (got {o.Threads})");
        set_num_threads(o.Threads);
        using var checkpoint = Export.Checkpoint.Load(o.Checkpoint);
        var primary = ArtifactFiles.ReadManifest(o.Artifact);
        var artifacts = new Dictionary<int, string> { [primary.Opset] = o.Artifact };
        foreach (int opset in ExportOpsets.Supported.Where(s => s != primary.Opset))
            artifacts[opset] = ArtifactExporter.Export(new ExportOptions(o.Checkpoint, Path.Combine(o.Scratch, $"opset{opset}"), opset, Force: true)).Directory;

        TestSet set;
        using (var reader = ModelArtifact.Open(o.Artifact, new SessionSettings(o.Threads)))
            set = Limited(TestSet.Load(o.Data, reader), o.Limit);

        var torchAnswers = TorchAnswers(checkpoint, set, o.BatchSize, out double torchRate);
        var rows = new List<RuntimeRow> { new("TorchSharp eager", null, "-", "cpu", torchRate, Accuracy(set, torchAnswers), 1.0, []) };
        progress.Report($"TorchSharp eager: {torchRate:F0} questions/s");

        foreach (var ep in Providers(o.Ep, artifacts[primary.Opset], progress))
            foreach (var (opset, dir) in artifacts.OrderBy(p => p.Key))
                foreach (bool optimize in new[] { true, false })
                {
                    var settings = new SessionSettings(o.Threads, optimize, ep);
                    using var artifact = ModelArtifact.Open(dir, settings);
                    var answers = OrtAnswers(artifact, set, o.BatchSize, out double rate);
                    var row = new RuntimeRow("ONNX Runtime", opset, optimize ? "all" : "off", artifact.ExecutionProvider, rate,
                        Accuracy(set, answers), Agreement(torchAnswers, answers), TestVectorDifferences(artifact, settings));
                    rows.Add(row);
                    progress.Report($"ORT {row.ExecutionProvider} opset {opset} optimisation {row.Optimization}: {rate:F0} questions/s, agreement {row.Agreement:P2}");
                }
        return new ComparisonResult(primary.Variant, set.Questions.Count, o.BatchSize, o.Threads, rows);
    }

    public static TestSet Limited(TestSet set, int? limit) =>
        limit is int n && n < set.Questions.Count ? set with { Data = set.Data with { Questions = set.Questions.Take(n).ToArray() }, Prompts = set.Prompts.Take(n).ToArray() } : set;

    public static string[] TorchAnswers(Export.Checkpoint checkpoint, TestSet set, int batchSize, out double rate)
    {
        var model = checkpoint.Model;
        model.eval();
        var vocab = new Pipeline.Train.Text.WordVocab(checkpoint.Vocab);
        var answers = new string[set.Questions.Count];
        var clock = Stopwatch.StartNew();
        foreach (var (start, rows) in Batches(set, batchSize))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var pixels = TorchReference.ToTorch(HostRows.Gather(set.Pixels, rows));
            var embeddings = model.ProjectFeatures(model.EncodeImage(pixels));
            var (ids, mask) = TokenBatch.Prompts(set.Prompts.Skip(start).Take(rows.Length).ToArray(), vocab.PadId);
            var generated = model.GenerateGreedy(embeddings, ids, MaxAnswerTokens, vocab.EosId, mask);
            for (int i = 0; i < rows.Length; i++) answers[start + i] = vocab.Decode(generated[i]);
        }
        rate = set.Questions.Count / clock.Elapsed.TotalSeconds;
        return answers;
    }

    public static string[] OrtAnswers(ModelArtifact artifact, TestSet set, int batchSize, out double rate)
    {
        var answers = new string[set.Questions.Count];
        var clock = Stopwatch.StartNew();
        foreach (var (start, rows) in Batches(set, batchSize))
        {
            var embeddings = artifact.EncodeImages(HostRows.Gather(set.Pixels, rows))[ArtifactNames.ImageEmbeddings];
            var generated = artifact.Decoder.Generate(embeddings, set.Prompts.Skip(start).Take(rows.Length).ToArray(), MaxAnswerTokens);
            for (int i = 0; i < rows.Length; i++) answers[start + i] = artifact.Tokenizer.Decode(generated[i]);
        }
        rate = set.Questions.Count / clock.Elapsed.TotalSeconds;
        return answers;
    }

    /// <summary>Batches of consecutive questions: start index and each question's image row.</summary>
    public static IEnumerable<(int Start, int[] Rows)> Batches(TestSet set, int batchSize)
    {
        for (int start = 0; start < set.Questions.Count; start += batchSize)
            yield return (start, Enumerable.Range(start, Math.Min(batchSize, set.Questions.Count - start)).Select(i => set.ImageRow[set.Questions[i].Image]).ToArray());
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
