using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

/// <summary>A run folder with the tiny preset's data, made fresh for each test that asks.</summary>
public static class TinyRun
{
    static readonly Lazy<string> Data = new(() =>
    {
        string dir = TestScratch.Dir("tiny-data");
        foreach (var (folder, options) in Preset.Parse("tiny").DataSplits())
            DatasetWriter.Write(options, RunContext.DataDir(dir, folder));
        return dir;
    });

    /// <summary>A new run folder whose data/ is a copy of the shared tiny data.</summary>
    public static string NewRunDir()
    {
        string run = TestScratch.Dir("tiny-run");
        TestFiles.CopyDirectory(Path.Combine(Data.Value, "data"), Path.Combine(run, "data"));
        return run;
    }

    public static RunContext Context(string runDir, ITrainingObserver? observer = null) =>
        new(Preset.Parse("tiny"), runDir, TorchSharp.torch.CPU, observer ?? new SilentObserver());
}
