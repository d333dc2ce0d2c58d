

namespace Pipeline.Runtime;

/// <summary>
/// Questions → the language graph's input_ids, and generated ids → text, from an artifact's
/// vocab.json and its manifest's prompt format. Splits words with the data generator's own
/// <see cref="Words.Tokenize"/>, so a prompt gets exactly the ids training fed.
/// </summary>
public sealed class PromptTokenizer
{
    const string QuestionSlot = "{question}";

    readonly VocabFile _vocab;
    readonly Dictionary<string, long> _ids;
    readonly string[] _template;
    readonly long _unkId;

    /// <summary>Checks that the vocabulary holds the template's tokens and the manifest's special ids.</summary>
    public PromptTokenizer(VocabFile vocab, PromptFormat prompt)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(prompt);
        _vocab = vocab;
        _ids = vocab.Tokens.Select((t, i) => (t, (long)i)).ToDictionary(p => p.t, p => p.Item2);
        Prompt = prompt;
        _unkId = RequireId(vocab.Unk, "unknown-word token");
        RequireId(prompt.ImageToken, "image token", prompt.ImageTokenId);
        RequireId(vocab.Bos, "beginning-of-sequence token", prompt.BosId);
        RequireId(vocab.Eos, "end-of-sequence token", prompt.EosId);
        RequireId(vocab.Pad, "padding token", prompt.PadId);
        if (prompt.PadId == prompt.ImageTokenId)
            throw new InvalidDataException("the prompt pads with the image placeholder's id, which would splice the image into padding; re-export the artifact");
        _template = prompt.Template.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (_template.Count(t => t == QuestionSlot) != 1)
            throw new InvalidDataException($"the prompt template '{prompt.Template}' needs exactly one {QuestionSlot}; re-export the artifact");
        foreach (var token in _template.Where(t => t != QuestionSlot)) RequireId(token, "prompt template token");
    }

    /// <summary>Reads the vocabulary file the manifest names from <paramref name="dir"/>.</summary>
    public static PromptTokenizer Load(string dir, PromptFormat prompt) =>
        new(VocabFile.Read(Path.Combine(dir, prompt.VocabFile)), prompt);

    /// <summary>An artifact's tokenizer, whose vocabulary must be as large as what the language model predicts over.</summary>
    public static PromptTokenizer Load(string dir, ArtifactManifest manifest)
    {
        var tokenizer = Load(dir, manifest.Prompt);
        if (manifest.VocabSize is long logits && logits != tokenizer.VocabSize)
            throw new InvalidDataException($"{manifest.Prompt.VocabFile} holds {tokenizer.VocabSize} tokens but the language model predicts {logits}; re-export the artifact");
        return tokenizer;
    }

    public PromptFormat Prompt { get; }

    public int VocabSize => _vocab.Tokens.Count;

    /// <summary>The template with the question's words in place of {question}; unknown words map to the unknown-word id.</summary>
    public long[] EncodePrompt(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var words = Words.Tokenize(question);
        // A second image placeholder would splice the image twice and shift every position.
        if (words.Contains(Prompt.ImageToken))
            throw new ArgumentException($"the question '{question}' contains the image placeholder {Prompt.ImageToken}; remove it");
        return _template.SelectMany(t => t == QuestionSlot ? words.Select(Id) : [Id(t)]).ToArray();
    }

    /// <summary>Tokens joined by single spaces, stopping at the first end-of-sequence (as training decodes answers).</summary>
    public string Decode(IEnumerable<long> ids) =>
        string.Join(' ', ids.TakeWhile(id => id != Prompt.EosId).Select(id => id >= 0 && id < VocabSize ? _vocab.Tokens[(int)id] : _vocab.Unk));

    long Id(string token) => _ids.TryGetValue(token, out long id) ? id : _unkId;

    long RequireId(string token, string role, long? expected = null)
    {
        if (!_ids.TryGetValue(token, out long id))
            throw new InvalidDataException($"the vocabulary has no {role} '{token}'; re-export the artifact");
        if (expected is long e && e != id)
            throw new InvalidDataException($"the manifest gives the {role} '{token}' id {e} but the vocabulary gives {id}; re-export the artifact");
        return id;
    }
}
