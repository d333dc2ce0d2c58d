using Pipeline.Data;

namespace Pipeline.Tests.Data;

[TestFixture]
public class DeterminismTests
{
    [Test]
    public void TheSameOptionsGiveByteIdenticalFiles()
    {
        var options = new DatasetOptions(Split.Train, 60, 11, 64, 2);
        string a = DataFixture.Scratch("det-a"), b = DataFixture.Scratch("det-b");
        // Different thread counts must not change a byte: every image has its own random stream.
        DatasetWriter.Write(options, a, threads: 1);
        DatasetWriter.Write(options, b, threads: 4);
        Assert.That(File.ReadAllText(Path.Combine(b, DatasetManifest.FileName)), Is.EqualTo(File.ReadAllText(Path.Combine(a, DatasetManifest.FileName))));
        foreach (var file in Directory.GetFiles(a, "*", SearchOption.AllDirectories))
        {
            string other = Path.Combine(b, Path.GetRelativePath(a, file));
            Assert.That(File.ReadAllBytes(other), Is.EqualTo(File.ReadAllBytes(file)), Path.GetRelativePath(a, file));
        }
    }

    [Test]
    public void ADifferentSeedGivesADifferentDataset()
    {
        string a = DataFixture.Scratch("seed-a"), b = DataFixture.Scratch("seed-b");
        var ma = DatasetWriter.Write(new DatasetOptions(Split.Test, 20, 1), a).Manifest;
        var mb = DatasetWriter.Write(new DatasetOptions(Split.Test, 20, 2), b).Manifest;
        Assert.That(mb.Sha256[DatasetWriter.ScenesFile], Is.Not.EqualTo(ma.Sha256[DatasetWriter.ScenesFile]));
    }

    /// <summary>
    /// "2DS-test" must mean one dataset everywhere: these are the hashes of the default test
    /// split's text files. A change to the generator that moves them must bump its version.
    /// </summary>
    [Test]
    public void TheDefaultTestSplitIsTheCanonicalOne()
    {
        var m = DataFixture.Test.Manifest;
        Assert.That(m.Seed, Is.EqualTo(2025UL));
        Assert.That(m.Sha256[DatasetWriter.ScenesFile], Is.EqualTo("f8fb172602fde7557b5a0838ab7e57613b4284e2cf74ce4dc7e22f23e768eef1"));
        Assert.That(m.Sha256[DatasetWriter.QuestionsFile], Is.EqualTo("2a381610835e0bb69672404a88612daa0f57cbdcab1334f731037623643f6392"));
    }
}
