# Install layout and the Debian package (CPack DEB).
#   /usr/bin/clinsight, /usr/bin/clinsight-cli
#   /usr/share/clinsight/models/clinsight-hybrid   model bundle (weights, manifest, model card, baselines)
#   /usr/share/clinsight/demo                      demo cohort (+ ATTRIBUTION.md)
#   /usr/share/clinsight/rules                     treatment rules
#   /usr/share/applications, /usr/share/icons     desktop entry and icon
#   /usr/share/doc/clinsight                       README, data licences and attributions
install(DIRECTORY ${CMAKE_SOURCE_DIR}/models/clinsight-hybrid DESTINATION ${CMAKE_INSTALL_DATADIR}/clinsight/models)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/models/trusted-keys DESTINATION ${CMAKE_INSTALL_DATADIR}/clinsight)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resources/demo DESTINATION ${CMAKE_INSTALL_DATADIR}/clinsight)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resources/rules DESTINATION ${CMAKE_INSTALL_DATADIR}/clinsight)
install(FILES ${CMAKE_SOURCE_DIR}/installer/clinsight.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/clinsight.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/DATA_LICENSES.md
              ${CMAKE_SOURCE_DIR}/resources/demo/ATTRIBUTION.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/clinsight)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "clinsight")
set(CPACK_PACKAGE_VENDOR "ClinSight")
set(CPACK_PACKAGE_CONTACT "ClinSight maintainers <clinsight@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Clinical decision support workstation (research and decision support, not a diagnosis)")
set(CPACK_PACKAGE_DESCRIPTION "DICOM viewer, vital-sign timelines, NEWS2/qSOFA/SIRS and a hybrid CNN+LSTM risk model with Grad-CAM and attention; offline, with a bundled model and demo cohort.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
# Shared-library dependencies (libsqlcipher0 among them) are computed by dpkg-shlibdeps from the binaries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcharls2: loaded with dlopen() (JPEG-LS fallback), so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcharls2")
include(CPack)
