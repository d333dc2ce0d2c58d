using Pipeline.Train.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Train.Training;

/// <summary>
/// TorchSharp's AdamW with each step's scalars held until libtorch has read them (see
/// <see cref="HeldScalars"/>): its own step passes a dozen temporaries a parameter. The update is
/// the same operations in the same order, so results are identical. Named AdamW because TorchSharp
/// writes the optimizer state under the class's short name and loads only that name: checkpoints
/// move between this and TorchSharp's AdamW both ways.
/// </summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta2, double weightDecay)
    : TorchSharp.Modules.AdamW(parameters, lr, beta1: 0.9, beta2: beta2, eps: 1e-8, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("This AdamW implements neither amsgrad nor maximize");
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double lr = options.LearningRate!.Value, weightDecay = options.weight_decay!.Value;
        // The group's constants, made once a step; only the bias corrections depend on a parameter's count.
        using var decay = (1 - lr * weightDecay).ToScalar();
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var e = eps.ToScalar();
        using var one = 1.ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var root = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-lr / biasCorrection1).ToScalar();

            param.mul_(decay);
            state.exp_avg.mul_(b1).add_(grad, oneMinusB1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            var denom = state.exp_avg_sq.sqrt().div(root).add_(e, one);
            param.addcdiv_(state.exp_avg, denom, stepSize);
        }
    }, closure);
}
