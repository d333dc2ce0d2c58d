using Pipeline.Train.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Train.Training;

/// <summary>The optimizer every stage uses must be TorchSharp's AdamW in all but the scalars' lifetime.</summary>
[TestFixture]
public class AdamWTests
{
    const double Lr = 3e-3, Beta2 = 0.95, WeightDecay = 0.1;

    [Test]
    public void ItsUpdatesAreTorchSharpsAdamWsBitForBit()
    {
        var (library, held) = (Net(), Net());
        using var a = optim.AdamW(library.parameters(), lr: Lr, beta2: Beta2, weight_decay: WeightDecay);
        using var b = new Pipeline.Train.Training.AdamW(held.parameters(), Lr, Beta2, WeightDecay);
        for (int step = 0; step < 6; step++)
        {
            Step(library, a, step, lr: Lr * (step + 1) / 6);
            Step(held, b, step, lr: Lr * (step + 1) / 6);
        }
        AssertSame(library, held);
    }

    [Test]
    public void ItResumesFromACheckpointOfTorchSharpsAdamW()
    {
        var (library, held) = (Net(), Net());
        using var a = optim.AdamW(library.parameters(), lr: Lr, beta2: Beta2, weight_decay: WeightDecay);
        for (int step = 0; step < 3; step++) Step(library, a, step, Lr);
        string dir = TestScratch.Dir("adamw");
        Directory.CreateDirectory(dir);
        a.save_state_dict(Path.Combine(dir, "optimizer.dat"));
        library.save(Path.Combine(dir, "model.dat"));

        held.load(Path.Combine(dir, "model.dat"));
        using var b = new Pipeline.Train.Training.AdamW(held.parameters(), Lr, Beta2, WeightDecay);
        b.load_state_dict(Path.Combine(dir, "optimizer.dat"));
        Step(library, a, 3, Lr);
        Step(held, b, 3, Lr);
        AssertSame(library, held);
    }

    static Sequential Net()
    {
        torch.manual_seed(7);
        return nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
    }

    static void Step(Sequential net, OptimizerHelper optimizer, int step, double lr)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(100 + step);
        var x = randn(8, 6);
        var target = randn(8, 3);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        optimizer.zero_grad();
        nn.functional.mse_loss(net.call(x), target).backward();
        optimizer.step();
    }

    static void AssertSame(Sequential a, Sequential b)
    {
        var (pa, pb) = (a.parameters().ToList(), b.parameters().ToList());
        Assert.That(pa, Has.Count.EqualTo(pb.Count));
        for (int i = 0; i < pa.Count; i++)
            Assert.That(pa[i].sub(pb[i]).abs().max().item<float>(), Is.Zero, $"parameter {i}");
    }
}
