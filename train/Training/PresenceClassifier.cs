using Pipeline.Data;
using Pipeline.Train.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// Stage 0a: the vision encoder learns *what* is in an image, never *where*, like CLIP. Two heads on
/// the final layer (through ln_post): the presence of each colour and each shape (12 bits),
/// max-pooled over patches; and, per patch, the shape and colour of the object the patch belongs
/// to (or background). Presence alone let one token per image carry a shape (max pooling), so an
/// object's tokens did not say which shape it was; the patch head asks every token. On the
/// penultimate layer (the baseline feature itself) the same head left the features too little of
/// where each token is.
/// </summary>
public sealed class PresenceClassifier : nn.Module<Tensor, Tensor>
{
    public static readonly int Labels = Vocabulary.Colors.Length + Vocabulary.Shapes.Length;

    private readonly VisionEncoder vision_tower;
    private readonly Linear head;
    private readonly Linear patch_head;

    public PresenceClassifier(VisionConfig config) : base(nameof(PresenceClassifier))
    {
        vision_tower = new VisionEncoder(config);
        head = nn.Linear(config.Width, Labels);
        patch_head = nn.Linear(config.Width, PatchLabels.ShapeClasses + PatchLabels.ColorClasses);
        RegisterComponents();
    }

    public VisionEncoder Encoder => vision_tower;

    /// <param name="pixels">(B, 3, H, W) normalised.</param>
    /// <returns>(B, 12) presence logits: colours then shapes.</returns>
    public override Tensor forward(Tensor pixels) => Heads(pixels).Presence;

    /// <param name="pixels">(B, 3, H, W) normalised.</param>
    /// <returns>Presence (B, 12); per-patch shape logits (B, N, 7) and colour logits (B, N, 7), background last.</returns>
    public (Tensor Presence, Tensor PatchShapes, Tensor PatchColors) Heads(Tensor pixels)
    {
        var layers = vision_tower.call(pixels);
        var x = vision_tower.PostNorm.call(layers[^1]);                                        // (B, N, D)
        var presence = head.call(x.max(1).values);                                             // (B, 12)
        var patches = patch_head.call(x);                                                      // (B, N, 14)
        return (presence, patches.narrow(-1, 0, PatchLabels.ShapeClasses), patches.narrow(-1, PatchLabels.ShapeClasses, PatchLabels.ColorClasses));
    }

    /// <summary>The multi-hot target of a scene: colours present, then shapes present.</summary>
    public static float[] Target(Scene scene)
    {
        var y = new float[Labels];
        foreach (var o in scene.Objects)
        {
            y[Array.IndexOf(Vocabulary.Colors, o.Color)] = 1;
            y[Vocabulary.Colors.Length + Array.IndexOf(Vocabulary.Shapes, o.Shape)] = 1;
        }
        return y;
    }
}
