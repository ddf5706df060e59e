// The model-FLOP count behind MFU against PyTorch's own count of the same step's matmuls
// (`tools/rt_reference.py bench --count-flops`, torch.utils.flop_counter, forward + backward of the reference
// model). The two differ by what the convention counts and PyTorch skips: the input layer's gradient with respect to
// the (constant) features, 2 N F d, which PyTorch does not compute; and the loss heads, which PyTorch counts and the
// formula leaves out. With those accounted for they must agree to 2%.
import Model
import Testing
import Training

@Test func modelFLOPsMatchPyTorchsCountOfTheSameStep() {
  // PyTorch 2.13, tools/rt_reference.py bench --config small --batch 2 --count-flops: torch_counted_flops.
  let small = ModelConfig(
    width: 64, blocks: 2, heads: 4, ffnWidth: 128, contextLength: 128, embeddingWidth: 384)
  let torchCounted = 536_057_600.0
  let ours = ModelFLOPs.trainingStep(small, batchSize: 2)
  let inputGradient = 2.0 * Double(2 * 128) * Double(small.featureWidth) * 64
  let relative = abs((ours - inputGradient) - torchCounted) / torchCounted
  #expect(relative < 0.02, "ours \(ours) less the input gradient vs PyTorch \(torchCounted): \(relative)")
  #expect(ours == 556_498_944)
  // ... --config rt --batch 1 --count-flops (RT size, L = 1024): 290,849,126,912.
  let rt = ModelFLOPs.trainingStep(.rtSize, batchSize: 1)
  let rtInputGradient = 2.0 * 1024 * Double(ModelConfig.rtSize.featureWidth) * 256
  let rtRelative = abs((rt - rtInputGradient) - 290_849_126_912) / 290_849_126_912
  #expect(rtRelative < 0.002, "RT size: \(rtRelative)")
}

@Test func mfuIsModelFLOPsPerSecondOverThePeak() {
  let rt = ModelConfig.rtSize
  let flops = ModelFLOPs.trainingStep(rt, batchSize: 32)
  // RT size at B = 32, L = 1024: about 9.3 TFLOP per step (3 x 3.1 TFLOP forward, four fifths of it attention).
  #expect(flops > 9.0e12 && flops < 9.6e12, "\(flops)")
  #expect(abs(ModelFLOPs.utilisation(rt, batchSize: 32, seconds: flops / 4e14, peak: 1e15) - 0.4) < 1e-12)
}
