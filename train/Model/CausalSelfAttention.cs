using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>LLaMA attention: bias-free projections, RoPE on q and k, causal plus key-padding mask.</summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor, Tensor?, bool, (Tensor Output, Tensor? Probs, Tensor Key, Tensor Value)>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly Rope rotary_emb;
    private readonly int n_head;

    public CausalSelfAttention(LanguageConfig config) : base(nameof(CausalSelfAttention))
    {
        n_head = config.Heads;
        q_proj = nn.Linear(config.Width, config.Width, hasBias: false);
        k_proj = nn.Linear(config.Width, config.Width, hasBias: false);
        v_proj = nn.Linear(config.Width, config.Width, hasBias: false);
        o_proj = nn.Linear(config.Width, config.Width, hasBias: false);
        rotary_emb = new Rope(config);
        RegisterComponents();
    }

    /// <param name="x">(B, T, D)</param>
    /// <param name="positionIds">(B, T) int64</param>
    /// <param name="attentionMask">(B, T), 1 = real token, 0 = padding; or (B, 1, T, T), 1 where query i may see key j
    /// (packed sequences: the caller's mask replaces the causal one); null = all real.</param>
    /// <param name="outputProbs">Also return the attention probabilities (B, H, T, T).</param>
    /// <returns>The output (B, T, D), the probabilities if asked, and the keys (after RoPE) and values (B, H, T, hd) a KV cache holds.</returns>
    public override (Tensor Output, Tensor? Probs, Tensor Key, Tensor Value) forward(Tensor x, Tensor positionIds, Tensor? attentionMask, bool outputProbs)
    {
        var (b, t, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var hd = d / n_head;
        var q = q_proj.call(x).view(b, t, n_head, hd).transpose(1, 2);  // (B, H, T, hd)
        var k = k_proj.call(x).view(b, t, n_head, hd).transpose(1, 2);
        var v = v_proj.call(x).view(b, t, n_head, hd).transpose(1, 2);
        q = rotary_emb.call(q, positionIds);
        k = rotary_emb.call(k, positionIds);

        var mask = AdditiveMask(t, attentionMask, x.dtype, x.device);   // (B or 1, 1, T, T)
        Tensor y;
        Tensor? probs = null;
        if (outputProbs)
        {
            var scores = q.matmul(k.transpose(-2, -1)).DividedBy(Math.Sqrt(hd)).Plus(mask);  // (B, H, T, T)
            probs = scores.softmax(-1);
            y = probs.matmul(v);
        }
        else
        {
            y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        }
        y = y.transpose(1, 2).contiguous().view(b, t, d);                // (B, T, D)
        return (o_proj.call(y), probs, k, v);
    }

    /// <summary>
    /// 0 where query i may see key j (j ≤ i and j real), the dtype's minimum elsewhere: a finite
    /// minimum rather than -inf keeps a row with no visible key uniform instead of NaN.
    /// </summary>
    static Tensor AdditiveMask(long t, Tensor? attentionMask, ScalarType dtype, Device device)
    {
        if (attentionMask is not null && attentionMask.dim() == 4)
            return zeros(attentionMask.shape, dtype: dtype, device: device).MaskedFill(attentionMask.Eq(0), finfo(dtype).min);
        var allowed = ones(t, t, dtype: @bool, device: device).tril().view(1, 1, t, t);
        if (attentionMask is not null)
            allowed = allowed.logical_and(attentionMask.Ne(0).view(attentionMask.shape[0], 1, 1, t));
        return zeros(allowed.shape, dtype: dtype, device: device).MaskedFill(allowed.logical_not(), finfo(dtype).min);
    }
}
