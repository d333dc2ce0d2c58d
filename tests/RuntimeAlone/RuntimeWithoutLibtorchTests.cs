using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Runtime.Tests;

/// <summary>
/// What a deployment does with an artifact, in a process that has no TorchSharp: validate it and
/// answer questions about an image (tampering: ArtifactValidatorTests, on the same artifact). The committed tiny artifact was trained in
/// PyTorch and exported by this pipeline.
/// </summary>
[TestFixture]
public sealed class RuntimeWithoutLibtorchTests
{
    static string Artifact => Pipeline.Tests.Runtime.FixtureArtifact.Path;

    [Test]
    public void NeitherTorchSharpNorLibtorchIsHere()
    {
        Assert.That(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name), Has.None.StartsWith("TorchSharp"));
        Assert.That(Directory.EnumerateFiles(TestContext.CurrentContext.TestDirectory, "libtorch*"), Is.Empty);
        Assert.That(File.Exists(Path.Combine(TestContext.CurrentContext.TestDirectory, "TorchSharp.dll")), Is.False);
    }

    [Test]
    public void TheArtifactValidatesOnTheCpu()
    {
        var report = ArtifactValidator.Validate(Artifact, new SessionSettings(IntraOpThreads: 2));
        Assert.That(report.Passed, Is.True, string.Join("; ", report.Outputs.Where(o => !o.Passed).Select(o => $"{o.Graph}/{o.Output}")));
        Assert.That(report.Outputs.Select(o => o.TestSet).Distinct(), Is.EquivalentTo(new[] { TestSetFolder(VisionGraph), TestSetFolder(LanguageGraph), TestSetFolder(LanguageStepGraph) }));
    }

    [Test]
    public void ItAnswersQuestionsFromItsOwnVocabulary()
    {
        using var model = ModelArtifact.Open(Artifact);
        var (_, pixels) = TensorProtoFile.Read(Path.Combine(Artifact, TestSetFolder(VisionGraph), "input_0.pb"));
        int images = (int)pixels.Shape[0];
        string[] questions = Enumerable.Repeat("what color is the object at the top ?", images).ToArray();
        var answers = model.Answer(pixels, questions);
        Assert.That(answers, Has.Length.EqualTo(images));
        var vocab = Pipeline.Core.VocabFile.Read(Path.Combine(Artifact, ArtifactNames.VocabFile)).Tokens.ToHashSet();
        Assert.That(answers.SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)), Has.All.Matches<string>(vocab.Contains),
            "decoded words come from the vocabulary");
    }

    [Test]
    public void AnswersDoNotDependOnHowManyBatchesRunSideBySide()
    {
        var (_, pixels) = TensorProtoFile.Read(Path.Combine(Artifact, TestSetFolder(VisionGraph), "input_0.pb"));
        int images = (int)pixels.Shape[0];
        string[] questions = ["what color is the object at the top ?", "what shape is at the left of the image ?", "is the red circle left of the blue square ?"];
        var rows = Enumerable.Range(0, 12).Select(i => i % images).ToArray();
        AnswerRun Answers(SessionSettings settings)
        {
            using var model = ModelArtifact.Open(Artifact, settings);
            Assert.That(model.Decoder.Cached, "the fixture has a step graph");
            var prompts = rows.Select((_, i) => model.Tokenizer.EncodePrompt(questions[i % questions.Length])).ToArray();
            // Batches of 5, 5 and 2 questions.
            return GreedyAnswers.FromPixels(model, pixels, rows, prompts, batchSize: 5, maxNewTokens: 4);
        }
        var one = Answers(SessionSettings.Default);
        var side = Answers(SessionSettings.ForAnswering(3));
        Assert.That(side.Ids, Is.EqualTo(one.Ids));
        Assert.That(one.Ids.Sum(a => a.Length), Is.GreaterThan(0), "answers that stop at once test nothing");
    }
}
