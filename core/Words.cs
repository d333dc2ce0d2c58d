using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Core;

/// <summary>
/// The word tokenizer training, export and the runtime share, so that a question gets exactly the
/// ids in deployment that it got in training.
/// </summary>
public static partial class Words
{
    /// <summary>Lower-cased words, punctuation as its own token: "Is it?" → is, it, ?</summary>
    public static IReadOnlyList<string> Tokenize(string text) =>
        WordOrPunct().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    /// <summary>The normal form used for exact-match grading: tokens joined by single spaces.</summary>
    public static string Normalize(string text) =>
        string.Join(' ', Tokenize(text).Where(t => t is not ("." or "," or "!")));

    [GeneratedRegex(@"[a-z0-9<>_]+|[?.,:!]")]
    private static partial Regex WordOrPunct();
}

/// <summary>vocab.json: token i has id i.</summary>
public sealed record VocabFile(int Version, string Pad, string Bos, string Eos, string Unk, string Image, IReadOnlyList<string> Tokens)
{
    /// <summary>Reads and checks a vocab.json: one line naming the fix when it is empty or repeats a token.</summary>
    public static VocabFile Read(string path)
    {
        VocabFile? vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<VocabFile>(File.ReadAllText(path), Json.Compact);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a vocabulary ({e.Message.ReplaceLineEndings(" ")}); regenerate it with 'pipeline data'.");
        }
        if (vocab is null) throw new InvalidDataException($"{path} is empty; regenerate it with 'pipeline data'.");
        if (vocab.Tokens is null || vocab.Tokens.Count == 0 || vocab.Tokens.Any(t => t is null) || vocab.Tokens.Distinct().Count() != vocab.Tokens.Count)
            throw new InvalidDataException($"{path} has no tokens or repeats one; regenerate it with 'pipeline data'.");
        return vocab;
    }
}
