using Pipeline.Data;
using Pipeline.Runtime;
using Pipeline.Train.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Pipeline.Export;

/// <summary>One row of the reference batch: which 2DS-test image and question it holds.</summary>
public sealed record ReferenceItem(int Image, int NumObjects, string Category, string Question, string Answer);

/// <summary>
/// The fixed batch the test vectors are computed on: three 2DS-test scenes (2, 3 and 5 objects)
/// with questions of different lengths, so the vectors exercise padding and the attention mask.
/// Always the same for a given image size and vocabulary.
/// </summary>
public sealed record ReferenceBatch(IReadOnlyList<ReferenceItem> Items, HostTensor Pixels, HostTensor InputIds, HostTensor AttentionMask)
{
    static readonly (int Image, string Category)[] Rows = [(0, Categories.ColorAbs), (150, Categories.ShapeColorRel), (300, Categories.ShapeRel)];

    public static ReferenceBatch Build(int imageSize, Prompts prompts, long padId)
    {
        // The generator needs room for its margins; smaller models see the scene scaled down.
        int drawSize = Math.Clamp(imageSize, ScenePlacer.MinImageSize, DatasetOptions.MaxImageSize);
        var generator = new SceneGenerator(new DatasetOptions(Split.Test, DatasetOptions.TestImages, null, drawSize, 1));
        var items = new List<ReferenceItem>(Rows.Length);
        var pixels = new float[Rows.Length * 3 * imageSize * imageSize];
        var rowIds = new List<long[]>(Rows.Length);
        for (int r = 0; r < Rows.Length; r++)
        {
            var generated = generator.Generate(Rows[r].Image);
            var question = generated.Questions.Single(q => q.Category == Rows[r].Category);
            items.Add(new ReferenceItem(Rows[r].Image, generated.Scene.NumObjects, question.Category, question.Text, question.Answer));
            using var image = ShapeRenderer.Render(generated.Scene, drawSize);
            WritePixels(image, imageSize, pixels.AsSpan(r * 3 * imageSize * imageSize, 3 * imageSize * imageSize));
            rowIds.Add(prompts.ImageQuestion(question.Text));
        }
        var (ids, mask) = PromptBatch.PadRight(rowIds, padId);
        return new ReferenceBatch(items, HostTensor.Float([Rows.Length, 3, imageSize, imageSize], pixels), ids, mask);
    }

    /// <summary>Area-averages the drawn image to <paramref name="size"/> and normalises as PixelStore does: (x / 255 − 0.5) / 0.5, CHW.</summary>
    static void WritePixels(Image<Rgb24> image, int size, Span<float> planes)
    {
        int source = image.Width, plane = size * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int x0 = x * source / size, x1 = (x + 1) * source / size, y0 = y * source / size, y1 = (y + 1) * source / size;
                double r = 0, g = 0, b = 0;
                for (int sy = y0; sy < y1; sy++)
                    for (int sx = x0; sx < x1; sx++)
                    {
                        var p = image[sx, sy];
                        (r, g, b) = (r + p.R, g + p.G, b + p.B);
                    }
                int n = (x1 - x0) * (y1 - y0);
                planes[y * size + x] = Normalise(r / n);
                planes[plane + y * size + x] = Normalise(g / n);
                planes[2 * plane + y * size + x] = Normalise(b / n);
            }
    }

    static float Normalise(double value) => ((float)Math.Round(value) / 255f - 0.5f) / 0.5f;
}
