using System.Diagnostics;
using Pipeline.Eval.Study;
using Pipeline.Runtime;

// Validates each artifact on CUDA, then evaluates it on CUDA and on the CPU and says how far the two agree.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: GpuCheck DATA_DIR ARTIFACT_DIR...");
    return 2;
}
string data = args[0];
int cores = Environment.ProcessorCount;
foreach (string artifact in args[1..])
{
    ValidationReport report = null!;
    foreach (bool tf32 in new[] { false, true })
    {
        report = ArtifactValidator.Validate(artifact, new SessionSettings(4, Provider: ExecutionProviderKind.Cuda, AllowTf32: tf32));
        Console.WriteLine($"{report.Variant}: validate on {report.ExecutionProvider} (TF32 {(tf32 ? "on" : "off")}): {(report.Passed ? "PASS" : "FAIL")}, " +
            $"max abs {report.Outputs.Max(o => o.MaxAbs):G3}, max rel {report.Outputs.Max(o => o.MaxRel):G3} over {report.Outputs.Count} outputs (atol {report.Atol}, rtol {report.Rtol})");
        foreach (var o in report.Outputs.Where(o => !o.Passed)) Console.WriteLine($"  {o.Graph}/{o.Output}: max abs {o.MaxAbs:G3} max rel {o.MaxRel:G3} FAIL");
    }

    var runs = new List<(string Label, ArtifactEvaluator.Result Result)>();
    foreach (var (label, settings) in new[]
    {
        ("CUDA", new SessionSettings(1, true, ExecutionProviderKind.Cuda)),
        ("CUDA TF32", new SessionSettings(1, true, ExecutionProviderKind.Cuda, AllowTf32: true)),
        ($"CPU {cores} threads", new SessionSettings(cores, true, ExecutionProviderKind.Cpu)),
    })
    {
        var clock = Stopwatch.StartNew();
        var result = ArtifactEvaluator.Run(new EvalOptions(artifact, data, settings));
        var e = result.Evaluation;
        Console.WriteLine($"{e.Variant} [{label}] {e.ExecutionProvider}: accuracy {e.Accuracy.Overall.Accuracy:P2}, answering {e.Timing.QuestionsPerSecond:F0} questions/s " +
            $"(vision {e.Timing.VisionSeconds:F2} s, answers {e.Timing.AnswerSeconds:F2} s), whole study {clock.Elapsed.TotalSeconds:F1} s, " +
            $"entropy {e.Entropy.FirstAnswerToken.Mean:F4}, permutation Δ {e.Permutation?.Overall.Delta.Mean * 100:F2} points, peak {e.Timing.PeakWorkingSetBytes / 1e6:F0} MB");
        runs.Add((label, result));
    }
    var cuda = runs[0].Result.Predictions;
    foreach (var (label, r) in runs.Skip(1))
        Console.WriteLine($"{report.Variant}: answers CUDA vs {label}: {cuda.Zip(r.Predictions).Count(p => p.First.Predicted == p.Second.Predicted)}/{cuda.Count} identical");
}
return 0;
