using Pipeline.Train.Model;
using Pipeline.Train.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class CheckpointTests
{
    [TestCase(Variant.Baseline)]
    [TestCase(Variant.NormMultilayer)]
    public void SaveAndLoadRoundTripBitForBit(Variant variant)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var config = ModelConfig.Tiny(40, variant);
        manual_seed(1);
        using var a = new VisionLanguageModel(config);
        a.save(Path.Combine(dir, "model.dat"));
        manual_seed(2);
        using var b = new VisionLanguageModel(config);
        b.load(Path.Combine(dir, "model.dat"));
        var pa = a.state_dict();
        var pb = b.state_dict();
        Assert.That(pb.Keys, Is.EqualTo(pa.Keys));
        foreach (var key in pa.Keys)
            Assert.That(pb[key].data<float>().ToArray(), Is.EqualTo(pa[key].data<float>().ToArray()), key);
        Directory.Delete(dir, true);
    }

    [Test]
    public void ConfigAndVocabTravelWithTheCheckpoint()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-cfg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var config = ModelConfig.Tiny(40, Variant.Norm) with { Norm = new NormConstants(0.25, 0.5) };
        var vocab = new VocabFile(1, "<pad>", "<bos>", "<eos>", "<unk>", "<image>", ["<pad>", "<bos>", "<eos>", "<unk>", "<image>", "red"]);
        CheckpointFiles.Write(dir, config, vocab);
        Assert.That(CheckpointFiles.ReadConfig(dir), Is.EqualTo(config).Using<ModelConfig>((x, y) =>
            x.Vision == y.Vision && x.Language == y.Language && x.Variant == y.Variant && x.Norm == y.Norm && x.PoolTokens == y.PoolTokens));
        Assert.That(File.ReadAllText(Path.Combine(dir, CheckpointFiles.ConfigFile)), Does.Contain("\"norm-multilayer\"").Or.Contain("\"norm\""));
        Directory.Delete(dir, true);
    }

    [Test]
    public void AnIncompatibleCheckpointGetsAClearError()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pipeline-bad-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Assert.That(() => CheckpointFiles.ReadConfig(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a model checkpoint"));
        File.WriteAllText(Path.Combine(dir, CheckpointFiles.ConfigFile), "{\"vision\": 3}");
        Assert.That(() => CheckpointFiles.ReadConfig(dir), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("is not a config this version can read"));
        Directory.Delete(dir, true);
    }
}
