using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Pipeline.Study.Compare;
using Pipeline.Data;
using Pipeline.Eval;
using Pipeline.Eval.Plots;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Study;
using Pipeline.Train.Training;

namespace Pipeline.Study.Reports;

/// <summary>What the study report reads from a run folder.</summary>
public sealed record StudyInputs(
    string RunDir,
    string Preset,
    IReadOnlyList<(string Variant, VariantEvaluation Eval, string Dir)> Variants,
    TrainSummary? Training,
    ComparisonResult? Comparison,
    IReadOnlyList<(string Variant, Pipeline.Runtime.ValidationReport Report)> Validation,
    IReadOnlyList<CompressionPoint> Compression,
    IReadOnlyList<(string Model, VariantEvaluation Eval)> Pooled);

/// <summary>
/// report/report.md, report/report.html and report/metrics.json for a run: the paper's tables and
/// figures recomputed from the ONNX artifacts, the paper's numbers beside ours where known, the
/// cross-runtime comparison, validation, and where the numbers were measured.
/// </summary>
public static class StudyReport
{
    public const string MarkdownFile = "report.md", HtmlFile = "report.html", MetricsFile = "metrics.json";

    public static string Write(StudyInputs inputs, string reportDir)
    {
        Directory.CreateDirectory(reportDir);
        var variants = inputs.Variants.Select(v => (v.Variant, v.Eval.Accuracy)).ToArray();
        var sections = new List<ReportSection>
        {
            Summary(inputs),
            ClaimsOfOneSeed(inputs),
            Accuracy(inputs, variants, reportDir),
            Permutation(inputs),
            SemanticControl(inputs),
            Norms(inputs, reportDir),
            Position(inputs),
            Entropy(inputs, reportDir),
            Compression(inputs, reportDir),
            Runtimes(inputs),
            Training(inputs, reportDir),
        };
        string ep = string.Join(", ", inputs.Variants.Select(v => v.Eval.ExecutionProvider).Distinct());
        var report = new Report($"Spatial awareness study: preset `{inputs.Preset}`",
            ReportEnvironment.Current(OrtEnv.Instance().GetVersionString(), ep), sections, DateTimeOffset.UtcNow);
        MarkdownReportWriter.Write(report, Path.Combine(reportDir, MarkdownFile));
        HtmlReportWriter.Write(report, Path.Combine(reportDir, HtmlFile));
        MetricsJson.Write(Path.Combine(reportDir, MetricsFile), Metrics(inputs));
        return Path.Combine(reportDir, MarkdownFile);
    }

    static ReportSection Summary(StudyInputs s)
    {
        var best = s.Variants.MaxBy(v => v.Eval.Accuracy.Overall.Accuracy ?? 0);
        var lines = new List<string>
        {
            $"Three variants of a small LLaVA trained on 2DS with preset `{s.Preset}`, exported to ONNX, validated, and evaluated under ONNX Runtime " +
            $"on {s.Variants.FirstOrDefault().Eval?.Accuracy.Overall.Total ?? 0} 2DS-test questions with greedy decoding and exact match (the paper used a GPT-4o-mini judge with sampling).",
        };
        if (best.Eval is not null)
            lines.Add($"Best overall: **{best.Variant}** at {P(best.Eval.Accuracy.Overall.Accuracy)}. " +
                string.Join("; ", s.Variants.Select(v => $"{v.Variant} {P(v.Eval.Accuracy.Overall.Accuracy)} overall, vision/text norm ratio {v.Eval.Norms.Ratio:F2}, permutation Δ {(v.Eval.Permutation is { } p ? $"{p.Overall.Delta.Mean * 100:+0.0;-0.0} points" : "not run")}")) + ".");
        lines.Add($"The paper's numbers (LLaVA-1.5-7B) appear beside ours where known. {PaperNumbers.Source}");
        return new ReportSection("Summary", lines.Select(l => (ReportBlock)new Paragraph(l)).ToArray());
    }

