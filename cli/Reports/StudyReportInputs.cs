using System.Text.Json;
using Pipeline.Cli.Compare;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Reports;

/// <summary>Collects what a run's report needs from its folder: eval/VARIANT, eval/compare, validation/, stages/training.json.</summary>
public static class StudyReportInputs
{
    static readonly JsonSerializerOptions ValidationJson = new(ArtifactFiles.JsonOptions) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static StudyInputs Read(string runDir, string preset, IReadOnlyList<Variant> variants)
    {
        var evals = variants.Select(v => Path.Combine(runDir, "eval", v.ToCliName()))
            .Select((dir, i) => (variants[i].ToCliName(), EvalFiles.Read(dir), dir)).ToArray();
        string training = Path.Combine(runDir, "stages", Trainer.SummaryFile);
        string compare = Path.Combine(runDir, "eval", Stages.EvalStage.CompareFolder, ComparisonResult.FileName);
        var validation = variants.Select(v => (v.ToCliName(), Path.Combine(runDir, "validation", v.ToCliName() + ".json")))
            .Where(p => File.Exists(p.Item2))
            .Select(p => (p.Item1, JsonSerializer.Deserialize<ValidationReport>(File.ReadAllText(p.Item2), ValidationJson)!)).ToArray();
        return new StudyInputs(runDir, preset, evals,
            File.Exists(training) ? JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(training), Pipeline.Data.Json.Indented) : null,
            File.Exists(compare) ? JsonSerializer.Deserialize<ComparisonResult>(File.ReadAllText(compare), Pipeline.Data.Json.Indented) : null,
            validation);
    }
}
