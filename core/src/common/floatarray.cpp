#include "lodestone/floatarray.h"

#include "lodestone/error.h"

#include <cmath>
#include <functional>
#include <numeric>

namespace lodestone {

static int64_t product(const std::vector<int64_t> &shape, size_t from = 0)
{
    int64_t n = 1;
    for (size_t i = from; i < shape.size(); ++i) {
        if (shape[i] < 0)
            throw Error("negative dimension in shape");
        n *= shape[i];
    }
    return n;
}

FloatArray::FloatArray(std::vector<int64_t> shape_)
    : shape(std::move(shape_))
    , data(static_cast<size_t>(product(shape)), 0.0f)
{}

FloatArray::FloatArray(std::vector<int64_t> shape_, std::vector<float> data_)
    : shape(std::move(shape_))
    , data(std::move(data_))
{
    if (static_cast<int64_t>(data.size()) != product(shape))
        throw Error("array of shape " + shapeString() + " given " + std::to_string(data.size()) + " values");
}

int64_t FloatArray::numel() const
{
    return product(shape);
}

int64_t FloatArray::rowSize() const
{
    return shape.empty() ? 1 : product(shape, 1);
}

const float *FloatArray::row(int64_t i) const
{
    return data.data() + i * rowSize();
}

float *FloatArray::row(int64_t i)
{
    return data.data() + i * rowSize();
}

std::string FloatArray::shapeString() const
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

void normalizeRows(FloatArray &rows)
{
    if (rows.rank() != 2)
        throw Error("normalizeRows: expected a [N, D] array, got " + rows.shapeString());
    const int64_t d = rows.dim(1);
    for (int64_t i = 0; i < rows.dim(0); ++i) {
        float *r = rows.row(i);
        double sum = 0;
        for (int64_t j = 0; j < d; ++j)
            sum += double(r[j]) * r[j];
        if (sum > 0) {
            const float inv = float(1.0 / std::sqrt(sum));
            for (int64_t j = 0; j < d; ++j)
                r[j] *= inv;
        }
    }
}

} // namespace lodestone
