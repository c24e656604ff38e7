# All third-party packages, found once. Heavy ones (LibTorch, DCMTK, OpenCV,
# OpenJPEG) are linked PRIVATE to core only.
if(CLINSIGHT_BUILD_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Concurrent Network Test Gui Widgets PrintSupport)
  find_package(QCustomPlotQt6 REQUIRED)
else()
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Concurrent Network Test)
endif()

find_package(Torch REQUIRED)          # Torch_DIR may point at a CUDA-enabled LibTorch
find_package(DCMTK REQUIRED CONFIG)
# OpenJPEG's CMake config has no version file and Debian keeps a stale 2.1
# one beside it; find the 2.5 library (HTJ2K decoding needs >= 2.5) directly.
find_path(OPENJPEG_INCLUDE_DIR openjpeg.h PATH_SUFFIXES openjpeg-2.5 REQUIRED)
find_library(OPENJPEG_LIBRARY openjp2 REQUIRED)
add_library(clinsight_openjpeg INTERFACE)
target_include_directories(clinsight_openjpeg SYSTEM INTERFACE ${OPENJPEG_INCLUDE_DIR})
target_link_libraries(clinsight_openjpeg INTERFACE ${OPENJPEG_LIBRARY})

# CharLS (JPEG-LS reference decoder) for streams DCMTK's JPEG-LS codec refuses: its
# headers only. The library is dlopen()ed privately at run time, because DCMTK's
# codec exports an older CharLS under the same names and linking would interpose them.
find_path(CHARLS_INCLUDE_DIR charls/charls.h REQUIRED)
add_library(clinsight_charls_headers INTERFACE)
target_include_directories(clinsight_charls_headers SYSTEM INTERFACE ${CHARLS_INCLUDE_DIR})
target_compile_definitions(clinsight_charls_headers INTERFACE CHARLS_STATIC)

# Debian splits OpenCV into per-module -dev packages; only libopencv-dev ships
# the CMake config, and it drags in every module. Import the three we use, one
# target each, so that only training links the ml module. (No imgcodecs: its
# Debian build pulls ~140 libraries, GDAL and video codecs among them, for the
# two formats ClinSight reads and writes; libpng and libjpeg do that directly.)
find_path(OpenCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
foreach(m core imgproc ml)
  find_library(OpenCV_${m}_LIBRARY opencv_${m} REQUIRED)
  add_library(clinsight_opencv_${m} INTERFACE)
  target_include_directories(clinsight_opencv_${m} SYSTEM INTERFACE ${OpenCV_INCLUDE_DIR})
  target_link_libraries(clinsight_opencv_${m} INTERFACE ${OpenCV_${m}_LIBRARY})
endforeach()

# PNG and JPEG files (core/imaging only): libpng 1.6 and libjpeg-turbo.
find_package(PNG 1.6 REQUIRED)
find_package(JPEG REQUIRED)
find_package(ZLIB REQUIRED)          # Deflated Image Frame Compression (core/dicom/src/framecodecs.cpp)

# Warnings for every ClinSight target; -Werror where CI asks for it.
add_library(clinsight_compile_options INTERFACE)
# Source paths in __FILE__ and debug info are written relative to the tree, so
# no binary names a path of the machine that built it.
target_compile_options(clinsight_compile_options INTERFACE -Wall -Wextra $<$<BOOL:${CLINSIGHT_WERROR}>:-Werror>
                       -ffile-prefix-map=${CMAKE_SOURCE_DIR}/=
                       -ffile-prefix-map=${CMAKE_BINARY_DIR}/=build/)

# libsodium: Ed25519 signatures (model bundles, the audit log's head). Private to core/security.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
# SQLCipher: the clinical database encrypted at rest. Private to core/storage.
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher>=3.4)
