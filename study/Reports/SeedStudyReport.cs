using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Pipeline.Eval;
using Pipeline.Eval.Plots;
using Pipeline.Eval.Reports;

namespace Pipeline.Study.Reports;

/// <summary>
/// report/seeds.md, seeds.html and seeds.json of a study over seeds: the claims table with
/// verdicts, every variant's mean ± sd and per-seed numbers, the paired differences with their
/// 95% intervals, and a figure of the per-seed accuracies.
/// </summary>
public static class SeedStudyReport
{
    public const string MarkdownFile = "seeds.md", HtmlFile = "seeds.html", JsonFile = "seeds.json", FigureFile = "seeds-accuracy.png";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Write(SeedStudyResult r, IReadOnlyList<SeedEvaluations> runs, string preset, string reportDir)
    {
        Directory.CreateDirectory(reportDir);
        string figure = Path.Combine(reportDir, FigureFile);
        SeedsChart.Save(figure, r);
        var sections = new List<ReportSection>
        {
            new("Verdicts", StudyReport.ClaimBlocks(r,
                $"Every variant trained (stages 1–2) and evaluated once per seed ({string.Join(", ", r.Seeds)}) from the same foundation models and data. " +
                "A difference between variants is paired seed by seed, so that what a seed does to all of them cancels; its 95% interval is Student's t over the seeds. " +
                "A claimed gain is reproduced when its whole interval lies above zero, not reproduced when it lies at or below zero, inconclusive when it straddles zero; " +
                $"\"barely hurts\" is reproduced when the whole interval lies within ±{100 * SeedStudy.NearZeroTolerance:0} points. " +
                "Our 2DS is in-distribution (stage 2 trains on 2DS-train), where the paper's LLaVA met 2DS zero-shot.")),
            new("Variants over seeds", [VariantTable(r), PerSeedTable(r), new ReportFigure(figure, "2DS accuracy per seed (dots) and the mean with its 95% interval (bars), per variant.")]),
            new("Paired differences", [DifferenceTable(r)]),
        };
        if (runs.Any(x => x.Stage2 is { Count: > 0 }))
            sections.Add(new("Stage 2 per seed", [
                new Paragraph($"In the study stage 2 runs until its validation accuracy (600 val questions at each checkpoint) has not beaten its best by half a point for three checkpoints, " +
                    $"no sooner than the preset's steps (what a single run trains) and at most twice them. A relation is learned late and suddenly (a phase change): a seed crossed it when the relative questions reached {100 * Stage2Run.CrossedAt:0}% on val (chance 50%)."),
                Stage2Table(runs)]));
        var report = new Report($"Study over {r.Seeds.Count} seeds: preset `{preset}`",
            ReportEnvironment.Current(OrtEnv.Instance().GetVersionString(), "see each seed's report"), sections, DateTimeOffset.UtcNow);
        MarkdownReportWriter.Write(report, Path.Combine(reportDir, MarkdownFile));
        HtmlReportWriter.Write(report, Path.Combine(reportDir, HtmlFile));
        MetricsJson.Write(Path.Combine(reportDir, JsonFile), r);
        return Path.Combine(reportDir, MarkdownFile);
    }

    static ReportTable VariantTable(SeedStudyResult r)
    {
        static string MeanSd(IReadOnlyList<double>? v, bool points = true)
        {
            if (v is null) return "–";
            var s = Spread.Of(v);
            return points ? $"{(100 * s.Mean).ToString("0.0", Inv)} ± {(100 * s.Std).ToString("0.0", Inv)}" : $"{s.Mean.ToString("0.000", Inv)} ± {s.Std.ToString("0.000", Inv)}";
        }
        var rows = r.Variants.Select(v => (IReadOnlyList<string>)
        [
            v.Variant, MeanSd(v.Overall), MeanSd(v.Absolute), MeanSd(v.Relative), MeanSd(v.Semantic),
            MeanSd(v.PermutationDelta), MeanSd(v.SemanticPermutationDelta), MeanSd(v.Entropy, points: false), MeanSd(v.NormRatio, points: false),
        ]).ToArray();
        return new ReportTable("Per variant, mean ± sd over seeds: accuracy (%), change with the vision tokens permuted (points), attention entropy the paper's way, vision/text norm ratio",
            ["variant", "2DS", "absolute", "relative", "semantic", "2DS Δ permuted", "semantic Δ permuted", "entropy", "norm ratio"], rows);
    }

    static ReportTable PerSeedTable(SeedStudyResult r)
    {
        var rows = r.Seeds.Select((seed, i) => (IReadOnlyList<string>)
            [seed.ToString(Inv), .. r.Variants.Select(v => $"{(100 * v.Overall[i]).ToString("0.0", Inv)} (rel. {(100 * v.Relative[i]).ToString("0.0", Inv)})")]).ToArray();
        return new ReportTable("2DS accuracy (%) per seed, relative questions in brackets", ["seed", .. r.Variants.Select(v => v.Variant)], rows);
    }

    static ReportTable Stage2Table(IReadOnlyList<SeedEvaluations> runs)
    {
        var variants = runs.SelectMany(x => x.Stage2?.Keys ?? []).Distinct().ToArray();
        var rows = runs.Select(x => (IReadOnlyList<string>)[x.Seed.ToString(Inv), .. variants.Select(v => x.Stage2?.GetValueOrDefault(v) is { } s
            ? $"{s.Step}/{s.Cap} {(s.Plateaued ? "plateau" : "cap")}; rel. best {(s.BestRelative is double b ? (100 * b).ToString("0.0", Inv) : "–")}: {(s.Crossed switch { true => "crossed", false => "not crossed", _ => "no curve" })}"
            : "–")]).ToArray();
        return new ReportTable("Stage 2 per seed: steps run of the cap, why it stopped, the best relative val accuracy (%) and whether the phase change was crossed", ["seed", .. variants], rows);
    }

    static ReportTable DifferenceTable(SeedStudyResult r)
    {
        var rows = r.Differences.Select(d => (IReadOnlyList<string>)[$"{d.A} − {d.B}", d.Quantity, ReportTables.Interval(d.Interval, ClaimUnit.Fraction)]).ToArray();
        return new ReportTable("Paired differences in accuracy: mean over seeds [95% interval]", ["pair", "on", "difference"], rows);
    }
}