    /// <summary>The claims table as one seed can fill it: our numbers, no intervals, so no verdicts; a study over seeds gives them.</summary>
    static ReportSection ClaimsOfOneSeed(StudyInputs s)
    {
        const string heading = "The paper's claims (one seed)";
        if (s.Variants.Count == 0) return new ReportSection(heading, [new Paragraph("No variant was evaluated.")]);
        // The pooled models (e.g. baseline-pool1) beside the variants: the compression claim reads them.
        var models = s.Variants.Select(v => (Name: v.Variant, v.Eval)).Concat(s.Pooled.Select(p => (Name: p.Model, p.Eval)));
        var result = SeedStudy.Analyse([new SeedEvaluations(0, models.ToDictionary(m => m.Name, m => m.Eval))]);
        return new ReportSection(heading, ClaimBlocks(result,
            "One training seed gives a number for each claim but no interval: seeds move the ranking of the variants, so no verdict follows from one. " +
            "`pipeline run --seeds 5` trains and evaluates every variant on five seeds and judges each claim from its 95% interval."));
    }

    /// <summary>The claims table with its preamble and the claims that could not be measured.</summary>
    public static IReadOnlyList<ReportBlock> ClaimBlocks(SeedStudyResult result, string preamble)
    {
        var blocks = new List<ReportBlock> { new Paragraph(preamble), ReportTables.Claims(result.Claims) };
        if (result.NotMeasured.Count > 0)
            blocks.Add(new Paragraph("Not measured here: " + string.Join("; ", result.NotMeasured) + "."));
        return blocks;
    }

    static ReportSection Accuracy(StudyInputs s, IReadOnlyList<(string, AccuracyResult)> variants, string dir)
    {
        string bars = Path.Combine(dir, "accuracy-per-category.png"), counts = Path.Combine(dir, "accuracy-by-objects.png");
        var series = s.Variants.Select(v => new BarSeries(v.Variant, Categories.All.Select(c => v.Eval.Accuracy.PerCategory[c].Accuracy).ToArray())).ToList();
        if (s.Variants.Count > 0)
            series.Add(new BarSeries("chance", Categories.All.Select(c => (double?)s.Variants[0].Eval.Chance.GetValueOrDefault(c)).ToArray()));
        AccuracyBarChart.Save(bars, Categories.All, series);
        AccuracyCharts.ByObjectCount(counts, variants);
        return new ReportSection("2DS accuracy (paper Table 2, Figs. 5–6)",
        [
            ReportTables.Accuracy(variants),
            new ReportFigure(bars, "Accuracy per category, with chance (uniform guess among the image's objects, or yes/no)."),
            ReportTables.ByObjectCount(variants),
            new ReportFigure(counts, "Accuracy by number of objects in the image."),
        ]);
    }

    static ReportSection Permutation(StudyInputs s) => new("Permutation test (paper Table 1)",
    [
        new Paragraph("Vision tokens shuffled after the adapter, " + (s.Variants.Where(v => v.Eval.Permutation is not null).All(v => v.Eval.Permutation!.Mode == PermutationMode.PerQuestion)
            ? "a fresh permutation for each question (the authors' code draws one per forward call)"
            : "the same permutation for every question") + ", one run per seed. A model that reads positions loses accuracy; a bag-of-tokens model does not. On 2DS every question needs a position, so shuffling must cost accuracy here; the paper's Table 1 is on semantic benchmarks, where it barely does."),
        ReportTables.Permutation(s.Variants.Where(v => v.Eval.Permutation is not null).Select(v => (v.Variant, v.Eval.Permutation!)).ToArray()),
    ]);

    static ReportSection SemanticControl(StudyInputs s)
    {
        var measured = s.Variants.Where(v => v.Eval.Semantic is not null)
            .Select(v => (v.Variant, v.Eval.Accuracy, v.Eval.Permutation, v.Eval.Semantic!)).ToArray();
        return new("Semantic control (the paper's Insights 1–2 on questions that need no position)",
        [
            new Paragraph("The same models and images asked questions a bag of tokens can answer: whether an object is there (half of the \"no\" answers pair a colour and a shape " +
                "that are both in the image, on different objects), the colour of a named shape, the shape of a named colour. They are trained in stage 2 beside 2DS. " +
                "The paper's Table 1 finds permutation nearly free on such benchmarks (\"VQAv2 78.2 → 77.35, −0.85; POPE 87.3 → 87.10, −0.2\"), and a model that reads positions " +
                "should lose far more on 2DS than here. Our 2DS is in-distribution (stage 2 trains on 2DS-train), where the paper's LLaVA met 2DS zero-shot."),
            measured.Length > 0 ? ReportTables.SemanticControl(measured) : new Paragraph("Not measured: the test split has no semantic questions (data written before the control existed)."),
        ]);
    }

