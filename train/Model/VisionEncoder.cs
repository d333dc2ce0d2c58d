using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// ViT without class token or head. Returns every block's output so that callers choose the
/// baseline feature (layer D-1, no final LN) or the multilayer taps; `ln_post` is applied by them.
/// </summary>
public sealed class VisionEncoder : nn.Module<Tensor, IReadOnlyList<Tensor>>
{
    private readonly PatchEmbedding patch_embed;
    private readonly Parameter pos_embed;
    private readonly ModuleList<VisionBlock> blocks;
    private readonly LayerNorm ln_post;

    public VisionEncoder(VisionConfig config) : base(nameof(VisionEncoder))
    {
        patch_embed = new PatchEmbedding(config);
        pos_embed = nn.Parameter(zeros(1, config.NumPatches, config.Width));
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => new VisionBlock(config)).ToArray());
        ln_post = nn.LayerNorm(config.Width);
        RegisterComponents();
        Init.ApplyGpt(this);
        nn.init.normal_(pos_embed, std: 0.02);
    }

    /// <summary>The final LayerNorm, shared with (not copied into) the multilayer adapter.</summary>
    public LayerNorm PostNorm => ln_post;

    /// <param name="pixels">(B, C, H, W), already normalised by the caller.</param>
    /// <returns>D tensors (B, N, D): entry i is the output of block i + 1.</returns>
    public override IReadOnlyList<Tensor> forward(Tensor pixels)
    {
        var x = patch_embed.call(pixels).Plus(pos_embed);  // (B, N, D)
        var layers = new List<Tensor>(blocks.Count);
        foreach (var block in blocks)
        {
            x = block.call(x);
            layers.Add(x);
        }
        return layers;
    }
}
