using Pipeline.Data;
using Pipeline.Eval;

namespace Pipeline.Tests.Eval;

/// <summary>Nothing under the paper's name that is not the paper's: quoted tables check out against themselves, the rest stays null.</summary>
[TestFixture]
public class PaperNumbersTests
{
    static readonly string[] Variants = ["baseline", "norm", "norm-multilayer"];

    [Test]
    public void TheQuotedAccuracyTableIsConsistentWithItself()
    {
        foreach (var variant in Variants)
        {
            var categories = Categories.All.Select(c => PaperNumbers.Accuracy(variant, c)).ToArray();
            Assert.That(categories, Has.All.Not.Null, variant);
            Assert.That(PaperNumbers.Accuracy(variant, "overall"), Is.EqualTo(categories.Average(c => c!.Value)).Within(0.0001),
                $"{variant}: Table 2's overall is the mean of its six categories (500 questions each)");
        }
        double gain = PaperNumbers.Accuracy("norm-multilayer", "overall")!.Value - PaperNumbers.Accuracy("baseline", "overall")!.Value;
        Assert.That(gain, Is.EqualTo(0.0817).Within(0.0001), "Table 2's +8.17 beside the +Normalize+Multilayer overall");
        Assert.That(PaperNumbers.Accuracy("baseline", Categories.ColorAbs), Is.EqualTo(0.796).Within(1e-9));
        Assert.That(PaperNumbers.Accuracy("multilayer", "overall"), Is.Null, "the paper has no +Multilayer-only column");
        Assert.That(PaperNumbers.Accuracy("baseline", "no.such"), Is.Null);
    }

    [Test]
    public void WhatThePaperDoesNotReportOnTwoDsStaysNullAndTheSourceSaysWhereTheRestComesFrom()
    {
        Assert.That(Variants.Select(PaperNumbers.AttentionEntropy), Is.EqualTo(new double?[] { 0.76, 0.90, 0.72 }));
        Assert.That(Categories.All.Append("overall").Select(PaperNumbers.PermutationDelta), Has.All.Null);
        Assert.That(PaperNumbers.VisionTokenNormMean, Is.Null);
        Assert.That(PaperNumbers.Source, Does.Contain("Table 2").And.Contain("Table 4").And.Contain("in-distribution").And.Not.Contain("secondary source"));
        Assert.That(PaperNumbers.Percent(null), Is.Null);
        Assert.That(PaperNumbers.Percent(PaperNumbers.Accuracy("norm", "overall")), Is.EqualTo("59.3"));
    }

    [Test]
    public void NormConstantsAreTheAuthorsCode()
    {
        Assert.That(PaperNumbers.TextEmbeddingNormMean, Is.EqualTo(0.83));
        Assert.That(PaperNumbers.TextEmbeddingNormMax, Is.EqualTo(1.22));
        Assert.That(PaperNumbers.Source, Does.Contain("user074/beyond-semantics"));
    }
}
