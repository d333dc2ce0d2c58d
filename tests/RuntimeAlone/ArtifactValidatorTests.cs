using Pipeline.Runtime;
using static Pipeline.Runtime.ArtifactNames;

namespace Pipeline.Tests.Runtime;

/// <summary>
/// Validation catches every way an artifact can go wrong after export: changed or missing files,
/// a corrupt graph, a newer format (structural, one line), and expected outputs the graphs no
/// longer reproduce (numeric, in the report).
/// </summary>
[TestFixture]
public class ArtifactValidatorTests
{
    static readonly SessionSettings Cpu = new(IntraOpThreads: 2);

    static string OneLine(Action validate)
    {
        var error = Assert.Throws<InvalidDataException>(validate)!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Not.Contain('\n'));
        return error.Message;
    }

    [Test]
    public void AGoodArtifactPassesEveryOutput()
    {
        var report = ArtifactValidator.Validate(FixtureArtifact.Path, Cpu);
        var manifest = ArtifactFiles.ReadManifest(FixtureArtifact.Path);
        Assert.That(report.Passed, Is.True);
        Assert.That(report.Variant, Is.EqualTo("norm-multilayer"));
        Assert.That(report.FormatVersion, Is.EqualTo(ArtifactManifest.CurrentFormatVersion));
        Assert.That(report.ExecutionProvider, Is.EqualTo(ExecutionProviders.CpuName));
        Assert.That((report.Atol, report.Rtol), Is.EqualTo((manifest.TestData.Atol, manifest.TestData.Rtol)));
        Assert.That(report.Outputs.Select(o => (o.Graph, o.Output)),
            Is.EquivalentTo(manifest.TestData.Sets.SelectMany(s => s.Outputs).Select(o => (o.Graph, o.Tensor))), "every expected output, intermediates included");
        Assert.That(report.Outputs, Has.All.Matches<OutputCheck>(o => o.Passed && o.Mismatches == 0 && o.TestSet == TestSetFolder(o.Graph) && o.Count > 0));
    }

    /// <summary>Format 1 kept one test set for both graphs, numbered across them; its manifest still maps every file, so it still validates.</summary>
    [Test]
    public void AFormat1ArtifactWithOneSharedTestSetStillValidates()
    {
        string copy = FixtureArtifact.Copy();
        var manifest = ArtifactFiles.ReadManifest(copy);
        string shared = Path.Combine(copy, "test_data_set_0");
        Directory.CreateDirectory(shared);
        List<TestTensorRef> inputs = [], outputs = [];
        foreach (var set in manifest.TestData.Sets)
        {
            foreach (var (refs, kind, list) in new[] { (set.Inputs, "input", inputs), (set.Outputs, "output", outputs) })
                foreach (var r in refs)
                {
                    string file = $"{kind}_{list.Count}.pb";
                    File.Move(Path.Combine(copy, set.Folder, r.File), Path.Combine(shared, file));
                    list.Add(r with { File = file });
                }
        }
        Directory.Delete(Path.Combine(copy, TestDataFolder), recursive: true);
        var old = manifest with
        {
            FormatVersion = 1,
            TestData = manifest.TestData with { Sets = [new TestSetRecord("test_data_set_0", "both graphs", inputs, outputs)] },
            Files = ArtifactFiles.DescribeAll(copy),
        };
        ArtifactFiles.WriteManifest(copy, old);

        var report = ArtifactValidator.Validate(copy, Cpu);
        Assert.That(report.Passed, Is.True);
        Assert.That(report.FormatVersion, Is.EqualTo(1));
        Assert.That(report.Outputs, Has.Count.EqualTo(outputs.Count).And.All.Matches<OutputCheck>(o => o.TestSet == "test_data_set_0"));
    }

    [Test]
    public void AutoReportsTheProviderItActuallyUsed()
    {
        var report = ArtifactValidator.Validate(FixtureArtifact.Path, Cpu with { Provider = ExecutionProviderKind.Auto });
        Assert.That(report.Passed, Is.True);
        Assert.That(report.ExecutionProvider, Is.EqualTo(TestMachine.CudaLibrariesLoad ? ExecutionProviders.CudaName : ExecutionProviders.CpuName));
        Assert.That(report.FallbackReason, TestMachine.CudaLibrariesLoad ? Is.Null : Is.Not.Null);
    }

    [Test]
    public void CudaValidatesWhereItLoadsElseIsNotSupportedInOneLine()
    {
        if (TestMachine.CudaLibrariesLoad)
        {
            var report = ArtifactValidator.Validate(FixtureArtifact.Path, Cpu with { Provider = ExecutionProviderKind.Cuda });
            Assert.That(report.ExecutionProvider, Is.EqualTo(ExecutionProviders.CudaName));
            return;
        }
        var e = Assert.Throws<NotSupportedException>(() => ArtifactValidator.Validate(FixtureArtifact.Path, Cpu with { Provider = ExecutionProviderKind.Cuda }))!;
        Assert.That(e.Message, Does.Contain("--ep cpu").And.Not.Contain('\n'));
    }

    [Test]
    public void AFlippedByteInAGraphIsAHashMismatch()
    {
        string copy = FixtureArtifact.Copy();
        ArtifactTampering.FlipByte(copy, LanguageFile);
        Assert.That(OneLine(() => ArtifactValidator.Validate(copy, Cpu)),
            Is.EqualTo($"{LanguageFile} does not match its SHA-256 in the manifest: the file was changed after export"));
    }

    [Test]
    public void AMissingFileIsNamed()
    {
        string copy = FixtureArtifact.Copy();
        string file = ArtifactTampering.ExpectedOutputFile(copy, VisionGraph, ImageEmbeddings);
        File.Delete(Path.Combine(copy, file));
        Assert.That(OneLine(() => ArtifactValidator.Validate(copy, Cpu)), Does.StartWith($"{file} is missing from").And.EndWith("re-export the artifact"));
    }

    [Test]
    public void ACorruptGraphWithAMatchingHashCannotLoad()
    {
        string copy = FixtureArtifact.Copy();
        File.WriteAllBytes(Path.Combine(copy, VisionFile), [8, 1, 18, 3, 1, 2, 3]);
        ArtifactTampering.Rehash(copy, VisionFile);
        Assert.That(OneLine(() => ArtifactValidator.Validate(copy, Cpu)), Does.StartWith("ONNX Runtime cannot load").And.Contain(VisionFile));
    }

    [Test]
    public void ANewerFormatAsksForANewerPipeline()
    {
        string copy = FixtureArtifact.Copy();
        var manifest = ArtifactFiles.ReadManifest(copy);
        ArtifactFiles.WriteManifest(copy, manifest with { FormatVersion = ArtifactManifest.CurrentFormatVersion + 1 });
        Assert.That(OneLine(() => ArtifactValidator.Validate(copy, Cpu)), Does.Contain("newer than this pipeline reads").And.Contain("upgrade the pipeline"));
    }

    [Test]
    public void AWrongExpectedOutputFailsOnlyTheNumericCheck()
    {
        string copy = FixtureArtifact.Copy();
        ArtifactTampering.ShiftExpectedOutput(copy, LanguageGraph, Logits, 0.01f);
        var report = ArtifactValidator.Validate(copy, Cpu);
        Assert.That(report.Passed, Is.False);
        var failed = report.Outputs.Where(o => !o.Passed).ToArray();
        Assert.That(failed.Select(o => (o.Graph, o.Output)), Is.EqualTo(new[] { (LanguageGraph, Logits) }));
        Assert.That(failed[0].MaxAbs, Is.EqualTo(0.01).Within(1e-3));
        Assert.That(failed[0].Mismatches, Is.EqualTo(failed[0].Count));
    }

    [Test]
    public void LooserTolerancesAcceptWhatTheManifestsReject()
    {
        string copy = FixtureArtifact.Copy();
        ArtifactTampering.ShiftExpectedOutput(copy, LanguageGraph, Logits, 0.01f);
        var report = ArtifactValidator.Validate(copy, Cpu, atol: 0.02);
        Assert.That(report.Passed, Is.True);
        Assert.That(report.Atol, Is.EqualTo(0.02));
        Assert.That(() => ArtifactValidator.Validate(copy, Cpu, rtol: -1), Throws.ArgumentException.With.Message.Contains("--rtol"));
    }

    [Test]
    public void TheReportRoundTripsAsJson()
    {
        string path = Path.Combine(FixtureArtifact.Scratch("report"), "report.json");
        var report = ArtifactValidator.Validate(FixtureArtifact.Path, Cpu);
        report.WriteJson(path);
        string json = File.ReadAllText(path);
        Assert.That(json, Does.Contain("\"execution_provider\": \"CPUExecutionProvider\"").And.Contain("\"passed\": true").And.Contain("\"test_set\": \"test_data/vision/test_data_set_0\""));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file left behind");
    }
}
