using Pipeline.Data;
using Pipeline.Tests.Train.Training;
using Pipeline.Train.Text;

namespace Pipeline.Tests.Train.Text;

[TestFixture]
public class SceneTranscriptsTests
{
    static readonly Lazy<(Dataset Train, WordVocab Vocab)> Tiny = new(() =>
    {
        using var ctx = TinyRun.Context(TinyRun.NewRunDir());
        return (ctx.Train, ctx.Vocab);
    });

    [Test]
    public void TranscriptStartsAsTheEvaluationPromptAndTargetsEveryAnswer()
    {
        var (_, vocab) = Tiny.Value;
        var prompts = new Prompts(vocab);
        string context = "the red circle is at x 3 y 4.";
        var pairs = new[] { ("what color is the circle?", "red"), ("what object is at the top of the image?", "red circle") };
        var example = prompts.TextTranscript(context, pairs);

        var first = prompts.TextQuestion(context, pairs[0].Item1);
        Assert.That(example.Ids.Take(first.Length), Is.EqualTo(first));
        var targets = example.Ids.Where((_, i) => example.Target[i]).Select(id => vocab.File.Tokens[(int)id]);
        Assert.That(targets, Is.EqualTo(new[] { "red", "<eos>", "red", "circle", "<eos>" }));
    }

    [Test]
    public void LookupsNameEachObjectsColourAndShape()
    {
        var objects = new[] { new SceneObject("red", "circle", 3, 4, 8), new SceneObject("blue", "star", 20, 9, 8) };
        Assert.That(QuestionWriter.Lookups(objects), Is.EqualTo(new[]
        {
            ("what color is the circle?", "red"), ("what shape is the red object?", "circle"),
            ("what color is the star?", "blue"), ("what shape is the blue object?", "star"),
        }));
    }

    [Test]
    public void PositionLookupsAskEachObjectsCellByOneOfItsThreeNames()
    {
        var (_, vocab) = Tiny.Value;
        var objects = new[] { new SceneObject("red", "circle", 3, 47, 8), new SceneObject("blue", "star", 20, 9, 8) };
        var lookups = QuestionWriter.PositionLookups(objects, Rng.For("test", 1, 0), cell: 8).ToArray();

        Assert.That(lookups.Select(l => l.Answer), Is.EqualTo(new[] { "0", "5", "2", "1" }));
        Assert.That(QuestionWriter.PositionLookups(objects, Rng.For("test", 1, 0)).Select(l => l.Answer), Is.EqualTo(new[] { "3", "47", "20", "9" }),
            "without a grid the answers are the pixel coordinates the scene descriptions give");
        string[] red = ["the red object", "the circle", "the red circle"], blue = ["the blue object", "the star", "the blue star"];
        Assert.That(lookups[0].Text, Is.AnyOf(red.Select(n => $"what is the x of {n}?").ToArray()));
        Assert.That(lookups[1].Text, Is.AnyOf(red.Select(n => $"what is the y of {n}?").ToArray()));
        Assert.That(lookups[3].Text, Is.AnyOf(blue.Select(n => $"what is the y of {n}?").ToArray()));
        Assert.That(lookups.SelectMany(l => vocab.Encode(l.Text + " " + l.Answer)), Has.None.EqualTo(vocab.UnkId), "every word is in the vocabulary");

        var many = Enumerable.Range(0, 60).SelectMany(i => QuestionWriter.PositionLookups(objects, Rng.For("test", 1, i), 8)).Select(l => l.Text).ToHashSet();
        Assert.That(many, Has.Count.EqualTo(12), "each of the three names, for each axis and object");
    }

    [Test]
    public void PositionLookupsAddFourAnswersPerObject()
    {
        var (train, vocab) = Tiny.Value;
        var prompts = new Prompts(vocab);
        var examples = SceneTranscripts.Build(train, prompts, seed: 1, 512, cell: 8, positionLookups: true);
        int answers = examples.Sum(e => e.Ids.Where((id, i) => e.Target[i] && id == vocab.EosId).Count());
        Assert.That(answers, Is.EqualTo(train.Questions.Count + train.Scenes.Sum(s => 4 * s.Objects.Count)));
        Assert.That(examples.SelectMany(e => e.Ids), Has.None.EqualTo(vocab.UnkId));
    }

    [Test]
    public void EveryQuestionOfEverySceneAppearsOnceWithinTheLength()
    {
        var (train, vocab) = Tiny.Value;
        var prompts = new Prompts(vocab);
        const int maxTokens = 80;  // small enough to split scenes with many objects
        var examples = SceneTranscripts.Build(train, prompts, seed: 1, maxTokens);

        Assert.That(examples.Max(e => e.Ids.Length), Is.LessThanOrEqualTo(maxTokens));
        Assert.That(examples, Has.Count.GreaterThan(train.Scenes.Count), "some scenes split over several sequences");
        int answers = examples.Sum(e => e.Ids.Where((id, i) => e.Target[i] && id == vocab.EosId).Count());
        int expected = train.Questions.Count + train.Scenes.Sum(s => 2 * s.Objects.Count);
        Assert.That(answers, Is.EqualTo(expected), "one end token per question and lookup");
        Assert.That(examples.All(e => e.Ids[0] == vocab.BosId && !e.Target[0]));
    }

    [Test]
    public void SameSeedSameSequences()
    {
        var (train, vocab) = Tiny.Value;
        var prompts = new Prompts(vocab);
        var a = SceneTranscripts.Build(train, prompts, seed: 1, 512);
        var b = SceneTranscripts.Build(train, prompts, seed: 1, 512);
        var c = SceneTranscripts.Build(train, prompts, seed: 2, 512);
        Assert.That(a.Select(e => e.Ids), Is.EqualTo(b.Select(e => e.Ids)));
        Assert.That(a.Select(e => e.Ids), Is.Not.EqualTo(c.Select(e => e.Ids)));
    }

    [Test]
    public void AQuestionLongerThanTheModelGetsAClearError()
    {
        var (train, vocab) = Tiny.Value;
        var ex = Assert.Throws<ArgumentException>(() => SceneTranscripts.Build(train, new Prompts(vocab), seed: 1, maxTokens: 20));
        Assert.That(ex!.Message, Does.Contain("more than the language model's 20"));
    }
}
