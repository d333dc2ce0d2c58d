using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Export;

/// <summary>
/// The test that matters: every exposed output, from ONNX Runtime (CPU), against TorchSharp, for
/// every variant and both opsets, on padded batches with prompts of different lengths.
/// </summary>
[TestFixture]
public class ParityTests
{
    [TestCaseSource(typeof(ExportFixture), nameof(ExportFixture.VariantsAndOpsets))]
    [TestCaseSource(typeof(ExportFixture), nameof(ExportFixture.OtherShapes))]
    public void EveryOutputMatchesTorchSharpOnAPaddedBatch(ExportFixture.Key key, int opset)
    {
        string artifact = ExportFixture.Artifact(key, opset);
        using var model = ExportFixture.LoadModel(key);
        var (pixels, ids, mask) = ParityHarness.PaddedBatch(model.Config);
        Assert.That(mask.Longs, Does.Contain(0L), "the batch is padded");
        var rows = ParityHarness.Compare(artifact, model, pixels, ids, mask);
        ParityHarness.Print($"{key} opset {opset}", rows);

        var expected = new[] { ImageEmbeddings, EncoderFeatures, ProjectorOutput }
            .Concat(key.Variant.UsesNormAdapter() ? [AdapterOutput] : [])
            .Select(n => $"{VisionGraph}/{n}")
            .Concat(new[] { Logits, TextEmbeddings, ImageStart, HiddenStates, AttentionProbs(0), AttentionProbs(1), PresentKey(0), PresentValue(0), PresentKey(1), PresentValue(1) }
                .Select(n => $"{LanguageGraph}/{n}"));
        Assert.That(rows.Select(r => r.Name), Is.EquivalentTo(expected), "every exposed output is compared");
        ParityHarness.AssertAllPass(rows);
    }

    [TestCaseSource(typeof(ExportFixture), nameof(ExportFixture.VariantsAndOpsets))]
    public void TheArtifactsTestVectorsPassOnOnnxRuntime(ExportFixture.Key key, int opset)
    {
        string artifact = ExportFixture.Artifact(key, opset);
        var manifest = ArtifactFiles.ReadManifest(artifact);
        var rows = TestVectors.Run(artifact, manifest);
        ParityHarness.Print($"{key} opset {opset} test vectors", rows);
        Assert.That(rows, Has.Count.EqualTo(manifest.Graphs.Sum(g => g.Outputs.Count)));
        ParityHarness.AssertAllPass(rows);
    }

    [TestCase(Variant.Baseline)]
    [TestCase(Variant.Norm)]
    [TestCase(Variant.NormMultilayer)]
    public void Opset17And23Agree(Variant variant)
    {
        var key = new ExportFixture.Key(variant);
        using var model = ExportFixture.LoadModel(key);
        var (pixels, ids, mask) = ParityHarness.PaddedBatch(model.Config, seed: 3);
        var a = ParityHarness.RunOrt(ExportFixture.Artifact(key, ExportOpsets.Default), pixels, ids, mask);
        var b = ParityHarness.RunOrt(ExportFixture.Artifact(key, ExportOpsets.Standard), pixels, ids, mask);
        var rows = a.Vision.Select(p => TensorComparison.Compare($"{VisionGraph}/{p.Key}", b.Vision[p.Key], p.Value, Tolerance.Default))
            .Concat(a.Language.Select(p => TensorComparison.Compare($"{LanguageGraph}/{p.Key}", b.Language[p.Key], p.Value, Tolerance.Default)))
            .ToArray();
        ParityHarness.Print($"{variant.ToCliName()}: opset 23 against opset 17", rows);
        Assert.That(rows, Has.Length.EqualTo(a.Vision.Count + a.Language.Count));
        ParityHarness.AssertAllPass(rows);
    }

    [Test]
    public void OnlyTheRequestedOutputsAreComputed()
    {
        string artifact = ExportFixture.Artifact(new ExportFixture.Key(Variant.Norm), ExportOpsets.Default);
        using var session = OrtGraphSession.Open(Path.Combine(artifact, VisionFile));
        var (pixels, _, _) = ParityHarness.PaddedBatch(ExportFixture.Config(new ExportFixture.Key(Variant.Norm)));
        var outputs = session.Run(new Dictionary<string, HostTensor> { [Pixels] = pixels }, [ImageEmbeddings]);
        Assert.That(outputs.Keys, Is.EqualTo(new[] { ImageEmbeddings }));
        Assert.That(outputs[ImageEmbeddings].Shape, Is.EqualTo(new long[] { 2, 16, 32 }));
    }
}
