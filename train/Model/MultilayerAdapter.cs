using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// The authors' multilayer feature: each tapped layer through the encoder's final LN, then
/// concatenated on channels (their `torch.cat([ml[:,11], ml[:,15], ml[:,19], ml[:,23]], dim=-1)`).
/// </summary>
public sealed class MultilayerAdapter : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    // A delegate, not the LayerNorm itself: a Module field would be registered here too and the
    // encoder's LN weights would appear twice in named_parameters() and in checkpoints.
    private readonly Func<Tensor, Tensor> ln_post;
    private readonly int[] taps;

    public MultilayerAdapter(VisionConfig config, VisionEncoder encoder) : base(nameof(MultilayerAdapter))
    {
        ln_post = encoder.PostNorm.call;
        taps = config.TapLayers.ToArray();
        RegisterComponents();
    }

    /// <param name="layers">The encoder's D block outputs, each (B, N, Dv).</param>
    /// <returns>(B, N, 4·Dv)</returns>
    public override Tensor forward(IReadOnlyList<Tensor> layers)
    {
        if (layers.Count < taps.Max())
            throw new ArgumentException($"The adapter taps layer {taps.Max()} but got {layers.Count} layer outputs.", nameof(layers));
        return cat(taps.Select(i => ln_post(layers[i - 1])).ToArray(), dim: -1);
    }
}
