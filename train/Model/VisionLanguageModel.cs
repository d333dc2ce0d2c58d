using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Model;

/// <summary>The projected image before and after the norm adapter, and as spliced (after pooling).</summary>
public sealed record ImageProjection(Tensor ProjectorOutput, Tensor? AdapterOutput, Tensor Embeddings);

/// <summary>
/// Small LLaVA (LlavaForConditionalGeneration): vision tower → [multilayer adapter] → projector →
/// [norm adapter] → [pooling] → image tokens spliced into the LM's input at the placeholder.
/// Pixels come in as floats already normalised by the caller.
/// </summary>
public sealed class VisionLanguageModel : nn.Module<Tensor, Tensor, Tensor?, VlmOptions, VlmOutput>
{
    private readonly VisionEncoder vision_tower;
    private readonly MultilayerAdapter? multilayer_adapter;
    private readonly Projector multi_modal_projector;
    private readonly NormAdapter? norm_adapter;
    private readonly TokenPooling? pooling;
    private readonly LanguageModel language_model;

    public VisionLanguageModel(ModelConfig config) : base(nameof(VisionLanguageModel))
    {
        Config = config.Validate();
        vision_tower = new VisionEncoder(config.Vision);
        multilayer_adapter = config.Variant.UsesMultilayer() ? new MultilayerAdapter(config.Vision, vision_tower) : null;
        multi_modal_projector = new Projector(config);
        norm_adapter = config.Variant.UsesNormAdapter() ? new NormAdapter(config) : null;
        pooling = config.PoolTokens is null ? null : new TokenPooling(config);
        language_model = new LanguageModel(config.Language);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    public VisionEncoder VisionTower => vision_tower;

    public Projector Projector => multi_modal_projector;

    public NormAdapter? NormAdapter => norm_adapter;

    public LanguageModel LanguageModel => language_model;

    /// <summary>What stage 1 trains: the projector and the norm adapter (the multilayer adapter has no weights of its own).</summary>
    public IEnumerable<Parameter> ConnectorParameters() =>
        multi_modal_projector.parameters().Concat(norm_adapter?.parameters() ?? []);

    /// <param name="pixels">(B, C, H, W) float, normalised by the caller.</param>
    /// <returns>The variant's encoder feature: (B, N, Dv) penultimate layer, or (B, N, 4·Dv) multilayer concat.</returns>
    public Tensor EncodeImage(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var layers = vision_tower.call(pixels);
        var features = multilayer_adapter is null ? layers[Config.Vision.FeatureLayer - 1] : multilayer_adapter.call(layers);
        return features.MoveToOuterDisposeScope();
    }

    /// <summary>Encoder features (possibly cached) → image embeddings (B, M, Dl).</summary>
    public Tensor ProjectFeatures(Tensor features)
    {
        using var scope = NewDisposeScope();
        return ProjectWithIntermediates(features).Embeddings.MoveToOuterDisposeScope();
    }

    /// <summary>As ProjectFeatures, keeping the projector and norm-adapter outputs for the norm analysis.</summary>
    public ImageProjection ProjectWithIntermediates(Tensor features)
    {
        var projected = multi_modal_projector.call(features);        // (B, N, Dl)
        var adapted = norm_adapter?.call(projected);                 // (B, N, Dl)
        var embeddings = adapted ?? projected;
        if (pooling is not null) embeddings = pooling.call(embeddings);  // (B, k·k, Dl)
        return new ImageProjection(projected, adapted, embeddings);
    }

    /// <param name="imageEmbeddings">(B, M, Dl)</param>
    /// <param name="inputIds">(B, T) int64, exactly one Config.ImageTokenId per row, padding at the right.</param>
    /// <param name="attentionMask">(B, T), 1 = real, 0 = padding; null = all real.</param>
    public override VlmOutput forward(Tensor imageEmbeddings, Tensor inputIds, Tensor? attentionMask, VlmOptions options)
    {
        using var scope = NewDisposeScope();
        var (b, t, m) = (inputIds.shape[0], inputIds.shape[1], imageEmbeddings.shape[1]);
        var start = ImageSplice.ImageStart(inputIds, Config.ImageTokenId);  // (B)
        var source = ImageSplice.SourceIndex(start, t, m);                  // (B, L)
        var text = language_model.EmbedTokens(inputIds);                   // (B, T, Dl)
        var embeds = ImageSplice.Splice(text, imageEmbeddings, source);     // (B, L, Dl)
        var textMask = attentionMask?.Ne(0).to(int64) ?? ones(b, t, dtype: int64, device: inputIds.device);
        var mask = ImageSplice.Splice(textMask, ones(b, m, dtype: int64, device: inputIds.device), source);  // (B, L)
        var positions = HeldScalars.Arange(source.shape[1], int64, inputIds.device).expand(b, -1);  // (B, L)
        var lm = language_model.call(embeds, positions, mask, options.OutputAttentions);
        var output = new VlmOutput(lm.Logits, mask, positions, start, m)
        {
            TextEmbeddings = options.OutputIntermediates ? text : null,
            HiddenStates = options.OutputIntermediates ? lm.HiddenStates : null,
            Attentions = lm.Attentions,
            KeyValues = options.OutputIntermediates ? lm.KeyValues : null,
        };
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Several questions about one image in one row (training only): each question sees the shared
    /// prefix (bos, image) and itself, at the positions it would have alone, so its logits equal
    /// those of its own unpacked row while the image tokens are computed once per image.
    /// </summary>
    /// <param name="imageEmbeddings">(B, M, Dl)</param>
    /// <param name="inputIds">(B, T) int64, one placeholder per row.</param>
    /// <param name="segments">(B, T) int64: 0 shared prefix, k ≥ 1 the k-th question, -1 padding.</param>
    /// <param name="positions">(B, T) int64: each token's index in its question's own unpacked text row.</param>
    public VlmOutput ForwardPacked(Tensor imageEmbeddings, Tensor inputIds, Tensor segments, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var (b, t, m) = (inputIds.shape[0], inputIds.shape[1], imageEmbeddings.shape[1]);
        var start = ImageSplice.ImageStart(inputIds, Config.ImageTokenId);                    // (B)
        var source = ImageSplice.SourceIndex(start, t, m);                                    // (B, L)
        var embeds = ImageSplice.Splice(language_model.EmbedTokens(inputIds), imageEmbeddings, source);  // (B, L, Dl)
        var imagePositions = start.unsqueeze(1).Plus(HeldScalars.Arange(m, int64, inputIds.device));  // (B, M)
        var textPositions = where(positions.gt(start.unsqueeze(1)), positions.Plus(m - 1), positions);    // (B, T)
        var spliced = ImageSplice.Splice(textPositions, imagePositions, source);              // (B, L)
        var segment = ImageSplice.Splice(segments, zeros(b, m, dtype: int64, device: inputIds.device), source);  // (B, L)
        var lm = language_model.call(embeds, spliced, PackedMask(segment), false);
        return new VlmOutput(lm.Logits, segment.Ge(0).to(int64), spliced, start, m).MoveToOuterDisposeScope();
    }

    /// <summary>(B, 1, L, L): query i sees key j ≤ i when j is in the shared prefix or in i's own question.</summary>
    static Tensor PackedMask(Tensor segment)
    {
        var l = segment.shape[1];
        var causal = ones(l, l, dtype: @bool, device: segment.device).tril();           // (L, L)
        var (query, key) = (segment.unsqueeze(2), segment.unsqueeze(1));                 // (B, L, 1), (B, 1, L)
        var visible = key.Eq(0).logical_or(key.eq(query)).logical_and(key.Ge(0));        // (B, L, L)
        return visible.logical_and(causal).unsqueeze(1);
    }

    /// <summary>The whole model from pixels; with OutputIntermediates also the encoder and projector outputs.</summary>
    public VlmOutput ForwardPixels(Tensor pixels, Tensor inputIds, Tensor? attentionMask, VlmOptions options)
    {
        using var scope = NewDisposeScope();
        var features = EncodeImage(pixels);
        var image = ProjectWithIntermediates(features);
        var output = call(image.Embeddings, inputIds, attentionMask, options);
        if (options.OutputIntermediates)
            output = output with
            {
                EncoderFeatures = features,
                ProjectorOutput = image.ProjectorOutput,
                AdapterOutput = image.AdapterOutput,
                ImageEmbeddings = image.Embeddings,
            };
        return output.MoveToOuterDisposeScope();
    }
}
