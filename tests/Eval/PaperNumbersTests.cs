using Pipeline.Data;
using Pipeline.Eval;

namespace Pipeline.Tests.Eval;

/// <summary>Nothing under the paper's name that is not the paper's: unretrieved tables stay null.</summary>
[TestFixture]
public class PaperNumbersTests
{
    [Test]
    public void UnretrievedTablesAreNullAndTheSourceSaysSo()
    {
        foreach (var variant in new[] { "baseline", "norm", "norm-multilayer" })
        {
            Assert.That(Categories.All.Append("overall").Select(c => PaperNumbers.Accuracy(variant, c)), Has.All.Null);
            Assert.That(PaperNumbers.AttentionEntropy(variant), Is.Null);
        }
        Assert.That(PaperNumbers.PermutationDelta("overall"), Is.Null);
        Assert.That(PaperNumbers.Source, Does.Contain("could not be retrieved"));
        Assert.That(PaperNumbers.Percent(null), Is.Null);
    }

    [Test]
    public void NormConstantsAreTheAuthorsCode()
    {
        Assert.That(PaperNumbers.TextEmbeddingNormMean, Is.EqualTo(0.83));
        Assert.That(PaperNumbers.TextEmbeddingNormMax, Is.EqualTo(1.22));
        Assert.That(PaperNumbers.Source, Does.Contain("user074/beyond-semantics"));
    }
}
