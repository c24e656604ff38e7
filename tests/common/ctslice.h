#pragma once
// CT slices as a scanner writes them (DCMTK), for the tests that need the
// images a real segmentation was derived from: the corpus ships the liver
// segmentation (dcmqi) but not its CT. Study, patient and geometry follow the
// segmentation; the pixels are a soft-tissue ramp.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <QString>
#include <array>
#include <vector>

namespace testdata {

// One CT slice as a scanner would write it, at the given instance UID and position.
inline QString writeCt(const QString &dir, const QString &name, const QString &sopUid, const QString &seriesUid, const QString &forUid,
                const std::array<double, 3> &pos, int size = 512)
{
    DcmFileFormat ff;
    DcmDataset *ds = ff.getDataset();
    auto put = [ds](const DcmTagKey &t, const QString &v) { ds->putAndInsertString(t, v.toLatin1().constData()); };
    put(DCM_SOPClassUID, QStringLiteral(UID_CTImageStorage));
    put(DCM_SOPInstanceUID, sopUid);
    put(DCM_StudyInstanceUID, QStringLiteral("1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1"));
    put(DCM_SeriesInstanceUID, seriesUid);
    put(DCM_FrameOfReferenceUID, forUid);
    put(DCM_Modality, QStringLiteral("CT"));
    put(DCM_PatientName, QStringLiteral("JANCT000"));
    put(DCM_PatientID, QStringLiteral("99000"));
    put(DCM_ImagePositionPatient, QStringLiteral("%1\\%2\\%3").arg(pos[0]).arg(pos[1]).arg(pos[2]));
    put(DCM_ImageOrientationPatient, QStringLiteral("1\\0\\0\\0\\1\\0"));
    put(DCM_PixelSpacing, QStringLiteral("0.810547\\0.810547"));
    put(DCM_SliceThickness, QStringLiteral("1"));
    put(DCM_PhotometricInterpretation, QStringLiteral("MONOCHROME2"));
    put(DCM_RescaleIntercept, QStringLiteral("-1024"));
    put(DCM_RescaleSlope, QStringLiteral("1"));
    put(DCM_WindowCenter, QStringLiteral("40"));
    put(DCM_WindowWidth, QStringLiteral("400"));
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertUint16(DCM_Rows, Uint16(size));
    ds->putAndInsertUint16(DCM_Columns, Uint16(size));
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, 12);
    ds->putAndInsertUint16(DCM_HighBit, 11);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    std::vector<Uint16> px(std::size_t(size) * size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) px[std::size_t(y) * size + x] = Uint16(1000 + (x + y) % 200);   // soft tissue around 40 HU
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), Uint32(px.size()));
    const QString path = dir + '/' + name;
    ff.saveFile(path.toLocal8Bit().constData(), EXS_LittleEndianExplicit);
    return path;
}

} // namespace testdata
