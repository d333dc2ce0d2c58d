using Pipeline.Data;
using Pipeline.Tests.Export;

namespace Pipeline.Tests.Runtime;

/// <summary>A tiny 2DS test split (5 images, 30 questions, 32 px), generated once for the runtime tests.</summary>
internal static class TinySplits
{
    static readonly Lazy<Dataset> LazyTest = new(() =>
    {
        string dir = ExportFixture.Scratch("2ds-test-tiny");
        DatasetWriter.Write(new DatasetOptions(Split.Test, 5, null, ScenePlacer.MinImageSize), dir);
        return Dataset.Load(dir);
    });

    public static Dataset Test => LazyTest.Value;
}
