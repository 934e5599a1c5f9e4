#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lodestone {

// A dense float32 array in C (row-major) order: the plain value type that carries pixels and
// embeddings across the public API without exposing Torch. Shapes are in elements, e.g. pixels are
// [N, 3, R, R] and embeddings [N, D].
struct FloatArray {
    std::vector<int64_t> shape;
    std::vector<float> data;

    FloatArray() = default;
    // Zero-filled array of the given shape.
    explicit FloatArray(std::vector<int64_t> shape);
    FloatArray(std::vector<int64_t> shape, std::vector<float> data); // throws Error if sizes disagree

    int64_t numel() const;
    int64_t dim(size_t i) const { return shape.at(i); }
    size_t rank() const { return shape.size(); }
    // Row i of a [N, ...] array: pointer to its first element.
    const float *row(int64_t i) const;
    float *row(int64_t i);
    int64_t rowSize() const;         // product of all dimensions but the first
    std::string shapeString() const; // "[7,3,64,64]"
};

// Divides each row of a [N, D] array by its L2 norm (rows of norm 0 stay 0).
void normalizeRows(FloatArray &rows);

} // namespace lodestone
