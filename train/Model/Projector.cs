using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>LLaVA's `mlp2x_gelu` projector from vision features to the LM's width.</summary>
public sealed class Projector : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear_1;
    private readonly GELU act;
    private readonly Linear linear_2;

    public Projector(ModelConfig config) : base(nameof(Projector))
    {
        linear_1 = nn.Linear(config.ProjectorInFeatures, config.Language.Width);
        act = nn.GELU();
        linear_2 = nn.Linear(config.Language.Width, config.Language.Width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) => linear_2.call(act.call(linear_1.call(features)));  // (B, N, Dl)
}
