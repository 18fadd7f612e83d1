#pragma once
// Accuracy at each answer position, and exact match as those positions would give it if each
// were right or wrong independently of the others: the product of per-position accuracies.
// p^L with p the mean token accuracy is never below that product (the arithmetic mean bounds the
// geometric one), and easy positions (the end token, a leading 1) inflate the mean; the product
// is the prediction Schaeffer et al.'s argument (arXiv:2304.15004) actually makes.
//
// Positions are the target's. A position the output does not reach counts wrong; tokens an output
// runs on past the target's end are no positions of their own, because the target's end token at
// its last position already judges them (an output that runs on has another token there). So an
// example is an exact match exactly when it is right at every target position, and the product
// differs from exact match only by how positions depend on each other.
#include <cstddef>
#include <vector>

#include "eval/record.hpp"

namespace emlab::eval {

// Per target position: whether the output holds the target's token there.
std::vector<bool> position_correct(const Tokens& output, const Tokens& target);

// Exact match predicted from per-position accuracies. Examples are grouped by target length
// (position i of a 3-token answer is not position i of a 4-token one); within a group the
// prediction is the product over positions of the share of its examples right there, and groups
// are weighted by their share of the examples. Requires at least one example, none empty. A group
// of one example predicts its own exact match: the prediction needs several examples per length.
double position_product(const std::vector<std::vector<bool>>& correct);

}  // namespace emlab::eval
