using Pipeline.Eval;

namespace Pipeline.Tests.Eval;

/// <summary>The interval code against known data and the claims table's verdict logic on constructed results.</summary>
public sealed class ClaimsTests
{
    [Test]
    public void TheIntervalOfAKnownSampleMatchesTheTextbook()
    {
        // x = 1..5: mean 3, sd √2.5 = 1.5811; t(0.975, 4) = 2.7764; half-width 2.7764 · 1.5811 / √5 = 1.9632.
        var ci = ConfidenceInterval.Of([1, 2, 3, 4, 5]);
        Assert.That(ci.Mean, Is.EqualTo(3));
        Assert.That(ci.Std, Is.EqualTo(Math.Sqrt(2.5)).Within(1e-12));
        Assert.That(ci.Low, Is.EqualTo(3 - 1.9632).Within(1e-3));
        Assert.That(ci.High, Is.EqualTo(3 + 1.9632).Within(1e-3));
    }

    [Test]
    public void PairedDifferencesCancelWhatTheSeedsShare()
    {
        // The seeds move both variants alike; the difference is always +2.
        double[] baseline = [50, 70, 90], norm = [52, 72, 92];
        var paired = ConfidenceInterval.PairedDifference(norm, baseline);
        Assert.That(paired.Mean, Is.EqualTo(2).Within(1e-12));
        Assert.That((paired.Low, paired.High), Is.EqualTo((2.0, 2.0)), "no spread in the differences");
        Assert.That(ConfidenceInterval.Of(norm).Contains(ConfidenceInterval.Of(baseline).Mean), "unpaired, the seeds' spread hides it");
        Assert.That(() => ConfidenceInterval.PairedDifference([1, 2], [1]), Throws.ArgumentException.With.Message.Contains("share their seeds"));
    }

    [Test]
    public void OneSeedHasNoInterval()
    {
        var ci = ConfidenceInterval.Of([15.0]);
        Assert.That((ci.Low, ci.High), Is.EqualTo((double.NegativeInfinity, double.PositiveInfinity)));
        Assert.That(Claims.Judge(ClaimKind.Increase, ci), Is.EqualTo(Verdict.Inconclusive), "one seed gives no verdict");
    }

    [TestCase(1, 12.7062)]
    [TestCase(4, 2.7764)]
    [TestCase(30, 2.0423)]
    [TestCase(40, 2.0211)]
    [TestCase(120, 1.9799)]
    public void TQuantilesMatchTheTables(int df, double expected) =>
        Assert.That(ConfidenceInterval.TQuantile975(df), Is.EqualTo(expected).Within(2e-4));

    static ConfidenceInterval Interval(double low, double high) => new(5, (low + high) / 2, 1, low, high);

    [TestCase(0.5, 4.0, Verdict.Reproduced)]
    [TestCase(-1.0, 3.0, Verdict.Inconclusive)]
    [TestCase(-6.0, -0.5, Verdict.NotReproduced)]
    [TestCase(-6.0, 0.0, Verdict.NotReproduced)]
    public void AnIncreaseNeedsTheWholeIntervalAboveZero(double low, double high, Verdict expected) =>
        Assert.That(Claims.Judge(ClaimKind.Increase, Interval(low, high)), Is.EqualTo(expected));

    [TestCase(-30.0, -20.0, Verdict.Reproduced)]
    [TestCase(-3.0, 1.0, Verdict.Inconclusive)]
    [TestCase(0.0, 2.0, Verdict.NotReproduced)]
    public void ADecreaseNeedsTheWholeIntervalBelowZero(double low, double high, Verdict expected) =>
        Assert.That(Claims.Judge(ClaimKind.Decrease, Interval(low, high)), Is.EqualTo(expected));

    [TestCase(-1.5, 1.0, Verdict.Reproduced)]
    [TestCase(-5.0, 1.0, Verdict.Inconclusive)]
    [TestCase(-30.0, -5.0, Verdict.NotReproduced)]
    public void NearZeroNeedsTheWholeIntervalWithinTheTolerance(double low, double high, Verdict expected) =>
        Assert.That(Claims.Judge(ClaimKind.NearZero, Interval(low, high), tolerance: 3), Is.EqualTo(expected));

    [Test]
    public void AnOrderIsReproducedOnlyWhenEveryStepIs()
    {
        Assert.That(Claims.JudgeOrder([Interval(0.05, 0.2), Interval(0.01, 0.1)]), Is.EqualTo(Verdict.Reproduced));
        Assert.That(Claims.JudgeOrder([Interval(0.05, 0.2), Interval(-0.05, 0.1)]), Is.EqualTo(Verdict.Inconclusive));
        Assert.That(Claims.JudgeOrder([Interval(0.05, 0.2), Interval(-0.2, -0.1)]), Is.EqualTo(Verdict.NotReproduced));
    }
}
