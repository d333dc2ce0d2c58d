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
}
