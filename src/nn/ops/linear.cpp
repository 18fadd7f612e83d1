// Fully connected layer through sgemm; weights are (OC, IC) like torch.nn.Linear.
#include "nn/blas.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

// out (N,OC) = inp (N,IC) · weightᵀ + bias
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int IC, int OC) {
  if (bias != nullptr)
    sgemm_bias(Trans::kNo, Trans::kYes, N, OC, IC, inp, IC, weight, IC, bias, out, OC);
  else
    sgemm(Trans::kNo, Trans::kYes, N, OC, IC, 1.0f, inp, IC, weight, IC, 0.0f, out, OC);
}

// dinp (N,IC) = dout · weight; dweight (OC,IC) += doutᵀ · inp; dbias (OC) += column sums of dout
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int IC, int OC) {
  sgemm(Trans::kNo, Trans::kNo, N, IC, OC, 1.0f, dout, OC, weight, IC, 0.0f, dinp, IC);
  sgemm_weight_gradient(OC, IC, N, dout, OC, inp, IC, dweight, IC, dbias);
}

}  // namespace emlab::nn::ops
