#include "model/device.h"

#include "lodestone/error.h"

namespace lodestone {

torch::Device resolveDevice(const std::string &name)
{
    if (name.empty() || name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (name == "cpu")
        return torch::Device(torch::kCPU);
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw Error("device '" + name + "' requested, but this LibTorch build or machine has no CUDA");
        int index = 0;
        if (name != "cuda") {
            const std::string digits = name.substr(5);
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
                digits.size() > 3)
                throw Error("unknown device '" + name + "' (expected auto, cpu, cuda or cuda:N)");
            index = std::stoi(digits);
        }
        if (index < 0 || index >= int(torch::cuda::device_count()))
            throw Error("device '" + name + "' requested, but there are " +
                        std::to_string(torch::cuda::device_count()) + " CUDA devices");
        return torch::Device(torch::kCUDA, c10::DeviceIndex(index));
    }
    throw Error("unknown device '" + name + "' (expected auto, cpu, cuda or cuda:N)");
}

} // namespace lodestone
