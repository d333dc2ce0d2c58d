using Pipeline.Export;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Tests.Export;

/// <summary>Greedy answers from the ONNX graphs equal TorchSharp's GenerateGreedy, token for token.</summary>
[TestFixture]
public class GreedyParityTests
{
    const int MaxNewTokens = 4;

    static readonly string[] Questions =
    [
        "what color is at the top of the image?",
        "is the red circle left of the blue square?",
        "what shape is at the left?",
        "what object is at the bottom of the image?",
    ];

    [TestCase(Variant.Baseline, ExportOpsets.Default)]
    [TestCase(Variant.Norm, ExportOpsets.Standard)]
    [TestCase(Variant.NormMultilayer, ExportOpsets.Default)]
    [TestCase(Variant.NormMultilayer, ExportOpsets.Standard)]
    public void GreedyAnswersAreIdentical(Variant variant, int opset)
    {
        var key = new ExportFixture.Key(variant);
        string artifact = ExportFixture.Artifact(key, opset);
        using var model = ExportFixture.LoadModel(key);
        var vocab = new WordVocab(ExportFixture.Vocab);
        var prompts = Questions.Select(new Prompts(vocab).ImageQuestion).ToArray();
        manual_seed(5);
        using var pixelTensor = rand(prompts.Length, 3, ExportFixture.ImageSize, ExportFixture.ImageSize) * 2 - 1;
        var pixels = TorchReference.ToHost(pixelTensor);

        using var vision = OrtGraphSession.Open(Path.Combine(artifact, VisionFile));
        using var language = OrtGraphSession.Open(Path.Combine(artifact, LanguageFile));
        var image = vision.Run(new Dictionary<string, HostTensor> { [Pixels] = pixels }, [ImageEmbeddings])[ImageEmbeddings];
        var ort = OrtGreedy(language, image, prompts, model.Config.NumImageTokens, vocab.EosId, vocab.PadId);

        long[][] torch;
        using (var scope = NewDisposeScope())
        {
            var (ids, mask) = Pipeline.Train.Training.TokenBatch.Prompts(prompts, vocab.PadId);
            using var noGrad = no_grad();
            var embeddings = model.ProjectFeatures(model.EncodeImage(pixelTensor));
            torch = model.GenerateGreedy(embeddings, ids, MaxNewTokens, vocab.EosId, mask);
        }
        for (int i = 0; i < prompts.Length; i++)
            TestContext.Out.WriteLine($"{Questions[i]} → torch [{vocab.Decode(torch[i])}] ort [{vocab.Decode(ort[i])}]");
        Assert.That(ort, Is.EqualTo(torch));
    }

    /// <summary>Batched greedy decoding on the language graph alone, as a runtime would do it (no KV cache).</summary>
    static long[][] OrtGreedy(OrtGraphSession language, HostTensor image, long[][] prompts, int m, long eos, long pad)
    {
        var rows = prompts.Select(p => p.ToList()).ToArray();
        var generated = rows.Select(_ => new List<long>()).ToArray();
        var done = new bool[rows.Length];
        for (int step = 0; step < MaxNewTokens && !done.All(d => d); step++)
        {
            int t = rows.Max(r => r.Count);
            var ids = rows.SelectMany(r => r.Concat(Enumerable.Repeat(pad, t - r.Count))).ToArray();
            var mask = rows.SelectMany(r => Enumerable.Range(0, t).Select(i => i < r.Count ? 1L : 0L)).ToArray();
            var logits = language.Run(new Dictionary<string, HostTensor>
            {
                [ImageEmbeddings] = image,
                [InputIds] = HostTensor.Int64([rows.Length, t], ids),
                [AttentionMask] = HostTensor.Int64([rows.Length, t], mask),
            }, [Logits])[Logits];
            long length = logits.Shape[1], vocabSize = logits.Shape[2];
            for (int r = 0; r < rows.Length; r++)
            {
                if (done[r]) continue;
                long position = rows[r].Count - 1 + m - 1;  // the row's last real token in the spliced sequence
                var row = logits.Floats.AsSpan((int)((r * length + position) * vocabSize), (int)vocabSize);
                long next = ArgMax(row);
                if (next == eos) { done[r] = true; continue; }
                rows[r].Add(next);
                generated[r].Add(next);
            }
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }

    static long ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
