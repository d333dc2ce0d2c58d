using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

/// <summary>A run folder with the tiny preset's data, made fresh for each test that asks.</summary>
public static class TinyRun
{
    static readonly Lazy<string> Data = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-tiny-data-{Guid.NewGuid():N}");
        foreach (var (folder, options) in Preset.Parse("tiny").DataSplits())
            DatasetWriter.Write(options, RunContext.DataDir(dir, folder));
        return dir;
    });

    /// <summary>A new run folder whose data/ is a copy of the shared tiny data.</summary>
    public static string NewRunDir()
    {
        string run = Path.Combine(Path.GetTempPath(), $"pipeline-tiny-run-{Guid.NewGuid():N}");
        TestFiles.CopyDirectory(Path.Combine(Data.Value, "data"), Path.Combine(run, "data"));
        return run;
    }

    public static RunContext Context(string runDir, ITrainingObserver? observer = null) =>
        new(Preset.Parse("tiny"), runDir, TorchSharp.torch.CPU, observer ?? new SilentObserver());
}
