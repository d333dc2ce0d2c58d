namespace Pipeline.Eval.Plots;

/// <summary>
/// Paints a g×g grid of attention weights over an image: the image is enlarged by an integer factor
/// (nearest neighbour, so scene pixels stay sharp), the weights are bilinearly upsampled from the
/// cell centres, divided by a scale shared by the panels of one figure row (so a diffuse variant
/// looks cold next to a peaked one), and blended through the Turbo colour map, more opaquely where
/// attention is high so that the scene stays visible where it is low.
/// </summary>
internal static class AttentionOverlay
{
    /// <summary>Also the colour bars' map, so that a bar reads as the overlay's key.</summary>
    public static readonly ScottPlot.IColormap Colormap = new ScottPlot.Colormaps.Turbo();

    public static RgbImage Enlarge(RgbImage image, int scale)
    {
        image.Validated();
        int w = image.Width * scale, h = image.Height * scale;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Array.Copy(image.Rgb, ((y / scale) * image.Width + x / scale) * 3, rgb, (y * w + x) * 3, 3);
        return new RgbImage(w, h, rgb);
    }

    /// <param name="max">The weight drawn at full colour (the largest weight of the row's panels).</param>
    public static RgbImage Blend(RgbImage image, IReadOnlyList<float> weights, int grid, double max)
    {
        image.Validated();
        if (grid < 1 || weights.Count != grid * grid)
            throw new ArgumentException($"{weights.Count} weights do not make a {grid}×{grid} grid.", nameof(weights));
        var rgb = new byte[image.Rgb.Length];
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                double v = max > 0 ? Sample(weights, grid, (x + 0.5) / image.Width * grid - 0.5, (y + 0.5) / image.Height * grid - 0.5) / max : 0;
                v = Math.Clamp(v, 0, 1);
                var c = Colormap.GetColor(v);
                double alpha = 0.2 + 0.55 * v;
                int i = (y * image.Width + x) * 3;
                rgb[i] = Mix(image.Rgb[i], c.Red, alpha);
                rgb[i + 1] = Mix(image.Rgb[i + 1], c.Green, alpha);
                rgb[i + 2] = Mix(image.Rgb[i + 2], c.Blue, alpha);
            }
        return new RgbImage(image.Width, image.Height, rgb);
    }

    /// <summary>Bilinear interpolation between cell centres (gx, gy in cell units, clamped at the border).</summary>
    static double Sample(IReadOnlyList<float> w, int g, double gx, double gy)
    {
        gx = Math.Clamp(gx, 0, g - 1);
        gy = Math.Clamp(gy, 0, g - 1);
        int x0 = (int)gx, y0 = (int)gy, x1 = Math.Min(x0 + 1, g - 1), y1 = Math.Min(y0 + 1, g - 1);
        double fx = gx - x0, fy = gy - y0;
        double top = w[y0 * g + x0] * (1 - fx) + w[y0 * g + x1] * fx;
        double bottom = w[y1 * g + x0] * (1 - fx) + w[y1 * g + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    static byte Mix(byte image, byte color, double alpha) => (byte)Math.Round(image * (1 - alpha) + color * alpha);
}
