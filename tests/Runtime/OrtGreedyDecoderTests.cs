using Google.Protobuf;
using Pipeline.Data;
using Pipeline.Export;
using Pipeline.Export.Builder;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Runtime;

/// <summary>
/// ORT greedy decoding on the language graph of a tiny random model gives the ids TorchSharp's
/// GenerateGreedy gives, on a batch of prompts of different lengths (padding and a growing
/// attention mask), for both opsets, with and without rows stopping early at EOS, and with and
/// without the step graph's KV cache (which drops finished rows from the batch).
/// </summary>
[TestFixture]
public class OrtGreedyDecoderTests
{
    const int ImageSize = 16, MaxNewTokens = 4;

    static readonly string[] Questions =
    [
        "is the red circle left of the blue square?",
        "what shape is at the left?",
        "what color is at the top of the image?",
        "what object is at the bottom?",
    ];

    readonly string _dir = Path.Combine(Path.GetTempPath(), $"pipeline-greedy-tests-{Guid.NewGuid():N}");
    readonly Dictionary<int, string> _graphs = [];
    readonly Dictionary<int, string> _steps = [];
    WordVocab _vocab = null!;
    VisionLanguageModel _model = null!;
    long[][] _prompts = [];
    HostTensor _image = null!;

    [OneTimeSetUp]
    public void Build()
    {
        var vocabFile = new VocabFile(1, Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos, Vocabulary.Unk, Vocabulary.Image, Vocabulary.BuildTokens(ImageSize));
        _vocab = new WordVocab(vocabFile);
        var config = ModelConfig.Tiny(_vocab.Count, Variant.NormMultilayer) with { Norm = new NormConstants(0.61, 1.37) };
        manual_seed(23);
        _model = new VisionLanguageModel(config);
        _model.eval();

        Directory.CreateDirectory(_dir);
        foreach (int opset in ExportOpsets.Supported)
        {
            _graphs[opset] = Write(LanguageModelGraph.Build(config, new ModelWeights(_model), opset), $"language_model-opset{opset}.onnx", opset);
            _steps[opset] = Write(LanguageModelGraph.BuildStep(config, new ModelWeights(_model), opset), $"language_model_step-opset{opset}.onnx", opset);
        }

        var prompts = new Prompts(_vocab);
        _prompts = Questions.Select(prompts.ImageQuestion).ToArray();
        Assert.That(_prompts.Select(p => p.Length).Distinct().Count(), Is.GreaterThan(1), "prompts of different lengths, so the batch is padded");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = rand(_prompts.Length, 3, ImageSize, ImageSize) * 2 - 1;
        _image = HostTensors.ToHost(_model.ProjectFeatures(_model.EncodeImage(pixels)));
    }

