using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// The frozen encoder's features, computed once per image: after stage 0a the encoder never
/// changes, so stages 1–2 read these instead of re-running the ViT every step. Kept as float16
/// (N, tokens, channels) on the CPU to halve memory; batches are widened back to float32.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    const int Chunk = 128;

    FeatureCache(Tensor features) => Features = features;

    public Tensor Features { get; }

    public static FeatureCache Build(VisionLanguageModel model, PixelStore pixels, Device device)
    {
        using var noGrad = no_grad();
        model.eval();
        var parts = new List<Tensor>();
        for (long start = 0; start < pixels.Count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var idx = Enumerable.Range((int)start, (int)Math.Min(Chunk, pixels.Count - start)).Select(i => (long)i).ToArray();
            var features = model.EncodeImage(pixels.Batch(idx).to(device));  // (b, N, C)
            parts.Add(features.to(ScalarType.Float16).cpu().MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0).DetachFromDisposeScope();
        foreach (var p in parts) p.Dispose();
        return new FeatureCache(all);
    }

    /// <summary>(B, N, C) float32 on the device.</summary>
    public Tensor Batch(long[] indices, Device device)
    {
        using var index = tensor(indices);
        return Features.index_select(0, index).to(ScalarType.Float32).to(device);
    }

    public void Dispose() => Features.Dispose();
}
