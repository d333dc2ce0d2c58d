using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Non-overlapping patches to tokens: a stride-P convolution, as in ViT.</summary>
public sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbedding(VisionConfig config) : base(nameof(PatchEmbedding))
    {
        proj = nn.Conv2d(config.Channels, config.Width, kernel_size: config.PatchSize, stride: config.PatchSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        var x = proj.call(pixels);                // (B, D, g, g)
        return x.flatten(2).transpose(1, 2);      // (B, g·g, D), row-major over the grid
    }
}
