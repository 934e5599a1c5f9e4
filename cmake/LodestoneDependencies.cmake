# All third-party packages, found the same way on Debian and on the GPU machine's prefix
# (/opt/lodestone-deps + PyTorch's LibTorch through CMAKE_PREFIX_PATH).

# LibTorch: Debian's 1.13 CPU build by default; a CUDA LibTorch 2.x when CMAKE_PREFIX_PATH/Torch_DIR points at one.
find_package(Torch REQUIRED)
set_package_properties(Torch PROPERTIES TYPE REQUIRED PURPOSE "the dual encoder: inference and training")
# TorchConfig puts its flags in TORCH_CXX_FLAGS (the _GLIBCXX_USE_CXX11_ABI choice); targets get them through
# TORCH_LIBRARIES' interface, except on builds that only set the variable.
if(TORCH_CXX_FLAGS)
    separate_arguments(LODESTONE_TORCH_CXX_FLAGS UNIX_COMMAND "${TORCH_CXX_FLAGS}")
endif()
# PyTorch's wheels export the std::filesystem functions of the libstdc++ they link statically
# (pytorch/pytorch#133437). With libtorch ahead of libstdc++ in the link order our calls bind to those
# copies, and std::filesystem::remove_all jumps to a null address. Naming the C++ runtime before LibTorch
# makes the dynamic linker find the system's libstdc++ first. Harmless with Debian's LibTorch.
set(LODESTONE_CXX_RUNTIME stdc++)
# LibTorch 1.13's headers use std::vector<c10::IValue> where IValue is only declared; GCC accepts that in
# C++20, clang with libstdc++'s constexpr vector does not unless ivalue.h comes first (the sanitizer and
# fuzzing builds use clang). The joined form -include<file> keeps it one argument.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND Torch_VERSION VERSION_LESS 2)
    add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-includeATen/core/ivalue.h>")
endif()

# freetype (from Debian's libopencv-contrib-dev, which libopencv-dev brings): map labels in any script.
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs OPTIONAL_COMPONENTS freetype)
set_package_properties(OpenCV PROPERTIES TYPE REQUIRED PURPOSE "image decoding, drawing the synthetic world")
set(LODESTONE_HAVE_FREETYPE ${OpenCV_freetype_FOUND})

find_package(nlohmann_json 3.10 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(SQLite3 REQUIRED)

# utf8proc: Unicode categories for the tokenizer's pre-tokenising pattern and NFC.
find_path(UTF8PROC_INCLUDE_DIR utf8proc.h REQUIRED)
find_library(UTF8PROC_LIBRARY NAMES utf8proc libutf8proc.a REQUIRED)
add_library(lodestone::utf8proc UNKNOWN IMPORTED)
set_target_properties(lodestone::utf8proc PROPERTIES IMPORTED_LOCATION "${UTF8PROC_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${UTF8PROC_INCLUDE_DIR}")
if(UTF8PROC_LIBRARY MATCHES "\\.a$")
    set_property(TARGET lodestone::utf8proc PROPERTY INTERFACE_COMPILE_DEFINITIONS UTF8PROC_STATIC)
endif()

# hnswlib is header-only.
find_path(HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h REQUIRED)
add_library(lodestone::hnswlib INTERFACE IMPORTED)
set_target_properties(lodestone::hnswlib PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${HNSWLIB_INCLUDE_DIR}")

# xxHash: content hashes of photos (a moved file is recognised by its bytes) and model identities.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
find_library(XXHASH_LIBRARY NAMES xxhash libxxhash.a REQUIRED)
add_library(lodestone::xxhash UNKNOWN IMPORTED)
set_target_properties(lodestone::xxhash PROPERTIES IMPORTED_LOCATION "${XXHASH_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${XXHASH_INCLUDE_DIR}")

# giflib decodes the first frame of GIFs, which Debian's OpenCV 4.6 cannot read. Optional so that the GPU
# machine's minimal prefix can do without; without it a GIF is recorded as unsupported.
find_package(GIF)
set_package_properties(GIF PROPERTIES TYPE RECOMMENDED PURPOSE "GIF photos (first frame)")

# CLI11 for the command line (header-only; on the GPU machine it comes staged in /opt/lodestone-deps).
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(lodestone::cli11 INTERFACE IMPORTED)
set_target_properties(lodestone::cli11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CLI11_INCLUDE_DIR}")

# libarchive reads WebDataset .tar shards. Optional so that the GPU machine's minimal prefix can do without;
# without it a wds: source is refused with that reason.
find_package(LibArchive)
set_package_properties(LibArchive PROPERTIES TYPE RECOMMENDED PURPOSE "WebDataset .tar shards")

find_package(Threads REQUIRED)

if(LODESTONE_BUILD_GUI OR LODESTONE_BUILD_TESTS)
    set(_qt_components Core Test)
    if(LODESTONE_BUILD_GUI)
        list(APPEND _qt_components Gui Widgets Charts Concurrent Network LinguistTools)
    endif()
    find_package(Qt6 6.4 REQUIRED COMPONENTS ${_qt_components})
    set_package_properties(Qt6 PROPERTIES TYPE REQUIRED PURPOSE "desktop program and the Qt Test suites")
    # Torch headers use the identifier `slots`: Qt keywords are off project-wide.
    add_compile_definitions(QT_NO_KEYWORDS)
endif()
