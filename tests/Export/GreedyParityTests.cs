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
        var pixels = HostTensors.ToHost(pixelTensor);

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

    /// <summary>The one answer loop gives the same ids whichever runtime answers, with images shared between questions and batches that split them.</summary>
    [TestCase(Variant.Norm, ExportOpsets.Default)]
    public void BothAnswerersGiveTheSameAnswersThroughGreedyAnswers(Variant variant, int opset)
    {
        var key = new ExportFixture.Key(variant);
        using var model = ExportFixture.LoadModel(key);
        using var artifact = ModelArtifact.Open(ExportFixture.Artifact(key, opset));
        var vocab = new WordVocab(ExportFixture.Vocab);
        var prompts = Questions.Concat(Questions).Select(new Prompts(vocab).ImageQuestion).ToArray();
        int[] imageRows = [0, 1, 2, 0, 2, 1, 1, 0];
        manual_seed(6);
        using var pixelTensor = rand(3, 3, ExportFixture.ImageSize, ExportFixture.ImageSize) * 2 - 1;
        var pixels = HostTensors.ToHost(pixelTensor);

        var torch = GreedyAnswers.FromPixels(new TorchAnswerer(model, vocab), pixels, imageRows, prompts, batchSize: 3, maxNewTokens: MaxNewTokens);
        var ort = GreedyAnswers.FromPixels(artifact, pixels, imageRows, prompts, batchSize: 5, maxNewTokens: MaxNewTokens);
        Assert.That(ort.Ids, Is.EqualTo(torch.Ids));
        Assert.That(ort.Texts, Is.EqualTo(torch.Ids.Select(vocab.Decode).ToArray()));
        Assert.That(torch.Ids.Length, Is.EqualTo(prompts.Length));
    }
}
