using System.Text.Json;
using Pipeline.Study.Compare;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Study.Reports;

/// <summary>Collects what a run's report needs from its folder: eval/VARIANT, eval/compare, validation/, stages/training.json.</summary>
public static class StudyReportInputs
{
    static readonly JsonSerializerOptions ValidationJson = new(Json.Indented) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <param name="compression">Pooled grid sides whose evaluations to read (Fig. 2); null: whichever eval/VARIANT-poolK folders exist.</param>
    public static StudyInputs Read(string runDir, string preset, IReadOnlyList<Variant> variants, IReadOnlyList<int>? compression = null)
    {
        var evals = variants.Select(v => RunLayout.At(runDir).Eval(v.ToCliName()))
            .Select((dir, i) => (variants[i].ToCliName(), EvalFiles.Read(dir), dir)).ToArray();
        string compare = RunLayout.At(runDir).Eval(RuntimeComparison.Folder, ComparisonResult.FileName);
        var validation = variants.Select(v => (v.ToCliName(), RunLayout.At(runDir).Validation(v.ToCliName())))
            .Where(p => File.Exists(p.Item2))
            .Select(p => (p.Item1, JsonSerializer.Deserialize<ValidationReport>(File.ReadAllText(p.Item2), ValidationJson)!)).ToArray();
        var pooled = variants.SelectMany(v => PooledDirs(runDir, v, compression).Select(p => (Variant: v, p.K, Eval: EvalFiles.Read(p.Dir)))).ToArray();
        return new StudyInputs(runDir, preset, evals,
            Trainer.ReadSummary(runDir),
            File.Exists(compare) ? JsonSerializer.Deserialize<ComparisonResult>(File.ReadAllText(compare), Json.Indented) : null,
            validation,
            CompressionPoints(evals, pooled),
            pooled.Select(p => (p.Variant.ModelName(p.K), p.Eval)).ToArray());
    }

    /// <summary>Accuracy against vision tokens: each variant unpooled (its full grid) and at each pooled grid side.</summary>
    static IReadOnlyList<Pipeline.Eval.Plots.CompressionPoint> CompressionPoints(
        IReadOnlyList<(string Variant, VariantEvaluation Eval, string Dir)> evals, IReadOnlyList<(Variant Variant, int K, VariantEvaluation Eval)> pooled)
    {
        if (pooled.Count == 0) return [];
        return evals.Select(e => new Pipeline.Eval.Plots.CompressionPoint(e.Variant, (int)Math.Round(Math.Sqrt(e.Eval.NumImageTokens)), e.Eval.Accuracy.Overall.Accuracy ?? 0, e.Eval.Semantic?.Accuracy.Overall.Accuracy))
            .Concat(pooled.Select(p => new Pipeline.Eval.Plots.CompressionPoint(p.Variant.ToCliName(), p.K, p.Eval.Accuracy.Overall.Accuracy ?? 0, p.Eval.Semantic?.Accuracy.Overall.Accuracy)))
            .ToArray();
    }

    static IEnumerable<(int K, string Dir)> PooledDirs(string runDir, Variant v, IReadOnlyList<int>? compression)
    {
        string prefix = v.ToCliName() + "-pool", evalRoot = RunLayout.At(runDir).Eval();
        if (compression is not null) return compression.Select(k => (k, Path.Combine(evalRoot, v.ModelName(k))));
        if (!Directory.Exists(evalRoot)) return [];
        return Directory.GetDirectories(evalRoot, prefix + "*")
            .Select(d => (Ok: int.TryParse(Path.GetFileName(d)[prefix.Length..], out int k), K: k, Dir: d))
            .Where(x => x.Ok && File.Exists(Path.Combine(x.Dir, EvalFiles.EvalFile))).Select(x => (x.K, x.Dir)).OrderBy(x => x.K);
    }
}
