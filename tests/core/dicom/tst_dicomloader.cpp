// The DICOM loader over every file of the real corpora (../shared/data/dicom):
// expected outcome per file, pixel truth against uncompressed twins, and the
// error paths. Nothing may crash.
#include "clinsight/dicom/dicom.h"
#include "clinsight/imaging/rasterfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {

const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom");
const QString kReference = QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/dicom-reference");

enum Outcome { Ok, HeaderError, RenderError, NotDicom };
struct Expected {
    const char *file;
    Outcome outcome;
    int columns, rows, frames;
    const char *photometric;
    const char *errorContains;
};

// Generated once from the corpus with DCMTK 3.6.7 + OpenJPEG 2.5 and reviewed
// by hand; every RenderError/HeaderError is a limitation stated in the issue notes.
const Expected kTable[] = {
    {"pydicom-testfiles/693_J2KI.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/CT_small.dcm", Ok, 128, 128, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/ExplVR_BigEnd.dcm", Ok, 80, 60, 1, "RGB", nullptr},
    {"pydicom-testfiles/ExplVR_BigEndNoMeta.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (RT"},
    {"pydicom-testfiles/ExplVR_LitEndNoMeta.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (RT"},
    {"pydicom-testfiles/GDCMJ2K_TextGBR.dcm", Ok, 400, 400, 1, "YBR_RCT", nullptr},
    {"pydicom-testfiles/J2K_pixelrep_mismatch.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/JPEG-lossy.dcm", Ok, 256, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/JPEG2000-embedded-sequence-delimiter.dcm", RenderError, 256, 1024, 1, "MONOCHROME2", "JPEG 2000 header unreadable (Marker hand"},
    {"pydicom-testfiles/JPEG2000.dcm", Ok, 256, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/JPEGLSNearLossless_08.dcm", Ok, 10, 45, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/JPEGLSNearLossless_16.dcm", Ok, 10, 50, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/JPGExtended.dcm", Ok, 256, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/LICENSE", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/MR_small.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_RLE.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_bigendian.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_expb.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_implicit.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_jp2klossless.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_jpeg_ls_lossless.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_small_padded.dcm", Ok, 64, 64, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/MR_truncated.dcm", HeaderError, 0, 0, 0, nullptr, "not readable as DICOM: file is truncated (I/O susp"},
    {"pydicom-testfiles/README.txt", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/SC_jpeg_no_color_transform.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_jpeg_no_color_transform_2.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cr.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cy+n1.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cy+n2.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cy+np.dcm", Ok, 100, 100, 1, "YBR_FULL_422", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cy+s2.dcm", Ok, 100, 100, 1, "YBR_FULL_422", nullptr},
    {"pydicom-testfiles/SC_rgb_dcmtk_+eb+cy+s4.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_rgb_gdcm_KY.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jls_lossy_line.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jls_lossy_sample.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jpeg.dcm", Ok, 256, 256, 1, "RGB", nullptr},  // implicit-VR dataset under an explicit-VR meta header
    {"pydicom-testfiles/SC_rgb_jpeg_app14_dcmd.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jpeg_dcmd.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jpeg_dcmtk.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_rgb_jpeg_gdcm.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_jpeg_lossy_gdcm.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_rgb_rle.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_rle_16bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_rle_16bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_rle_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_rle_32bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_rle_32bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_small_odd.dcm", Ok, 3, 3, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_small_odd_big_endian.dcm", Ok, 3, 3, 1, "RGB", nullptr},
    {"pydicom-testfiles/SC_rgb_small_odd_jpeg.dcm", Ok, 3, 3, 1, "YBR_FULL", nullptr},
    {"pydicom-testfiles/SC_ybr_full_422_uncompressed.dcm", Ok, 100, 100, 1, "YBR_FULL_422", nullptr},
    {"pydicom-testfiles/SOURCE.md", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/UN_sequence.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (no"},
    {"pydicom-testfiles/_inventory.tsv", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/badVR.dcm", Ok, 10, 10, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/crayons.icc", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/empty_charset_LEI.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (no"},
    {"pydicom-testfiles/examples_jpeg2k.dcm", Ok, 640, 480, 1, "YBR_RCT", nullptr},
    {"pydicom-testfiles/examples_overlay.dcm", Ok, 484, 300, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/examples_palette.dcm", Ok, 800, 350, 1, "PALETTE COLOR", nullptr},
    {"pydicom-testfiles/examples_rgb_color.dcm", Ok, 320, 240, 1, "RGB", nullptr},
    {"pydicom-testfiles/examples_ybr_color.dcm", Ok, 320, 240, 30, "YBR_FULL_422", nullptr},
    {"pydicom-testfiles/image_dfl.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/liver_1frame.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/liver_expb_1frame.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/meta_missing_tsyntax.dcm", HeaderError, 0, 0, 0, nullptr, "Rows (0028,0010): missing or zero"},
    {"pydicom-testfiles/nested_priv_SQ.dcm", HeaderError, 0, 0, 0, nullptr, "Rows (0028,0010): missing or zero"},
    {"pydicom-testfiles/no_meta.dcm", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/no_meta_group_length.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (no"},
    {"pydicom-testfiles/priv_SQ.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (no"},
    {"pydicom-testfiles/reportsi.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (Ba"},
    {"pydicom-testfiles/reportsi_with_empty_number_tags.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (Ba"},
    {"pydicom-testfiles/rtdose.dcm", Ok, 10, 10, 15, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtdose_1frame.dcm", Ok, 10, 10, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtdose_expb.dcm", Ok, 10, 10, 15, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtdose_expb_1frame.dcm", Ok, 10, 10, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtdose_rle.dcm", Ok, 10, 10, 15, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtdose_rle_1frame.dcm", Ok, 10, 10, 1, "MONOCHROME2", nullptr},
    {"pydicom-testfiles/rtplan.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (RT"},
    {"pydicom-testfiles/rtplan.dump", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/rtplan_truncated.dcm", HeaderError, 0, 0, 0, nullptr, "not readable as DICOM: Invalid stream"},
    {"pydicom-testfiles/rtstruct.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (RT"},
    {"pydicom-testfiles/rtstruct.dump", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/test-SR.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (Co"},
    {"pydicom-testfiles/test1.json", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/test_PN.json", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-testfiles/waveform_ecg.dcm", HeaderError, 0, 0, 0, nullptr, "PixelData (7fe0,0010): no image in this object (Tw"},
    {"pydicom-testfiles/zipMR.gz", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-data/693_J2KR.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/693_UNCI.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/693_UNCR.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/HTJ2KLossless_08_RGB.dcm", Ok, 640, 480, 1, "RGB", nullptr},
    {"pydicom-data/HTJ2K_08_RGB.dcm", Ok, 640, 480, 1, "RGB", nullptr},
    {"pydicom-data/JLSL_08_07_0_1F.dcm", Ok, 128, 128, 1, "MONOCHROME2", nullptr},  // CharLS where DCMTK refuses 7 bits
    {"pydicom-data/JLSL_16_15_1_1F.dcm", Ok, 128, 128, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/JLSL_RGB_ILV0.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-data/JLSL_RGB_ILV1.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-data/JLSL_RGB_ILV2.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-data/JLSN_RGB_ILV0.dcm", Ok, 256, 256, 1, "RGB", nullptr},
    {"pydicom-data/JPEG-LL.dcm", Ok, 256, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/JPEG2000_UNC.dcm", Ok, 256, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm", Ok, 1024, 768, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/LICENSE", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm", Ok, 484, 484, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/MR2_J2KI.dcm", Ok, 1024, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/MR2_J2KR.dcm", Ok, 1024, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/MR2_UNCI.dcm", Ok, 1024, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/MR2_UNCR.dcm", Ok, 1024, 1024, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/OBXXXX1A.dcm", Ok, 800, 600, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/OBXXXX1A_2frame.dcm", Ok, 800, 600, 2, "PALETTE COLOR", nullptr},
    {"pydicom-data/OBXXXX1A_expb.dcm", Ok, 800, 600, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/OBXXXX1A_expb_2frame.dcm", Ok, 800, 600, 2, "PALETTE COLOR", nullptr},
    {"pydicom-data/OBXXXX1A_rle.dcm", Ok, 800, 600, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/OBXXXX1A_rle_2frame.dcm", Ok, 800, 600, 2, "PALETTE COLOR", nullptr},
    {"pydicom-data/OT-PAL-8-face.dcm", Ok, 640, 480, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/RG1_J2KI.dcm", Ok, 1841, 1955, 1, "MONOCHROME1", nullptr},
    {"pydicom-data/RG3_J2KI.dcm", Ok, 1760, 1760, 1, "MONOCHROME1", nullptr},
    {"pydicom-data/RG3_J2KR.dcm", Ok, 1760, 1760, 1, "MONOCHROME1", nullptr},
    {"pydicom-data/SC_rgb.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_16bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_16bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_32bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_32bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcr_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcyn1_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcyn2_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcynp_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcys2_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_dcmtk_ebcys4_dcmd.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb_16bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb_16bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb_32bit.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_rgb_expb_32bit_2frame.dcm", Ok, 100, 100, 2, "RGB", nullptr},
    {"pydicom-data/SC_rgb_gdcm2k_uncompressed.dcm", Ok, 100, 100, 1, "RGB", nullptr},
    {"pydicom-data/SC_ybr_full_uncompressed.dcm", Ok, 100, 100, 1, "YBR_FULL", nullptr},
    {"pydicom-data/SOURCE.md", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-data/US1_J2KI.dcm", Ok, 640, 480, 1, "YBR_ICT", nullptr},
    {"pydicom-data/US1_J2KR.dcm", Ok, 640, 480, 1, "YBR_RCT", nullptr},
    {"pydicom-data/US1_UNCI.dcm", Ok, 640, 480, 1, "RGB", nullptr},
    {"pydicom-data/US1_UNCR.dcm", Ok, 640, 480, 1, "RGB", nullptr},
    {"pydicom-data/_inventory.tsv", HeaderError, 0, 0, 0, nullptr, "not a DICOM file (no 'DICM' marker at byte 128 and"},
    {"pydicom-data/bad_sequence.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/color-pl.dcm", Ok, 256, 120, 1, "RGB", nullptr},
    {"pydicom-data/color-px.dcm", Ok, 256, 120, 1, "RGB", nullptr},
    {"pydicom-data/eCT_Supplemental.dcm", Ok, 512, 512, 2, "MONOCHROME2", nullptr},
    {"pydicom-data/emri_small.dcm", Ok, 64, 64, 10, "MONOCHROME2", nullptr},
    {"pydicom-data/emri_small_RLE.dcm", Ok, 64, 64, 10, "MONOCHROME2", nullptr},
    {"pydicom-data/emri_small_big_endian.dcm", Ok, 64, 64, 10, "MONOCHROME2", nullptr},
    {"pydicom-data/emri_small_jpeg_2k_lossless.dcm", Ok, 64, 64, 10, "MONOCHROME2", nullptr},
    {"pydicom-data/emri_small_jpeg_2k_lossless_too_short.dcm", HeaderError, 0, 0, 0, nullptr, "not readable as DICOM: Sequence Delimitation Item "},
    {"pydicom-data/emri_small_jpeg_ls_lossless.dcm", Ok, 64, 64, 10, "MONOCHROME2", nullptr},
    {"pydicom-data/explicit_VR-UN.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/gdcm-US-ALOKA-16.dcm", Ok, 640, 480, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/gdcm-US-ALOKA-16_big.dcm", Ok, 640, 480, 1, "PALETTE COLOR", nullptr},
    {"pydicom-data/liver.dcm", Ok, 512, 512, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_deflate.dcm", Ok, 512, 512, 3, "MONOCHROME2", nullptr},  // Deflated Image Frame Compression: zlib
    {"pydicom-data/liver_expb.dcm", Ok, 512, 512, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_j2k.dcm", Ok, 512, 512, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_nonbyte_aligned.dcm", Ok, 510, 510, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_nonbyte_aligned_deflate.dcm", Ok, 510, 510, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_nonbyte_aligned_j2k.dcm", Ok, 510, 510, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/liver_nonbyte_aligned_rle.dcm", Ok, 510, 510, 3, "MONOCHROME2", nullptr},  // 1-bit RLE: ClinSight
    {"pydicom-data/liver_rle.dcm", Ok, 512, 512, 3, "MONOCHROME2", nullptr},
    {"pydicom-data/mlut_18.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/parametric_map_double_float.dcm", Ok, 128, 128, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/parametric_map_float.dcm", Ok, 128, 128, 1, "MONOCHROME2", nullptr},
    {"pydicom-data/vlut_04.dcm", Ok, 512, 512, 1, "MONOCHROME2", nullptr},
};

bool haveData() { return QDir(kData).exists(); }

double psnr(const std::vector<float> &a, const std::vector<float> &b, double peak)
{
    double se = 0;
    for (size_t i = 0; i < a.size(); ++i) se += (a[i] - b[i]) * (a[i] - b[i]);
    if (se == 0) return 1e9;
    return 10 * std::log10(peak * peak / (se / a.size()));
}

// Decoded values of every frame: modality values for grey, RGB bytes for colour.
std::vector<float> decodedValues(const QString &path)
{
    auto s = cs::DicomImageSource::open(path);
    if (!s) { qWarning() << s.error().message(); return {}; }
    std::vector<float> all;
    for (int f = 0; f < s->frameCount(); ++f) {
        if (s->isColor()) {
            auto r = s->render(f);
            if (!r) return {};
            all.insert(all.end(), r->pixels.begin(), r->pixels.end());
        } else {
            auto v = s->modalityValues(f);
            if (!v) return {};
            all.insert(all.end(), v->begin(), v->end());
        }
    }
    return all;
}

} // namespace

class TestDicomLoader : public QObject {
    Q_OBJECT
private slots:
    void corpus_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kTable)); ++i)
            QTest::newRow(kTable[i].file) << i;
    }
    void corpus()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QFETCH(int, index);
        const Expected &e = kTable[index];
        const QString path = kData + '/' + QLatin1String(e.file);
        auto header = cs::readDicomHeader(path);
        if (e.outcome == HeaderError) {
            QVERIFY2(!header.ok(), "expected a header error");
            QVERIFY2(header.error().message().contains(path), qPrintable(header.error().message()));
            QVERIFY2(header.error().message().contains(QLatin1String(e.errorContains)), qPrintable(header.error().message()));
            return;
        }
        QVERIFY2(header.ok(), qPrintable(header.ok() ? QString() : header.error().message()));
        QCOMPARE(header->columns, e.columns);
        QCOMPARE(header->rows, e.rows);
        QCOMPARE(header->frames, e.frames);
        QCOMPARE(header->photometric, QLatin1String(e.photometric));
        auto src = cs::DicomImageSource::open(path);
        cs::Result<cs::DisplayFrame> frame = src ? src->render(src->frameCount() - 1) : cs::Result<cs::DisplayFrame>(src.error());
        if (e.outcome == RenderError) {
            QVERIFY2(!frame.ok(), "expected a decode error");
            QVERIFY2(frame.error().message().contains(path), qPrintable(frame.error().message()));
            QVERIFY2(frame.error().message().contains(QLatin1String(e.errorContains)), qPrintable(frame.error().message()));
            return;
        }
        QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : frame.error().message()));
        QCOMPARE(frame->width, e.columns);
        QCOMPARE(frame->height, e.rows);
        QCOMPARE(frame->pixels.size(), size_t(e.columns) * e.rows * frame->channels);
    }

    // The edge cases pydicom (with GDCM) decodes and DCMTK alone refuses: ClinSight's displayed
    // frame against the reference pixels tests/data/dicom-reference/make-reference.py wrote from
    // pydicom's decode (each row says how the expected display was derived).
    void pydicomReference_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("frame");
        QTest::addColumn<QString>("png");
        QFile tsv(kReference + "/reference.tsv");
        QVERIFY(tsv.open(QIODevice::ReadOnly | QIODevice::Text));
        for (const QByteArray &line : tsv.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#')) continue;
            const QList<QByteArray> f = line.split('\t');
            QTest::newRow(f.value(2).constData()) << QString::fromUtf8(f.value(0)) << f.value(1).toInt() << QString::fromUtf8(f.value(2));
        }
    }
    void pydicomReference()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QFETCH(QString, file);
        QFETCH(int, frame);
        QFETCH(QString, png);
        auto expected = cs::readRasterImage(kReference + '/' + png);
        QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().message()));
        auto src = cs::DicomImageSource::open(kData + '/' + file);
        QVERIFY2(src.ok(), qPrintable(src.ok() ? QString() : src.error().message()));
        auto got = src->render(frame);
        QVERIFY2(got.ok(), qPrintable(got.ok() ? QString() : got.error().message()));
        QCOMPARE(got->width, expected->width);
        QCOMPARE(got->height, expected->height);
        QCOMPARE(got->channels, expected->channels);
        int worst = 0;
        size_t off = 0;
        for (size_t k = 0; k < got->pixels.size(); ++k) {
            const int d = std::abs(int(got->pixels[k]) - int(expected->pixels[k]));
            worst = std::max(worst, d);
            off += d > 1;
        }
        // one grey level of rounding (window arithmetic, 16-bit steps of a float map), nothing more
        QVERIFY2(worst <= 1, qPrintable(QStringLiteral("largest difference %1 grey levels, %2 samples off by more than 1").arg(worst).arg(off)));
        if (!file.contains("SC_rgb_jpeg"))   // (that one is a parsing leniency, its pixels are untouched)
            QVERIFY2(!src->info().pixelNote.isEmpty(), "how the pixels were made displayable is recorded");
    }

    void twins_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("other");
        QTest::addColumn<double>("minPsnr");  // 0 = bit-exact
        auto t = [](const char *ref, const char *other, double p) { QTest::newRow(other) << QString::fromLatin1(ref) << QString::fromLatin1(other) << p; };
        const char *mr = "pydicom-testfiles/MR_small.dcm";
        t(mr, "pydicom-testfiles/MR_small_RLE.dcm", 0);
        t(mr, "pydicom-testfiles/MR_small_jpeg_ls_lossless.dcm", 0);
        t(mr, "pydicom-testfiles/MR_small_jp2klossless.dcm", 0);
        t(mr, "pydicom-testfiles/MR_small_bigendian.dcm", 0);
        t(mr, "pydicom-testfiles/MR_small_expb.dcm", 0);
        t(mr, "pydicom-testfiles/MR_small_implicit.dcm", 0);
        t("pydicom-data/US1_UNCR.dcm", "pydicom-data/US1_J2KR.dcm", 0);
        t("pydicom-data/US1_UNCI.dcm", "pydicom-data/US1_J2KI.dcm", 0);  // UNCI is the NEMA decode of J2KI
        t("pydicom-data/693_UNCR.dcm", "pydicom-data/693_J2KR.dcm", 0);
        t("pydicom-data/693_UNCI.dcm", "pydicom-testfiles/693_J2KI.dcm", 0);
        t("pydicom-data/MR2_UNCR.dcm", "pydicom-data/MR2_J2KR.dcm", 0);
        t("pydicom-data/MR2_UNCI.dcm", "pydicom-data/MR2_J2KI.dcm", 0);
        t("pydicom-data/RG3_J2KR.dcm", "pydicom-data/RG3_J2KI.dcm", 30);  // lossy against lossless
        t("pydicom-data/SC_rgb.dcm", "pydicom-testfiles/SC_rgb_rle.dcm", 0);
        t("pydicom-data/SC_rgb.dcm", "pydicom-data/SC_rgb_expb.dcm", 0);
        t("pydicom-data/SC_rgb.dcm", "pydicom-testfiles/SC_rgb_jpeg_dcmtk.dcm", 25);
        t("pydicom-data/SC_rgb_2frame.dcm", "pydicom-testfiles/SC_rgb_rle_2frame.dcm", 0);
        t("pydicom-data/SC_rgb_2frame.dcm", "pydicom-data/SC_rgb_expb_2frame.dcm", 0);
        t("pydicom-data/SC_rgb_16bit.dcm", "pydicom-testfiles/SC_rgb_rle_16bit.dcm", 0);
        t("pydicom-data/SC_rgb_16bit.dcm", "pydicom-data/SC_rgb_expb_16bit.dcm", 0);
        t("pydicom-data/liver.dcm", "pydicom-data/liver_expb.dcm", 0);
        t("pydicom-data/liver.dcm", "pydicom-data/liver_j2k.dcm", 0);
        t("pydicom-testfiles/liver_1frame.dcm", "pydicom-testfiles/liver_expb_1frame.dcm", 0);
        t("pydicom-data/emri_small.dcm", "pydicom-data/emri_small_RLE.dcm", 0);
        t("pydicom-data/emri_small.dcm", "pydicom-data/emri_small_big_endian.dcm", 0);
        t("pydicom-data/emri_small.dcm", "pydicom-data/emri_small_jpeg_2k_lossless.dcm", 0);
        t("pydicom-data/emri_small.dcm", "pydicom-data/emri_small_jpeg_ls_lossless.dcm", 0);
        t("pydicom-data/OBXXXX1A.dcm", "pydicom-data/OBXXXX1A_rle.dcm", 0);
        t("pydicom-data/OBXXXX1A.dcm", "pydicom-data/OBXXXX1A_expb.dcm", 0);
        t("pydicom-data/OBXXXX1A_2frame.dcm", "pydicom-data/OBXXXX1A_rle_2frame.dcm", 0);
    }
    void twins()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QFETCH(QString, reference);
        QFETCH(QString, other);
        QFETCH(double, minPsnr);
        const auto a = decodedValues(kData + '/' + reference);
        const auto b = decodedValues(kData + '/' + other);
        QVERIFY2(!a.empty(), qPrintable(reference));
        QVERIFY2(!b.empty(), qPrintable(other));
        QCOMPARE(b.size(), a.size());
        if (minPsnr == 0) {
            size_t diff = 0;
            for (size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
            QVERIFY2(diff == 0, qPrintable(QStringLiteral("%1 of %2 values differ").arg(diff).arg(a.size())));
        } else {
            const auto [lo, hi] = std::minmax_element(a.begin(), a.end());
            const double p = psnr(a, b, std::max(1.0, double(*hi - *lo)));
            qInfo("%s: PSNR %.1f dB (min %.0f)", qPrintable(other), p, minPsnr);
            QVERIFY(p >= minPsnr);
        }
    }

    void render_windowChangesPixels()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        auto s = cs::DicomImageSource::open(kData + "/pydicom-testfiles/CT_small.dcm");
        QVERIFY(s.ok());
        auto a = s->render(0, cs::VoiChoice::custom(40, 400));
        auto b = s->render(0, cs::VoiChoice::custom(-600, 1500));
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->pixels != b->pixels);
        QCOMPARE(a->window.center, 40.0);
        auto bad = s->render(0, cs::VoiChoice::custom(40, 0));
        QVERIFY(!bad.ok());
        auto past = s->render(5);
        QVERIFY(!past.ok());
        QVERIFY(past.error().reason.contains("frame 6"));
    }

    void monochrome1_isInverted()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        // RG1 (chest CR) is MONOCHROME1: the minimum stored value must display white.
        auto s = cs::DicomImageSource::open(kData + "/pydicom-data/RG1_J2KI.dcm");
        QVERIFY(s.ok());
        QCOMPARE(s->info().photometric, QStringLiteral("MONOCHROME1"));
        auto v = s->modalityValues(0);
        auto f = s->render(0, cs::VoiChoice{cs::VoiChoice::Kind::MinMax});
        QVERIFY(v.ok() && f.ok());
        const size_t iMin = size_t(std::min_element(v->begin(), v->end()) - v->begin());
        const size_t iMax = size_t(std::max_element(v->begin(), v->end()) - v->begin());
        QCOMPARE(int(f->pixels[iMin]), 255);
        QCOMPARE(int(f->pixels[iMax]), 0);
    }

    void truncatedCopy_givesErrorNamingFile()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QTemporaryDir dir;
        QFile in(kData + "/pydicom-testfiles/CT_small.dcm");
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray all = in.readAll();
        for (double frac : {0.1, 0.5, 0.9, 0.999}) {
            const QString p = dir.filePath(QStringLiteral("cut_%1.dcm").arg(frac));
            QFile out(p);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(all.left(int(all.size() * frac)));
            out.close();
            auto s = cs::DicomImageSource::open(p);
            QVERIFY2(!s.ok(), qPrintable(p));
            QVERIFY(s.error().message().startsWith(p));
        }
    }

    void hugeDimensions_refusedBeforeAllocation()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        // CT_small (explicit VR little endian) with Rows and Columns patched to 65535.
        QFile in(kData + "/pydicom-testfiles/CT_small.dcm");
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray all = in.readAll();
        for (const QByteArray &tag : {QByteArray::fromHex("2800100055530200"), QByteArray::fromHex("2800110055530200")}) {
            const int at = all.indexOf(tag);
            QVERIFY(at > 0);
            all[at + 8] = char(0xff);
            all[at + 9] = char(0xff);
        }
        QTemporaryDir dir;
        const QString p = dir.filePath("huge.dcm");
        QFile out(p);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(all);
        out.close();
        auto s = cs::DicomImageSource::open(p);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message().contains("limit"), qPrintable(s.error().message()));
        QVERIFY(s.error().message().startsWith(p));
    }

    void fuzzerFindings_areErrorsNotCrashes()
    {
        // Inputs the libFuzzer target found crashing (docs/fuzzing.md); each must now be a clean error.
        const QDir dir(QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/fuzz"));
        const QStringList files = dir.entryList(QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const QString &f : files) {
            const QString p = dir.filePath(f);
            auto h = cs::readDicomHeader(p);
            auto s = cs::DicomImageSource::open(p);
            auto t = cs::dicomTags(p);
            // Reaching these lines without std::terminate() is the regression; every failure names the file.
            if (!h.ok()) QVERIFY2(h.error().message().startsWith(p), qPrintable(h.error().message()));
            if (!s.ok()) QVERIFY2(s.error().message().startsWith(p), qPrintable(s.error().message()));
            if (!t.ok()) QVERIFY2(t.error().message().startsWith(p), qPrintable(t.error().message()));
            if (s.ok()) {
                auto frame = s->render(0);
                if (!frame.ok()) QVERIFY2(frame.error().message().startsWith(p), qPrintable(frame.error().message()));
                else QCOMPARE(frame->pixels.size(), size_t(frame->width) * frame->height * frame->channels);
            }
        }
    }

    void series_orderedByPositionElseInstanceNumber()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        // Three copies of CT_small in one series: z of Image Position (Patient) and Instance Number
        // patched (same lengths) so the two orders disagree.
        QFile in(kData + "/pydicom-testfiles/CT_small.dcm");
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray orig = in.readAll();
        const int ipp = orig.indexOf(QByteArray("-75.699997"));
        const int inst = orig.indexOf(QByteArray::fromHex("2000130049530200")) + 8;
        const int iop = orig.indexOf(QByteArray::fromHex("20003700"));
        QVERIFY(ipp > 0 && inst > 8 && iop > 0);
        auto write = [&](const QString &dirPath, const char *z, char number, bool keepOrientation) {
            QByteArray d = orig;
            d.replace(ipp, 10, QByteArray(z));
            d[inst] = number;
            if (!keepOrientation) d[iop + 2] = 0x35;  // (0020,0037) -> (0020,0035): orientation gone
            QFile out(QStringLiteral("%1/im%2.dcm").arg(dirPath).arg(number));
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(d);
        };
        QTemporaryDir geo, plain;
        write(geo.path(), "-75.699997", '3', true);
        write(geo.path(), "-70.699997", '1', true);
        write(geo.path(), "-65.699997", '2', true);
        cs::JobControl c;
        auto scan = cs::scanDicom({geo.path()}, c);
        QCOMPARE(scan.instanceCount(), 3);
        const auto &series = scan.patients.at(0).studies.at(0).series.at(0);
        QVERIFY(series.orderedByPosition);
        QCOMPARE(series.instances[0].instanceNumber, 3);
        QCOMPARE(series.instances[1].instanceNumber, 1);
        QCOMPARE(series.instances[2].instanceNumber, 2);
        QVERIFY(std::abs(series.sliceSpacing - 5.0) < 1e-4);
        QVERIFY(series.instances[0].hasPixelSpacing);

        write(plain.path(), "-75.699997", '3', false);
        write(plain.path(), "-70.699997", '1', false);
        write(plain.path(), "-65.699997", '2', false);
        auto scan2 = cs::scanDicom({plain.path()}, c);
        const auto &s2 = scan2.patients.at(0).studies.at(0).series.at(0);
        QVERIFY(!s2.orderedByPosition);
        QCOMPARE(s2.instances[0].instanceNumber, 1);
        QCOMPARE(s2.instances[2].instanceNumber, 3);
    }

    void missingAndEmptyFiles_areErrors()
    {
        QTemporaryDir dir;
        auto missing = cs::readDicomHeader(dir.filePath("nope.dcm"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, cs::Error::Code::Io);
        QFile e(dir.filePath("empty.dcm"));
        QVERIFY(e.open(QIODevice::WriteOnly));
        e.close();
        auto empty = cs::readDicomHeader(dir.filePath("empty.dcm"));
        QVERIFY(!empty.ok());
        QVERIFY(empty.error().reason.contains("empty"));
    }

    void folderScan_reportsSkippedAndGroups()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        cs::JobControl c;
        qint64 total = -1;
        c.setProgressCallback([&](qint64, qint64 t, const QString &) { total = t; });
        const cs::DicomScan scan = cs::scanDicom({kData + "/pydicom-testfiles"}, c);
        QCOMPARE(total, qint64(scan.filesSeen));
        QVERIFY(scan.instanceCount() > 50);
        QVERIFY(!scan.skipped.empty());
        QCOMPARE(scan.instanceCount() + int(scan.skipped.size()), scan.filesSeen);
        for (const auto &s : scan.skipped) QVERIFY(!s.error.reason.isEmpty());
    }

    void dicomdir_isFollowed()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        cs::JobControl c;
        const cs::DicomScan scan = cs::scanDicom({kData + "/pydicom-testfiles/dicomdirtests/DICOMDIR"}, c);
        // The TINY_ALPHA files referenced by this DICOMDIR carry no pixel data: each must be reported, none lost.
        QVERIFY(scan.filesSeen > 10);
        QCOMPARE(scan.instanceCount() + int(scan.skipped.size()), scan.filesSeen);
    }

    void cancelledScan_stopsEarly()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        cs::JobControl c;
        c.requestCancel();
        const cs::DicomScan scan = cs::scanDicom({kData + "/pydicom-data"}, c);
        QCOMPARE(scan.instanceCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDicomLoader)
#include "tst_dicomloader.moc"
