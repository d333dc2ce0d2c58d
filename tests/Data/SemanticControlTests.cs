using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>The semantic control: questions that need no position, answered by the independent oracle, in 2DS's vocabulary.</summary>
[TestFixture]
public class SemanticControlTests
{
    [Test]
    public void TheTestSplitHasOneQuestionOfEachSemanticCategoryPerImage()
    {
        var test = DataFixture.Test;
        Assert.That(test.Semantic, Has.Count.EqualTo(1500));
        Assert.That(test.Manifest.SemanticQuestions, Is.EqualTo(1500));
        foreach (var group in test.Semantic.GroupBy(q => q.Image))
            Assert.That(group.Select(q => q.Category).Order(), Is.EqualTo(Categories.Semantic.Order()), group.Key);
        Assert.That(test.Semantic.Select(q => q.Id).Concat(test.Questions.Select(q => q.Id)).Distinct().Count(), Is.EqualTo(4500), "ids unique across both files");
    }

    [Test]
    public void TheOracleDerivesEveryAnswerFromTheScene()
    {
        foreach (var data in new[] { DataFixture.Test, DataFixture.Train })
        {
            var byImage = data.Scenes.ToDictionary(s => s.Image);
            Assert.That(data.Semantic, Is.Not.Empty);
            foreach (var q in data.Semantic)
            {
                Assert.That(Categories.IsSemantic(q.Category), Is.True, q.Id);
                Assert.That(AnswerOracle.Answer(q.Text, byImage[q.Image].Objects), Is.EqualTo(q.Answer), $"{q.Id}: {q.Text}");
            }
        }
    }

    [Test]
    public void PresenceIsBalancedAndItsNoAnswersMostlyPairAPresentColourWithAPresentShape()
    {
        var presence = DataFixture.Test.Semantic.Where(q => q.Category == Categories.SemanticPresence).ToArray();
        Assert.That(presence.Count(q => q.Answer == "yes"), Is.EqualTo(presence.Length / 2));
        var scenes = DataFixture.Test.Scenes.ToDictionary(s => s.Image);
        int swapped = presence.Where(q => q.Answer == "no").Count(q =>
        {
            var words = q.Text.Split(' ');
            var objects = scenes[q.Image].Objects;
            return objects.Any(o => o.Color == words[3]) && objects.Any(o => o.Shape == words[4]);
        });
        Assert.That(swapped, Is.EqualTo(presence.Length / 2), "every scene has two objects or more, so a swapped pair always exists");
    }

    [Test]
    public void EveryWordIsInTheVocabularyTheModelsWereTrainedOn()
    {
        var tokens = DataFixture.Test.Vocab.Tokens.ToHashSet();
        foreach (var q in DataFixture.Test.Semantic)
            foreach (var word in Words.Tokenize(q.Text).Concat(Words.Tokenize(q.Answer)))
                Assert.That(tokens, Does.Contain(word), q.Text);
    }

    [Test]
    public void ChanceIsAHalfForPresenceAndOneOverTheObjectsForTheLookups()
    {
        var chance = Scoring.Chance(DataFixture.Test.Semantic);
        Assert.That(chance[Categories.SemanticPresence], Is.EqualTo(0.5));
        double expected = DataFixture.Test.Semantic.Where(q => q.Category == Categories.SemanticColor).Average(q => 1.0 / q.NumObjects);
        Assert.That(chance[Categories.SemanticColor], Is.EqualTo(expected).Within(1e-12));
    }
}
