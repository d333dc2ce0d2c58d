using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// Reads weights saved by <c>Module.save</c> into a module's own tensors. TorchSharp's
/// <c>Module.load</c> moves a module that lives on a GPU to the CPU and back, which replaces every
/// parameter: an optimizer built before the load then holds disposed tensors ("Tensor invalid --
/// empty handle" when a CUDA stage resumes). Copying in place keeps the parameters the optimizer has.
/// </summary>
public static class ModuleWeights
{
    public static void LoadInPlace(nn.Module module, string path)
    {
        var tensors = module.state_dict();
        using var reader = new BinaryReader(File.OpenRead(path));
        // Module.save writes the entry count LEB128-encoded, which is BinaryWriter's 7-bit encoding.
        long count = reader.Read7BitEncodedInt64();
        if (count != tensors.Count)
            throw new InvalidDataException($"{path} holds {count} tensors where this model has {tensors.Count}: it was saved from another model; train into another --run folder");
        for (long i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            if (!tensors.TryGetValue(key, out var tensor))
                throw new InvalidDataException($"{path} holds '{key}', which this model does not have: it was saved from another model; train into another --run folder");
            try { tensor.Load(reader); }
            catch (ArgumentException e) { throw new InvalidDataException($"{path}, '{key}': {e.Message}"); }
        }
    }
}
