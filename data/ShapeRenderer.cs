using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Data;

/// <summary>
/// Draws filled, anti-aliased shapes by supersampling each pixel's coverage. ImageSharp.Drawing
/// is not served here (and its newer versions are paid), so coverage is computed directly: it is
/// also exactly deterministic, which the byte-identical dataset needs.
/// </summary>
public static class ShapeRenderer
{
    const int Samples = 4; // 4×4 sub-pixel samples

    static readonly PngEncoder Encoder = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.DefaultCompression,
        ChunkFilter = PngChunkFilter.ExcludeAll,
    };

    public static Image<Rgb24> Render(Scene scene, int imageSize)
    {
        var bg = Vocabulary.Background;
        var image = new Image<Rgb24>(imageSize, imageSize, new Rgb24(bg.R, bg.G, bg.B));
        foreach (var obj in scene.Objects) Draw(image, obj);
        return image;
    }

    public static byte[] RenderPng(Scene scene, int imageSize)
    {
        using var image = Render(scene, imageSize);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, Encoder);
        return stream.ToArray();
    }

    static void Draw(Image<Rgb24> image, SceneObject obj)
    {
        var (r, g, b) = Vocabulary.ColorValues[obj.Color];
        double h = obj.Size / 2.0;
        int x0 = Math.Max(0, (int)Math.Floor(obj.CenterX - h)), x1 = Math.Min(image.Width - 1, (int)Math.Ceiling(obj.CenterX + h));
        int y0 = Math.Max(0, (int)Math.Floor(obj.CenterY - h)), y1 = Math.Min(image.Height - 1, (int)Math.Ceiling(obj.CenterY + h));
        for (int py = y0; py <= y1; py++)
        {
            for (int px = x0; px <= x1; px++)
            {
                int hits = 0;
                for (int sy = 0; sy < Samples; sy++)
                    for (int sx = 0; sx < Samples; sx++)
                    {
                        double dx = px + (sx + 0.5) / Samples - obj.CenterX;
                        double dy = py + (sy + 0.5) / Samples - obj.CenterY;
                        if (Inside(obj.Shape, dx, dy, h)) hits++;
                    }
                if (hits == 0) continue;
                double a = hits / (double)(Samples * Samples);
                var old = image[px, py];
                image[px, py] = new Rgb24(Blend(old.R, r, a), Blend(old.G, g, a), Blend(old.B, b, a));
            }
        }
    }

    static byte Blend(byte under, byte over, double alpha) => (byte)Math.Round(under + (over - under) * alpha);

    /// <summary>Is the offset (dx, dy) from the centre inside the shape of half-size h? y points down.</summary>
    public static bool Inside(string shape, double dx, double dy, double h) => shape switch
    {
        "circle" => dx * dx + dy * dy <= h * h,
        "square" => Math.Abs(dx) <= h * 0.9 && Math.Abs(dy) <= h * 0.9,
        "triangle" => dy <= h && dy >= -h && Math.Abs(dx) <= (dy + h) / 2,
        "diamond" => Math.Abs(dx) + Math.Abs(dy) <= h,
        "cross" => (Math.Abs(dx) <= h / 3 && Math.Abs(dy) <= h) || (Math.Abs(dy) <= h / 3 && Math.Abs(dx) <= h),
        "star" => InsideStar(dx, dy, h),
        _ => throw new ArgumentException($"unknown shape '{shape}'"),
    };

    static readonly (double X, double Y)[] StarUnit = MakeStar();

    static (double, double)[] MakeStar()
    {
        var points = new (double, double)[10];
        for (int i = 0; i < 10; i++)
        {
            double radius = i % 2 == 0 ? 1.0 : 0.45;
            double angle = -Math.PI / 2 + i * Math.PI / 5; // first point straight up
            points[i] = (radius * Math.Cos(angle), radius * Math.Sin(angle));
        }
        return points;
    }

    static bool InsideStar(double dx, double dy, double h)
    {
        double x = dx / h, y = dy / h;
        bool inside = false;
        for (int i = 0, j = StarUnit.Length - 1; i < StarUnit.Length; j = i++)
        {
            var (xi, yi) = StarUnit[i];
            var (xj, yj) = StarUnit[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }
}
