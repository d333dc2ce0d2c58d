using Pipeline.Export.Builder;
using Pipeline.Export.Graphs;
using Pipeline.Runtime;
using static TorchSharp.torch;

namespace Pipeline.Tests.Export;

[TestFixture]
public class GraphBuilderTests
{
    static TensorSignature Float(string name, params Dim[] shape) => new(name, "float32", shape, false, name);

    [Test]
    public void NodesAreNamedByTheirScopeAndTheirOutputsAfterThem()
    {
        var g = new GraphBuilder("g", "doc");
        var x = g.Input(Float("x", "batch", 4));
        Value y;
        using (g.Scope("model"))
        using (g.Scope("layer3"))
        using (g.Scope("attn"))
            y = g.Op("Softmax", "softmax", [x], Attr.Int("axis", -1));
        Assert.That(y.Name, Is.EqualTo("model/layer3/attn/softmax"));
        Assert.That(g.Qualify("free"), Is.EqualTo("free"), "scopes close");
        var parts = g.Op("Split", "split", [x, g.Ints(2, 2)], 2, Attr.Int("axis", 1));
        Assert.That(parts.Select(p => p.Name), Is.EqualTo(new[] { "split:0", "split:1" }));
        g.Output(y, Float("probs", "batch", 4));
        var model = g.ToModel(new ModelInfo(17, 8, "producer", "1.0", "model doc", [new("k", "v")]));
        Assert.That(model.Graph.Node.Select(n => n.Name), Is.EqualTo(new[] { "model/layer3/attn/softmax", "split", "outputs/probs" }));
        Assert.That((model.ProducerName, model.ProducerVersion, model.DocString, model.Graph.DocString), Is.EqualTo(("producer", "1.0", "model doc", "doc")));
        Assert.That(model.MetadataProps.Single().Key, Is.EqualTo("k"));
        Assert.That(model.Graph.Output.Single().Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString()), Is.EqualTo(new[] { "batch", "4" }));
    }

    [Test]
    public void MistakesAreCaughtWhileBuilding()
    {
        var g = new GraphBuilder("g", "doc");
        var x = g.Input(Float("x", 2));
        g.Op("Relu", "relu", [x]);
        Assert.That(() => g.Op("Relu", "relu", [x]), Throws.InvalidOperationException.With.Message.Contains("already has a tensor named 'relu'"));
        Assert.That(() => g.Op("Relu", "other", [new Value("nowhere")]), Throws.ArgumentException.With.Message.Contains("nothing produces"));
        Assert.That(() => g.Scope("a/b"), Throws.ArgumentException);
    }

    [Test]
    public void ConstantsAreSharedAndOptionalTrailingInputsDropped()
    {
        var g = new GraphBuilder("g", "doc");
        Assert.That(g.Scalar(0.5f), Is.EqualTo(g.Scalar(0.5f)));
        Assert.That(g.Ints(1, 2), Is.Not.EqualTo(g.Ints(2, 1)));
        var x = g.Input(Float("x", 2));
        g.Op("Clip", "clip", [x, Value.None, Value.None]);
        var model = g.ToModel(new ModelInfo(17, 8, "p", "0", "d", []));
        Assert.That(model.Graph.Node.Single().Input, Is.EqualTo(new[] { "x" }));
        Assert.That(model.Graph.Initializer, Has.Count.EqualTo(3));
    }

    [TestCase(4, 2)]
    [TestCase(4, 3)]
    [TestCase(8, 3)]
    [TestCase(4, 4)]
    public void ThePoolingMatrixIsAdaptiveAvgPool2d(int grid, int k)
    {
        manual_seed(3);
        using var x = randn(1, 5, grid, grid);
        using var expected = nn.functional.adaptive_avg_pool2d(x, [k, k]).flatten(2);  // (1, 5, k·k)
        var m = VisionTowerGraph.PoolingMatrix(grid, k);
        using var matrix = tensor(m.Floats, m.Shape);
        using var actual = x.flatten(2).matmul(matrix.t());                                // (1, 5, k·k)
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThan(1e-6f));
    }
}
