using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class ModuleWeightsTests
{
    string dir = "";

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(dir = Path.Combine(Path.GetTempPath(), $"pipeline-weights-{Guid.NewGuid():N}"));

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, true);

    [Test]
    public void LoadsBitForBitIntoTheSameParameters()
    {
        var config = ModelConfig.Tiny(40, Variant.NormMultilayer);
        manual_seed(1);
        using var saved = new VisionLanguageModel(config);
        saved.save(Path.Combine(dir, "model.dat"));
        manual_seed(2);
        using var model = new VisionLanguageModel(config);
        var before = model.parameters().ToArray();
        var handles = before.Select(p => p.Handle).ToArray();

        ModuleWeights.LoadInPlace(model, Path.Combine(dir, "model.dat"));

        var after = model.parameters().ToArray();
        Assert.That(after.Zip(before).All(x => ReferenceEquals(x.First, x.Second)), "the optimizer's parameters are the model's after the load");
        Assert.That(after.Select(p => p.Handle), Is.EqualTo(handles));
        var expected = saved.state_dict();
        foreach (var (key, tensor) in model.state_dict())
            Assert.That(tensor.data<float>().ToArray(), Is.EqualTo(expected[key].data<float>().ToArray()), key);
    }

    [Test]
    public void WeightsOfAnotherModelGetAClearError()
    {
        manual_seed(1);
        using var small = new VisionLanguageModel(ModelConfig.Tiny(40, Variant.Baseline));
        small.save(Path.Combine(dir, "baseline.dat"));
        using var multilayer = new VisionLanguageModel(ModelConfig.Tiny(40, Variant.NormMultilayer));
        using var otherVocab = new VisionLanguageModel(ModelConfig.Tiny(41, Variant.Baseline));

        Assert.That(() => ModuleWeights.LoadInPlace(multilayer, Path.Combine(dir, "baseline.dat")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("saved from another model"));
        Assert.That(() => ModuleWeights.LoadInPlace(otherVocab, Path.Combine(dir, "baseline.dat")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("baseline.dat").And.Message.Contains("shape"));
    }
}
