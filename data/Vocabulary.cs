using System.Text.Json;

namespace Pipeline.Data;

/// <summary>
/// The words of 2DS: colours, shapes, question grammar and the numbers of the text corpus.
/// The vocabulary is built from the grammar, not from the generated text, so that every split
/// (and every size of split) shares one vocabulary.
/// </summary>
public static class Vocabulary
{
    public const string Pad = "<pad>", Bos = "<bos>", Eos = "<eos>", Unk = "<unk>", Image = "<image>";
    public static readonly string[] Specials = [Pad, Bos, Eos, Unk, Image];

    public static readonly IReadOnlyDictionary<string, (byte R, byte G, byte B)> ColorValues =
        new Dictionary<string, (byte, byte, byte)>
        {
            ["red"] = (220, 38, 38),
            ["green"] = (34, 160, 64),
            ["blue"] = (37, 84, 224),
            ["yellow"] = (240, 200, 20),
            ["purple"] = (140, 56, 180),
            ["orange"] = (245, 128, 24),
        };

    public static readonly string[] Colors = ["red", "green", "blue", "yellow", "purple", "orange"];
    public static readonly string[] Shapes = ["circle", "square", "triangle", "diamond", "star", "cross"];

    public static readonly (byte R, byte G, byte B) Background = (255, 255, 255);

    /// <summary>Every word the generator's templates can emit, besides colours, shapes and numbers.</summary>
    static readonly string[] GrammarWords =
    [
        "what", "color", "shape", "object", "is", "at", "the", "of", "image", "top", "bottom", "left",
        "right", "above", "below", "yes", "no", "a", "an", "and", "there", "in", "this", "x", "y",
        "question", "answer", "?", ".", ",", ":",
    ];

    /// <summary>Largest coordinate written as a word in the text corpus.</summary>
    public const int MaxCoordinateWord = 255;

    public static IReadOnlyList<string> BuildTokens(int imageSize)
    {
        int maxCoordinate = Math.Min(imageSize - 1, MaxCoordinateWord);
        return Specials
            .Concat(GrammarWords)
            .Concat(Colors)
            .Concat(Shapes)
            .Concat(Enumerable.Range(0, maxCoordinate + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }



    public static string ToJson(IReadOnlyList<string> tokens) =>
        JsonSerializer.Serialize(new VocabFile(1, Pad, Bos, Eos, Unk, Image, tokens), Json.Indented);


}

