/// <summary>Scratch folders under one temporary root for the whole test run, deleted at its end.</summary>
public static class TestScratch
{
    static readonly string Root = Path.Combine(Path.GetTempPath(), $"pipeline-tests-scratch-{Guid.NewGuid():N}");

    /// <summary>A fresh path (not created) under the run's root.</summary>
    public static string Dir(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    public static void Delete()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Outside any namespace, so it runs once around every test of the assembly.</summary>
[SetUpFixture]
public sealed class TestScratchCleanup
{
    [OneTimeTearDown]
    public void DeleteScratch()
    {
        TestScratch.Delete();
        Pipeline.Tests.Export.ExportFixture.DeleteAll();
    }
}
