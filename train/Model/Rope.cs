using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>
/// Rotary position embedding, HF LLaMA's half-split convention: channel i pairs with i + d/2 and the
/// pair turns by angle p·θ^(-2i/d) at position p (x·cos + rotate_half(x)·sin).
/// </summary>
public sealed class Rope : nn.Module<Tensor, Tensor, Tensor>
{
    // Not a buffer: derived from the config, so it stays out of checkpoints, and TorchSharp 0.107's
    // Module.to() skips non-persistent buffers; a tensor is made on the input's device per call.
    private readonly float[] inv_freq;

    public Rope(LanguageConfig config) : base(nameof(Rope))
    {
        var d = config.HeadDim;
        inv_freq = Enumerable.Range(0, d / 2).Select(i => (float)Math.Pow(config.RopeTheta, -2.0 * i / d)).ToArray();  // (d/2)
        RegisterComponents();
    }

    /// <param name="x">(B, H, T, d)</param>
    /// <param name="positionIds">(B, T) int64</param>
    public override Tensor forward(Tensor x, Tensor positionIds)
    {
        var freqs = positionIds.to(float32).unsqueeze(-1) * tensor(inv_freq, device: x.device);  // (B, T, d/2)
        var emb = cat([freqs, freqs], dim: -1).unsqueeze(1).to(x.dtype);  // (B, 1, T, d)
        return (x * emb.cos()).Plus(RotateHalf(x) * emb.sin());
    }

    static Tensor RotateHalf(Tensor x)
    {
        var halves = x.chunk(2, dim: -1);
        return cat([-halves[1], halves[0]], dim: -1);
    }
}
