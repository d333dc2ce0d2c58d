using System.Globalization;
using System.Text;
using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Plots;
using Pipeline.Train.Training;

namespace Pipeline.Study.Reports;

/// <summary>
/// training.md beside the run's stages: the paper's Table 2 layout for the three variants, per
/// object count, norms, throughput, learning curves (PNG, with an SVG copy beside each), the recipe and the preset's targets.
/// </summary>
public static class TrainingReport
{
    public const string FileName = "training.md", PretrainingCurves = "curves-pretraining.png";

    /// <summary>The accuracy targets of a preset, when it has them: (0a, 0b, absolute, relative over chance).</summary>
    static (double Vision, double Text, double Absolute, double RelativeOverChance)? Targets(string preset) => preset switch
    {
        "small" => (0.95, 0.90, 0.60, 0.10),
        "full" => (0.95, 0.90, 0.85, 0.20),
        _ => null,
    };

    public static string Write(TrainSummary s, Preset preset, string runDir, TimeSpan elapsed)
    {
        string stages = RunLayout.At(runDir).Stages;
        var curves = WriteCurves(s, stages);
        var md = new StringBuilder();
        md.AppendLine($"# Training report: preset `{s.Preset}`\n");
        md.AppendLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}. Wall time of this invocation: {elapsed.TotalMinutes:F1} min.\n");
        md.AppendLine("## Pretraining\n");
        md.AppendLine("| stage | measure | value |\n|---|---|---|");
        if (s.Foundations is not null) md.AppendLine($"| 0a and 0b | not trained in this run: the foundation models | {s.Foundations}; scores as their manifests record them |");
        md.AppendLine($"| 0a vision (colour + shape presence) | label accuracy on val | {P(s.Vision.LabelAccuracy)}: colours {P(s.Vision.ColorAccuracy)}, shapes {P(s.Vision.ShapeAccuracy)} (always-majority base rate {P(s.Vision.BaseRate)}) |");
        if (s.Vision.PatchShapeAccuracy is double patch)
            md.AppendLine($"| 0a vision (each patch's object) | accuracy on val's object patches | shapes {P(patch)}" +
                (s.Vision.PatchColorAccuracy is double colors ? $", colours {P(colors)}" : "") + " |");
        if (s.Text is not null) md.AppendLine($"| 0b text (scenes in words) | exact-match answers on val | {P(s.Text.QuestionAccuracy)}: {string.Join(", ", s.Text.PerCategory.Select(c => $"{c.Key} {P(c.Value)}"))} |");
        if (s.NormConstants is not null) md.AppendLine($"| norm constants | {s.NormConstantsSource} | mean {s.NormConstants.TargetMean:F3}, max {s.NormConstants.MaxNorm:F3} |");
        md.AppendLine();
        if (s.Variants.Count > 0) AppendScores(md, s);
        md.AppendLine("## Throughput (samples/s, training steps)\n");
        md.AppendLine("| stage | samples/s |\n|---|---|");
        foreach (var (stage, rate) in s.SamplesPerS) md.AppendLine($"| {stage} | {rate:F0} |");
        md.AppendLine();
        md.AppendLine("## Learning curves\n");
        foreach (var (title, file) in curves) md.AppendLine($"![{title}]({file}) ([SVG]({Path.ChangeExtension(file, ".svg")}))\n");
        AppendRecipe(md, preset);
        AppendTargets(md, s, preset);
        string path = Path.Combine(stages, FileName);
        File.WriteAllText(path + ".tmp", md.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    static void AppendScores(StringBuilder md, TrainSummary s)
    {
        var v = s.Variants;
        md.AppendLine("## 2DS-test accuracy (the paper's Table 2 layout)\n");
        md.AppendLine($"Greedy decoding, exact match after normalisation, {v[0].Questions} questions. Columns headed \"paper\" are LLaVA-1.5-7B's");
        md.AppendLine($"numbers in the paper, not ours ({PaperNumbers.Citation}): {PaperNumbers.Source}\n");
        string Paper(string variant, string category) => PaperNumbers.Percent(PaperNumbers.Accuracy(variant, category)) is { } x ? x + " %" : PaperNumbers.NotAvailable;
        md.AppendLine($"| category | {string.Join(" | ", v.Select(x => x.Variant))} | chance | {string.Join(" | ", v.Select(x => $"paper: {x.Variant}"))} |");
        md.AppendLine($"|---|{string.Concat(v.Select(_ => "---|"))}---|{string.Concat(v.Select(_ => "---|"))}");
        foreach (var c in Categories.All)
            md.AppendLine($"| {c} | {string.Join(" | ", v.Select(x => P(x.PerCategory.GetValueOrDefault(c))))} | {P(v[0].ChancePerCategory.GetValueOrDefault(c))} | {string.Join(" | ", v.Select(x => Paper(x.Variant, c)))} |");
        md.AppendLine($"| absolute (mean) | {string.Join(" | ", v.Select(x => P(Mean(x, abs: true))))} | |");
        md.AppendLine($"| relative (mean) | {string.Join(" | ", v.Select(x => P(Mean(x, abs: false))))} | 50.0 % |");
        md.AppendLine($"| **overall** | {string.Join(" | ", v.Select(x => $"**{P(x.Overall)}**"))} | | {string.Join(" | ", v.Select(x => Paper(x.Variant, "overall")))} |\n");
        md.AppendLine("### By number of objects (Figs. 5–6)\n");
        md.AppendLine($"| objects | {string.Join(" | ", v.Select(x => x.Variant))} |");
        md.AppendLine($"|---|{string.Concat(v.Select(_ => "---|"))}");
        foreach (var n in v[0].PerObjectCount.Keys)
            md.AppendLine($"| {n} | {string.Join(" | ", v.Select(x => P(x.PerObjectCount.GetValueOrDefault(n))))} |");
        md.AppendLine();
        md.AppendLine("### Embedding norms (Fig. 3)\n");
        md.AppendLine("Mean L2 norm of the image tokens the LM receives (after projector, norm adapter, pooling) against the LM's token embeddings.\n");
        md.AppendLine("| variant | vision tokens | text embeddings | ratio |\n|---|---|---|---|");
        foreach (var x in v) md.AppendLine($"| {x.Variant} | {x.VisionTokenNormMean:F3} | {x.TextEmbeddingNormMean:F3} | {x.NormRatio:F2} |");
        md.AppendLine();
    }

    /// <summary>What each stage was given, so that a report says how its numbers were reached.</summary>
    static void AppendRecipe(StringBuilder md, Preset p)
    {
        md.AppendLine("## Recipe\n");
        md.AppendLine($"Seed {p.Seed}; 0b on {(p.TextTranscripts ? "scene transcripts (every question about a scene in one sequence)" : "single questions (one per scene description)")}. " +
            "AdamW, linear warm-up, the learning rate decays to a tenth of its peak. These are this invocation's budgets: a stage " +
            "resumed with a larger one ran its earlier steps under the earlier budget (its metrics.jsonl holds the learning rate of every logged step).\n");
        md.AppendLine("| stage | steps | batch | peak LR | warm-up | schedule | weight decay |\n|---|---|---|---|---|---|---|");
        foreach (var (name, b) in new[] { ("0a vision", p.Vision0a), ("0b text", p.Text0b), ("1 align", p.Align1), ("2 QA", p.Qa2) })
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {b.Steps:N0} | {b.BatchSize} | {b.LearningRate:G3} | {b.WarmupSteps} | {(b.Restarts is { } r ? $"restarts at {r}" : b.Schedule.ToString().ToLowerInvariant())} | {b.WeightDecay:G3} |"));
        md.AppendLine();
    }

    static double Mean(EvalResult r, bool abs) =>
        Categories.All.Where(c => Categories.IsRelative(c) != abs).Average(c => r.PerCategory.GetValueOrDefault(c));

    static void AppendTargets(StringBuilder md, TrainSummary s, Preset preset)
    {
        if (Targets(s.Preset) is not { } t || s.Variants.Count == 0 || s.Text is null) return;
        double bestAbs = s.Variants.Max(x => Mean(x, abs: true)), bestRel = s.Variants.Max(x => Mean(x, abs: false));
        bool textMet = s.Text.QuestionAccuracy >= t.Text;
        md.AppendLine($"## Targets of preset `{s.Preset}`\n");
        md.AppendLine("| target | wanted | measured | met | what met it in this project's runs |\n|---|---|---|---|---|");
        Row(md, "0a presence accuracy", t.Vision, s.Vision.LabelAccuracy, VisionHint);
        Row(md, "0b text question accuracy", t.Text, s.Text.QuestionAccuracy, TextHint(preset));
        Row(md, "best variant, absolute categories", t.Absolute, bestAbs, VariantHint(textMet));
        Row(md, "best variant, relative categories", 0.5 + t.RelativeOverChance, bestRel, VariantHint(textMet));
        md.AppendLine();
    }

    static void Row(StringBuilder md, string name, double wanted, double got, string hint) =>
        md.AppendLine($"| {name} | ≥ {P(wanted)} | {P(got)} | {(got >= wanted ? "yes" : "**no**")} | {(got >= wanted ? "" : hint)} |");

    // A missed target names the next step to try.
    const string VisionHint = "a longer 0a (`--steps 0a=N`); check it before the rest, which all builds on 0a";

    static string TextHint(Preset p) => p.TextTranscripts
        ? string.Create(CultureInfo.InvariantCulture, $"more 0b steps (`--resume --steps 0b=N`; this run had {p.Text0b.Steps:N0}): the transcript recipe takes 20,000; a smaller `--batch` does not shorten it, a GPU does (`--device cuda`)")
        : "0b on transcripts (`--text-format transcript`, which brings the 20,000-step recipe), or the shipped foundation models (`--foundations shipped`)";

    static string VariantHint(bool textMet) => textMet
        ? "a longer stage 2 (`--steps 2=5000`) or another `--seed`: which variant learns is set by the seed at this scale"
        : "meet the 0b target first: the variants learn the relations their LM answers in text";

    static List<(string Title, string File)> WriteCurves(TrainSummary s, string stages)
    {
        var charts = new List<(string, string)>();
        var pre = PretrainingPanels(stages);
        if (pre.Count > 0)
        {
            LineChart.SavePanels(Path.Combine(stages, PretrainingCurves), pre);
            charts.Add(("pretraining loss", PretrainingCurves));
        }
        foreach (var stage in new[] { VariantTraining.AlignStage, VariantTraining.QaStage })
        {
            var lines = s.Variants.Select(v => Curve(v.Variant, Path.Combine(stages, v.Variant, stage))).OfType<Series>().ToList();
            if (lines.Count == 0) continue;
            string file = $"curves-{stage}.png";
            LineChart.Save(Path.Combine(stages, file), $"Stage {stage} loss", "step", "loss", lines);
            charts.Add(($"stage {stage} loss", file));
        }
        return charts;
    }

    /// <summary>
    /// One panel per pretraining stage that has a curve: 0a's and 0b's losses are different
    /// quantities (presence labels against next tokens) on their own step counts, so they share no axis.
    /// </summary>
    internal static IReadOnlyList<LinePanel> PretrainingPanels(string stages) =>
        new[] { (Stage: VisionPretraining.Stage, Name: "0a vision"), (Stage: TextPretraining.Stage, Name: "0b text") }
            .Select(p => Curve(p.Name, Path.Combine(stages, p.Stage)) is { } curve ? new LinePanel($"Stage {p.Name} pretraining", "step", $"{p.Name} loss", [curve]) : null)
            .OfType<LinePanel>().ToArray();

    static Series? Curve(string label, string stageDir)
    {
        var m = StageRunner.ReadMetrics(stageDir);
        return m.Count == 0 ? null : new Series(label, m.Select(x => (double)x.Step).ToArray(), m.Select(x => x.Loss).ToArray());
    }

    static string P(double x) => (x * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
