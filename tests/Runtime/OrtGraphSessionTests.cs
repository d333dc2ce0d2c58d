using Google.Protobuf;
using Pipeline.Export.Builder;
using Pipeline.Runtime;

namespace Pipeline.Tests.Runtime;

/// <summary>The session wrapper on a two-output graph the builder makes: y = x·2, z = x + 1.</summary>
[TestFixture]
public class OrtGraphSessionTests
{
    string _path = "";

    [OneTimeSetUp]
    public void WriteGraph()
    {
        var g = new GraphBuilder("toy", "doubles and increments");
        var x = g.Input(new TensorSignature("x", "float32", ["batch", 2], false, "input"));
        g.Output(g.Op("Mul", "double", [x, g.Scalar(2f)]), new TensorSignature("y", "float32", ["batch", 2], false, "2x"));
        g.Output(g.Op("Add", "increment", [x, g.Scalar(1f)]), new TensorSignature("z", "float32", ["batch", 2], true, "x + 1"));
        _path = Path.Combine(Path.GetTempPath(), $"pipeline-toy-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(_path, g.ToModel(new ModelInfo(17, 8, "test", "0", "toy", [])).ToByteArray());
    }

    [OneTimeTearDown]
    public void Delete() => File.Delete(_path);

    static Dictionary<string, HostTensor> Input(params float[] values) => new() { ["x"] = HostTensor.Float([values.Length / 2, 2], values) };

    [Test]
    public void RunsAndReturnsOnlyWhatWasAskedFor()
    {
        using var session = OrtGraphSession.Open(_path);
        Assert.That(session.InputNames, Is.EqualTo(new[] { "x" }));
        var all = session.Run(Input(1, 2, 3, 4));
        Assert.That(all["y"].Floats, Is.EqualTo(new[] { 2f, 4f, 6f, 8f }));
        Assert.That(all["z"].Shape, Is.EqualTo(new long[] { 2, 2 }));
        var one = session.Run(Input(1, 2), ["z"]);
        Assert.That(one.Keys, Is.EqualTo(new[] { "z" }));
        Assert.That(one["z"].Floats, Is.EqualTo(new[] { 2f, 3f }));
    }

    [Test]
    public void WrongNamesAreArgumentErrors()
    {
        using var session = OrtGraphSession.Open(_path);
        Assert.That(() => session.Run(Input(1, 2), ["w"]), Throws.ArgumentException.With.Message.Contains("no output 'w'"));
        Assert.That(() => session.Run(new Dictionary<string, HostTensor>()), Throws.ArgumentException.With.Message.Contains("needs input(s) x"));
        var extra = Input(1, 2);
        extra["q"] = HostTensor.Float([1], [0]);
        Assert.That(() => session.Run(extra), Throws.ArgumentException.With.Message.Contains("no input 'q'"));
    }

    [Test]
    public void SignaturesAreCheckedAgainstTheManifest()
    {
        using var session = OrtGraphSession.Open(_path);
        TensorSignature X(params Dim[] shape) => new("x", "float32", shape, false, "");
        TensorSignature[] outputs = [new("y", "float32", ["batch", 2], false, ""), new("z", "float32", ["batch", 2], true, "")];
        Assert.That(() => session.CheckSignature(new GraphSignature("toy", "t.onnx", "", [X("batch", 2)], outputs)), Throws.Nothing);
        Assert.That(() => session.CheckSignature(new GraphSignature("toy", "t.onnx", "", [X("batch", 3)], outputs)),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("'x'"));
        Assert.That(() => session.CheckSignature(new GraphSignature("toy", "t.onnx", "", [X("batch", 2)], outputs.Reverse().ToArray())),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("outputs"));
    }

    [Test]
    public void ACorruptOrMissingFileIsAClearError()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"pipeline-bad-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5]);
        Assert.That(() => OrtGraphSession.Open(bad), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("cannot load"));
        File.Delete(bad);
        Assert.That(() => OrtGraphSession.Open(bad), Throws.InstanceOf<FileNotFoundException>());
    }
}
