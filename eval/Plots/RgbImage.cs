using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Eval.Plots;

/// <summary>
/// An 8-bit RGB image, row-major, 3 bytes per pixel: the form a 2DS scene takes in memory (the
/// renderer's pixels) or on disk (a PNG), without tying callers to an image library.
/// </summary>
public sealed record RgbImage(int Width, int Height, byte[] Rgb)
{
    /// <exception cref="ArgumentException">The buffer does not hold Width × Height × 3 bytes.</exception>
    public RgbImage Validated() =>
        Width > 0 && Height > 0 && Rgb.Length == (long)Width * Height * 3
            ? this
            : throw new ArgumentException($"An RGB image of {Width}×{Height} needs {(long)Width * Height * 3} bytes, got {Rgb.Length}.");

    /// <summary>Reads a PNG (or any format ImageSharp knows) and drops alpha.</summary>
    public static RgbImage FromPng(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return new RgbImage(image.Width, image.Height, rgb);
    }

    /// <summary>PNG bytes of the image (embedding in a chart, writing the scene next to a report).</summary>
    public byte[] ToPng()
    {
        Validated();
        using var image = Image.LoadPixelData<Rgb24>(Rgb, Width, Height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
