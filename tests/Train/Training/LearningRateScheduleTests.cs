using System.Text.Json;
using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class LearningRateScheduleTests
{
    static readonly StageBudget Wsd = new(Steps: 100, BatchSize: 1, LearningRate: 1.0, WarmupSteps: 10, Schedule: LrSchedule.Wsd);

    [Test]
    public void WsdWarmsUpLikeCosineThenHoldsThePeakUntilTheLastFifth()
    {
        var cosine = Wsd with { Schedule = LrSchedule.Cosine };
        for (int step = 0; step < 10; step++)
            Assert.That(LearningRateSchedule.At(step, Wsd), Is.EqualTo(LearningRateSchedule.At(step, cosine)));
        for (int step = 10; step <= 80; step++)
            Assert.That(LearningRateSchedule.At(step, Wsd), Is.EqualTo(1.0), $"step {step}");
        Assert.That(LearningRateSchedule.At(90, Wsd), Is.EqualTo(0.55).Within(1e-12), "half way down the decay: the mean of peak and floor");
        Assert.That(LearningRateSchedule.At(100, Wsd), Is.EqualTo(0.1).Within(1e-12));
        for (int step = 81; step <= 100; step++)
            Assert.That(LearningRateSchedule.At(step, Wsd), Is.LessThan(LearningRateSchedule.At(step - 1, Wsd)), $"falls at step {step}");
    }

    [Test]
    public void ExtendingAWsdStageKeepsItsCurveBeforeTheDecay()
    {
        var longer = Wsd with { Steps = 1_000 };
        for (int step = 0; step < 80; step++)
            Assert.That(LearningRateSchedule.At(step, longer), Is.EqualTo(LearningRateSchedule.At(step, Wsd)), $"step {step}");
        var cosine = Wsd with { Schedule = LrSchedule.Cosine };
        Assert.That(LearningRateSchedule.At(50, cosine with { Steps = 1_000 }), Is.GreaterThan(LearningRateSchedule.At(50, cosine) + 0.3),
            "a cosine's curve depends on its budget: a resume with more steps jumps back up");
    }

    [Test]
    public void TheDefaultScheduleStaysOutOfTheBudgetsTextAndJson()
    {
        // Stage records key on both: runs trained before the schedule existed keep their records.
        var budget = new StageBudget(Steps: 2_500, BatchSize: 64, LearningRate: 5e-4, WarmupSteps: 150);
        Assert.That(budget.ToString(), Is.EqualTo("StageBudget { Steps = 2500, BatchSize = 64, LearningRate = 0.0005, WarmupSteps = 150, WeightDecay = 0, ClipNorm = 1 }"));
        Assert.That(JsonSerializer.Serialize(budget, Json.Compact),
            Is.EqualTo("{\"steps\":2500,\"batch_size\":64,\"learning_rate\":0.0005,\"warmup_steps\":150,\"weight_decay\":0,\"clip_norm\":1}"));
        var wsd = budget with { Schedule = LrSchedule.Wsd };
        Assert.That(wsd.ToString(), Does.EndWith(", Schedule = Wsd }"));
        Assert.That(JsonSerializer.Serialize(wsd, Json.Compact), Does.Contain("\"schedule\":1"));
        Assert.That(JsonSerializer.Deserialize<StageBudget>(JsonSerializer.Serialize(wsd, Json.Compact), Json.Compact), Is.EqualTo(wsd));
    }

    // The small preset's 0b budget scaled to a step count as --steps does (warm-up 6%, peak 1e-3).
    static StageBudget Transcript0b(int steps, string restarts) => new(Steps: steps, BatchSize: 64, LearningRate: 1e-3, WarmupSteps: 60 * steps / 1000,
        WeightDecay: 0.05, Schedule: LrSchedule.Restarts, Restarts: RestartPoints.Parse(restarts));

    // Learning rates logged by the stitched transcript runs of the 20,000-step LM
    // (metrics.jsonl: the step after the logged one's index). 0-6,000: --steps 0b=2000, then --resume
    // with 4000 and 6000 on two cores; 6,000-20,000: resumed with 6200, then 20000 on an H100.
    [TestCase(6_000, "2000/4000", 60, 0.0005)]
    [TestCase(6_000, "2000/4000", 180, 0.0009978146612654847)]
    [TestCase(6_000, "2000/4000", 1_000, 0.0005957911983901778)]
    [TestCase(6_000, "2000/4000", 2_000, 0.00010000062829913802)]
    [TestCase(6_000, "2000/4000", 2_040, 0.0005804318235047749)]
    [TestCase(6_000, "2000/4000", 2_400, 0.00044604671480396945)]
    [TestCase(6_000, "2000/4000", 3_000, 0.00024842582941801857)]
    [TestCase(6_000, "2000/4000", 4_020, 0.000347269195695118)]
    [TestCase(6_000, "2000/4000", 5_220, 0.0001419146632207396)]
    [TestCase(6_000, "2000/4000", 6_000, 0.00010000006981102976)]
    [TestCase(20_000, "2000/4000/6000/6200", 2_040, 0.0005804318235047749)]
    [TestCase(20_000, "2000/4000/6000/6200", 6_014, 0.00010228432879405981)]
    [TestCase(20_000, "2000/4000/6000/6200", 6_400, 0.0008405899540308228)]
    [TestCase(20_000, "2000/4000/6000/6200", 10_000, 0.0005951178806413544)]
    [TestCase(20_000, "2000/4000/6000/6200", 15_000, 0.00024820264618157135)]
    [TestCase(20_000, "2000/4000/6000/6200", 20_000, 0.00010000000628299283)]
    public void RestartsRetraceTheLearningRatesOfAStageExtendedByHand(int steps, string restarts, int loggedStep, double logged) =>
        Assert.That(LearningRateSchedule.At(loggedStep - 1, Transcript0b(steps, restarts)), Is.EqualTo(logged).Within(1e-15));

    [Test]
    public void RestartsWithoutPointsInsideTheStageAreTheCosine()
    {
        var cosine = Transcript0b(2_000, "1") with { Schedule = LrSchedule.Cosine, Restarts = null };
        var past = Transcript0b(2_000, "2000/3000");
        for (int step = 0; step < 2_000; step += 7)
            Assert.That(LearningRateSchedule.At(step, past), Is.EqualTo(LearningRateSchedule.At(step, cosine)), $"step {step}");
    }

    [TestCase("2000/4000", new[] { 2000, 4000 })]
    [TestCase(" 500 ", new[] { 500 })]
    [TestCase("4000/2000", null)]
    [TestCase("2000/2000", null)]
    [TestCase("0/100", null)]
    [TestCase("", null)]
    [TestCase("2000//4000", null)]
    public void RestartPointsParseOnlyPositiveAscendingSteps(string text, int[]? expected) =>
        Assert.That(RestartPoints.Parse(text)?.Steps, expected is null ? Is.Null : Is.EqualTo(expected));

    [Test]
    public void RestartPointsAreInTheBudgetsTextAndJsonAndCompareByValue()
    {
        var budget = Transcript0b(6_000, "2000/4000");
        Assert.That(budget.ToString(), Does.EndWith(", Schedule = Restarts, Restarts = 2000/4000 }"));
        Assert.That(budget, Is.EqualTo(Transcript0b(6_000, "2000/4000")));
        Assert.That(budget, Is.Not.EqualTo(Transcript0b(6_000, "2000/5000")));
        string json = JsonSerializer.Serialize(budget, Json.Compact);
        Assert.That(JsonSerializer.Deserialize<StageBudget>(json, Json.Compact), Is.EqualTo(budget), json);
    }
}
