namespace Pipeline.Runtime;

/// <summary>One expected output of a test set against what ONNX Runtime computed.</summary>
/// <param name="TestSet">The test set's folder (test_data/GRAPH/test_data_set_N; test_data_set_0 in format 1).</param>
/// <param name="Problem">Why the output could not be compared element-wise (type or shape differs); null when it could.</param>
public sealed record OutputCheck(
    string TestSet, string Graph, string Output, double MaxAbs, double MaxRel, long Mismatches, bool Passed,
    string Shape = "", long Count = 0, string? Problem = null);

/// <summary>Runs an artifact's test_data_set_* folders on ONNX Runtime and compares every output.</summary>
public static class TestVectors
{
    /// <summary>
    /// Opens each graph (checked against its manifest signature) and returns one row per expected
    /// output of every set, named "graph/tensor" (set folder prefixed where several sets feed one graph).
    /// </summary>
    public static IReadOnlyList<ParityRow> Run(string dir, ArtifactManifest manifest, SessionSettings? settings = null, Tolerance? tolerance = null)
    {
        using var sessions = ArtifactSessions.Open(dir, manifest, settings);
        return Compare(dir, manifest, sessions, tolerance).Select(c => c.Row).ToArray();
    }

    /// <summary>Every expected output of every set, on sessions already open (and checked).</summary>
    public static IReadOnlyList<OutputCheck> Check(string dir, ArtifactManifest manifest, ArtifactSessions sessions, Tolerance? tolerance = null) =>
        Compare(dir, manifest, sessions, tolerance)
            .Select(c => new OutputCheck(c.Set, c.Graph, c.Tensor, c.Row.MaxAbs, c.Row.MaxRel, c.Row.Mismatches, c.Row.Passed, c.Row.Shape, c.Row.Count, c.Row.Problem))
            .ToArray();

    static List<(string Set, string Graph, string Tensor, ParityRow Row)> Compare(string dir, ArtifactManifest manifest, ArtifactSessions sessions, Tolerance? tolerance)
    {
        tolerance ??= new Tolerance(manifest.TestData.Atol, manifest.TestData.Rtol);
        var results = new List<(string, string, string, ParityRow)>();
        bool several = manifest.TestData.Sets.SelectMany(s => s.Inputs.Select(i => i.Graph).Distinct()).GroupBy(g => g).Any(g => g.Count() > 1);
        foreach (var set in manifest.TestData.Sets)
        {
            string prefix = several ? set.Folder + "/" : "";
            foreach (var graph in set.Inputs.Select(i => i.Graph).Concat(set.Outputs.Select(o => o.Graph)).Distinct())
            {
                var inputs = set.Inputs.Where(i => i.Graph == graph).ToDictionary(i => i.Tensor, i => CheckInput(manifest, set, i, Load(dir, set, i)));
                var expected = set.Outputs.Where(o => o.Graph == graph).ToArray();
                var actual = sessions[graph].Run(inputs, expected.Select(e => e.Tensor));
                results.AddRange(expected.Select(e =>
                    (set.Folder, graph, e.Tensor, TensorComparison.Compare($"{prefix}{graph}/{e.Tensor}", actual[e.Tensor], Load(dir, set, e), tolerance))));
            }
        }
        return results;
    }

    /// <summary>
    /// A test input as the graph will read it: its shape fits the signature, token ids lie inside the
    /// vocabulary and the mask is 0 or 1; anything else is refused before ONNX Runtime runs.
    /// </summary>
    static HostTensor CheckInput(ArtifactManifest manifest, TestSetRecord set, TestTensorRef reference, HostTensor tensor)
    {
        var signature = manifest.Graph(reference.Graph).Inputs.FirstOrDefault(i => i.Name == reference.Tensor)
            ?? throw new InvalidDataException($"{set.Folder}/{reference.File} feeds '{reference.Tensor}', which graph '{reference.Graph}' does not take");
        if (tensor.Type.ToName() != signature.ElementType || tensor.Shape.Length != signature.Shape.Count || !tensor.Shape.Zip(signature.Shape).All(p => p.Second.Accepts(p.First)))
            throw new InvalidDataException($"{set.Folder}/{reference.File} is {tensor} but '{reference.Tensor}' takes {signature.ElementType} ({string.Join(", ", signature.Shape)})");
        if (reference.Tensor == ArtifactNames.InputIds && manifest.VocabSize is long vocab
            && tensor.Longs.Any(id => id < 0 || id >= vocab))
            throw new InvalidDataException($"{set.Folder}/{reference.File} holds a token id outside the vocabulary of {vocab}; re-export the artifact");
        if (reference.Tensor == ArtifactNames.AttentionMask && tensor.Longs.Any(m => m is not (0 or 1)))
            throw new InvalidDataException($"{set.Folder}/{reference.File} holds an attention mask value other than 0 or 1; re-export the artifact");
        return tensor;
    }

    static HostTensor Load(string dir, TestSetRecord set, TestTensorRef reference)
    {
        var (name, tensor) = TensorProtoFile.Read(Path.Combine(dir, set.Folder, reference.File));
        if (name != reference.Tensor)
            throw new InvalidDataException($"{set.Folder}/{reference.File} holds tensor '{name}' but the manifest says '{reference.Tensor}'");
        return tensor;
    }
}
