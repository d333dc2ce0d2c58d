using Pipeline.Train.Model;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using Pipeline.Tests.Export;
using Pipeline.Train.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Tests.Runtime;

/// <summary>PNG → pixels as the training code computes them.</summary>
[TestFixture]
public class ImagePreprocessorTests
{
    [Test]
    public void PixelsEqualTheTrainingPixelStoreBitForBit()
    {
        var dataset = TinySplits.Test;
        var manifest = ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline);
        // The artifact's constants at the split's image size (the tiny artifacts are 16 px, the smallest split 32).
        var preprocessor = new ImagePreprocessor(manifest.Preprocessing with { ImageSize = dataset.Manifest.ImageSize });
        var paths = dataset.Scenes.Select(s => dataset.ImagePath(s.Image)).ToArray();
        var ours = preprocessor.Load(paths);

        using var store = PixelStore.Load(dataset, threads: 1);
        using var batch = store.Batch(Enumerable.Range(0, paths.Length).Select(i => (long)i).ToArray());
        var theirs = HostTensors.ToHost(batch);
        Assert.That(ours.Shape, Is.EqualTo(theirs.Shape));
        Assert.That(ours.Floats, Is.EqualTo(theirs.Floats));
        Assert.That(ours.Floats, Has.All.InRange(-1f, 1f));
        Assert.That(ours.Floats.Max(), Is.EqualTo(1f), "the white background");
    }

    [Test]
    public void AnImageOfAnotherSizeNamesTheFileAndTheSize()
    {
        var preprocessor = new ImagePreprocessor(ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline).Preprocessing);
        string path = TinySplits.Test.ImagePath(TinySplits.Test.Scenes[0].Image);
        var error = Assert.Throws<InvalidDataException>(() => preprocessor.Load([path]))!;
        Assert.That(error.Message, Is.EqualTo($"{path} is 32×32 but the model takes {ExportFixture.ImageSize}×{ExportFixture.ImageSize} images; resize it to {ExportFixture.ImageSize}×{ExportFixture.ImageSize}"));
    }

    [Test]
    public void ChannelsArePlanesInRgbOrder()
    {
        string path = RuntimeArtifacts.Scratch("one-pixel") + ".png";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var image = new Image<Rgb24>(2, 2, new Rgb24(255, 0, 0)))
        {
            image[1, 0] = new Rgb24(0, 255, 51);
            image.SaveAsPng(path);
        }
        var manifest = ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline);
        var pixels = new ImagePreprocessor(manifest.Preprocessing with { ImageSize = 2 }).Load([path]);
        Assert.That(pixels.Shape, Is.EqualTo(new long[] { 1, 3, 2, 2 }));
        Assert.That(pixels.Floats, Is.EqualTo(new[] { 1f, -1f, 1f, 1f, -1f, 1f, -1f, -1f, -1f, 51 / 255f * 2 - 1, -1f, -1f }).Within(1e-6));
    }

    [Test]
    public void NotAnImageOrMissingIsAClearError()
    {
        var preprocessor = new ImagePreprocessor(ArtifactFiles.ReadManifest(RuntimeArtifacts.Baseline).Preprocessing);
        string path = RuntimeArtifacts.Scratch("not-a-png") + ".png";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "hello");
        Assert.That(() => preprocessor.Load([path]), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not an image"));
        Assert.That(() => preprocessor.Load([path + ".nope"]), Throws.InstanceOf<FileNotFoundException>());
        Assert.That(() => preprocessor.Load([]), Throws.ArgumentException);
    }
}
