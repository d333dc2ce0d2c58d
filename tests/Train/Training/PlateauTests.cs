using Pipeline.Eval;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

/// <summary>Stage 2's stop rule and the phase-change verdict, on curves whose answer is known.</summary>
public sealed class PlateauTests
{
    [Test]
    public void APlateauIsPatienceCheckpointsWithoutHalfAPointOverTheBest()
    {
        Assert.That(VariantTraining.Plateaued([0.50, 0.60, 0.62, 0.623, 0.61, 0.624], patience: 3), Is.True, "0.623, 0.61, 0.624 all below 0.62 + 0.005");
        Assert.That(VariantTraining.Plateaued([0.50, 0.60, 0.62, 0.623, 0.61, 0.626], patience: 3), Is.False, "0.626 beats 0.62 by more than half a point");
        Assert.That(VariantTraining.Plateaued([0.50, 0.50, 0.50], patience: 3), Is.False, "too few points to judge");
        Assert.That(VariantTraining.Plateaued([0.50, 0.50, 0.50, 0.50], patience: 3), Is.True, "a flat curve at chance is a plateau too");
        Assert.That(VariantTraining.Plateaued([0.50, 0.50, 0.50, 0.80], patience: 3), Is.False, "a late jump (the phase change) keeps it going");
    }

    [Test]
    public void APlateauedStageStaysStoppedButAFinishedOneExtends()
    {
        var budget = Preset.Parse("tiny").Qa2.UntilPlateau(40, 3);
        Assert.That(budget.Steps, Is.EqualTo(40));
        Assert.That(new StageState("x", 20, 40, Done: true, 0.1, 1, Plateaued: true).ExtendsTo(budget), Is.False);
        Assert.That(new StageState("x", 20, 20, Done: true, 0.1, 1).ExtendsTo(budget), Is.True);
        var atLeast30 = Preset.Parse("tiny").Qa2.UntilPlateau(40, 3, minSteps: 30);
        Assert.That(new StageState("x", 20, 40, Done: true, 0.1, 1, Plateaued: true).ExtendsTo(atLeast30), Is.True, "stopped before a minimum that now holds");
        Assert.That(new StageState("x", 30, 40, Done: true, 0.1, 1, Plateaued: true).ExtendsTo(atLeast30), Is.False, "stopped at or past it");
        Assert.That(atLeast30.ToString(), Does.Contain("MinSteps = 30"));
        Assert.That(Preset.Parse("tiny").Qa2.UntilPlateau(40, 3).MinSteps, Is.Null, "no minimum unless one is named");
    }

    [Test]
    public void ThePhaseChangeIsCrossedWhenRelativeQuestionsClearChanceByTenPoints()
    {
        Assert.That(new Stage2Run(400, 400, false, [new(200, 0.7, 0.52), new(400, 0.72, 0.61)]).Crossed, Is.True);
        Assert.That(new Stage2Run(400, 400, true, [new(200, 0.7, 0.52), new(400, 0.72, 0.55)]).Crossed, Is.False);
        Assert.That(new Stage2Run(400, 400, false, []).Crossed, Is.Null);
    }
}
