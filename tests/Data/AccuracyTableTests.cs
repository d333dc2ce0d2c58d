using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>Hand-counted scores: seven questions whose cells can be checked on paper.</summary>
[TestFixture]
public class AccuracyTableTests
{
    static readonly ScoredQuestion[] Questions =
    [
        new(Categories.ColorAbs, 2, "red", "Red."),            // right: case and full stop normalised away
        new(Categories.ColorAbs, 2, "blue", "red"),            // wrong
        new(Categories.ColorAbs, 3, "green", "green"),         // right
        new(Categories.ShapeRel, 3, "yes", "no"),              // wrong
        new(Categories.ShapeRel, 3, "no", " no "),             // right: spaces normalised away
        new(Categories.ShapeColorAbs, 6, "red circle", "red  circle"),  // right
        new(Categories.ShapeColorAbs, 6, "red circle", "red"), // wrong: not a prefix match
    ];

    [Test]
    public void OverallAndPerCategory()
    {
        var r = AccuracyTable.Score(Questions);
        Assert.That(r.Overall, Is.EqualTo(new AccuracyCell(4, 7)));
        Assert.That(r.PerCategory.Keys, Is.EqualTo(Categories.All), "all six categories, in the data project's order");
        Assert.That(r.PerCategory[Categories.ColorAbs], Is.EqualTo(new AccuracyCell(2, 3)));
        Assert.That(r.PerCategory[Categories.ShapeRel], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerCategory[Categories.ShapeColorAbs], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerCategory[Categories.ColorRel].Total, Is.Zero);
        Assert.That(r.PerCategory[Categories.ColorRel].Accuracy, Is.Null, "no questions: no accuracy, not 0");
        Assert.That(r.Overall.Accuracy, Is.EqualTo(4.0 / 7).Within(1e-12));
    }

    [Test]
    public void PerObjectCountAndPerCategoryByCount()
    {
        var r = AccuracyTable.Score(Questions);
        Assert.That(r.PerObjectCount.Keys, Is.EqualTo(new[] { 2, 3, 6 }));
        Assert.That(r.PerObjectCount[2], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerObjectCount[3], Is.EqualTo(new AccuracyCell(2, 3)));
        Assert.That(r.PerObjectCount[6], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerCategoryAndObjectCount[Categories.ColorAbs][2], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerCategoryAndObjectCount[Categories.ColorAbs][3], Is.EqualTo(new AccuracyCell(1, 1)));
        Assert.That(r.PerCategoryAndObjectCount[Categories.ShapeRel][3], Is.EqualTo(new AccuracyCell(1, 2)));
        Assert.That(r.PerCategoryAndObjectCount[Categories.ColorRel], Is.Empty);
    }

    [Test]
    public void GradingUsesTheTrainingNormaliser()
    {
        foreach (var q in Questions)
            Assert.That(q.Correct, Is.EqualTo(Words.Normalize(q.Predicted) == Words.Normalize(q.Expected)));
    }

    [Test]
    public void EmptyInputGivesEmptyCells()
    {
        var r = AccuracyTable.Score([]);
        Assert.That(r.Overall, Is.EqualTo(AccuracyCell.Empty));
        Assert.That(r.PerObjectCount, Is.Empty);
    }

    [Test]
    public void UnknownCategoryIsAnError() =>
        Assert.That(() => AccuracyTable.Score([new ScoredQuestion("colour.abs", 2, "red", "red")]),
            Throws.ArgumentException.With.Message.Contains("colour.abs"));
}
