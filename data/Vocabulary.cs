using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Data;

/// <summary>
/// The words of 2DS: colours, shapes, question grammar and the numbers of the text corpus.
/// The vocabulary is built from the grammar, not from the generated text, so that every split
/// (and every size of split) shares one vocabulary.
/// </summary>
public static partial class Vocabulary
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

    /// <summary>Lower-cased words, punctuation as its own token: "Is it?" → is, it, ?</summary>
    public static IReadOnlyList<string> Tokenize(string text) =>
        WordOrPunct().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    /// <summary>The normal form used for exact-match grading: tokens joined by single spaces.</summary>
    public static string Normalize(string text) =>
        string.Join(' ', Tokenize(text).Where(t => t is not ("." or "," or "!")));

    public static string ToJson(IReadOnlyList<string> tokens) =>
        JsonSerializer.Serialize(new VocabFile(1, Pad, Bos, Eos, Unk, Image, tokens), Json.Indented);

    public static VocabFile ReadJson(string path)
    {
        var vocab = JsonSerializer.Deserialize<VocabFile>(File.ReadAllText(path), Json.Compact)
            ?? throw new InvalidDataException($"{path} is empty; regenerate it with 'pipeline data'.");
        if (vocab.Tokens.Count == 0 || vocab.Tokens.Distinct().Count() != vocab.Tokens.Count)
            throw new InvalidDataException($"{path} has no tokens or repeats one; regenerate it with 'pipeline data'.");
        return vocab;
    }

    [GeneratedRegex(@"[a-z0-9<>_]+|[?.,:!]")]
    private static partial Regex WordOrPunct();
}

/// <summary>vocab.json: token i has id i.</summary>
public sealed record VocabFile(int Version, string Pad, string Bos, string Eos, string Unk, string Image, IReadOnlyList<string> Tokens);
