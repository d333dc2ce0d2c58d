using Pipeline.Data;

namespace Pipeline.Tests.Data;

[TestFixture]
public class BadInputTests
{
    [TestCase(0)]
    [TestCase(-5)]
    public void NonPositiveImageCountsAreRejected(int images) =>
        Assert.That(() => new DatasetOptions(Split.Train, images).Validate(), Throws.ArgumentException.With.Message.Contains("--images"));

    [Test]
    public void AnImageTooSmallForSixObjectsIsRejected() =>
        Assert.That(() => new DatasetOptions(ImageSize: 20).Validate(), Throws.ArgumentException.With.Message.Contains("too small"));

    [Test]
    public void ATestSplitNotDivisibleIntoMetaCategoriesIsRejected() =>
        Assert.That(() => new DatasetOptions(Split.Test, 12).Validate(), Throws.ArgumentException.With.Message.Contains("divisible by 5"));

    [Test]
    public void AnUnknownSplitIsRejected() =>
        Assert.That(() => DatasetOptions.ParseSplit("dev"), Throws.ArgumentException.With.Message.Contains("train, val or test"));

    [Test]
    public void ANonEmptyOutputFolderIsKeptUnlessForced()
    {
        string dir = DataFixture.Scratch("busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "precious");
        var options = new DatasetOptions(Split.Test, 10);
        Assert.That(() => DatasetWriter.Write(options, dir), Throws.InstanceOf<IOException>().With.Message.Contains("--force"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "keep.txt")), Is.EqualTo("precious"));
        DatasetWriter.Write(options, dir, force: true);
        Assert.That(File.Exists(Path.Combine(dir, "keep.txt")), Is.False);
        Assert.That(Dataset.Load(dir).Scenes, Has.Count.EqualTo(10));
    }

    [Test]
    public void AFailedWriteLeavesNothingBehind()
    {
        string parent = DataFixture.Scratch("failed");
        string dir = Path.Combine(parent, "out");
        Assert.That(() => AtomicDirectory.Write(dir, false, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "half.txt"), "half");
            throw new InvalidOperationException("disk full");
        }), Throws.InvalidOperationException);
        Assert.That(Directory.Exists(dir), Is.False);
        Assert.That(Directory.GetFileSystemEntries(parent), Is.Empty, "no temporary folder left");
    }

    [Test]
    public void LoadingAFolderThatIsNot2DSSaysSo()
    {
        string dir = DataFixture.Scratch("not2ds");
        Directory.CreateDirectory(dir);
        Assert.That(() => Dataset.Load(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a 2DS dataset"));
        Assert.That(() => Dataset.Load(dir + "-missing"), Throws.InstanceOf<DirectoryNotFoundException>());
    }

    [Test]
    public void ATamperedFileIsDetected()
    {
        string dir = DataFixture.Scratch("tampered");
        DatasetWriter.Write(new DatasetOptions(Split.Test, 10), dir);
        File.AppendAllText(Path.Combine(dir, DatasetWriter.QuestionsFile), "{}\n");
        Assert.That(() => Dataset.Load(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("SHA-256"));
    }

    [Test]
    public void ASwappedImageIsDetected()
    {
        string dir = DataFixture.Scratch("swapped-image");
        DatasetWriter.Write(new DatasetOptions(Split.Test, 10), dir);
        var scenes = Dataset.Load(dir).Scenes;
        string a = Path.Combine(dir, scenes[0].Image), b = Path.Combine(dir, scenes[1].Image);
        byte[] first = File.ReadAllBytes(a);
        File.Copy(b, a, overwrite: true);
        Assert.That(() => Dataset.Load(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("an image in").And.Message.Contains("differs"));
        File.WriteAllBytes(a, first);
        Assert.That(Dataset.Load(dir).Scenes, Has.Count.EqualTo(10), "restored: loads again");
        File.Delete(b);
        Assert.That(() => Dataset.Load(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(scenes[1].Image).And.Message.Contains("is missing"));
    }
}
