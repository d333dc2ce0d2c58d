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
        var ort = new OrtGreedyDecoder(language, vocab.EosId, vocab.PadId).Generate(image, prompts, MaxNewTokens);

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
}
