using Pipeline.Eval;
using Pipeline.Runtime;

namespace Pipeline.Tests.Eval;

[TestFixture]
public class PositionProbeTests
{
    const int Images = 40, Grid = 4, D = 12;

    /// <summary>(Images, Grid², D) tokens: random content, plus the row and column along two fixed directions when <paramref name="withPosition"/>.</summary>
    static HostTensor Tokens(bool withPosition, int seed = 3)
    {
        var rng = new Random(seed);
        var data = new float[Images * Grid * Grid * D];
        for (int i = 0; i < Images; i++)
            for (int t = 0; t < Grid * Grid; t++)
            {
                int o = (i * Grid * Grid + t) * D;
                for (int j = 0; j < D; j++) data[o + j] = (float)(rng.NextDouble() * 2 - 1);
                if (!withPosition) continue;
                data[o] += 3f * (t / Grid);      // row along feature 0
                data[o + 1] -= 2f * (t % Grid);  // column along feature 1, with a sign
            }
        return HostTensor.Float([Images, Grid * Grid, D], data);
    }

    [Test]
    public void PositionsWrittenLinearlyAreReadBackAlmostExactly()
    {
        var fit = PositionProbe.Measure(Tokens(withPosition: true));
        Assert.That(fit.Grid, Is.EqualTo(Grid));
        // Noise of variance 1/3 against a row signal of variance 9 × 1.25: R² ≈ 0.97 for the row, ≈ 0.94 for the column.
        Assert.That(fit.RowR2, Is.GreaterThan(0.95));
        Assert.That(fit.ColumnR2, Is.GreaterThan(0.9));
    }

    [Test]
    public void ContentWithoutPositionGivesNoHeldOutFit()
    {
        var fit = PositionProbe.Measure(Tokens(withPosition: false));
        Assert.That(fit.RowR2, Is.LessThan(0.05));
        Assert.That(fit.ColumnR2, Is.LessThan(0.05));
        Assert.That(fit.MeanR2, Is.EqualTo((fit.RowR2 + fit.ColumnR2) / 2));
    }

    [Test]
    public void OnlyTheRowCarriedGivesOnlyTheRow()
    {
        var rows = Tokens(withPosition: false);
        var data = rows.Floats;
        for (int r = 0; r < Images * Grid * Grid; r++) data[r * D + 5] = r % (Grid * Grid) / Grid;
        var fit = PositionProbe.Measure(rows);
        Assert.That(fit.RowR2, Is.GreaterThan(0.999));
        Assert.That(fit.ColumnR2, Is.LessThan(0.05));
    }

    [Test]
    public void ArbitraryPositionEmbeddingsInEnoughDimensionsAreReadBack()
    {
        // A learned position table is no linear function of the row, but 64 positions in 96 dimensions are linearly independent.
        const int images = 60, grid = 8, d = 96;
        var rng = new Random(5);
        var table = Enumerable.Range(0, grid * grid).Select(_ => Enumerable.Range(0, d).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        var data = new float[images * grid * grid * d];
        for (int i = 0; i < images; i++)
            for (int t = 0; t < grid * grid; t++)
                for (int j = 0; j < d; j++)
                    data[(i * grid * grid + t) * d + j] = table[t][j] + 0.05f * (float)(rng.NextDouble() - 0.5);
        var fit = PositionProbe.Measure(HostTensor.Float([images, grid * grid, d], data));
        Assert.That(fit.RowR2, Is.GreaterThan(0.99));
        Assert.That(fit.ColumnR2, Is.GreaterThan(0.99));
    }

    [Test]
    public void ShapesThatAreNotAGridOfImagesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PositionProbe.Measure(HostTensor.Float([4, 6, D], new float[4 * 6 * D])), "6 tokens are no square grid");
        Assert.Throws<ArgumentException>(() => PositionProbe.Measure(HostTensor.Float([1, 16, D], new float[16 * D])), "one image cannot be split");
        Assert.Throws<ArgumentException>(() => PositionProbe.Measure(HostTensor.Float([16, D], new float[16 * D])), "not (images, tokens, D)");
        Assert.That(PositionProbe.Applies(HostTensor.Float([4, 1, D], new float[4 * D])), Is.False, "a 1×1 pooled grid");
        Assert.That(PositionProbe.Applies(HostTensor.Float([1, 16, D], new float[16 * D])), Is.False, "one image");
        Assert.That(PositionProbe.Applies(Tokens(withPosition: true)), Is.True);
    }
}
