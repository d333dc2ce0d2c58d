using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>The ViT block's feed-forward: Linear → GELU → Linear.</summary>
public sealed class VisionMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly GELU gelu;
    private readonly Linear c_proj;

    public VisionMlp(VisionConfig config) : base(nameof(VisionMlp))
    {
        c_fc = nn.Linear(config.Width, config.MlpRatio * config.Width);
        gelu = nn.GELU();
        c_proj = nn.Linear(config.MlpRatio * config.Width, config.Width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => c_proj.call(gelu.call(c_fc.call(x)));  // (B, N, D)
}
