using Pipeline.Export;
using Pipeline.Train.Model;

namespace Pipeline.Tests.Export;

/// <summary>The same checkpoint exported twice gives the same bytes, every file.</summary>
[TestFixture]
public class DeterminismTests
{
    [TestCase(Variant.NormMultilayer, ExportOpsets.Default)]
    [TestCase(Variant.Norm, ExportOpsets.Standard)]
    public void TwoExportsAreByteIdentical(Variant variant, int opset)
    {
        string checkpoint = ExportFixture.Checkpoint(new ExportFixture.Key(variant));
        var a = ArtifactExporter.Export(new ExportOptions(checkpoint, ExportFixture.Scratch("det-a"), opset));
        var b = ArtifactExporter.Export(new ExportOptions(checkpoint, ExportFixture.Scratch("det-b"), opset));
        var files = Files(a.Directory);
        Assert.That(Files(b.Directory), Is.EqualTo(files));
        Assert.That(files, Does.Contain("vision.onnx").And.Contain("language_model.onnx").And.Contain("test_data/language_model/test_data_set_0/output_0.pb"));
        foreach (var file in files)
            Assert.That(File.ReadAllBytes(Path.Combine(b.Directory, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a.Directory, file))), file);
    }

    /// <summary>Every file under <paramref name="dir"/>, relative with forward slashes, in ordinal order.</summary>
    internal static string[] Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
}
