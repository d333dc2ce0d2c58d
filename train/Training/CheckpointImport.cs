using System.Collections;
using Pipeline.Train.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>Where the weights come from and where the checkpoint goes.</summary>
/// <param name="Weights">A PyTorch state dict (torch.save, .pt/.pth/.bin) or a .safetensors file.</param>
/// <param name="Config">The model's config.json, in the pipeline's ModelConfig schema.</param>
/// <param name="Vocab">The tokenizer's vocab.json.</param>
public sealed record ImportOptions(string Weights, string Config, string Vocab, string Out, bool Force = false);

/// <summary>What was imported: the checkpoint folder and how many tensors it took from the file.</summary>
public sealed record ImportResult(string Directory, ModelConfig Config, int Tensors, string Sha256);

/// <summary>
/// A model trained elsewhere (PyTorch, with this architecture's Hugging Face-style parameter names)
/// becomes a checkpoint of this pipeline: every tensor of the model must be in the file with its
/// shape and no other tensor may be, so a renamed or reshaped layer is an error, never a silently
/// random weight. The folder is what `pipeline export` reads.
/// </summary>
public static class CheckpointImport
{
    public static ImportResult Import(ImportOptions options)
    {
        string weights = RequireFile(options.Weights, "--weights");
        var config = CheckpointFiles.ReadConfigFile(RequireFile(options.Config, "--config"));
        var vocab = VocabFile.Read(RequireFile(options.Vocab, "--vocab"));
        if (vocab.Tokens.Count != config.Language.VocabSize)
            throw new InvalidDataException($"{options.Vocab} has {vocab.Tokens.Count} tokens but {options.Config} says vocab_size {config.Language.VocabSize}; pass the vocabulary the model was trained with");
        string outDir = Path.GetFullPath(options.Out);
        AtomicDirectory.EnsureWritable(outDir, options.Force);

        using var model = new VisionLanguageModel(config);
        using var scope = NewDisposeScope();
        var tensors = ReadStateDict(weights);
        var state = Conform(weights, tensors, model.state_dict());
        var (_, unexpected) = model.load_state_dict(state, strict: true);
        if (unexpected.Count > 0) throw new InvalidDataException($"{weights} holds tensors the model does not have: {string.Join(", ", unexpected)}");
        CheckpointFiles.RequireNormConstants(weights, model);

        AtomicDirectory.Write(outDir, options.Force, tmp =>
        {
            CheckpointFiles.Write(tmp, config, vocab);
            model.save(Path.Combine(tmp, StageRunner.ModelFile));
        });
        return new ImportResult(outDir, config, state.Count, Sha256.OfFile(weights));
    }

    static string RequireFile(string path, string option) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{option} {path} does not exist");

    /// <summary>The file's tensors by name; a format it cannot read is one line naming the file.</summary>
    static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return Safetensors.LoadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            return table.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
        }
        catch (Exception e) when (e is NotImplementedException or InvalidDataException or InvalidCastException or IOException
                                       or InvalidOperationException or System.Text.Json.JsonException or Razorvine.Pickle.PickleException)
        {
            throw new InvalidDataException($"{path} is not a PyTorch state dict (torch.save(model.state_dict())) or a safetensors file: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// The file's tensors in the model's names, shapes and dtype: missing or extra names and shape
    /// mismatches are refused together in one line; other float types are converted to float32.
    /// </summary>
    static Dictionary<string, Tensor> Conform(string path, Dictionary<string, Tensor> file, IDictionary<string, Tensor> model)
    {
        var missing = model.Keys.Where(k => !file.ContainsKey(k)).ToArray();
        var extra = file.Keys.Where(k => !model.ContainsKey(k)).ToArray();
        var reshaped = model.Where(p => file.TryGetValue(p.Key, out var t) && !SameShape(t, p.Value))
            .Select(p => $"{p.Key} is ({string.Join(", ", file[p.Key].shape)}) where the config needs ({string.Join(", ", p.Value.shape)})").ToArray();
        var problems = new List<string>();
        if (missing.Length > 0) problems.Add($"missing {Few(missing)}");
        if (extra.Length > 0) problems.Add($"not in this architecture {Few(extra)}");
        if (reshaped.Length > 0) problems.Add(Few(reshaped));
        if (problems.Count > 0)
            throw new InvalidDataException($"{path} does not fit the config: {string.Join("; ", problems)}; export the state dict of this architecture (tools/pytorch_reference/vlm.py names every tensor)");
        // A 0-d tensor comes back from a pickle as shape (1): same element, the model's shape.
        return model.ToDictionary(p => p.Key, p => file[p.Key].to(p.Value.dtype).reshape(p.Value.shape));
    }

    static bool SameShape(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) || (a.numel() == 1 && b.numel() == 1);

    static string Few(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(4)) + (items.Count > 4 ? $" and {items.Count - 4} more" : "");
}
