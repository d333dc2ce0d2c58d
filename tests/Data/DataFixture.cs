using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>Generates the canonical 2DS-test split and a small train split once for all data tests.</summary>
[SetUpFixture]
public sealed class DataFixture
{
    public static string Root { get; private set; } = "";
    public static Dataset Test { get; private set; } = null!;
    public static Dataset Train { get; private set; } = null!;
    public const int TrainImages = 300;

    [OneTimeSetUp]
    public void Generate()
    {
        Root = Path.Combine(Path.GetTempPath(), $"pipeline-tests-{Guid.NewGuid():N}");
        DatasetWriter.Write(new DatasetOptions(), Path.Combine(Root, "test"));
        DatasetWriter.Write(new DatasetOptions(Split.Train, TrainImages, null, 64, 2), Path.Combine(Root, "train"));
        Test = Dataset.Load(Path.Combine(Root, "test"));
        Train = Dataset.Load(Path.Combine(Root, "train"));
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    /// <summary>A fresh scratch folder under the fixture root.</summary>
    public static string Scratch(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");
}
