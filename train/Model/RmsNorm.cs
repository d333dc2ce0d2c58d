using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>RMSNorm over the last dimension with a learnable gain (LLaMA; the authors' norm adapter).</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long dim, double eps = 1e-6) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(dim));
        this.eps = eps;
        RegisterComponents();
    }

    /// <summary>Added to the mean square before the root: what the exported graphs must use too.</summary>
    public double Eps => eps;

    public override Tensor forward(Tensor x) => x * rsqrt(x.Square().mean([-1], keepdim: true).Plus(eps)) * weight;
}
