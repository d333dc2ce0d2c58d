using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Tests.Build;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Export;

/// <summary>
/// tests/Fixtures/tiny-artifact, which the runtime-only tests (tests/RuntimeAlone) read without
/// TorchSharp, is exactly what importing the PyTorch fixture and exporting it writes today: a change
/// to the export or the artifact format shows here first, with the command that renews it.
/// TorchSharp's float sums round differently on other CPUs, so what it computes (the reference
/// tensors, their hashes and the parity table's measured differences) is compared within tolerance;
/// everything else byte for byte.
/// </summary>
public sealed class TinyArtifactFixtureTests
{
    const string Renew = "renew it: pipeline import --weights tests/Fixtures/pytorch-import/model.pt --config tests/Fixtures/pytorch-import/config.json " +
        "--vocab tests/Fixtures/pytorch-import/vocab.json --out /tmp/x/checkpoint, then pipeline export --checkpoint /tmp/x/checkpoint --out tests/Fixtures/tiny-artifact --force";

    [Test]
    public void TheCommittedArtifactIsWhatExportWritesToday()
    {
        string fixtures = Path.Combine(MSBuildRunner.RepoRoot, "tests", "Fixtures");
        string pytorch = Path.Combine(fixtures, "pytorch-import"), committed = Path.Combine(fixtures, "tiny-artifact");
        string checkpoint = Path.Combine(TestScratch.Dir("tiny-artifact"), "checkpoint");
        CheckpointImport.Import(new ImportOptions(Path.Combine(pytorch, "model.pt"), Path.Combine(pytorch, "config.json"), Path.Combine(pytorch, "vocab.json"), checkpoint));
        var fresh = ArtifactExporter.Export(new ExportOptions(checkpoint, TestScratch.Dir("tiny-artifact-export"))).Directory;

        var files = DeterminismTests.Files(fresh);
        Assert.That(DeterminismTests.Files(committed), Is.EqualTo(files), Renew);
        foreach (string file in files)
        {
            string a = Path.Combine(committed, file), b = Path.Combine(fresh, file);
            if (IsComputed(file)) AssertTensorsClose(a, b, file);
            else if (file == "README.md") Assert.That(WithoutMeasuredDiffs(a), Is.EqualTo(WithoutMeasuredDiffs(b)), $"{file} differs; {Renew}");
            else if (file == "manifest.json") Assert.That(WithoutComputedHashes(a), Is.EqualTo(WithoutComputedHashes(b)), $"{file} differs; {Renew}");
            else Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)), $"{file} differs; {Renew}");
        }
    }

    [Test]
    public void AReferenceTensorOffByMoreThanRoundingIsCaught()
    {
        string dir = Directory.CreateDirectory(TestScratch.Dir("tiny-artifact-tolerance")).FullName;
        string a = Path.Combine(dir, "a.pb"), b = Path.Combine(dir, "b.pb");
        TensorProtoFile.Write(a, "t", HostTensor.Float([2], [1f, 2f]));
        TensorProtoFile.Write(b, "t", HostTensor.Float([2], [1f + 1e-6f, 2f]));
        Assert.DoesNotThrow(() => AssertTensorsClose(a, b, "b.pb"));
        TensorProtoFile.Write(b, "t", HostTensor.Float([2], [1f, 2.01f]));
        Assert.Throws<AssertionException>(() => AssertTensorsClose(a, b, "b.pb"));
    }

    /// <summary>Reference tensors: the test vectors' files, which TorchSharp computed (inputs of the KV-cache step included).</summary>
    static bool IsComputed(string file) => file.StartsWith("test_data/", StringComparison.Ordinal) && file.EndsWith(".pb", StringComparison.Ordinal);

    /// <summary>Same name, then the runtime's own parity rule (Polygraphy's atol/rtol) on type, shape and values.</summary>
    static void AssertTensorsClose(string committedFile, string freshFile, string file)
    {
        var (expectedName, expected) = TensorProtoFile.Read(committedFile);
        var (actualName, actual) = TensorProtoFile.Read(freshFile);
        Assert.That(actualName, Is.EqualTo(expectedName), $"{file}: tensor name differs; {Renew}");
        var row = TensorComparison.Compare(file, actual, expected, Tolerance.Default);
        Assert.That(row.Passed, Is.True, $"{file}: {row.Problem ?? $"{row.Mismatches} of {row.Count} elements differ by more than rounding (max abs {row.MaxAbs:G3})"}; {Renew}");
    }

    /// <summary>The README with the parity table's two measured columns blanked (a row: output, max abs, max rel, result).</summary>
    static string WithoutMeasuredDiffs(string path) =>
        Regex.Replace(File.ReadAllText(path), @"(?m)^(\| `[^`]+` \|) [^|]+ \| [^|]+ \| (pass|fail) \|$", "$1 · | · | $2 |");

    /// <summary>The manifest with the sizes and hashes of the files that hold computed numbers left out.</summary>
    static string WithoutComputedHashes(string path)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var entry in manifest["files"]!.AsArray())
        {
            string file = entry!["path"]!.GetValue<string>();
            if (!IsComputed(file) && file != "README.md") continue;
            entry.AsObject().Remove("bytes");
            entry.AsObject().Remove("sha256");
        }
        return manifest.ToJsonString();
    }
}
