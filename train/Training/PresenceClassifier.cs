using Pipeline.Data;
using Pipeline.Train.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// Stage 0a: the vision encoder learns *what* is in an image, never *where*, like CLIP. Labels are
/// the presence of each colour and each shape (12 bits); the final layer (through ln_post) is
/// max-pooled over patches, so nothing rewards keeping positions.
/// </summary>
public sealed class PresenceClassifier : nn.Module<Tensor, Tensor>
{
    public static readonly int Labels = Vocabulary.Colors.Length + Vocabulary.Shapes.Length;

    private readonly VisionEncoder vision_tower;
    private readonly Linear head;

    public PresenceClassifier(VisionConfig config) : base(nameof(PresenceClassifier))
    {
        vision_tower = new VisionEncoder(config);
        head = nn.Linear(config.Width, Labels);
        RegisterComponents();
    }

    public VisionEncoder Encoder => vision_tower;

    /// <param name="pixels">(B, 3, H, W) normalised.</param>
    /// <returns>(B, 12) logits: colours then shapes.</returns>
    public override Tensor forward(Tensor pixels)
    {
        var layers = vision_tower.call(pixels);
        var x = vision_tower.PostNorm.call(layers[^1]);  // (B, N, D)
        var pooled = x.max(1).values;                     // (B, D)
        return head.call(pooled);
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
