// TorchSharp keeps global state (default dtype, threads, RNG): tests never run in parallel.
[assembly: NonParallelizable]
[assembly: LevelOfParallelism(1)]
