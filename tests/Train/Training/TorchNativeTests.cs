using Pipeline.Train.Training;

namespace Pipeline.Tests.Train.Training;

[TestFixture]
public class TorchNativeTests
{
    [Test]
    public void TheCpuBuildsLibtorchLoads()
    {
        Assert.That(() => TorchNative.EnsureLoadable(), Throws.Nothing);
    }

    [Test]
    public void AMissingLibtorchIsOneLineNamingTheLibraryAndTheFix()
    {
        var error = Assert.Throws<NotSupportedException>(() => TorchNative.EnsureLoadable(["libtorch_absent_for_this_test.so"]))!;
        Assert.That(error.Message, Does.Contain("libtorch_absent_for_this_test.so").And.Contain("LD_LIBRARY_PATH").And.Contain("TorchBackend=cpu"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }
}
