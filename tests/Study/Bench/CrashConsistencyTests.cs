using Pipeline.Study.Bench;

namespace Pipeline.Tests.Study.Bench;

/// <summary>The crash harness's comparison: trained bytes must match, measured timings may not.</summary>
public sealed class CrashConsistencyTests
{
    static string Run(string name, string loss, string weights, string rate)
    {
        string root = TestScratch.Dir(name);
        string stage = Path.Combine(root, RunLayout.StagesFolder, "0a-vision", "checkpoint");
        Directory.CreateDirectory(stage);
        File.WriteAllText(Path.Combine(stage, "model.bin"), weights);
        File.WriteAllText(Path.Combine(stage, "state.json"), $"{{\"step\": 10, \"done\": true, \"samples_per_s\": {rate}}}");
        File.WriteAllText(Path.Combine(root, RunLayout.StagesFolder, "0a-vision", "metrics.jsonl"),
            $"{{\"step\":10,\"loss\":{loss},\"lr\":0.001,\"samples_per_s\":{rate},\"elapsed_s\":{rate}}}\n");
        return root;
    }

    [Test]
    public void TimingsDifferWithoutADifferenceButWeightsAndLossesDoNot()
    {
        string reference = Run("crash-ref", "0.5", "weights", "100");
        Assert.That(CrashConsistency.Compare(reference, Run("crash-same", "0.5", "weights", "37")), Is.Empty);
        Assert.That(CrashConsistency.Compare(reference, Run("crash-weights", "0.5", "weightz", "100")), Is.EqualTo(new[] { Path.Combine("0a-vision", "checkpoint", "model.bin") + " differs" }));
        Assert.That(CrashConsistency.Compare(reference, Run("crash-loss", "0.51", "weights", "100")).Single(), Does.Contain("metrics.jsonl"));
        string missing = Run("crash-missing", "0.5", "weights", "100");
        File.Delete(Path.Combine(missing, RunLayout.StagesFolder, "0a-vision", "checkpoint", "model.bin"));
        Assert.That(CrashConsistency.Compare(reference, missing).Single(), Does.Contain("missing after the resume"));
    }
}
