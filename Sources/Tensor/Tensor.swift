// Tensor engine: CPU backend over BLAS with explicit forward/backward per op.
import CBLAS
