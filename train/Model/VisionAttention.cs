using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>Bidirectional multi-head self-attention over the patch tokens.</summary>
public sealed class VisionAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly int n_head;

    public VisionAttention(VisionConfig config) : base(nameof(VisionAttention))
    {
        n_head = config.Heads;
        c_attn = nn.Linear(config.Width, 3 * config.Width);
        c_proj = nn.Linear(config.Width, config.Width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (b, n, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = c_attn.call(x).split(d, dim: 2);                      // 3 × (B, N, D)
        var q = qkv[0].view(b, n, n_head, d / n_head).transpose(1, 2);  // (B, H, N, hd)
        var k = qkv[1].view(b, n, n_head, d / n_head).transpose(1, 2);
        var v = qkv[2].view(b, n, n_head, d / n_head).transpose(1, 2);
        var y = nn.functional.scaled_dot_product_attention(q, k, v);     // (B, H, N, hd)
        y = y.transpose(1, 2).contiguous().view(b, n, d);               // (B, N, D)
        return c_proj.call(y);
    }
}
