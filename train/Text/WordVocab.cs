using Pipeline.Data;

namespace Pipeline.Train.Text;

/// <summary>Word-level tokens ↔ ids, from a 2DS vocab.json (token i has id i).</summary>
public sealed class WordVocab
{
    readonly Dictionary<string, long> _ids;

    public WordVocab(VocabFile file)
    {
        File = file;
        _ids = file.Tokens.Select((t, i) => (t, (long)i)).ToDictionary(p => p.t, p => p.Item2);
        PadId = Id(file.Pad);
        BosId = Id(file.Bos);
        EosId = Id(file.Eos);
        UnkId = Id(file.Unk);
        ImageId = Id(file.Image);
    }

    public VocabFile File { get; }
    public int Count => File.Tokens.Count;
    public long PadId { get; }
    public long BosId { get; }
    public long EosId { get; }
    public long UnkId { get; }
    public long ImageId { get; }

    public long Id(string token) => _ids.TryGetValue(token, out var id) ? id : UnkId;

    public long[] Encode(string text) => Words.Tokenize(text).Select(Id).ToArray();

    /// <summary>Tokens joined by spaces, stopping at the first end-of-sequence.</summary>
    public string Decode(IEnumerable<long> ids) =>
        string.Join(' ', ids.TakeWhile(id => id != EosId).Select(id => id >= 0 && id < Count ? File.Tokens[(int)id] : File.Unk));
}