    static ReportSection Position(StudyInputs s)
    {
        var measured = s.Variants.Where(v => v.Eval.Position is not null).Select(v => (v.Variant, v.Eval.Position!)).ToArray();
        return new("Where the vision tokens say they are (linear probe)",
        [
            new Paragraph("Ridge regression from each vision token's vector to its grid row and to its column, fitted on the even-numbered test images and scored " +
                "(held-out R²: 1 exact, 0 no better than the mean) on the odd ones. RoPE gives the language model a token's position only in attention " +
                "scores; comparing two objects' positions (the relative questions) needs the position in the tokens' values, which this measures."),
            measured.Length > 0 ? ReportTables.Position(measured) : new Paragraph("Not measured: the probe needs two images and a grid of side 2 or more, and eval.json files written before it lack it."),
        ]);
    }

    static ReportSection Norms(StudyInputs s, string dir)
    {
        var rows = new List<(string, NormStats)>();
        var series = new List<NormSeries>();
        foreach (var (variant, e, evalDir) in s.Variants)
        {
            rows.Add(($"{variant}: after projector", e.Norms.Projector));
            if (e.Norms.Adapter is { } a) rows.Add(($"{variant}: after adapter", a));
            var samples = EvalFiles.ReadNorms(evalDir);
            series.Add(new NormSeries($"{variant} (vision, into LM)", samples.ImageTokens));
        }
        int? textRow = null;
        if (s.Variants.Count > 0)
        {
            textRow = rows.Count;
            rows.Add(("text token embeddings", s.Variants[0].Eval.Norms.Text));
            series.Add(new NormSeries("text embeddings", EvalFiles.ReadNorms(s.Variants[0].Dir).Text));
        }
        string histogram = Path.Combine(dir, "norms-histogram.png");
        NormHistogram.Save(histogram, series);
        return new ReportSection("Embedding norms (paper Fig. 3)",
        [
            ReportTables.Norms(rows, textRow),
            new ReportFigure(histogram, "L2 norms of the vision tokens the language model receives, per variant, and of the text token embeddings (log scale)."),
            new Paragraph("Vision/text ratio (mean vision-token norm into the LM over mean text-embedding norm): " +
                string.Join(", ", s.Variants.Select(v => $"{v.Variant} {v.Eval.Norms.Ratio:F2}")) + "."),
        ]);
    }

    static ReportSection Entropy(StudyInputs s, string dir)
    {
        var blocks = new List<ReportBlock>();
        bool paperWay = s.Variants.All(v => v.Eval.Entropy.Paper is not null);
        if (paperWay)
            blocks.Add(ReportTables.Entropy(s.Variants.Select(v => (v.Variant, v.Eval.Entropy.Paper!)).ToArray(),
                "Table 4 the paper's way (§7.2): every text token's attention over the vision tokens averaged (heads, then layers and tokens, the start token dropped), then one normalised entropy per question (1 = uniform, 0 = one token)"));
        blocks.AddRange(new ReportBlock[]
        {
            ReportTables.Entropy(s.Variants.Select(v => (v.Variant, v.Eval.Entropy.FirstAnswerToken)).ToArray(),
                "Normalised attention entropy over the vision tokens of the query that predicts the first answer token (1 = uniform, 0 = one token)", paperColumn: !paperWay),
            ReportTables.Entropy(s.Variants.Select(v => (v.Variant, v.Eval.Entropy.AllText)).ToArray(),
                "The mean of per-(layer, head, token) entropies over every text token after the image: a different quantity from the paper's, usually lower", paperColumn: !paperWay),
        });
        var rows = AttentionRows(s);
        if (rows.Count > 0)
        {
            string maps = Path.Combine(dir, "attention-maps.png");
            AttentionFigure.Save(maps, rows);
            blocks.Add(new ReportFigure(maps, "Attention of the answer-predicting token over the image grid, averaged over heads and layers (paper Fig. 7); each panel gives the variant, its entropy and whether it answered right."));
        }
        return new ReportSection("Attention entropy and maps (paper Table 4, Fig. 7)", blocks);
    }

