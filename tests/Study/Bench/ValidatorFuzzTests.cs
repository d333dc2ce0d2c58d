using Pipeline.Export;
using Pipeline.Runtime;
using Pipeline.Study.Bench;
using Pipeline.Tests.Eval.Study;
using Pipeline.Tests.Export;
using Pipeline.Train.Model;

namespace Pipeline.Tests.Study.Bench;

/// <summary>
/// The validator against mutated copies of good artifacts (flipped bytes, manifest members deleted,
/// nulled, retyped or stretched, paths out of the folder, unlisted and symlinked files): no crash,
/// and no structurally broken copy passes. `pipeline bench fuzz --cases 2000` runs the long version.
/// </summary>
public sealed class ValidatorFuzzTests
{
    static readonly SessionSettings Cpu = new(IntraOpThreads: 1);

    static void AssertNoFindings(FuzzSummary summary)
    {
        foreach (var f in summary.Findings.Take(10))
            TestContext.Out.WriteLine($"case {f.Index} {f.Kind} {f.Mutation}: {f.Outcome} {f.Message}");
        Assert.That(summary.Findings, Is.Empty);
        Assert.That(summary.Kinds.Keys, Is.EquivalentTo(new[] { "byte", "manifest", "path", "filesystem", "resigned" }), "every kind of mutation ran");
        Assert.That(summary.Outcomes.GetValueOrDefault(FuzzOutcome.Refused), Is.GreaterThan(summary.Cases / 2));
    }

    [Test]
    public void MutatedCopiesOfATrainedArtifactAreRefusedOrValidatedNeverCrash() =>
        AssertNoFindings(ValidatorFuzz.Run(TinyStudy.Artifact("norm-multilayer"), cases: 250, seed: 11, Cpu));

    [Test]
    public void MutatedCopiesOfAnOpset23ArtifactToo() =>
        AssertNoFindings(ValidatorFuzz.Run(ExportFixture.Artifact(new ExportFixture.Key(Variant.Norm), ExportOpsets.Standard), cases: 150, seed: 12, Cpu));

    [Test]
    public void ABrokenOriginalIsRefusedBeforeAnyCase()
    {
        string dir = TestScratch.Dir("fuzz-broken");
        Assert.That(() => ValidatorFuzz.Run(dir, 10, 1, Cpu), Throws.InstanceOf<Exception>());
        Assert.That(() => ValidatorFuzz.Run(TinyStudy.Artifact("baseline"), 0, 1, Cpu), Throws.ArgumentException);
    }
}
