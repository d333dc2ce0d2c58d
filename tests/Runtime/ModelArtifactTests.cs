using Pipeline.Export;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Train.Model;
using Pipeline.Train.Text;
using static Pipeline.Runtime.ArtifactNames;
using static TorchSharp.torch;

namespace Pipeline.Tests.Runtime;

/// <summary>An artifact opened for use: verified, both graphs, prompts, and answers equal to the training code's.</summary>
[TestFixture]
public class ModelArtifactTests
{
    const int MaxNewTokens = 4;

    [Test]
    public void OpensVerifiedWithEverythingTheManifestDescribes()
    {
        using var artifact = ModelArtifact.Open(RuntimeArtifacts.Baseline);
        Assert.That(artifact.Directory, Is.EqualTo(Path.GetFullPath(RuntimeArtifacts.Baseline)));
        Assert.That(artifact.Manifest.Variant, Is.EqualTo("baseline"));
        Assert.That(artifact.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
        Assert.That(artifact.FallbackReason, Is.Null);
        Assert.That(artifact.Vision.InputNames, Is.EqualTo(new[] { Pixels }));
        Assert.That(artifact.Language.OutputNames, Does.Contain(Logits));
        Assert.That(artifact.Decoder.EosId, Is.EqualTo(artifact.Manifest.Prompt.EosId));
        Assert.That(artifact.Decoder.PadId, Is.EqualTo(artifact.Manifest.Prompt.PadId));
        Assert.That(artifact.Tokenizer.VocabSize, Is.EqualTo(ExportFixture.Vocab.Tokens.Count));
        Assert.That(artifact.Preprocessor.ImageSize, Is.EqualTo(ExportFixture.ImageSize));
    }

    [Test]
    public void IntermediatesComeOnlyWhenAskedFor()
    {
        using var artifact = ModelArtifact.Open(RuntimeArtifacts.Baseline);
        var pixels = RuntimeArtifacts.Pixels16(seed: 1);
        Assert.That(artifact.EncodeImages(pixels).Keys, Is.EquivalentTo(new[] { ImageEmbeddings }));
        var both = artifact.EncodeImages(pixels, EncoderFeatures);
        Assert.That(both.Keys, Is.EquivalentTo(new[] { ImageEmbeddings, EncoderFeatures }));
        int m = artifact.Manifest.Adapters.NumImageTokens;
        Assert.That(both[ImageEmbeddings].Shape[..2], Is.EqualTo(new long[] { 2, m }));

        long[][] prompts = [artifact.Tokenizer.EncodePrompt("what shape is at the left?"), artifact.Tokenizer.EncodePrompt("is the red circle left of the blue square?")];
        var language = artifact.RunLanguage(both[ImageEmbeddings], prompts);
        Assert.That(language.Keys, Is.EquivalentTo(new[] { Logits }));
        long sequence = prompts.Max(p => p.Length) + m - 1;
        Assert.That(language[Logits].Shape, Is.EqualTo(new long[] { 2, sequence, artifact.Tokenizer.VocabSize }));

        var analysis = artifact.RunLanguage(both[ImageEmbeddings], prompts, AttentionProbs(0), TextEmbeddings, ImageStart);
        Assert.That(analysis.Keys, Is.EquivalentTo(new[] { AttentionProbs(0), TextEmbeddings, ImageStart }));
        Assert.That(analysis[AttentionProbs(0)].Shape[^2..], Is.EqualTo(new[] { sequence, sequence }));
        Assert.That(analysis[ImageStart].Longs, Is.EqualTo(new long[] { 1, 1 }), "the image sits right after <bos>");
        Assert.That(() => artifact.RunLanguage(both[ImageEmbeddings], prompts, "nope"), Throws.ArgumentException.With.Message.Contains("no output 'nope'"));
    }

    [Test]
    public void RunLanguageChecksTheBatchAgreesWithTheImages()
    {
        using var artifact = ModelArtifact.Open(RuntimeArtifacts.Baseline);
        var image = artifact.EncodeImages(RuntimeArtifacts.Pixels16(seed: 1))[ImageEmbeddings];
        Assert.That(() => artifact.RunLanguage(image, [artifact.Tokenizer.EncodePrompt("what?")]), Throws.ArgumentException.With.Message.Contains("1 prompts"));
        Assert.That(() => artifact.Answer(image, ["what?", "why?"]), Throws.ArgumentException.With.Message.Contains("2 questions"));
    }

    [TestCase(Variant.Baseline, ExportOpsets.Default)]
    [TestCase(Variant.NormMultilayer, ExportOpsets.Standard)]
    public void AnswersEqualTheTrainingCodesGreedyDecoding(Variant variant, int opset)
    {
        var key = new ExportFixture.Key(variant);
        using var artifact = ModelArtifact.Open(RuntimeArtifacts.Artifact(key, opset));
        var questions = TinySplits.Test.Questions.Take(6).Select(q => q.Text).ToArray();
        var pixels = RuntimeArtifacts.Pixels16(seed: 9, batch: questions.Length);
        string[] ours = artifact.Answer(pixels, questions, MaxNewTokens);

        var vocab = new WordVocab(ExportFixture.Vocab);
        string[] theirs;
        using (var model = RuntimeArtifacts.LoadModel(key))
        using (var scope = NewDisposeScope())
        {
            var prompts = questions.Select(new Prompts(vocab).ImageQuestion).ToArray();
            var (ids, mask) = Pipeline.Train.Training.TokenBatch.Prompts(prompts, vocab.PadId);
            using var noGrad = no_grad();
            using var pixelTensor = tensor(pixels.Floats, pixels.Shape);
            var embeddings = model.ProjectFeatures(model.EncodeImage(pixelTensor));
            theirs = model.GenerateGreedy(embeddings, ids, MaxNewTokens, vocab.EosId, mask).Select(vocab.Decode).ToArray();
        }
        for (int i = 0; i < questions.Length; i++) TestContext.Out.WriteLine($"{questions[i]} → ort [{ours[i]}] torch [{theirs[i]}]");
        Assert.That(ours, Is.EqualTo(theirs));
        Assert.That(ours, Has.Some.Not.Empty, "a random model still says something");
    }

    [Test]
    public void OpeningRefusesAChangedFile()
    {
        string copy = RuntimeArtifacts.Copy();
        ArtifactTampering.FlipByte(copy, ArtifactNames.VocabFile);
        Assert.That(() => ModelArtifact.Open(copy), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(ArtifactNames.VocabFile));
    }
}
