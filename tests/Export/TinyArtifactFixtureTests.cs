using Pipeline.Export;
using Pipeline.Tests.Build;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Export;

/// <summary>
/// tests/Fixtures/tiny-artifact, which the runtime-only tests (tests/RuntimeAlone) read without
/// TorchSharp, is exactly what importing the PyTorch fixture and exporting it writes today: a change
/// to the export or the artifact format shows here first, with the command that renews it.
/// </summary>
public sealed class TinyArtifactFixtureTests
{
    [Test]
    public void TheCommittedArtifactIsWhatExportWritesToday()
    {
        string fixtures = Path.Combine(MSBuildRunner.RepoRoot, "tests", "Fixtures");
        string pytorch = Path.Combine(fixtures, "pytorch-import"), committed = Path.Combine(fixtures, "tiny-artifact");
        string checkpoint = Path.Combine(TestScratch.Dir("tiny-artifact"), "checkpoint");
        CheckpointImport.Import(new ImportOptions(Path.Combine(pytorch, "model.pt"), Path.Combine(pytorch, "config.json"), Path.Combine(pytorch, "vocab.json"), checkpoint));
        var fresh = ArtifactExporter.Export(new ExportOptions(checkpoint, TestScratch.Dir("tiny-artifact-export"))).Directory;

        const string renew = "renew it: pipeline import --weights tests/Fixtures/pytorch-import/model.pt --config tests/Fixtures/pytorch-import/config.json " +
            "--vocab tests/Fixtures/pytorch-import/vocab.json --out /tmp/x/checkpoint, then pipeline export --checkpoint /tmp/x/checkpoint --out tests/Fixtures/tiny-artifact --force";
        var files = DeterminismTests.Files(fresh);
        Assert.That(DeterminismTests.Files(committed), Is.EqualTo(files), renew);
        foreach (string file in files)
            Assert.That(File.ReadAllBytes(Path.Combine(committed, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(fresh, file))), $"{file} differs; {renew}");
    }
}
