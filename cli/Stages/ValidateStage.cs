using Pipeline.Cli.Services;
using Pipeline.Cli.Verbs;
using Pipeline.Runtime;
using Pipeline.Train.Model;

namespace Pipeline.Cli.Stages;

/// <summary>Each artifact re-checked as a deployment would: hashes, signatures, test vectors on the chosen EP.</summary>
public sealed class ValidateStage : PipelineStage
{
    public override string Name => "validate";

    public override string? Upstream => "export";

    public override IEnumerable<(string, string)> Parameters(StageSettings s) => [("ep", s.Ep)];

    public override void Execute(StageSettings s, bool fresh)
    {
        var settings = new SessionSettings(2, Provider: ExecutionProviders.Parse(s.Ep));
        var failed = new List<string>();
        foreach (var m in s.Models)
        {
            var report = ArtifactValidator.Validate(s.ArtifactDir(m), settings);
            ValidationSummary.Print(report, s.Terminal);
            report.WriteJson(s.ValidationFile(m));
            if (!report.Passed) failed.Add(m.Name);
        }
        if (failed.Count > 0)
            throw new InvalidDataException($"artifact(s) {string.Join(", ", failed)} failed validation on {s.Ep}; see {Path.GetDirectoryName(s.ValidationFile(s.Models[0]))}");
    }

    public override IEnumerable<string> Outputs(StageSettings s) => s.Models.Select(m => Path.GetRelativePath(s.RunDir, s.ValidationFile(m)));
}
