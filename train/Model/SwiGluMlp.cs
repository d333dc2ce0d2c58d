using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>LLaMA feed-forward: w2(silu(w1 x) · w3 x), no biases.</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly Linear w3;

    public SwiGluMlp(LanguageConfig config) : base(nameof(SwiGluMlp))
    {
        w1 = nn.Linear(config.Width, config.MlpHidden, hasBias: false);
        w2 = nn.Linear(config.MlpHidden, config.Width, hasBias: false);
        w3 = nn.Linear(config.Width, config.MlpHidden, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => w2.call(nn.functional.silu(w1.call(x)) * w3.call(x));  // (B, T, D)
}
