using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>LLaMA decoder layer: pre-RMSNorm attention and SwiGLU, each with a residual.</summary>
public sealed class DecoderBlock : nn.Module<Tensor, Tensor, Tensor?, bool, (Tensor Output, Tensor? Probs, Tensor Key, Tensor Value)>
{
    private readonly RmsNorm input_layernorm;
    private readonly CausalSelfAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly SwiGluMlp mlp;

    public DecoderBlock(LanguageConfig config) : base(nameof(DecoderBlock))
    {
        input_layernorm = new RmsNorm(config.Width);
        self_attn = new CausalSelfAttention(config);
        post_attention_layernorm = new RmsNorm(config.Width);
        mlp = new SwiGluMlp(config);
        RegisterComponents();
    }

    /// <returns>The block's output (B, T, D), its attention probabilities if asked, its keys and values (B, H, T, hd).</returns>
    public override (Tensor Output, Tensor? Probs, Tensor Key, Tensor Value) forward(Tensor x, Tensor positionIds, Tensor? attentionMask, bool outputProbs)
    {
        var (a, probs, key, value) = self_attn.call(input_layernorm.call(x), positionIds, attentionMask, outputProbs);
        x = x.Plus(a);                                      // (B, T, D)
        return (x.Plus(mlp.call(post_attention_layernorm.call(x))), probs, key, value);
    }
}
