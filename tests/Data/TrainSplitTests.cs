using Pipeline.Data;

namespace Pipeline.Tests.Data;

[TestFixture]
public class TrainSplitTests
{
    static Dataset Train => DataFixture.Train;

    [Test]
    public void HasSeveralQuestionsPerCategoryPerImage()
    {
        Assert.That(Train.Scenes, Has.Count.EqualTo(DataFixture.TrainImages));
        Assert.That(Train.Questions, Has.Count.EqualTo(DataFixture.TrainImages * 6 * 2));
        foreach (var group in Train.Questions.GroupBy(q => (q.Image, q.Category)))
            Assert.That(group.Count(), Is.EqualTo(2), group.Key.ToString());
    }

    [Test]
    public void ObjectSetsVaryFromTwoToSixObjects()
    {
        var counts = Train.Scenes.Select(s => s.NumObjects).Distinct().Order().ToArray();
        Assert.That(counts, Is.EqualTo(new[] { 2, 3, 4, 5, 6 }));
        var sets = Train.Scenes.Select(s => string.Join(",", s.Objects.Select(o => o.Name).Order())).Distinct().Count();
        Assert.That(sets, Is.GreaterThan(DataFixture.TrainImages / 2), "object sets should vary between images");
    }

    [Test]
    public void CaptionsNameEveryObjectAndNoPosition()
    {
        var captions = Train.ReadCaptions().ToDictionary(c => c.Image, c => c.Text);
        string[] positionWords = ["top", "bottom", "left", "right", "above", "below", "x", "y"];
        foreach (var s in Train.Scenes)
        {
            var tokens = Words.Tokenize(captions[s.Image]);
            foreach (var o in s.Objects) Assert.That(captions[s.Image], Does.Contain(o.Name), s.Image);
            Assert.That(tokens.Intersect(positionWords), Is.Empty, captions[s.Image]);
            Assert.That(tokens.Any(t => int.TryParse(t, out _)), Is.False, captions[s.Image]);
        }
    }

    [Test]
    public void CorpusDescribesTheSceneInWordsWithTheImagesQuestions()
    {
        var corpus = Train.ReadCorpus();
        Assert.That(corpus, Has.Count.EqualTo(Train.Questions.Count));
        var entry = corpus[0];
        var scene = Train.Scenes[0];
        foreach (var o in scene.Objects) Assert.That(entry.Context, Does.Contain($"the {o.Name} is at x {o.X} y {o.Y}."));
        Assert.That(entry.Question, Is.EqualTo(Train.Questions[0].Text));
        Assert.That(AnswerOracle.Answer(entry.Question, scene.Objects), Is.EqualTo(entry.Answer));
    }

    [Test]
    public void TrainAndTestShareNoScene()
    {
        static string Key(Scene s) => string.Join(";", s.Objects.Select(o => $"{o.Name}@{o.X},{o.Y}").Order());
        var test = DataFixture.Test.Scenes.Select(Key).ToHashSet();
        Assert.That(Train.Scenes.Count(s => test.Contains(Key(s))), Is.Zero);
    }
}
