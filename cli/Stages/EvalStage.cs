using Pipeline.Cli.Services;
using Pipeline.Study.Compare;
using Pipeline.Cli.Verbs;
using Pipeline.Eval.Study;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Stages;

/// <summary>
/// The study from the artifacts under ONNX Runtime (eval/VARIANT), and the cross-runtime
/// comparison of the paper's proposed variant (eval/compare.json).
/// </summary>
public sealed class EvalStage : PipelineStage
{

    public override string Name => "eval";

    public override string? Upstream => "validate";

    /// <summary>Three permutation seeds give the Δ's spread; five cost a minute more on small for no change in the story.</summary>
    public const int PermutationSeeds = 3;

    /// <summary>The runtimes are compared on the first 1,000 test questions (every category, 167 images): agreement
    /// and throughput settle well before that, and the whole split would cost another minute on small.</summary>
    public const int CompareQuestions = 1000;

    public override IEnumerable<(string, string)> Parameters(StageSettings s) =>
        [("ep", s.Ep), ("seeds", PermutationSeeds.ToString()), ("compare", CompareQuestions.ToString()),
         // What the measurements are: a run evaluated before they changed is evaluated again.
         ("permutation", "per-question"), ("entropy", "paper-way and per-query"), ("semantic", "control scored and permuted")];

    public override void Execute(StageSettings s, bool fresh)
    {
        string test = RunContext.DataDir(s.RunDir, "test");
        foreach (var m in s.Models)
        {
            // The pooled models of the compression study need only their accuracy: no permutation runs.
            var result = ArtifactEvaluation.Evaluate(ArtifactEvaluation.Options(s.ArtifactDir(m), test, s.Ep, threads: 2, seeds: m.Pool is null ? PermutationSeeds : 0, batch: 64), s.Terminal);
            EvalFiles.Write(s.EvalDir(m), result, force: true);
            ArtifactEvaluation.Print(result.Evaluation, s.Terminal);
        }
        var compared = CompareVariant(s);
        var comparison = RuntimeComparisons.Compare(new CompareOptions(TrainStage.Checkpoint(s, compared), s.ArtifactDir(compared), test,
            s.Layout.Eval(RuntimeComparison.Folder, "exports"), ExecutionProviders.Parse(s.Ep), Limit: CompareQuestions), s.Terminal);
        RuntimeComparisons.Write(CompareFile(s), comparison);
    }

    public override IEnumerable<string> Outputs(StageSettings s) =>
        s.Models.Select(m => Path.GetRelativePath(s.RunDir, Path.Combine(s.EvalDir(m), EvalFiles.EvalFile)))
            .Append(Path.GetRelativePath(s.RunDir, CompareFile(s)));

    public static string CompareFile(StageSettings s) => s.Layout.Eval(RuntimeComparison.Folder, ComparisonResult.FileName);

    /// <summary>The paper's proposal where it was trained, else the last variant of the run.</summary>
    static Variant CompareVariant(StageSettings s) => s.Variants.Contains(Variant.NormMultilayer) ? Variant.NormMultilayer : s.Variants[^1];
}
