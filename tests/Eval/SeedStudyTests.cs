using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Study;

namespace Pipeline.Tests.Eval;

/// <summary>The study over seeds on constructed evaluations whose differences are known.</summary>
public sealed class SeedStudyTests
{
    const int PerCell = 20;

    /// <summary>An evaluation whose 2DS questions are right with probability <paramref name="spatial"/> (exactly, per cell) and so on.</summary>
    static VariantEvaluation Eval(string variant, double spatial, double semantic, double semanticPermuted, double ratio, double entropy, double? relative = null)
    {
        static IEnumerable<ScoredQuestion> Cells(IEnumerable<string> categories, Func<string, double> p) =>
            from c in categories
            from n in Enumerable.Range(2, 5)
            from i in Enumerable.Range(0, PerCell)
            select new ScoredQuestion(c, n, "red", i < Math.Round(p(c) * PerCell) ? "red" : "blue");
        var accuracy = AccuracyTable.Score(Cells(Categories.All, c => Categories.IsRelative(c) ? relative ?? spatial : spatial));
        var semanticAccuracy = AccuracyTable.Score(Cells(Categories.Semantic, _ => semantic), Categories.Semantic);
        var semanticShuffled = AccuracyTable.Score(Cells(Categories.Semantic, _ => semanticPermuted), Categories.Semantic);
        var norms = new NormReport(NormStatistics.Compute([ratio]), null, NormStatistics.Compute([ratio]), NormStatistics.Compute([1.0]), ratio);
        var spread = Spread.Of([entropy]);
        return new VariantEvaluation(variant, variant, 17, "CPUExecutionProvider", null, 64, accuracy, new Dictionary<string, double>(),
            null, norms, new EntropyReport(spread, spread, spread), [], new EvalTiming(0, 0, 0, 0, 0), null,
            new SemanticControl(semanticAccuracy, new Dictionary<string, double>(), PermutationTest.Summarize(semanticAccuracy, [(1, semanticShuffled)])));
    }

    /// <summary>Five seeds: a shared seed effect; norm 10 points above the baseline; norm-multilayer ±5 around norm, alternating.</summary>
    static IReadOnlyList<SeedEvaluations> FiveSeeds() => Enumerable.Range(1, 5).Select(s =>
    {
        double b = 0.5 + 0.05 * (s % 3);
        return new SeedEvaluations(s, new Dictionary<string, VariantEvaluation>
        {
            ["baseline"] = Eval("baseline", b, 0.9, 0.9, 20, 0.8),
            ["norm"] = Eval("norm", b + 0.10, 0.9, 0.9, 1.1, 0.9),
            ["norm-multilayer"] = Eval("norm-multilayer", b + 0.10 + (s % 2 == 0 ? 0.05 : -0.05), 0.9, 0.9, 1.1, 0.7),
        });
    }).ToArray();

    static ClaimResult Claim(SeedStudyResult r, string start) => r.Claims.Single(c => c.Claim.StartsWith(start, StringComparison.Ordinal));

    [Test]
    public void PairedDifferencesCancelTheSharedSeedEffect()
    {
        var r = SeedStudy.Analyse(FiveSeeds());
        var d = r.Differences.Single(x => x.A == "norm" && x.B == "baseline" && x.Quantity == "2DS overall").Interval;
        Assert.That(d.Mean, Is.EqualTo(0.10).Within(1e-9));
        Assert.That(d.Std, Is.EqualTo(0).Within(1e-9), "the seed effect is shared, so the paired difference does not vary");
        Assert.That(r.Variants.Single(v => v.Variant == "baseline").OverallInterval.Std, Is.GreaterThan(0.01), "unpaired, the seed effect shows");
    }

    [Test]
    public void VerdictsFollowTheIntervals()
    {
        var r = SeedStudy.Analyse(FiveSeeds());
        Assert.That(Claim(r, "+Normalize improves").Verdict, Is.EqualTo(Verdict.Reproduced));
        Assert.That(Claim(r, "+Multilayer improves on +Normalize").Verdict, Is.EqualTo(Verdict.Inconclusive), "±5 points alternating straddles zero");
        Assert.That(Claim(r, "+Normalize +Multilayer improves").Verdict, Is.EqualTo(Verdict.Reproduced));
        Assert.That(Claim(r, "Vision-token norms exceed").Verdict, Is.EqualTo(Verdict.Reproduced), "a ratio of 20 on every seed");
        Assert.That(Claim(r, "Permutation barely hurts").Verdict, Is.EqualTo(Verdict.Reproduced), "no change on any seed");
        Assert.That(Claim(r, "Attention entropy orders").Verdict, Is.EqualTo(Verdict.Reproduced), "0.9 > 0.8 > 0.7 on every seed");
        Assert.That(r.NotMeasured.Single(), Does.StartWith("Compression to one token"));
    }

