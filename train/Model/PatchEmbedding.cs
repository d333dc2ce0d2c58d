using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// Non-overlapping patches to tokens: a stride-P convolution, as in ViT; with a convolutional
/// stem, two stride-2 3×3 convolutions first and a stride-P/4 projection after them.
/// </summary>
public sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d? conv_1;
    private readonly Conv2d? conv_2;
    private readonly Conv2d proj;

    public PatchEmbedding(VisionConfig config) : base(nameof(PatchEmbedding))
    {
        if (config.ConvStem)
        {
            conv_1 = nn.Conv2d(config.Channels, config.Width / 4, kernel_size: 3, stride: 2, padding: 1);
            conv_2 = nn.Conv2d(config.Width / 4, config.Width / 2, kernel_size: 3, stride: 2, padding: 1);
            proj = nn.Conv2d(config.Width / 2, config.Width, kernel_size: config.PatchSize / 4, stride: config.PatchSize / 4);
        }
        else
        {
            proj = nn.Conv2d(config.Channels, config.Width, kernel_size: config.PatchSize, stride: config.PatchSize);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        var x = pixels;                                          // (B, C, H, W)
        if (conv_1 is not null && conv_2 is not null)
        {
            x = nn.functional.gelu(conv_1.call(x));              // (B, D/4, H/2, W/2)
            x = nn.functional.gelu(conv_2.call(x));              // (B, D/2, H/4, W/4)
        }
        x = proj.call(x);                                        // (B, D, g, g)
        return x.flatten(2).transpose(1, 2);                     // (B, g·g, D), row-major over the grid
    }
}
