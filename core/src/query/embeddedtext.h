#pragma once

#include <string_view>

// Text files compiled into the library by cmake/LodestoneEmbedText.cmake (see core/CMakeLists.txt).
namespace lodestone::embedded {

std::string_view defaultPromptsText(); // resources/prompts/default.txt
std::string_view vocabularyText();     // resources/vocabulary.txt

} // namespace lodestone::embedded
