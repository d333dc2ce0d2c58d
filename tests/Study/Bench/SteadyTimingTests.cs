using Pipeline.Study.Bench;

namespace Pipeline.Tests.Study.Bench;

/// <summary>The benchmark timing's arithmetic: warm-up excluded, rounds and their median, the load average read right.</summary>
public sealed class SteadyTimingTests
{
    [Test]
    public void WarmUpStepsAreRunButNotTimedAndEveryRoundIsReported()
    {
        int calls = 0;
        var t = SteadyTiming.Measure(() => calls++, samplesPerStep: 8, steps: 4, warmup: 5, rounds: 3);
        Assert.That(calls, Is.EqualTo(5 + 3 * 4));
        Assert.That(t.Rounds, Has.Count.EqualTo(3));
        Assert.That(t.SamplesPerS, Is.EqualTo(SteadyTiming.Median(t.Rounds)));
        Assert.That(t.MsPerStep, Is.EqualTo(1000.0 * 8 / t.SamplesPerS).Within(1e-9));
    }

    [Test]
    public void EachRoundIsDividedByTheProbeTakenJustBeforeIt()
    {
        var probes = new Queue<double>([50, 200, 100]);
        var taken = new List<double>();
        var t = SteadyTiming.Measure(() => Thread.Sleep(1), samplesPerStep: 4, steps: 2, warmup: 1, rounds: 3,
            reference: () => { taken.Add(probes.Peek()); return probes.Dequeue(); });
        Assert.That(taken, Is.EqualTo(new[] { 50.0, 200.0, 100.0 }), "one probe per round, none for the warm-up");
        var expected = SteadyTiming.Median(t.Rounds.Select((r, i) => 100 * r / taken[i]).ToArray());
        Assert.That(t.PerReference, Is.EqualTo(expected).Within(1e-9));
        Assert.That(SteadyTiming.Measure(() => { }, 1, 1, 0, 1).PerReference, Is.Null, "no probe, no figure");
    }

    [Test]
    public void TheMedianIgnoresOneDisturbedRound()
    {
        Assert.That(SteadyTiming.Median([100, 20, 110]), Is.EqualTo(100));
        Assert.That(SteadyTiming.Median([100, 20, 110, 120]), Is.EqualTo(105));
        Assert.That(() => SteadyTiming.Median([]), Throws.ArgumentException);
    }

    [Test]
    public void TheLoadAverageIsParsedFromProcLoadavgText()
    {
        Assert.That(MachineLoad.Parse("4.88 4.85 3.07 3/180 12345\n"), Is.EqualTo((4.88, 4.85, 3.07)));
        Assert.That(MachineLoad.Parse(""), Is.Null);
        Assert.That(MachineLoad.Parse(null), Is.Null);
    }

    [Test]
    public void ACompetingProcessIsNamed()
    {
        using var busy = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", "-c \"while :; do :; done\"") { UseShellExecute = false })!;
        try
        {
            var others = MachineLoad.Competitors(TimeSpan.FromSeconds(1));
            Assert.That(others.Select(o => o.Pid), Does.Contain(busy.Id), "a shell spinning on a core");
        }
        finally
        {
            busy.Kill();
        }
    }
}
