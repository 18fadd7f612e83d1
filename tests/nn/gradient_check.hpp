#pragma once
// Central finite differences against an analytic gradient, in the cs231n style: the relative
// error of the whole vector must be small, and so must that of every entry large enough to
// measure above float32 rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace emlab::testing {

// n normal values times scale: the inputs and output weights of the gradient checks.
inline std::vector<float> random_vector(Rng& rng, int64_t n, double scale = 1.0) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = static_cast<float>(scale * rng.normal());
  return v;
}

// f = Σ r ⊙ out, in double: the scalar whose gradient the checks compare.
inline double weighted_sum(const std::vector<float>& r, const float* out) {
  double s = 0;
  for (size_t i = 0; i < r.size(); ++i) s += static_cast<double>(r[i]) * out[i];
  return s;
}

// Float32 forward passes make the difference quotient noisy at about 1e-7·|f|/eps, and its
// truncation error grows as eps²: eps = 4e-3 balances the two for losses of order one.
struct GradientTolerance {
  double eps = 4e-3;         // perturbation
  double vector_rel = 5e-3;  // ||a - n|| / (||a|| + ||n||)
  double entry_rel = 3e-2;   // per entry, for entries with |a| or |n| above entry_floor
  double entry_floor = 2e-3;
};

// f evaluates the scalar objective with the current contents of `x`; `analytic` is its gradient.
inline void expect_gradient_matches(const std::string& what, float* x, int64_t n,
                                    const std::vector<float>& analytic,
                                    const std::function<double()>& f, GradientTolerance tol = {}) {
  ASSERT_EQ(static_cast<int64_t>(analytic.size()), n) << what;
  double diff2 = 0, a2 = 0, n2 = 0;
  int bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float saved = x[i];
    x[i] = saved + static_cast<float>(tol.eps);
    const double up = f();
    x[i] = saved - static_cast<float>(tol.eps);
    const double down = f();
    x[i] = saved;
    // Divide by the step actually taken after float rounding of x ± eps.
    const double step = static_cast<double>(saved + static_cast<float>(tol.eps)) -
                        static_cast<double>(saved - static_cast<float>(tol.eps));
    const double numeric = (up - down) / step;
    const double a = analytic[static_cast<size_t>(i)];
    diff2 += (a - numeric) * (a - numeric);
    a2 += a * a;
    n2 += numeric * numeric;
    const double scale = std::max(std::abs(a), std::abs(numeric));
    if (scale > tol.entry_floor && std::abs(a - numeric) > tol.entry_rel * scale) {
      if (++bad <= 5)
        ADD_FAILURE() << what << "[" << i << "]: analytic " << a << " vs numeric " << numeric;
    }
  }
  const double rel = std::sqrt(diff2) / (std::sqrt(a2) + std::sqrt(n2) + 1e-30);
  EXPECT_LT(rel, tol.vector_rel) << what << ": relative error of the whole gradient";
  EXPECT_EQ(bad, 0) << what << ": entries off";
  EXPECT_GT(std::sqrt(a2), 0.0) << what << ": gradient is identically zero, nothing was checked";
}

}  // namespace emlab::testing
