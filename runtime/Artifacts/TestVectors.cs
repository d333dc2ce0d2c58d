namespace Pipeline.Runtime;

/// <summary>One expected output of a test set against what ONNX Runtime computed.</summary>
/// <param name="TestSet">The test_data_set_* folder.</param>
/// <param name="Problem">Why the output could not be compared element-wise (type or shape differs); null when it could.</param>
public sealed record OutputCheck(
    string TestSet, string Graph, string Output, double MaxAbs, double MaxRel, long Mismatches, bool Passed,
    string Shape = "", long Count = 0, string? Problem = null);

/// <summary>Runs an artifact's test_data_set_* folders on ONNX Runtime and compares every output.</summary>
public static class TestVectors
{
    /// <summary>
    /// Opens each graph (checked against its manifest signature) and returns one row per expected
    /// output of every set, named "graph/tensor" (set folder prefixed when there are several).
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
        bool several = manifest.TestData.Sets.Count > 1;
        foreach (var set in manifest.TestData.Sets)
        {
            string prefix = several ? set.Folder + "/" : "";
            foreach (var graph in set.Inputs.Select(i => i.Graph).Concat(set.Outputs.Select(o => o.Graph)).Distinct())
            {
                var inputs = set.Inputs.Where(i => i.Graph == graph).ToDictionary(i => i.Tensor, i => Load(dir, set, i));
                var expected = set.Outputs.Where(o => o.Graph == graph).ToArray();
                var actual = sessions[graph].Run(inputs, expected.Select(e => e.Tensor));
                results.AddRange(expected.Select(e =>
                    (set.Folder, graph, e.Tensor, TensorComparison.Compare($"{prefix}{graph}/{e.Tensor}", actual[e.Tensor], Load(dir, set, e), tolerance))));
            }
        }
        return results;
    }

    static HostTensor Load(string dir, TestSetRecord set, TestTensorRef reference)
    {
        var (name, tensor) = TensorProtoFile.Read(Path.Combine(dir, set.Folder, reference.File));
        if (name != reference.Tensor)
            throw new InvalidDataException($"{set.Folder}/{reference.File} holds tensor '{name}' but the manifest says '{reference.Tensor}'");
        return tensor;
    }
}
