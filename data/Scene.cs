using System.Text.Json.Serialization;

namespace Pipeline.Data;

/// <summary>
/// One object of a scene. <see cref="X"/>, <see cref="Y"/> are the pixel holding the centre
/// (the geometric centre is X + 0.5, Y + 0.5); <see cref="Size"/> is the side of the square
/// bounding box in pixels. Y grows downwards, as in the image.
/// </summary>
public sealed record SceneObject(string Color, string Shape, int X, int Y, int Size)
{
    [JsonIgnore] public string Name => $"{Color} {Shape}";
    [JsonIgnore] public double CenterX => X + 0.5;
    [JsonIgnore] public double CenterY => Y + 0.5;
}

/// <summary>One image of the benchmark: its file name and objects.</summary>
public sealed record Scene(string Image, int NumObjects, IReadOnlyList<SceneObject> Objects);

/// <summary>One question about one image.</summary>
public sealed record Question(string Id, string Image, int NumObjects, string Category,
    [property: JsonPropertyName("question")] string Text, string Answer);

/// <summary>A position-free caption of one image, for stage-1 alignment.</summary>
public sealed record Caption(string Image, [property: JsonPropertyName("caption")] string Text);

/// <summary>A text-only example for language-model pretraining: a scene in words, a question, its answer.</summary>
public sealed record CorpusEntry(string Context, string Question, string Answer, string Category);
