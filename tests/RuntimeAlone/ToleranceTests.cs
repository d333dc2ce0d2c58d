using Pipeline.Runtime;

namespace Pipeline.Tests.Runtime;

/// <summary>Polygraphy's rule: an element fails only where it exceeds both atol and rtol × |expected|.</summary>
[TestFixture]
public class ToleranceTests
{
    static readonly Tolerance Default = Tolerance.Default;

    [TestCase(1.0, 1.0, true)]
    [TestCase(0.0, 5e-5, true)]          // within atol
    [TestCase(1000.0, 1000.5, true)]     // beyond atol, within rtol (0.5 ≤ 1e-3 × 1000.5)
    [TestCase(1.0, 1.01, false)]         // beyond both
    [TestCase(0.0, 2e-4, false)]         // beyond atol; rtol × |e| is tiny
    [TestCase(double.NaN, 1.0, false)]
    [TestCase(double.NaN, double.NaN, true)]
    [TestCase(double.PositiveInfinity, double.PositiveInfinity, true)]
    [TestCase(1e30, double.PositiveInfinity, false)]
    public void FailsOnlyWhereBothAreExceeded(double actual, double expected, bool accepted) =>
        Assert.That(Default.Accepts(actual, expected), Is.EqualTo(accepted));

    [Test]
    public void ReportsMaxAbsMaxRelAndMismatches()
    {
        var expected = HostTensor.Float([4], [1f, 2f, 0f, 100f]);
        var actual = HostTensor.Float([4], [1f, 2.5f, 1e-5f, 100.05f]);
        var row = TensorComparison.Compare("x", actual, expected, Default);
        Assert.That(row.MaxAbs, Is.EqualTo(0.5).Within(1e-6));
        Assert.That(row.MaxRel, Is.EqualTo(0.25).Within(1e-6), "0.5 / 2; the zero expectation is judged by atol only");
        Assert.That((row.Mismatches, row.Count, row.Passed), Is.EqualTo((1L, 4L, false)));
    }

    [Test]
    public void ShapeOrTypeMismatchesFailWithAReason()
    {
        var expected = HostTensor.Float([2, 2], [1, 2, 3, 4]);
        var row = TensorComparison.Compare("x", HostTensor.Float([4], [1, 2, 3, 4]), expected, Default);
        Assert.That(row.Passed, Is.False);
        Assert.That(row.Problem, Does.Contain("shape (4)"));
        row = TensorComparison.Compare("x", HostTensor.Int64([2, 2], [1, 2, 3, 4]), expected, Default);
        Assert.That(row.Problem, Does.Contain("int64"));
    }

    [Test]
    public void IntegersCompareExactly()
    {
        var row = TensorComparison.Compare("ids", HostTensor.Int64([3], [1, 2, 3]), HostTensor.Int64([3], [1, 2, 3]), Default);
        Assert.That((row.Passed, row.MaxAbs), Is.EqualTo((true, 0.0)));
        Assert.That(TensorComparison.Compare("ids", HostTensor.Int64([1], [4]), HostTensor.Int64([1], [3]), Default).Passed, Is.False);
    }
}
