using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// The authors' NormalizedProjector post-step: RMSNorm, clip each token's L2 norm to MaxNorm, scale
/// by TargetMean, so vision tokens get text-like norms (TargetMean × min(‖RMSNorm(x)‖, MaxNorm)).
/// </summary>
public sealed class NormAdapter : nn.Module<Tensor, Tensor>
{
    private readonly RmsNorm norm;
    // Buffers, not plain doubles: the constants are measured per run and must travel in checkpoints.
    private readonly Tensor target_mean;
    private readonly Tensor max_norm;

    public NormAdapter(ModelConfig config) : base(nameof(NormAdapter))
    {
        var constants = config.Norm ?? throw new ArgumentException("The norm adapter needs norm constants (ModelConfig.Norm).", nameof(config));
        norm = new RmsNorm(config.Language.Width);
        target_mean = tensor((float)constants.TargetMean);
        max_norm = tensor((float)constants.MaxNorm);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var r = norm.call(x);                                    // (B, N, D)
        var length = r.norm(-1, keepdim: true);                  // (B, N, 1)
        // max_norm / 0 = inf, clamped to 1: a zero token stays zero instead of NaN.
        var scale = (max_norm / length).ClampMax(1.0);
        return r * scale * target_mean;
    }
}
