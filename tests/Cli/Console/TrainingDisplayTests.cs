using Pipeline.Cli.Console;

namespace Pipeline.Tests.Cli.Console;

public class TrainingDisplayTests
{
    [Test]
    public void EtaExtrapolatesThePaceOfTheStepsRunSoFar() =>
        Assert.That(TrainingDisplay.Eta(step: 100, steps: 400, fromStep: 0, elapsedS: 50), Is.EqualTo(TimeSpan.FromSeconds(150)));

    [Test]
    public void EtaOfAResumedStageCountsOnlyTheStepsRunSinceTheResume() =>
        // 40 steps in 80 s after resuming at 2,000 of 4,000: 1,960 steps left at 2 s each.
        Assert.That(TrainingDisplay.Eta(step: 2040, steps: 4000, fromStep: 2000, elapsedS: 80), Is.EqualTo(TimeSpan.FromSeconds(3920)));

    [Test]
    public void EtaIsZeroBeforeAnyStepHasRun() =>
        Assert.That(TrainingDisplay.Eta(step: 2000, steps: 4000, fromStep: 2000, elapsedS: 0), Is.EqualTo(TimeSpan.Zero));
}