    [Test]
    public void OneSeedGivesNumbersButNoVerdict()
    {
        var r = SeedStudy.Analyse(FiveSeeds().Take(1).ToArray());
        Assert.That(r.Claims, Is.Not.Empty);
        Assert.That(r.Claims.Select(c => c.Verdict), Has.All.EqualTo(Verdict.Inconclusive));
        Assert.That(Claim(r, "+Normalize improves").Ours.Mean, Is.EqualTo(0.10).Within(1e-9));
    }

    [Test]
    public void AReversedEffectIsNotReproducedAndRelativeGainsAreComparedWithAbsoluteOnes()
    {
        var runs = Enumerable.Range(1, 4).Select(s => new SeedEvaluations(s, new Dictionary<string, VariantEvaluation>
        {
            ["baseline"] = Eval("baseline", 0.7, 0.9, 0.6, 20, 0.8, relative: 0.5),
            ["norm"] = Eval("norm", 0.45 - 0.05 * (s % 2), 0.9, 0.9, 1.1, 0.9),
            ["norm-multilayer"] = Eval("norm-multilayer", 0.7, 0.9, 0.9, 1.1, 0.7, relative: 0.7),
        })).ToArray();
        var r = SeedStudy.Analyse(runs);
        Assert.That(Claim(r, "+Normalize improves").Verdict, Is.EqualTo(Verdict.NotReproduced));
        Assert.That(Claim(r, "Permutation barely hurts").Verdict, Is.EqualTo(Verdict.NotReproduced), "−30 points on every seed");
        var relative = Claim(r, "Its gain is larger on relative");
        Assert.That(relative.Ours.Mean, Is.EqualTo(0.2).Within(1e-9), "gain +20 points on relative, 0 on absolute");
        Assert.That(relative.Verdict, Is.EqualTo(Verdict.Reproduced));
        Assert.That(() => SeedStudy.Analyse([runs[0], runs[0]]), Throws.ArgumentException.With.Message.Contains("twice"));
    }

    [Test]
    public void ARelativeGainIsNotTestableWhenNoVariantLearnedTheRelations()
    {
        var runs = Enumerable.Range(1, 5).Select(s => new SeedEvaluations(s, new Dictionary<string, VariantEvaluation>
        {
            ["baseline"] = Eval("baseline", 0.6, 0.9, 0.9, 20, 0.8, relative: 0.5),
            ["norm"] = Eval("norm", 0.7, 0.9, 0.9, 1.1, 0.9, relative: 0.5),
            ["norm-multilayer"] = Eval("norm-multilayer", 0.8, 0.9, 0.9, 1.1, 0.7, relative: s == 3 ? 0.55 : 0.5),
        })).ToArray();
        var r = SeedStudy.Analyse(runs);
        var relative = Claim(r, "Its gain is larger on relative");
        Assert.That(relative.Verdict, Is.EqualTo(Verdict.NotTestable), "relative at or near chance in both variants on every seed");
        Assert.That(relative.Ours.Mean, Is.LessThan(0), "the interval is still reported: −20 points absolute gain against ~0 relative");
        Assert.That(relative.Why, Does.Contain("60%"));
        Assert.That(Pipeline.Eval.Reports.ReportTables.VerdictText(relative), Does.StartWith("not testable here: neither variant"));
        Assert.That(Claim(r, "+Normalize improves").Verdict, Is.EqualTo(Verdict.Reproduced), "claims on the overall score are still judged");

        runs[3] = runs[3] with { Variants = new Dictionary<string, VariantEvaluation>(runs[3].Variants) { ["norm-multilayer"] = Eval("norm-multilayer", 0.8, 0.9, 0.9, 1.1, 0.7, relative: 0.6) } };
        Assert.That(Claim(SeedStudy.Analyse(runs), "Its gain is larger on relative").Verdict, Is.Not.EqualTo(Verdict.NotTestable), "one seed at 60% relative makes it testable");
    }
}
