using Pipeline.Data;
using Pipeline.Train.Model;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// Stage 0a's per-patch targets: the shape and the colour of the object that covers most of each
/// patch, or background. They name *what* a token shows, never where it is: a token's label
/// follows from the object it belongs to, whatever that object's position.
/// </summary>
public static class PatchLabels
{
    /// <summary>Classes per patch: the 6 shapes (or colours), then background.</summary>
    public static readonly int ShapeClasses = Vocabulary.Shapes.Length + 1, ColorClasses = Vocabulary.Colors.Length + 1;

    /// <summary>The class of a patch no object covers enough, in both label sets (6 shapes, 6 colours).</summary>
    public static readonly int Background = Vocabulary.Shapes.Length;

    /// <summary>A patch belongs to an object when at least this share of its pixels lies inside the object.</summary>
    public const double MinCover = 1.0 / 8;

    /// <summary>(P) shape classes and (P) colour classes of one scene, row-major over the patch grid.</summary>
    public static (long[] Shapes, long[] Colors) Of(Scene scene, VisionConfig vision)
    {
        int grid = vision.GridSize, patch = vision.PatchSize;
        var cover = CoveredPixels(scene, vision);
        var shapes = new long[grid * grid];
        var colors = new long[grid * grid];
        for (int p = 0; p < shapes.Length; p++)
        {
            int best = -1, most = (int)Math.Ceiling(MinCover * patch * patch) - 1;
            for (int k = 0; k < scene.Objects.Count; k++)
                if (cover[p, k] > most) (best, most) = (k, cover[p, k]);
            shapes[p] = best < 0 ? Background : Array.IndexOf(Vocabulary.Shapes, scene.Objects[best].Shape);
            colors[p] = best < 0 ? Background : Array.IndexOf(Vocabulary.Colors, scene.Objects[best].Color);
        }
        return (shapes, colors);
    }

    /// <summary>(P, objects) how many pixel centres of each patch lie inside each object.</summary>
    static int[,] CoveredPixels(Scene scene, VisionConfig vision)
    {
        int grid = vision.GridSize, patch = vision.PatchSize, size = vision.ImageSize;
        var cover = new int[grid * grid, scene.Objects.Count];
        for (int k = 0; k < scene.Objects.Count; k++)
        {
            var o = scene.Objects[k];
            double h = o.Size / 2.0;
            int x0 = Math.Max(0, (int)Math.Floor(o.CenterX - h)), x1 = Math.Min(size - 1, (int)Math.Ceiling(o.CenterX + h));
            int y0 = Math.Max(0, (int)Math.Floor(o.CenterY - h)), y1 = Math.Min(size - 1, (int)Math.Ceiling(o.CenterY + h));
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    if (ShapeRenderer.Inside(o.Shape, x + 0.5 - o.CenterX, y + 0.5 - o.CenterY, h))
                        cover[y / patch * grid + x / patch, k]++;
        }
        return cover;
    }

    /// <summary>(N, P) shape classes and (N, P) colour classes of a split's scenes.</summary>
    public static (Tensor Shapes, Tensor Colors) Targets(IReadOnlyList<Scene> scenes, VisionConfig vision)
    {
        var labels = scenes.AsParallel().AsOrdered().Select(s => Of(s, vision)).ToArray();
        long[] shape = [scenes.Count, vision.NumPatches];
        return (tensor(labels.SelectMany(l => l.Shapes).ToArray(), shape), tensor(labels.SelectMany(l => l.Colors).ToArray(), shape));
    }
}
