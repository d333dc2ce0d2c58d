using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Tests.Export;

/// <summary>Runs an artifact end to end on ONNX Runtime (CPU) and the TorchSharp model on the same batch.</summary>
internal static class ParityHarness
{
    /// <summary>Two rows with prompts of different lengths (the shorter right-padded) and random pixels in [−1, 1].</summary>
    public static (HostTensor Pixels, HostTensor Ids, HostTensor Mask) PaddedBatch(ModelConfig config, long seed = 11)
    {
        var vocab = new WordVocab(ExportFixture.Vocab);
        var prompts = new Prompts(vocab);
        long[][] rows =
        [
            prompts.ImageQuestion("is the red circle left of the blue square?"),
            prompts.ImageQuestion("what shape is at the left?"),
        ];
        int t = rows.Max(r => r.Length);
        var ids = rows.SelectMany(r => r.Concat(Enumerable.Repeat(vocab.PadId, t - r.Length))).ToArray();
        var mask = rows.SelectMany(r => Enumerable.Range(0, t).Select(i => i < r.Length ? 1L : 0L)).ToArray();
        manual_seed(seed);
        using var pixels = rand(rows.Length, 3, config.Vision.ImageSize, config.Vision.ImageSize) * 2 - 1;
        return (HostTensors.ToHost(pixels), HostTensor.Int64([rows.Length, t], ids), HostTensor.Int64([rows.Length, t], mask));
    }

    /// <summary>
    /// Every output of both graphs against TorchSharp; the language graph reads ONNX Runtime's own
    /// image embeddings, as a deployment would.
    /// </summary>
    public static IReadOnlyList<ParityRow> Compare(string artifact, VisionLanguageModel model, HostTensor pixels, HostTensor ids, HostTensor mask, Tolerance? tolerance = null)
    {
        tolerance ??= Tolerance.Default;
        var reference = TorchReference.Run(model, pixels, ids, mask);
        var (vision, language) = RunOrt(artifact, pixels, ids, mask);
        return reference.Vision.Select(r => TensorComparison.Compare($"{VisionGraph}/{r.Key}", vision[r.Key], r.Value, tolerance))
            .Concat(reference.Language.Select(r => TensorComparison.Compare($"{LanguageGraph}/{r.Key}", language[r.Key], r.Value, tolerance)))
            .ToArray();
    }

    public static (IReadOnlyDictionary<string, HostTensor> Vision, IReadOnlyDictionary<string, HostTensor> Language) RunOrt(
        string artifact, HostTensor pixels, HostTensor ids, HostTensor mask)
    {
        using var vision = OrtGraphSession.Open(Path.Combine(artifact, VisionFile));
        using var language = OrtGraphSession.Open(Path.Combine(artifact, LanguageFile));
        var v = vision.Run(new Dictionary<string, HostTensor> { [Pixels] = pixels });
        var l = language.Run(new Dictionary<string, HostTensor> { [ImageEmbeddings] = v[ImageEmbeddings], [InputIds] = ids, [AttentionMask] = mask });
        return (v, l);
    }

    public static void Print(string title, IEnumerable<ParityRow> rows)
    {
        TestContext.Out.WriteLine(title);
        foreach (var r in rows)
            TestContext.Out.WriteLine($"  {r.Name,-34} {r.Shape,-18} max abs {r.MaxAbs,10:E2}  max rel {r.MaxRel,10:E2}  {(r.Passed ? "pass" : $"FAIL {r.Mismatches}/{r.Count} {r.Problem}")}");
    }

    public static void AssertAllPass(IReadOnlyList<ParityRow> rows)
    {
        var failed = rows.Where(r => !r.Passed).Select(r => $"{r.Name}: max abs {r.MaxAbs:E2}, max rel {r.MaxRel:E2}, {r.Mismatches}/{r.Count} {r.Problem}").ToArray();
        Assert.That(failed, Is.Empty, "outputs beyond atol 1e-4 and rtol 1e-3");
    }
}
