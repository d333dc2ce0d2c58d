using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Pre-LN transformer block of the ViT.</summary>
public sealed class VisionBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly VisionAttention attn;
    private readonly LayerNorm ln_2;
    private readonly VisionMlp mlp;

    public VisionBlock(VisionConfig config) : base(nameof(VisionBlock))
    {
        ln_1 = nn.LayerNorm(config.Width);
        attn = new VisionAttention(config);
        ln_2 = nn.LayerNorm(config.Width);
        mlp = new VisionMlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x.Plus(attn.call(ln_1.call(x)));  // (B, N, D)
        return x.Plus(mlp.call(ln_2.call(x)));
    }
}