    static IReadOnlyList<AttentionRow> AttentionRows(StudyInputs s)
    {
        if (s.Variants.Count == 0) return [];
        return s.Variants[0].Eval.Maps.Select(first =>
        {
            var panels = s.Variants.Select(v => v.Eval.Maps.FirstOrDefault(m => m.QuestionId == first.QuestionId))
                .Zip(s.Variants, (m, v) => m is null ? null : new AttentionPanel(v.Variant, m.Weights, m.Grid, m.Entropy, m.Correct))
                .OfType<AttentionPanel>().ToArray();
            return new AttentionRow(first.Question, first.Expected, RgbImage.FromPng(first.Image), panels);
        }).ToArray();
    }

    static ReportSection Compression(StudyInputs s, string dir)
    {
        const string heading = "Spatial compression (paper Fig. 2)";
        if (s.Compression.Count == 0)
            return new ReportSection(heading, [new Paragraph("Not run: accuracy against the number of vision tokens needs every variant retrained per k×k pooling. " +
                "Any run can add it with `pipeline run --compression 2,4`.")]);
        string chart = Path.Combine(dir, "accuracy-by-vision-tokens.png");
        AccuracyCharts.ByVisionTokens(chart, s.Compression);
        var grids = s.Compression.Select(p => p.GridSide).Distinct().Order().ToArray();
        static string Both(CompressionPoint p) => p.SemanticAccuracy is double sem ? $"{P(p.Accuracy)} / {P(sem)}" : P(p.Accuracy);
        var table = new ReportTable("Accuracy (%) against the number of vision tokens (k×k, each pooled model retrained): 2DS / semantic control",
            ["variant", .. grids.Select(k => $"{k}×{k} = {k * k}")],
            s.Compression.GroupBy(p => p.Variant).Select(g => (IReadOnlyList<string>)[g.Key, .. grids.Select(k => g.FirstOrDefault(p => p.GridSide == k) is { } p ? Both(p) : "–")]).ToArray());
        return new ReportSection(heading,
        [
            new Paragraph("Each pooled model is trained from the same pretrained encoder and language model, with its vision tokens average-pooled to k×k after the projector and adapter. A bag-of-tokens model loses little when its tokens are pooled."),
            table,
            new ReportFigure(chart, "Overall accuracy against the number of vision tokens, on 2DS and on the semantic control."),
        ]);
    }

    static ReportSection Runtimes(StudyInputs s)
    {
        var blocks = new List<ReportBlock>();
        if (s.Validation.Count > 0)
            blocks.Add(new ReportTable("Deployment validation: test vectors of each artifact on the evaluation's execution provider",
                ["variant", "EP", "outputs", "max abs diff", "result"],
                s.Validation.Select(v => (IReadOnlyList<string>)[v.Variant, v.Report.ExecutionProvider, v.Report.Outputs.Count.ToString(CultureInfo.InvariantCulture),
                    v.Report.Outputs.Max(o => o.MaxAbs).ToString("G3", CultureInfo.InvariantCulture), v.Report.Passed ? "pass" : "FAIL"]).ToArray()));
        var agreement = s.Variants.Select(v => (v.Variant, Agreement(s.RunDir, v.Variant, v.Dir))).Where(a => a.Item2 is not null).ToArray();
        if (agreement.Length > 0)
            blocks.Add(new Paragraph("Answers under ONNX Runtime against the answers TorchSharp gave at the end of training (from float16-cached encoder features): " +
                string.Join(", ", agreement.Select(a => $"{a.Variant} {a.Item2:P2} identical")) + "."));
        if (s.Comparison is { } c)
            blocks.Add(new ReportTable($"{c.Variant}: TorchSharp eager vs ONNX Runtime on the same batches ({c.Questions} questions, batch {c.BatchSize}, {c.Threads} threads; every image encoded once, then the questions decoded in batches)",
                ["runtime", "opset", "ORT optimisation", "EP", "questions/s", "accuracy", "agreement with TorchSharp", "max abs diff (test vectors)"],
                c.Rows.Select(r => (IReadOnlyList<string>)[r.Runtime, r.Opset?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Optimization, r.ExecutionProvider,
                    r.QuestionsPerSecond.ToString("F0", CultureInfo.InvariantCulture), P(r.Accuracy), P(r.Agreement),
                    r.Outputs.Count == 0 ? "-" : r.Outputs.Max(o => o.MaxAbs).ToString("G3", CultureInfo.InvariantCulture)]).ToArray()));
        return new ReportSection("Across runtimes", blocks.Count > 0 ? blocks : [new Paragraph("No comparison was run.")]);
    }

