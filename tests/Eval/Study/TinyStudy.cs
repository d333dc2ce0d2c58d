using Pipeline.Export;
using Pipeline.Tests.Cli;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Eval.Study;

/// <summary>
/// One tiny run trained and exported once per test process (about ten seconds), and a
/// permutation-invariant copy of its baseline: the projector's output weights zeroed, so every
/// vision token is the same vector and no shuffle of them can change anything.
/// </summary>
public static class TinyStudy
{
    static readonly Lazy<string> Run = new(() =>
    {
        string run = TestScratch.Dir("tiny-study");
        var (code, error) = CliRunner.Run("run", "--preset", "tiny", "--out", run, "--until", "export");
        if (code != 0) throw new InvalidOperationException($"tiny run failed: {error}");
        return run;
    });

    static readonly Lazy<string> Invariant = new(() =>
    {
        string checkpoint = Path.Combine(RunDir, "invariant", "checkpoint");
        TestFiles.CopyDirectory(Checkpoint("baseline"), checkpoint);
        using (var model = Pipeline.Train.Training.Checkpoint.Load(checkpoint))
        {
            using var noGrad = no_grad();
            foreach (var (name, p) in model.Model.named_parameters())
                if (name.StartsWith("multi_modal_projector.linear_2.weight", StringComparison.Ordinal)) p.zero_();
            model.Model.save(Path.Combine(checkpoint, StageRunner.ModelFile));
        }
        return ArtifactExporter.Export(new ExportOptions(checkpoint, Path.Combine(RunDir, "invariant", "artifact"))).Directory;
    });

    public static string RunDir => Run.Value;

    public static string TestData => RunContext.DataDir(RunDir, "test");

    public static string Artifact(string variant) => Path.Combine(RunDir, "artifacts", variant);

    public static string Checkpoint(string variant) => StageRunner.CheckpointDir(Path.Combine(RunDir, RunLayout.StagesFolder, variant, VariantTraining.QaStage));

    /// <summary>An artifact whose vision tokens are all identical.</summary>
    public static string InvariantArtifact => Invariant.Value;
}
