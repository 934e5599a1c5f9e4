#include "lodestone/library.h"

#include "library/contenthash.h"
#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "model/clipmodel_p.h"

#include <torch/torch.h>

#include <map>

namespace lodestone {

std::string modelIdentity(const ClipModel &model)
{
    try {
        const ClipModel::Impl &impl = model.impl();
        // Parameters and buffers by name (std::map: name order, independent of registration order).
        std::map<std::string, torch::Tensor> tensors;
        for (const auto &item : impl.module->named_parameters())
            tensors[item.key()] = item.value();
        for (const auto &item : impl.module->named_buffers())
            tensors[item.key()] = item.value();

        detail::ContentHasher hasher;
        hasher.updateField("lodestone-model-identity-1");
        hasher.updateInt(int64_t(tensors.size()));
        torch::NoGradGuard noGrad;
        for (const auto &[name, value] : tensors) {
            hasher.updateField(name);
            hasher.updateInt(value.dim());
            for (int64_t size : value.sizes())
                hasher.updateInt(size);
            hasher.updateField(std::string(c10::toString(value.scalar_type())));
            // Floating tensors as float32 (what the weights file holds); integer buffers keep their own
            // bytes.
            torch::Tensor cpu = value.detach().to(torch::kCPU);
            cpu = (cpu.is_floating_point() ? cpu.to(torch::kFloat32) : cpu).contiguous();
            hasher.update(cpu.data_ptr(), size_t(cpu.numel()) * cpu.element_size());
        }

        // What shapes do not show but changes the image features: the recipe and a few settings.
        const ClipConfig &config = impl.config;
        const PreprocessConfig &pre = config.preprocess;
        hasher.updateInt(pre.imageSize);
        hasher.update(pre.mean.data(), sizeof(pre.mean));
        hasher.update(pre.std.data(), sizeof(pre.std));
        hasher.updateInt(int(config.vision.tower));
        hasher.updateInt(config.vision.heads);
        hasher.updateInt(int(config.activation));
        hasher.update(&config.layerNormEps, sizeof(config.layerNormEps));
        return hasher.hex();
    } catch (...) {
        rethrowWithContext("computing the identity of model '" + model.info().path + "'");
    }
}

} // namespace lodestone
