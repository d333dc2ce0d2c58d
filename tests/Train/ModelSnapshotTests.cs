using Pipeline.Train.Model;

namespace Pipeline.Tests.Train;

/// <summary>Every parameter of the tiny model (vocab 40, widths 32, depths 2, 16×16 images of 4×4 patches).</summary>
[TestFixture]
public class ModelSnapshotTests
{
    static readonly string[] VisionTower =
    [
        "vision_tower.pos_embed (1, 16, 32)",
        "vision_tower.patch_embed.proj.weight (32, 3, 4, 4)",
        "vision_tower.patch_embed.proj.bias (32)",
        "vision_tower.blocks.0.ln_1.weight (32)",
        "vision_tower.blocks.0.ln_1.bias (32)",
        "vision_tower.blocks.0.attn.c_attn.weight (96, 32)",
        "vision_tower.blocks.0.attn.c_attn.bias (96)",
        "vision_tower.blocks.0.attn.c_proj.weight (32, 32)",
        "vision_tower.blocks.0.attn.c_proj.bias (32)",
        "vision_tower.blocks.0.ln_2.weight (32)",
        "vision_tower.blocks.0.ln_2.bias (32)",
        "vision_tower.blocks.0.mlp.c_fc.weight (128, 32)",
        "vision_tower.blocks.0.mlp.c_fc.bias (128)",
        "vision_tower.blocks.0.mlp.c_proj.weight (32, 128)",
        "vision_tower.blocks.0.mlp.c_proj.bias (32)",
        "vision_tower.blocks.1.ln_1.weight (32)",
        "vision_tower.blocks.1.ln_1.bias (32)",
        "vision_tower.blocks.1.attn.c_attn.weight (96, 32)",
        "vision_tower.blocks.1.attn.c_attn.bias (96)",
        "vision_tower.blocks.1.attn.c_proj.weight (32, 32)",
        "vision_tower.blocks.1.attn.c_proj.bias (32)",
        "vision_tower.blocks.1.ln_2.weight (32)",
        "vision_tower.blocks.1.ln_2.bias (32)",
        "vision_tower.blocks.1.mlp.c_fc.weight (128, 32)",
        "vision_tower.blocks.1.mlp.c_fc.bias (128)",
        "vision_tower.blocks.1.mlp.c_proj.weight (32, 128)",
        "vision_tower.blocks.1.mlp.c_proj.bias (32)",
        "vision_tower.ln_post.weight (32)",
        "vision_tower.ln_post.bias (32)",
    ];

    static readonly string[] BaselineConnector =
    [
        "multi_modal_projector.linear_1.weight (32, 32)",
        "multi_modal_projector.linear_1.bias (32)",
        "multi_modal_projector.linear_2.weight (32, 32)",
        "multi_modal_projector.linear_2.bias (32)",
    ];

    static readonly string[] NormConnector =
    [
        "multi_modal_projector.linear_1.weight (32, 32)",
        "multi_modal_projector.linear_1.bias (32)",
        "multi_modal_projector.linear_2.weight (32, 32)",
        "multi_modal_projector.linear_2.bias (32)",
        "norm_adapter.norm.weight (32)",
    ];

    // The four taps are concatenated: the projector reads 4 × 32 = 128 channels.
    static readonly string[] NormMultilayerConnector =
    [
        "multi_modal_projector.linear_1.weight (32, 128)",
        "multi_modal_projector.linear_1.bias (32)",
        "multi_modal_projector.linear_2.weight (32, 32)",
        "multi_modal_projector.linear_2.bias (32)",
        "norm_adapter.norm.weight (32)",
    ];

    static readonly string[] LanguageModel =
    [
        "language_model.embed_tokens.weight (40, 32)",
        "language_model.layers.0.input_layernorm.weight (32)",
        "language_model.layers.0.self_attn.q_proj.weight (32, 32)",
        "language_model.layers.0.self_attn.k_proj.weight (32, 32)",
        "language_model.layers.0.self_attn.v_proj.weight (32, 32)",
        "language_model.layers.0.self_attn.o_proj.weight (32, 32)",
        "language_model.layers.0.post_attention_layernorm.weight (32)",
        "language_model.layers.0.mlp.w1.weight (64, 32)",
        "language_model.layers.0.mlp.w2.weight (32, 64)",
        "language_model.layers.0.mlp.w3.weight (64, 32)",
        "language_model.layers.1.input_layernorm.weight (32)",
        "language_model.layers.1.self_attn.q_proj.weight (32, 32)",
        "language_model.layers.1.self_attn.k_proj.weight (32, 32)",
        "language_model.layers.1.self_attn.v_proj.weight (32, 32)",
        "language_model.layers.1.self_attn.o_proj.weight (32, 32)",
        "language_model.layers.1.post_attention_layernorm.weight (32)",
        "language_model.layers.1.mlp.w1.weight (64, 32)",
        "language_model.layers.1.mlp.w2.weight (32, 64)",
        "language_model.layers.1.mlp.w3.weight (64, 32)",
        "language_model.norm.weight (32)",
        "language_model.lm_head.weight (40, 32)",
    ];

    static string[] Expected(Variant variant) => variant switch
    {
        Variant.Baseline => [.. VisionTower, .. BaselineConnector, .. LanguageModel],
        Variant.Norm => [.. VisionTower, .. NormConnector, .. LanguageModel],
        _ => [.. VisionTower, .. NormMultilayerConnector, .. LanguageModel],
    };

    [TestCase(Variant.Baseline)]
    [TestCase(Variant.Norm)]
    [TestCase(Variant.NormMultilayer)]
    public void ParameterNamesAndShapes(Variant variant)
    {
        using var model = TrainTestUtil.TinyModel(variant);
        Assert.That(ModelSummary.Format(model).Split('\n'), Is.EqualTo(Expected(variant)));
    }

    [TestCase(Variant.Baseline)]
    [TestCase(Variant.NormMultilayer)]
    public void PoolingAddsNoParameters(Variant variant)
    {
        using var model = TrainTestUtil.TinyModel(variant, poolTokens: 2);
        Assert.That(ModelSummary.Format(model).Split('\n'), Is.EqualTo(Expected(variant)));
    }

    [Test]
    public void NormConstantsAreCheckpointedBuffersNotParameters()
    {
        using var model = TrainTestUtil.TinyModel(Variant.Norm);
        var buffers = ModelSummary.Buffers(model).Select(b => b.Name);
        Assert.That(buffers, Is.EqualTo(new[] { "norm_adapter.target_mean", "norm_adapter.max_norm" }));
        var state = model.state_dict();
        Assert.That(state["norm_adapter.target_mean"].item<float>(), Is.EqualTo(0.83f));
        Assert.That(state["norm_adapter.max_norm"].item<float>(), Is.EqualTo(1.22f));
        Assert.That(state.Keys.Where(k => k.Contains("rotary")), Is.Empty);
    }

    [Test]
    public void ConnectorParametersAreProjectorAndNormAdapter()
    {
        using var model = TrainTestUtil.TinyModel(Variant.NormMultilayer);
        var connector = model.ConnectorParameters().ToHashSet<object>(ReferenceEqualityComparer.Instance);
        var names = model.named_parameters().Where(p => connector.Contains(p.parameter)).Select(p => p.name);
        Assert.That(names, Is.EqualTo(NormMultilayerConnector.Select(s => s.Split(' ')[0])));
    }
}