    static ReportSection Training(StudyInputs s, string dir)
    {
        if (s.Training is not { } t) return new ReportSection("Training", [new Paragraph("No training summary found.")]);
        var blocks = new List<ReportBlock>
        {
            new Paragraph($"Stage 0a presence accuracy {P(t.Vision.LabelAccuracy)} (colours {P(t.Vision.ColorAccuracy)}, shapes {P(t.Vision.ShapeAccuracy)}" +
                (t.Vision.PatchShapeAccuracy is double patch ? $"; patch shapes {P(patch)}" : "") +
                (t.Vision.PatchColorAccuracy is double patchColors ? $", patch colours {P(patchColors)}" : "") + "); " +
                (t.Text is null ? "" : $"stage 0b text question accuracy {P(t.Text.QuestionAccuracy)}; ") +
                (t.NormConstants is null ? "" : $"norm constants mean {t.NormConstants.TargetMean:F3}, max {t.NormConstants.MaxNorm:F3} ({t.NormConstantsSource}). ") +
                $"Throughput: {string.Join(", ", t.SamplesPerS.Select(p => $"{p.Key} {p.Value:F0}/s"))}. Learning curves and the TorchSharp scores are in `stages/{TrainingReport.FileName}`."),
        };
        // Copied beside the report, so that a report folder copied elsewhere keeps its figures.
        foreach (var curve in new[] { TrainingReport.PretrainingCurves, "curves-2-qa.png" }.Select(f => RunLayout.At(s.RunDir).Stage(f)).Where(File.Exists))
        {
            string copy = CopyInto(dir, curve);
            if (File.Exists(Path.ChangeExtension(curve, ".svg")))
                CopyInto(dir, Path.ChangeExtension(curve, ".svg"));
            blocks.Add(new ReportFigure(copy, $"Learning curves ({Path.GetFileNameWithoutExtension(curve)["curves-".Length..]})."));
        }
        return new ReportSection("Training", blocks);
    }

    static string CopyInto(string dir, string file)
    {
        string copy = Path.Combine(dir, Path.GetFileName(file));
        AtomicFile.Write(copy, tmp => File.Copy(file, tmp, overwrite: true));
        return copy;
    }

    /// <summary>Share of questions where ORT's answer equals the one training's evaluation recorded; null without predictions.</summary>
    static double? Agreement(string runDir, string variant, string evalDir)
    {
        string torch = RunLayout.At(runDir).Stage(variant, VariantTraining.PredictionsFile), ort = Path.Combine(evalDir, EvalFiles.PredictionsFile);
        if (!File.Exists(torch) || !File.Exists(ort)) return null;
        var expected = File.ReadLines(torch).Select(l => JsonSerializer.Deserialize<Prediction>(l, Json.Compact)!).ToDictionary(p => p.Id, p => p.Predicted);
        var actual = File.ReadLines(ort).Select(l => JsonSerializer.Deserialize<PredictionRecord>(l, Json.Compact)!).ToArray();
        return actual.Count(p => expected.TryGetValue(p.Id, out var t) && t == p.Predicted) / (double)Math.Max(1, actual.Length);
    }

    static object Metrics(StudyInputs s) => new
    {
        s.Preset,
        Variants = s.Variants.ToDictionary(v => v.Variant, v => v.Eval),
        s.Comparison,
        Validation = s.Validation.ToDictionary(v => v.Variant, v => new { v.Report.Passed, v.Report.ExecutionProvider, MaxAbs = v.Report.Outputs.Max(o => o.MaxAbs) }),
        Training = s.Training is { } t ? new { t.Vision, t.Text, t.NormConstants, t.SamplesPerS } : null,
        s.Compression,
        PaperSource = PaperNumbers.Source,
    };

    static string P(double? fraction) => fraction is double f ? (100 * f).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";
}
