using System.Text.Json;
using Pipeline.Data;
using Pipeline.Runtime;
using Pipeline.Train.Model;
using Pipeline.Train.Text;

namespace Pipeline.Train.Training;

/// <summary>
/// A variant's checkpoint folder, checked and loaded: the model with its weights, the config as
/// written, the vocabulary, and — when the folder sits in a run's layout
/// (RUN/stages/VARIANT/2-qa/checkpoint) — the variant's 2DS evaluation and the training data.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    Checkpoint(string dir, VisionLanguageModel model, JsonElement configJson, VocabFile vocab, byte[] vocabBytes, TrainingRecord training, EvalResult? evaluation)
    {
        Directory = dir;
        Model = model;
        ConfigJson = configJson;
        Vocab = vocab;
        VocabBytes = vocabBytes;
        Training = training;
        Evaluation = evaluation;
    }

    public string Directory { get; }
    public VisionLanguageModel Model { get; }
    public ModelConfig Config => Model.Config;
    public JsonElement ConfigJson { get; }
    public VocabFile Vocab { get; }
    public byte[] VocabBytes { get; }
    public TrainingRecord Training { get; }
    public EvalResult? Evaluation { get; }

    /// <summary>Loads a checkpoint; anything missing or inconsistent is an InvalidDataException (or DirectoryNotFoundException) with a fix.</summary>
    public static Checkpoint Load(string dir)
    {
        dir = Path.GetFullPath(dir);
        if (!System.IO.Directory.Exists(dir))
            throw new DirectoryNotFoundException($"checkpoint folder {dir} does not exist; pass a variant's RUN/stages/VARIANT/2-qa/checkpoint");
        var config = CheckpointFiles.ReadConfig(dir);
        string modelPath = Path.Combine(dir, StageRunner.ModelFile), vocabPath = Path.Combine(dir, CheckpointFiles.VocabFile);
        if (!File.Exists(modelPath)) throw new InvalidDataException($"{dir} has no {StageRunner.ModelFile}; it is not a finished checkpoint");
        if (!File.Exists(vocabPath)) throw new InvalidDataException($"{dir} has no {CheckpointFiles.VocabFile}; the checkpoint is incomplete, retrain with 'pipeline train'");
        var vocab = VocabFile.Read(vocabPath);
        RequireVocabFits(dir, config, vocab);

        var model = new VisionLanguageModel(config);
        try
        {
            LoadWeights(model, modelPath);
            CheckpointFiles.RequireNormConstants(modelPath, model);
            var configJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, CheckpointFiles.ConfigFile))).RootElement.Clone();
            var (training, evaluation) = ReadTraining(dir, modelPath);
            return new Checkpoint(dir, model, configJson, vocab, File.ReadAllBytes(vocabPath), training, evaluation);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static void RequireVocabFits(string dir, ModelConfig config, VocabFile vocab)
    {
        if (vocab.Tokens.Count != config.Language.VocabSize)
            throw new InvalidDataException($"{dir}: vocab.json has {vocab.Tokens.Count} tokens but config.json says {config.Language.VocabSize}; the checkpoint is inconsistent, retrain with 'pipeline train'");
        int image = vocab.Tokens.ToList().IndexOf(vocab.Image);
        if (image != config.ImageTokenId)
            throw new InvalidDataException($"{dir}: the image placeholder '{vocab.Image}' has id {image} in vocab.json but config.json says {config.ImageTokenId}");
    }

    static void LoadWeights(VisionLanguageModel model, string path)
    {
        try
        {
            model.load(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or NotImplementedException)
        {
            throw new InvalidDataException($"{path} does not hold the weights its config.json describes ({e.Message.Split('\n')[0].Trim()}); export a checkpoint written by 'pipeline train'");
        }
    }

    /// <summary>What the run layout around the checkpoint says about it; absent parts stay null.</summary>
    static (TrainingRecord Record, EvalResult? Evaluation) ReadTraining(string dir, string modelPath)
    {
        var run = RunLayout.OfCheckpoint(dir);
        string variantDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(dir))!)!;
        string name = run is not null ? Path.GetRelativePath(run.Root, dir).Replace('\\', '/') : Path.GetFileName(dir);

        var state = ReadJson(Path.Combine(dir, StageRunner.StateFile));
        string evalPath = Path.Combine(variantDir, VariantTraining.EvalFile);
        var evaluation = run is not null ? ReadJson(evalPath) : null;
        var evalResult = evaluation is { } e ? e.Deserialize<EvalResult>(Json.Compact) : null;
        var dataset = run is not null ? ReadDataset(Path.Combine(run.Data("train"), DatasetManifest.FileName)) : null;
        return (new TrainingRecord(name, Pipeline.Core.Sha256.OfFile(modelPath), evaluation, state, dataset), evalResult);
    }

    static JsonElement? ReadJson(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message})");
        }
    }

    static DatasetRecord? ReadDataset(string path)
    {
        if (!File.Exists(path)) return null;
        var m = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json.Compact)
            ?? throw new InvalidDataException($"{path} is empty");
        return new DatasetRecord(m.Generator, m.Split, m.Seed, m.Images, m.Questions, Pipeline.Core.Sha256.OfFile(path), m.ImagesSha256);
    }

    public void Dispose() => Model.Dispose();
}
