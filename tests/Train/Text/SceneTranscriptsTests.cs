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
