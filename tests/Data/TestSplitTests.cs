using Pipeline.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Tests.Data;

[TestFixture]
public class TestSplitTests
{
    static Dataset Test => DataFixture.Test;

    [Test]
    public void HasFiveMetaCategoriesOfOneHundredImagesAndSixQuestionsEach()
    {
        Assert.That(Test.Scenes, Has.Count.EqualTo(500));
        Assert.That(Test.Questions, Has.Count.EqualTo(3000));
        var perCount = Test.Scenes.GroupBy(s => s.NumObjects).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(perCount, Is.EqualTo(new Dictionary<int, int> { [2] = 100, [3] = 100, [4] = 100, [5] = 100, [6] = 100 }));
        foreach (var group in Test.Questions.GroupBy(q => q.Image))
            Assert.That(group.Select(q => q.Category).Order(), Is.EqualTo(Categories.All.Order()), group.Key);
    }

    [Test]
    public void EachMetaCategoryKeepsTheSameObjectsAndOnlyMovesThem()
    {
        foreach (var group in Test.Scenes.GroupBy(s => s.NumObjects))
        {
            var sets = group.Select(s => string.Join(",", s.Objects.Select(o => $"{o.Color} {o.Shape} {o.Size}").Order())).Distinct().ToList();
            Assert.That(sets, Has.Count.EqualTo(1), $"meta-category {group.Key}");
            var layouts = group.Select(s => string.Join(",", s.Objects.Select(o => $"{o.X}:{o.Y}"))).Distinct().Count();
            Assert.That(layouts, Is.GreaterThan(95), "positions should vary between images");
        }
    }

    [Test]
    public void ColoursAndShapesAreUniqueWithinEachImage()
    {
        foreach (var s in Test.Scenes.Concat(DataFixture.Train.Scenes))
        {
            Assert.That(s.Objects.Select(o => o.Color).Distinct().Count(), Is.EqualTo(s.NumObjects), s.Image);
            Assert.That(s.Objects.Select(o => o.Shape).Distinct().Count(), Is.EqualTo(s.NumObjects), s.Image);
        }
    }

    [Test]
    public void ObjectsDoNotOverlapAndStayInsideTheBorder()
    {
        int size = Test.Manifest.ImageSize;
        foreach (var s in Test.Scenes.Concat(DataFixture.Train.Scenes))
        {
            foreach (var o in s.Objects)
            {
                Assert.That(o.CenterX - o.Size / 2.0, Is.GreaterThanOrEqualTo(1), s.Image);
                Assert.That(o.CenterY - o.Size / 2.0, Is.GreaterThanOrEqualTo(1), s.Image);
                Assert.That(o.CenterX + o.Size / 2.0, Is.LessThanOrEqualTo(size - 1), s.Image);
                Assert.That(o.CenterY + o.Size / 2.0, Is.LessThanOrEqualTo(size - 1), s.Image);
            }
            foreach (var (a, i) in s.Objects.Select((o, i) => (o, i)))
                foreach (var b in s.Objects.Skip(i + 1))
                {
                    double need = (a.Size + b.Size) / 2.0;
                    bool apart = Math.Abs(a.X - b.X) >= need || Math.Abs(a.Y - b.Y) >= need;
                    Assert.That(apart, Is.True, $"{s.Image}: {a.Name} overlaps {b.Name}");
                }
        }
    }

    [Test]
    public void EveryAnswerFollowsFromTheGeometryWithAMargin()
    {
        foreach (var (dataset, label) in new[] { (Test, "test"), (DataFixture.Train, "train") })
        {
            var byImage = dataset.Scenes.ToDictionary(s => s.Image);
            foreach (var q in dataset.Questions)
            {
                string? expected = AnswerOracle.Answer(q.Text, byImage[q.Image].Objects);
                Assert.That(expected, Is.Not.Null, $"{label} {q.Id}: '{q.Text}' is a near-tie");
                Assert.That(q.Answer, Is.EqualTo(expected), $"{label} {q.Id}: '{q.Text}'");
            }
        }
    }

    [Test]
    public void YesAndNoAreBalancedInEveryRelativeCategory()
    {
        foreach (var dataset in new[] { Test, DataFixture.Train })
            foreach (var category in Categories.All.Where(Categories.IsRelative))
            {
                var answers = dataset.Questions.Where(q => q.Category == category).Select(q => q.Answer).ToList();
                Assert.That(answers.Count(a => a == "yes"), Is.EqualTo(answers.Count / 2), category);
                Assert.That(answers.All(a => a is "yes" or "no"), Is.True, category);
            }
        foreach (var group in Test.Questions.Where(q => Categories.IsRelative(q.Category)).GroupBy(q => (q.NumObjects, q.Category)))
            Assert.That(group.Count(q => q.Answer == "yes"), Is.EqualTo(50), $"{group.Key}");
    }

    [Test]
    public void AnswersAreOneWordOrColourPlusShape()
    {
        foreach (var q in Test.Questions)
        {
            var words = q.Answer.Split(' ');
            if (q.Category == Categories.ShapeColorAbs)
                Assert.That(Vocabulary.Colors.Contains(words[0]) && words.Length == 2 && Vocabulary.Shapes.Contains(words[1]), Is.True, q.Answer);
            else
                Assert.That(words, Has.Length.EqualTo(1), q.Answer);
        }
    }

    [Test]
    public void ThePixelAtEachObjectsCentreHasItsColour()
    {
        var samples = Test.Scenes.Where((_, i) => i % 5 == 0).Select(s => (Test, s))
            .Concat(DataFixture.Train.Scenes.Take(60).Select(s => (DataFixture.Train, s)));
        foreach (var (dataset, s) in samples)
        {
            using var image = Image.Load<Rgb24>(dataset.ImagePath(s.Image));
            Assert.That(image.Width, Is.EqualTo(64));
            foreach (var o in s.Objects)
            {
                var (r, g, b) = Vocabulary.ColorValues[o.Color];
                Assert.That(image[o.X, o.Y], Is.EqualTo(new Rgb24(r, g, b)), $"{s.Image} {o.Name}");
            }
            var bg = Vocabulary.Background;
            Assert.That(image[0, 0], Is.EqualTo(new Rgb24(bg.R, bg.G, bg.B)), $"{s.Image} corner");
        }
    }

    [Test]
    public void EveryQuestionAndAnswerTokenIsInTheVocabulary()
    {
        var tokens = Test.Vocab.Tokens.ToHashSet();
        foreach (var text in Test.Questions.SelectMany(q => new[] { q.Text, q.Answer })
                     .Concat(DataFixture.Train.ReadCaptions().Select(c => c.Text))
                     .Concat(DataFixture.Train.ReadCorpus().Select(c => c.Context)))
            foreach (var token in Words.Tokenize(text))
                Assert.That(tokens, Does.Contain(token), text);
        Assert.That(Test.Vocab.Tokens.Take(5), Is.EqualTo(Vocabulary.Specials));
        Assert.That(DataFixture.Train.Vocab.Tokens, Is.EqualTo(Test.Vocab.Tokens), "splits share one vocabulary");
    }
}
