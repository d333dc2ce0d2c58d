using Pipeline.Data;
using Pipeline.Train.Text;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>What every stage of one run shares: the preset, the data, the device, where to write.</summary>
public sealed class RunContext : IDisposable
{
    public RunContext(Preset preset, string runDir, Device device, ITrainingObserver observer)
    {
        Preset = preset;
        RunDir = Path.GetFullPath(runDir);
        Device = device;
        Observer = observer;
        Train = LoadSplit("train");
        Val = LoadSplit("val");
        Test = LoadSplit("test");
        if (Train.Manifest.ImageSize != preset.Vision.ImageSize)
            throw new InvalidDataException($"{Train.Directory} has {Train.Manifest.ImageSize}px images but preset '{preset.Name}' expects {preset.Vision.ImageSize}px; regenerate it with 'pipeline run --preset {preset.Name}'");
        Vocab = new WordVocab(Train.Vocab);
        Prompts = new Prompts(Vocab);
    }

    public Preset Preset { get; }
    public string RunDir { get; }
    public Device Device { get; }
    public ITrainingObserver Observer { get; }
    public Dataset Train { get; }
    public Dataset Val { get; }
    public Dataset Test { get; }
    public WordVocab Vocab { get; }
    public Prompts Prompts { get; }

    PixelStore? _trainPixels, _valPixels, _testPixels;
    public PixelStore TrainPixels => _trainPixels ??= PixelStore.Load(Train);
    public PixelStore ValPixels => _valPixels ??= PixelStore.Load(Val);
    public PixelStore TestPixels => _testPixels ??= PixelStore.Load(Test);

    public RunLayout Layout => new(RunDir);
    public static string DataDir(string runDir, string split) => RunLayout.At(runDir).Data(split);
    public string StageDir(params string[] parts) => Layout.Stage(parts);

    Dataset LoadSplit(string split)
    {
        string dir = DataDir(RunDir, split);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"missing data folder {dir}; generate it first with 'pipeline run' or 'pipeline data --split {split} --out {dir}'");
        return Dataset.Load(dir);
    }

    public void Dispose()
    {
        _trainPixels?.Dispose();
        _valPixels?.Dispose();
        _testPixels?.Dispose();
    }
}
