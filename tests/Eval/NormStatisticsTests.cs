using Pipeline.Eval;
using Pipeline.Runtime;

namespace Pipeline.Tests.Eval;

[TestFixture]
public class NormStatisticsTests
{
    [Test]
    public void RowNormsMatchADirectComputation()
    {
        var rng = new Random(3);
        var data = Enumerable.Range(0, 2 * 3 * 7).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var norms = NormStatistics.RowNorms(HostTensor.Float([2, 3, 7], data));
        Assert.That(norms, Has.Length.EqualTo(6));
        for (int r = 0; r < 6; r++)
            Assert.That(norms[r], Is.EqualTo(Math.Sqrt(data.Skip(r * 7).Take(7).Sum(v => (double)v * v))).Within(1e-9));
        Assert.That(NormStatistics.RowNorms(HostTensor.Float([2], [3, 4])), Is.EqualTo(new[] { 5.0 }));
    }

    [Test]
    public void StatsMatchHandValues()
    {
        // 1..100 shuffled: min 1, max 100, mean 50.5, median 50.5, P99 at rank 98.01 → 99.01.
        var values = Enumerable.Range(1, 100).Select(i => (double)i).OrderBy(i => (i * 37) % 101).ToArray();
        var s = NormStatistics.Compute(values);
        Assert.That(s.Count, Is.EqualTo(100));
        Assert.That(s.Min, Is.EqualTo(1));
        Assert.That(s.Max, Is.EqualTo(100));
        Assert.That(s.Mean, Is.EqualTo(50.5).Within(1e-12));
        Assert.That(s.Median, Is.EqualTo(50.5).Within(1e-12));
        Assert.That(s.P99, Is.EqualTo(99.01).Within(1e-9));
    }

    [Test]
    public void OddCountMedianAndRatios()
    {
        var vision = NormStatistics.Compute([100, 300, 200]);
        var text = NormStatistics.Compute([0.5, 1.5]);
        Assert.That(vision.Median, Is.EqualTo(200));
        Assert.That(NormStatistics.MeanRatio(vision, text), Is.EqualTo(200).Within(1e-12));
        Assert.That(NormStatistics.MedianRatio(vision, text), Is.EqualTo(200).Within(1e-12));
    }

    [Test]
    public void EmptyIsAnError() => Assert.That(() => NormStatistics.Compute([]), Throws.ArgumentException);
}
