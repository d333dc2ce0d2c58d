using Pipeline.Data;
using Pipeline.Train.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// A split's images as one uint8 tensor (N, 3, H, W): 4× smaller than floats, converted per batch.
/// Pixels are normalised as (x / 255 − 0.5) / 0.5, the same rule the exported artifact records.
/// </summary>
public sealed class PixelStore : IDisposable
{
    public const double Mean = 0.5, Std = 0.5;

    PixelStore(Tensor bytes) => Bytes = bytes;

    /// <summary>(N, 3, H, W) uint8.</summary>
    public Tensor Bytes { get; }

    public long Count => Bytes.shape[0];

    public static PixelStore Load(Dataset dataset, int? threads = null)
    {
        int n = dataset.Scenes.Count, size = dataset.Manifest.ImageSize;
        var buffer = new byte[(long)n * 3 * size * size];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, i =>
        {
            string path = dataset.ImagePath(dataset.Scenes[i].Image);
            using var image = Image.Load<Rgb24>(path);
            if (image.Width != size || image.Height != size)
                throw new InvalidDataException($"{path} is {image.Width}×{image.Height}, but dataset.json says {size}×{size}; regenerate the dataset");
            CopyPlanes(image, buffer.AsSpan((int)((long)i * 3 * size * size), 3 * size * size), size);
        });
        // Long-lived: detached so that a step's dispose scope (where it may be loaded lazily) never frees it.
        return new PixelStore(tensor(buffer, [n, 3, size, size]).DetachFromDisposeScope());
    }

    static void CopyPlanes(Image<Rgb24> image, Span<byte> planes, int size)
    {
        int plane = size * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                var p = image[x, y];
                planes[y * size + x] = p.R;
                planes[plane + y * size + x] = p.G;
                planes[2 * plane + y * size + x] = p.B;
            }
    }

    /// <summary>(B, 3, H, W) float32, normalised.</summary>
    public Tensor Batch(long[] indices)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(indices);
        var x = Bytes.index_select(0, index).to_type(ScalarType.Float32).DivideInPlace(255.0).SubtractInPlace(Mean).DivideInPlace(Std);
        return x.MoveToOuterDisposeScope();
    }

    public void Dispose() => Bytes.Dispose();
}
