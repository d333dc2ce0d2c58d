using Pipeline.Runtime;
using Pipeline.Train.Text;

namespace Pipeline.Tests.Runtime;

/// <summary>The runtime's prompts are the training code's, id for id.</summary>
[TestFixture]
public class PromptTokenizerTests
{
    static PromptTokenizer Tokenizer(out ArtifactManifest manifest)
    {
        manifest = ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline);
        return PromptTokenizer.Load(RuntimeArtifacts.Baseline, manifest.Prompt);
    }

    static WordVocab TrainingVocab() => new(VocabFile.Read(Path.Combine(RuntimeArtifacts.Baseline, ArtifactNames.VocabFile)));

    [Test]
    public void EveryQuestionOfA2dsTestSplitGetsTheTrainingPromptIds()
    {
        var tokenizer = Tokenizer(out _);
        var prompts = new Prompts(TrainingVocab());
        var questions = TinySplits.Test.Questions;
        Assert.That(questions, Has.Count.EqualTo(30));
        foreach (var q in questions)
            Assert.That(tokenizer.EncodePrompt(q.Text), Is.EqualTo(prompts.ImageQuestion(q.Text)), q.Text);
    }

    [TestCase("What COLOR is at the top, of the image ?!")]
    [TestCase("is the teal hexagon left of 3 squares?")]
    [TestCase("")]
    public void CaseUnknownWordsAndPunctuationFollowTrainingToo(string question) =>
        Assert.That(Tokenizer(out _).EncodePrompt(question), Is.EqualTo(new Prompts(TrainingVocab()).ImageQuestion(question)));

    [Test]
    public void DecodeStopsAtTheEndLikeTraining()
    {
        var tokenizer = Tokenizer(out var manifest);
        var vocab = TrainingVocab();
        long[] ids = [.. vocab.Encode("purple cross"), manifest.Prompt.EosId, .. vocab.Encode("red")];
        Assert.That(tokenizer.Decode(ids), Is.EqualTo("purple cross").And.EqualTo(vocab.Decode(ids)));
        Assert.That(tokenizer.Decode([-1, 100_000]), Is.EqualTo("<unk> <unk>"));
        Assert.That(tokenizer.VocabSize, Is.EqualTo(vocab.Count));
    }

    [Test]
    public void TheTemplatePlacesOneImageTokenAfterBos()
    {
        var tokenizer = Tokenizer(out var manifest);
        long[] ids = tokenizer.EncodePrompt("what shape is at the left?");
        Assert.That(ids[..2], Is.EqualTo(new[] { manifest.Prompt.BosId, manifest.Prompt.ImageTokenId }));
        Assert.That(ids.Count(i => i == manifest.Prompt.ImageTokenId), Is.EqualTo(1));
    }

    [Test]
    public void AQuestionHoldingTheImagePlaceholderIsRefused() =>
        Assert.That(() => Tokenizer(out _).EncodePrompt("what is <image> ?"), Throws.ArgumentException.With.Message.Contains("<image>"));

    [Test]
    public void AManifestWhoseIdsDisagreeWithTheVocabularyIsRefused()
    {
        var manifest = ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline);
        var vocab = VocabFile.Read(Path.Combine(RuntimeArtifacts.Baseline, ArtifactNames.VocabFile));
        Assert.That(() => new PromptTokenizer(vocab, manifest.Prompt with { ImageTokenId = manifest.Prompt.ImageTokenId + 1 }),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("image token"));
        Assert.That(() => new PromptTokenizer(vocab, manifest.Prompt with { Template = "<bos> <image> question :" }),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("{question}"));
    }
}
