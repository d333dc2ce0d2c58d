namespace Pipeline.Runtime;

/// <summary>Runs an artifact's test_data_set_* folders on ONNX Runtime and compares every output.</summary>
public static class TestVectors
{
    /// <summary>
    /// One row per expected output of every set, named "graph/tensor" (set folder prefixed when
    /// there are several). Each graph is checked against its manifest signature when opened.
    /// </summary>
    public static IReadOnlyList<ParityRow> Run(string dir, ArtifactManifest manifest, SessionSettings? settings = null, Tolerance? tolerance = null)
    {
        tolerance ??= new Tolerance(manifest.TestData.Atol, manifest.TestData.Rtol);
        var sessions = new Dictionary<string, OrtGraphSession>();
        try
        {
            var rows = new List<ParityRow>();
            bool several = manifest.TestData.Sets.Count > 1;
            foreach (var set in manifest.TestData.Sets)
            {
                foreach (var graph in set.Inputs.Select(i => i.Graph).Concat(set.Outputs.Select(o => o.Graph)).Distinct())
                {
                    if (!sessions.TryGetValue(graph, out var session))
                    {
                        var signature = manifest.Graph(graph);
                        sessions[graph] = session = OrtGraphSession.Open(Path.Combine(dir, signature.File), settings);
                        session.CheckSignature(signature);
                    }
                    var inputs = set.Inputs.Where(i => i.Graph == graph).ToDictionary(i => i.Tensor, i => Load(dir, set, i));
                    var expected = set.Outputs.Where(o => o.Graph == graph).ToArray();
                    var actual = session.Run(inputs, expected.Select(e => e.Tensor));
                    string prefix = several ? set.Folder + "/" : "";
                    rows.AddRange(expected.Select(e => TensorComparison.Compare($"{prefix}{graph}/{e.Tensor}", actual[e.Tensor], Load(dir, set, e), tolerance)));
                }
            }
            return rows;
        }
        finally
        {
            foreach (var session in sessions.Values) session.Dispose();
        }
    }

    static HostTensor Load(string dir, TestSetRecord set, TestTensorRef reference)
    {
        var (name, tensor) = TensorProtoFile.Read(Path.Combine(dir, set.Folder, reference.File));
        if (name != reference.Tensor)
            throw new InvalidDataException($"{set.Folder}/{reference.File} holds tensor '{name}' but the manifest says '{reference.Tensor}'");
        return tensor;
    }
}
