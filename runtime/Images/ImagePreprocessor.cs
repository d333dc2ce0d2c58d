using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Runtime;

/// <summary>
/// PNG files → the vision graph's `pixels` input: (B, 3, H, W) float32, NCHW, RGB, each value
/// (x / 255 − mean) / std with the manifest's constants. Computed in float32 step by step, as
/// the training code's tensors do, so the two agree bit for bit.
/// </summary>
public sealed class ImagePreprocessor
{
    /// <summary>Refuses a layout this runtime does not produce.</summary>
    public ImagePreprocessor(Preprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (preprocessing.Channels != 3 || preprocessing.Layout != "NCHW" || preprocessing.ChannelOrder != "RGB")
            throw new NotSupportedException($"the artifact wants {preprocessing.Channels}-channel {preprocessing.ChannelOrder} {preprocessing.Layout} pixels; this runtime produces 3-channel RGB NCHW only: re-export the artifact");
        if (preprocessing.ImageSize < 1 || preprocessing.Std == 0)
            throw new InvalidDataException($"the manifest's preprocessing (image size {preprocessing.ImageSize}, std {preprocessing.Std}) is invalid; re-export the artifact");
        Preprocessing = preprocessing;
    }

    public Preprocessing Preprocessing { get; }

    public int ImageSize => Preprocessing.ImageSize;

    /// <summary>The images in order as one batch; a file of another size is an InvalidDataException naming it.</summary>
    public HostTensor Load(IReadOnlyList<string> pngPaths)
    {
        ArgumentNullException.ThrowIfNull(pngPaths);
        if (pngPaths.Count == 0) throw new ArgumentException("no images to load: pass at least one PNG file");
        int size = ImageSize, plane = size * size;
        var data = new float[(long)pngPaths.Count * 3 * plane];
        for (int i = 0; i < pngPaths.Count; i++)
            CopyPlanes(pngPaths[i], data.AsSpan(i * 3 * plane, 3 * plane));
        return HostTensor.Float([pngPaths.Count, 3, size, size], data);
    }

    void CopyPlanes(string path, Span<float> planes)
    {
        using var image = Read(path);
        int size = ImageSize, plane = size * size;
        if (image.Width != size || image.Height != size)
            throw new InvalidDataException($"{path} is {image.Width}×{image.Height} but the model takes {size}×{size} images; resize it to {size}×{size}");
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                var p = image[x, y];
                planes[y * size + x] = Normalize(p.R);
                planes[plane + y * size + x] = Normalize(p.G);
                planes[2 * plane + y * size + x] = Normalize(p.B);
            }
    }

    /// <summary>Three float32 operations in the training code's order (divide, subtract, divide), not one fused affine map.</summary>
    float Normalize(byte value) => (value / 255f - (float)Preprocessing.Mean) / (float)Preprocessing.Std;

    static Image<Rgb24> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image {path} does not exist", path);
        try
        {
            return Image.Load<Rgb24>(path);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException)
        {
            throw new InvalidDataException($"{path} is not an image ImageSharp can read ({e.Message}); pass a PNG file");
        }
    }
}