    string Write(GraphBuilder graph, string file, int opset)
    {
        string path = Path.Combine(_dir, file);
        File.WriteAllBytes(path, graph.ToModel(new ModelInfo(opset, ExportOpsets.IrVersion(opset), "test", "0", graph.DocString, [])).ToByteArray());
        return path;
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _model?.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    long[][] Torch(long eos, int maxNewTokens = MaxNewTokens)
    {
        using var scope = NewDisposeScope();
        var (ids, mask) = TokenBatch.Prompts(_prompts, _vocab.PadId);
        return _model.GenerateGreedy(HostTensors.ToTorch(_image), ids, maxNewTokens, eos, mask);
    }

    long[][] Ort(int opset, long eos, int maxNewTokens = MaxNewTokens, bool cached = false)
    {
        using var session = OrtGraphSession.Open(_graphs[opset]);
        using var step = cached ? OrtGraphSession.Open(_steps[opset]) : null;
        var decoder = new OrtGreedyDecoder(session, eos, _vocab.PadId, step);
        Assert.That(decoder.Cached, Is.EqualTo(cached));
        return decoder.Generate(_image, _prompts, maxNewTokens);
    }

    [TestCase(ExportOpsets.Default, false)]
    [TestCase(ExportOpsets.Standard, false)]
    [TestCase(ExportOpsets.Default, true)]
    [TestCase(ExportOpsets.Standard, true)]
    public void GeneratesTheIdsTorchSharpGenerates(int opset, bool cached)
    {
        var torch = Torch(_vocab.EosId);
        var ort = Ort(opset, _vocab.EosId, cached: cached);
        for (int i = 0; i < _prompts.Length; i++)
            TestContext.Out.WriteLine($"{Questions[i]} → torch [{string.Join(' ', torch[i])}] ort [{string.Join(' ', ort[i])}]");
        Assert.That(ort, Is.EqualTo(torch));
        Assert.That(ort.Sum(g => g.Length), Is.GreaterThan(0), "a random model that stops at once tests nothing");
    }

    [TestCase(ExportOpsets.Default, false)]
    [TestCase(ExportOpsets.Standard, false)]
    [TestCase(ExportOpsets.Default, true)]
    [TestCase(ExportOpsets.Standard, true)]
    public void RowsStopAtEosWhileOthersGoOn(int opset, bool cached)
    {
        // Make the token row 0 would generate second the end of sequence: row 0 stops after one
        // token, rows that never produce it keep going with row 0 still in the batch.
        var free = Torch(eos: -1);
        Assume.That(free[0], Has.Length.EqualTo(MaxNewTokens));
        long eos = free[0][1];
        var torch = Torch(eos);
        var ort = Ort(opset, eos, cached: cached);
        Assert.That(ort, Is.EqualTo(torch));
        Assert.That(ort[0], Is.EqualTo(free[0].TakeWhile(t => t != eos).ToArray()));
        Assert.That(ort[0], Has.Length.LessThan(MaxNewTokens));
        Assert.That(ort.SelectMany(g => g), Does.Not.Contain(eos), "EOS is never returned");
    }

    [TestCase(ExportOpsets.Default)]
    [TestCase(ExportOpsets.Standard)]
    public void TheCacheRunsEveryStepAsLongAsRowsGoOn(int opset)
    {
        // No EOS: every row runs the step graph on 1 … 5 new tokens against the same cache.
        var torch = Torch(eos: -1, maxNewTokens: 6);
        Assert.That(Ort(opset, eos: -1, maxNewTokens: 6, cached: true), Is.EqualTo(torch));
        Assert.That(torch, Has.All.Length.EqualTo(6));
    }

    [TestCase(ExportOpsets.Default)]
    [TestCase(ExportOpsets.Standard)]
    public void TheStepInputsTheDecoderBuildsGiveTorchSharpsLogits(int opset)
    {
        // The logits, not just their argmax: a position or mask off by one can leave a random model's argmax unchanged.
        var tokens = Torch(eos: -1, maxNewTokens: 3);
        using var language = OrtGraphSession.Open(_graphs[opset]);
        using var step = OrtGraphSession.Open(_steps[opset]);
        var (ids, mask) = PromptBatch.PadRight(_prompts, _vocab.PadId);
        var kvCache = ArtifactNames.KvCache(layers: 2).ToArray();
        var cache = language.Run(new Dictionary<string, HostTensor>
        {
            [ArtifactNames.ImageEmbeddings] = _image, [ArtifactNames.InputIds] = ids, [ArtifactNames.AttentionMask] = mask,
        }, kvCache.Select(c => c.Present));
        long m = _image.Shape[1], past = ids.Shape[1] + m - 1;
        var realLength = _prompts.Select(p => p.Length + m - 1).ToArray();
        for (int count = 1; count <= 3; count++)
        {
            var generated = tokens.Select(t => t.Take(count).ToArray()).ToArray();
            var feeds = OrtGreedyDecoder.StepInputs(generated, realLength, past);
            foreach (var (present, pastName) in kvCache) feeds[pastName] = cache[present];
            var ort = step.Run(feeds, [ArtifactNames.Logits])[ArtifactNames.Logits];
            var torch = TorchReference.StepLogits(_model, _image, _prompts, generated, _vocab.PadId);
            var row = TensorComparison.Compare($"{count} new tokens", ort, torch, Tolerance.Default);
            Assert.That(row.Passed, $"{count} new tokens: max abs {row.MaxAbs:G3}, {row.Mismatches} of {row.Count} beyond tolerance");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ZeroNewTokensGivesEmptyRows(bool cached) =>
        Assert.That(Ort(ExportOpsets.Default, _vocab.EosId, maxNewTokens: 0, cached: cached), Is.All.Empty);

    [Test]
    public void AStepGraphMustReadTheLanguageGraphsCache()
    {
        using var language = OrtGraphSession.Open(_graphs[ExportOpsets.Default]);
        Assert.That(() => new OrtGreedyDecoder(language, _vocab.EosId, _vocab.PadId, language),
            Throws.ArgumentException.With.Message.Contains("is not a step graph"));
    }

    [Test]
    public void MismatchedOrEmptyInputsAreArgumentErrors()
    {
        using var session = OrtGraphSession.Open(_graphs[ExportOpsets.Default]);
        var decoder = new OrtGreedyDecoder(session, _vocab.EosId, _vocab.PadId);
        Assert.That(() => decoder.Generate(_image, _prompts.Take(2).ToArray(), 1),
            Throws.ArgumentException.With.Message.Contains("4 rows"));
        Assert.That(() => decoder.Generate(_image, [.. _prompts.Take(3), []], 1),
            Throws.ArgumentException.With.Message.Contains("at least one token"));
        Assert.That(() => decoder.Generate(HostTensor.Int64([4, 1], [1, 2, 3, 4]), _prompts, 1),
            Throws.ArgumentException.With.Message.Contains("float32"));
        Assert.That(() => decoder.Generate(_image, _prompts, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
